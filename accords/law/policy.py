"""Programme policy: what a programme chooses to give beyond the law, as a layer of its own.

A programme may give more notice than the law requires (the injunction's 10 days while the
appeal runs, say, where the law in force asks 24 hours). That is not law, and the engine never
folds it into the law's gates: `us.notice` still says what the law requires. The policy is a
gate of its own kind, `programme.notice`, cited by who chose it and when, that holds a
transfer until the programme's own period has run. So a departure waits for both, and every
explanation shows the two side by side ("the law requires 24 hours' notice; this programme
gives 10 days"), with the law's verdict alone beside the decision.

A policy is dated like a rule version: each runs from its day until the next one the
programme chose for the same agreement; a version without days returns to the law alone.
"""

from dataclasses import dataclass, replace
from datetime import date

from accords.law.regime import RuleVersion
from accords.law.rules import PASS, PENDING, Branch, Context, c, days, first_day_after, served_by
from accords.law.us_procedure import designated

NOTICE = "programme.notice"
POLICY_GATES = (NOTICE,)
LAW_GATE = {NOTICE: "us.notice"}  # the law's gate each policy goes beyond
DESCRIPTION = {
    NOTICE: "Programme policy, not law: the notice of the destination this programme chose to "
    "give beyond what the law requires. It holds a transfer until its own period has run; "
    "the law's notice gate still says what the law requires."
}


@dataclass(frozen=True)
class ProgrammePolicy:
    """One dated version of a programme's notice policy under one agreement."""

    begins: date
    notice_days: int | None  # None: from `begins`, the law alone
    chosen_by: str  # who chose it, as the explanation names them (account and role)
    chosen_on: date
    ends: date | None = None  # exclusive; set by `dated` from the next version

    @property
    def citation(self) -> str:
        return f"programme policy chosen by {self.chosen_by} on {self.chosen_on:%Y-%m-%d}"

    def covers(self, day: date) -> bool:
        return self.begins <= day and (self.ends is None or day < self.ends)

    @property
    def gives(self) -> str:
        return f"this programme gives {self.notice_days} days' notice"


def dated(policies) -> tuple[ProgrammePolicy, ...]:
    """The versions in order, each closed where the next begins."""
    ordered = sorted(policies, key=lambda p: p.begins)
    following = [p.begins for p in ordered[1:]] + [None]
    return tuple(replace(p, ends=ends) for p, ends in zip(ordered, following, strict=False))


def policy_on(policies, day: date) -> ProgrammePolicy | None:
    """The policy in force on `day`, if it gives anything beyond the law."""
    found = next((p for p in policies if p.covers(day)), None)
    return found if found and found.notice_days is not None else None


def law_requires(version: RuleVersion | None, ctx: Context) -> str:
    """What the law's notice rule in force requires, in words."""
    if version is None:
        return "no rule of the law covers this date"
    p = version.parameters
    if version.kind == "none":
        return "the law requires no notice"
    if version.kind == "days_to_claim_fear":
        return f"the law requires {p['days']} days' notice to raise a fear claim"
    if p["none_with_credible_assurances"] and ctx.credible_assurances:
        return "the law requires no notice (credible diplomatic assurances)"
    if p["hours"] == 0:
        return "the law requires notice before removal, with no minimum period"
    return f"the law requires {p['hours']} hours' notice ({p['exigent_hours']} if exigent)"


def notice(ctx: Context, policy: ProgrammePolicy | None) -> list[Branch]:
    """The programme's notice gate: served naming the receiving state, and its days run."""
    r = ctx.receiving
    if policy is None:
        return [Branch(PASS, "no programme policy beyond the law on this date")]
    n = policy.notice_days
    ends = c("notice_served_at") + days(n)
    serve = f"serve written notice naming {r} at least {n} days before departure"
    return [
        Branch(PASS, f"the order designates {r}: no third-country notice is due", designated(ctx)),
        Branch(
            PENDING,
            f"{policy.gives}; none naming {r} was served",
            ~served_by("notice_served_at", ctx) | (c("notice_destination") != r).fill_null(True),
            serve,
        ),
        Branch(
            PENDING,
            f"{policy.gives}; they are running",
            ends > ctx.moment,
            "the programme's notice period ends",
            first_day_after(ends),
        ),
        Branch(PASS, f"{policy.gives}; they have run"),
    ]


POLICY_RULES = {NOTICE: notice}
