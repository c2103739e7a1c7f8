"""Reproductions of the events defects found by probing (issues 9 and 10), one test each.

Every test here failed before its fix.  The inputs are built from the real GDELT 2.0
export in ../shared/data (MANIFEST.md §1: 2,111 events) so that stored counts can be
checked exactly: a file of ``n`` good lines plus one bad line must store ``n`` events
and quarantine exactly one line.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from dyadscope.cli import app
from dyadscope.errors import InputError
from dyadscope.events import catalog, ingest
from dyadscope.events.ingest import MAX_LINE_BYTES

runner = CliRunner()


@pytest.fixture(scope="module")
def export_lines(shared_data: Path) -> list[str]:
    """The 2,111 lines of the GDELT 2.0 export (61 tab-separated fields each)."""
    path = shared_data / "gdelt" / "20191024143000.export.CSV"
    return path.read_text(encoding="utf-8").splitlines()


def _write(path: Path, lines: list[str], tail: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n" + tail, encoding="utf-8")
    return path


def _quarantine(store: Path, rel: str | None) -> list[dict[str, str]]:
    assert rel is not None
    with open(store / rel, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --- 1. SQL quoting -------------------------------------------------------------------


def test_a_store_path_with_an_apostrophe_ingests(export_lines: list[str], tmp_path: Path) -> None:
    """``/home/o'brien/...`` made every ingest fail (``SET temp_directory = '...'``)."""
    src = _write(tmp_path / "in" / "a.CSV", export_lines[:20])
    store = tmp_path / "o'brien" / "store"
    report = ingest([src], store)
    (f,) = report.files
    assert (f.status, f.rows_stored) == ("ingested", 20), f.error
    assert len(catalog.committed_files(store)) >= 1


def test_a_crafted_store_path_runs_no_sql_of_its_own(
    export_lines: list[str], tmp_path: Path
) -> None:
    """A store path carrying ``'; COPY ... TO '...'; --`` must not write that file."""
    src = _write(tmp_path / "in" / "a.CSV", export_lines[:5])
    injected = tmp_path / "INJECTED.csv"
    store = tmp_path / f"st_x'; COPY (SELECT 1) TO '{injected}'; --"
    report = ingest([src], store)
    assert not injected.exists()
    assert report.files[0].rows_stored == 5, report.files[0].error


# --- 2. Long lines --------------------------------------------------------------------


def test_a_huge_final_line_is_quarantined_not_dropped(
    export_lines: list[str], tmp_path: Path
) -> None:
    """A final line of 40 MB vanished: not read, not quarantined, file marked ingested."""
    size = 40 << 20
    src = _write(tmp_path / "in" / "a.CSV", export_lines[:30], "x" * size + "\n")
    store = tmp_path / "store"
    (f,) = ingest([src], store).files
    assert f.status == "ingested", f.error
    assert (f.rows_read, f.rows_stored, f.quarantined) == (31, 30, 1)
    assert f.balanced
    (row,) = _quarantine(store, f.quarantine_file)
    assert row["line"] == "31"
    assert row["reason"] == f"line too long: {size} bytes (at most {MAX_LINE_BYTES})"
    assert len(row["raw"]) < 1000


