"""The brief in a real browser: renders cleanly, fits a phone, factor map readable, accessible."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

VENDOR = Path(__file__).resolve().parent / "vendor"
#: Screenshots go here (kept after the run for a person to look at).
SHOTS = Path(os.environ.get("DYADSCOPE_SHOTS", "out/browser-shots"))


def _open(browser: Any, path: Path, width: int) -> tuple[Any, list[str]]:
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length > 5")
    page.wait_for_timeout(500)
    return page, errors


@pytest.fixture(scope="module", params=[1440, 390])
def opened(request: pytest.FixtureRequest, browser: Any, brief_path: Path) -> Iterator[Any]:
    page, errors = _open(browser, brief_path, request.param)
    yield page, errors, request.param
    page.close()


def test_every_section_renders_without_console_errors(opened: Any) -> None:
    page, errors, width = opened
    ids = page.eval_on_selector_all("main > section", "els => els.map(e => e.id)")
    assert ids[0] == "overview" and "sources" in ids
    for sid in ids:
        box = page.locator(f"#{sid}").bounding_box()
        assert box is not None and box["height"] > 40, sid
    assert errors == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"top-{width}.png"))
    page.locator("#factor-map").screenshot(path=str(SHOTS / f"factor-map-{width}.png"))


def test_no_horizontal_overflow(opened: Any) -> None:
    page, _, width = opened
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_hover_on_a_chart_shows_a_value_with_its_unit(opened: Any) -> None:
    page, _, width = opened
    if width < 700:
        pytest.skip("hover is a pointer interaction (desktop)")
    chart = page.locator("#chart-ind-trade-share")
    chart.scroll_into_view_if_needed()
    box = chart.locator(".nsewdrag").first.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * 0.8, box["y"] + box["height"] / 2)
    page.wait_for_timeout(300)
    text = page.evaluate(
        "document.querySelector('#chart-ind-trade-share .hoverlayer').textContent || ''"
    )
    assert "%" in text


def _label_boxes(page: Any) -> list[dict[str, float]]:
    return page.evaluate(
        """() => [...document.querySelectorAll('#chart-factor-map .scatterlayer .textpoint')]
               .map(t => t.getBoundingClientRect())
               .filter(r => r.width > 0)
               .map(r => ({x: r.x, y: r.y, w: r.width, h: r.height}))"""
    )


def test_factor_map_labels_never_overlap(opened: Any) -> None:
    page, _, width = opened
    if width < 700:
        pytest.skip("phones get the view by kind first")
    boxes = _label_boxes(page)
    assert len(boxes) > 20
    clashes = [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["x"] < b["x"] + b["w"] - 1
        and b["x"] < a["x"] + a["w"] - 1
        and a["y"] < b["y"] + b["h"] - 1
        and b["y"] < a["y"] + a["h"] - 1
    ]
    assert clashes == []


def test_factor_map_controls(opened: Any) -> None:
    page, errors, width = opened
    if width < 700:
        pytest.skip("desktop controls")
    out = page.locator("#factor-map-controls output")
    before = out.inner_text()
    page.locator("#factor-map-controls input[type=range]").fill("0.6")
    after = out.inner_text()
    assert before != after and int(after.split()[0]) < int(before.split()[0])
    search = page.locator("#factor-map-controls input[type=search]")
    search.fill("Mutual trust")
    search.dispatch_event("change")
    page.wait_for_timeout(200)
    page.locator("button[data-view=kinds]").click()
    assert page.locator("#chart-factor-map-kinds").is_visible()
    page.locator("button[data-view=factors]").click()
    page.locator("#factor-map-controls .fm-clear").click()
    assert errors == []


def test_axe_finds_no_serious_violations(opened: Any) -> None:
    page, _, _ = opened
    page.add_script_tag(path=str(VENDOR / "axe.min.js"))
    result = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
              .filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => v.id + ': ' +
                   v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"""
    )
    assert result == []
