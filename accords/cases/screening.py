"""Screening: the safeguards engine run over cases, for one agreement or all in force.

`agreement_terms` reads what the engine needs from the registry (the agreement's periods in
force, its exclusions and accepted nationalities, its assurances) on the date considered.
`screen` evaluates every open case against every agreement in force on a date and stores one
decision per person and agreement, with the regime version that produced it.
"""

from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime

import polars as pl
from django.db import connection
from django.utils.translation import get_language, gettext

from accords.audit.rows import rows_written
from accords.cases.facts import (
    engine_base,
    engine_columns,
    engine_columns_by_state,
    facts_from_database,
)
from accords.cases.models import Decision, Screening, Standing
from accords.cases.standing import decision_part, standings_replace
from accords.core.actions import action
from accords.core.bulk import bulk_append
from accords.law.columns import (
    EXCLUSION_CATEGORIES,
    NATIONALITY_REGIONS,
    AgreementTerms,
    Assurances,
    ForcePeriod,
)
from accords.law.evaluate import Assessor, Evaluation, assessed, explain, gate_counts
from accords.law.regime import load_regime
from accords.law.rule_code import ENGINE, code_changed, regime_code, rule_codes
from accords.programme.selectors import policy_versions
from accords.registry.models import Agreement, Status, Term
from accords.registry.revision import registry_revision

# Up to how many cases `screen_frames` assesses every agreement in one pass.
TOGETHER_UP_TO = 20_000
# Registry statuses after which an agreement no longer operates, until it is in force again.
_STOPS = {Status.SUSPENDED, Status.ENJOINED, Status.RULED_UNLAWFUL, Status.ENDED}
# Registry eligibility categories the engine checks under another name (none today: Palau's
# "never charged with a crime" is `criminal_charges`, any charge whatever its outcome, not a
# pending case alone).
_SAME_AS: dict[str, str] = {}
# "Accepts only" terms about the process rather than the person: the regime's own gates
# (us.final_order, us.receiving_acceptance) check them for every agreement.
_PROCESS_CONDITIONS = {"final_removal_order", "receiving_state_approval"}


def _valid_on(term: Term, day: date) -> bool:
    return (term.valid_from is None or term.valid_from <= day) and (
        term.valid_until is None or day <= term.valid_until
    )


def agreement_terms(agreement: Agreement, as_of: date) -> AgreementTerms:
    periods, began = [], None
    # From `.all()`, sorted here: the screenings prefetch every agreement's status changes, and
    # `order_by` on the related manager would query again, once per agreement.
    for change in sorted(agreement.statuses.all(), key=lambda c: (c.on, c.id)):
        if change.status == Status.IN_FORCE and began is None:
            began = change.on
        elif change.status in _STOPS and began is not None:
            periods.append(ForcePeriod(began, change.on))
            began = None
    if began is not None:
        periods.append(ForcePeriod(began))
    terms = [t for t in agreement.terms.all() if _valid_on(t, as_of)]
    excluded, allowed, assurances, onward = set(), None, None, False
    for term in terms:
        category = _SAME_AS.get(term.category, term.category)
        if term.kind == Term.Kind.ELIGIBILITY and term.rule == Term.Rule.EXCLUDES:
            if category in EXCLUSION_CATEGORIES or category.startswith("conviction:"):
                excluded.add(category)
        if term.kind == Term.Kind.ELIGIBILITY and term.rule == Term.Rule.ONLY:
            if category == "nationality" and term.values:
                nationals = frozenset(term.values)
            elif category in NATIONALITY_REGIONS:
                nationals = NATIONALITY_REGIONS[category]
            elif category in _PROCESS_CONDITIONS:
                continue
            else:
                # A condition the engine cannot check must not pass unseen.
                raise ValueError(
                    f"agreement {agreement.key}, term {term.key}: the engine cannot check "
                    f'"accepts only {category}"'
                )
            allowed = nationals & (allowed if allowed is not None else nationals)
        if term.kind == Term.Kind.ASSURANCE and term.given:
            if term.category == "no_onward_removal":
                onward = True
            elif term.category == "credible_assurances" and term.valid_from:
                assurances = Assurances(given_on=term.valid_from, credible=True)
    return AgreementTerms(
        id=agreement.key,
        regime=agreement.regime,
        sending_state=agreement.sending_state_id,
        receiving_state=agreement.receiving_state_id,
        in_force=tuple(periods),
        excluded=frozenset(excluded),
        allowed_nationalities=allowed,
        bars_onward_refoulement=onward,
        assurances=assurances,
        policies=policy_versions(agreement),
    )


