"""The safeguards engine: every gate of an agreement's regime, on every case, on one date.

`assess` runs all cases at once on columns: each gate's rule (chosen by date from the regime
file) is a list of branches (`rules.py`), compiled into one polars expression per gate that
yields a branch number per case; the branch numbers are then looked up in a small table of
outcomes, reasons, citations and what would clear them. `decide` folds them into one
decision per case; `evaluate` spells them out as one row per case and gate; `explain` is the
same path on a one-row frame.

Screening many agreements on one date, an `Assessor` evaluates each gate once for all the
agreements whose rule for it reads alike (the same expressions, and no fact that depends on the
receiving state), and `decide` folds each gate's share of the decisions once too.

Outcomes: `pass`; `pending` when the gate will clear by itself or by a step of the workflow
(a window running, an acceptance awaited); `block` when a legal bar stands (a protection, a
stay, an excluded category, the person's own country).
"""

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cached_property, lru_cache
from typing import Any

import numpy as np
import polars as pl

from accords.law.columns import (
    RECEIVING_COLUMNS,
    AgreementTerms,
    cases_frame,
    conform_cases,
    repeated,
)
from accords.law.gates import DERIVED, RULES
from accords.law.policy import (
    DESCRIPTION,
    LAW_GATE,
    POLICY_GATES,
    POLICY_RULES,
    law_requires,
    policy_on,
)
from accords.law.regime import KINDS, load_regime
from accords.law.rule_code import regime_code
from accords.law.rules import PENDING, Branch, Context

OUTCOME = pl.Enum(["pass", "pending", "block"])
GATE_IDS = [*KINDS, *POLICY_GATES]  # the law's gates, then the programme's
GATE = pl.Enum(GATE_IDS)
# A set of gates, as in bulk decisions: bit i is GATE_IDS[i] (`gate_lists` spells it out).
GATE_SET = pl.UInt32()
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


# The last day a date can name outside polars. A window counted from a fact dated near it (a
# stay "until 9999-12-31") would clear on a day no page can show: that day reads as unknown.
_LAST_DAY = pl.lit(date.max, pl.Date)


def _earliest(branches: list[Branch], code: pl.Expr) -> pl.Expr:
    chained = None
    for number, branch in enumerate(branches):
        if branch.earliest is not None:
            at = code == number
            chained = (pl.when if chained is None else chained.when)(at).then(branch.earliest)
    if chained is None:
        return pl.lit(None, pl.Date)
    day = chained.otherwise(None)
    return pl.when(day <= _LAST_DAY).then(day)


_NO_DAY = np.iinfo(np.int32).min  # "no date" while comparing days as integers
_OUTCOME_CODE = {name: code for code, name in enumerate(OUTCOME.categories)}
_PASS, _PENDING, _BLOCK = (_OUTCOME_CODE[o] for o in ("pass", "pending", "block"))
assert len(GATE_IDS) <= 32, "a set of gates is kept as the bits of a 32-bit integer"


@dataclass(frozen=True)
class GateRule:
    """One gate as evaluated for one agreement: its branches (a case's code is the first that
    matched), the outcome of each branch as an OUTCOME code, and what every row of it shares."""

    gate_id: str
    branches: list[Branch]
    outcomes: np.ndarray
    citation: str
    unconfirmed: bool

    @cached_property
    def first_match(self) -> pl.Expr:
        """The number of the first branch whose condition holds, per case."""
        return _first_match(self.branches)


@dataclass(frozen=True)
class Share:
    """A gate's part in every case's decision, kept small: the branches some case took that
    block, that are pending, and that are pending with no day to clear by; and the cases pending
    on a dated branch (their positions) with those days (_NO_DAY where the day is not known).
    Masks over a million cases are made again from the codes when folding, as that costs less
    than keeping them."""

    blocking: tuple[int, ...]
    waiting: tuple[int, ...]
    undated: tuple[int, ...]
    dated: np.ndarray
    clears: np.ndarray


