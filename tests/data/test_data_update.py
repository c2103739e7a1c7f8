"""``data update``: every provider against a local server replaying its documented format.

The server (``http.server`` in a thread, on 127.0.0.1) serves the hand-written answers
in ``fixtures/replay/``; each provider is pointed at it through ``base_urls`` or its
environment variable. Figures asserted come from ``../shared/data`` (MANIFEST).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
from typer.testing import CliRunner

from dyadscope.cli import app
from dyadscope.data.store import Store
from dyadscope.data.update import changes_frame, resolve_provider, update
from dyadscope.data.update.gdelt import parse_master_list
from dyadscope.data.update.imf import parse_sdmx_csv
from dyadscope.errors import SchemaError, UnknownDataset

REPLAY = Path(__file__).parent / "fixtures" / "replay"
TODAY = date(2025, 6, 1)

Answer = tuple[int, str, bytes]
Route = Callable[[dict[str, list[str]], bytes], Answer]


def _file(path: Path, kind: str = "application/json") -> Route:
    return lambda _q, _b: (200, kind, path.read_bytes())


class Replay:
    """A tiny HTTP server: (method, path) → answer; Range, HEAD, injected 503s, a log."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Route] = {}
        self.prefixes: dict[tuple[str, str], Route] = {}
        self.fail_first: dict[str, int] = {}
        self.log: list[tuple[str, str]] = []
        self.headers: list[dict[str, str]] = []
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _answer(self, method: str) -> None:
                url = urlparse(self.path)
                replay.log.append((method, self.path))
                replay.headers.append(dict(self.headers))
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if replay.fail_first.get(url.path, 0) > 0:
                    replay.fail_first[url.path] -= 1
                    self.send_response(503)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                verb = "GET" if method == "HEAD" else method
                route = replay.routes.get((verb, url.path)) or next(
                    (
                        r
                        for (m, p), r in replay.prefixes.items()
                        if m == verb and url.path.startswith(p)
                    ),
                    None,
                )
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status, kind, data = route(parse_qs(url.query), body)
                start = 0
                ranged = self.headers.get("Range")
                if ranged and status == 200:
                    start = int(ranged.split("=")[1].split("-")[0])
                    status = 206
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data) - start))
                self.end_headers()
                if method != "HEAD":
                    self.wfile.write(data[start:])

            def do_GET(self) -> None:
                self._answer("GET")

            def do_HEAD(self) -> None:
                self._answer("HEAD")

            def do_POST(self) -> None:
                self._answer("POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def add(self, path: str, route: Route, method: str = "GET") -> None:
        self.routes[(method, path)] = route


@pytest.fixture
def replay() -> Iterator[Replay]:
    server = Replay()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


def _wb_pages(q: dict[str, list[str]], _b: bytes) -> Answer:
    page = q.get("page", ["1"])[0]
    return 200, "application/json", (REPLAY / "worldbank" / f"gdp_page{page}.json").read_bytes()


def _comtrade(q: dict[str, list[str]], _b: bytes) -> Answer:
    """Comtrade answers only the periods asked for."""
    if q.get("flowCode") != ["X,M"] or not q.get("reporterCode"):
        return 400, "application/json", b'{"error": "bad query"}'
    payload = json.loads((REPLAY / "comtrade" / "get_C_A_HS.json").read_text())
    periods = set(q["period"][0].split(","))
    payload["elements"] = [e for e in payload["elements"] if e["period"] in periods]
    payload["count"] = len(payload["elements"])
    return 200, "application/json", json.dumps(payload).encode()


def _serve_all(server: Replay) -> dict[str, str]:
    """Every provider's routes; returns base_urls for update()."""
    wb, undl, gd = REPLAY / "worldbank", REPLAY / "undl", REPLAY / "gdelt"
    # The SDMX key (with '+' and '*') is part of the path: any IMTS data query.
    server.prefixes[("GET", "/imf/data/dataflow/IMF.STA/IMTS/")] = _file(
        REPLAY / "imf" / "imts_annual.csv", "application/vnd.sdmx.data+csv"
    )
    server.add("/wb/v2/country", _file(wb / "country.json"))
    server.add("/wb/v2/country/all/indicator/NY.GDP.MKTP.CD", _wb_pages)
    server.add("/undl/api/v1/file", _file(undl / "files_4060887.json"))
    server.add(
        "/undl/record/4060887/files/2025_9_19_ga_voting.csv",
        _file(undl / "2025_9_19_ga_voting.csv", "text/csv"),
    )
    server.add(
        "/sipri/api/p/trades/trade-register-csv/",
        _file(REPLAY / "sipri/trade_register_response.json"),
        method="POST",
    )
    server.add("/gdelt/masterfilelist.txt", _file(gd / "masterfilelist.txt", "text/plain"))
    server.add("/comtrade/data/v1/get/C/A/HS", _comtrade)
    return {
        "imf": f"{server.url}/imf",
        "worldbank": f"{server.url}/wb/v2",
        "undl": f"{server.url}/undl",
        "sipri": f"{server.url}/sipri",
        "gdelt": f"{server.url}/gdelt",
        "comtrade": f"{server.url}/comtrade",
        "milex": f"{server.url}/milex",
    }


@pytest.fixture
def served(replay: Replay) -> dict[str, str]:
    return _serve_all(replay)


def _run(store: Path, names: list[str], urls: dict[str, str], **kw: object) -> pd.DataFrame:
    changes = update(store, names, base_urls=urls, today=TODAY, backoff=0.0, **kw)  # type: ignore[arg-type]
    return changes_frame(changes).set_index("table")


# ---- World Bank ---------------------------------------------------------------------


def test_worldbank_pages_load_as_wb_gdp_with_manifest_figures(
    tmp_path: Path, served: dict[str, str], replay: Replay
) -> None:
    """Both pages are read; aggregates except WLD dropped; 2013 figures as in MANIFEST §15."""
    db = tmp_path / "s.duckdb"
    out = _run(db, ["worldbank"], served)
    assert out.loc["wb_gdp", "status"] == "new table"
    pages = [p for m, p in replay.log if "indicator" in p]
    assert len(pages) == 2 and "page=2" in pages[1]
    with Store(db, read_only=True) as store:
        gdp = store.table("wb_gdp").set_index(["iso3", "year"])["gdp_usd"]
        prov = store.provenance().set_index("table").loc["wb_gdp"]
    assert set(gdp.index.get_level_values(0)) == {"CHN", "RUS", "USA", "WLD"}
    assert gdp[("CHN", 2013)] == pytest.approx(9.570471e12, rel=1e-6)
    assert gdp[("RUS", 2013)] == pytest.approx(2.292470e12, rel=1e-6)
    assert gdp[("USA", 2013)] == pytest.approx(1.688068e13, rel=1e-6)
    assert ("CHN", 2024) not in gdp.index  # null in the API: missing, never 0
    assert prov["version"] == "WDI, last updated 2025-07-01"
    assert "NY.GDP.MKTP.CD" in prov["source"] and "retrieved" in prov["source"]
    assert (prov["first_year"], prov["last_year"]) == (2013, 2023)


def test_worldbank_documented_error_fails_and_store_is_unchanged(
    tmp_path: Path, served: dict[str, str], replay: Replay
) -> None:
    db = tmp_path / "s.duckdb"
    _run(db, ["worldbank"], served)
    replay.add(
        "/wb/v2/country/all/indicator/NY.GDP.MKTP.CD",
        _file(REPLAY / "worldbank" / "error_invalid.json"),
    )
    out = _run(db, ["worldbank"], served)
    assert out.loc["wb_gdp", "status"].startswith("failed:")
    assert "Invalid value" in out.loc["wb_gdp", "status"]
    with Store(db, read_only=True) as store:
        assert len(store.table("wb_gdp")) == 12


def test_invalid_release_is_refused_before_the_swap(
    tmp_path: Path, served: dict[str, str], replay: Replay
) -> None:
    """A year outside 1960–2100 fails validation; the stored release stays whole."""
    db = tmp_path / "s.duckdb"
    _run(db, ["worldbank"], served)
    page2 = (REPLAY / "worldbank" / "gdp_page2.json").read_text()
    bad = page2.replace('"date": "2013"', '"date": "1850"', 1).encode()

    def pages(q: dict[str, list[str]], b: bytes) -> Answer:
        return (200, "application/json", bad) if q.get("page") == ["2"] else _wb_pages(q, b)

    replay.add("/wb/v2/country/all/indicator/NY.GDP.MKTP.CD", pages)
    out = _run(db, ["worldbank"], served)
    assert "year 1850 is outside 1960–2100" in out.loc["wb_gdp", "status"]
    with Store(db, read_only=True) as store:
        assert len(store.table("wb_gdp")) == 12
        assert store.provenance()["version"].tolist() == ["WDI, last updated 2025-07-01"]


def test_short_answer_is_refused(tmp_path: Path, served: dict[str, str], replay: Replay) -> None:
    """meta.total says 20 rows; a lost page 2 (empty rows) must not pass as a release."""
    page2 = json.loads((REPLAY / "worldbank" / "gdp_page2.json").read_text())
    page2[1] = []
    empty = json.dumps(page2).encode()

    def pages(q: dict[str, list[str]], b: bytes) -> Answer:
        return (200, "application/json", empty) if q.get("page") == ["2"] else _wb_pages(q, b)

    replay.add("/wb/v2/country/all/indicator/NY.GDP.MKTP.CD", pages)
    out = _run(tmp_path / "s.duckdb", ["worldbank"], served)
    assert "announced 20 rows but 10 arrived" in out.loc["wb_gdp", "status"]
    assert not (tmp_path / "s.duckdb").exists()


def test_retries_with_backoff_after_503(
    tmp_path: Path, served: dict[str, str], replay: Replay
) -> None:
    replay.fail_first["/wb/v2/country"] = 2
    out = _run(tmp_path / "s.duckdb", ["worldbank"], served)
    assert out.loc["wb_gdp", "status"] == "new table"
    assert sum(p.startswith("/wb/v2/country?") for _, p in replay.log) == 3


def test_dry_run_reports_new_release_and_extended_years_without_writing(
    tmp_path: Path, served: dict[str, str]
) -> None:
    """An older release (2013 and 2022 only) in the store; the replay adds 2023."""
    db = tmp_path / "s.duckdb"
    _run(db, ["worldbank"], served)
    with Store(db) as store:
        store.con.execute("DELETE FROM wb_gdp WHERE year = 2023")
        store.con.execute("UPDATE _provenance SET version = 'WDI, last updated 2024-12-16'")
    before = db.read_bytes()
    out = _run(db, ["wb_gdp"], served, dry_run=True)
    row = out.loc["wb_gdp"]
    assert row["status"] == "new release, years extended to 2023 (dry run)"
    assert (row["rows_added"], row["rows_removed"], row["last_year_old"]) == (4, 0, 2022)
    assert db.read_bytes() == before
    assert not (tmp_path / "s.duckdb.update").exists()


def test_dry_run_on_missing_store_creates_nothing(tmp_path: Path, served: dict[str, str]) -> None:
    db = tmp_path / "none.duckdb"
    out = _run(db, ["imf"], served, dry_run=True)
    assert out.loc["dots", "status"].startswith("new release")  # against the vendored extract
    assert out.loc["dots", "version_old"].endswith("(vendored)")
    # the vendored extract has 1580 dyad-years; the replay's RU-CN ones are among them
    assert (out.loc["dots", "rows_old"], out.loc["dots", "rows_added"]) == (1580, 1)
    assert list(tmp_path.iterdir()) == []


def test_base_url_from_environment_variable(
    tmp_path: Path, served: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DYADSCOPE_GDELT_URL", served["gdelt"])
    changes = update(tmp_path / "s.duckdb", ["gdelt"], today=TODAY)
    assert changes[0].status == "new table"
    assert changes[0].query_url == f"{served['gdelt']}/masterfilelist.txt"


# ---- IMF ----------------------------------------------------------------------------


def test_imf_imts_loads_dots_with_reporters_and_world(
    tmp_path: Path, served: dict[str, str], replay: Replay
) -> None:
    """Values as the DOTS extract reports them (MANIFEST §7): RU→CN 2013 X 35.625 bn."""
    db = tmp_path / "s.duckdb"
    out = _run(db, ["dots"], served, countries=["Russia", "CHN"])
    assert out.loc["dots", "rows_new"] == 7  # 3 years x 2 directions + RUS→WLD 2020
    query = next(p for _, p in replay.log if "IMTS" in p)
    assert "/IMTS/+/CHN+RUS.XG_FOB_USD+MG_CIF_USD.*.A" in query
    with Store(db, read_only=True) as store:
        dots = store.table("dots").set_index(["reporter_iso3", "partner_iso3", "year"])
        prov = store.provenance().set_index("table").loc["dots"]
    assert dots.loc[("RUS", "CHN", 2013), "exports_usd"] == pytest.approx(35625419976.0)
    assert dots.loc[("CHN", "RUS", 2020), "imports_usd"] == pytest.approx(57092100180.0)
    assert pd.isna(dots.loc[("RUS", "WLD", 2020), "imports_usd"])  # NaN in SDMX stays NA
    assert "G110" not in set(dots.index.get_level_values(1))
    assert prov["version"] == "IMTS IMF.STA:IMTS(1.0.0), data to 2020"
    assert prov["dataset"] == "dots"


def test_imf_default_reporters_are_the_current_ones_plus_rus_chn(
    tmp_path: Path, served: dict[str, str], replay: Replay
) -> None:
    """No dots in the store: the vendored extract's six reporters; then the store's."""
    db = tmp_path / "s.duckdb"
    _run(db, ["imf"], served, dry_run=True)
    query = next(p for _, p in replay.log if "IMTS" in p)
    assert "/IMTS/+/BRA+CHN+IND+MEX+RUS+URY." in query
    _run(db, ["imf"], served, countries=["IND"])
    _run(db, ["imf"], served, dry_run=True)
    assert "/IMTS/+/CHN+RUS." in [p for _, p in replay.log if "IMTS" in p][-1]


def test_sdmx_csv_bad_value_names_line_and_field() -> None:
    text = (REPLAY / "imf" / "imts_annual.csv").read_text().replace("53173.086204", "n/a")
    with pytest.raises(SchemaError, match=r"line 3, field OBS_VALUE: 'n/a'"):
        parse_sdmx_csv(text, "imts.csv")


# ---- UN Digital Library -------------------------------------------------------------


def test_undl_newest_file_checksummed_and_loaded(
    tmp_path: Path, served: dict[str, str], replay: Replay
) -> None:
    db = tmp_path / "s.duckdb"
    out = _run(db, ["unvotes"], served)
    assert out.loc["unga_votes", "status"] == "new release"  # against the vendored unvotes
    assert "ZZZ" in out.loc["unga_votes", "note"]
    downloads = [p for _, p in replay.log if p.startswith("/undl/record/")]
    assert downloads == ["/undl/record/4060887/files/2025_9_19_ga_voting.csv"]
    with Store(db, read_only=True) as store:
        votes = store.table("unga_votes")
        calls = store.table("unga_rollcalls").set_index("rcid")
        prov = store.provenance().set_index("table")
    # blank (IND on 4100001) is an absence, not a row; Y/N/A become yes/no/abstain
    assert len(votes) == 10
    got = votes.set_index(["rcid", "iso3"])["vote"]
    assert (got[(4100002, "CHN")], got[(4100002, "RUS")]) == ("abstain", "no")
    assert calls.loc[4100003, "year"] == 1975 and calls.loc[4100001, "session"] == 79
    assert prov.loc["unga_votes", "version"] == "UNDL GA voting data 2025_9_19_ga_voting"
    assert prov.loc["unga_rollcalls", "sha256"] == prov.loc["unga_votes", "sha256"]


def test_undl_checksum_mismatch_fails_and_replaces_nothing(
    tmp_path: Path, served: dict[str, str], replay: Replay
) -> None:
    listing = (REPLAY / "undl" / "files_4060887.json").read_text()
    good = hashlib.md5((REPLAY / "undl" / "2025_9_19_ga_voting.csv").read_bytes()).hexdigest()
    bad = listing.replace(good, "f" * 32).encode()
    replay.add("/undl/api/v1/file", lambda _q, _b: (200, "application/json", bad))
    db = tmp_path / "s.duckdb"
    _run(db, ["gdelt"], served)
    before = db.read_bytes()
    out = _run(db, ["undl"], served)
    assert out.loc["unga_votes", "status"].startswith("failed:")
    assert "md5" in out.loc["unga_votes", "status"]
    with Store(db, read_only=True) as store:
        assert store.tables() == ["gdelt_files"]
    assert db.read_bytes() == before


def test_undl_resumes_a_partial_download(
    tmp_path: Path, served: dict[str, str], replay: Replay
) -> None:
    """A .part file left by an interrupted run is completed with a Range request."""
    data = (REPLAY / "undl" / "2025_9_19_ga_voting.csv").read_bytes()
    part = tmp_path / "s.duckdb.update" / "undl" / "2025_9_19_ga_voting.csv.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(data[:1000])
    out = _run(tmp_path / "s.duckdb", ["undl"], served)
    assert out.loc["unga_votes", "version_new"] == "UNDL GA voting data 2025_9_19_ga_voting"
    assert not part.parent.exists()  # staging removed after the swap


# ---- SIPRI, GDELT, Comtrade ---------------------------------------------------------


def test_sipri_trade_register_through_the_adapter(tmp_path: Path, served: dict[str, str]) -> None:
    db = tmp_path / "s.duckdb"
    out = _run(db, ["sipri"], served)
    assert out.loc["sipri_transfers", "version_new"] == (
        "trade register generated 12 Feb 2026 12:26:12 PM"
    )
    with Store(db, read_only=True) as store:
        tr = store.table("sipri_transfers")
    ru_cn = tr[(tr["supplier_iso3"] == "RUS") & (tr["recipient_iso3"] == "CHN")]
    assert ru_cn.set_index("year")["tiv"].to_dict() == {
        2017: 65.0,
        2018: 65.0,
        2019: 97.5,
        2020: 97.5,
    }


def test_sipri_answer_without_base64_fails_cleanly(
    tmp_path: Path, served: dict[str, str], replay: Replay
) -> None:
    replay.add(
        "/sipri/api/p/trades/trade-register-csv/",
        lambda _q, _b: (200, "application/json", b'{"bytes": "not base64!"}'),
        method="POST",
    )
    out = _run(tmp_path / "s.duckdb", ["sipri"], served)
    assert "base64" in out.loc["sipri_transfers", "status"]


def test_milex_newest_workbook_with_manifest_figures(
    tmp_path: Path, served: dict[str, str], replay: Replay, shared_data: Path
) -> None:
    """2025 and 2024 are not out (404); the 2023 release is read. MANIFEST §14 figures."""
    book = shared_data / "sipri" / "SIPRI-Milex-data-1949-2023.xlsx"
    replay.add(
        "/milex/sites/default/files/SIPRI-Milex-data-1949-2023.xlsx",
        _file(book, "application/octet-stream"),
    )
    db = tmp_path / "s.duckdb"
    out = _run(db, ["milex"], served)
    assert out.loc["sipri_milex", "version_new"] == "SIPRI Milex 1949-2023"
    with Store(db, read_only=True) as store:
        mx = store.table("sipri_milex").set_index(["iso3", "year"])["milex_usd_m"]
    assert mx[("RUS", 2014)] == pytest.approx(84696.5, abs=0.05)
    assert mx[("CHN", 2014)] == pytest.approx(182109.2, abs=0.05)
    assert mx[("USA", 2014)] == pytest.approx(647789, abs=0.5)
    assert mx[("RUS", 2000)] == pytest.approx(9228.2, abs=0.05)


def test_gdelt_master_list(tmp_path: Path, served: dict[str, str]) -> None:
    db = tmp_path / "s.duckdb"
    out = _run(db, ["gdelt"], served)
    assert out.loc["gdelt_files", "rows_new"] == 6
    with Store(db, read_only=True) as store:
        files = store.table("gdelt_files")
    assert sorted(files["kind"].unique()) == ["export", "gkg", "mentions"]
    assert (files["year"].min(), files["year"].max()) == (2015, 2019)


def test_gdelt_malformed_line_names_it() -> None:
    with pytest.raises(SchemaError, match="line 2"):
        parse_master_list("1 " + "a" * 32 + " http://x/20150218230000.export.CSV.zip\nbad\n", "m")


def test_comtrade_skipped_without_key(
    tmp_path: Path, served: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COMTRADE_API_KEY", raising=False)
    out = _run(tmp_path / "s.duckdb", ["comtrade"], served)
    assert out.loc["comtrade", "status"].startswith("skipped: UN Comtrade needs an API key")
    assert "comtrade" not in {
        c.provider
        for c in update(
            tmp_path / "x.duckdb", dry_run=True, base_urls=served, today=TODAY, retries=0
        )
    }


def test_comtrade_with_key_sends_header(
    tmp_path: Path, served: dict[str, str], replay: Replay
) -> None:
    db = tmp_path / "s.duckdb"
    out = _run(db, ["comtrade"], served, api_keys={"comtrade": "k"})
    assert out.loc["comtrade", "status"] == "new table"
    assert {h.get("Ocp-Apim-Subscription-Key") for h in replay.headers} == {"k"}
    with Store(db, read_only=True) as store:
        ct = store.table("comtrade").set_index(["reporter_iso3", "partner_iso3", "year"])
    assert ct.loc[("RUS", "CHN", 2013), "imports_usd"] == pytest.approx(53173086204.0)
    assert ("RUS", "WLD", 2013) in ct.index


def test_unknown_provider_lists_the_known_ones() -> None:
    with pytest.raises(UnknownDataset, match="worldbank"):
        resolve_provider("nope")


# ---- CLI ----------------------------------------------------------------------------


def test_cli_update_dry_run_and_failure_exit_code(tmp_path: Path, served: dict[str, str]) -> None:
    runner = CliRunner()
    db = tmp_path / "s.duckdb"
    args = ["data", "update", "worldbank", "--dry-run", "--store", str(db)]
    result = runner.invoke(app, [*args, "--base-url", f"worldbank={served['worldbank']}"])
    assert result.exit_code == 0, result.output
    assert "dry run" in result.output and not db.exists()
    result = runner.invoke(
        app,
        [
            "data",
            "update",
            "gdelt",
            "--store",
            str(db),
            "--base-url",
            f"gdelt={served['gdelt']}/missing",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 1
    assert "failed" in result.output
    assert not db.exists()  # a first update that wrote nothing leaves no empty store


def test_cli_bad_base_url_option(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["data", "update", "--base-url", "imf", "--dry-run"])
    assert result.exit_code == 2
    assert "PROVIDER=URL" in result.output
