"""Benchmark: the brief's build time, page weight and first paint (issue 15 targets).

Measured in one run, with the page built on plotly's full plotly.js bundle as the
in-run baseline:

* build time of ``build_brief("RUS", "CHN")`` with the default options, per step and
  imports included (target: under 15 s after install on 2 cores; imports ≤ 1.5 s,
  theory ≤ 1 s, overview ≤ 1 s, all but the scenarios ≤ 7 s), and whether ``axelrod`` was imported
  (it must not be: the brief never plays the tournament);
* page size with the vendored minimal bundle against the full one (target ≤ 2 MB);
* first contentful paint of both pages in headless Chromium, when Playwright and
  ``/usr/bin/chromium`` are installed (target < 1 s).

Run: ``python -m benchmarks brief`` (``--quick``: a data-only brief of USA–CHN and a
few scenario draws; the correctness checks still run).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_SECONDS = 15.0
TARGET_BYTES = 2_000_000
TARGET_PAINT_MS = 1000.0
#: Per-step budgets (seconds) that keep the build under TARGET_SECONDS on 2 cores: all
#: but the scenarios' Monte Carlo in NON_SCENARIO_SECONDS, imports included.
STEP_TARGETS = {"imports": 1.5, "theory": 1.0, "synthesis": 1.0}
NON_SCENARIO_SECONDS = 7.0

_BUILD = """
import time
t0 = time.perf_counter()
import json, sys
from dyadscope.cli import app  # what `dyadscope brief` imports before building
from dyadscope.report.brief import BriefOptions, build_brief
a, b, out, quick = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
opts = BriefOptions(draws=300, sobol_n=16) if quick else BriefOptions()
steps = [("imports", 0.0)]
def on_step(s):
    steps.append((s, time.perf_counter() - t0))
on_step("case-setup")
build_brief(a, b, output=out, options=opts, on_step=on_step)
print(json.dumps({"seconds": time.perf_counter() - t0, "steps": steps,
                  "axelrod_imported": "axelrod" in sys.modules}))
"""


def _first_paint(paths: dict[str, Path]) -> dict[str, float] | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path("/usr/bin/chromium").is_file():
        return None
    out = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        for name, path in paths.items():
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(path.as_uri(), wait_until="load")
            out[name] = float(
                page.evaluate(
                    "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1"
                )
            )
            page.close()
        browser.close()
    return out


def main(quick: bool = False) -> dict[str, Any]:
    import json

    from dyadscope.report import brief

    a, b = ("USA", "CHN") if quick else ("RUS", "CHN")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "brief.html"
        done = subprocess.run(
            [sys.executable, "-c", _BUILD, a, b, str(page), "1" if quick else "0"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        build = json.loads(done.stdout.strip().splitlines()[-1])
        html = page.read_text(encoding="utf-8")
        start = html.index("<script>/**\n* plotly.js") + len("<script>")
        end = html.index("</script>", start)
        full_page = Path(tmp) / "brief-full.html"
        full_js = str(brief.plotly_js("full"))
        full_page.write_text(html[:start] + full_js + html[end:], encoding="utf-8")
        sizes = {"minimal": page.stat().st_size, "full": full_page.stat().st_size}
        t0 = time.perf_counter()
        paint = _first_paint({"minimal": page, "full": full_page})
        paint_seconds = time.perf_counter() - t0
    assert not build["axelrod_imported"], "the brief imported axelrod"
    assert sizes["minimal"] < sizes["full"]
    print(f"build {a}–{b}: {build['seconds']:.1f} s (target < {TARGET_SECONDS:.0f} s)")
    durations = _durations(build)
    for name, took in durations.items():
        target = STEP_TARGETS.get(name)
        print(f"  {name:<11} {took:6.1f} s" + (f"  (target ≤ {target:.1f} s)" if target else ""))
    others = sum(t for n, t in durations.items() if n != "scenarios")
    print(f"  all but scenarios {others:.1f} s (target ≤ {NON_SCENARIO_SECONDS:.0f} s)")
    print(
        f"page: {sizes['minimal']:,} bytes = "
        f"{sizes['minimal'] / 1e6:.2f} MB with the minimal bundle, "
        f"{sizes['full'] / 1e6:.2f} MB with the full one "
        f"(ratio {sizes['full'] / sizes['minimal']:.2f}; target ≤ {TARGET_BYTES / 1e6:.0f} MB)"
    )
    if paint is not None:
        print(
            f"first contentful paint: {paint['minimal']:.0f} ms minimal, "
            f"{paint['full']:.0f} ms full (target < {TARGET_PAINT_MS:.0f} ms; "
            f"{paint_seconds:.1f} s with browser start)"
        )
    else:
        print("first paint: not measured (no Playwright or /usr/bin/chromium)")
    return {"build": build, "steps": durations, "sizes": sizes, "first_paint_ms": paint}


def _durations(build: dict[str, Any]) -> dict[str, float]:
    """Seconds per step from the start times (``case-setup``: before the first step)."""
    steps = build["steps"]
    ends = [at for _, at in steps[1:]] + [build["seconds"]]
    out: dict[str, float] = {}
    for (name, at), end in zip(steps, ends, strict=True):
        out[name] = out.get(name, 0.0) + end - at
    return out


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
