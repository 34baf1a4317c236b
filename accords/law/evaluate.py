"""The safeguards engine: every gate of an agreement's regime, on every case, on one date.

`evaluate` runs all cases at once on columns: each gate's rule (chosen by date from the regime
file) is a list of branches (`rules.py`), compiled into one polars expression per gate that
yields a branch number per case; the branch numbers are then looked up in a small table of
outcomes, reasons, citations and what would clear them. `explain` is the same path on a
one-row frame, and `decide` folds the gate rows into one decision per case.

Outcomes: `pass`; `pending` when the gate will clear by itself or by a step of the workflow
(a window running, an acceptance awaited); `block` when a legal bar stands (a protection, a
stay, an excluded category, the person's own country).
"""

from datetime import date, datetime, time
from typing import Any

import numpy as np
import polars as pl

from accords.law.columns import AgreementTerms, cases_frame, conform_cases
from accords.law.regime import KINDS, load_regime
from accords.law.rules import PENDING, SHARED_RULES, Branch, Context
from accords.law.uk import UK_RULES
from accords.law.us import US_DERIVED, US_RULES

RULES = {**SHARED_RULES, **US_RULES, **UK_RULES}
DERIVED = US_DERIVED

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


def _rows_of_gate(
    gate_id: str,
    branches: list[Branch],
    citation: str,
    unconfirmed: bool,
    regime_version: str,
    wide: pl.DataFrame,
    index: int,
) -> pl.DataFrame:
    """One gate's result rows: per-case branch numbers looked up in the gate's branch table."""
    code, size = wide[f"code{index}"], wide.height

    def each(field: str) -> pl.Series:
        values = [getattr(b, field) or None for b in branches]
        return pl.Series(field, values, dtype=RESULT_SCHEMA[field]).gather(code)

    def same(field: str, value: Any) -> pl.Series:
        return pl.repeat(value, size, dtype=RESULT_SCHEMA[field], eager=True).alias(field)

    return pl.DataFrame(
        [
            wide["case_id"],
            same("gate", gate_id),
            each("outcome"),
            each("reason"),
            same("citation", citation),
            each("clears_by"),
            wide[f"day{index}"].alias("earliest_clear"),
            same("unconfirmed", unconfirmed),
            same("regime_version", regime_version),
        ]
    )


def evaluate(
    cases: pl.DataFrame, agreement: AgreementTerms, as_of: date | datetime
) -> pl.DataFrame:
    """One row per case and gate: the outcome on `as_of` under the rules then in force."""
    cases = conform_cases(cases)
    regime = load_regime(agreement.regime)
    ctx = Context(agreement, _moment(as_of).date(), _moment(as_of))
    plan = []
    for gate in regime.gates:
        version = gate.version_on(ctx.day)
        branches = RULES[gate.id](ctx, version) if version else [_GAP]
        if version and gate.id in DERIVED:
            cases = cases.hstack(DERIVED[gate.id](cases, ctx, version))
        citation = version.reference if version else gate.citation
        unconfirmed = bool(version and version.unconfirmed)
        plan.append((gate.id, branches, citation, unconfirmed, regime.version))
    codes = [_first_match(branches).alias(f"code{i}") for i, (_, branches, *_) in enumerate(plan)]
    earliest = [
        _earliest(branches, pl.col(f"code{i}")).alias(f"day{i}")
        for i, (_, branches, *_) in enumerate(plan)
    ]
    wide = (
        cases.lazy()
        .with_columns(codes)
        .select("case_id", *(f"code{i}" for i in range(len(plan))), *earliest)
        .collect()
    )
    # blocks share the case_id buffers of `wide`, so the result is not copied together
    return pl.concat([_rows_of_gate(*step, wide, i) for i, step in enumerate(plan)], rechunk=False)


def _gate_blocks(results: pl.DataFrame) -> int | None:
    """How many gate blocks `results` has if it is laid out as `evaluate` returns it.

    That layout is one block of rows per gate, each listing the same distinct cases in the same
    order; it lets `decide` line the blocks up instead of grouping millions of rows by case.
    """
    gates = results["gate"].to_physical().to_numpy()
    starts = np.flatnonzero(np.append(True, gates[1:] != gates[:-1]))
    size = results.height // max(len(starts), 1)
    evenly = size > 0 and np.array_equal(starts, np.arange(0, results.height, size))
    if not evenly or len(np.unique(gates[starts])) != len(starts):
        return None
    cases = results["case_id"]
    first = cases.slice(0, size)
    same = all(cases.slice(k * size, size).equals(first) for k in range(1, len(starts)))
    return len(starts) if same and first.n_unique() == size else None


def _bit(gate: pl.Expr) -> pl.Expr:
    """A gate as one bit of a mask, so a case's set of gates is one integer."""
    positions = range(len(GATE_IDS))
    return gate.to_physical().replace_strict(
        positions, [1 << i for i in positions], return_dtype=pl.UInt64
    )


def _per_case_by_blocks(results: pl.DataFrame, blocks: int) -> pl.DataFrame:
    size = results.height // blocks

    def block(column: str, k: int) -> pl.Series:
        return results[column].slice(k * size, size).alias(f"{column}{k}")

    wide = pl.DataFrame(
        [block("case_id", 0), block("regime_version", 0)]
        + [block(column, k) for column in ("outcome", "earliest_clear") for k in range(blocks)]
    )
    gates = [results["gate"][k * size] for k in range(blocks)]
    bits = [pl.lit(1 << GATE_IDS.index(gate), pl.UInt64) for gate in gates]
    outcome = [pl.col(f"outcome{k}") for k in range(blocks)]
    earliest = [pl.col(f"earliest_clear{k}") for k in range(blocks)]

    def mask(outcome_is: str) -> pl.Expr:
        return pl.sum_horizontal(
            pl.when(o == outcome_is).then(b).otherwise(0)
            for o, b in zip(outcome, bits, strict=True)
        )

    return wide.select(
        case_id="case_id0",
        blocked=mask("block"),
        pending=mask("pending"),
        undated=pl.any_horizontal(
            (o == "pending") & d.is_null() for o, d in zip(outcome, earliest, strict=True)
        ),
        earliest_clear=pl.max_horizontal(
            pl.when(o == "pending").then(d) for o, d in zip(outcome, earliest, strict=True)
        ),
        regime_version="regime_version0",
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


def decide(results: pl.DataFrame) -> pl.DataFrame:
    """One decision per case: cleared only if every gate passes, blocked if any gate blocks.

    Also which gates block and which are pending; a pending case's `earliest_clear` is the
    latest of its pending gates' days, known only when every one of them clears by time alone.
    """
    blocks = _gate_blocks(results)
    per_case = _per_case_by_blocks(results, blocks) if blocks else _per_case_by_grouping(results)
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
