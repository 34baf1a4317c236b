"""Standings: where each person stands now, one row per person, written by the engine.

A person's standing is their best agreement and its decision (cleared before pending before
blocked; ties by the earliest day they could clear, then the agreement's key), the gates not
passed there, and the earliest day they could clear under any agreement with that agreement.
Someone who departed, was handed over or whose case is closed stands as that, whatever the
gates say.

Two paths write standings, through the same frames: `standings_refresh` re-screens the people a
service just touched, inside that service's transaction (every service that changes a fact
calls it once); `standings_replace` rewrites everyone's from a screening of the whole caseload
(`screening_run`, at the date's turn). `StandingTally` keeps the totals per decision as they
change, so the worklist never counts a million rows to say how many there are.
"""

import io
import json
from collections import Counter
from datetime import date

import numpy as np
import polars as pl
from django.db import connection
from django.db.models import F
from django.utils import timezone

from accords.audit.rows import rows_written
from accords.cases.models import Person, Standing, StandingTally
from accords.core import words
from accords.core.bulk import bulk_append
from accords.law.evaluate import GATE_IDS
from accords.law.regime import load_regime

_FOLDED_LENGTH = Standing._meta.get_field("family_folded").max_length
NEVER = date(9999, 12, 31)  # the clear order of someone with no day to clear
RANK = {d: i for i, d in enumerate(Standing.Decision.values)}
# Referral statuses that end a person's place on the worklist, latest first.
_GONE = {"handed_over": Standing.Decision.HANDED_OVER, "departed": Standing.Decision.DEPARTED}


def name_fold(name: pl.Expr) -> pl.Expr:
    """A name as the worklist searches and sorts it: lower case, its letters without their
    accents and other marks (decomposed, the marks dropped), cut to the stored column's length
    (a decomposition can be longer than the name). The one definition, for the stored names and
    for the text searched alike."""
    folded = name.str.to_lowercase().str.normalize("NFKD").str.replace_all(r"\p{Mn}+", "")
    return folded.str.slice(0, _FOLDED_LENGTH)


def gate_choices() -> list[tuple[str, str]]:
    """(key, title) of every gate, by title: the worklist's gate filter."""
    titles = words.gate_titles()
    return sorted(((k, titles.get(k, k)) for k in GATE_IDS), key=lambda choice: choice[1])


def _not_passed(blocked: np.ndarray, pending: np.ndarray) -> tuple[pl.Series, pl.Series]:
    """Each decision's gates not passed (its gate sets) as a standing keeps them: `gate_ids`,
    ",gate,gate," for the worklist's filter, and `gates`, the JSON [{gate, outcome}], blocks
    first. Spelled once for each distinct pair of sets, which are few however many the cases,
    and gathered: in Python, since a handful of strings made there cost less than list
    operations in polars on every row."""
    pairs = blocked.astype(np.uint64) << np.uint64(32) | pending.astype(np.uint64)
    distinct, at = np.unique(pairs, return_inverse=True)
    ids, said = [], []
    for pair in distinct.tolist():
        gates = [(g, "block") for i, g in enumerate(GATE_IDS) if pair >> 32 >> i & 1]
        gates += [(g, "pending") for i, g in enumerate(GATE_IDS) if pair >> i & 1]
        ids.append(f",{','.join(g for g, _ in gates)}," if gates else "")
        said.append(json.dumps([{"gate": g, "outcome": outcome} for g, outcome in gates]))
    at = pl.Series(at.ravel())
    return (
        pl.Series("gate_ids", ids, pl.String).gather(at),
        pl.Series("gates", said, pl.String).gather(at),
    )


