"""The brief section "What the sources say", fed by :func:`dyadscope.evidence.brief.sources_say`."""

from __future__ import annotations

import pandas as pd

from dyadscope.evidence.brief import MATCH_TOLERANCE, SourcesSay
from dyadscope.report.model import Download, Paragraph, Section, Table

#: Columns shown, with the headings a reader sees (ids stay in the downloads).
_POSITIONS = {
    "voice": "Voice",
    "date": "Date",
    "doc": "Document",
    "lines": "Lines",
    "factor_label": "Factor",
    "stance": "Stance",
}
_FIGURES = {
    "measure": "Measure",
    "year": "Year",
    "stated": "Stated",
    "dataset_value": "Dataset",
    "gap": "Gap",
    "verdict": "Verdict",
    "label": "As the source puts it",
    "cited": "Cited",
}
_LATER = {
    "label": "Factor",
    "period": "Period",
    "citations": "Cited",
    "documents": "Document dates",
    "links": "Links",
}


def _shown(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    return frame[list(columns)].rename(columns=columns)


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
                _shown(say.positions, _POSITIONS),
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
                _shown(say.figures, _FIGURES),
                title="Figures the documents state, checked against the data",
                caption=f"{summary}. 'match': within {MATCH_TOLERANCE:.0%} of the dataset "
                "value; 'gap': further apart (gap = stated minus dataset, in the measure's "
                "unit); 'no counterpart': the datasets have no value for that year.",
            ),
            Download.csv(say.figures, "figures_checked.csv"),
        )
    if len(say.later):
        section.add(
            Table.from_frame(
                _shown(say.later, _LATER),
                title="The layer after 2021",
                caption="Factors cited only from documents dated after 2021; 'Links' counts "
                "their links in the factor map (a factor without links does not move the "
                "scenarios).",
            )
        )
    return section