# The last few reads of the agreements in force, by registry revision, day and language (a
# policy's citation names the chooser's role in the language in use).
_IN_FORCE: dict[tuple, list[tuple[Agreement, AgreementTerms]]] = {}
_IN_FORCE_KEPT = 16


def agreements_in_force_with_terms(as_of: date) -> list[tuple[Agreement, AgreementTerms]]:
    """The agreements in force on `as_of`, each with its terms then, read once for each
    revision of the registry: re-screening a person after a write asks again and again, and
    the read (four queries and the terms worked out) cost as much as the rest of the work.
    What is returned is shared with later callers: read it, never change it."""
    key = (registry_revision(), as_of, get_language())
    # One look-up, never "in" then "[]": a job's thread may empty the dict between the two.
    in_force = _IN_FORCE.get(key)
    if in_force is None:
        agreements = Agreement.objects.screened().prefetch_related(
            "statuses", "terms", "programme_policies__chosen_by"
        )
        read = [(a, agreement_terms(a, as_of)) for a in agreements]
        in_force = [
            (a, terms)
            for a, terms in read
            if any(
                p.began <= as_of and (p.ended is None or as_of < p.ended) for p in terms.in_force
            )
        ]
        if len(_IN_FORCE) >= _IN_FORCE_KEPT:
            _IN_FORCE.clear()
        _IN_FORCE[key] = in_force
    return list(in_force)


def agreements_in_force(as_of: date) -> list[Agreement]:
    return [a for a, _ in agreements_in_force_with_terms(as_of)]


def screen_frames(
    tables: dict[str, pl.DataFrame],
    agreements: list[Agreement],
    as_of: date | datetime,
    terms: list[AgreementTerms] | None = None,
    together: bool | None = None,
) -> Iterator[tuple[Agreement, Evaluation, pl.DataFrame]]:
    """Every gate on, and the decision for, every case in `tables` under each agreement in
    turn, on a day or at a moment. The facts the same for every receiving state are assembled
    once, each state's once, and the engine evaluates once what agreements share (`Assessor`).
    `terms`, when the caller read them already, are the agreements' terms on that day.

    Up to TOGETHER_UP_TO cases (the people a write touched, a small caseload), or as
    `together` says, every state's columns are made in one pass and every agreement's gates
    evaluated in one: on few cases polars' cost per operation, not the cases, is the time.
    Beyond it, state by state and agreement by agreement, so that no pass copies every
    state's columns at once."""
    day = as_of.date() if isinstance(as_of, datetime) else as_of
    base = engine_base(tables, day)
    terms = terms or [agreement_terms(agreement, day) for agreement in agreements]
    together = len(base) <= TOGETHER_UP_TO if together is None else together
    if together:
        states = sorted({t.receiving_state for t in terms})
        columns = engine_columns_by_state(tables, receiving=states, as_of=day, base=base)
        assessor = Assessor(columns.__getitem__, as_of)
    else:
        assessor = Assessor(
            lambda receiving: engine_columns(tables, receiving=receiving, as_of=day, base=base),
            as_of,
        )
    for agreement, (_, evaluation, decisions) in zip(
        agreements, assessed(assessor, terms, together=together), strict=True
    ):
        yield agreement, evaluation, decisions


def screen_frame(
    tables: dict[str, pl.DataFrame], agreement: Agreement, as_of: date | datetime
) -> tuple[Evaluation, pl.DataFrame]:
    """The same for one agreement."""
    _, evaluation, decisions = next(screen_frames(tables, [agreement], as_of))
    return evaluation, decisions


