"""``brief --format pdf``: headless Chromium prints the page; pages are checked as PNG."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from dyadscope.errors import RenderError
from dyadscope.report.brief import BriefOptions, build_brief
from dyadscope.report.pdf import find_browser, printable

pytestmark = pytest.mark.slow


def _tools_or_skip() -> None:
    try:
        find_browser()
    except RenderError as exc:
        pytest.skip(str(exc))
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed; make test installs it as root")


def test_printable_opens_every_folded_part() -> None:
    page = '<details><summary>a</summary></details><details open class="x"></details>'
    assert printable(page).count("<details open") == 2
    assert printable('<details class="tv"></details>') == '<details class="tv"></details>'


def test_unknown_browser_is_a_named_error() -> None:
    with pytest.raises(RenderError, match="not found"):
        find_browser("/nonexistent/chromium")


def test_pdf_brief_renders_to_pages(tmp_path: Path) -> None:
    _tools_or_skip()
    out = tmp_path / "brief.pdf"
    build_brief("USA", "CHN", output=out, options=BriefOptions(draws=200), fmt="pdf")
    assert out.read_bytes()[:5] == b"%PDF-"
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "3", str(out), str(tmp_path / "p")],
        check=True,
        capture_output=True,
    )
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == 3  # the brief runs to several pages
    from PIL import Image

    with Image.open(pages[0]) as first:
        histogram = first.convert("L").histogram()
        dark = sum(histogram[:200]) / sum(histogram)
    assert dark > 0.03  # page 1 carries the header and the overview, not a blank sheet
    assert list(tmp_path.glob("*.tmp")) == []
