"""Reproductions of the data-layer defects a probe found (issue 9), one test per defect.

Each test reproduces the probe's recipe on a small scale and asserts the behaviour the
fix guarantees; each failed before its fix.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import duckdb
import pytest
from filelock import FileLock

from dyadscope.data.fetch import download, fetch_dataset
from dyadscope.data.registry import load_file
from dyadscope.data.store import Store, load_into, open_for_writing
from dyadscope.errors import ChecksumMismatch, FetchError, InputError, SchemaError, StoreError

HEADER = "ccode,year,milex,milper,irst,pec,tpop,upop,cinc\n"
GOOD = HEADER + "365,2010,1,2,3,4,5,6,0.04\n710,2010,1,2,3,4,5,6,0.2\n"


def _tables(path: Path) -> list[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        return sorted(r[0] for r in con.execute("SHOW TABLES").fetchall())


def _cli(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "dyadscope", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=os.environ.copy(),
    )


# --- 1. two first loads at once -------------------------------------------------------


def test_concurrent_first_loads_keep_the_store(tmp_path: Path, shared_data: Path) -> None:
    """Probe: two first ``data load`` runs into one new store; the loser deleted the store.

    Now the second run waits for the first (a lock beside the store), so both succeed and
    the store holds both tables; two rounds, since the race is timing-dependent.
    """
    cow = shared_data / "cow"
    for round_ in range(2):
        target = tmp_path / f"n{round_}.duckdb"
        runs = [
            _cli("data", "load", "nmc", "--file", str(cow / "cow_nmc_v7.csv"), "--store", str(target)),  # noqa: E501
            _cli(
                "data", "load", "cow_trade_national",
                "--file", str(cow / "cow_trade_v4_national.csv"), "--store", str(target),
            ),
        ]  # fmt: skip
        outputs = [run.communicate(timeout=120)[0] for run in runs]  # closes the pipes
        for run, text in zip(runs, outputs, strict=True):
            assert run.returncode == 0, text
        assert target.is_file()
        assert _tables(target) == ["_provenance", "cow_trade_national", "nmc"]


def test_busy_store_is_a_clear_error_and_is_not_deleted(tmp_path: Path) -> None:
    """While another process writes (holds the lock), a load waits, then fails cleanly."""
    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    target = tmp_path / "busy.duckdb"
    with FileLock(str(target) + ".lock"):
        with pytest.raises(StoreError, match=r"busy\.duckdb is busy"):
            load_into("nmc", good, target, lock_timeout=0.2)
        assert not target.exists()
    load_into("nmc", good, target)
    assert _tables(target) == ["_provenance", "nmc"]


def test_failed_first_load_from_python_leaves_no_file(tmp_path: Path) -> None:
    """Issue 10: the cleanup lives in the library, so Python callers get it too."""
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "365,2010,x,2,3,4,5,6,0.04\n")
    target = tmp_path / "sub" / "new.duckdb"
    with pytest.raises(SchemaError, match="'x' is not a number"):
        load_into("nmc", bad, target)
    assert sorted(p.name for p in target.parent.iterdir() if p.suffix != ".lock") == []


def test_failed_load_never_deletes_an_existing_store(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(GOOD)
    bad.write_text(HEADER + "365,2010,x,2,3,4,5,6,0.04\n")
    target = tmp_path / "kept.duckdb"
    with Store(target) as db:  # created by someone else, outside open_for_writing
        load_file("nmc", good, db)
    with pytest.raises(SchemaError):
        load_into("nmc", bad, target)
    with open_for_writing(target) as db:
        assert len(db.table("nmc")) == 2


# --- 2. rows with missing fields ------------------------------------------------------


def _nmc_rows(store_path: Path) -> int:
    with duckdb.connect(str(store_path), read_only=True) as con:
        return con.execute("SELECT count(*) FROM nmc").fetchone()[0]  # type: ignore[index]


def test_file_cut_mid_row_is_rejected_naming_the_line(tmp_path: Path, shared_data: Path) -> None:
    """Probe: ``head -c 505388 cow_nmc_v7.csv`` replaced the 17,121-row table with 8,619 rows.

    The cut leaves line 8620 as ``366,2022,812000.0,7.0,0.0,3012.0,1`` (7 of 9 fields).
    """
    full = shared_data / "cow" / "cow_nmc_v7.csv"
    cut = tmp_path / "cut.csv"
    cut.write_bytes(full.read_bytes()[:505388])
    target = tmp_path / "s.duckdb"
    assert load_into("nmc", full, target).rows == 17121  # MANIFEST: NMC v7 has 17,121 rows
    with pytest.raises(
        SchemaError, match=r"cut\.csv: data row 8619 \(line 8620\) has 7 field\(s\).*'upop'"
    ):
        load_into("nmc", cut, target)
    assert _nmc_rows(target) == 17121


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("710,2010,1,2,3,4,5", r"data row 2 \(line 3\) has 7 field\(s\).*cut short"),
        ("710,2010,1,2,3,4,5,6,0.2,9", r"data row 2 \(line 3\) has 10 field\(s\).*too long"),
    ],
)
def test_short_or_long_row_in_the_middle_is_rejected(
    row: str, message: str, tmp_path: Path
) -> None:
    """Probe: a short row in the middle was accepted with NULLs (a long one was rejected)."""
    path = tmp_path / "mid.csv"
    path.write_text(HEADER + "365,2010,1,2,3,4,5,6,0.04\n" + row + "\n2,2010,1,2,3,4,5,6,0.1\n")
    with pytest.raises(SchemaError, match=r"mid\.csv: " + message):
        load_file("nmc", path, Store())


# --- 3. bounded reading ------------------------------------------------------------------


def test_gzip_bomb_is_refused_early(tmp_path: Path) -> None:
    """A .gz expanding far beyond any real CSV is refused once it passes the ratio."""
    import gzip

    bomb = tmp_path / "bomb.csv.gz"
    filler = b"0" * (1 << 20)
    with gzip.open(bomb, "wb", compresslevel=9) as fh:
        fh.write(HEADER.encode())
        for _ in range(64):  # 64 MiB of zeros compress to about 64 KiB
            fh.write(filler)
    with pytest.raises(SchemaError, match=r"bomb\.csv\.gz: the gzip data expands more than 100"):
        load_file("nmc", bomb, Store())


def test_size_limit_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dyadscope.data.validate as validate

    path = tmp_path / "big.csv"
    path.write_text(GOOD * 10)
    monkeypatch.setattr(validate, "MAX_DATA_BYTES", 100)
    with pytest.raises(SchemaError, match=r"big\.csv: larger than 100 bytes uncompressed"):
        load_file("nmc", path, Store())


def test_reading_streams_in_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a tiny block, a file spanning many blocks loads whole, rows numbered across them."""
    import dyadscope.data.validate as validate

    monkeypatch.setattr(validate, "CHUNK_BYTES", 64)
    rows = "".join(f"365,{1900 + i},1,2,3,4,5,6,0.04\n" for i in range(200))
    path = tmp_path / "many.csv"
    path.write_text(HEADER + rows + "365,2100,1,2,x,4,5,6,0.04\n")
    with pytest.raises(SchemaError, match=r"data row 201 \(line 202\), column 'irst': 'x'"):
        load_file("nmc", path, Store())
    path.write_text(HEADER + rows)
    store = Store()
    load_file("nmc", path, store)
    assert store.table("nmc")["year"].tolist() == list(range(1900, 2100))


