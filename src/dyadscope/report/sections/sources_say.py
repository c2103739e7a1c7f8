"""The brief section "What the sources say", fed by :func:`dyadscope.evidence.brief.sources_say`."""

from __future__ import annotations

from dyadscope.evidence.brief import MATCH_TOLERANCE, SourcesSay
from dyadscope.report.model import Download, Paragraph, Section, Table


def sources_say_section(say: SourcesSay) -> Section:
    """Positions by voice and date, stated figures against the data, the later layer."""
    as_of = say.as_of.isoformat() if say.as_of else "an undated set of documents"
    section = Section(
        "sources-say",
        "What the sources say",
        lead=f"Sources as of {as_of}. Who says what and when, the figures the documents "
        "state set against the datasets, and what the case adds from documents after 2021.",
    )
    if len(say.positions):
        section.add(
            Table.from_frame(
                say.positions,
                title="Positions by voice and date",
                caption="Each row is a voiced citation of the case: the speaker, the date of "
                "the document, the lines cited and the factor they bear on.",
            ),
            Download.csv(say.positions, "positions.csv"),
        )
    else:
        section.add(Paragraph("The case attributes no citation to a named voice.", tone="note"))
    if len(say.figures):
        counts = say.figures["verdict"].value_counts()
        summary = ", ".join(f"{n} {verdict}" for verdict, n in counts.items())
        section.add(
            Table.from_frame(
                say.figures,
                title="Figures the documents state, checked against the data",
                caption=f"{summary}. 'match': within {MATCH_TOLERANCE:.0%} of the dataset "
                "value; 'gap': further apart (gap = stated - dataset, in the indicator's "
                "unit); 'no counterpart': the datasets have no value for that year.",
            ),
            Download.csv(say.figures, "figures_checked.csv"),
        )
    if len(say.later):
        section.add(
            Table.from_frame(
                say.later,
                title="The layer after 2021",
                caption="Factors cited only from documents dated after 2021; 'links' counts "
                "their links in the factor map (a factor without links does not move the "
                "scenarios).",
            )
        )
    return section
