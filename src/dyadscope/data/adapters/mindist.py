"""Minimum distance between states in km by dyad-year (CShapes, via peacesciencer)."""

from __future__ import annotations

from dyadscope.data.adapters._base import CsvAdapter, frozen
from dyadscope.data.registry import TableSpec, register_adapter


@register_adapter
class MinDist(CsvAdapter):
    """Directed dyad-years; 0 km means the two states touch."""

    name = "mindist"
    title = "Minimum distance between states (km)"
    url = "https://icr.ethz.ch/data/cshapes/"
    version = "cshapes 2.0 via peacesciencer"
    citation = (
        "Schvitz, Guy, Luc Girardin, Seraina Ruegger, Nils B. Weidmann, Lars-Erik Cederman, "
        'and Kristian Skrede Gleditsch. 2022. "Mapping the International System, '
        '1886-2019: The CShapes 2.0 Dataset." Journal of Conflict Resolution 66(1): 144-161.'
    )
    licence = "CShapes: CC BY-NC-SA 4.0"
    note = "Vendored from peacesciencer (all states)."
    raw_columns = frozen({"ccode1": "int", "ccode2": "int", "year": "int", "mindist": "float"})
    code_columns = frozen({"ccode1": "cow", "ccode2": "cow"})
    table = TableSpec(
        name="mindist",
        columns={"ccode1": "INTEGER", "ccode2": "INTEGER", "year": "INTEGER", "mindist": "DOUBLE"},
        key=("ccode1", "ccode2", "year"),
        years=(1886, 2100),
    )
