"""The events store: counts that balance, idempotence, dedup, quarantine and crash safety."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import duckdb
import pytest

from dyadscope.events import catalog
from dyadscope.events.ingest import LOCK_NAME, ingest, recover


def _variant(src: Path, dest: Path, offset: int, lines: slice = slice(None)) -> Path:
    """A copy of ``src`` whose GLOBALEVENTIDs are shifted by ``offset`` (new, distinct events)."""
    out = []
    for line in src.read_text(encoding="utf-8").splitlines()[lines]:
        gid, rest = line.split("\t", 1)
        out.append(f"{int(gid) + offset}\t{rest}")
    dest.write_text("\n".join(out) + "\n", encoding="utf-8")
    return dest


def _stored_ids(store: Path) -> list[int]:
    files = catalog.committed_files(store)
    con = duckdb.connect()
    try:
        catalog.create_events_view(con, files, temp=True)
        return [r[0] for r in con.execute("SELECT global_event_id FROM events").fetchall()]
    finally:
        con.close()


def test_georgia_extract_stores_unique_events_and_reports_duplicates(
    georgia: Path, tmp_path: Path
) -> None:
    """MANIFEST.md §3: 105,444 rows, 105,438 unique GLOBALEVENTIDs → 6 duplicates."""
    report = ingest([georgia], tmp_path / "store")
    (f,) = report.files
    assert (f.status, f.rows_read, f.rows_stored, f.duplicates, f.quarantined) == (
        "ingested",
        105_444,
        105_438,
        6,
        0,
    )
    ids = _stored_ids(tmp_path / "store")
    assert len(ids) == len(set(ids)) == 105_438


def test_store_layout_and_manifest(export_2_0: Path, store_2_0: Path) -> None:
    parts = sorted(p.relative_to(store_2_0).parent.as_posix() for p in store_2_0.rglob("*.parquet"))
    assert parts[0] == "year=2018/month=10" and parts[-1] == "year=2019/month=10"
    m = catalog.manifest(store_2_0)
    assert m["file_name"].tolist() == [export_2_0.name]
    row = m.iloc[0]
    assert row["rows_read"] == row["rows_stored"] == 2111
    assert row["layouts"] == "gdelt2_export: 2111"
    assert (row["first_date"], row["last_date"]) == (dt.date(2018, 10, 24), dt.date(2019, 10, 24))
    assert row["goldstein_disagree"] == 0 and row["quadclass_disagree"] == 0
    from dyadscope._io import sha256_file

    assert row["sha256"] == sha256_file(export_2_0)
    # The catalog's own view reads the committed files.
    with catalog.open_catalog(store_2_0) as con:
        assert con.execute("SELECT count(*) FROM events").fetchone() == (2111,)


def test_reingest_adds_nothing(export_2_0: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    ingest([export_2_0], store)
    files_before = sorted(store.rglob("*.parquet"))
    again = ingest([export_2_0, export_2_0], store)
    assert [f.status for f in again.files] == ["already ingested", "already ingested"]
    assert sorted(store.rglob("*.parquet")) == files_before
    assert len(catalog.manifest(store)) == 1


def test_events_repeated_across_files_are_stored_once(export_2_0: Path, tmp_path: Path) -> None:
    a = _variant(export_2_0, tmp_path / "a.CSV", 0, slice(0, 300))
    b = _variant(export_2_0, tmp_path / "b.CSV", 0, slice(200, 500))  # 100 events shared with a
    c = _variant(export_2_0, tmp_path / "c.CSV", 0, slice(450, 600))  # 50 shared with b
    store = tmp_path / "store"
    first = ingest([a, b], store)
    second = ingest([c], store)  # a later run, against what is already stored
    counts = [(f.rows_read, f.rows_stored, f.duplicates) for f in first.files + second.files]
    assert counts == [(300, 300, 0), (300, 200, 100), (150, 100, 50)]
    ids = _stored_ids(store)
    assert len(ids) == len(set(ids)) == 600


def test_malformed_and_broken_files_never_lose_good_rows(export_2_0: Path, tmp_path: Path) -> None:
    lines = export_2_0.read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "in" / "broken.CSV"
    broken.parent.mkdir()
    bad_date = lines[11].split("\t")
    bad_date[1] = "2019-10-24"
    broken.write_text(
        "\n".join([*lines[:10], "garbage line", "\t".join(bad_date)]) + "\n" + lines[12][:40],
        encoding="utf-8",
    )
    (tmp_path / "in" / "corrupt.CSV.zip").write_bytes(b"PK\x03\x04 not really")
    good = _variant(export_2_0, tmp_path / "in" / "good.CSV", 10**10)
    store = tmp_path / "store"
    report = ingest([tmp_path / "in"], store)
    by_name = {Path(f.path).name: f for f in report.files}
    assert by_name["corrupt.CSV.zip"].status == "failed"
    assert "corrupt.CSV.zip" in (by_name["corrupt.CSV.zip"].error or "")
    b = by_name["broken.CSV"]
    assert (b.rows_read, b.rows_stored, b.quarantined) == (13, 10, 3)
    assert by_name[good.name].rows_stored == 2111
    assert all(f.balanced for f in report.files)
    qfile = store / (b.quarantine_file or "")
    q = duckdb.read_csv(str(qfile), all_varchar=True).df()
    assert q["line"].tolist() == ["11", "12", "13"]
    assert q["reason"].iloc[1] == "bad date in SQLDATE: '2019-10-24'"
    assert q["raw"].iloc[0] == "garbage line"
    assert len(_stored_ids(store)) == 2121
    with catalog.open_catalog(store) as con:  # the catalog's quarantine view
        assert con.execute("SELECT count(*) FROM quarantine").fetchone() == (3,)
    # The failed file is not in the manifest, so a later run tries it again.
    assert "corrupt.CSV.zip" not in set(catalog.manifest(store)["file_name"])


def test_zipped_input_is_ingested(export_2_0: Path, tmp_path: Path) -> None:
    zipped = tmp_path / "20191024143000.export.CSV.zip"
    with zipfile.ZipFile(zipped, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(export_2_0, arcname=export_2_0.name)
    report = ingest([zipped], tmp_path / "store")
    assert report.files[0].rows_stored == 2111


def test_uncommitted_files_are_invisible_and_removed_on_the_next_run(
    export_2_0: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulate a crash after the data files were moved in but before the catalog commit."""
    store = tmp_path / "store"
    first = _variant(export_2_0, tmp_path / "first.CSV", 0, slice(0, 1000))
    second = _variant(export_2_0, tmp_path / "second.CSV", 0, slice(1000, None))
    ingest([first], store)
    real_open = catalog.open_catalog

    def crash(store_dir: Path, *, write: bool = False):  # type: ignore[no-untyped-def]
        if write:
            raise KeyboardInterrupt("killed before commit")
        return real_open(store_dir, write=write)

    monkeypatch.setattr(catalog, "open_catalog", crash)
    with pytest.raises(KeyboardInterrupt):
        ingest([second], store)
    monkeypatch.setattr(catalog, "open_catalog", real_open)
    on_disk = len(list(store.rglob("*.parquet")))
    assert on_disk > len(catalog.committed_files(store))  # orphans exist ...
    # ... but nothing reads them: readers list files from the catalog.
    assert len(_stored_ids(store)) == 1000
    report = ingest([second], store)
    assert report.files[0].rows_stored == 1111 and report.files[0].duplicates == 0
    assert len(list(store.rglob("*.parquet"))) == len(catalog.committed_files(store))
    assert sorted(_stored_ids(store)) == sorted(
        int(line.split("\t", 1)[0]) for line in export_2_0.read_text().splitlines()
    )


