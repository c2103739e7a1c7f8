"""GDELT fetch against a local HTTP server: lists, selection, failures, resume, ingest.

Never the real network: a ``ThreadingHTTPServer`` on 127.0.0.1 serves fixture files
and misbehaves on purpose (500 answers, dropped connections, corrupt archives).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dyadscope.errors import InputError, MissingData
from dyadscope.events.fetch import (
    BASE_URLS,
    fetch_gdelt,
    parse_index_v1,
    parse_master_v2,
    select_files,
)
from dyadscope.events.synth import synthesize

DAY = dt.date(2019, 10, 24)


@dataclass
class Route:
    """What the server answers for one path: a body and a script of misbehaviours."""

    body: bytes
    script: list[str] = field(default_factory=list)  # "500" or "drop", used up in order


@dataclass
class Server:
    base: str
    routes: dict[str, Route]
    log: list[tuple[str, str | None]]  # (path, Range header) of every request

    def requests(self, name: str) -> list[str | None]:
        return [rng for path, rng in self.log if path == "/" + name]


def _handler(routes: dict[str, Route], log: list) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep pytest output clean
            pass

        def do_GET(self) -> None:
            log.append((self.path, self.headers.get("Range")))
            route = routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            action = route.script.pop(0) if route.script else "ok"
            if action == "500":
                self.send_error(500)
                return
            body, status, start = route.body, 200, 0
            if self.headers.get("Range"):
                start = int(self.headers["Range"].split("=")[1].rstrip("-"))
                status = 206
            self.send_response(status)
            self.send_header("ETag", '"fixture"')  # a validator: downloads resume only with one
            self.send_header("Content-Length", str(len(body) - start))
            if status == 206:
                self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
            self.end_headers()
            if action == "drop":  # half the bytes, then the connection dies
                self.wfile.write(body[start : start + (len(body) - start) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(body[start:])

    return Handler


@pytest.fixture
def server() -> Iterator[Server]:
    routes: dict[str, Route] = {}
    log: list = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(routes, log))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{httpd.server_port}/", routes, log)
    finally:
        httpd.shutdown()
        httpd.server_close()


def _zip(name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, data)
    return buf.getvalue()


def _md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def _synthetic_csv(tmp: Path, first_id: int, rows: int = 300) -> bytes:
    files = synthesize(rows, tmp / str(first_id), rows_per_file=rows, first_id=first_id).files
    return files[0].read_bytes()


@pytest.fixture
def v2_site(server: Server, shared_data: Path, tmp_path: Path) -> Server:
    """A GDELT 2.0 folder: a master list and five exports of 2019-10-24, one of the 25th."""
    real = (shared_data / "gdelt/20191024143000.export.CSV").read_bytes()
    good = _zip("20191024143000.export.CSV", real)
    after_500 = _zip("20191024144500.export.CSV", _synthetic_csv(tmp_path, 10_000_000))
    # Large enough (~230 kB) that the first attempt writes whole chunks before it dies.
    resumed = _zip("20191024150000.export.CSV", _synthetic_csv(tmp_path, 20_000_000, 3_000))
    corrupt = good[: len(good) // 3]  # listed with its own MD5: downloads fine, is no zip
    mismatch = _zip("20191024153000.export.CSV", b"1\t2\n")
    later = _zip("20191025000000.export.CSV", real)
    files = {
        "20191024143000.export.CSV.zip": (Route(good), _md5(good)),
        "20191024144500.export.CSV.zip": (Route(after_500, ["500"]), _md5(after_500)),
        "20191024150000.export.CSV.zip": (Route(resumed, ["drop"]), _md5(resumed)),
        "20191024151500.export.CSV.zip": (Route(corrupt), _md5(corrupt)),
        "20191024153000.export.CSV.zip": (Route(mismatch), _md5(b"something else")),
        "20191025000000.export.CSV.zip": (Route(later), _md5(later)),
    }
    lines = []
    for name, (route, md5) in files.items():
        server.routes["/" + name] = route
        official = f"http://data.gdeltproject.org/gdeltv2/{name}"
        lines.append(f"{len(route.body)} {md5} {official}")
        lines.append(
            f"318084 bb27f78ba45f69a17ea6ed7755e9f8ff {official.replace('export', 'mentions')}"
        )
    lines.append("")  # GDELT's list ends with a blank line
    server.routes["/masterfilelist.txt"] = Route("\n".join(lines).encode())
    return server


def test_fetch_v2_verifies_every_file_and_reports_each_failure(
    v2_site: Server, tmp_path: Path
) -> None:
    seen: list[tuple[int, int, str, str]] = []
    result = fetch_gdelt(
        2, DAY, DAY, dest=tmp_path / "zips", base_url=v2_site.base, ingest=False,
        backoff=0.01, on_file=lambda *a: seen.append(a),
    )  # fmt: skip
    status = dict(zip(result.files["name"], result.files["status"], strict=True))
    assert status == {
        "20191024143000.export.CSV.zip": "downloaded",
        "20191024144500.export.CSV.zip": "downloaded",  # after one 500
        "20191024150000.export.CSV.zip": "downloaded",  # resumed after a drop
        "20191024151500.export.CSV.zip": "failed",  # corrupt zip
        "20191024153000.export.CSV.zip": "failed",  # checksum mismatch
    }
    detail = dict(zip(result.files["name"], result.files["detail"], strict=True))
    assert "zip" in detail["20191024151500.export.CSV.zip"]
    assert "md5" in detail["20191024153000.export.CSV.zip"]
    # Nothing bad is left in the folder; the good files are byte-exact.
    kept = sorted(p.name for p in (tmp_path / "zips").iterdir() if not p.name.startswith("."))
    assert kept == sorted(n for n, s in status.items() if s == "downloaded")
    for name in kept:
        assert (tmp_path / "zips" / name).read_bytes() == v2_site.routes["/" + name].body
    # The 500 was retried; the dropped transfer resumed with a Range request.
    assert len(v2_site.requests("20191024144500.export.CSV.zip")) == 2
    first, second = v2_site.requests("20191024150000.export.CSV.zip")
    half = len(v2_site.routes["/20191024150000.export.CSV.zip"].body) // 2
    assert first is None and second is not None
    assert 0 < int(second.removeprefix("bytes=").rstrip("-")) <= half
    # The file of the 25th was never asked for; progress was reported per file.
    assert v2_site.requests("20191025000000.export.CSV.zip") == []
    assert [s[:2] for s in seen] == [(i, 5) for i in range(1, 6)]
    assert len(result.failed) == 2


def test_a_second_fetch_downloads_nothing_again(v2_site: Server, tmp_path: Path) -> None:
    dest = tmp_path / "zips"
    fetch_gdelt(2, DAY, DAY, dest=dest, base_url=v2_site.base, ingest=False, backoff=0.01)
    before = len(v2_site.log)
    again = fetch_gdelt(2, DAY, DAY, dest=dest, base_url=v2_site.base, ingest=False, backoff=0.01)
    good = again.files[again.files["status"] != "failed"]
    assert set(good["status"]) == {"present"}
    fetched = {path for path, _ in v2_site.log[before:]}
    assert not fetched & {"/" + n for n in good["name"]}


def test_fetch_ingests_only_the_good_files(v2_site: Server, tmp_path: Path) -> None:
    """The 2,111 real events plus 300 + 3,000 synthetic ones reach the store; bad files do not."""
    from dyadscope.events.catalog import manifest

    store = tmp_path / "store"
    result = fetch_gdelt(
        2, DAY, DAY, dest=tmp_path / "z", store_dir=store, base_url=v2_site.base, backoff=0.01
    )
    assert result.ingest is not None
    m = manifest(store)
    assert int(m["rows_stored"].sum()) == 2_111 + 300 + 3_000
    assert set(m["file_name"].str.split(".").str[0]) == {
        "20191024143000", "20191024144500", "20191024150000",
    }  # fmt: skip


def test_fetch_v1_selects_yearly_monthly_and_daily_files(
    server: Server, shared_data: Path, tmp_path: Path
) -> None:
    daily = _zip(
        "20160728.export.CSV",
        (shared_data / "gdelt/gdelt1_reed9999/20160728.export.CSV").read_bytes(),
    )
    yearly = _zip("1982.csv", (shared_data / "gdelt/gdelt1_reed9999/1982.csv").read_bytes())
    files = {"1982.zip": yearly, "20160728.export.CSV.zip": daily, "201106.zip": daily}
    md5s = [f"{_md5(body)}  {name}" for name, body in files.items()]
    md5s.append(f"{_md5(b'x')}  GDELT.MASTERREDUCEDV2.1979-2013.zip")
    sizes = [f"{len(body)} {name}" for name, body in files.items()]
    server.routes["/md5sums"] = Route("\n".join(md5s).encode())
    server.routes["/filesizes"] = Route("\n".join(sizes).encode())
    for name, body in files.items():
        server.routes["/" + name] = Route(body)
    result = fetch_gdelt(
        1,
        dt.date(1982, 6, 1),
        dt.date(1982, 6, 30),
        dest=tmp_path,
        base_url=server.base,
        ingest=False,
    )
    assert result.files["name"].tolist() == ["1982.zip"]
    result = fetch_gdelt(
        1,
        dt.date(2011, 6, 30),
        dt.date(2016, 7, 28),
        dest=tmp_path,
        base_url=server.base,
        ingest=False,
    )
    assert result.files["name"].tolist() == ["201106.zip", "20160728.export.CSV.zip"]
    assert (tmp_path / "20160728.export.CSV.zip").read_bytes() == daily


def test_master_list_parsing_keeps_exports_only() -> None:
    text = (
        "150383 297a16b493de7cf6ca809a7cc31d0b93 http://data.gdeltproject.org/gdeltv2/20150218230000.export.CSV.zip\n"
        "318084 bb27f78ba45f69a17ea6ed7755e9f8ff http://data.gdeltproject.org/gdeltv2/20150218230000.mentions.CSV.zip\n"
        "10768507 ea8dde0beb0ba98810a92db068c0ce99 http://data.gdeltproject.org/gdeltv2/20150218230000.gkg.csv.zip\n"
        " 2a91041d7e72b0fc6a629e2ff867b240 http://data.gdeltproject.org/gdeltv2/20150218231500.export.CSV.zip\n"
    )
    files = parse_master_v2(text)
    assert [(f.name, f.size, f.md5) for f in files] == [
        ("20150218230000.export.CSV.zip", 150383, "297a16b493de7cf6ca809a7cc31d0b93")
    ]
    # Downloads go to the HTTPS folder, not the plain-HTTP URL the list names.
    assert files[0].url == BASE_URLS[2] + "20150218230000.export.CSV.zip"
    assert files[0].url.startswith("https://")


def test_v1_index_periods_and_selection() -> None:
    md5 = "\n".join(
        f"{'0' * 32}  {n}"
        for n in ("1979.zip", "200602.zip", "20130401.export.CSV.zip", "index.html")
    )
    files = parse_index_v1(md5, "100 1979.zip\n")
    assert [(f.name, f.first, f.last, f.size) for f in files] == [
        ("1979.zip", dt.date(1979, 1, 1), dt.date(1979, 12, 31), 100),
        ("200602.zip", dt.date(2006, 2, 1), dt.date(2006, 2, 28), None),
        ("20130401.export.CSV.zip", dt.date(2013, 4, 1), dt.date(2013, 4, 1), None),
    ]
    assert [f.name for f in select_files(files, dt.date(2006, 2, 28), dt.date(2013, 3, 31))] == [
        "200602.zip"
    ]
    with pytest.raises(InputError, match="start 2014-01-02 is after end 2014-01-01"):
        select_files(files, dt.date(2014, 1, 2), dt.date(2014, 1, 1))


def test_an_empty_selection_says_what_was_asked(v2_site: Server, tmp_path: Path) -> None:
    with pytest.raises(MissingData, match="2001-01-01"):
        fetch_gdelt(
            2,
            dt.date(2001, 1, 1),
            dt.date(2001, 1, 2),
            dest=tmp_path,
            base_url=v2_site.base,
            ingest=False,
        )


def test_cli_fetch_ingests_and_exits_1_listing_the_failures(
    v2_site: Server, tmp_path: Path
) -> None:
    import typer
    from typer.testing import CliRunner

    from dyadscope.cli.events_scale import register_scale_commands

    app = typer.Typer()
    register_scale_commands(app)
    args = ["fetch", "--gdelt", "2", "--from", "2019-10-24", "--to", "2019-10-24"]
    args += [
        "--base-url",
        v2_site.base,
        "--dest",
        str(tmp_path / "z"),
        "--store",
        str(tmp_path / "s"),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "5 files (3 downloaded, 2 failed)" in result.output
    assert "20191024151500.export.CSV.zip" in result.output  # listed as failed
    assert "2111" in result.output.replace(",", "")  # the real export's rows, ingested


_stamps = st.datetimes(min_value=dt.datetime(2015, 2, 18), max_value=dt.datetime(2030, 1, 1))


@given(
    entries=st.lists(
        st.tuples(_stamps, st.integers(1, 10**9), st.binary(min_size=1, max_size=8)),
        max_size=20,
    ),
    start=st.dates(dt.date(2015, 1, 1), dt.date(2030, 1, 1)),
    days=st.integers(0, 400),
)
def test_master_list_round_trip_and_selection(entries: list, start: dt.date, days: int) -> None:
    """Every export line written comes back; selection is exactly the overlapping days."""
    lines, expected = [], []
    for stamp, size, seed in entries:
        name = f"{stamp:%Y%m%d%H%M%S}.export.CSV.zip"
        md5 = _md5(seed)
        lines.append(f"{size} {md5} http://data.gdeltproject.org/gdeltv2/{name}")
        expected.append((name, size, md5, stamp.date()))
    files = parse_master_v2("\n".join(lines))
    assert [(f.name, f.size, f.md5, f.first) for f in files] == expected
    end = start + dt.timedelta(days=days)
    chosen = select_files(files, start, end)
    assert sorted(f.name for f in chosen) == sorted(
        n for n, _, _, d in expected if start <= d <= end
    )
    assert [f.first for f in chosen] == sorted(f.first for f in chosen)
