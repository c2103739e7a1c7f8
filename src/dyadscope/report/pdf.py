"""Print the brief to PDF with headless Chromium (the browser's own print engine).

The page is printed with its print stylesheet: contents hidden, folded parts opened
(``<details open>``), toolbars hidden, charts kept whole on a page. Chromium is looked
for as ``chromium``, ``chromium-browser`` or ``google-chrome`` on the PATH, or at
``/usr/bin/chromium``; ``browser`` names another binary.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from dyadscope._io import atomic_path
from dyadscope.errors import RenderError

#: Flags for a quiet, offline, sandbox-free headless print (CI containers run as root).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-pdf-header-footer",
    "--run-all-compositor-stages-before-draw",
    "--virtual-time-budget=20000",
)


def find_browser(browser: str | os.PathLike[str] | None = None) -> str:
    """Path of a Chromium-family browser, or :class:`RenderError` saying how to get one."""
    if browser is not None:
        if Path(browser).is_file() or shutil.which(str(browser)):
            return str(shutil.which(str(browser)) or browser)
        raise RenderError(f"browser {str(browser)!r} not found; give the path of Chromium")
    for name in ("chromium", "chromium-browser", "google-chrome", "/usr/bin/chromium"):
        found = shutil.which(name)
        if found:
            return found
    raise RenderError(
        "writing a PDF needs Chromium (headless), which was not found on the PATH; install it "
        "(Debian/Ubuntu: apt-get install chromium) or pass browser= with its path"
    )


def printable(html: str) -> str:
    """The page as printed: every folded part open, so the PDF shows it.

    A chart's table view (``class="tv"``) stays folded: the print stylesheet leaves it
    out, as the chart and its download carry the same numbers.

    >>> printable('<details><summary>x</summary></details><details class="tv"></details>')
    '<details open><summary>x</summary></details><details class="tv"></details>'
    """
    return re.sub(r'<details(?=[\s>])(?![^>]*\bopen\b)(?![^>]*class="tv")', "<details open", html)


def write_pdf(
    html: str,
    output: str | os.PathLike[str],
    *,
    browser: str | os.PathLike[str] | None = None,
    timeout: float = 180.0,
) -> Path:
    """Print ``html`` (a whole page) to the PDF ``output``, atomically; return its path."""
    exe = find_browser(browser)
    with tempfile.TemporaryDirectory(prefix="dyadscope-pdf-") as tmp:
        page = Path(tmp) / "brief.html"
        page.write_text(printable(html), encoding="utf-8")
        profile = Path(tmp) / "profile"
        with atomic_path(output, suffix=".pdf") as target:
            cmd = [
                exe,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--print-to-pdf={target}",
                page.as_uri(),
            ]
            try:
                done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
            except subprocess.TimeoutExpired as exc:
                raise RenderError(f"{exe} did not finish printing within {timeout:.0f} s") from exc
            if done.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
                tail = (done.stderr or "").strip().splitlines()[-3:]
                raise RenderError(
                    f"{exe} could not print the brief to PDF (exit {done.returncode}): "
                    + " | ".join(tail)
                )
    return Path(output)