def test_recover_removes_staging(tmp_path: Path) -> None:
    stale = tmp_path / catalog.STAGING_NAME / "abc" / "x.parquet"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"half")
    recover(tmp_path)
    assert not (tmp_path / catalog.STAGING_NAME).exists()


@pytest.mark.slow
def test_ingest_killed_mid_way_leaves_a_valid_store_and_the_rerun_finishes(
    export_2_0: Path, tmp_path: Path
) -> None:
    """SIGKILL real ingest processes at several moments, checking the store each time.

    The first kill comes as soon as a data file lands in the store (between the move
    and the catalog commit, the riskiest moment); later ones after growing delays.
    Then an uninterrupted run must finish the job exactly.
    """
    inputs = tmp_path / "in"
    inputs.mkdir()
    for k in range(8):
        _variant(export_2_0, inputs / f"part{k}.CSV", k * 10**10)
    store = tmp_path / "store"
    code = (
        "import sys; from dyadscope.events.ingest import ingest; "
        "ingest([sys.argv[1]], sys.argv[2], batch_files=1)"
    )
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    for delay in (None, 0.6, 1.2):
        before = len(catalog.committed_files(store))
        proc = subprocess.Popen([sys.executable, "-c", code, str(inputs), str(store)], env=env)
        deadline = time.monotonic() + (delay if delay is not None else 120)
        while time.monotonic() < deadline and proc.poll() is None:
            if delay is None and len(list(store.glob("year=*/month=*/*.parquet"))) > before:
                break
            time.sleep(0.005)
        killed = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        if delay is None:
            assert killed, "ingest finished before it could be killed; make it bigger"
        # The store is valid: whatever is committed reads back, with no event twice.
        committed = _stored_ids(store) if catalog.committed_files(store) else []
        assert len(committed) == len(set(committed)) and len(committed) % 2111 == 0
    report = ingest([inputs], store)
    assert all(f.balanced for f in report.files)
    assert sum(f.rows_stored for f in report.files) + len(committed) == 8 * 2111
    ids = _stored_ids(store)
    assert len(ids) == len(set(ids)) == 8 * 2111
    assert len(catalog.manifest(store)) == 8
    assert len(list(store.rglob("*.parquet"))) == len(catalog.committed_files(store))
    assert not (store / catalog.STAGING_NAME).exists() or not any(
        (store / catalog.STAGING_NAME).iterdir()
    )


