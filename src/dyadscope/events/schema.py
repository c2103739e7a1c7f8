"""GDELT event column layouts, and the canonical Parquet schema of the events store.

The official column names come from GDELT's own codebook label files (Sep 2016):
``GDELT_1.0_event_Column_Labels_Header_Row_Sep2016.tsv`` (58 names) and
``GDELT_2.0_Events_Column_Labels_Header_Row_Sep2016.csv`` (61 names, with types).
Three raw layouts exist, told apart only by their field count, never by file name:

* GDELT 1.0 historical backfile: 57 fields (no SOURCEURL);
* GDELT 1.0 daily update (from April 2013): 58 fields, SOURCEURL last;
* GDELT 2.0 15-minute export: 61 fields, with an ``*Geo_ADM2Code`` after each
  ``*Geo_ADM1Code``.

The store keeps one canonical, snake_case schema (:data:`CANONICAL_COLUMNS`), a
superset of the three layouts: columns a layout lacks are NULL.  Codes stay text
(``"010"`` is not ``"10"``); SQLDATE becomes a DATE.  The stored files are
partitioned by ``year`` and ``month`` of the event date (hive folders
``year=YYYY/month=MM``), which therefore are not columns inside the files;
GDELT's own ``Year`` field is exactly that partition value.

>>> layout_for_field_count(58).name
'gdelt1_daily'
>>> OFFICIAL_TO_CANONICAL["Actor1Geo_ADM1Code"]
'actor1_geo_adm1_code'
"""

from __future__ import annotations

from dataclasses import dataclass

from dyadscope.errors import SchemaError

ACTOR_FIELDS = (
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
)
_EVENT_FIELDS = (
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
)


def _geo_fields(prefix: str, *, adm2: bool) -> tuple[str, ...]:
    names = ["Type", "FullName", "CountryCode", "ADM1Code"]
    if adm2:
        names.append("ADM2Code")
    names += ["Lat", "Long", "FeatureID"]
    return tuple(f"{prefix}Geo_{n}" for n in names)


def _official(*, version: int) -> tuple[str, ...]:
    adm2 = version == 2
    return (
        "GLOBALEVENTID",
        "SQLDATE",
        "MonthYear",
        "Year",
        "FractionDate",
        *(f"Actor1{f}" for f in ACTOR_FIELDS),
        *(f"Actor2{f}" for f in ACTOR_FIELDS),
        *_EVENT_FIELDS,
        *_geo_fields("Actor1", adm2=adm2),
        *_geo_fields("Actor2", adm2=adm2),
        *_geo_fields("Action", adm2=adm2),
        "DATEADDED",
        "SOURCEURL",
    )


#: GDELT 1.0 daily-update columns (58), in file order.
GDELT1_COLUMNS: tuple[str, ...] = _official(version=1)
#: GDELT 1.0 historical backfile columns (57): the daily layout without SOURCEURL.
GDELT1_BACKFILE_COLUMNS: tuple[str, ...] = GDELT1_COLUMNS[:-1]
#: GDELT 2.0 export columns (61), in file order.
GDELT2_COLUMNS: tuple[str, ...] = _official(version=2)


@dataclass(frozen=True)
class Layout:
    """One raw GDELT layout: its name and its official columns in file order."""

    name: str
    columns: tuple[str, ...]

    @property
    def n_fields(self) -> int:
        """Number of tab-separated fields on a line of this layout."""
        return len(self.columns)


LAYOUTS: tuple[Layout, ...] = (
    Layout("gdelt1_backfile", GDELT1_BACKFILE_COLUMNS),
    Layout("gdelt1_daily", GDELT1_COLUMNS),
    Layout("gdelt2_export", GDELT2_COLUMNS),
)
_BY_COUNT = {layout.n_fields: layout for layout in LAYOUTS}


def layout_for_field_count(n: int) -> Layout:
    """Return the layout with ``n`` fields; :class:`SchemaError` for any other count."""
    try:
        return _BY_COUNT[n]
    except KeyError:
        expected = ", ".join(str(k) for k in sorted(_BY_COUNT))
        raise SchemaError(f"{n} fields is not a GDELT event layout (expected {expected})") from None


