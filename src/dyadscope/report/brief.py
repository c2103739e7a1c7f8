"""Build the self-contained HTML brief for a dyad.

The brief gathers every capability of dyadscope into one file that opens with the
network off: plotly.js is inlined once, data downloads are ``data:`` URIs, and
there are no external fonts, images or scripts.  Each section is built by a
function in :mod:`dyadscope.report.sections` from library results; this module
only orders them, renders the template and writes the file atomically.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2
from markupsafe import Markup

from dyadscope import __version__
from dyadscope._io import atomic_write_text, check_output_path
from dyadscope.errors import InputError
from dyadscope.report.model import BriefOptions, Card, Section, StepCallback, card

__all__ = ["BriefOptions", "Card", "StepCallback", "build_brief", "card", "render_brief"]


def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("dyadscope.report", "templates"),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def plotly_js(bundle: str = "minimal") -> Markup:
    """The plotly.js bundle to inline: the vendored minimal one, or plotly's full one."""
    if bundle == "full":
        from plotly.offline import get_plotlyjs

        text = get_plotlyjs()
    else:
        text = minimal_plotly_js()
    # "</script" cannot occur inside the bundle's string literals, but guard anyway.
    return Markup(text.replace("</script", "<\\/script"))


def minimal_plotly_js() -> str:
    """The vendored partial plotly.js bundle (report/assets), or the full one if absent."""
    from importlib.resources import files

    asset = files("dyadscope.report").joinpath("assets", PLOTLY_ASSET)
    if asset.is_file():
        return asset.read_text(encoding="utf-8")
    from plotly.offline import get_plotlyjs

    text: str = get_plotlyjs()
    return text


#: The vendored partial bundle: scatter, bar and heatmap (see report/assets/README.md).
PLOTLY_ASSET = "plotly-cartesian.min.js"


def render_brief(
    *,
    title: str,
    subtitle: str,
    sections: list[Section],
    cards: list[Card],
    case_label: str = "",
    data_as_of: list[str] | None = None,
    generated_at: str | None = None,
    bundle: str = "minimal",
) -> str:
    """Render sections and cards to one HTML string (no file I/O)."""
    template = _env().get_template("brief.html.j2")
    return template.render(
        title=title,
        subtitle=subtitle,
        case_label=case_label,
        data_as_of=data_as_of or [],
        sections=sections,
        cards=cards,
        version=__version__,
        generated_at=generated_at or dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        plotly_js=plotly_js(bundle),
    )


def build_brief(
    a: str,
    b: str,
    *,
    case_path: str | Path | None = None,
    output: str | Path = Path("out/brief.html"),
    options: BriefOptions | None = None,
    on_step: StepCallback | None = None,
    fmt: str = "html",
) -> Path:
    """Write the brief for the dyad (a, b) to ``output`` and return its path.

    ``fmt="pdf"`` prints the page with headless Chromium (:mod:`dyadscope.report.pdf`).
    ``on_step`` is called with the name of each step as it starts (case, indicators,
    events, theory, scenarios, synthesis, render, pdf).

    >>> build_brief("RUS", "CHN", output="out/brief.html")  # doctest: +SKIP
    PosixPath('out/brief.html')
    """
    from dyadscope.report.assemble import assemble

    if fmt not in ("html", "pdf"):
        raise InputError(f"fmt: expected 'html' or 'pdf', got {fmt!r}")
    check_output_path(output, create=False)  # fail now, not after building the brief
    if fmt == "pdf":
        from dyadscope.report.pdf import find_browser, write_pdf

        find_browser()  # fail before the expensive part
    opts = options or BriefOptions()
    step = on_step or (lambda _name: None)
    parts = assemble(a, b, case_path=case_path, options=opts, on_step=step)
    step("render")
    html = render_brief(**parts, bundle=opts.bundle)
    if fmt == "pdf":
        step("pdf")
        return write_pdf(html, output)
    return atomic_write_text(output, html)
