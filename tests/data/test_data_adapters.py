"""Every adapter on the real files in ../shared/data, checked against MANIFEST.md figures."""

from __future__ import annotations

import pandas as pd
import pytest

from dyadscope.data.registry import Adapter, adapters, cite, get_adapter, load_file
from dyadscope.data.store import Store
from dyadscope.errors import UnknownDataset

VENDORED = [name for name, cls in adapters().items() if cls.vendored]


def _produce(name: str, shared_file) -> pd.DataFrame:
    return get_adapter(name).produce(shared_file(name))


@pytest.mark.parametrize("name", VENDORED)
def test_adapter_loads_real_file_with_declared_schema(name: str, shared_file, store: Store) -> None:
    adapter = get_adapter(name)
    prov = load_file(name, shared_file(name), store)
    described = store.con.execute(f"DESCRIBE {adapter.table.name}").df()
    assert dict(zip(described["column_name"], described["column_type"], strict=True)) == dict(
        adapter.table.columns
    )
    assert (
        prov.rows == store.con.execute(f"SELECT count(*) FROM {adapter.table.name}").fetchone()[0]
    )
    assert store.provenance().set_index("table").at[adapter.table.name, "rows"] == prov.rows


def test_every_adapter_declares_its_metadata() -> None:
    for name, cls in adapters().items():
        for attr in ("title", "url", "version", "citation", "licence"):
            assert getattr(cls, attr), f"{name} lacks {attr}"
        assert cls.table.columns


def test_cinc_2010_reference(shared_file) -> None:
    nmc = _produce("nmc", shared_file)
    assert len(nmc) == 17121
    nmc = nmc.set_index(["ccode", "year"])
    assert nmc.at[(365, 2010), "iso3"] == "RUS"
    assert nmc.at[(365, 2010), "cinc"] == pytest.approx(0.0390844, abs=5e-8)
    assert nmc.at[(710, 2010), "cinc"] == pytest.approx(0.2092237, abs=5e-8)


def test_nmc_iso3_repeats_where_cow_has_two_states_in_one_year(shared_file) -> None:
    """COW 260 (GFR) ends and 255 (Germany) resumes in 1990; both are DEU that year."""
    nmc = _produce("nmc", shared_file)
    assert sorted(nmc.query("iso3 == 'DEU' and year == 1990")["ccode"]) == [255, 260]


def test_nmc_missing_is_null_not_zero(shared_file) -> None:
    """No -9 survives; the file's 2,360 empty milex cells (pandas' count) stay missing."""
    nmc = _produce("nmc", shared_file)
    assert (nmc[["milex", "milper", "irst", "pec", "upop"]] == -9).sum().sum() == 0
    assert nmc["milex"].isna().sum() == 2360


def test_trade_2013_reference(shared_file) -> None:
    dyadic = _produce("cow_trade_dyadic", shared_file)
    row = dyadic[(dyadic.ccode1 == 365) & (dyadic.ccode2 == 710) & (dyadic.year == 2013)].iloc[0]
    assert (row.flow1, row.flow2) == (pytest.approx(53348), pytest.approx(40668))
    national = _produce("cow_trade_national", shared_file).set_index(["ccode", "year"])
    total = national.at[(365, 2013), "imports"] + national.at[(365, 2013), "exports"]
    assert total == pytest.approx(842233.4, abs=0.05)
    assert (row.flow1 + row.flow2) / total == pytest.approx(0.1116, abs=5e-5)


def test_dots_2013_reference(shared_file) -> None:
    """MANIFEST §7: Russia reports X 35.625 + M 53.173 bn with China in 2013."""
    dots = _produce("dots", shared_file).set_index(["reporter_iso3", "partner_iso3", "year"])
    ru = dots.loc[("RUS", "CHN", 2013)]
    assert ru.exports_usd / 1e9 == pytest.approx(35.625, abs=5e-4)
    assert ru.imports_usd / 1e9 == pytest.approx(53.173, abs=5e-4)
    cn = dots.loc[("CHN", "RUS", 2019)]
    assert (cn.exports_usd + cn.imports_usd) / 1e9 == pytest.approx(109.742, abs=5e-4)


def test_unvotes_reference(shared_file) -> None:
    votes = _produce("unga_votes", shared_file)
    calls = _produce("unga_rollcalls", shared_file)
    issues = _produce("unga_issues", shared_file)
    assert (len(votes), len(calls), len(issues)) == (870109, 6203, 5745)
    assert votes["iso3"].notna().all()
    assert set(votes["vote"]) == {"yes", "no", "abstain"}
    assert (calls["year"].min(), calls["year"].max()) == (1946, 2020)
    assert sorted(issues["short_name"].unique()) == ["co", "di", "ec", "hr", "me", "nu"]


def test_unvotes_same_vote_share_ru_cn(shared_file) -> None:
    """MANIFEST §8: RU–CN same-vote share 0.7467 (n=75) in 2000 and 0.7442 (n=86) in 2010."""
    votes = _produce("unga_votes", shared_file)
    calls = _produce("unga_rollcalls", shared_file)[["rcid", "year"]]
    pair = votes[votes.iso3.isin(["RUS", "CHN"])].pivot(index="rcid", columns="iso3", values="vote")
    pair = pair.dropna().join(calls.set_index("rcid"))
    for year, share, n in ((2000, 0.7467, 75), (2010, 0.7442, 86)):
        sub = pair[pair.year == year]
        assert len(sub) == n
        assert (sub.RUS == sub.CHN).mean() == pytest.approx(share, abs=5e-5)


