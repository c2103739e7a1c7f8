"""Browser tests of the brief: Playwright driving Debian's Chromium (never a downloaded one).

The suite skips, with the reason, when the ``playwright`` package or ``/usr/bin/chromium``
is missing (``make test`` installs both when it runs as root). Nothing is fetched at test
time: axe-core is vendored under ``tests/browser/vendor``.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dyadscope.report.brief import BriefOptions, build_brief

CHROMIUM = Path(os.environ.get("DYADSCOPE_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _skip_reason() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install 'dyadscope[browser]')"
    if not CHROMIUM.is_file():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium; make test does it as root)"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def brief_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if _skip_reason():
        pytest.skip(_skip_reason() or "")
    out = tmp_path_factory.mktemp("browser") / "brief.html"
    build_brief("RUS", "CHN", output=out, options=BriefOptions(draws=300, sobol_n=32, seed=3))
    return out