def to_snake(official: str) -> str:
    """Canonical name of an official column: ``Actor1Geo_ADM1Code`` → ``actor1_geo_adm1_code``."""
    special = {
        "GLOBALEVENTID": "global_event_id",
        "SQLDATE": "event_date",
        "DATEADDED": "date_added",
        "SOURCEURL": "source_url",
        "MonthYear": "month_year",
        "FractionDate": "fraction_date",
    }
    if official in special:
        return special[official]
    out: list[str] = []
    for part in official.split("_"):
        for prefix in ("Actor1", "Actor2", "Action"):
            if part.startswith(prefix):
                out.append(prefix.lower())
                part = part[len(prefix) :]
                break
        words: list[str] = []
        buf = ""
        for i, ch in enumerate(part):
            nxt = part[i + 1] if i + 1 < len(part) else ""
            if buf and ch.isupper() and (not buf[-1].isupper() or (nxt and nxt.islower())):
                words.append(buf)
                buf = ""
            buf += ch
        if buf:
            words.append(buf)
        out.extend(w.lower() for w in words)
    return "_".join(out)


#: Official name → canonical name, for every official column (2.0 is the superset).
OFFICIAL_TO_CANONICAL: dict[str, str] = {name: to_snake(name) for name in GDELT2_COLUMNS}

_INT_FIELDS = {"MonthYear", "IsRootEvent", "QuadClass", "NumMentions", "NumSources"}
_INT_FIELDS |= {"NumArticles", "Actor1Geo_Type", "Actor2Geo_Type", "ActionGeo_Type"}
_FLOAT_FIELDS = {"FractionDate", "GoldsteinScale", "AvgTone"}
_FLOAT_FIELDS |= {f"{p}Geo_{c}" for p in ("Actor1", "Actor2", "Action") for c in ("Lat", "Long")}


def official_type(official: str) -> str:
    """DuckDB type of an official column in the store (codes and names stay VARCHAR)."""
    if official == "GLOBALEVENTID":
        return "BIGINT"
    if official == "SQLDATE":
        return "DATE"
    if official == "DATEADDED":
        return "TIMESTAMP"
    if official in _INT_FIELDS:
        return "INTEGER"
    if official in _FLOAT_FIELDS:
        return "DOUBLE"
    return "VARCHAR"


#: Columns dyadscope adds to every stored event: ISO3 codes and provenance.
DERIVED_COLUMNS: tuple[tuple[str, str], ...] = (
    ("actor1_iso3", "VARCHAR"),  # Actor1CountryCode (CAMEO) → ISO3, NULL when not a state
    ("actor2_iso3", "VARCHAR"),
    ("actor1_geo_iso3", "VARCHAR"),  # Actor1Geo_CountryCode (FIPS 10-4) → ISO3
    ("actor2_geo_iso3", "VARCHAR"),
    ("action_geo_iso3", "VARCHAR"),
    ("gdelt_layout", "VARCHAR"),  # gdelt1_backfile | gdelt1_daily | gdelt2_export
    ("source_file", "VARCHAR"),  # file name the event was read from
    ("source_line", "BIGINT"),  # 1-based line (record) number in that file
)

#: The canonical stored schema, in order: (name, DuckDB type).  GDELT's ``Year``
#: is not stored in the files: it is the ``year`` partition of the store.
CANONICAL_COLUMNS: tuple[tuple[str, str], ...] = (
    tuple((OFFICIAL_TO_CANONICAL[c], official_type(c)) for c in GDELT2_COLUMNS if c != "Year")
    + DERIVED_COLUMNS
)

#: Partition columns added by the hive layout when the store is read.
PARTITION_COLUMNS: tuple[tuple[str, str], ...] = (("year", "INTEGER"), ("month", "INTEGER"))

#: Official names of the columns the store needs from any input file.
REQUIRED_OFFICIAL: tuple[str, ...] = (
    "GLOBALEVENTID",
    "SQLDATE",
    "Actor1CountryCode",
    "Actor2CountryCode",
    "IsRootEvent",
    "EventCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
)

#: Lower-case header aliases used by derivatives (reed9999's header calls SQLDATE ``day``).
HEADER_ALIASES: dict[str, str] = {"day": "SQLDATE"}


def official_for_header(name: str) -> str | None:
    """Map a header cell of a CSV derivative to an official column name, or None.

    Matching ignores case (BigQuery exports use ``GLOBALEVENTID``, others
    ``globaleventid``) and accepts the canonical snake_case names too.

    >>> official_for_header("actor1geo_countrycode")
    'Actor1Geo_CountryCode'
    >>> official_for_header("day")
    'SQLDATE'
    """
    key = name.replace("\ufeff", "").strip().strip('"').lower()
    if key in HEADER_ALIASES:
        return HEADER_ALIASES[key]
    return _HEADER_LOOKUP.get(key)


_HEADER_LOOKUP: dict[str, str] = {c.lower(): c for c in GDELT2_COLUMNS}
_HEADER_LOOKUP |= {to_snake(c): c for c in GDELT2_COLUMNS}
