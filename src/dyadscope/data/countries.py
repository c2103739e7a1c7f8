"""One country-code layer for every dataset: COW ↔ ISO3 ↔ ISO2 ↔ FIPS 10-4 ↔ CAMEO ↔ names.

Every dataset dyadscope reads names states its own way: the Correlates of War (COW)
uses numeric codes, GDELT's geography uses FIPS 10-4, its actors use CAMEO codes,
the UN data use names and ISO2.  Joining them needs one key, and dyadscope's key
is ISO 3166-1 alpha-3.  This module is the only place that converts, so that a
historical quirk (the USSR, the two Germanys, the Yemens, Yugoslavia) is decided
once, documented here and tested.

The tables come from ``country_converter``'s curated country list (names,
regexes, ISO2/ISO3, Gleditsch–Ward codes), ``pycountry`` (withdrawn ISO codes)
and two vendored tables with checksums in ``vendor/MANIFEST.json``:
``cow_states.csv`` (every COW state code with its ISO3) and ``fips_to_iso3.csv``.

Historical decisions (each is tested in ``tests/data/test_data_countries.py``):

* **Russia/USSR** — COW 365 is one state from 1816 to today, so 365 ↔ ``RUS`` in every
  year; the withdrawn ISO code ``SUN`` and the names "USSR"/"Soviet Union" resolve
  to ``RUS`` as well.
* **China** — COW 710 (PRC and its predecessors) ↔ ``CHN``; COW 713 (ROC) ↔ ``TWN``.
* **Germany** — COW 255 (Germany, 1816–1945 and 1990–) and 260 (German Federal
  Republic, 1955–1990) both map to ``DEU``; ``DEU`` maps back to 255, except where a
  year is known: indicators and the theory engines read ``DEU`` as 260 for 1955–1989
  (:data:`COW_PREDECESSORS`).  COW 265 (German Democratic Republic) maps to the
  withdrawn ISO code ``DDR``.
* **Yugoslavia/Serbia** — COW keeps one code, 345, from 1878 to today (Serbia,
  Yugoslavia, Serbia and Montenegro, Serbia).  We follow COW's continuity and map 345
  ↔ ``SRB`` in every year rather than ``YUG``, because ``YUG`` was withdrawn in 2003 and
  would split one COW series in two.  ``YUG``/``SCG`` resolve to ``SRB``.
* **Yemen** — COW 678 (Yemen Arab Republic, North, to 1990) → ``YEM`` (ISO gave the
  North that code), COW 679 (Yemen, 1990–) → ``YEM`` (``YEM`` maps back to 679, and to
  678 in 1926–1989 where a year is known), COW 680
  (Yemen People's Republic, South) → ``YMD``, its withdrawn ISO code.
* **Czechoslovakia** — COW 315 → ``CSK`` (withdrawn ISO); COW 316 (Czech Republic) → ``CZE``.
* **Vietnam** — COW 816 → ``VNM``; COW 817 (Republic of Vietnam) has no ISO3 code.
* States with no ISO3 equivalent (the German and Italian states before unification,
  Austria-Hungary, Korea before 1910, Zanzibar, South Vietnam) are valid COW codes
  that map to a missing value; they never raise and never borrow a successor's code.
* **FIPS 10-4** differs from ISO2 for many states: ``CH`` is China (ISO2 ``CH`` is
  Switzerland), ``RS`` Russia, ``UP`` Ukraine, ``GM`` Germany, ``SF`` South Africa,
  ``SZ`` Switzerland, ``UK`` United Kingdom, ``JA`` Japan, ``KS`` South Korea …
* **CAMEO** actor country codes are ISO3 except for a few legacy codes (``ROM``
  Romania, ``ZAR`` DR Congo, ``TMP`` East Timor, ``KSV`` Kosovo, ``YUG`` Yugoslavia)
  and regional codes (``AFR``, ``EUR``, ``MEA``, ``SAF`` = Southern Africa, ``WST`` = the
  West …).  Regional codes name no state: they map to a missing value without error.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal, overload

import pandas as pd
import pycountry

from dyadscope.errors import UnknownCountry

__all__ = [
    "CAMEO_EXCEPTIONS",
    "CAMEO_REGIONS",
    "CONTINUATIONS",
    "Scheme",
    "cow_code",
    "cow_name",
    "cow_predecessor",
    "cow_to_iso3",
    "from_iso3",
    "is_known",
    "iso3_to_cow",
    "resolve",
    "to_iso3",
]

Scheme = Literal["cow", "iso2", "iso3", "fips", "cameo", "un_name"]
Errors = Literal["raise", "coerce"]
SCHEMES: tuple[str, ...] = ("cow", "iso2", "iso3", "fips", "cameo", "un_name")

#: Withdrawn codes whose state continues under another ISO3 code (see module docstring).
CONTINUATIONS: Mapping[str, str] = {"SUN": "RUS", "YUG": "SRB", "SCG": "SRB"}

#: Withdrawn ISO2 codes that appear in UN and older data, mapped to dyadscope's ISO3.
HISTORIC_ISO2: Mapping[str, str] = {
    "SU": "RUS",
    "YU": "SRB",
    "DD": "DDR",
    "CS": "CSK",
    "YD": "YMD",
}

#: CAMEO country codes that are not the ISO3 code of the same state.
CAMEO_EXCEPTIONS: Mapping[str, str] = {
    "ROM": "ROU",
    "ZAR": "COD",
    "TMP": "TLS",
    "KSV": "XKX",
    "YUG": "SRB",
    "SCG": "SRB",
}

#: CAMEO regional actor codes: valid in event data, but no state, so they map to NA.
CAMEO_REGIONS: Mapping[str, str] = {
    "AFR": "Africa",
    "ASA": "Asia",
    "BLK": "Balkans",
    "CRB": "Caribbean",
    "CAU": "Caucasus",
    "CFR": "Central Africa",
    "CAS": "Central Asia",
    "CEU": "Central Europe",
    "EIN": "East Indies",
    "EAF": "Eastern Africa",
    "EEU": "Eastern Europe",
    "EUR": "Europe",
    "LAM": "Latin America",
    "MEA": "Middle East",
    "MDT": "Mediterranean",
    "NAF": "North Africa",
    "NMR": "North America",
    "PGS": "Persian Gulf",
    "SCN": "Scandinavia",
    "SAM": "South America",
    "SAS": "South Asia",
    "SEA": "Southeast Asia",
    "SAF": "Southern Africa",
    "WAF": "West Africa",
    "WST": "The West",
}

#: Withdrawn ISO3 codes dyadscope emits for COW states (pycountry's historic table names them).
_HISTORIC_ISO3 = ("DDR", "YMD", "CSK")

_VENDOR = "dyadscope.data.vendor"


def _read_vendor_csv(name: str) -> pd.DataFrame:
    """Read a vendored code table as text (``NA`` is Namibia, not a missing value)."""
    with resources.as_file(resources.files(_VENDOR) / name) as path:
        return pd.read_csv(Path(path), dtype=str, keep_default_na=False)


def _read_coco() -> pd.DataFrame:
    """The curated table shipped with country_converter, read without its class.

    country_converter's own loader reads Namibia's ISO2 ``NA`` as a missing value under
    pandas 3, so the table is read here as plain text.
    """
    with resources.as_file(resources.files("country_converter") / "country_data.tsv") as path:
        return pd.read_csv(Path(path), sep="\t", dtype=str, keep_default_na=False)


@dataclass(frozen=True)
class _Tables:
    """Every lookup, built once per process."""

    names: dict[str, str]  # ISO3 -> short English name
    iso2_to_iso3: dict[str, str]
    iso3_to_iso2: dict[str, str]
    cow_to_iso3: dict[int, str | None]
    cow_names: dict[int, str]
    iso3_to_cow: dict[str, int]
    fips_to_iso3: dict[str, str | None]
    iso3_to_fips: dict[str, str]
    name_index: dict[str, str]  # casefolded name -> ISO3
    regexes: tuple[tuple[re.Pattern[str], str], ...]


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("&", "and").split())


@functools.cache
def _tables() -> _Tables:
    coco = _read_coco()
    coco = coco[coco["ISO3"].str.len() == 3]
    names = dict(zip(coco["ISO3"], coco["name_short"], strict=True))
    iso2_to_iso3 = {
        iso2: iso3
        for iso2, iso3 in zip(coco["ISO2"], coco["ISO3"], strict=True)
        if re.fullmatch(r"[A-Z]{2}", iso2)
    }
    iso2_to_iso3.update({"GR": "GRC", "GB": "GBR"})
    for code in _HISTORIC_ISO3:
        hist = pycountry.historic_countries.get(alpha_3=code)
        names[code] = hist.name if hist is not None else code
    iso3_to_iso2 = {iso3: iso2 for iso2, iso3 in iso2_to_iso3.items()}
    iso2_to_iso3.update(HISTORIC_ISO2)
    iso3_to_iso2.update({v: k for k, v in HISTORIC_ISO2.items() if v in _HISTORIC_ISO3})

    cow = _read_vendor_csv("cow_states.csv")
    cow_to_iso3: dict[int, str | None] = {
        int(c): (i or None) for c, i in zip(cow["ccode"], cow["iso3"], strict=True)
    }
    cow_names = {int(c): n for c, n in zip(cow["ccode"], cow["name"], strict=True)}
    iso3_to_cow: dict[str, int] = {}
    for c, iso3, primary in zip(cow["ccode"], cow["iso3"], cow["primary"], strict=True):
        if iso3 and (primary == "1" or iso3 not in iso3_to_cow):
            iso3_to_cow[iso3] = int(c)

    fips = _read_vendor_csv("fips_to_iso3.csv")
    fips_to_iso3 = {f: (i or None) for f, i in zip(fips["fips"], fips["iso3"], strict=True)}
    iso3_to_fips: dict[str, str] = {}
    # Several FIPS codes share an ISO3 (Ashmore Islands and Australia); the state's own
    # FIPS code is the one py-gdelt also lists, so that row wins.
    ordered = fips.sort_values("py_gdelt_iso3", key=lambda s: s.eq(""), kind="stable")
    for f, i in zip(ordered["fips"], ordered["iso3"], strict=True):
        if i:
            iso3_to_fips.setdefault(i, f)

    name_index: dict[str, str] = {}
    for iso3, short, official in zip(
        coco["ISO3"], coco["name_short"], coco["name_official"], strict=True
    ):
        name_index.setdefault(_fold(short), iso3)
        name_index.setdefault(_fold(official), iso3)
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                name_index.setdefault(_fold(value), country.alpha_3)
    for code in _HISTORIC_ISO3:
        name_index[_fold(names[code])] = code
    for ccode, name in cow_names.items():
        iso3 = cow_to_iso3.get(ccode)
        if iso3:
            name_index.setdefault(_fold(name), iso3)
    name_index.update(
        {
            "ussr": "RUS",
            "soviet union": "RUS",
            "russian federation": "RUS",
            "yugoslavia": "SRB",
            "federal republic of germany": "DEU",
            "west germany": "DEU",
            "east germany": "DDR",
            "yemen arab republic": "YEM",
            "north yemen": "YEM",
            "south yemen": "YMD",
            "yemen people's republic": "YMD",
            "czechoslovakia": "CSK",
        }
    )
    regexes = tuple(
        (re.compile(rx, re.IGNORECASE), CONTINUATIONS.get(iso3, iso3))
        for rx, iso3 in zip(coco["regex"], coco["ISO3"], strict=True)
        if rx
    )
    return _Tables(
        names=names,
        iso2_to_iso3=iso2_to_iso3,
        iso3_to_iso2=iso3_to_iso2,
        cow_to_iso3=cow_to_iso3,
        cow_names=cow_names,
        iso3_to_cow=iso3_to_cow,
        fips_to_iso3=fips_to_iso3,
        iso3_to_fips=iso3_to_fips,
        name_index=name_index,
        regexes=regexes,
    )


class _Missing:
    """Marker for a known code that names no state (historic state, CAMEO region)."""


_NO_STATE = _Missing()


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and value.strip() == ""


def _as_cow(value: Any) -> int | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def _match_name(text: str) -> str | None:
    t = _tables()
    folded = _fold(text)
    if folded in t.name_index:
        return CONTINUATIONS.get(t.name_index[folded], t.name_index[folded])
    hits = {iso3 for rx, iso3 in t.regexes if rx.search(text)}
    return hits.pop() if len(hits) == 1 else None


def _one_to_iso3(value: Any, scheme: str) -> str | _Missing | None:
    """ISO3 for one code; ``_NO_STATE`` for a known non-state code; None if unknown."""
    t = _tables()
    if scheme == "cow":
        ccode = _as_cow(value)
        if ccode is None or ccode not in t.cow_to_iso3:
            return None
        return t.cow_to_iso3[ccode] or _NO_STATE
    text = str(value).strip()
    upper = text.upper()
    if scheme == "iso3":
        upper = CONTINUATIONS.get(upper, upper)
        return upper if upper in t.names else None
    if scheme == "iso2":
        return t.iso2_to_iso3.get(upper)
    if scheme == "fips":
        if upper not in t.fips_to_iso3:
            return None
        return t.fips_to_iso3[upper] or _NO_STATE
    if scheme == "cameo":
        if upper in CAMEO_REGIONS:
            return _NO_STATE
        upper = CAMEO_EXCEPTIONS.get(upper, upper)
        return upper if upper in t.names else None
    return _match_name(text)


def _known_codes(scheme: str) -> list[str]:
    t = _tables()
    if scheme == "cow":
        return [str(c) for c in t.cow_to_iso3]
    if scheme == "iso2":
        return list(t.iso2_to_iso3)
    if scheme == "fips":
        return list(t.fips_to_iso3)
    if scheme == "un_name":
        return list(t.names.values())
    return list(t.names)


def _suggest(value: Any, scheme: str) -> list[str]:
    t = _tables()
    text = str(value).strip()
    if scheme == "cow":
        ccode = _as_cow(value)
        if ccode is None:
            return []
        near = sorted(t.cow_to_iso3, key=lambda c: abs(c - ccode))[:3]
        return [f"{c} ({t.cow_names[c]})" for c in near]
    pool = _known_codes(scheme)
    if scheme in ("un_name",):
        return difflib.get_close_matches(text, pool, n=3, cutoff=0.5)
    matches = difflib.get_close_matches(text.upper(), pool, n=3, cutoff=0.3)
    iso3s = {m: _one_to_iso3(m, scheme) for m in matches}
    return [f"{m} ({t.names.get(i, '?') if isinstance(i, str) else '?'})" for m, i in iso3s.items()]


def _unknown(values: list[Any], scheme: str) -> UnknownCountry:
    parts = []
    for value in values[:5]:
        hint = _suggest(value, scheme)
        tail = f" (did you mean {', '.join(hint)}?)" if hint else ""
        parts.append(f"{value!r}{tail}")
    more = f" and {len(values) - 5} more" if len(values) > 5 else ""
    return UnknownCountry(
        f"unknown {scheme} country code(s): {'; '.join(parts)}{more}. "
        "Check the spelling, or pass errors='coerce' to turn unknown codes into NA."
    )


def _check_scheme(scheme: str) -> None:
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; choose one of {', '.join(SCHEMES)}")


def _mapping(values: Iterable[Hashable], scheme: str, errors: Errors) -> dict[Hashable, Any]:
    """Map each distinct value once; raise (or coerce) for the unknown ones."""
    mapping: dict[Hashable, Any] = {}
    unknown: list[Any] = []
    for value in values:
        if _is_missing(value):
            continue
        result = _one_to_iso3(value, scheme)
        if result is None:
            unknown.append(value)
        mapping[value] = None if isinstance(result, _Missing) else result
    if unknown and errors == "raise":
        raise _unknown(unknown, scheme)
    return mapping


# A Series is also an Iterable: the Series overload comes first and wins, as at run time.
@overload
def to_iso3(  # type: ignore[overload-overlap]
    codes: pd.Series, scheme: Scheme, *, errors: Errors = ...
) -> pd.Series: ...
@overload
def to_iso3(codes: Iterable[Any], scheme: Scheme, *, errors: Errors = ...) -> list[str | None]: ...
def to_iso3(
    codes: pd.Series | Iterable[Any], scheme: Scheme, *, errors: Errors = "raise"
) -> pd.Series | list[str | None]:
    """Convert codes of one ``scheme`` to ISO3; a Series in gives a Series out.

    Each distinct value is looked up once and the result applied with ``Series.map``,
    so a column of a million GDELT events costs a few hundred look-ups.  Missing
    inputs stay missing.  Known codes that name no state (a CAMEO region, a COW state
    with no ISO equivalent) become missing without error.  Unknown codes raise
    :class:`~dyadscope.errors.UnknownCountry` with suggestions, or become missing with
    ``errors="coerce"`` (for ingest that quarantines rather than fails).

    >>> to_iso3([365, 710, 713], "cow")
    ['RUS', 'CHN', 'TWN']
    >>> to_iso3(["CH", "RS", "UP"], "fips")
    ['CHN', 'RUS', 'UKR']
    """
    _check_scheme(scheme)
    if isinstance(codes, pd.Series):
        mapping = _mapping(codes.dropna().unique(), scheme, errors)
        return codes.map(mapping).astype("string")
    values = list(codes)
    mapping = _mapping(dict.fromkeys(v for v in values if not _is_missing(v)), scheme, errors)
    return [None if _is_missing(v) else mapping.get(v) for v in values]


def _one_from_iso3(iso3: str, scheme: str) -> Any:
    t = _tables()
    if scheme == "cow":
        return t.iso3_to_cow.get(iso3)
    if scheme == "iso2":
        return t.iso3_to_iso2.get(iso3)
    if scheme == "fips":
        return t.iso3_to_fips.get(iso3)
    if scheme == "un_name":
        return t.names.get(iso3)
    return iso3


def from_iso3(
    iso3s: pd.Series | Iterable[Any], scheme: Scheme, *, errors: Errors = "raise"
) -> pd.Series | list[Any]:
    """Convert ISO3 codes to ``scheme`` (the inverse of :func:`to_iso3`).

    Where several codes map to one ISO3 the primary one comes back: ``DEU`` → COW 255,
    ``YEM`` → 679, ``SRB`` → 345.  ISO3 codes are read case-insensitively; ``cameo``
    returns the ISO3 code itself, which is what CAMEO uses for modern states.

    >>> from_iso3(["RUS", "CHN"], "fips")
    ['RS', 'CH']
    >>> from_iso3(["rus", "twn"], "cow")
    [365, 713]
    """
    _check_scheme(scheme)
    series = iso3s if isinstance(iso3s, pd.Series) else pd.Series(list(iso3s), dtype=object)
    canonical = to_iso3(series, "iso3", errors=errors)
    mapping: dict[Any, Any] = {}
    missing = []
    for iso3 in canonical.dropna().unique():
        value = _one_from_iso3(str(iso3), scheme)
        if value is None:
            missing.append(iso3)
        mapping[iso3] = value
    if missing and errors == "raise":
        raise UnknownCountry(
            f"no {scheme} code for ISO3 {', '.join(map(str, missing[:5]))}; "
            "pass errors='coerce' to turn them into NA."
        )
    mapped: pd.Series = canonical.map(mapping)
    out = mapped.astype("Int64") if scheme == "cow" else mapped.astype("string")
    if isinstance(iso3s, pd.Series):
        return out
    values: list[Any] = [
        None if pd.isna(v) else (int(v) if scheme == "cow" else str(v)) for v in out
    ]
    return values


def is_known(code: Any, scheme: Scheme) -> bool:
    """Whether ``code`` is in ``scheme``'s table, even if it names no state (a CAMEO region).

    >>> is_known(245, "cow"), is_known(999, "cow")
    (True, False)
    """
    _check_scheme(scheme)
    return not _is_missing(code) and _one_to_iso3(code, scheme) is not None


def cow_to_iso3(ccode: int) -> str:
    """ISO3 code of a COW state code; 365 → ``RUS`` in every year, 710 → ``CHN``.

    Raises :class:`UnknownCountry` for a code COW does not use, and for a COW state
    that has no ISO3 equivalent (e.g. 245 Bavaria), naming it.

    >>> cow_to_iso3(365)
    'RUS'
    """
    t = _tables()
    result = _one_to_iso3(ccode, "cow")
    if result is None:
        raise _unknown([ccode], "cow")
    if isinstance(result, _Missing):
        raise UnknownCountry(
            f"COW {ccode} ({t.cow_names[int(ccode)]}) is a historical state with no ISO3 code"
        )
    return result


def iso3_to_cow(iso3: str) -> int:
    """COW state code of an ISO3 code (case-insensitive); ``DEU`` → 255, ``YEM`` → 679.

    >>> iso3_to_cow("chn")
    710
    """
    return _iso3_to_cow(iso3)


@functools.lru_cache(maxsize=4096)
def _iso3_to_cow(iso3: str) -> int:
    """:func:`iso3_to_cow`, remembered: the tables never change in a run, and each
    look-up through pandas costs ~4 ms (the brief makes ~30). Errors are not cached."""
    result = from_iso3([iso3], "cow")[0]
    if result is None:
        raise UnknownCountry(f"{iso3!r} has no Correlates of War state code")
    return int(result)


#: ISO3 codes whose territory COW records under another state code for some years:
#: (code, first year, last year).  West Germany (260) until 1989 for ``DEU`` and the
#: Yemen Arab Republic (678) until 1989 for ``YEM``; 1990 belongs to the unified state,
#: whose code (255, 679) COW also gives for that year.  East Germany (265) and South
#: Yemen (680) have no ISO3 successor of their own and are not folded in.
COW_PREDECESSORS: dict[str, tuple[int, int, int]] = {
    "DEU": (260, 1955, 1989),
    "YEM": (678, 1926, 1989),
}


def cow_predecessor(iso3: str) -> tuple[int, int, int] | None:
    """The other COW code an ISO3 state had in earlier years, with its years, or None.

    >>> cow_predecessor("deu")
    (260, 1955, 1989)
    >>> cow_predecessor("RUS") is None  # COW 365 throughout
    True
    """
    return COW_PREDECESSORS.get(iso3.upper())


def cow_code(iso3: str, year: int | None = None) -> int:
    """COW state code of ``iso3`` in ``year``: the one year-aware ISO3 → COW rule.

    Without a year, the state's own (latest) code; in a year that
    :data:`COW_PREDECESSORS` gives to an earlier code, that code (``DEU`` in 1970 is
    West Germany, 260; ``YEM`` in 1980 the Yemen Arab Republic, 678).  Indicators,
    the theory engines and :class:`dyadscope.data.dyad.Dyad` all read codes here.

    >>> cow_code("DEU"), cow_code("DEU", 1970), cow_code("deu", 1990), cow_code("YEM", 1980)
    (255, 260, 255, 678)
    """
    code = iso3_to_cow(iso3)
    pred = cow_predecessor(iso3)
    if pred is not None and year is not None and pred[1] <= year <= pred[2]:
        return pred[0]
    return code


def cow_name(ccode: int) -> str:
    """COW's name for a state code, e.g. 260 → 'German Federal Republic'."""
    t = _tables()
    if int(ccode) not in t.cow_names:
        raise _unknown([ccode], "cow")
    return t.cow_names[int(ccode)]