class Verdicts:
    """One gate's verdict on every case: the branch each case took (`codes`), and on demand the
    day each could clear by time alone (`days_at`). Agreements whose gate reads alike hold the
    same Verdicts, so its `share` of their decisions is worked out once."""

    def __init__(self, gate: GateRule, codes: np.ndarray, cases: pl.DataFrame):
        self.codes = codes
        self.bit = np.uint32(1 << GATE_IDS.index(gate.gate_id))
        self._cases = cases  # the columns the gate was evaluated on, for its days
        self._branches = gate.branches
        self._outcomes = gate.outcomes
        self._dated = np.array([b.earliest is not None for b in gate.branches])

    def days_at(self, at: np.ndarray) -> pl.Series:
        """The day each case at the positions `at` could clear the gate (null where its branch
        has none). Worked out for the cases asked about alone: few take a dated branch."""
        codes = pl.Series("code", self.codes[at])
        if not self._dated[np.unique(self.codes[at])].any():
            return repeated(None, len(at), pl.Date())
        dated = [b.earliest for b in self._branches if b.earliest is not None]
        read = sorted(set().union(*(e.meta.root_names() for e in dated)))
        # Indexing, not `select`: an eager select on a frame whose columns are chunked unlike
        # one another first rechunks every column, which costs far more than this gather.
        cases = self._cases[at, read].with_columns(codes) if read else codes.to_frame()
        return cases.select(_earliest(self._branches, pl.col("code"))).to_series()

    @cached_property
    def days(self) -> pl.Series:
        """`days_at` every case."""
        at = np.flatnonzero(np.isin(self.codes, np.flatnonzero(self._dated)))
        days = repeated(None, len(self.codes), pl.Date())
        return days.scatter(at, self.days_at(at)) if len(at) else days

    @cached_property
    def share(self) -> Share:
        # The branches some case took, counted in one pass; then plain lists: on one case
        # (re-screening a person) a numpy call per branch cost more than the rest.
        taken = np.flatnonzero(np.bincount(self.codes, minlength=len(self._outcomes))).tolist()
        outcomes, has_day = self._outcomes.tolist(), self._dated.tolist()
        waiting = tuple(number for number in taken if outcomes[number] == _PENDING)
        dated = tuple(number for number in waiting if has_day[number])
        at, clears = np.zeros(0, np.int64), np.zeros(0, np.int32)
        if dated:  # most gates have none: then not even an empty series is made
            at = np.flatnonzero(np.isin(self.codes, dated))
            clears = self.days_at(at).to_physical().fill_null(_NO_DAY).to_numpy()
        return Share(
            blocking=tuple(number for number in taken if outcomes[number] == _BLOCK),
            waiting=waiting,
            undated=tuple(number for number in waiting if not has_day[number]),
            dated=at,
            clears=clears,
        )


