"""The case model: documents, actors, factors, links and scenarios as checked data.

A *case* holds what the sources say about one dyad as a system an analyst can
audit: every factor cites the document lines it rests on, every link carries a
weight with an uncertainty interval and a rationale, and every scenario clamps
named factors.  The models reject unknown keys (``extra="forbid"``) so a typo in a
YAML file is an error, never a silently ignored field.

Checks that need the whole case (unknown or duplicate ids, dangling links,
unknown documents) live in :mod:`dyadscope.case.references` and run when a
:class:`Case` is built; :func:`dyadscope.case.validate_case` runs them on the raw
YAML as well so that every problem is reported at once.
"""

from __future__ import annotations

import datetime
import difflib
import math
import re
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    Strict,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.json_schema import WithJsonSchema
from pydantic_core import PydanticCustomError

from dyadscope.case._lines import LineRange, LineRangeError
from dyadscope.case.evidence import Citation, Voice, case_citations, case_voices
from dyadscope.data import countries
from dyadscope.errors import UnknownCountry
from dyadscope.errors import UnknownFactor as UnknownFactor  # re-exported: its old home

if TYPE_CHECKING:
    import networkx as nx  # only Case.to_graph returns one; imported there, on use

FactorKind = Literal[
    "driver", "limitation", "friction", "lever", "key_variable", "outcome", "context"
]
#: Factor kinds in the order a reader meets them (drivers first, outcomes near the end).
FACTOR_KINDS: tuple[str, ...] = get_args(FactorKind)
Stance = Literal["supports", "contests", "mentions"]
DocumentKind = Literal[
    "interview", "paper", "bulletin", "thesis", "article", "transcript", "statement"
]

SLUG_PATTERN = r"^[a-z][a-z0-9_]*$"
_SLUG = re.compile(SLUG_PATTERN)
#: Key in the validation context that skips the whole-case checks (the validator ran them).
SKIP_REFERENCES = "skip_references"


def _check_slug(value: str) -> str:
    if _SLUG.fullmatch(value) is None:
        raise PydanticCustomError(
            "slug",
            "{got} is not a valid id: use lower-case letters, digits and '_', "
            "starting with a letter (e.g. 'energy_trade')",
            {"got": repr(value)},
        )
    return value


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


def _check_iso3(value: str) -> str:
    """The canonical ISO3 code, read by the one country layer (``dyadscope.data.countries``).

    Why the country layer and not pycountry: a case must accept exactly the codes the
    indicators and the brief accept (``XKX`` Kosovo), and read a withdrawn code the
    way they do (``SUN`` is ``RUS``), or a case could name a state no engine finds.
    """
    found = countries.to_iso3([value], "iso3", errors="coerce")[0]
    if found:
        return found
    raise PydanticCustomError(
        "iso3",
        "{got} is not an ISO 3166-1 alpha-3 country code{hint}",
        {"got": repr(value), "hint": _iso3_hint(value)},
    )


def _iso3_hint(value: str) -> str:
    """Suggest the ISO3 code when an ISO2 code or a country name was written instead."""
    try:
        iso3 = countries.resolve(value)
    except UnknownCountry:
        return ""
    name = countries.from_iso3([iso3], "un_name", errors="coerce")[0]
    return f"; did you mean {iso3} ({name or iso3})?"


def _check_unit(value: float) -> float:
    if not (math.isfinite(value) and -1.0 <= value <= 1.0):
        raise PydanticCustomError("unit", "{value} is outside [-1, 1]", {"value": value})
    return value


def _normalise_lines(value: Any) -> str:
    try:
        return str(LineRange.parse(value))
    except LineRangeError as exc:
        raise PydanticCustomError("line_range", "{why}", {"why": str(exc)}) from None


def _check_file_name(value: str) -> str:
    if value in {".", ".."} or "/" in value or "\\" in value:
        raise PydanticCustomError(
            "file_name",
            "{got} must be a bare file name (no folders), e.g. '001_1533d69b6b02255c.txt'",
            {"got": repr(value)},
        )
    return value