_NOTE = ("gate", "outcome", "reason", "citation", "clears_by")


def _decision_rows(
    decisions: pl.DataFrame, not_passed: pl.DataFrame, notes: dict, rule_code: str
) -> pl.DataFrame:
    """The decisions as `Decision` rows' columns: each gate not passed as [note, earliest_clear],
    where `note` is the place of what it said in `notes` (added to as new ones are met), so a
    reason and its citation are stored once per screening, not once per case."""
    said = not_passed.with_columns(pl.col(c).cast(pl.String) for c in _NOTE)
    for key in said.select(_NOTE).unique(maintain_order=True).iter_rows():
        notes.setdefault(key, len(notes))
    known = pl.DataFrame(list(notes), schema=dict.fromkeys(_NOTE, pl.String), orient="row")
    known = known.with_columns(note=pl.int_range(pl.len(), dtype=pl.Int64))
    day = pl.col("earliest_clear").cast(pl.String)
    per_case = (
        said.join(known, on=list(_NOTE), how="left", nulls_equal=True, maintain_order="left")
        .select(
            "case_id",
            "gate",
            pl.concat_str(
                pl.lit("["),
                pl.col("note").cast(pl.String),
                pl.lit(","),
                pl.concat_str(pl.lit('"'), day, pl.lit('"')).fill_null("null"),
                pl.lit("]"),
            ).alias("entry"),
        )
        .group_by("case_id", maintain_order=True)
        .agg(pl.col("entry").str.join(","), pl.col("gate").str.join(","))
    )
    return decisions.join(per_case, on="case_id", how="left", maintain_order="left").select(
        "case_id",
        outcome=pl.col("decision").cast(pl.String),
        gate_notes=pl.concat_str(pl.lit("["), pl.col("entry").fill_null(""), pl.lit("]")),
        gate_ids=pl.concat_str(pl.lit(","), pl.col("gate").fill_null(""), pl.lit(",")),
        earliest_clear="earliest_clear",
        regime_version=pl.col("regime_version").cast(pl.String),
        rule_code=pl.lit(rule_code),
    )


def _counts(values: pl.Series) -> dict[str, int]:
    """How many times each value occurs (nulls, as from an empty list, left out)."""
    counted = values.cast(pl.String).drop_nulls().value_counts()
    return dict(counted.iter_rows())


@action("screening.run", records=("as_of",))
def screening_run(*, actor, as_of: date, progress=None) -> Screening:
    """Screen every open case against every agreement in force on `as_of`; store decisions,
    and rewrite everyone's standing from them (the date's turn re-screens everyone)."""
    agreements = agreements_in_force(as_of)
    tables = facts_from_database()
    people = tables["persons"].select(case_id="case_number", person_id="person_id")
    screening = Screening.objects.create(as_of=as_of)
    notes: dict[tuple, int] = {}
    summary: Counter = Counter()
    blocked_by: Counter = Counter()
    pending_on: Counter = Counter()
    clears_by: Counter = Counter()
    versions, codes = {}, {}
    parts = []
    for agreement, evaluation, decisions in screen_frames(tables, agreements, as_of):
        regime = load_regime(agreement.regime)
        versions[agreement.regime] = regime.version
        codes[agreement.regime] = rule_codes(regime)
        not_passed = evaluation.rows(passed=False)
        rows = _decision_rows(decisions, not_passed, notes, evaluation.rule_code)
        rows = rows.join(people, on="case_id", maintain_order="left").with_columns(
            screening_id=pl.lit(screening.pk), agreement_id=pl.lit(agreement.pk)
        )
        bulk_append(Decision, rows.drop("case_id"))
        parts.append(decision_part(agreement, decisions, as_of))
        summary.update(_counts(decisions["decision"]))
        blocked_by.update(gate_counts(decisions["blocked_by"]))
        pending_on.update(gate_counts(decisions["pending_on"]))
        waiting = not_passed.filter(pl.col("outcome") == "pending")["clears_by"]
        clears_by.update(_counts(waiting.cast(pl.String).fill_null("")))
        if progress:
            progress(agreement, len(decisions))
    screening.regime_versions = versions
    screening.rule_codes = codes
    screening.notes = [dict(zip(_NOTE, note, strict=True)) for note in notes]
    screening.summary = {
        "agreements": [a.key for a in agreements],
        "decisions": dict(summary),
        "blocked_by_gate": dict(blocked_by.most_common()),
        "pending_on_gate": dict(pending_on.most_common()),
        "pending_clears_by": dict(clears_by.most_common()),
    }
    screening.save(update_fields=["regime_versions", "rule_codes", "summary", "notes"])
    standings_replace(parts, as_of=as_of, versions=versions, screening_id=screening.pk)
    return screening