@dataclass(frozen=True)
class Evaluation:
    """Every gate on every case, kept as each gate's Verdicts (the branch number each case
    took, one small integer per case and gate) rather than as rows: `decide` reads them
    directly, and `rows` spells them out only where they are wanted."""

    case_id: pl.Series
    gates: list[GateRule]
    verdicts: list[Verdicts]
    regime_version: str
    rule_code: str  # the hash of the code the gates ran (rule_code.py)

    def rows(self, *, passed: bool = True) -> pl.DataFrame:
        """One row per case and gate (RESULT_SCHEMA), gate by gate; only the gates not passed
        with `passed=False`."""
        rows = [self._rows_of_gate(i, passed) for i in range(len(self.gates))]
        return pl.concat(rows, rechunk=False)

    def running(self) -> pl.DataFrame:
        """The rows (as `rows` spells them) of the gates pending with a day they could clear:
        the clocks that are running. Read from each gate's share of the decision, worked out
        once the evaluation is decided, so the many gates with no running clock cost nothing."""
        parts = []
        for i, verdicts in enumerate(self.verdicts):
            share = verdicts.share
            known = share.clears != _NO_DAY
            if known.any():
                day = pl.Series(share.clears[known], dtype=pl.Int32).cast(pl.Date)
                parts.append(self._spelled(i, share.dated[known], day))
        return pl.concat(parts, rechunk=False) if parts else pl.DataFrame(schema=RESULT_SCHEMA)

    def _rows_of_gate(self, i: int, passed: bool) -> pl.DataFrame:
        gate, verdicts = self.gates[i], self.verdicts[i]
        if passed:
            return self._spelled(i, None, verdicts.days)
        keep = np.flatnonzero(gate.outcomes[verdicts.codes] != _PASS)
        return self._spelled(i, keep, verdicts.days.gather(pl.Series(keep)))

    def _spelled(self, i: int, at: np.ndarray | None, day: pl.Series) -> pl.DataFrame:
        """Gate i's rows for the cases at the positions `at` (every case if None), each
        clearing on its `day`."""
        gate, verdicts = self.gates[i], self.verdicts[i]
        code, case_id = pl.Series(verdicts.codes), self.case_id
        if at is not None:
            keep = pl.Series(at)
            code, case_id = code.gather(keep), case_id.gather(keep)
        size = len(code)

        def each(field: str) -> pl.Series:
            values = [getattr(b, field) or None for b in gate.branches]
            return pl.Series(field, values, dtype=RESULT_SCHEMA[field]).gather(code)

        def same(field: str, value: Any) -> pl.Series:
            return repeated(value, size, RESULT_SCHEMA[field], field)

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


def _serialized(expr: pl.Expr | None) -> str | None:
    return None if expr is None else expr.meta.serialize(format="json")


class Assessor:
    """Assesses agreements on one date over one set of cases, doing each piece of work once.

    `columns_for(receiving)` gives the engine's case columns for transfers to a receiving
    state, checked against the contract (as `cases.facts.engine_columns` and
    `columns.cases_frame` make them): the same cases in the same order for every state,
    differing only in RECEIVING_COLUMNS. A gate whose branches are
    the same expressions, reading no column that depends on the receiving state, takes the same
    branch on every case under every agreement: it is evaluated once, and agreements share its
    Verdicts. Derived columns (`rules.Derivation`) are shared the same way.
    """

    def __init__(self, columns_for: Callable[[str], pl.DataFrame], as_of: date | datetime):
        self._columns_for = columns_for
        self.moment = _moment(as_of)
        self._columns: dict[str, pl.DataFrame] = {}
        self._common: dict[tuple, Any] = {}
        self._derived: dict[tuple, pl.DataFrame] = {}
        self._verdicts: dict[tuple, Verdicts] = {}

    def _cases(self, receiving: str) -> pl.DataFrame:
        """The case columns for one receiving state, asked for once."""
        if receiving not in self._columns:
            self._columns[receiving] = self._columns_for(receiving)
        return self._columns[receiving]

    def _derive(self, cases: pl.DataFrame, gate_id: str, version, receiving: str):
        """The derived columns of one gate, and whether they depend on the receiving state."""
        derivation = DERIVED[gate_id]
        key = (gate_id, version.begins)  # a gate's versions begin on distinct days
        if key not in self._common:
            same_for_all = cases.lazy().drop(RECEIVING_COLUMNS).collect()  # lazy: see days_at
            self._common[key] = derivation.common(same_for_all, self.moment.date(), version)
        if derivation.for_state is None:
            return self._common[key], False
        if (*key, receiving) not in self._derived:
            self._derived[(*key, receiving)] = derivation.for_state(self._common[key], receiving)
        return self._derived[(*key, receiving)], True

    def assess(self, agreement: AgreementTerms) -> Evaluation:
        """Every gate of the agreement's regime on every case, under the rules then in force."""
        return self.assess_together([agreement])[0]

    def assess_together(self, agreements: list[AgreementTerms]) -> list[Evaluation]:
        """`assess` for several agreements, their gates not yet evaluated all in one pass of
        polars over their case columns set one under another: on a few cases (re-screening a
        person after a write) a pass costs the same whatever its size, so ten agreements cost
        little more than one. On many cases, assess them one by one (`assessed`)."""
        prepared = [self._prepare(agreement) for agreement in agreements]
        new: dict[tuple, tuple[GateRule, int]] = {}
        for at, (_, gates, keys, _) in enumerate(prepared):
            for key, gate in zip(keys, gates, strict=True):
                if key not in self._verdicts and key not in new:
                    new[key] = (gate, at)
        if new:
            self._verdicts.update(_evaluated([p[0] for p in prepared], new))
        return [
            Evaluation(
                case_id=cases["case_id"],
                gates=gates,
                verdicts=[self._verdicts[k] for k in keys],
                regime_version=regime.version,
                rule_code=regime_code(regime),
            )
            for cases, gates, keys, regime in prepared
        ]

    def _prepare(self, agreement: AgreementTerms):
        """The agreement's case columns (with its gates' derived columns), its gates under the
        rules in force, and each gate's key: gates with equal keys take the same branches."""
        receiving = agreement.receiving_state
        cases = self._cases(receiving)
        regime = load_regime(agreement.regime)
        by_state = set(RECEIVING_COLUMNS)
        gates, keys = [], []
        for rule in _rules_in_force(regime.id, regime.version, agreement, self.moment):
            if rule.derived_from is not None:
                derived, per_state = self._derive(cases, rule.gate.gate_id, rule.derived_from,
                                                  receiving)  # fmt: skip
                cases = cases.hstack(derived)
                if per_state:
                    by_state.update(derived.columns)
            gates.append(rule.gate)
            reads_state = not by_state.isdisjoint(rule.reads)
            keys.append((rule.gate.gate_id, rule.said, receiving if reads_state else None))
        return cases, gates, keys, regime