def _hex_digest(length: int, name: str) -> Any:
    """A validator of a lowercase hex checksum of ``length`` digits (case-folded)."""

    def check(value: str) -> str:
        value = value.strip().lower()
        if len(value) != length or any(c not in "0123456789abcdef" for c in value):
            raise PydanticCustomError(
                "checksum",
                "{got} is not a {name} checksum ({length} hex digits)",
                {"got": repr(value), "name": name, "length": length},
            )
        return value

    return AfterValidator(check)


def _period_to_text(value: Any) -> Any:
    # YAML reads `period: 2014` as an int and `period: 2014-05-20` as a date; both mean text.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[
    str,
    AfterValidator(_check_slug),
    WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN}),
]
Iso3 = Annotated[
    str,
    BeforeValidator(_upper),
    AfterValidator(_check_iso3),
    WithJsonSchema({"type": "string", "pattern": "^[A-Za-z]{3}$", "description": "ISO3 code"}),
]
Unit = Annotated[
    float,
    Strict(),
    AfterValidator(_check_unit),
    WithJsonSchema({"type": "number", "minimum": -1, "maximum": 1}),
]
Lines = Annotated[
    str,
    BeforeValidator(_normalise_lines),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"^\s*\d+\s*([-–]\s*\d+\s*)?$"},
                {"type": "integer", "minimum": 1},
            ],
            "description": "inclusive 1-based line range, 'a-b' or 'a'",
        }
    ),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Actor(_Model):
    """A state in the case; the first two actors of a case are its dyad."""

    iso3: Iso3
    name: Text


Md5 = Annotated[
    str,
    _hex_digest(32, "MD5"),
    WithJsonSchema({"type": "string", "pattern": "^[0-9a-fA-F]{32}$"}),
]
Sha256 = Annotated[
    str,
    _hex_digest(64, "SHA-256"),
    WithJsonSchema({"type": "string", "pattern": "^[0-9a-fA-F]{64}$"}),
]


class Document(_Model):
    """A source document, described in our own words and cited by ``file``.

    ``file`` is the document's file name, or a short citation key when the document
    also gives ``md5`` or ``sha256``: the file is then found by its bytes
    (:mod:`dyadscope.case.locate`), whatever it is called.
    """

    file: Annotated[Text, AfterValidator(_check_file_name)]
    title: Text
    publisher: Text
    year: Annotated[int, Strict(), Field(ge=1800, le=2200)]
    kind: DocumentKind
    authors: list[Text] = Field(default_factory=list)
    url: Text | None = None
    issuer: Text | None = Field(default=None, description="who published the text officially")
    date: datetime.date | None = Field(default=None, description="date of the document, YYYY-MM-DD")
    licence: Text | None = Field(default=None, description="the licence the text is under")
    md5: Md5 | None = Field(
        default=None, description="MD5 of the file's bytes; with it, `file` may be a citation key"
    )
    sha256: Sha256 | None = Field(
        default=None, description="SHA-256 of the file's bytes; with it, `file` may be a key"
    )


class Evidence(_Model):
    """A pointer into a document: which lines, and whether they support the claim."""

    doc: Text
    lines: Lines
    stance: Stance
    voice: Text | None = Field(
        default=None, description="the expert or author speaking in those lines"
    )

    @property
    def span(self) -> LineRange:
        """The cited lines as a :class:`LineRange` (``Evidence(...).span.start``)."""
        return LineRange.parse(self.lines)