def case_explanation(person, agreement: Agreement, on: date | datetime) -> dict:
    """Every gate for one person under one agreement on a date (or at a moment, for a
    departure), with the rules then in force: the same evaluation the bulk screen runs, on a
    one-row frame."""
    day = on.date() if isinstance(on, datetime) else on
    terms = agreement_terms(agreement, day)
    tables = facts_from_database([person.pk])
    columns = engine_columns(tables, receiving=terms.receiving_state, as_of=day)
    return explain(columns.row(0, named=True), terms, on)


def rules_since(decision: Decision) -> dict:
    """What changed in the law's data and code since a stored decision, for its replay: the
    regime file's version then and now, and the gates whose code changed (`engine` for the
    evaluator all gates share). Decisions stored before the code was recorded say so."""
    regime = load_regime(decision.agreement.regime)
    stored = decision.screening.rule_codes.get(decision.agreement.regime)
    changed = code_changed(stored, regime) if stored else []
    if not decision.rule_code:
        said = gettext(
            "stored before the rule code was recorded: a replay cannot tell if it changed"
        )
    elif decision.rule_code == regime_code(regime):
        said = gettext("the rule code is unchanged")
    else:
        gates = [g for g in changed if g != ENGINE]
        parts = ([gettext("the engine")] if ENGINE in changed else []) + gates
        said = gettext("the rule code changed since: %(parts)s") % {
            "parts": ", ".join(parts) or gettext("unknown gates")
        }
    file_changed = decision.regime_version != regime.version
    regime_said = (
        gettext("the regime file changed since; %(code)s")
        if file_changed
        else gettext("the regime file is the same; %(code)s")
    )
    return {
        "regime_version_then": decision.regime_version,
        "regime_version_now": regime.version,
        "regime_changed": file_changed,
        "rule_code_then": decision.rule_code,
        "rule_code_now": regime_code(regime),
        "code_changed": bool(decision.rule_code) and decision.rule_code != regime_code(regime),
        "gates_changed": changed,
        "said": regime_said % {"code": said},
    }


# Screenings kept by default: the latest few, for a replay of recent decisions beside today's.
SCREENINGS_KEPT = 3


@action("screening.prune", records=("keep",))
def screenings_prune(*, actor, keep: int = SCREENINGS_KEPT) -> dict:
    """Delete stored screenings but the latest `keep` and any a standing still names, with
    their decisions. The audit log binds each deleted decision as deleted (by key)."""
    if keep < 1:
        raise ValueError("keep: at least the latest screening is kept")
    latest = list(Screening.objects.order_by("-started_at", "-id").values_list("pk", flat=True))
    named = set(Standing.objects.exclude(screening=None).values_list("screening_id", flat=True))
    doomed = [pk for pk in latest[keep:] if pk not in named]
    decisions = 0
    for pk in doomed:
        ids = list(Decision.objects.filter(screening_id=pk).values_list("pk", flat=True))
        rows_written(Decision, ids)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {Decision._meta.db_table} WHERE screening_id = %s", [pk])
        decisions += len(ids)
    rows_written(Screening, doomed)
    Screening.objects.filter(pk__in=doomed)._raw_delete(connection.alias)
    return {"screenings": doomed, "decisions": decisions}