def test_line_numbers_are_per_file_within_one_batch(export_2_0: Path, tmp_path: Path) -> None:
    """Files read in one scan still get their own line numbers (and a bad encoding in one
    file does not disturb the others)."""
    lines = export_2_0.read_text(encoding="utf-8").splitlines()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.CSV").write_text("\n".join(lines[:50]) + "\n", encoding="utf-8")
    b = [line.encode() for line in lines[50:70]]
    b[6] = b"not a gdelt line"
    b[8] = b[8].replace(b"\t", b"\t\xff", 1)
    (folder / "b.CSV").write_bytes(b"\n".join(b) + b"\n")
    c = lines[70:75]
    c[2] = "\t".join(c[2].split("\t")[:58])  # a 1.0-daily-shaped line: wrong for its content
    (folder / "c.CSV").write_text("\n".join(c) + "\n", encoding="utf-8")
    store = tmp_path / "store"
    report = ingest([folder], store)
    assert [(f.rows_read, f.rows_stored, f.quarantined) for f in report.files] == [
        (50, 50, 0),
        (20, 18, 2),
        (5, 4, 1),
    ]
    q = duckdb.read_csv(str(store / (report.files[1].quarantine_file or "")), all_varchar=True)
    assert q.df()[["line", "reason"]].values.tolist() == [
        ["7", "wrong field count: 1 (GDELT lines have 57, 58 or 61 fields)"],
        ["9", "invalid UTF-8"],
    ]
    q = duckdb.read_csv(str(store / (report.files[2].quarantine_file or "")), all_varchar=True)
    assert q.df()["line"].tolist() == ["3"]
    con = duckdb.connect()
    catalog.create_events_view(con, catalog.committed_files(store), temp=True)
    stored = con.execute("SELECT source_file, source_line, global_event_id FROM events").fetchall()
    by_file = {"a.CSV": lines[:50], "b.CSV": lines[50:70], "c.CSV": lines[70:75]}
    for name, line_no, gid in stored:
        assert by_file[name][line_no - 1].startswith(f"{gid}\t"), (name, line_no)
    assert len(stored) == 72


def test_goldstein_and_quadclass_disagreements_are_counted_and_kept(
    export_2_0: Path, tmp_path: Path
) -> None:
    lines = export_2_0.read_text(encoding="utf-8").splitlines()[:10]
    fields = lines[0].split("\t")  # EventCode 139 (official Goldstein -7.0, QuadClass 3)
    fields[30] = "3.4"
    lines[0] = "\t".join(fields)
    fields = lines[1].split("\t")  # EventCode 040 (QuadClass 1)
    fields[29] = "2"
    lines[1] = "\t".join(fields)
    path = tmp_path / "odd.CSV"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (f,) = ingest([path], tmp_path / "store").files
    assert (f.rows_stored, f.goldstein_disagree, f.quadclass_disagree) == (10, 1, 1)
    m = catalog.manifest(tmp_path / "store").iloc[0]
    assert (m["goldstein_disagree"], m["quadclass_disagree"]) == (1, 1)


