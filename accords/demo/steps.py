"""The steps towards a transfer in a synthetic case: notices, fear claims, the receiving
state's answer, the country-sequence log, and the UK's asylum and removal steps.

Same conventions as `draws`: whole columns of one chunk, rows keyed by `case`; a family
(one unit) is noticed for one destination and answered for together.
"""

import hashlib

import numpy as np
import polars as pl

from accords.demo.draws import (
    GROUP,
    LANGUAGE,
    LAST_DAY,
    NO_DAY,
    NO_INSTANT,
    SECOND,
    after,
    at_minute,
    before,
    between,
    choose,
    pick,
    rows,
    shares,
)
from accords.demo.origins import DECLINE_REASONS, DESTINATIONS, NAMES, NOTICE_METHODS

_DESTINATIONS = np.array(list(DESTINATIONS))
# Third-country notices in numbers begin with the ICE directive of 2025-02-18.
NOTICES_BEGIN = np.datetime64("2025-02-18")
_GIVEN = [np.array(NAMES[g][0]) for g in NAMES]
_FAMILY = [np.array(NAMES[g][1]) for g in NAMES]


def _destinations(rng, size: int) -> np.ndarray:
    return rng.choice(_DESTINATIONS, size, p=shares(DESTINATIONS.values()))


def notices(rng, people: dict, final_on: np.ndarray):
    """Notices of removal to a third country, some in a language the person does not
    understand, some read by an interpreter; some people were first noticed for another
    destination. Returns the rows and, per person, the latest notice's day and destination."""
    k, m, unit = people["k"], people["m"], people["unit"]
    chosen = (rng.random(k) < 0.35)[unit] & ~np.isnat(final_on)
    destination = _destinations(rng, k)[unit]
    destination = np.where(destination == people["home"], "RW", destination)
    since = np.maximum(final_on, NOTICES_BEGIN)
    day = np.minimum(since + rng.integers(0, 401, k)[unit], LAST_DAY)
    minute = rng.integers(6 * 60, 20 * 60, k)[unit]
    primary = LANGUAGE[people["profile"]]
    misunderstood = rng.random(m) < 0.12
    interpreted = ~misunderstood & (primary != "en") & (rng.random(m) < 0.2)
    counsel_served = people["has_counsel"] & (rng.random(m) < 0.85)
    group = GROUP[people["profile"]]
    interpreter = np.char.add(np.char.add(pick(rng, _GIVEN, group), " "), pick(rng, _FAMILY, group))
    notice = dict(
        language=np.where(misunderstood, np.where(primary == "en", "es", "en"),
                          np.where(interpreted, "en", primary)),
        understood=~misunderstood,
        served_on=np.where(counsel_served, "person_and_counsel", "person"),
        method=np.where(counsel_served, rng.choice(np.array(NOTICE_METHODS), m), "in person"),
        interpreter_name=np.where(interpreted, interpreter, ""),
        interpreter_language=np.where(interpreted, primary, ""),
        exigent=rng.random(m) < 0.05,
    )  # fmt: skip
    first_destination = rng.choice(_DESTINATIONS, m)
    first_destination = np.where(first_destination == people["home"], "RW", first_destination)
    renamed = chosen & (rng.random(m) < 0.08) & (first_destination != destination)
    first_day = np.maximum(before(rng, day, 20, 200), NOTICES_BEGIN)
    table = pl.concat([
        rows(people, renamed, destination=first_destination,
             served_at=at_minute(first_day, minute), **notice),
        rows(people, chosen, destination=destination, served_at=at_minute(day, minute), **notice),
    ])  # fmt: skip
    return _with_documents(table), {
        "day": np.where(chosen, day, NO_DAY),
        "destination": destination,
    }


def _with_documents(table: pl.DataFrame) -> pl.DataFrame:
    """Each notice names the served document as the sending state's system files it: a
    reference and the document's SHA-256 (here of an invented text), without which an imported
    notice would not count for the notice gate."""
    reference = pl.format("NTC-{}-{}", "case", pl.col("served_at").dt.strftime("%Y%m%d%H%M"))
    table = table.with_columns(reference.alias("document_reference"))
    digests = [hashlib.sha256(f"notice {r}".encode()).hexdigest()
               for r in table["document_reference"]]  # fmt: skip
    return table.with_columns(pl.Series("document_sha256", digests, dtype=pl.String))


def fear_claims(rng, people: dict, notice: dict) -> pl.DataFrame:
    """Fear of the destination stated after a notice: referred, interviewed, screened."""
    m = people["m"]
    stated = people["adult"] & ~np.isnat(notice["day"]) & (rng.random(m) < 0.3)
    stated_on = after(rng, notice["day"], 0, 9)
    referred = rng.random(m) < 0.85
    referred_on = np.where(referred, after(rng, stated_on, 0, 3), NO_DAY)
    interview = at_minute(after(rng, referred_on, 0, 2), rng.integers(8 * 60, 17 * 60, m))
    screened_on = np.where(rng.random(m) < 0.75, after(rng, referred_on, 1, 20), NO_DAY)
    outcome = np.where(
        np.isnat(screened_on), "pending", np.where(rng.random(m) < 0.25, "positive", "negative")
    )
    return rows(
        people, stated, country=notice["destination"], stated_on=stated_on,
        referred_on=referred_on,
        interview_noticed_at=np.where(rng.random(m) < 0.7, interview, NO_INSTANT),
        screened_on=screened_on, outcome=outcome,
        proceedings_ended=(outcome == "negative") & (rng.random(m) < 0.3),
    )  # fmt: skip