@dataclass(frozen=True)
class _InForce:
    """One gate of an agreement as its rules stand at a moment: what the cases do not change."""

    gate: GateRule
    derived_from: Any  # the rule version whose derived columns the gate reads (DERIVED), or None
    said: tuple  # the branches, serialised: two gates that say the same take the same branches
    reads: frozenset[str]  # the columns the branches read


@lru_cache(maxsize=1024)
def _rules_in_force(regime_id: str, regime_version: str, agreement: AgreementTerms,
                    moment: datetime) -> tuple[_InForce, ...]:  # fmt: skip
    """The agreement's gates at `moment`, built once: re-screening one person after each write
    asks for the same agreements at the same moment again and again, and building the rules'
    expressions and serialising them cost as much as evaluating them on a one-row frame. The
    regime's id and version are in the key, so a regime read anew is never answered from here."""
    regime = load_regime(regime_id)
    ctx = Context(agreement, moment.date(), moment)
    built = []

    def add(gate: GateRule, derived_from) -> None:
        exprs = [e for b in gate.branches for e in (b.when, b.earliest) if e is not None]
        said = tuple(
            (b.outcome, _serialized(b.when), _serialized(b.earliest)) for b in gate.branches
        )
        reads = frozenset(name for e in exprs for name in e.meta.root_names())
        built.append(_InForce(gate, derived_from, said, reads))

    for gate in regime.gates:
        version = gate.version_on(ctx.day)
        branches = RULES[gate.id](ctx, version) if version else [_GAP]
        citation = version.reference if version else gate.citation
        rule = _gate_rule(gate.id, branches, citation, bool(version and version.unconfirmed))
        add(rule, version if version and gate.id in DERIVED else None)
    for gate_id in POLICY_GATES if agreement.policies else ():
        policy = policy_on(agreement.policies, ctx.day)
        citation = policy.citation if policy else "programme policy: none in force this day"
        add(_gate_rule(gate_id, POLICY_RULES[gate_id](ctx, policy), citation, False), None)
    if regime.version != regime_version:  # read anew between the caller's read and this one
        raise RuntimeError(f"regime {regime_id} changed while its rules were built")
    return tuple(built)


