"""Each kind of problem a case can have is reported with its YAML path and a clear message.

The valid fixture ``fixtures/minimal.yaml`` is broken in exactly one place per test;
the test asserts the one problem reported, word for word, so a vaguer message or a
wrong path fails it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dyadscope.case import Case, validate_case, validate_data
from dyadscope.case.references import read_lines
from dyadscope.errors import CaseValidationError, InputError

Data = dict[str, Any]
ProblemsOf = Callable[..., list[str]]


def put(path: tuple[str | int, ...], value: Any) -> Callable[[Data], None]:
    """A mutation that sets ``data[path] = value``."""

    def apply(data: Data) -> None:
        *head, last = path
        node: Any = data
        for part in head:
            node = node[part]
        node[last] = value

    return apply


def drop(path: tuple[str | int, ...]) -> Callable[[Data], None]:
    """A mutation that deletes ``data[path]``."""

    def apply(data: Data) -> None:
        *head, last = path
        node: Any = data
        for part in head:
            node = node[part]
        del node[last]

    return apply


def copy_item(section: str, index: int, **changes: Any) -> Callable[[Data], None]:
    """A mutation that appends a copy of ``data[section][index]`` with ``changes``."""

    def apply(data: Data) -> None:
        data[section].append({**data[section][index], **changes})

    return apply


CASES: list[tuple[str, Callable[[Data], None], str]] = [
    (
        "unknown-field",
        put(("factors", 0, "colour"), "red"),
        "factors[0].colour: unknown field 'colour' (not in the case schema; check the spelling)",
    ),
    (
        "misspelt-field",
        put(("links", 0, "evidences"), []),
        "links[0].evidences: unknown field 'evidences' (not in the case schema; "
        "did you mean 'evidence'?)",
    ),
    ("missing-field", drop(("factors", 1, "label")), "factors[1].label: required field is missing"),
    (
        "duplicate-factor-id",
        copy_item("factors", 0),
        "factors[4].id: duplicate factor id 'border_treaty' (first at factors[0])",
    ),
    (
        "duplicate-scenario-id",
        copy_item("scenarios", 1),
        "scenarios[2].id: duplicate scenario id 'trade_shock' (first at scenarios[1])",
    ),
    (
        "duplicate-document",
        copy_item("documents", 1),
        "documents[2].file: duplicate document 'ministry_bulletin.txt' (first at documents[1])",
    ),
    (
        "duplicate-actor",
        copy_item("actors", 0, iso3="arg"),
        "actors[2].iso3: duplicate actor 'arg' (first at actors[0])",
    ),
    (
        "bad-slug",
        put(("scenarios", 1, "id"), "Trade Shock"),
        "scenarios[1].id: 'Trade Shock' is not a valid id: use lower-case letters, digits and '_', "
        "starting with a letter (e.g. 'energy_trade')",
    ),
    (
        "dangling-source",
        put(("links", 0, "source"), "border_treaties"),
        "links[0].source: dangling link: source 'border_treaties' is not a factor id; "
        "did you mean 'border_treaty'?",
    ),
    (
        "dangling-target",
        put(("links", 1, "target"), "alliance"),
        "links[1].target: dangling link: target 'alliance' is not a factor id",
    ),
    ("weight-above-1", put(("links", 0, "weight"), 1.6), "links[0].weight: 1.6 is outside [-1, 1]"),
    (
        "weight-not-a-number",
        put(("links", 0, "weight"), True),
        "links[0].weight: input should be a valid number, got True",
    ),
    (
        "interval-reversed",
        put(("links", 1, "interval"), [0.6, 0.2]),
        "links[1].interval: low 0.6 > high 0.2",
    ),
    (
        "weight-outside-interval",
        put(("links", 2, "interval"), [-0.2, 0.0]),
        "links[2].interval: weight -0.3 is outside its interval [-0.2, 0.0]",
    ),
    (
        "interval-bound-outside-unit",
        put(("links", 0, "interval"), [0.4, 1.5]),
        "links[0].interval[1]: 1.5 is outside [-1, 1]",
    ),
    (
        "self-loop",
        put(("links", 2, "target"), "asymmetry"),
        "links[2]: self-loop: 'asymmetry' links to itself",
    ),
    (
        "duplicate-link",
        copy_item("links", 1, weight=0.5),
        "links[3]: duplicate link trade_complementarity -> partnership (first at links[1])",
    ),
    (
        "unknown-document",
        put(("factors", 3, "evidence", 0, "doc"), "field_note.txt"),
        "factors[3].evidence[0].doc: unknown document 'field_note.txt': not in documents[].file; "
        "did you mean 'field_notes.txt'?",
    ),
    (
        "lines-malformed",
        put(("factors", 0, "evidence", 0, "lines"), "2 to 3"),
        "factors[0].evidence[0].lines: malformed line range '2 to 3'; write 'a-b' or 'a', "
        "e.g. '45-47'",
    ),
    (
        "lines-backwards",
        put(("links", 0, "evidence", 0, "lines"), "9-3"),
        "links[0].evidence[0].lines: line range '9-3' runs backwards (9 > 3); write '3-9'",
    ),
    (
        "bad-stance",
        put(("factors", 2, "evidence", 1, "stance"), "refutes"),
        "factors[2].evidence[1].stance: input should be 'supports', 'contests' or 'mentions', "
        "got 'refutes'",
    ),
    (
        "bad-kind",
        put(("factors", 2, "kind"), "frictions"),
        "factors[2].kind: input should be 'driver', 'limitation', 'friction', 'lever', "
        "'key_variable', 'outcome' or 'context', got 'frictions'",
    ),
    (
        "bad-actor-iso3",
        put(("actors", 1, "iso3"), "XXX"),
        "actors[1].iso3: 'XXX' is not an ISO 3166-1 alpha-3 country code",
    ),
    (
        "iso2-given-for-iso3",
        put(("factors", 0, "actors"), ["ARG", "br"]),
        "factors[0].actors[1]: 'BR' is not an ISO 3166-1 alpha-3 country code; "
        "did you mean BRA (Brazil)?",
    ),
    (
        "name-given-for-iso3",
        put(("actors", 0, "iso3"), "Argentina"),
        "actors[0].iso3: 'ARGENTINA' is not an ISO 3166-1 alpha-3 country code; "
        "did you mean ARG (Argentina)?",
    ),
    (
        "unknown-clamp-factor",
        put(("scenarios", 1, "clamps"), {"trade_complementarity": -0.8, "trade": 0.5}),
        "scenarios[1].clamps.trade: unknown clamp factor 'trade'",
    ),
    (
        "clamp-outside-unit",
        put(("scenarios", 1, "clamps", "trade_complementarity"), -2),
        "scenarios[1].clamps.trade_complementarity: -2.0 is outside [-1, 1]",
    ),
    (
        "empty-clamps-outside-baseline",
        put(("scenarios", 1, "clamps"), {}),
        "scenarios[1].clamps: no clamps: only the 'baseline' scenario may leave every factor free",
    ),
    (
        "factor-without-evidence",
        put(("factors", 3, "evidence"), []),
        "factors[3].evidence: a factor needs at least one citation (doc, lines, stance)",
    ),
    (
        "year-as-text",
        put(("documents", 0, "year"), "2024"),
        "documents[0].year: input should be a valid integer, got '2024'",
    ),
    (
        "one-actor",
        put(("actors",), [{"iso3": "ARG", "name": "Argentina"}]),
        "actors: list should have at least 2 items after validation, not 1",
    ),
]


@pytest.mark.parametrize(("mutate", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_problem_is_reported_with_its_path(
    minimal_data: Data, mutate: Callable[[Data], None], expected: str, problems_of: ProblemsOf
) -> None:
    mutate(minimal_data)
    assert problems_of(minimal_data) == [expected]


def test_document_name_with_folders(minimal_data: Data, problems_of: ProblemsOf) -> None:
    """A document path could escape the docs folder; its citations are then orphaned too."""
    put(("documents", 1, "file"), "../ministry_bulletin.txt")(minimal_data)
    problems = problems_of(minimal_data)
    assert problems[0] == (
        "documents[1].file: '../ministry_bulletin.txt' must be a bare file name (no folders), "
        "e.g. '001_1533d69b6b02255c.txt'"
    )
    assert all("unknown document 'ministry_bulletin.txt'" in p for p in problems[1:])
    assert len(problems) == 4  # the three citations of ministry_bulletin.txt


def test_lines_outside_the_document(
    minimal_data: Data, fixture_docs: Path, problems_of: ProblemsOf
) -> None:
    """ministry_bulletin.txt has 6 lines (``wc -l``), so lines 5-7 run past its end."""
    put(("factors", 2, "evidence", 1, "lines"), "5-7")(minimal_data)
    assert problems_of(minimal_data, fixture_docs) == [
        "factors[2].evidence[1].lines: lines 5-7 are outside 'ministry_bulletin.txt', "
        "which has 6 lines"
    ]
    put(("factors", 2, "evidence", 1, "lines"), "5-6")(minimal_data)
    assert isinstance(validate_data(minimal_data, docs_dir=fixture_docs), Case)


def test_lines_that_are_blank(
    minimal_data: Data, fixture_docs: Path, tmp_path: Path, problems_of: ProblemsOf
) -> None:
    """A citation of only blank lines is off by some lines: the validator says so."""
    (tmp_path / "field_notes.txt").write_bytes((fixture_docs / "field_notes.txt").read_bytes())
    (tmp_path / "ministry_bulletin.txt").write_text("one\ntwo\n\n  \nfive\nsix\n", "utf-8")
    put(("factors", 2, "evidence", 1, "lines"), "3-4")(minimal_data)
    assert problems_of(minimal_data, tmp_path) == [
        "factors[2].evidence[1].lines: lines 3-4 of 'ministry_bulletin.txt' are blank; "
        "a citation must point at text"
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"a\nb\n", ["a", "b"]),
        (b"a\nb", ["a", "b"]),
        (b"", []),
        (b"\n", [""]),
        # A form feed is not a line break for grep -n or an editor's line numbers.
        (b"a\x0cb\nc\n", ["a\x0cb", "c"]),
    ],
)
def test_lines_are_numbered_like_grep(tmp_path: Path, content: bytes, expected: list[str]) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(content)
    assert read_lines(path) == expected


def test_document_missing_from_the_docs_folder(
    minimal_data: Data, fixture_docs: Path, tmp_path: Path, problems_of: ProblemsOf
) -> None:
    (tmp_path / "field_notes.txt").write_bytes((fixture_docs / "field_notes.txt").read_bytes())
    assert problems_of(minimal_data, tmp_path) == [
        f"documents[1].file: 'ministry_bulletin.txt' not found in {tmp_path}"
    ]


def test_docs_folder_that_does_not_exist(minimal_data: Data, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        validate_data(minimal_data, docs_dir=tmp_path / "nowhere")


def test_every_problem_is_reported_at_once(minimal_data: Data, problems_of: ProblemsOf) -> None:
    """Type errors, range errors and reference errors come back in one report."""
    chosen = {
        "unknown-field",
        "dangling-source",
        "weight-above-1",
        "interval-reversed",
        "self-loop",
        "unknown-document",
        "lines-backwards",
        "bad-actor-iso3",
        "unknown-clamp-factor",
        "year-as-text",
        "duplicate-document",
    }
    breakages = [c for c in CASES if c[0] in chosen]
    assert len(breakages) == len(chosen)
    for _, mutate, _ in breakages:
        mutate(minimal_data)
    problems = problems_of(minimal_data)
    assert sorted(problems) == sorted(expected for _, _, expected in breakages)


def test_a_case_must_be_a_mapping(problems_of: ProblemsOf) -> None:
    assert problems_of(["not", "a", "case"]) == [
        "<top level>: a case is a mapping of fields, got list"
    ]


def test_the_fixture_is_valid(minimal_path: Path, fixture_docs: Path) -> None:
    case = validate_case(minimal_path, docs_dir=fixture_docs)
    assert case.source == str(minimal_path)
    assert [f.id for f in case.factors] == [
        "border_treaty",
        "trade_complementarity",
        "asymmetry",
        "partnership",
    ]
    # Lower-case ISO3 and an integer period are normalised, not rejected.
    assert case.factor("trade_complementarity").actors == ["ARG", "BRA"]
    assert case.factor("border_treaty").period == "2004"


def test_a_date_period_is_kept_as_text(minimal_data: Data) -> None:
    """YAML turns ``period: 2014-05-20`` into a date; the model keeps the text the analyst wrote."""
    minimal_data["factors"][0]["period"] = datetime.date(2014, 5, 20)
    assert validate_data(minimal_data).factor("border_treaty").period == "2014-05-20"


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_problems_from_a_file_carry_line_numbers(minimal_path: Path, tmp_path: Path) -> None:
    text = minimal_path.read_text(encoding="utf-8")
    broken = text.replace("weight: 0.6", "weight: 1.6").replace("kind: friction", "kind: foe")
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(CaseValidationError) as info:
        validate_case(path)
    assert info.value.exit_code == 2
    kind_line, weight_line = _line_of(broken, "kind: foe"), _line_of(broken, "weight: 1.6")
    assert info.value.problems[0].startswith(f"factors[2].kind (line {kind_line}): ")
    assert info.value.problems[1] == f"links[0].weight (line {weight_line}): 1.6 is outside [-1, 1]"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.yaml"]  # nothing written


def test_missing_field_points_at_its_parent_line(minimal_path: Path, tmp_path: Path) -> None:
    text = minimal_path.read_text(encoding="utf-8")
    broken = text.replace("    rationale: Trade gains give both sides a stake.\n", "")
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(CaseValidationError) as info:
        validate_case(path)
    parent = _line_of(broken, "  - source: trade_complementarity")
    assert info.value.problems == [f"links[1].rationale (line {parent}): required field is missing"]


def test_a_key_given_twice_is_a_problem(minimal_path: Path, tmp_path: Path) -> None:
    """PyYAML would keep the second ``weight`` silently; the validator refuses it."""
    text = minimal_path.read_text(encoding="utf-8")
    broken = text.replace("    weight: 0.6\n", "    weight: 0.6\n    weight: 0.7\n")
    path = tmp_path / "twice.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(CaseValidationError) as info:
        validate_case(path)
    first = _line_of(broken, "weight: 0.6")
    assert info.value.problems == [
        f"links[0].weight (line {first + 1}): key 'weight' given twice (first on line {first})"
    ]


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("id: x\nfactors: [a, b\ntitle: y\n", encoding="utf-8")
    with pytest.raises(CaseValidationError, match=r"line \d+, column \d+: malformed YAML"):
        validate_case(path)


def test_missing_file_is_a_named_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        validate_case(tmp_path / "absent.yaml")


def test_yaml_tags_are_not_executed(tmp_path: Path) -> None:
    """Only the safe loader is used: a Python tag is a YAML error, not code that runs."""
    path = tmp_path / "evil.yaml"
    path.write_text("id: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    with pytest.raises(CaseValidationError, match="malformed YAML"):
        validate_case(path)


@pytest.mark.parametrize(
    "text",
    [
        # "Billion laughs": each line multiplies the one before; 9**9 strings if expanded.
        'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
        + "".join(
            f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n"
            for p, n in zip("abcdefgh", "bcdefghi", strict=True)
        ),
        "a: &loop [*loop]\n",  # a list that contains itself
    ],
    ids=["billion-laughs", "recursive"],
)
def test_aliased_lists_are_refused_at_once(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CaseValidationError, match="line 1: this list or mapping is reused"):
        validate_case(path)


def test_an_aliased_plain_value_is_fine(minimal_path: Path, tmp_path: Path) -> None:
    text = minimal_path.read_text(encoding="utf-8")
    path = tmp_path / "alias.yaml"
    path.write_text(text.replace("title: ", "title: &t ", 1) + "description: *t\n", "utf-8")
    with pytest.raises(CaseValidationError) as info:
        validate_case(path)
    assert "YAML alias" not in str(info.value) and "description" in str(info.value)


def test_building_a_case_in_code_checks_references(minimal_data: Data) -> None:
    """``Case.model_validate`` alone also refuses a dangling link (no half-checked cases)."""
    put(("links", 0, "target"), "nowhere")(minimal_data)
    with pytest.raises(ValueError, match="dangling link: target 'nowhere'"):
        Case.model_validate(minimal_data)