class Factor(_Model):
    """A driver, limitation, friction, lever, key variable, outcome or context of the dyad."""

    id: Slug
    kind: FactorKind
    label: Text
    summary: Text
    actors: list[Iso3] = Field(default_factory=list)
    period: Annotated[Text, BeforeValidator(_period_to_text)] | None = None
    indicator: Slug | None = Field(
        default=None, description="id of a measurable indicator, e.g. 'trade_share_a'"
    )
    evidence: list[Evidence]
    level: Unit | None = Field(
        default=None,
        description="signed level in [-1, 1] the factor holds when nothing acts on it "
        "(required for every factor without incoming links)",
    )
    level_interval: tuple[Unit, Unit] | None = Field(
        default=None, description="[low, high] the sampler draws the level from"
    )
    level_rationale: Text | None = Field(
        default=None, description="why the level sits where it does"
    )
    level_evidence: list[Evidence] = Field(
        default_factory=list, description="citations for the level"
    )

    @field_validator("level_interval")
    @classmethod
    def _level_interval_holds_level(
        cls, value: tuple[float, float] | None, info: ValidationInfo
    ) -> tuple[float, float] | None:
        if value is None:
            return value
        low, high = value
        if low > high:
            raise PydanticCustomError(
                "interval_order", "low {low} > high {high}", {"low": low, "high": high}
            )
        level = info.data.get("level")
        if level is None:
            raise PydanticCustomError(
                "interval_without_level", "a level_interval needs a level inside it"
            )
        if not low <= level <= high:
            raise PydanticCustomError(
                "interval_weight",
                "level {level} is outside its level_interval [{low}, {high}]",
                {"level": level, "low": low, "high": high},
            )
        return value

    @field_validator("evidence")
    @classmethod
    def _needs_evidence(cls, value: list[Evidence]) -> list[Evidence]:
        if not value:
            raise PydanticCustomError(
                "no_evidence", "a factor needs at least one citation (doc, lines, stance)"
            )
        return value


class Link(_Model):
    """A signed, weighted influence of one factor on another, with its uncertainty."""

    source: Slug
    target: Slug
    weight: Unit
    interval: tuple[Unit, Unit] = Field(description="[low, high], containing the weight")
    rationale: Text
    evidence: list[Evidence] = Field(default_factory=list)

    @field_validator("interval")
    @classmethod
    def _interval_holds_weight(
        cls, value: tuple[float, float], info: ValidationInfo
    ) -> tuple[float, float]:
        low, high = value
        if low > high:
            raise PydanticCustomError(
                "interval_order", "low {low} > high {high}", {"low": low, "high": high}
            )
        weight = info.data.get("weight")
        if weight is not None and not low <= weight <= high:
            raise PydanticCustomError(
                "interval_weight",
                "weight {weight} is outside its interval [{low}, {high}]",
                {"weight": weight, "low": low, "high": high},
            )
        return value


class Scenario(_Model):
    """A named what-if: factors clamped to values in [-1, 1] while the rest evolve."""

    id: Slug
    label: Text
    rationale: Text
    clamps: dict[Slug, Unit] = Field(default_factory=dict)
    non_lever_clamps: dict[Slug, Text] = Field(
        default_factory=dict,
        description="factors clamped although not of kind lever, each with the reason",
    )
    evidence: list[Evidence] = Field(default_factory=list)


class HistoricalState(_Model):
    """A dated state of the dyad: lever levels the sources give, and the outcome they name."""

    id: Slug
    label: Text
    period: Annotated[Text, BeforeValidator(_period_to_text)]
    levels: dict[Slug, Unit] = Field(min_length=1)
    expected: Slug = Field(description="id of the outcome the sources describe for the period")
    rationale: Text
    evidence: list[Evidence] = Field(min_length=1)


class Claim(_Model):
    """A figure a document states, set beside what the data say in the brief.

    ``value`` is in the unit of ``indicator`` (e.g. a share in [0, 1] for
    ``trade_share_a``, US$ million for ``trade_total``), so the two can be drawn
    on one axis; ``label`` is how the brief annotates it.
    """

    indicator: Slug
    year: Annotated[int, Strict(), Field(ge=1800, le=2200)]
    value: float
    label: Text
    evidence: list[Evidence] = Field(min_length=1)


