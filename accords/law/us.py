"""The United States gates as branches over case columns (see `rules.py` for the conventions).

Each function reads its parameters from the rule version in force, so the D.V.D. orders, the
Supreme Court's stay and the ICE memo are all versions in `regimes/us.yaml` choosing among the
kinds written here.
"""

import polars as pl

from accords.law import lists, us_procedure
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
    holds,
    on_record,
    plus_days,
)


def final_order(ctx: Context, version: RuleVersion) -> list[Branch]:
    p = version.parameters
    appeal_ends = clears_after(c("order_date"), p["appeal_days"])
    return [
        Branch(
            BLOCK,
            "no removal order on record",
            c("order_basis").is_null() | (c("order_date") > ctx.day).fill_null(False),
            "an immigration judge or officer enters a removal order",
        ),
        Branch(PASS, "the order is final on record", on_record("order_final_on", ctx)),
        Branch(
            PASS,
            "the order was final when entered",
            c("order_basis").is_in(p["final_when_entered"]) | c("order_in_absentia"),
        ),
        Branch(
            PENDING,
            "an appeal to the BIA is pending",
            c("appeal_pending"),
            "the BIA dismisses the appeal",
        ),
        Branch(
            PENDING,
            "when the order became final is not on record",
            c("order_date").is_null(),
            "record the order's date and when it became final",
        ),
        Branch(
            PENDING,
            f"the {p['appeal_days']}-day appeal period is running",
            appeal_ends > ctx.day,
            "the appeal period ends without an appeal, or the appeal is waived",
            appeal_ends,
        ),
        Branch(PASS, "the appeal period passed without an appeal"),
    ]


def no_stay(ctx: Context, version: RuleVersion) -> list[Branch]:
    p = version.parameters
    appeal_ends = clears_after(c("order_date"), p["appeal_days"])
    waiting_ends = clears_after(c("order_date"), p["administrative_order_days"])
    entered = on_record("order_date", ctx)
    return [
        Branch(
            BLOCK,
            "a stay of removal is in force",
            c("stay_in_force"),
            "the stay expires or is lifted",
            c("stay_clears"),
        ),
        Branch(
            BLOCK,
            "automatic stay: an appeal to the BIA is pending",
            c("appeal_pending"),
            "the BIA decides the appeal",
        ),
        Branch(
            BLOCK,
            f"automatic stay: the {p['appeal_days']}-day appeal period is running",
            entered
            & (c("order_basis") == "INA240")
            & ~c("order_in_absentia")
            & ~on_record("order_final_on", ctx)
            & (appeal_ends > ctx.day),
            "the appeal period ends without an appeal, or the appeal is waived",
            appeal_ends,
        ),
        Branch(
            BLOCK,
            f"an administrative order may not be carried out for "
            f"{p['administrative_order_days']} calendar days",
            entered & (c("order_basis") == "INA238b") & (waiting_ends > ctx.day),
            "the waiting period ends",
            waiting_ends,
        ),
        Branch(PASS, "no stay of removal is in force"),
    ]


def country_sequence(ctx: Context, version: RuleVersion) -> list[Branch]:
    wait = version.parameters["no_answer_days"]
    r = ctx.receiving
    standing = c("sequence_state")
    return [
        Branch(PASS, f"the order designates {r}", us_procedure.designated(ctx)),
        Branch(
            BLOCK,
            "a country earlier in the statutory sequence accepted the person",
            standing == lists.SEQUENCE_ACCEPTED,
            "record why removal there is impracticable, inadvisable or impossible",
        ),
        Branch(
            PENDING,
            "a designated country or country of nationality has not been asked",
            standing == lists.SEQUENCE_NOT_ASKED,
            "ask each designated country and country of nationality in turn, and log the answer",
        ),
        Branch(
            PENDING,
            f"awaiting answers from earlier countries ({wait} days without one is a refusal)",
            standing == lists.SEQUENCE_AWAITING,
            "each country answers, or its time to answer runs out",
            c("sequence_clears"),
        ),
        Branch(PASS, "the statutory sequence was worked through"),
    ]


def receiving_acceptance(ctx: Context, version: RuleVersion) -> list[Branch]:
    r = ctx.receiving
    return [
        Branch(
            BLOCK,
            f"{r} declined this person",
            c("acceptance_declined"),
            f"none under this agreement unless {r} reconsiders",
        ),
        Branch(PASS, f"{r} accepted this person by name", on_record("accepted_on", ctx)),
        Branch(
            PENDING,
            f"awaiting {r}'s acceptance of this person by name",
            clears_by=f"{r} vets and accepts the person by name",
        ),
    ]