def decision_part(agreement, decisions: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """One agreement's decisions as the slim columns standings are chosen from."""
    return decision_parts([(agreement, decisions)], as_of)


def decision_parts(decided: list[tuple], as_of: date) -> pl.DataFrame:
    """Several agreements' decisions ((agreement, decisions) pairs) as those columns, in one
    pass (re-screening a person: polars' cost is per call, not per row)."""
    if not decided:
        return pl.DataFrame()
    sizes = [len(decisions) for _, decisions in decided]
    at = pl.Series(np.repeat(np.arange(len(decided)), sizes))
    every = pl.concat([decisions for _, decisions in decided], how="vertical_relaxed").hstack(
        [
            pl.Series("agreement_id", [a.pk for a, _ in decided], pl.Int64).gather(at),
            pl.Series("agreement_key", [a.key for a, _ in decided], pl.String).gather(at),
        ]
    )
    cleared = pl.col("decision").cast(pl.String) == "cleared"
    day = pl.when(cleared).then(pl.lit(as_of)).otherwise(pl.col("earliest_clear"))
    gate_ids, gates = _not_passed(every["blocked_by"].to_numpy(), every["pending_on"].to_numpy())
    return every.select(
        "case_id",
        "agreement_id",
        "agreement_key",
        decision=pl.col("decision").cast(pl.String),
        rank=pl.col("decision").cast(pl.String).replace_strict(RANK, return_dtype=pl.Int16),
        earliest_clear=day.cast(pl.Date),
        gate_ids=gate_ids,
        gates=gates,
    )


def _best(parts: list[pl.DataFrame]) -> pl.DataFrame:
    """Per case: the best agreement's decision, and the earliest day under any agreement."""
    if not parts:
        return pl.DataFrame(
            schema={
                "case_id": pl.String,
                "agreement_id": pl.Int64,
                "decision": pl.String,
                "gate_ids": pl.String,
                "gates": pl.String,
                "earliest_clear": pl.Date,
                "clear_agreement_id": pl.Int64,
            }  # fmt: skip
        )
    every = pl.concat(parts, how="vertical_relaxed")
    order = pl.col("earliest_clear").fill_null(NEVER)
    best = (
        every.sort("case_id", "rank", order, "agreement_key")
        .group_by("case_id", maintain_order=True)
        .first()
        .select("case_id", "agreement_id", "decision", "gate_ids", "gates")
    )
    soonest = (
        every.filter(pl.col("earliest_clear").is_not_null())
        .sort("case_id", "earliest_clear", "agreement_key")
        .group_by("case_id", maintain_order=True)
        .first()
        .select("case_id", "earliest_clear", clear_agreement_id="agreement_id")
    )
    return best.join(soonest, on="case_id", how="left", maintain_order="left")


_PEOPLE = {
    "person_id": pl.Int64, "case_number": pl.String, "family_name": pl.String,
    "given_name": pl.String, "birth_date": pl.Date, "counsel_id": pl.Int64,
    "officer_id": pl.Int64, "status": pl.String, "gone": pl.String, "gone_agreement_id": pl.Int64,
}  # fmt: skip
# A person who departed under a referral, or was handed over, is looked up by the index of
# their own referrals.
_GONE_OF = (
    "(SELECT MAX(r.{column}) FROM transfers_referral r WHERE r.person_id = p.id "
    "AND r.status IN ('departed', 'handed_over'))"
)
_PEOPLE_SQL = (
    "SELECT p.id, p.case_number, p.family_name, p.given_name, p.birth_date, p.counsel_id, "
    f"p.officer_id, p.status, {_GONE_OF.format(column='status')}, "
    f"{_GONE_OF.format(column='agreement_id')} FROM cases_person p"
)


def _people(person_ids: list[int] | None) -> pl.DataFrame:
    """What a standing keeps of each person, and whether they departed or were handed over."""
    sql, params = _PEOPLE_SQL, []
    if person_ids is not None:
        sql += f" WHERE p.id IN ({','.join(['%s'] * len(person_ids)) or 'NULL'})"
        params = list(person_ids)
    text = dict.fromkeys(_PEOPLE, pl.String)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and person_ids is None:
            buffer = io.BytesIO()
            with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as copy:
                for block in copy:
                    buffer.write(block)
            raw = pl.read_csv(buffer.getvalue() or b"", has_header=False, new_columns=list(_PEOPLE),
                              schema_overrides=text, infer_schema=False)  # fmt: skip
        else:
            cursor.execute(sql, params)
            rows = [[None if v is None else str(v) for v in row] for row in cursor.fetchall()]
            raw = pl.DataFrame(rows, schema=text, orient="row")
    return raw.with_columns(
        pl.col("person_id", "counsel_id", "officer_id", "gone_agreement_id").cast(pl.Int64),
        pl.col("birth_date").str.slice(0, 10).str.to_date("%Y-%m-%d"),
    )


def standing_rows(
    people: pl.DataFrame, parts: list[pl.DataFrame], *, as_of: date, versions: dict,
    screening_id: int | None,
) -> pl.DataFrame:  # fmt: skip
    """Standing rows' columns for `people` from their decisions under each agreement."""
    best = _best(parts)
    rows = people.join(best, left_on="case_number", right_on="case_id", how="left")
    gone = pl.col("gone").replace_strict(_GONE, default=None)
    closed = pl.col("status") == Person.Status.CLOSED
    decision = (
        pl.when(gone.is_not_null()).then(gone)
        .when(closed).then(pl.lit(Standing.Decision.CLOSED.value))
        .otherwise(pl.col("decision").fill_null(Standing.Decision.BLOCKED.value))
    )  # fmt: skip
    still = gone.is_null() & ~closed  # only someone still here has gates and a day to clear
    earliest = pl.when(still).then(pl.col("earliest_clear"))
    return rows.select(
        "person_id", "case_number", "family_name", "given_name", "birth_date", "counsel_id",
        "officer_id",
        family_folded=name_fold(pl.col("family_name")),
        given_folded=name_fold(pl.col("given_name")),
        agreement_id=pl.when(gone.is_not_null()).then(pl.col("gone_agreement_id"))
        .when(still).then(pl.col("agreement_id")),
        decision=decision,
        rank=decision.replace_strict(RANK, return_dtype=pl.Int16),
        gate_ids=pl.when(still).then(pl.col("gate_ids")).otherwise(pl.lit("")).fill_null(""),
        gates=pl.when(still).then(pl.col("gates")).otherwise(pl.lit("[]")).fill_null("[]"),
        earliest_clear=earliest,
        clear_agreement_id=pl.when(still).then(pl.col("clear_agreement_id")),
        clear_order=earliest.fill_null(NEVER),
        as_of=pl.lit(as_of),
        screened_at=pl.lit(timezone.now()),
        regime_versions=pl.lit(json.dumps(versions, sort_keys=True)),
        screening_id=pl.lit(screening_id, dtype=pl.Int64),
    )  # fmt: skip


def _tally_add(change: Counter) -> None:
    """Add to the totals per decision, in a fixed order so two writers never deadlock."""
    for decision in sorted(change):
        if not change[decision]:
            continue
        tally, _ = StandingTally.objects.get_or_create(decision=decision)
        StandingTally.objects.filter(pk=tally.pk).update(people=F("people") + change[decision])


def standings_refresh(person_ids, *, as_of: date | None = None) -> None:
    """Re-screen these people under every agreement in force today (or `as_of`) and rewrite
    their standings, inside the caller's transaction. Each person's row is locked first, so
    two writers re-screening one person take turns."""
    from accords.cases.facts import facts_from_database
    from accords.cases.screening import agreements_in_force_with_terms, screen_frames

    ids = sorted({int(pk) for pk in person_ids})
    if not ids:
        return
    list(Person.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
    as_of = as_of or timezone.localdate()
    read = agreements_in_force_with_terms(as_of)
    agreements, terms = [a for a, _ in read], [t for _, t in read]
    tables = facts_from_database(ids)
    frames = screen_frames(tables, agreements, as_of, terms=terms) if agreements else []
    parts = [decision_parts([(a, d) for a, _, d in frames], as_of)] if agreements else []
    versions = {a.regime: load_regime(a.regime).version for a in agreements}
    rows = standing_rows(_people(ids), parts, as_of=as_of, versions=versions, screening_id=None)
    with connection.cursor() as cursor:  # one statement, where the ORM's delete takes three
        cursor.execute(
            f"DELETE FROM {Standing._meta.db_table} WHERE person_id IN "
            f"({','.join(['%s'] * len(ids))}) RETURNING id, decision",
            ids,
        )
        old = cursor.fetchall()
    rows_written(Standing, [pk for pk, _ in old])  # bound to the caller's entry as deleted
    change = Counter({d: -n for d, n in Counter(d for _, d in old).items()})
    bulk_append(Standing, rows)
    change.update(Counter(rows["decision"].to_list()))
    _tally_add(change)


def standings_replace(parts: list[pl.DataFrame], *, as_of: date, versions: dict,
                      screening_id: int | None) -> None:  # fmt: skip
    """Everyone's standing from a screening of the whole caseload; the totals counted anew."""
    existing = list(Standing.objects.values_list("pk", flat=True))
    rows_written(Standing, existing)  # bound to the screening's entry as deleted
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Standing._meta.db_table}")
    rows = standing_rows(_people(None), parts, as_of=as_of, versions=versions,
                         screening_id=screening_id)  # fmt: skip
    bulk_append(Standing, rows)
    counts = Counter(dict(rows["decision"].value_counts().iter_rows()))
    for tally in StandingTally.objects.order_by("decision"):
        if tally.decision not in counts:
            tally.people = 0
            tally.save(update_fields=["people"])
    for decision in sorted(counts):
        StandingTally.objects.update_or_create(
            decision=decision, defaults={"people": counts[decision]}
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the planner needs the new rows' shape at once
            cursor.execute(f"ANALYZE {Standing._meta.db_table}")