class Case(_Model):
    """A dyad described as checked data.

    >>> from dyadscope.case import load_case
    >>> case = load_case()  # the shipped Russia–China case  # doctest: +SKIP
    >>> case.dyad  # doctest: +SKIP
    ('RUS', 'CHN')
    """

    id: Slug
    title: Text
    summary: Text
    actors: list[Actor] = Field(min_length=2, description="the first two are the dyad (a, b)")
    documents: list[Document] = Field(min_length=1)
    factors: list[Factor] = Field(min_length=1)
    links: list[Link] = Field(default_factory=list)
    scenarios: list[Scenario] = Field(default_factory=list)
    claims: list[Claim] = Field(
        default_factory=list, description="figures quoted in the documents, with citations"
    )
    history: list[HistoricalState] = Field(
        default_factory=list, description="dated states for the historical replay"
    )
    sources_as_of: datetime.date | None = Field(
        default=None, description="date of the latest document the case draws on"
    )

    _source: str | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _references_hold(self, info: ValidationInfo) -> Case:
        if info.context and info.context.get(SKIP_REFERENCES):
            return self
        from dyadscope.case.levels import level_problems
        from dyadscope.case.references import reference_problems

        data = self.model_dump()
        problems = reference_problems(data) + level_problems(data)
        if problems:
            raise ValueError("; ".join(str(p) for p in problems))
        return self

    @property
    def source(self) -> str | None:
        """Where the case was read from (a path, or ``None`` when built in memory)."""
        return self._source

    @property
    def dyad(self) -> tuple[str, str]:
        """The ISO3 codes of the two states the case is about, in the case's order."""
        return self.actors[0].iso3, self.actors[1].iso3

    def factor(self, factor_id: str) -> Factor:
        """The factor with this id; :class:`UnknownFactor` names close matches otherwise.

        >>> case.factor("energy_complementarity").kind  # doctest: +SKIP
        'driver'
        """
        for factor in self.factors:
            if factor.id == factor_id:
                return factor
        ids = [f.id for f in self.factors]
        close = difflib.get_close_matches(factor_id, ids, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownFactor(f"case {self.id!r} has no factor {factor_id!r}{hint}")

    def factors_by_kind(self) -> dict[str, list[Factor]]:
        """Factors grouped by kind, kinds in :data:`FACTOR_KINDS` order, empty kinds left out.

        >>> list(case.factors_by_kind())[:2]  # doctest: +SKIP
        ['driver', 'limitation']
        """
        groups: dict[str, list[Factor]] = {kind: [] for kind in FACTOR_KINDS}
        for factor in self.factors:
            groups[factor.kind].append(factor)
        return {kind: items for kind, items in groups.items() if items}

    def voices(self) -> list[Voice]:
        """Every voiced citation of a factor, for a table of expert positions.

        Each row is ``(voice, doc, lines, factor, stance)``, sorted by voice, then by
        where it sits in the documents.
        """
        return case_voices(self)

    def citations(self) -> dict[str, list[Citation]]:
        """Every citation grouped by document file (case order), sorted by line."""
        return case_citations(self)

    def to_graph(self) -> nx.DiGraph:
        """The factor map as a directed graph: nodes carry kind and label, edges weight."""
        from dyadscope.case.graph import case_to_graph

        return case_to_graph(self)


def case_json_schema() -> dict[str, Any]:
    """The JSON Schema of a case file, for editors and for ``dyadscope case schema``.

    The schema covers field types and ranges; the whole-case checks (ids,
    cross-references, cited lines) are only run by :func:`dyadscope.case.validate_case`.

    >>> case_json_schema()["title"]
    'Case'
    """
    schema = Case.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


#: Every field name the case schema knows, to suggest a spelling for an unknown key.
FIELD_NAMES: frozenset[str] = frozenset(
    name
    for model in (Actor, Document, Evidence, Factor, Link, Scenario, HistoricalState, Claim, Case)
    for name in model.model_fields
)