@pytest.mark.parametrize("size", [3 << 20, 20 << 20])
def test_a_long_middle_line_fails_only_itself(
    export_lines: list[str], tmp_path: Path, size: int
) -> None:
    """A 3–20 MB line failed the whole file, good lines included."""
    lines = [*export_lines[:10], "7\t" * (size // 2), *export_lines[10:25]]
    src = _write(tmp_path / "in" / "a.CSV", lines)
    store = tmp_path / "store"
    (f,) = ingest([src], store).files
    assert f.status == "ingested", f.error
    assert (f.rows_read, f.rows_stored, f.quarantined) == (26, 25, 1)
    (row,) = _quarantine(store, f.quarantine_file)
    assert row["line"] == "11" and row["reason"].startswith("line too long: ")


def test_a_long_line_in_a_gzipped_file_is_quarantined(
    export_lines: list[str], tmp_path: Path
) -> None:
    src = tmp_path / "in" / "a.CSV.gz"
    src.parent.mkdir()
    body = "\n".join([*export_lines[:5], "y" * (5 << 20), *export_lines[5:8]]) + "\n"
    src.write_bytes(gzip.compress(body.encode()))
    (f,) = ingest([src], tmp_path / "store").files
    assert (f.status, f.rows_read, f.rows_stored, f.quarantined) == ("ingested", 9, 8, 1)


def test_a_long_line_in_a_header_style_csv_is_quarantined(
    export_lines: list[str], tmp_path: Path
) -> None:
    """The comma-separated derivatives go through their own reader; same rule there."""
    body = _header_csv(export_lines, 12).decode()
    head, *rows = body.splitlines()
    lines = [head, *rows[:6], "z" * (3 << 20), *rows[6:]]
    src = tmp_path / "in" / "bq.csv"
    _write(src, lines, "q" * (33 << 20))
    store = tmp_path / "store"
    (f,) = ingest([src], store).files
    assert (f.status, f.rows_read, f.rows_stored, f.quarantined) == ("ingested", 14, 12, 2)
    rows_q = _quarantine(store, f.quarantine_file)
    assert [r["line"] for r in rows_q] == ["8", "15"]
    assert rows_q[1]["reason"] == f"line too long: {33 << 20} bytes (at most {MAX_LINE_BYTES})"


# --- 3. Broken compressed files -------------------------------------------------------


def _header_csv(export_lines: list[str], n: int) -> bytes:
    from dyadscope.events.schema import GDELT2_COLUMNS

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(GDELT2_COLUMNS)
    for line in export_lines[:n]:
        w.writerow(line.split("\t"))
    return buf.getvalue().encode()


def test_a_truncated_gz_fails_alone_and_the_good_files_are_stored(
    export_lines: list[str], tmp_path: Path
) -> None:
    """A truncated .gz of a header-style file raised EOFError past the handler."""
    folder = tmp_path / "in"
    folder.mkdir()
    whole = gzip.compress(_header_csv(export_lines, 400))
    bad = folder / "bq_export.csv.gz"
    bad.write_bytes(whole[: len(whole) // 2])
    _write(folder / "good.CSV", export_lines[:40])
    store = tmp_path / "store"
    report = ingest([folder], store)
    by_name = {Path(f.path).name: f for f in report.files}
    assert by_name["good.CSV"].rows_stored == 40
    assert by_name["bq_export.csv.gz"].status == "failed"
    error = by_name["bq_export.csv.gz"].error or ""
    assert str(bad) in error and "compressed" in error.lower()
    result = runner.invoke(app, ["events", "ingest", str(folder), "--store", str(store)])
    assert result.exit_code == 1 and "Aborted" not in result.output


def test_a_truncated_gz_of_raw_gdelt_fails_alone(export_lines: list[str], tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    whole = gzip.compress(("\n".join(export_lines[:400]) + "\n").encode())
    (folder / "raw.CSV.gz").write_bytes(whole[: len(whole) // 2])
    _write(folder / "good.CSV", export_lines[500:510])
    report = ingest([folder], tmp_path / "store")
    by_name = {Path(f.path).name: f for f in report.files}
    assert by_name["good.CSV"].rows_stored == 10
    assert by_name["raw.CSV.gz"].status == "failed"
    assert str(folder / "raw.CSV.gz") in (by_name["raw.CSV.gz"].error or "")


# --- 4. Messages ----------------------------------------------------------------------


def test_duckdb_reason_keeps_a_message_holding_a_partition_path() -> None:
    """Disk full was reported as a bare "IOException": the path has ``year=``."""
    from dyadscope.events.parse import duckdb_reason

    exc = duckdb.IOException(
        'IO Error: Could not write file "/s/_staging/ab/parts/year=2019/month=10/x.parquet": '
        "No space left on device"
    )
    assert duckdb_reason(exc).startswith("No space left on device")
    assert "year=2019" in duckdb_reason(exc)


def test_an_empty_input_folder_says_so_and_exits_non_zero(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no GDELT files"):
        ingest([tmp_path / "empty"], tmp_path / "store")
    result = runner.invoke(
        app, ["events", "ingest", str(tmp_path / "empty"), "--store", str(tmp_path / "s")]
    )
    assert result.exit_code != 0
    assert "no GDELT files" in result.output and str(tmp_path / "empty") in result.output


def test_dev_null_is_named_as_not_a_regular_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a regular file"):
        ingest(["/dev/null"], tmp_path / "store")


def test_an_empty_regular_file_is_ingested_with_no_rows(tmp_path: Path) -> None:
    """GDELT has published empty 15-minute exports: an empty file is not an error."""
    (tmp_path / "e.CSV").write_bytes(b"")
    (f,) = ingest([tmp_path / "e.CSV"], tmp_path / "store").files
    assert (f.status, f.rows_read, f.rows_stored) == ("ingested", 0, 0)


def test_fetch_checks_the_dates_before_any_download(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from dyadscope.events import fetch

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("downloaded before checking the arguments")

    monkeypatch.setattr(fetch, "_download", no_network)
    with pytest.raises(InputError, match="start 2019-10-25 is after end 2019-10-24"):
        fetch.fetch_gdelt(2, dt.date(2019, 10, 25), dt.date(2019, 10, 24), dest=tmp_path)
    assert not any(tmp_path.iterdir())


def _root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def test_a_read_only_store_is_a_clear_error_naming_the_path(
    export_lines: list[str], tmp_path: Path
) -> None:
    """A read-only events store gave a traceback."""
    src = _write(tmp_path / "in" / "a.CSV", export_lines[:5])
    store = tmp_path / "store"
    ingest([src], store)
    more = _write(tmp_path / "in" / "b.CSV", export_lines[5:9])
    if _root():
        if subprocess.run(["mount", "--bind", str(store), str(store)]).returncode:
            pytest.skip("mount --bind failed")
        try:
            if subprocess.run(["mount", "-o", "remount,ro,bind", str(store)]).returncode:
                pytest.skip("remount read-only failed")
            _assert_read_only_error(more, store)
        finally:
            subprocess.run(["umount", str(store)], check=False)
    else:
        os.chmod(store, 0o555)
        try:
            _assert_read_only_error(more, store)
        finally:
            os.chmod(store, 0o755)


def _assert_read_only_error(src: Path, store: Path) -> None:
    result = runner.invoke(app, ["events", "ingest", str(src), "--store", str(store)])
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert str(store) in result.output and "not writable" in result.output, result.output


# --- 5. Orphan quarantine files -------------------------------------------------------


def test_quarantine_view_lists_only_committed_quarantine_files(
    export_lines: list[str], tmp_path: Path
) -> None:
    src = _write(tmp_path / "in" / "a.CSV", [*export_lines[:5], "garbage"])
    store = tmp_path / "store"
    ingest([src], store)
    orphan = store / catalog.QUARANTINE_NAME / "0123456789abcdef-orphan.CSV.csv"
    orphan.write_text("source_file,line,reason,raw\norphan.CSV,1,x,y\n", encoding="utf-8")
    # The next commit must not pick the orphan up in the view, and the next run removes it.
    _write(tmp_path / "in" / "b.CSV", [*export_lines[5:8], "junk"])
    ingest([tmp_path / "in" / "b.CSV"], store)
    with catalog.open_catalog(store) as con:
        files = {
            r[0] for r in con.execute("SELECT DISTINCT source_file FROM quarantine").fetchall()
        }
    assert files == {"a.CSV", "b.CSV"}
    assert not orphan.exists()


# --- 6. A dyad of a state with itself -------------------------------------------------


def test_events_series_refuses_a_state_with_itself(tmp_path: Path) -> None:
    result = runner.invoke(app, ["events", "series", "RUS", "rus", "--store", str(tmp_path)])
    assert result.exit_code == 2
    assert "a dyad needs two different states" in result.output


# --- 7. Issue 10 ----------------------------------------------------------------------


def test_events_modules_import_without_fcntl() -> None:
    """``import fcntl`` made the events package (and so the brief) fail on Windows."""
    code = (
        "import sys; sys.modules['fcntl'] = None\n"
        "import dyadscope.events, dyadscope.events.ingest, dyadscope.report\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr


def test_an_engine_refuses_an_unknown_option() -> None:
    from dyadscope.events.engines import get_engine

    with pytest.raises(InputError, match="'master'"):
        get_engine("duckdb", master="local[2]")
    with pytest.raises(InputError, match="'trheads'"):
        get_engine("duckdb", trheads=4)


def test_library_messages_name_parameters_not_cli_flags() -> None:
    import datetime as dt

    from dyadscope.events import fetch, synth, top

    with pytest.raises(InputError) as info:
        fetch.select_files([], dt.date(2010, 1, 1), dt.date(2000, 1, 1))
    assert "--" not in str(info.value)
    with pytest.raises(InputError) as info:
        synth.synthesize(rows=0, out_dir=Path("never-made"))
    assert "--" not in str(info.value)
    with pytest.raises(InputError) as info:
        top.top_events(None, "RUS", "CHN", "2014-5x")
    assert "--" not in str(info.value)


def test_theory_and_cli_use_the_library_series(monkeypatch: pytest.MonkeyPatch) -> None:
    """One events series query: theory and the CLI call :func:`dyadscope.events.series`."""
    import dyadscope.events as ev
    from dyadscope.theory import _events

    calls: list[tuple[str, str, str]] = []

    def fake(store_dir: object, a: str, b: str, **kw: object) -> object:
        import pandas as pd

        calls.append((a, b, str(kw.get("engine"))))
        return pd.DataFrame()

    monkeypatch.setattr(ev, "series", fake)
    _events.dyad_series(Path("nowhere"), "RUS", "CHN", "month", engine="spark")
    runner.invoke(app, ["events", "series", "RUS", "CHN", "--store", "nowhere"])
    assert calls == [("RUS", "CHN", "spark"), ("RUS", "CHN", "duckdb")]


# --- 8. Disk full ---------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs (root only), unmounted after the test."""
    if not _root():
        pytest.skip("mounting a tmpfs needs root")
    mnt = tmp_path / "small"
    mnt.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)], capture_output=True
    )
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_disk_full_fails_the_file_with_a_clear_reason_and_a_rerun_finishes(
    export_lines: list[str], tmp_path: Path, small_disk: Path
) -> None:
    """Disk full was reported as a bare "IOException"; nothing may be half-committed."""
    store = small_disk / "store"
    ingest([_write(tmp_path / "in" / "first.CSV", export_lines[:5])], store)
    filler = small_disk / "filler"
    with open(filler, "wb") as fh:  # leave about 40 kB free
        free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
        fh.write(b"\0" * max(free - (40 << 10), 0))
    big = _write(tmp_path / "in" / "big.CSV", export_lines)
    (f,) = ingest([big], store).files
    assert f.status == "failed"
    assert "No space left on device" in (f.error or ""), f.error
    assert str(big) in (f.error or "")
    assert set(catalog.manifest(store)["file_name"]) == {"first.CSV"}
    filler.unlink()
    (again,) = ingest([big], store).files
    assert (again.status, again.rows_stored, again.duplicates) == ("ingested", 2106, 5)
