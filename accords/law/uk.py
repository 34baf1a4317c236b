"""The United Kingdom gates (Rwanda partnership) as branches over case columns.

The conventions are those of `rules.py`; the dated versions live in `regimes/uk.yaml`.
"""

import polars as pl

from accords.law import lists
from accords.law.regime import RuleVersion
from accords.law.rules import (
    BLOCK,
    PASS,
    PENDING,
    Branch,
    Context,
    Derivation,
    RuleFunction,
    c,
    clears_after,
    days,
    first_day_after,
    on_record,
    plus_days,
    served_by,
)


def inadmissible(ctx: Context, version: RuleVersion) -> list[Branch]:
    failed_asylum_seekers = []
    if version.parameters["refused_claims_included"]:
        failed_asylum_seekers = [
            Branch(
                PASS,
                "the asylum claim was refused: failed asylum seekers are within the scheme",
                on_record("asylum_refused_on", ctx),
            )
        ]
    return [
        Branch(PASS, "the claim was declared inadmissible", on_record("inadmissible_on", ctx)),
        *failed_asylum_seekers,
        Branch(
            PENDING,
            "no inadmissibility decision on the asylum claim yet",
            clears_by="the Home Office declares the claim inadmissible",
        ),
    ]


def scheme_eligible(ctx: Context, version: RuleVersion) -> list[Branch]:
    claims_from = version.parameters["claims_from"]
    outside = "none: the person is outside the scheme"
    return [
        # an age dispute is resolved before anything is decided on age
        Branch(
            PENDING,
            "the person's age is disputed",
            c("age_disputed") & ~on_record("age_dispute_resolved_on", ctx),
            "an age assessment resolves the dispute",
        ),
        Branch(
            BLOCK,
            "unaccompanied children are outside the scheme",
            c("unaccompanied_minor"),
            outside,
        ),
        Branch(
            BLOCK,
            "families with children under 18 are outside the scheme",
            c("in_family_with_children"),
            outside,
        ),
        Branch(BLOCK, "no asylum claim on record", ~on_record("asylum_claim_on", ctx), outside),
        Branch(
            BLOCK,
            f"the asylum claim was made before {claims_from}",
            c("asylum_claim_on") < claims_from,
            outside,
        ),
        Branch(
            BLOCK,
            "the person did not arrive by a dangerous journey",
            ~c("dangerous_journey"),
            outside,
        ),
        Branch(PASS, "the person is within the scheme"),
    ]


def notice_of_intent(ctx: Context, version: RuleVersion) -> list[Branch]:
    p = version.parameters
    window = pl.when(c("detained")).then(p["detained_days"]).otherwise(p["not_detained_days"])
    ends = clears_after(c("intent_notice_served_on"), window)
    return [
        Branch(
            PENDING,
            "no notice of intent has been served",
            ~on_record("intent_notice_served_on", ctx),
            f"serve a notice of intent naming {ctx.receiving}; the person then has"
            f" {p['detained_days']} days to respond if detained, {p['not_detained_days']} if not",
        ),
        Branch(
            PENDING,
            "the window to respond to the notice of intent is running",
            ends > ctx.day,
            "the response window ends",
            ends,
        ),
        Branch(PASS, "the notice of intent was served and the response window has passed"),
    ]


def removal_notice(ctx: Context, version: RuleVersion) -> list[Branch]:
    p = version.parameters
    notified = c("removal_directions_notified_at")
    period_ends = (
        pl.when(c("detained"))
        .then(notified + pl.duration(hours=p["detained_hours"]))
        .otherwise(notified + days(p["not_detained_days"]))
    )
    # the period must also contain whole working days after the day of notification
    working_days_run = notified.dt.date()
    if p["working_days"] > 0:
        first_working_day = plus_days(notified.dt.date(), 1)
        last_working_day = first_working_day.dt.add_business_days(
            p["working_days"] - 1, roll="forward"
        )
        working_days_run = plus_days(last_working_day, 1)
    clears = pl.max_horizontal(first_day_after(period_ends), working_days_run)
    return [
        Branch(
            PENDING,
            "removal directions have not been notified",
            ~served_by("removal_directions_notified_at", ctx),
            f"notify removal directions: {p['detained_hours']} hours' notice if detained,"
            f" {p['not_detained_days']} days if not, including {p['working_days']} working days",
        ),
        Branch(
            PENDING,
            "the removal notice period is running",
            (period_ends > ctx.moment) | (working_days_run > ctx.day),
            "the notice period ends",
            clears,
        ),
        Branch(PASS, "removal directions were notified and the notice period has run"),
    ]


def rule39(ctx: Context, version: RuleVersion) -> list[Branch]:
    barred = c("rule39_in_force")
    reason = "an interim measure of the European Court of Human Rights bars removal"
    clears = "the Court lifts the interim measure"
    if version.kind == "minister_decides":
        barred = barred & ~c("rule39_disapplied_by_minister")
        reason += ", and no Minister has decided not to comply"
        clears += ", or a Minister decides under s.5 of the Safety of Rwanda Act not to comply"
    return [
        Branch(BLOCK, reason, barred, clears),
        Branch(PASS, "no interim measure bars removal"),
    ]


def no_court_order(ctx: Context, version: RuleVersion) -> list[Branch]:
    return [
        Branch(
            BLOCK,
            "a court order (an injunction or a stay of removal) is in force",
            c("stay_in_force"),
            "the order expires or the court lifts it",
            c("stay_clears"),
        ),
        Branch(PASS, "no court order bars removal"),
    ]


def safe_country(ctx: Context, version: RuleVersion) -> list[Branch]:
    if ctx.receiving in version.parameters["safe_states"]:
        return [Branch(PASS, f"{ctx.receiving} counts as a safe third country on this date")]
    return [
        Branch(
            BLOCK,
            f"{ctx.receiving} does not count as a safe third country on this date",
            clears_by=f"a court or Parliament settles that {ctx.receiving} is safe",
        )
    ]


def compelling_circumstances(ctx: Context, version: RuleVersion) -> list[Branch]:
    if version.kind == "none":
        return [Branch(PASS, "no compelling-circumstances route existed")]
    return [
        Branch(
            BLOCK,
            "a claim on compelling individual circumstances is pending",
            c("compelling_claim_pending"),
            "the claim is decided against the person",
        ),
        Branch(PASS, "no compelling-circumstances claim is pending"),
    ]


# Columns derived from lists before the rules run (see lists.py)
UK_DERIVED: dict[str, Derivation] = {
    "uk.no_court_order": Derivation(
        lambda cases, day, version: lists.Stays(cases, day),
        lambda stays, receiving: stays.columns(receiving),
    ),
}

UK_RULES: dict[str, RuleFunction] = {
    "uk.inadmissible": inadmissible,
    "uk.scheme_eligible": scheme_eligible,
    "uk.notice_of_intent": notice_of_intent,
    "uk.removal_notice": removal_notice,
    "uk.rule39": rule39,
    "uk.no_court_order": no_court_order,
    "uk.safe_country": safe_country,
    "uk.compelling_circumstances": compelling_circumstances,
}