# --- 5. disk full or read-only store -----------------------------------------------------


def _mount(args: list[str]) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs or a read-only bind mount")
    done = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"mount failed here: {done.stderr.strip()}")


@pytest.fixture()
def small_disk(tmp_path: Path):
    """A 1200 KiB tmpfs: room for a store of two rows (1036 KiB), not the NMC table (1292 KiB)."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    _mount(["-t", "tmpfs", "-o", "size=1200k", "tmpfs", str(mnt)])
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


@pytest.fixture()
def read_only_dir(tmp_path: Path):
    """``(src, ro)``: ``ro`` shows ``src`` through a read-only bind mount."""
    src, ro = tmp_path / "src", tmp_path / "ro"
    src.mkdir()
    ro.mkdir()
    _mount(["--bind", str(src), str(ro)])
    done = subprocess.run(
        ["mount", "-o", "remount,bind,ro", str(ro)], capture_output=True, check=False
    )
    if done.returncode != 0:
        subprocess.run(["umount", "-l", str(ro)], check=False)
        pytest.skip("read-only remount failed here")
    yield src, ro
    subprocess.run(["umount", "-l", str(ro)], check=False)


def test_disk_full_is_a_clear_error_and_keeps_the_store(
    small_disk: Path, tmp_path: Path, shared_data: Path
) -> None:
    """Probe: a full disk during ``data load`` ended in a DuckDB traceback."""
    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    target = small_disk / "s.duckdb"
    load_into("nmc", good, target)
    nmc = shared_data / "cow" / "cow_nmc_v7.csv"
    with pytest.raises(StoreError, match=r"s\.duckdb: No space left on device"):
        load_into("nmc", nmc, target)
    assert _nmc_rows(target) == 2
    fresh = small_disk / "fresh.duckdb"
    with pytest.raises(StoreError, match=r"fresh\.duckdb: No space left on device"):
        load_into("nmc", nmc, fresh)
    assert not fresh.exists()
    assert not [p.name for p in small_disk.iterdir() if ".new" in p.name]  # no temporary store


def test_read_only_store_is_a_clear_error(read_only_dir: tuple[Path, Path]) -> None:
    src, ro = read_only_dir
    good = src / "good.csv"
    good.write_text(GOOD)
    load_into("nmc", good, src / "s.duckdb")
    for name in ("s.duckdb", "new.duckdb", "sub/new.duckdb"):
        with pytest.raises(StoreError, match=r"Read-only file system"):
            load_into("nmc", good, ro / name)
    assert _nmc_rows(src / "s.duckdb") == 2


def test_cli_disk_full_has_no_traceback(small_disk: Path, shared_data: Path) -> None:
    from typer.testing import CliRunner

    from dyadscope.cli import app

    nmc = shared_data / "cow" / "cow_nmc_v7.csv"
    args = ["data", "load", "nmc", "--file", str(nmc), "--store", str(small_disk / "c.duckdb")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert "No space left on device" in result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, duckdb.Error)


# --- 4. data fetch -------------------------------------------------------------------------

DATA = b"ccode,year\n" + b"".join(b"365,%d\n" % y for y in range(1816, 2000))


class _Probe(BaseHTTPRequestHandler):
    """One scripted answer per test (``mode``), like the servers the probe met."""

    mode: ClassVar[str] = "ok"
    requests: ClassVar[list[dict[str, str | None]]] = []

    def log_message(self, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        self.requests.append({"range": self.headers.get("Range")})
        mode = self.mode
        if mode == "html":
            body = b"<html><body>Please log in</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif mode == "html_as_csv":
            body = b"\n  <!DOCTYPE html><title>404</title>"
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif mode == "no_length_cut":  # HTTP/1.0: the body ends when the server closes
            self.send_response(200)
            self.end_headers()
            self.wfile.write(DATA[: len(DATA) // 2])
        elif mode == "trickle":
            self.send_response(200)
            self.send_header("Content-Length", str(len(DATA)))
            self.end_headers()
            try:
                for byte in DATA:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.3)
            except OSError:
                pass
        else:  # no validator: a resume cannot be checked
            self.send_response(200)
            self.send_header("Content-Length", str(len(DATA)))
            self.end_headers()
            self.wfile.write(DATA)


@pytest.fixture()
def probe_server() -> Iterator[str]:
    _Probe.mode, _Probe.requests = "ok", []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Probe)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/nmc.csv"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_fetch_refuses_a_body_cut_without_content_length(probe_server: str, tmp_path: Path) -> None:
    _Probe.mode = "no_length_cut"
    with pytest.raises(FetchError, match="no Content-Length") as info:
        download(probe_server, tmp_path, progress=False, backoff=0)
    assert ".part" not in str(info.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("mode", ["html", "html_as_csv"])
def test_fetch_refuses_html_pages(mode: str, probe_server: str, tmp_path: Path) -> None:
    _Probe.mode = mode
    with pytest.raises(FetchError, match="sent an HTML page"):
        download(probe_server, tmp_path, progress=False, backoff=0)
    assert list(tmp_path.iterdir()) == []
    assert len(_Probe.requests) == 1  # not retried


def test_fetch_never_splices_a_stale_part(probe_server: str, tmp_path: Path) -> None:
    """Probe: a ``.part`` of another file was resumed, giving a splice of two files."""
    (tmp_path / "nmc.csv.part").write_bytes(b"<another file's first bytes>")
    path = download(probe_server, tmp_path, progress=False)
    assert path.read_bytes() == DATA
    assert _Probe.requests == [{"range": None}]


def test_fetch_has_an_overall_deadline(probe_server: str, tmp_path: Path) -> None:
    """Probe: a server sending one byte every few seconds held the download forever."""
    _Probe.mode = "trickle"
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"did not finish within 1 s") as info:
        download(probe_server, tmp_path, progress=False, deadline=1.0)
    assert time.monotonic() - started < 5
    assert ".part" not in str(info.value)  # no validator: nothing resumable is kept
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "url", ["ftp://example.org/nmc.csv", "file:///etc/passwd", "javascript:alert(1)", "nmc.csv"]
)
def test_fetch_rejects_unsupported_schemes_at_once(url: str, tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(InputError, match="only http and https"):
        fetch_dataset("nmc", tmp_path, url=url, progress=False)
    assert time.monotonic() - started < 1  # refused, not retried five times


def test_fetch_verifies_the_published_checksum(
    probe_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Probe: no adapter's checksum was ever checked; a provider's published one now is."""
    from dyadscope.data.adapters.nmc import NMC

    monkeypatch.setattr(NMC, "fetch_url", probe_server)
    monkeypatch.setattr(NMC, "fetch_sha256", "0" * 64)
    with pytest.raises(ChecksumMismatch, match="sha256"):
        fetch_dataset("nmc", tmp_path, progress=False)
    monkeypatch.setattr(NMC, "fetch_sha256", hashlib.sha256(DATA).hexdigest())
    assert fetch_dataset("nmc", tmp_path, progress=False).read_bytes() == DATA
    with pytest.raises(ChecksumMismatch):  # an explicit checksum also holds for --url
        fetch_dataset("nmc", tmp_path / "b", url=probe_server, sha256="1" * 64, progress=False)
