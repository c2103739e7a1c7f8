"""Official CAMEO tables: vendored with checksums, and a check that rejects bad copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dyadscope.errors import ChecksumMismatch, SchemaError
from dyadscope.events import cameo


def test_vendored_tables_are_byte_identical_to_the_official_lookups(shared_data: Path) -> None:
    for name in ("CAMEO.eventcodes.txt", "CAMEO.goldsteinscale.txt", "CAMEO.type.txt"):
        vendored = (cameo.TABLES_DIR / name).read_bytes()
        assert vendored == (shared_data / "cameo" / name).read_bytes(), name
    cameo.verify_tables()


def test_official_values() -> None:
    """Figures from MANIFEST.md §4: 311 codes, 016 = -2.0 "Deny responsibility"."""
    scores = cameo.goldstein()
    assert len(scores) == 311
    assert scores["016"] == -2.0
    assert cameo.event_descriptions()["016"] == "Deny responsibility"
    # Codes are strings: "010" (make statement) and "10" (demand) are different codes.
    descriptions = cameo.event_descriptions()
    assert descriptions["010"].startswith("Make statement") and descriptions["10"] == "DEMAND"
    assert cameo.actor_types()["GOV"] == "Government"


@pytest.mark.parametrize(
    ("code", "root", "quad"),
    [
        ("01", "01", 1),
        ("0251", "02", 1),
        ("057", "05", 1),
        ("06", "06", 2),
        ("0874", "08", 2),
        ("090", "09", 2),
        ("100", "10", 3),
        ("1415", "14", 3),
        ("150", "15", 4),
        ("204", "20", 4),
    ],
)
def test_root_and_quad_class(code: str, root: str, quad: int) -> None:
    assert cameo.root_code(code) == root
    assert cameo.quad_class(code) == quad


@pytest.mark.parametrize("code", ["", "7", "21", "00", "ab"])
def test_root_code_rejects_non_cameo(code: str) -> None:
    with pytest.raises(SchemaError):
        cameo.root_code(code)


def test_event_table_quad_classes_agree_with_real_gdelt(export_2_0: Path) -> None:
    """Every (EventCode, QuadClass) pair in the real 2.0 export fits the derived QuadClass."""
    table = cameo.event_table().set_index("code")
    for line in export_2_0.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        assert int(fields[29]) == table.loc[fields[26], "quad_class"]


def test_official_table_passes_its_own_check() -> None:
    result = cameo.check_goldstein_table(cameo.TABLES_DIR / "CAMEO.goldsteinscale.txt")
    assert result.ok and result.shared == 311 and not result.only_theirs


def test_gdeltpyr_table_is_rejected_naming_the_six_codes(shared_data: Path) -> None:
    """MANIFEST.md §4: 275 shared codes, 6 disagree (016, 022, 124, 163, 165, 166)."""
    with pytest.raises(cameo.TableMismatch) as info:
        cameo.check_goldstein_table(shared_data / "known-bad" / "gdeltPyR_cameoCodeTable.tsv")
    assert info.value.codes == ["016", "022", "124", "163", "165", "166"]
    message = str(info.value)
    assert "6 of 275" in message and "016: official -2.0, file 3.4" in message


def test_py_gdelt_table_is_rejected_with_278_codes(shared_data: Path) -> None:
    """MANIFEST.md §4: 310 shared codes, 278 disagree; file-only codes are not errors."""
    path = shared_data / "known-bad" / "py-gdelt_0.1.11_cameo_goldstein.json"
    with pytest.raises(cameo.TableMismatch) as info:
        cameo.check_goldstein_table(path)
    assert len(info.value.codes) == 278
    assert "015: official 0.0, file -0.7" in str(info.value)
    check = cameo.compare_goldstein(cameo.read_goldstein_table(path))
    assert check.only_official == ["183"]
    assert check.only_theirs == ["155", "176", "1834", "1883", "1951", "1952"]


def test_edited_vendored_table_fails_its_checksum(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "tables"
    shutil.copytree(cameo.TABLES_DIR, copy)
    target = copy / "CAMEO.goldsteinscale.txt"
    target.write_text(target.read_text().replace("016\t-2.0", "016\t3.4"))
    monkeypatch.setattr(cameo, "TABLES_DIR", copy)
    with pytest.raises(ChecksumMismatch, match=r"CAMEO\.goldsteinscale\.txt"):
        cameo.verify_tables()


def test_table_without_code_column_is_a_schema_error(tmp_path: Path) -> None:
    bad = tmp_path / "t.tsv"
    bad.write_text("a\tb\n01\t0.0\n")
    with pytest.raises(SchemaError, match="line 1"):
        cameo.read_goldstein_table(bad)