def _gate_rule(gate_id: str, branches: list[Branch], citation: str, unconfirmed: bool) -> GateRule:
    outcomes = np.array([_OUTCOME_CODE[b.outcome] for b in branches], dtype=np.uint8)
    return GateRule(gate_id, branches, outcomes, citation, unconfirmed)


def assessed(
    assessor: Assessor, agreements: list[AgreementTerms], *, together: bool = False
) -> Iterator[tuple[AgreementTerms, Evaluation, pl.DataFrame]]:
    """Each agreement in turn: its evaluation and its decisions; `together`, all assessed in
    one pass first (`Assessor.assess_together`: for few cases). (Deciding on a second thread
    while the next agreement is assessed was tried: measured side by side, it gained nothing.)"""
    if together:
        evaluations = assessor.assess_together(agreements)
        decided, start = decide_together(evaluations), 0
        for agreement, evaluation in zip(agreements, evaluations, strict=True):
            size = len(evaluation.case_id)
            yield agreement, evaluation, decided.slice(start, size)
            start += size
        return
    for agreement in agreements:
        evaluation = assessor.assess(agreement)
        yield agreement, evaluation, decide(evaluation)


def _evaluated(
    frames: list[pl.DataFrame], gates: dict[tuple, tuple[GateRule, int]]
) -> dict[tuple, Verdicts]:
    """The gates' verdicts, each on its own frame of cases (by place in `frames`), all in one
    pass of polars: the frames used are set one under another (a column one frame lacks is
    null in the others' rows, which its gates never read), and each gate's branch numbers are
    taken from its frame's rows. A gate keyed (gate, what it says, state) that says the same
    under several states (it reads their notices, say) is one expression over the whole
    stack, its states' rows taken from it: polars' cost is per expression, not per row."""
    used = sorted({at for _, at in gates.values()})
    stacked = (
        frames[used[0]]
        if len(used) == 1
        else pl.concat([frames[at] for at in used], how="diagonal_relaxed")
    )
    starts, start = {}, 0
    for at in used:
        starts[at], start = start, start + len(frames[at])
    said: dict[tuple, tuple[str, GateRule]] = {}  # (gate, what it says): its column, its rule
    for key, (gate, _) in gates.items():
        said.setdefault(key[:2], (f"code{len(said)}", gate))
    wide = (
        stacked.lazy()  # case_id comes along so that a rule of one branch spans every case
        .select("case_id", *(gate.first_match.alias(code) for code, gate in said.values()))
        .drop("case_id")
        .collect()
        .to_numpy()  # one array, branch numbers by case and gate, sliced below without polars
    )
    place = {k: i for i, k in enumerate(said)}
    return {
        key: Verdicts(
            gate,
            wide[starts[at] : starts[at] + len(frames[at]), place[key[:2]]],
            frames[at],
        )
        for key, (gate, at) in gates.items()
    }


def assess(cases: pl.DataFrame, agreement: AgreementTerms, as_of: date | datetime) -> Evaluation:
    """Every gate on every case on `as_of`, under the rules then in force."""
    conformed = conform_cases(cases)
    return Assessor(lambda receiving: conformed, as_of).assess(agreement)


def evaluate(
    cases: pl.DataFrame, agreement: AgreementTerms, as_of: date | datetime
) -> pl.DataFrame:
    """One row per case and gate: the outcome on `as_of` under the rules then in force."""
    return assess(cases, agreement, as_of).rows()


def _bit(gate: pl.Expr) -> pl.Expr:
    """A gate as one bit of a mask, so a case's set of gates is one integer."""
    positions = range(len(GATE_IDS))
    return gate.to_physical().replace_strict(
        positions, [1 << i for i in positions], return_dtype=pl.UInt32
    )


def _taking(codes: np.ndarray, branches: tuple[int, ...]) -> np.ndarray:
    """Which cases took one of the branches: a comparison per branch, which on a million codes
    costs far less than looking each code up in a table."""
    taken = codes == branches[0]
    for number in branches[1:]:
        np.logical_or(taken, codes == number, out=taken)
    return taken


