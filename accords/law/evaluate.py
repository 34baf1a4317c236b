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

import polars as pl

from accords.law.columns import AgreementTerms, cases_frame, conform_cases
from accords.law.regime import KINDS, load_regime
from accords.law.rules import PENDING, SHARED_RULES, Branch, Context
from accords.law.uk import UK_RULES
from accords.law.us import US_DERIVED, US_RULES

RULES = {**SHARED_RULES, **US_RULES, **UK_RULES}
DERIVED = US_DERIVED

OUTCOME = pl.Enum(["pass", "pending", "block"])
GATE = pl.Enum(list(KINDS))
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


def _first_match(branches: list[Branch], first_code: int) -> pl.Expr:
    chained = None
    for offset, branch in enumerate(branches[:-1]):
        code = pl.lit(first_code + offset, pl.UInt16)
        chained = (pl.when if chained is None else chained.when)(branch.when).then(code)
    last = pl.lit(first_code + len(branches) - 1, pl.UInt16)
    return last if chained is None else chained.otherwise(last)


def _earliest(branches: list[Branch], first_code: int, code: pl.Expr) -> pl.Expr:
    chained = None
    for offset, branch in enumerate(branches):
        if branch.earliest is not None:
            at = code == first_code + offset
            chained = (pl.when if chained is None else chained.when)(at).then(branch.earliest)
    return pl.lit(None, pl.Date) if chained is None else chained.otherwise(None)


def evaluate(
    cases: pl.DataFrame, agreement: AgreementTerms, as_of: date | datetime
) -> pl.DataFrame:
    """One row per case and gate: the outcome on `as_of` under the rules then in force."""
    cases = conform_cases(cases)
    regime = load_regime(agreement.regime)
    ctx = Context(agreement, _moment(as_of).date(), _moment(as_of))
    table: list[dict[str, Any]] = []
    codes, earliest = [], []
    for index, gate in enumerate(regime.gates):
        version = gate.version_on(ctx.day)
        branches = RULES[gate.id](ctx, version) if version else [_GAP]
        if version and gate.id in DERIVED:
            cases = cases.hstack(DERIVED[gate.id](cases, ctx, version))
        citation = version.reference if version else gate.citation
        first = len(table)
        table.extend(
            {
                "gate": gate.id,
                "outcome": b.outcome,
                "reason": b.reason,
                "citation": citation,
                "clears_by": b.clears_by or None,
                "unconfirmed": bool(version and version.unconfirmed),
            }
            for b in branches
        )
        codes.append(_first_match(branches, first).alias(f"code{index}"))
        earliest.append(_earliest(branches, first, pl.col(f"code{index}")).alias(f"day{index}"))
    wide = (
        cases.lazy()
        .with_columns(codes)
        .select("case_id", *(f"code{i}" for i in range(len(codes))), *earliest)
        .collect()
    )
    long = pl.concat(
        [
            wide.select("case_id", code=f"code{i}", earliest_clear=f"day{i}")
            for i in range(len(regime.gates))
        ]
    )
    lookup = pl.DataFrame(
        table,
        schema={
            "gate": GATE,
            "outcome": OUTCOME,
            "reason": pl.Categorical(),
            "citation": pl.Categorical(),
            "clears_by": pl.Categorical(),
            "unconfirmed": pl.Boolean(),
        },
    )
    looked_up = lookup[long["code"]]
    return pl.concat(
        [long.select("case_id"), looked_up, long.select("earliest_clear")], how="horizontal"
    ).select(
        *[name for name in RESULT_SCHEMA if name != "regime_version"],
        pl.lit(regime.version, pl.Categorical).alias("regime_version"),
    )


def _gate_blocks(results: pl.DataFrame) -> int | None:
    """How many gate blocks `results` has if it is laid out as `evaluate` returns it.

    That layout is one block of rows per gate, each listing the same distinct cases in the same
    order; it lets `decide` line the blocks up instead of grouping millions of rows by case.
    """
    runs = results.select(pl.col("gate").rle().struct.field("len"))["len"]
    size = runs[0] if len(runs) else 0
    if not size or (runs != size).any() or results["gate"].n_unique() != len(runs):
        return None
    cases = results["case_id"]
    first = cases.slice(0, size)
    same = all(cases.slice(k * size, size).equals(first) for k in range(1, len(runs)))
    return len(runs) if same and first.n_unique() == size else None


def _bit(gate: pl.Expr) -> pl.Expr:
    """A gate as one bit of a mask, so a case's set of gates is one integer."""
    positions = range(len(GATE.categories))
    return gate.to_physical().replace_strict(
        positions, [1 << i for i in positions], return_dtype=pl.UInt64
    )


def _per_case_by_blocks(results: pl.DataFrame, blocks: int) -> pl.DataFrame:
    size = results.height // blocks

    def block(column: str, k: int) -> pl.Series:
        return results[column].slice(k * size, size).alias(f"{column}{k}")

    wide = pl.DataFrame(
        [block("case_id", 0), block("regime_version", 0)]
        + [
            block(column, k)
            for column in ("gate", "outcome", "earliest_clear")
            for k in range(blocks)
        ]
    )
    outcome = [pl.col(f"outcome{k}") for k in range(blocks)]
    earliest = [pl.col(f"earliest_clear{k}") for k in range(blocks)]
    bits = [_bit(pl.col(f"gate{k}")) for k in range(blocks)]
    return wide.select(
        case_id="case_id0",
        blocked=pl.sum_horizontal(
            pl.when(o == "block").then(b).otherwise(0) for o, b in zip(outcome, bits, strict=True)
        ),
        pending=pl.sum_horizontal(
            pl.when(o == "pending").then(b).otherwise(0) for o, b in zip(outcome, bits, strict=True)
        ),
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
    lists = [[g for i, g in enumerate(GATE.categories) if m >> i & 1] for m in distinct]
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
