"""Live refresh from the official sources: ``update(store_path, datasets)``.

One provider per official interface (one module each): the IMF's SDMX 3.0 API for
bilateral goods trade (``imf`` → ``dots``), the World Bank API for GDP (``worldbank`` →
``wb_gdp``), UN Comtrade with a key (``comtrade``), the UN Digital Library for recorded
votes (``undl`` → ``unga_votes``, ``unga_rollcalls``), SIPRI's trade register (``sipri``
→ ``sipri_transfers``) and military expenditure (``milex`` → ``sipri_milex``), and
GDELT's master file list (``gdelt`` → ``gdelt_files``).

Every provider goes through the same steps, so a failure anywhere leaves the store
exactly as it was:

1. **fetch** into a folder beside the store (``<store>.update/<provider>/``): API
   answers are retried with back-off, files are downloaded resumably and verified
   against the provider's checksum where it publishes one;
2. **validate** aside: every frame is cast to its canonical table in a scratch
   database (columns, types, years, duplicate keys, at least one row);
3. **swap**: all tables of the provider and their provenance rows are replaced in
   one DuckDB transaction; the provenance records the query URL, the retrieval time
   and the release the provider reports.

``dry_run=True`` stops after step 2 (in a temporary folder) and reports what would
change: a new release, rows added or removed, years extended.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pandas as pd

from dyadscope._sql import quote_identifier
from dyadscope.data.registry import TableSpec
from dyadscope.data.store import Provenance, Store
from dyadscope.data.update._base import (
    Context,
    Http,
    Provider,
    Release,
    check_frame,
    utc_now,
    year_span,
)
from dyadscope.data.update.comtrade import Comtrade
from dyadscope.data.update.gdelt import GdeltMasterList
from dyadscope.data.update.imf import ImfImts
from dyadscope.data.update.sipri import SipriArmsTransfers, SipriMilex
from dyadscope.data.update.undl import UnDigitalLibrary
from dyadscope.data.update.worldbank import WorldBank
from dyadscope.errors import DyadscopeError, UnknownDataset

__all__ = [
    "PROVIDERS",
    "TableChange",
    "changes_frame",
    "provider_for_table",
    "providers",
    "resolve_provider",
    "update",
]

#: Every provider class by name, in the order ``update()`` runs them.
PROVIDERS: dict[str, type[Provider]] = {
    cls.name: cls
    for cls in (
        ImfImts,
        WorldBank,
        UnDigitalLibrary,
        SipriArmsTransfers,
        SipriMilex,
        GdeltMasterList,
        Comtrade,
    )
}

CHANGE_COLUMNS = [
    "provider",
    "table",
    "status",
    "version_old",
    "version_new",
    "rows_old",
    "rows_new",
    "rows_added",
    "rows_removed",
    "first_year_old",
    "first_year_new",
    "last_year_old",
    "last_year_new",
    "query_url",
    "note",
]


@dataclass
class TableChange:
    """What an update did (or, in a dry run, would do) to one table."""

    provider: str
    table: str
    status: str
    version_old: str | None = None
    version_new: str | None = None
    rows_old: int | None = None
    rows_new: int | None = None
    rows_added: int | None = None
    rows_removed: int | None = None
    first_year_old: int | None = None
    first_year_new: int | None = None
    last_year_old: int | None = None
    last_year_new: int | None = None
    query_url: str | None = None
    note: str = ""


def providers() -> pd.DataFrame:
    """The providers: name, title, tables, environment variable, default address.

    >>> "imf" in set(providers()["provider"])
    True
    """
    return pd.DataFrame(
        [
            {
                "provider": cls.name,
                "title": cls.title,
                "tables": ", ".join(t.spec.name for t in cls.targets),
                "env_var": cls.env_var,
                "base_url": cls.default_base_url,
                "optional": cls.optional,
            }
            for cls in PROVIDERS.values()
        ]
    )


def resolve_provider(name: str) -> type[Provider]:
    """The provider called ``name`` or one of its aliases (a table or dataset name).

    >>> resolve_provider("dots").name
    'imf'
    """
    key = name.strip().lower()
    for cls in PROVIDERS.values():
        if key == cls.name or key in cls.aliases:
            return cls
    known = ", ".join(f"{c.name} ({', '.join(c.aliases)})" for c in PROVIDERS.values())
    raise UnknownDataset(f"no live provider for {name!r}; known: {known}")


def provider_for_table(table: str) -> str | None:
    """Name of the provider that refreshes ``table``, or None.

    >>> provider_for_table("wb_gdp")
    'worldbank'
    """
    for cls in PROVIDERS.values():
        if any(t.spec.name == table for t in cls.targets):
            return cls.name
    return None


class _Vendored:
    """The vendored extracts, loaded once per ``update()`` call and only if needed."""

    def __init__(self) -> None:
        self._store: Store | None = None

    def get(self) -> Store:
        if self._store is None:
            from dyadscope.data.vendor_manifest import load_vendored

            self._store = Store()
            load_vendored(self._store)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def _baseline(
    store: Store | None, vendored: _Vendored, table: str
) -> tuple[pd.DataFrame | None, dict[str, Any]]:
    """The table as the user sees it now and its provenance: the store's, else vendored.

    A vendored baseline's version is marked "(vendored)"; (None, {}) when neither has it.
    """
    if store is not None and store.has(table):
        prov = store.provenance()
        row = prov[prov["table"] == table]
        return store.table(table), (_first_record(row) if len(row) else {})
    extracts = vendored.get()
    if not extracts.has(table):
        return None, {}
    prov = extracts.provenance()
    meta = _first_record(prov[prov["table"] == table])
    meta["version"] = f"{meta['version']} (vendored)"
    return extracts.table(table), meta


def _first_record(frame: pd.DataFrame) -> dict[str, Any]:
    """The first row of a provenance frame as a dict keyed by column name."""
    return {str(k): v for k, v in frame.iloc[0].items()}


def _int(value: Any) -> int | None:
    """A provenance year (int, float, NA or None, as read back) as an int or None."""
    return None if value is None or pd.isna(value) else int(value)


def _key_diff(old: pd.DataFrame, new: pd.DataFrame, key: Sequence[str]) -> tuple[int, int]:
    """Keys only in ``new`` (added) and only in ``old`` (removed), counted in DuckDB."""
    cols = ", ".join(
        f"CAST({quote_identifier(k)} AS VARCHAR) AS {quote_identifier(k)}" for k in key
    )
    scratch = duckdb.connect()
    try:
        scratch.register("old_t", old)
        scratch.register("new_t", new)
        added = scratch.execute(
            f"SELECT count(*) FROM (SELECT {cols} FROM new_t EXCEPT SELECT {cols} FROM old_t)"
        ).fetchone()
        removed = scratch.execute(
            f"SELECT count(*) FROM (SELECT {cols} FROM old_t EXCEPT SELECT {cols} FROM new_t)"
        ).fetchone()
    finally:
        scratch.close()
    return int(added[0]) if added else 0, int(removed[0]) if removed else 0


def _diff(
    provider: str,
    spec: TableSpec,
    old: pd.DataFrame | None,
    meta: Mapping[str, Any],
    new: pd.DataFrame,
    release: Release,
) -> TableChange:
    """Compare the incoming table with what the store holds (or the vendored extract)."""
    first, last = year_span(new, spec)
    if old is not None:
        first_old, last_old = year_span(old, spec)
    else:
        first_old, last_old = _int(meta.get("first_year")), _int(meta.get("last_year"))
    change = TableChange(
        provider=provider,
        table=spec.name,
        status="",
        version_old=meta.get("version"),
        version_new=release.version,
        rows_old=None if old is None else len(old),
        rows_new=len(new),
        first_year_old=first_old,
        first_year_new=first,
        last_year_old=last_old,
        last_year_new=last,
        query_url=release.query_url,
        note="; ".join(release.notes),
    )
    if old is not None and spec.key and all(k in old for k in spec.key):
        change.rows_added, change.rows_removed = _key_diff(old, new, spec.key)
    if old is None and not meta:
        change.status = "new table"
    elif change.version_old != change.version_new:
        change.status = "new release"
    elif change.rows_added or change.rows_removed:
        change.status = "rows changed"
    else:
        change.status = "unchanged"
    if change.last_year_old is not None and last is not None and last > change.last_year_old:
        change.status += f", years extended to {last}"
    return change


def _run_one(
    provider: Provider,
    store: Store | None,
    vendored: _Vendored,
    workdir: Path,
    http: Http,
    today: date,
    dry_run: bool,
    report: Callable[[str], None],
) -> list[TableChange]:
    """Fetch, validate aside, diff, and (unless ``dry_run``) swap in one transaction."""
    workdir.mkdir(parents=True, exist_ok=True)
    baselines = {t.spec.name: _baseline(store, vendored, t.spec.name) for t in provider.targets}
    current = {name: old for name, (old, _) in baselines.items() if old is not None}
    ctx = Context(http, workdir, today, current, report)
    release = provider.fetch(ctx)
    checked: list[tuple[Any, pd.DataFrame, int | None, int | None]] = []
    for target in provider.targets:
        frame = release.frames.get(target.spec.name)
        if frame is None:
            raise DyadscopeError(
                f"provider {provider.name} returned no table {target.spec.name}; nothing replaced"
            )
        typed = check_frame(frame, target.spec, release.query_url)
        first, last = year_span(typed, target.spec)
        checked.append((target, typed, first, last))
    changes = []
    for target, typed, _first, _last in checked:
        old, meta = baselines[target.spec.name]
        changes.append(_diff(provider.name, target.spec, old, meta, typed, release))
    if dry_run:
        for change in changes:
            change.status = f"{change.status} (dry run)"
        return changes
    assert store is not None
    stamp = f"{release.retrieved_at:%Y-%m-%dT%H:%M:%SZ}"
    source = f"{provider.title}: {release.query_url} (retrieved {stamp})"
    with store.transaction():
        for target, typed, first, last in checked:
            prov = Provenance(
                dataset=target.dataset,
                table=target.spec.name,
                source=source,
                version=release.version,
                sha256=release.sha256,
                rows=len(typed),
                first_year=first,
                last_year=last,
                loaded_at=release.retrieved_at,
            )
            store.replace_table(target.spec.name, typed, target.spec.columns, prov)
    shutil.rmtree(workdir, ignore_errors=True)
    with contextlib.suppress(OSError):
        workdir.parent.rmdir()  # only when no other provider left a partial download
    return changes


def update(
    store_path: str | Path,
    datasets: Iterable[str] | None = None,
    *,
    dry_run: bool = False,
    base_urls: Mapping[str, str] | None = None,
    countries: Sequence[str] | None = None,
    api_keys: Mapping[str, str] | None = None,
    client: httpx.Client | None = None,
    retries: int = 4,
    backoff: float = 0.5,
    today: date | None = None,
    report: Callable[[str], None] | None = None,
) -> list[TableChange]:
    """Bring the newest release of each provider into the store at ``store_path``.

    ``datasets`` names providers or their tables (``imf``, ``dots``, ``worldbank`` …);
    None runs every provider except the optional ones (Comtrade).  ``base_urls`` maps
    a provider name to another address (else ``$DYADSCOPE_<…>_URL``, else the official
    one).  ``countries`` chooses the reporters for the trade providers.  ``report``
    receives one line per step (the CLI shows them); the library prints nothing.

    A provider that fails (network, bad answer) is reported with status ``failed: …``
    and leaves its tables untouched; the others still run.  A provider that cannot
    run (no API key) is ``skipped: …``.  A store file this call created is removed
    again when nothing was written to it.

    >>> update("my.duckdb", ["worldbank"], dry_run=True)  # doctest: +SKIP
    [TableChange(provider='worldbank', table='wb_gdp', status='new table (dry run)', ...)]
    """
    names = list(datasets) if datasets else [n for n, c in PROVIDERS.items() if not c.optional]
    classes = list(dict.fromkeys(resolve_provider(n) for n in names))
    say = report or (lambda _m: None)
    when = today or utc_now().date()
    store_path = Path(store_path)
    http = Http(client, retries=retries, backoff=backoff, report=say)
    store: Store | None = None
    vendored = _Vendored()
    scratch = Path(tempfile.mkdtemp(prefix="dyadscope-update-")) if dry_run else None
    results: list[TableChange] = []
    created = not dry_run and not store_path.exists()
    try:
        if not dry_run:
            store = Store(store_path)
        elif store_path.is_file():
            store = Store(store_path, read_only=True)
        for cls in classes:
            options: dict[str, Any] = {}
            if countries:
                options["countries"] = list(countries)
            if api_keys and cls.name in api_keys:
                options["api_key"] = api_keys[cls.name]
            provider = cls((base_urls or {}).get(cls.name), **options)
            why = provider.unavailable()
            if why:
                results.extend(
                    TableChange(cls.name, t.spec.name, f"skipped: {why}") for t in cls.targets
                )
                continue
            base = (
                scratch
                if scratch is not None
                else store_path.with_name(store_path.name + ".update")
            )
            say(f"{cls.name}: asking {provider.base_url}")
            try:
                results.extend(
                    _run_one(provider, store, vendored, base / cls.name, http, when, dry_run, say)
                )
            except DyadscopeError as exc:
                results.extend(
                    TableChange(cls.name, t.spec.name, f"failed: {exc}") for t in cls.targets
                )
    finally:
        http.close()
        vendored.close()
        if store is not None:
            store.close()
        wrote = any(not c.status.startswith(("failed", "skipped")) for c in results)
        if created and not wrote:  # a first update that brought nothing leaves no empty store
            for leftover in (store_path, store_path.with_name(store_path.name + ".wal")):
                leftover.unlink(missing_ok=True)
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    return results


def changes_frame(changes: Sequence[TableChange]) -> pd.DataFrame:
    """The changes as a frame (one row per provider and table), for the CLI and reports."""
    frame = pd.DataFrame([asdict(c) for c in changes], columns=CHANGE_COLUMNS)
    for col in (
        "rows_old",
        "rows_new",
        "rows_added",
        "rows_removed",
        "first_year_old",
        "first_year_new",
        "last_year_old",
        "last_year_new",
    ):
        frame[col] = frame[col].astype("Int64")
    return frame