def _per_case_of_evaluation(evaluation: Evaluation) -> dict[str, np.ndarray]:
    """The per-case masks and days folded from each gate's share of the decision."""
    size = len(evaluation.case_id)
    blocked, pending = np.zeros(size, np.uint32), np.zeros(size, np.uint32)
    undated, latest = np.zeros(size, bool), np.full(size, _NO_DAY, np.int32)
    for verdicts in evaluation.verdicts:
        share, codes, bit = verdicts.share, verdicts.codes, verdicts.bit
        if share.blocking:
            np.bitwise_or(blocked, _taking(codes, share.blocking) * bit, out=blocked)
        if share.waiting:
            np.bitwise_or(pending, _taking(codes, share.waiting) * bit, out=pending)
        if share.undated:
            np.logical_or(undated, _taking(codes, share.undated), out=undated)
        if len(share.dated):
            latest[share.dated] = np.maximum(latest[share.dated], share.clears)
            undated[share.dated[share.clears == _NO_DAY]] = True  # a day that is not known
    return {"blocked": blocked, "pending": pending, "undated": undated, "latest": latest}


def _per_case_by_grouping(results: pl.DataFrame) -> pl.DataFrame:
    pending = pl.col("outcome") == "pending"
    return results.group_by("case_id", maintain_order=True).agg(
        blocked=_bit(pl.col("gate")).filter(pl.col("outcome") == "block").sum(),
        pending=_bit(pl.col("gate")).filter(pending).sum(),
        undated=(pending & pl.col("earliest_clear").is_null()).any(),
        latest=pl.col("earliest_clear").filter(pending).max().cast(pl.Int32).fill_null(_NO_DAY),
        regime_version=pl.col("regime_version").first(),
    )


def _gates_in(masks: np.ndarray) -> pl.Series:
    """Masks back to lists of gates, through the few distinct masks that occur."""
    distinct, at = np.unique(masks, return_inverse=True)
    named = [[g for i, g in enumerate(GATE_IDS) if int(m) >> i & 1] for m in distinct]
    lists = pl.Series(named, dtype=pl.List(pl.String)).cast(pl.List(GATE))
    return lists.gather(pl.Series(at))


_DECISIONS = pl.Series(DECISION.categories, dtype=DECISION)


def gate_lists(decisions: pl.DataFrame) -> pl.DataFrame:
    """The decisions with their gate sets spelled out as lists of gates, for showing them."""
    return decisions.with_columns(
        blocked_by=_gates_in(decisions["blocked_by"].to_numpy()),
        pending_on=_gates_in(decisions["pending_on"].to_numpy()),
    )


def gate_counts(gate_sets: pl.Series) -> Counter:
    """How many cases have each gate in their set, counted over the few distinct sets."""
    counts: Counter = Counter()
    for gates, n in gate_sets.value_counts().iter_rows():
        counts.update({g: n for i, g in enumerate(GATE_IDS) if gates >> i & 1})
    return counts


def decide(results: Evaluation | pl.DataFrame) -> pl.DataFrame:
    """One decision per case: cleared only if every gate passes, blocked if any gate blocks.

    Also which gates block and which are pending, as gate sets (`gate_lists` names them); a
    pending case's `earliest_clear` is the latest of its pending gates' days, known only when
    every one of them clears by time alone.
    From an `Evaluation` (the bulk path) it folds each gate's share; from rows (in any order),
    it groups them by case.
    """
    if isinstance(results, Evaluation):
        return decide_together([results])
    per_case = _per_case_by_grouping(results)
    masks = {
        name: per_case[name].to_numpy() for name in ("blocked", "pending", "undated", "latest")
    }
    return _decisions(per_case["case_id"], per_case["regime_version"], masks)


