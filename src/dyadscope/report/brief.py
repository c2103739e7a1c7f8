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


def plotly_js() -> Markup:
    """The plotly.js bundle shipped inside the plotly package, for inlining."""
    from plotly.offline import get_plotlyjs

    # "</script" cannot occur inside the bundle's string literals, but guard anyway.
    return Markup(get_plotlyjs().replace("</script", "<\\/script"))


def render_brief(
    *,
    title: str,
    subtitle: str,
    case_id: str,
    sections: list[Section],
    cards: list[Card],
    generated_at: str | None = None,
) -> str:
    """Render sections and cards to one HTML string (no file I/O)."""
    template = _env().get_template("brief.html.j2")
    return template.render(
        title=title,
        subtitle=subtitle,
        case_id=case_id,
        sections=sections,
        cards=cards,
        version=__version__,
        generated_at=generated_at or dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        plotly_js=plotly_js(),
    )


def build_brief(
    a: str,
    b: str,
    *,
    case_path: str | Path | None = None,
    output: str | Path = Path("out/brief.html"),
    options: BriefOptions | None = None,
    on_step: StepCallback | None = None,
) -> Path:
    """Write the brief for the dyad (a, b) to ``output`` and return its path.

    >>> build_brief("RUS", "CHN", output="out/brief.html")  # doctest: +SKIP
    PosixPath('out/brief.html')
    """
    from dyadscope.report.assemble import assemble

    check_output_path(output, create=False)  # fail now, not after building the brief
    opts = options or BriefOptions()
    step = on_step or (lambda _name: None)
    parts = assemble(a, b, case_path=case_path, options=opts, on_step=step)
    step("render")
    html = render_brief(**parts)
    return atomic_write_text(output, html)