def test_ideal_points_keep_release_and_year(shared_file) -> None:
    ip = _produce("ideal_points", shared_file)
    assert set(ip["release"]) == {"Jun2024"}
    assert (ip["year"] - ip["session"] == 1945).all()
    assert set(ip["iso3"]) == {"RUS", "CHN", "USA", "IND"}


def test_sipri_russia_share_of_china_arms_imports_2010_2014(shared_data) -> None:
    """MANIFEST §11 (the earlier partial extract, still readable by the adapter):
    3,291.75 / 5,953.1 = 55.3%. The vendored full register is checked in
    test_data_new_sources.py."""
    old = "sipri/sipri_trade_register_2000_2023_recipientCHINA_or_supplierRUSSIA.csv"
    sipri = get_adapter("sipri").produce(shared_data / old)
    china = sipri[(sipri.recipient_iso3 == "CHN") & sipri.year.between(2010, 2014)]
    russia = china[china.supplier_iso3 == "RUS"]["tiv"].sum()
    assert russia == pytest.approx(3291.75)
    assert china["tiv"].sum() == pytest.approx(5953.1)
    assert russia / china["tiv"].sum() == pytest.approx(0.553, abs=5e-4)


def test_sipri_non_state_parties_get_null_codes(shared_file) -> None:
    sipri = _produce("sipri", shared_file)
    starred = sipri[sipri.recipient.str.endswith("*")]
    assert len(starred) > 0
    assert starred["recipient_iso3"].isna().all()


def test_peacesciencer_references(shared_file) -> None:
    igos = _produce("igos", shared_file)
    ru_cn = igos[(igos.ccode1 == 365) & (igos.ccode2 == 710)].set_index("year")["dyadigos"]
    assert [ru_cn[1980], ru_cn[2000], ru_cn[2014]] == [20, 50, 55]
    contiguity = _produce("contiguity", shared_file)
    land = contiguity[(contiguity.ccode1 == 365) & (contiguity.ccode2 == 710)].iloc[0]
    assert (land.conttype, str(land.start_date), str(land.end_date)) == (
        1,
        "1860-10-01",
        "2016-12-01",
    )
    mids = _produce("mids", shared_file)
    assert mids[(mids.ccode1 == 365) & (mids.ccode2 == 710)]["dispnum"].nunique() == 40
    atop = _produce("atop", shared_file)
    obligations = atop.filter(like="atop_").sum(axis=1) > 0
    years = atop[(atop.ccode1 == 365) & (atop.ccode2 == 710) & obligations]["year"]
    assert years.nunique() == 76
    mindist = _produce("mindist", shared_file)
    assert mindist.query("ccode1 == 365 and ccode2 == 710 and year == 2019")["mindist"].item() == 0


def test_icews_reference(shared_file) -> None:
    """MANIFEST extra: RU↔CN 2002–2014 totals 63,232 / 854 / 470 / 402."""
    icews = _produce("icews", shared_file)
    pair = icews[icews.source_iso3.isin(["RUS", "CHN"]) & icews.target_iso3.isin(["RUS", "CHN"])]
    pair = pair[pair.source_iso3 != pair.target_iso3]
    sums = pair[["verb_coop", "matl_coop", "verb_conf", "matl_conf"]].sum().tolist()
    assert sums == [63232, 854, 470, 402]


def test_cow_alliance_loads_users_copy_and_collapses_alliances(tmp_path, store: Store) -> None:
    """Two alliances bind 365–710 in 1950 (defense in one, entente in the other) → one row."""
    path = tmp_path / "alliance_v4.1_by_dyad_yearly.csv"
    path.write_text(
        "version4id,ccode1,ccode2,year,defense,neutrality,nonaggression,entente\n"
        "1,365,710,1950,1,0,0,0\n"
        "2,365,710,1950,0,0,0,1\n"
        "2,710,365,1950,0,0,0,1\n"
    )
    load_file("cow_alliance", path, store)
    table = store.table("cow_alliance").sort_values(["ccode1"]).reset_index(drop=True)
    assert table[["ccode1", "defense", "entente"]].values.tolist() == [[365, 1, 1], [710, 0, 1]]
    assert not get_adapter("cow_alliance").vendored


def test_unknown_dataset_suggests() -> None:
    with pytest.raises(UnknownDataset, match="did you mean nmc"):
        get_adapter("nmcc")


def test_cite_deduplicates_and_covers_all() -> None:
    assert len(cite(["unga_votes", "unga_rollcalls"])) == 1
    assert any("SIPRI" in c for c in cite())


def test_outside_plugin_registers_like_builtins(tmp_path) -> None:
    from dyadscope.data.adapters._base import CsvAdapter, frozen
    from dyadscope.data.registry import _REGISTRY, TableSpec, register_adapter

    @register_adapter
    class Toy(CsvAdapter):
        name = "toy_plugin"
        title = url = version = citation = licence = "toy"
        raw_columns = frozen({"ccode": "int", "year": "int"})
        code_columns = frozen({"ccode": "cow"})
        table = TableSpec("toy", {"ccode": "INTEGER", "year": "INTEGER"}, key=("ccode", "year"))

    try:
        assert isinstance(get_adapter("toy_plugin"), Adapter)
        path = tmp_path / "toy.csv"
        path.write_text("ccode,year\n365,2000\n")
        with Store() as db:
            assert load_file("toy_plugin", path, db).rows == 1
    finally:
        _REGISTRY.pop("toy_plugin")