def resolve(text: str) -> str:
    """ISO3 code from any user spelling: ISO3, ISO2 or a name, in any case.

    Three letters are read as ISO3 first, two as ISO2, anything else as a name
    ("Russian Federation", "PRC", "south korea").  An unknown spelling raises
    :class:`UnknownCountry` with the closest names and codes.

    >>> resolve("rus"), resolve("cn"), resolve("People's Republic of China")
    ('RUS', 'CHN', 'CHN')
    """
    t = _tables()
    raw = str(text).strip()
    if not raw:
        raise UnknownCountry("empty country name; give an ISO3 code such as RUS or CHN")
    upper = raw.upper()
    if len(raw) == 3 and CONTINUATIONS.get(upper, upper) in t.names:
        return CONTINUATIONS.get(upper, upper)
    if len(raw) == 2 and upper in t.iso2_to_iso3:
        return t.iso2_to_iso3[upper]
    found = _match_name(raw)
    if found is not None:
        return found
    pool = {**{code: code for code in t.names}, **{n: i for n, i in t.name_index.items()}}
    hints = difflib.get_close_matches(raw.casefold(), [k.casefold() for k in pool], n=4)
    hints_text = ", ".join(
        dict.fromkeys(f"{h} ({pool.get(h.upper(), pool.get(h))})" for h in hints)
    )
    raise UnknownCountry(
        f"unknown country {raw!r}"
        + (f"; did you mean {hints_text}?" if hints_text else "; use an ISO3 code such as RUS")
    )