def test_georgia_disagreements_match_an_independent_count(georgia: Path, tmp_path: Path) -> None:
    """Count rows whose Goldstein value differs from the official table with the csv module."""
    import csv
    import gzip

    from dyadscope.events.cameo import goldstein

    official = goldstein()
    with gzip.open(georgia, "rt", encoding="utf-8", newline="") as fh:
        expected = sum(
            abs(float(row["GoldsteinScale"]) - official[row["EventCode"]]) > 1e-9
            for row in csv.DictReader(fh)
        )
    (f,) = ingest([georgia], tmp_path / "store").files
    assert f.goldstein_disagree == expected


def test_a_second_concurrent_ingest_is_refused(export_2_0: Path, tmp_path: Path) -> None:
    import fcntl

    from dyadscope.errors import InputError

    store = tmp_path / "store"
    store.mkdir()
    with open(store / LOCK_NAME, "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        with pytest.raises(InputError, match="another"):
            ingest([export_2_0], store)
    assert ingest([export_2_0], store).files[0].rows_stored == 2111


def test_a_catalog_killed_before_its_tables_exist_reads_as_empty(
    export_2_0: Path, tmp_path: Path
) -> None:
    """The kill test found this moment: catalog.duckdb created, its tables not yet."""
    store = tmp_path / "store"
    store.mkdir()
    duckdb.connect(str(store / catalog.CATALOG_NAME)).close()
    assert catalog.committed_files(store) == [] and catalog.manifest(store).empty
    assert ingest([export_2_0], store).files[0].rows_stored == 2111


def test_mixed_layout_file_is_reported_per_layout(reed_events: Path, tmp_path: Path) -> None:
    """MANIFEST.md §2: 509 daily (58-field) lines and 201 backfile (57-field) lines."""
    (f,) = ingest([reed_events], tmp_path / "store").files
    assert f.layouts == "gdelt1_backfile: 201, gdelt1_daily: 509"
    assert (f.rows_read, f.rows_stored) == (710, 710)


def test_a_file_that_breaks_its_batch_fails_alone(
    export_2_0: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest_module = sys.modules["dyadscope.events.ingest"]
    real = ingest_module.build_typed

    def fragile(con: duckdb.DuckDBPyConnection, loaded: str, out: str, names: dict) -> None:  # type: ignore[type-arg]
        if "poison.CSV" in names.values():
            raise duckdb.InvalidInputException("simulated engine failure")
        real(con, loaded, out, names)

    monkeypatch.setattr(ingest_module, "build_typed", fragile)
    folder = tmp_path / "in"
    folder.mkdir()
    _variant(export_2_0, folder / "good.CSV", 0, slice(0, 100))
    _variant(export_2_0, folder / "poison.CSV", 10**10, slice(0, 100))
    report = ingest([folder], tmp_path / "store")
    by_name = {Path(f.path).name: f for f in report.files}
    assert by_name["good.CSV"].rows_stored == 100
    assert by_name["poison.CSV"].status == "failed"
    assert "simulated engine failure" in (by_name["poison.CSV"].error or "")
    assert len(_stored_ids(tmp_path / "store")) == 100


def test_a_file_with_an_endless_line_quarantines_that_line_only(
    export_2_0: Path, tmp_path: Path
) -> None:
    """A 3 MB line (no line breaks: not GDELT) is quarantined; its file still goes in."""
    folder = tmp_path / "in"
    folder.mkdir()
    _variant(export_2_0, folder / "good.CSV", 0, slice(0, 50))
    (folder / "long.CSV").write_text("1\t" * 1_500_000 + "\n", encoding="utf-8")
    report = ingest([folder], tmp_path / "store")
    by_name = {Path(f.path).name: f for f in report.files}
    assert by_name["good.CSV"].rows_stored == 50
    long = by_name["long.CSV"]
    assert (long.status, long.rows_read, long.quarantined) == ("ingested", 1, 1)
    q = duckdb.read_csv(str(tmp_path / "store" / (long.quarantine_file or "")), all_varchar=True)
    assert q.df()["reason"].tolist() == ["line too long: 3000000 bytes (at most 1048576)"]


def test_catalog_is_created_whole(export_2_0: Path, tmp_path: Path) -> None:
    """A creator killed half-way leaves only a temporary file, which the next run clears."""
    store = tmp_path / "store"
    store.mkdir()
    stale = store / f".{catalog.CATALOG_NAME}.999.tmp"
    stale.write_bytes(b"\0" * 4096)  # what a kill during DuckDB's header write leaves
    assert catalog.committed_files(store) == []
    report = ingest([export_2_0], store)
    assert all(f.balanced for f in report.files)
    assert not stale.exists()
    assert not list(store.glob(f".{catalog.CATALOG_NAME}.*"))
    assert len(_stored_ids(store)) == 2111