def decide_together(evaluations: list[Evaluation]) -> pl.DataFrame:
    """`decide` for several evaluations, their decisions one under another in one frame:
    re-screening a person decides under every agreement, and polars' cost is per frame made,
    not per row."""
    if not evaluations:  # no agreement in force on the day: no decisions
        return decide(pl.DataFrame(schema=RESULT_SCHEMA))
    folded = [_per_case_of_evaluation(evaluation) for evaluation in evaluations]
    masks = {name: np.concatenate([f[name] for f in folded]) for name in folded[0]}
    case_id = pl.concat([e.case_id for e in evaluations], rechunk=True)
    named = list(dict.fromkeys(e.regime_version for e in evaluations))
    which = [named.index(e.regime_version) for e in evaluations]
    sizes = [len(e.case_id) for e in evaluations]
    versions = pl.Series(named, dtype=pl.String).gather(pl.Series(np.repeat(which, sizes)))
    return _decisions(case_id, versions, masks)


def _decisions(
    case_id: pl.Series, versions: pl.Series, masks: dict[str, np.ndarray]
) -> pl.DataFrame:
    blocked = masks["blocked"] != 0
    decision = (masks["pending"] != 0).view(np.uint8)  # 0 cleared, 1 pending, 2 blocked
    np.putmask(decision, blocked, 2)
    clears = masks["latest"].copy()
    np.putmask(clears, blocked | masks["undated"], _NO_DAY)
    earliest = pl.Series(clears)
    return pl.DataFrame(
        {
            "case_id": case_id,
            "decision": _DECISIONS.gather(pl.Series(decision)),
            "blocked_by": pl.Series(masks["blocked"], dtype=GATE_SET),
            "pending_on": pl.Series(masks["pending"], dtype=GATE_SET),
            "earliest_clear": earliest.set(earliest == _NO_DAY, None).cast(pl.Date),
            "regime_version": versions.cast(pl.Categorical),
        }
    )


def explain(case: dict[str, Any], agreement: AgreementTerms, as_of: date | datetime) -> dict:
    """The same evaluation for one case, with each gate's rule version spelled out, and the
    programme's policy beside the law: on the law's gate it goes beyond (`programme`), as its
    own gate, and in `law_decision`, the decision by the law's gates alone."""
    results = evaluate(cases_frame([case]), agreement, as_of)
    decision = gate_lists(decide(results)).row(0, named=True)
    law_alone = decide(results.filter(~pl.col("gate").cast(pl.String).is_in(POLICY_GATES)))
    regime = load_regime(agreement.regime)
    moment = _moment(as_of)
    ctx = Context(agreement, moment.date(), moment)
    policy = policy_on(agreement.policies, ctx.day)
    gates, beside = [], []
    for row in results.iter_rows(named=True):
        if row["gate"] in POLICY_GATES:
            gates.append(
                {
                    **row,
                    **_policy_rule(row["gate"], policy),
                    "layer": "programme",
                    "programme": None,
                }
            )
            continue
        gate = regime.gate(row["gate"])
        version = gate.version_on(ctx.day)
        rule = None
        if version:
            rule = {
                "kind": version.kind,
                "parameters": dict(version.parameters),
                "from": version.begins,
                "until": version.ends,
                "reference": version.reference,
                "confidence": version.confidence,
                "note": version.note,
            }
        programme = None
        if policy and row["gate"] in LAW_GATE.values():
            programme = f"{law_requires(version, ctx)}; {policy.gives} ({policy.citation})"
            beside.append(programme)
        gates.append({**row, "description": gate.description, "rule": rule, "programme": programme})
    return {
        **decision,
        "law_decision": law_alone["decision"][0],
        "programme": beside,
        "as_of": as_of,
        "agreement": agreement.id,
        "rule_code": regime_code(regime),
        "gates": gates,
    }


def _policy_rule(gate_id: str, policy) -> dict:
    rule = None
    if policy:
        rule = {
            "kind": "programme policy",
            "parameters": {"notice_days": policy.notice_days},
            "from": policy.begins,
            "until": policy.ends,
            "reference": policy.citation,
            "confidence": "",
            "note": "",
        }
    return {"description": DESCRIPTION[gate_id], "rule": rule}
