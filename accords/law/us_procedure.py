"""The US notice and fear-claim gates: the procedure that D.V.D. v. DHS and DHS/ICE guidance shaped.

These two gates changed most often in 2025-2026. Each version in `regimes/us.yaml` picks a kind
written here: no notice rule, notice some hours before removal (none where credible diplomatic
assurances exist), or notice with days to raise a fear claim; and for a stated fear, a screening
or a reasonable-fear interview with notice and a window to move to reopen after a negative
finding.
"""

import polars as pl

from accords.law.regime import RuleVersion
from accords.law.rules import (
    BLOCK,
    PASS,
    PENDING,
    Branch,
    Context,
    c,
    clears_after,
    days,
    first_day_after,
    holds,
    on_record,
    served_by,
)


def designated(ctx: Context) -> pl.Expr:
    """The removal order itself names the receiving state, so it is no third-country surprise."""
    return holds("order_designated_countries", ctx.receiving)


def _assured_person(ctx: Context, so: str) -> Branch:
    """Credible assurances given about this person (not the agreement's, for everyone)."""
    return Branch(
        PASS,
        f"credible diplomatic assurances from {ctx.receiving} about this person: {so}",
        c("assured_credibly"),
    )


def _notice_defects(ctx: Context, p: dict, serve: str) -> list[Branch]:
    r = ctx.receiving
    how = f"serve written notice naming {r}"
    how += ", in a language the person understands" if p["language_required"] else ""
    how += ", on the person and on counsel of record" if p["counsel_required"] else ""
    how += f", {serve}"
    defects = [
        ("no written notice of the destination was served", ~served_by("notice_served_at", ctx)),
        (f"the notice does not name {r}", (c("notice_destination") != r).fill_null(True)),
    ]
    if p["language_required"]:
        defects.append(
            (
                "the notice is not in a language the person understands",
                ~c("notice_in_language_understood"),
            )
        )
    if p["counsel_required"]:
        defects.append(
            (
                "the notice was not served on counsel of record",
                c("has_counsel") & ~c("notice_served_on_counsel"),
            )
        )
    return [Branch(PENDING, reason, when, how) for reason, when in defects]


def notice(ctx: Context, version: RuleVersion) -> list[Branch]:
    p = version.parameters
    named_in_order = Branch(PASS, f"the order designates {ctx.receiving}", designated(ctx))
    if version.kind == "none":
        return [Branch(PASS, "no notice rule was in force")]
    assured = []
    if version.kind == "hours_before":
        if p["none_with_credible_assurances"] and ctx.credible_assurances:
            return [Branch(PASS, "credible diplomatic assurances: no notice is required")]
        if p["none_with_credible_assurances"]:
            assured = [_assured_person(ctx, "no notice is required")]
        # the shorter period needs exigent circumstances and access to counsel meanwhile
        exigent = c("notice_exigent") & c("notice_counsel_access")
        hours = pl.when(exigent).then(p["exigent_hours"]).otherwise(p["hours"])
        ends = c("notice_served_at") + pl.duration(hours=hours)
        serve = f"at least {p['hours']} hours before removal ({p['exigent_hours']} if exigent)"
        running = f"the {p['hours']}-hour notice period is running"
    else:
        ends = c("notice_served_at") + days(p["days"])
        serve = f"with at least {p['days']} days to raise a fear claim"
        running = f"the {p['days']} days to raise a fear claim are running"
    outside_class = []
    if version.kind == "days_to_claim_fear":
        outside_class = [
            Branch(
                PASS,
                "the order is outside the class the court's order protects",
                ~c("order_basis").is_in(p["order_bases"]).fill_null(False),
            )
        ]
    return [
        *assured,
        named_in_order,
        *outside_class,
        *_notice_defects(ctx, p, serve),
        Branch(PENDING, running, ends > ctx.moment, "the period ends", first_day_after(ends)),
        Branch(PASS, "notice was served and its period has run"),
    ]


def fear_claim(ctx: Context, version: RuleVersion) -> list[Branch]:
    p = version.parameters
    r = ctx.receiving
    screened = on_record("fear_screened_on", ctx)
    positive = (
        (c("fear_outcome") == "positive") & (c("fear_screened_on").is_null() | screened)
    ).fill_null(False)
    negative = (c("fear_outcome") == "negative").fill_null(False) & screened
    opening = [
        Branch(
            PASS,
            f"no fear of {r} was stated",
            ~c("fear_stated") | (c("fear_country") != r).fill_null(False),
        ),
        Branch(
            PASS,
            "protection proceedings ended against the person",
            c("protection_proceedings_ended"),
        ),
    ]
    if version.kind == "screening":
        if p["none_with_credible_assurances"] and ctx.credible_assurances:
            return [Branch(PASS, "credible diplomatic assurances: no screening is required")]
        assured = []
        if p["none_with_credible_assurances"]:
            assured = [_assured_person(ctx, "no screening is required")]
        return [
            *assured,
            *opening,
            Branch(
                BLOCK,
                "the fear screening was positive",
                positive,
                "protection proceedings end against the person",
            ),
            Branch(PASS, "the fear screening was negative", negative),
            Branch(
                PENDING,
                "the stated fear has not been referred for screening",
                ~on_record("fear_referred_on", ctx),
                f"refer to USCIS for screening (generally within {p['screening_hours']} hours)",
            ),
            Branch(
                PENDING,
                "awaiting the outcome of the fear screening",
                clears_by="USCIS screens the claim",
            ),
        ]
    notice_hours = p["interview_notice_hours"]
    reopen_ends = clears_after(c("fear_screened_on"), p["reopen_days_after_negative"])
    interview_start = c("fear_screened_on").cast(pl.Datetime("us"))
    noticed_in_time = (
        c("fear_interview_noticed_at") + pl.duration(hours=notice_hours) <= interview_start
    ).fill_null(False)
    interview = (
        f"a reasonable-fear interview with {notice_hours} hours' notice and access to counsel"
    )
    return [
        *opening,
        Branch(
            BLOCK,
            "the reasonable-fear finding was positive: DHS must move to reopen",
            positive,
            "reopened proceedings end against the person",
        ),
        Branch(
            PENDING,
            f"the interview was not announced {notice_hours} hours ahead",
            negative & ~noticed_in_time,
            f"hold a new {interview}",
        ),
        Branch(
            PENDING,
            f"the {p['reopen_days_after_negative']} days to move to reopen after the negative"
            " finding are running",
            negative & (reopen_ends > ctx.day),
            "the period to move to reopen ends",
            reopen_ends,
        ),
        Branch(PASS, "the reasonable-fear finding was negative", negative),
        Branch(
            PENDING,
            "the stated fear has not been referred for an interview",
            ~on_record("fear_referred_on", ctx),
            f"refer for {interview}",
        ),
        Branch(PENDING, "awaiting the reasonable-fear interview", clears_by=f"hold {interview}"),
    ]
