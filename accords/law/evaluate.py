"""The safeguards engine: every gate of an agreement's regime, on every case, on one date.

`assess` runs all cases at once on columns: each gate's rule (chosen by date from the regime
file) is a list of branches (`rules.py`), compiled into one polars expression per gate that
yields a branch number per case; the branch numbers are then looked up in a small table of
outcomes, reasons, citations and what would clear them. `decide` folds them into one
decision per case; `evaluate` spells them out as one row per case and gate; `explain` is the
same path on a one-row frame.

Outcomes: `pass`; `pending` when the gate will clear by itself or by a step of the workflow
(a window running, an acceptance awaited); `block` when a legal bar stands (a protection, a
stay, an excluded category, the person's own country).
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import numpy as np
import polars as pl

from accords.law.columns import AgreementTerms, cases_frame, conform_cases
from accords.law.regime import KINDS, load_regime
from accords.law.rules import PENDING, SHARED_RULES, Branch, Context
from accords.law.uk import UK_DERIVED, UK_RULES
from accords.law.us import US_DERIVED, US_RULES

RULES = {**SHARED_RULES, **US_RULES, **UK_RULES}
DERIVED = {**US_DERIVED, **UK_DERIVED}

OUTCOME = pl.Enum(["pass", "pending", "block"])
GATE_IDS = list(KINDS)
GATE = pl.Enum(GATE_IDS)
DECISION = pl.Enum(["cleared", "pending", "blocked"])

RESULT_SCHEMA = {
    "case_id": pl.String(),
    "gate": GATE,
    "outcome": OUTCOME,
    "reason": pl.Categorical(),
    "citation": pl.Categorical(),
    "clears_by": pl.Categorical(),
    "earliest_clear": pl.Date(),
    "unconfirmed": pl.Boolean(),  # decided under a rule version the sources could not confirm
    "regime_version": pl.Categorical(),
}

_GAP = Branch(
    PENDING,
    "no version of this rule covers the date",
    clears_by="an administrator adds a dated version of the rule to the regime file",
)


def _moment(as_of: date | datetime) -> datetime:
    """Considering a day means considering its first instant: windows must have run by then."""
    return as_of if isinstance(as_of, datetime) else datetime.combine(as_of, time())


def _first_match(branches: list[Branch]) -> pl.Expr:
    """The number of the first branch whose condition holds, per case."""
    chained = None
    for number, branch in enumerate(branches[:-1]):
        code = pl.lit(number, pl.UInt8)
        chained = (pl.when if chained is None else chained.when)(branch.when).then(code)
    last = pl.lit(len(branches) - 1, pl.UInt8)
    return last if chained is None else chained.otherwise(last)


def _earliest(branches: list[Branch], code: pl.Expr) -> pl.Expr:
    chained = None
    for number, branch in enumerate(branches):
        if branch.earliest is not None:
            at = code == number
            chained = (pl.when if chained is None else chained.when)(at).then(branch.earliest)
    return pl.lit(None, pl.Date) if chained is None else chained.otherwise(None)


_NO_DAY = np.iinfo(np.int32).min  # "no date" while comparing days as integers
_OUTCOME_CODE = {name: code for code, name in enumerate(OUTCOME.categories)}


@dataclass(frozen=True)
class GateRule:
    """One gate as evaluated: its branches (a case's code is the first that matched), the
    outcome of each branch as an OUTCOME code, and what every row of it shares."""

    gate_id: str
    branches: list[Branch]
    outcomes: np.ndarray
    citation: str
    unconfirmed: bool


@dataclass(frozen=True)
class Evaluation:
    """Every gate on every case, kept as the branch number each case took per gate (one small
    integer per case and gate) and the day each could clear, rather than as rows: `decide`
    reads these arrays directly, and `rows` spells them out only where they are wanted."""

    case_id: pl.Series
    gates: list[GateRule]
    codes: np.ndarray  # gates x cases: the branch each case took
    days: list[pl.Series]  # per gate: the earliest day each case could clear it
    regime_version: str

    def rows(self, *, passed: bool = True) -> pl.DataFrame:
        """One row per case and gate (RESULT_SCHEMA), gate by gate; only the gates not passed
        with `passed=False`."""
        rows = [self._rows_of_gate(i, passed) for i in range(len(self.gates))]
        return pl.concat(rows, rechunk=False)

    def _rows_of_gate(self, i: int, passed: bool) -> pl.DataFrame:
        gate = self.gates[i]
        code, case_id, day = pl.Series(self.codes[i]), self.case_id, self.days[i]
        if not passed:
            outcomes = gate.outcomes[self.codes[i]]
            keep = pl.Series(np.flatnonzero(outcomes != _OUTCOME_CODE["pass"]))
            code, case_id, day = code.gather(keep), case_id.gather(keep), day.gather(keep)
        size = len(code)

        def each(field: str) -> pl.Series:
            values = [getattr(b, field) or None for b in gate.branches]
            return pl.Series(field, values, dtype=RESULT_SCHEMA[field]).gather(code)

        def same(field: str, value: Any) -> pl.Series:
            return pl.repeat(value, size, dtype=RESULT_SCHEMA[field], eager=True).alias(field)

        return pl.DataFrame(
            [
                case_id,
                same("gate", gate.gate_id),
                each("outcome"),
                each("reason"),
                same("citation", gate.citation),
                each("clears_by"),
                day.alias("earliest_clear"),
                same("unconfirmed", gate.unconfirmed),
                same("regime_version", self.regime_version),
            ]
        )


def assess(cases: pl.DataFrame, agreement: AgreementTerms, as_of: date | datetime) -> Evaluation:
    """Every gate on every case on `as_of`, under the rules then in force."""
    cases = conform_cases(cases)
    regime = load_regime(agreement.regime)
    ctx = Context(agreement, _moment(as_of).date(), _moment(as_of))
    gates = []
    for gate in regime.gates:
        version = gate.version_on(ctx.day)
        branches = RULES[gate.id](ctx, version) if version else [_GAP]
        if version and gate.id in DERIVED:
            cases = cases.hstack(DERIVED[gate.id](cases, ctx, version))
        outcomes = np.array([_OUTCOME_CODE[b.outcome] for b in branches], dtype=np.uint8)
        citation = version.reference if version else gate.citation
        gates.append(GateRule(gate.id, branches, outcomes, citation,
                              bool(version and version.unconfirmed)))  # fmt: skip
    wide = (
        cases.lazy()
        .with_columns(_first_match(g.branches).alias(f"code{i}") for i, g in enumerate(gates))
        .select(
            "case_id",
            *(f"code{i}" for i in range(len(gates))),
            *(
                _earliest(g.branches, pl.col(f"code{i}")).alias(f"day{i}")
                for i, g in enumerate(gates)
            ),
        )  # fmt: skip
        .collect()
    )
    codes = np.stack([wide[f"code{i}"].to_numpy() for i in range(len(gates))]) if gates else None
    return Evaluation(
        case_id=wide["case_id"],
        gates=gates,
        codes=codes,
        days=[wide[f"day{i}"] for i in range(len(gates))],
        regime_version=regime.version,
    )


def evaluate(
    cases: pl.DataFrame, agreement: AgreementTerms, as_of: date | datetime
) -> pl.DataFrame:
    """One row per case and gate: the outcome on `as_of` under the rules then in force."""
    return assess(cases, agreement, as_of).rows()


def _bit(gate: pl.Expr) -> pl.Expr:
    """A gate as one bit of a mask, so a case's set of gates is one integer."""
    positions = range(len(GATE_IDS))
    return gate.to_physical().replace_strict(
        positions, [1 << i for i in positions], return_dtype=pl.UInt64
    )


def _per_case_of_evaluation(evaluation: Evaluation) -> pl.DataFrame:
    """The per-case masks and dates straight from the evaluation's arrays, gate by gate; a
    gate every case passes costs one comparison."""
    size = len(evaluation.case_id)
    blocked, pending = np.zeros(size, np.uint64), np.zeros(size, np.uint64)
    undated, latest = np.zeros(size, bool), np.full(size, _NO_DAY, np.int32)
    for gate, codes, days in zip(evaluation.gates, evaluation.codes, evaluation.days, strict=True):
        outcomes = gate.outcomes[codes]
        bit = np.uint64(1 << GATE_IDS.index(gate.gate_id))
        blocking = outcomes == _OUTCOME_CODE["block"]
        if blocking.any():
            blocked[blocking] |= bit
        waiting = outcomes == _OUTCOME_CODE["pending"]
        if waiting.any():
            pending[waiting] |= bit
            day = days.to_physical().fill_null(_NO_DAY).to_numpy()
            undated |= waiting & (day == _NO_DAY)
            np.maximum(latest, np.where(waiting, day, _NO_DAY), out=latest)
    earliest = pl.Series(latest)
    earliest = earliest.set(earliest == _NO_DAY, None).cast(pl.Date)
    return pl.DataFrame(
        {
            "case_id": evaluation.case_id,
            "blocked": blocked,
            "pending": pending,
            "undated": undated,
            "earliest_clear": earliest,
            "regime_version": pl.repeat(
                evaluation.regime_version, size, dtype=pl.Categorical, eager=True
            ),
        }
    )


def _per_case_by_grouping(results: pl.DataFrame) -> pl.DataFrame:
    pending = pl.col("outcome") == "pending"
    return results.group_by("case_id", maintain_order=True).agg(
        blocked=_bit(pl.col("gate")).filter(pl.col("outcome") == "block").sum(),
        pending=_bit(pl.col("gate")).filter(pending).sum(),
        undated=(pending & pl.col("earliest_clear").is_null()).any(),
        earliest_clear=pl.col("earliest_clear").filter(pending).max(),
        regime_version=pl.col("regime_version").first(),
    )


def _gates_in(masks: pl.Series) -> pl.Series:
    """Masks back to lists of gates, through the few distinct masks that occur."""
    distinct = masks.unique().sort()
    lists = [[g for i, g in enumerate(GATE_IDS) if m >> i & 1] for m in distinct]
    return pl.Series(lists, dtype=pl.List(GATE)).gather(distinct.search_sorted(masks))


def decide(results: Evaluation | pl.DataFrame) -> pl.DataFrame:
    """One decision per case: cleared only if every gate passes, blocked if any gate blocks.

    Also which gates block and which are pending; a pending case's `earliest_clear` is the
    latest of its pending gates' days, known only when every one of them clears by time alone.
    From an `Evaluation` (the bulk path) it reads the arrays; from rows (in any order), it
    groups them by case.
    """
    if isinstance(results, Evaluation):
        per_case = _per_case_of_evaluation(results)
    else:
        per_case = _per_case_by_grouping(results)
    blocked, pending = pl.col("blocked") > 0, pl.col("pending") > 0
    return per_case.select(
        "case_id",
        pl.when(blocked)
        .then(pl.lit("blocked"))
        .when(pending)
        .then(pl.lit("pending"))
        .otherwise(pl.lit("cleared"))
        .cast(DECISION)
        .alias("decision"),
        blocked_by=_gates_in(per_case["blocked"]),
        pending_on=_gates_in(per_case["pending"]),
        earliest_clear=pl.when(~blocked & ~pl.col("undated")).then("earliest_clear"),
        regime_version="regime_version",
    )


def explain(case: dict[str, Any], agreement: AgreementTerms, as_of: date | datetime) -> dict:
    """The same evaluation for one case, with each gate's rule version spelled out."""
    results = evaluate(cases_frame([case]), agreement, as_of)
    decision = decide(results).row(0, named=True)
    regime = load_regime(agreement.regime)
    day = _moment(as_of).date()
    gates = []
    for row in results.iter_rows(named=True):
        gate = regime.gate(row["gate"])
        version = gate.version_on(day)
        rule = None
        if version:
            rule = {
                "kind": version.kind,
                "parameters": dict(version.parameters),
                "from": version.begins,
                "until": version.ends,
                "reference": version.reference,
                "note": version.note,
            }
        gates.append({**row, "description": gate.description, "rule": rule})
    return {**decision, "as_of": as_of, "agreement": agreement.id, "gates": gates}