def acceptances(rng, people: dict, notice: dict, final_on: np.ndarray) -> pl.DataFrame:
    """The receiving state's answer about each person by name, mostly before the notice; a
    few answers came for people not yet noticed, and for some of the UK's cases from Rwanda."""
    k, unit = people["k"], people["unit"]
    noticed = ~np.isnat(notice["day"])
    answered = noticed & (rng.random(k) < 0.65)[unit]
    unprompted = ~noticed & ~np.isnat(final_on) & (rng.random(k) < 0.04)[unit]
    uk = people["uk"] & (rng.random(k) < 0.5)[unit]
    declined = (rng.random(k) < 0.15)[unit]
    answer = dict(
        decision=np.where(declined, "declined", "accepted"),
        reasons=np.where(declined, rng.choice(np.array(DECLINE_REASONS), k)[unit], ""),
    )
    return pl.concat([
        rows(people, answered, receiving_state=notice["destination"],
             decided_on=notice["day"] - rng.integers(0, 61, k)[unit], **answer),
        rows(people, unprompted, receiving_state=_destinations(rng, k)[unit],
             decided_on=between(rng, "2025-03-01", LAST_DAY, k)[unit], **answer),
        rows(people, uk, receiving_state="RW",
             decided_on=between(rng, "2022-06-01", "2024-07-05", k)[unit], **answer),
    ])  # fmt: skip


def country_requests(rng, people: dict, notice: dict) -> pl.DataFrame:
    """The INA 241(b)(2) log for some noticed people: their own country first, sometimes a
    second country of nationality or connection, then the destination."""
    m = people["m"]
    logged = ~np.isnat(notice["day"]) & (rng.random(m) < 0.7)
    second = SECOND[people["profile"]]
    home_asked = before(rng, notice["day"], 60, 200)
    return pl.concat([
        rows(people, logged, country=people["home"], asked_on=home_asked,
             answer=choose(rng, {"refused": 0.5, "no_answer": 0.4, "accepted": 0.1}, m)),
        rows(people, logged & (second != "") & (rng.random(m) < 0.3), country=second,
             asked_on=after(rng, home_asked, 5, 30),
             answer=choose(rng, {"refused": 0.6, "no_answer": 0.4}, m)),
        rows(people, logged, country=notice["destination"],
             asked_on=before(rng, notice["day"], 5, 40),
             answer=choose(rng, {"accepted": 0.8, "refused": 0.1, "no_answer": 0.1}, m)),
    ])  # fmt: skip


def uk_processes(rng, people: dict):
    """The UK's steps for its small share of the caseload: asylum claims made 2022-2024,
    inadmissibility or refusal, age disputes, notices of intent, removal directions, Rule 39
    indications. Returns the rows and, per person, when removal directions were notified."""
    k, m, unit = people["k"], people["m"], people["unit"]
    claimed = between(rng, "2022-01-01", "2024-06-30", k)[unit]
    inadmissible = (rng.random(k) < 0.65)[unit]
    refused = ~inadmissible & (rng.random(k) < 0.3)[unit]
    disputed = people["single"] & (rng.random(m) < 0.08)
    intent = np.where((rng.random(k) < 0.6)[unit], after(rng, claimed, 10, 200), NO_DAY)
    directions = np.where(
        (rng.random(k) < 0.4)[unit],
        at_minute(after(rng, intent, 14, 120), rng.integers(7 * 60, 19 * 60, m)),
        NO_INSTANT,
    )
    rule39 = rng.random(m) < 0.05
    table = rows(
        people, people["uk"],
        asylum_claim_on=claimed,
        asylum_refused_on=np.where(refused, after(rng, claimed, 180, 700), NO_DAY),
        inadmissible_on=np.where(inadmissible, after(rng, claimed, 30, 400), NO_DAY),
        dangerous_journey=(rng.random(k) < 0.85)[unit],
        age_disputed=disputed,
        age_dispute_resolved_on=np.where(
            disputed & (rng.random(m) < 0.6), after(rng, claimed, 20, 200), NO_DAY
        ),
        intent_notice_served_on=intent,
        removal_directions_notified_at=directions,
        rule39_in_force=rule39,
        rule39_disapplied_by_minister=rule39 & (rng.random(m) < 0.2),
        compelling_claim_pending=rng.random(m) < 0.04,
    )  # fmt: skip
    return table, np.where(people["uk"], directions, NO_INSTANT)