def _protection(column: str, name: str) -> RuleFunction:
    def rule(ctx: Context, version: RuleVersion) -> list[Branch]:
        return [
            Branch(
                BLOCK,
                f"the person holds {name} to {ctx.receiving}",
                holds(column, ctx.receiving),
                "the protection is terminated in proceedings before an immigration judge",
            ),
            Branch(PASS, f"the person holds no {name} to {ctx.receiving}"),
        ]

    return rule


def no_chain_refoulement(ctx: Context, version: RuleVersion) -> list[Branch]:
    a = ctx.agreement
    if a.bars_onward_refoulement:
        return [Branch(PASS, "the agreement bars onward removal")]
    if a.assurances and a.assurances.bars_onward_removal and a.assurances.given_on <= ctx.day:
        return [Branch(PASS, f"{ctx.receiving}'s assurances bar onward removal")]
    protected_elsewhere = pl.any_horizontal(
        c(held).list.len() > c(held).list.count_matches(ctx.receiving)
        for held in ("withholding_countries", "cat_countries")
    )
    return [
        Branch(
            PASS,
            f"{ctx.receiving}'s assurances about this person bar onward removal",
            c("assured_no_onward_removal"),
        ),
        Branch(
            BLOCK,
            f"the person is protected from another country and nothing bars {ctx.receiving}"
            " from sending them on to it",
            protected_elsewhere,
            f"the agreement or an assurance from {ctx.receiving} bars onward removal",
        ),
        Branch(PASS, "the person holds no protection from another country"),
    ]


def reopen_window(ctx: Context, version: RuleVersion) -> list[Branch]:
    p = version.parameters
    filed, final = c("reopen_motion_filed_on"), c("order_final_on")
    grounds = c("reopen_motion_grounds")
    timely = (
        final.is_null()
        | (grounds == "changed_country_conditions").fill_null(False)
        | (filed <= plus_days(final, p["days"]))
        | (
            c("order_in_absentia")
            & (grounds == "exceptional_circumstances").fill_null(False)
            & (filed <= plus_days(final, p["in_absentia_days"]))
        )
    ).fill_null(False)
    return [
        Branch(
            BLOCK,
            "a timely motion to reopen with a stay request is pending",
            on_record("reopen_motion_filed_on", ctx) & c("reopen_motion_stay_requested") & timely,
            "the motion and its stay request are decided",
        ),
        Branch(PASS, "no timely motion to reopen with a stay request is pending"),
    ]


def judicial_review(ctx: Context, version: RuleVersion) -> list[Branch]:
    filed, final = c("review_petition_filed_on"), c("order_final_on")
    in_time = (
        final.is_null() | (filed <= plus_days(final, version.parameters["filing_days"]))
    ).fill_null(False)
    return [
        Branch(
            BLOCK,
            "a timely petition for review with a motion to stay removal is pending",
            on_record("review_petition_filed_on", ctx)
            & c("review_petition_stay_requested")
            & in_time,
            "the court of appeals decides the stay motion or the petition",
        ),
        Branch(PASS, "no petition for review with a stay motion is pending"),
    ]


def assurances(ctx: Context, version: RuleVersion) -> list[Branch]:
    a = ctx.agreement.assurances
    if a is None or a.given_on > ctx.day:
        said = f"{ctx.receiving} has given no diplomatic assurances"
    elif a.credible:
        said = f"{ctx.receiving} gave diplomatic assurances on {a.given_on}, found credible"
    else:
        said = f"{ctx.receiving} gave diplomatic assurances, not found credible"
    return [
        Branch(
            PASS,
            f"{ctx.receiving} gave diplomatic assurances about this person, found credible",
            c("assured_credibly") & ~pl.lit(ctx.credible_assurances),
        ),
        Branch(PASS, said),
    ]


# Columns derived from lists before the rules run (see lists.py)
US_DERIVED: dict[str, Derivation] = {
    "us.country_sequence": Derivation(
        lambda cases, day, version: lists.CountrySequence(
            cases, day, version.parameters["no_answer_days"]
        ),
        lambda sequence, receiving: sequence.columns(receiving),
    ),
    "us.no_stay": Derivation(
        lambda cases, day, version: lists.Stays(cases, day),
        lambda stays, receiving: stays.columns(receiving),
    ),
}

US_RULES: dict[str, RuleFunction] = {
    "us.final_order": final_order,
    "us.no_stay": no_stay,
    "us.country_sequence": country_sequence,
    "us.receiving_acceptance": receiving_acceptance,
    "us.withholding": _protection("withholding_countries", "withholding of removal"),
    "us.cat": _protection("cat_countries", "CAT protection"),
    "us.no_chain_refoulement": no_chain_refoulement,
    "us.notice": us_procedure.notice,
    "us.fear_claim": us_procedure.fear_claim,
    "us.reopen_window": reopen_window,
    "us.judicial_review": judicial_review,
    "us.assurances": assurances,
}
