"""Balance of threat: Walt's four criteria, a threat score, and predicted alignment.

Walt (1987, *The Origins of Alliances*) argues that states balance against the
greatest *threat*, not simply the greatest power, and that threat rises with a
state's aggregate power, geographic proximity, offensive capability and
perceived offensive intentions (the thesis applies these criteria to the
dyad, ``004_aa016b3768031b75.txt:244-252``).  This engine scores each criterion in [0, 1] for
every ordered pair (perceiver <- source) of a set of states in one year:

* **power**: the source's share of the set's total on a chosen measure
  (``power_measure``: SIPRI military expenditure by default, or CINC, or GDP);
* **proximity**: contiguity type (COW, carried forward past 2016), and the
  capital-to-capital and minimum distance turned into closeness by Boulding's
  loss-of-strength gradient in Bueno de Mesquita's form
  (:func:`~dyadscope.theory._threat_data.lsg_proximity`);
* **capability** (offensive): the source's military-spending share projected
  over the distance to the perceiver by the same gradient
  (:func:`~dyadscope.theory._threat_data.lsg_discount`), so distant power counts
  for less than near power;
* **intentions** (offensive), from behaviour only: MID years in the last ten
  years, the material-conflict share of the source's events towards the
  perceiver (ICEWS; the events store when given), and ATOP ties (an ally scores
  lower).  UNGA disagreement is *not* an intention: it is reported in a separate
  ``diplomatic_distance`` column and enters no score.

The threat score is the weighted mean of the criteria that are available for the
pair; the weights are renormalised over those criteria and ``criteria_used`` says
which were used.  A criterion with no data is NA, never 0.

Predicted alignment follows the balancing logic: a state's greatest threat is the
source with the highest score; it is predicted to align with the state that is
itself most threatened by that source.  Observed alignment is the state in the
set it has the strongest ATOP obligation with (defence first), else the state it
voted with most often in the UNGA that year; ``observed_basis`` says which.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from dyadscope.errors import InputError
from dyadscope.theory import _threat_data as data
from dyadscope.theory._common import TheoryResult, require_tables, resolve_states

if TYPE_CHECKING:
    from dyadscope.data.store import Store

__all__ = [
    "CRITERIA",
    "DEFAULT_STATES",
    "ThreatResult",
    "balance_of_threat",
    "default_states",
    "normalize_weights",
]

#: Walt's four criteria, in the order they are reported.
CRITERIA: tuple[str, ...] = ("power", "proximity", "capability", "intentions")
#: The default set of states; a dyad's members are added by :func:`default_states`.
DEFAULT_STATES: tuple[str, ...] = ("USA", "RUS", "CHN", "IND", "JPN")


def default_states(*members: str) -> list[str]:
    """The default set plus the given dyad members, without duplicates, order kept.

    >>> default_states("RUS", "KAZ")
    ['USA', 'RUS', 'CHN', 'IND', 'JPN', 'KAZ']
    """
    out: list[str] = []
    for code in (*DEFAULT_STATES, *members):
        code = code.strip().upper()
        if code not in out:
            out.append(code)
    return out


def normalize_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """Check criterion weights and scale them to sum to 1; ``None`` gives equal weights.

    Criteria left out get weight 0 (they are then not used).  Weights must be
    finite, non-negative and not all 0.

    >>> normalize_weights({"power": 2, "intentions": 2})
    {'power': 0.5, 'proximity': 0.0, 'capability': 0.0, 'intentions': 0.5}
    """
    if weights is None:
        return {c: 1.0 / len(CRITERIA) for c in CRITERIA}
    if not isinstance(weights, Mapping):
        raise InputError(
            f"weights: give a mapping of criterion to weight, e.g. {{'power': 1}}; "
            f"got {type(weights).__name__}"
        )
    lowered = {str(k).strip().lower(): v for k, v in weights.items()}
    unknown = sorted(set(lowered) - set(CRITERIA))
    if unknown:
        raise InputError(
            f"weights: unknown criterion {', '.join(unknown)}; use {', '.join(CRITERIA)}"
        )
    try:
        vals = {c: float(lowered.get(c, 0.0)) for c in CRITERIA}
    except (TypeError, ValueError):
        raise InputError(f"weights: every weight must be a number; got {dict(weights)}") from None
    bad = [c for c, v in vals.items() if not np.isfinite(v) or v < 0]
    if bad:
        raise InputError(f"weights: {', '.join(bad)} must be finite and >= 0")
    total = sum(vals.values())
    if total <= 0:
        raise InputError("weights: at least one criterion needs a weight above 0")
    return {c: v / total for c, v in vals.items()}


@dataclass
class ThreatResult(TheoryResult):
    """Balance-of-threat result for one year.

    * ``scores``: perceiver, source, the four criteria, threat, criteria_used,
      weight_used (share of the total weight the score rests on),
      diplomatic_distance (1 - UNGA same-vote share; in no score).
    * ``components``: every raw input behind the criteria, with its [0, 1] score.
    * ``matrix``: threat scores, perceivers as rows and sources as columns.
    * ``alignment``: per state, its greatest threat, the predicted partner, the
      observed UNGA partner, ATOP obligations with the others in the set
      (``"CHN:non-aggression+consultation"``; NA where ATOP does not cover the
      pairs; any obligation counts, non-aggression and consultation included),
      and whether prediction and observation match.
    """

    year: int = 0
    power_measure: str = "milex"
    notes: list[str] = field(default_factory=list)
    states: list[str] = field(default_factory=list)
    weights: dict[str, float] = field(default_factory=dict)
    scores: pd.DataFrame = field(default_factory=pd.DataFrame)
    components: pd.DataFrame = field(default_factory=pd.DataFrame)
    matrix: pd.DataFrame = field(default_factory=pd.DataFrame)
    alignment: pd.DataFrame = field(default_factory=pd.DataFrame)

    def frames(self) -> dict[str, pd.DataFrame]:
        """Tables by name: scores (main), alignment, matrix, components."""
        return {
            "scores": self.scores,
            "alignment": self.alignment,
            "matrix": self.matrix.reset_index(),
            "components": self.components,
        }

    def scalars(self) -> dict[str, Any]:
        """Year, states, weights and the share of predictions UNGA votes bear out."""
        return {
            "year": self.year,
            "states": self.states,
            "weights": self.weights,
            "power_measure": self.power_measure,
            "match_rate": self.match_rate,
            "notes": list(self.notes),
        }

    @property
    def summary(self) -> pd.DataFrame:
        """Per state: ``year, state, greatest_threat, threat_score, predicted_alignment,
        observed_alignment, criteria_used`` (the criteria the top score rests on)."""
        used = {(r.perceiver, r.source): r.criteria_used for r in self.scores.itertuples()}
        al = self.alignment
        return pd.DataFrame(
            {
                "year": al["year"],
                "state": al["state"],
                "greatest_threat": al["greatest_threat"],
                "threat_score": al["threat"],
                "predicted_alignment": al["predicted_partner"],
                "observed_alignment": al["observed_partner"],
                "criteria_used": [
                    used.get((s, t)) if t else None
                    for s, t in zip(al["state"], al["greatest_threat"], strict=True)
                ],
            }
        )

    @property
    def match_rate(self) -> float:
        """Share of states whose predicted partner is their observed UNGA partner (NaN if none)."""
        if self.alignment.empty:
            return float("nan")
        m = self.alignment["matches_unga"].dropna()
        return float(m.astype(float).mean()) if len(m) else float("nan")


def _combine(components: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """Criteria = mean of available component scores; threat = renormalised weighted mean."""
    crit = (
        components.groupby(["perceiver", "source", "criterion"], sort=False)["score"]
        .mean()
        .unstack("criterion")
        .reindex(columns=list(CRITERIA))
        .reset_index()
    )
    w = np.array([weights[c] for c in CRITERIA])
    values = crit[list(CRITERIA)].to_numpy(dtype=float)
    avail = np.isfinite(values) & (w > 0)
    used_w = (avail * w).sum(axis=1)
    weighted = np.where(avail, values, 0.0) @ w
    with np.errstate(invalid="ignore", divide="ignore"):
        crit["threat"] = np.where(used_w > 0, weighted / np.where(used_w > 0, used_w, 1.0), np.nan)
    crit["criteria_used"] = [
        "+".join(c for c, ok in zip(CRITERIA, row, strict=True) if ok) or None for row in avail
    ]
    crit["weight_used"] = used_w
    return crit


def _alignment(
    scores: pd.DataFrame,
    agree: Mapping[tuple[str, str], float],
    allies: Mapping[tuple[str, str], str],
    states: Sequence[str],
) -> pd.DataFrame:
    threat: dict[tuple[str, str], float] = {
        (str(i), str(j)): float(v)
        for i, j, v in zip(
            scores["perceiver"].tolist(),
            scores["source"].tolist(),
            scores["threat"].tolist(),
            strict=True,
        )
    }
    rows = []
    for i in states:
        own = {j: threat.get((i, j), np.nan) for j in states if j != i}
        known = {j: v for j, v in own.items() if np.isfinite(v)}
        top = max(known, key=known.__getitem__) if known else None
        predicted = None
        if top is not None:
            opposed = {k: threat.get((k, top), np.nan) for k in states if k not in (i, top)}
            opposed = {k: v for k, v in opposed.items() if np.isfinite(v)}
            predicted = max(opposed, key=opposed.__getitem__) if opposed else None
        votes = {j: agree[(i, j)] for j in states if j != i and (i, j) in agree}
        observed = max(votes, key=votes.__getitem__) if votes else None
        covered = [j for j in states if j != i and (i, j) in allies]
        allied = [f"{j}:{allies[(i, j)]}" for j in covered if allies[(i, j)]]
        ranked = sorted(
            (j for j in covered if allies[(i, j)]),
            key=lambda j: (_tie_rank(allies[(i, j)]), -votes.get(j, 0.0)),
        )
        partner, basis = (ranked[0], "atop") if ranked else (observed, "unga" if observed else None)
        rows.append(
            {
                "state": i,
                "greatest_threat": top,
                "threat": known.get(top, np.nan) if top else np.nan,
                "predicted_partner": predicted,
                "observed_unga_partner": observed,
                "unga_agreement": votes.get(observed, np.nan) if observed else np.nan,
                "matches_unga": (predicted == observed) if predicted and observed else pd.NA,
                "observed_partner": partner,
                "observed_basis": basis,
                "matches_observed": (predicted == partner) if predicted and partner else pd.NA,
                "atop_allies": ",".join(allied) if covered else None,
                "predicted_is_ally": (
                    bool(allies[(i, predicted)])
                    if predicted and (i, predicted) in allies
                    else pd.NA
                ),
            }
        )
    out = pd.DataFrame(rows)
    for col in ("matches_unga", "matches_observed", "predicted_is_ally"):
        out[col] = out[col].astype("boolean")
    return out


def _tie_rank(obligations: str) -> int:
    """Rank of the strongest ATOP obligation in ``obligations`` (0 = defence pact)."""
    order = list(data.ATOP_TYPES.values())
    kinds = [order.index(k) for k in obligations.split("+") if k in order]
    return min(kinds) if kinds else len(order)


def balance_of_threat(
    store: Store,
    year: int,
    states: Sequence[str] | None = None,
    weights: Mapping[str, float] | None = None,
    events_store: str | Path | None = None,
    *,
    power_measure: str = "milex",
) -> ThreatResult:
    """Score Walt's criteria and the threat each state poses to each other in ``year``.

    ``states`` are ISO3 codes (default :data:`DEFAULT_STATES`); ``weights`` maps
    criteria to non-negative weights (default equal).  ``events_store`` is a GDELT
    events store folder whose material-conflict shares join the intentions.
    ``power_measure`` is the aggregate-power measure: ``"milex"`` (SIPRI, default),
    ``"cinc"`` or ``"gdp"``.

    >>> from dyadscope.data.store import vendored_store  # doctest: +SKIP
    >>> res = balance_of_threat(vendored_store(), 2014, ["USA", "RUS", "CHN"])  # doctest: +SKIP
    >>> res.matrix.loc["RUS", "USA"] > res.matrix.loc["RUS", "CHN"]  # doctest: +SKIP
    True
    """
    require_tables(store, "nmc")
    w = normalize_weights(weights)
    codes = resolve_states(store, list(states) if states is not None else DEFAULT_STATES, year=year)
    if len(codes) < 2:
        raise InputError(f"balance of threat needs at least two distinct states; got {list(codes)}")
    years = store.con.execute("SELECT min(year), max(year) FROM nmc").fetchone()
    if years is None or not (years[0] <= year <= years[1]):
        raise InputError(f"year {year} is outside the nmc table's years {years}")
    ev = Path(events_store) if events_store is not None else None
    proximity, distances, notes = data.proximity_components(store, year, codes)
    intentions, intent_notes = data.intention_components(store, year, codes, ev)
    components = pd.concat(
        [
            data.power_components(store, year, codes, power_measure),
            proximity,
            data.capability_components(store, year, codes, distances),
            intentions,
        ],
        ignore_index=True,
    )
    components.insert(0, "year", year)
    scores = _combine(components, w)
    scores.insert(0, "year", year)
    agree = data.unga_agreement(store, year, codes)
    # data.diplomatic_distance, from the agreement already read (one UNGA query, not two)
    distance = {k: 1.0 - v for k, v in agree.items()}
    scores["diplomatic_distance"] = [
        distance.get((i, j), np.nan)
        for i, j in zip(scores["perceiver"], scores["source"], strict=True)
    ]
    order = list(codes)
    matrix = scores.pivot(index="perceiver", columns="source", values="threat").reindex(
        index=order, columns=order
    )
    atop_span = data._last_year(store, "atop", "year", "year")
    atop_year = min(year, atop_span[1]) if atop_span else year
    alignment = _alignment(scores, agree, data.atop_obligations(store, atop_year, codes), order)
    alignment.insert(0, "year", year)
    return ThreatResult(
        assumptions=_assumptions(w, power_measure) + notes + intent_notes,
        power_measure=power_measure,
        notes=notes + intent_notes,
        year=year,
        states=order,
        weights=w,
        scores=scores,
        components=components,
        matrix=matrix,
        alignment=alignment,
    )


def _assumptions(weights: Mapping[str, float], power_measure: str) -> list[str]:
    shown = ", ".join(f"{c} {weights[c]:.2f}" for c in CRITERIA)
    return [
        "Threat follows Walt's balance of threat: aggregate power, proximity, offensive "
        "capability and offensive intentions, each scored in [0, 1].",
        f"Criterion weights (renormalised over the criteria with data for each pair): {shown}.",
        f"Aggregate power is the source's share of the set's {power_measure}; offensive "
        "capability is its share of the set's military spending discounted by distance with "
        "Boulding's loss-of-strength gradient, C ** log10(miles / "
        f"{data.MILES_PER_DAY:g} + 10 - e) (Bueno de Mesquita 1981). Both depend on which "
        "states are in the set.",
        "Proximity is contiguity plus capital and minimum distance, each turned into closeness "
        "as 1 / log10(miles / miles-per-day + 10 - e), capped at 1.",
        "Intentions are read from behaviour: MID years in the last "
        f"{data.MID_WINDOW} years, the material-conflict share of events, and ATOP ties "
        "(allies lower). UNGA disagreement is reported as a separate diplomatic distance "
        "and enters no score.",
        "A component without data is NA, never 0; the criteria each score rests on are "
        "named beside it.",
        "A state is predicted to align with whichever state is itself most threatened by the "
        "first state's greatest threat; observed alignment is its strongest ATOP tie in the "
        "set, else its most frequent UNGA partner (the basis is named in the download).",
    ]
