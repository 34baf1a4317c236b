"""Placement rounds: from open referrals to `accords.placement` and back to manifests.

A round places the open referrals of one agreement on one or more of its open flights.

- Units: a family travels together (Person.family), counted by its size; anyone else alone.
  A family is placed only whole: every member still to travel must hold an open referral
  under the agreement, not yet listed, and every one must be compatible with the flight.
- Slots: each flight, with its seats not yet listed; the places left under the agreement
  (`places.agreement_limit`, its capacity or what its fee budget pays for, less the people
  who departed and the people listed on manifests not yet departed) bind across the flights.
- Compatibility: a flight on or after the date proposed for every member of the unit (the
  referral's `proposed_on`), and the safeguards engine's decision for each candidate on the
  flight's date, all candidates at once (`screen_frame`, one frame per flight date): cleared,
  or pending with an earliest clearing date on or before that day. The engine's common gates
  carry the agreement's eligibility (in force, exclusions, nationalities), so no separate
  check can disagree with it. Departure re-checks every gate at the moment of departure in any case.
- Features, per person (the policy weighs them; `FEATURES` documents each):
  `placed`, `language_spoken`, `family_ties`, `escorts`.
  There is no feature for the services a person needs nor for the cost: needs are recorded at
  the intake after arrival (accords.reception), so none is on record for a candidate, and the
  fee per person is the same for every candidate of a round (a round never spans agreements),
  so it cannot tell one placement from another; the fee budget binds as a constraint instead.

`placement_round` returns the `Problem` and what is needed to turn the solver's `Plan` back
into manifest listings with each person's score contributions.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import polars as pl
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from accords.cases.facts import facts_from_database
from accords.cases.models import Person
from accords.cases.screening import screen_frame
from accords.core.words import gate_title
from accords.law.evaluate import gate_lists
from accords.placement import Agreements, Pairs, Policy, Problem, Slots, Units
from accords.placement import Plan as Solution
from accords.registry.models import Agreement
from accords.transfers.models import Flight, ManifestEntry, Referral
from accords.transfers.places import agreement_fee

FEATURES = {
    "placed": "1 for every person placed: a seat used is a transfer that can go ahead.",
    "language_spoken": "Share of the unit who speak a language in wide use in the receiving "
    "state (kept by hand from each state's official languages).",
    "family_ties": "1 if a relative (same family) already departed to the receiving state.",
    "escorts": "Minus the escorts the flight needs per person (its escort ratio).",
}

# Each feature as the plan page names it.
FEATURE_TITLES = {
    "placed": gettext_lazy("Seat used"),
    "language_spoken": gettext_lazy("Speaks a language of the receiving state"),
    "family_ties": gettext_lazy("A relative already there"),
    "escorts": gettext_lazy("Escorts needed"),
}

POLICIES = {
    policy.name: policy
    for policy in (
        Policy(
            name="default-2026",
            version=1,
            weights={
                "placed": 10.0,
                "language_spoken": 3.0,
                "family_ties": 2.0,
                "escorts": 0.5,
            },
        ),
        Policy(name="seats-first", version=1, weights={"placed": 1.0}),
    )
}

# Languages in wide use in each receiving state (ISO 639-1, or 639-3 where there is none).
RECEIVING_LANGUAGES = {
    "CR": {"es"},
    "GH": {"en"},
    "GQ": {"es", "fr", "pt"},
    "LY": {"ar"},
    "PA": {"es"},
    "PW": {"en", "pau"},
    "RW": {"rw", "en", "fr", "sw"},
    "SS": {"en", "ar"},
    "SV": {"es"},
    "SZ": {"en", "ss"},
    "UG": {"en", "sw"},
    "XK": {"sq", "sr"},
}


def policy_named(name: str) -> Policy:
    if name not in POLICIES:
        known = ", ".join(POLICIES)
        raise ValidationError({"policy": f'Unknown policy "{name}"; one of: {known}.'})
    return POLICIES[name]


@dataclass
class Round:
    """One placement round: the problem, and the way back from the solver's answer."""

    problem: Problem
    flights: list[Flight]
    units: list[list[Referral]]
    labels: list[str]
    features: dict[tuple[int, int], dict[str, float]]
    held_back: list[dict] = field(default_factory=list)
    fee: int = 0  # per person, in minor units of the agreement's currency

    def listings(self, solution: Solution, plan_id: int):
        """Per flight: the referrals placed on it and each one's score, per person."""
        unit_index = {label: i for i, label in enumerate(self.labels)}
        slot_index = {f.pk: i for i, f in enumerate(self.flights)}
        by_flight: dict[int, tuple[list, dict]] = {f.pk: ([], {}) for f in self.flights}
        for placement in solution.placements():
            unit, slot = unit_index[placement.unit_id], slot_index[placement.slot_id]
            referrals, scores = by_flight[placement.slot_id]
            for referral in self.units[unit]:
                referrals.append(referral)
                scores[referral.pk] = {
                    "plan": plan_id,
                    "unit": placement.unit_id,
                    "people": placement.people,
                    "score": round(placement.score / placement.people, 4),
                    "contributions": {
                        name: round(part / placement.people, 4)
                        for name, part in placement.contributions.items()
                    },
                    "features": self.features[(unit, slot)],
                }
        return [(f, *by_flight[f.pk]) for f in self.flights]


def _units(agreement: Agreement) -> tuple[list[list[Referral]], list[dict]]:
    """Candidates grouped into units (oldest referral first), and families held back whole."""
    listed = ManifestEntry.objects.filter(status=ManifestEntry.Status.LISTED).values("referral")
    candidates = (
        Referral.objects.filter(agreement=agreement, status=Referral.Status.OPEN)
        .exclude(pk__in=listed)
        .select_related("person__family")
        .order_by("referred_at", "pk")
    )
    groups: dict[object, list[Referral]] = {}
    for referral in candidates:
        groups.setdefault(referral.person.family_id or f"p{referral.person_id}", []).append(
            referral
        )
    families = [k for k in groups if isinstance(k, int)]
    gone = Referral.objects.filter(
        status__in=[Referral.Status.DEPARTED, Referral.Status.HANDED_OVER]
    ).values("person")
    members = defaultdict(set)
    for family_id, case_number in (
        Person.objects.filter(family__in=families, status=Person.Status.OPEN)
        .exclude(pk__in=gone)
        .values_list("family_id", "case_number")
    ):
        members[family_id].add(case_number)
    units, held_back = [], []
    for key, referrals in groups.items():
        missing = members.get(key, set()) - {r.person.case_number for r in referrals}
        if missing:
            held_back.append(
                {
                    "cases": [r.person.case_number for r in referrals],
                    "reason": "family members not referred under this agreement or already "
                    f"listed: {', '.join(sorted(missing))}",
                }
            )
        else:
            units.append(referrals)
    return units, held_back


def _compatible(units, flights, agreement) -> tuple[dict[date, set[str]], dict[str, str]]:
    """Per flight date, the case numbers the engine clears by then; and on the latest date,
    why each other case is not cleared: its gates still closed, and when it could clear."""
    person_ids = [r.person_id for unit in units for r in unit]
    tables = facts_from_database(person_ids)
    ready, closed = {}, {}
    for day in sorted({f.departs_on for f in flights}):
        _, decisions = screen_frame(tables, agreement, day)
        # A pending case with no clearing date (it waits on a person, not on time) is null here.
        cleared = (
            (pl.col("decision") == "cleared")
            | ((pl.col("decision") == "pending") & (pl.col("earliest_clear") <= day))
        ).fill_null(False)
        ready[day] = set(decisions.filter(cleared)["case_id"].to_list())
        closed = {
            row["case_id"]: ", ".join(
                gate_title(str(g)) for g in row["blocked_by"] + row["pending_on"]
            )
            + (f" (could clear on {row['earliest_clear']})" if row["earliest_clear"] else "")
            for row in gate_lists(decisions.filter(~cleared)).iter_rows(named=True)
        }
    return ready, closed


def _families_there(agreement: Agreement) -> set[int]:
    """Families with a member who already departed to the agreement's receiving state."""
    return set(
        Referral.objects.filter(
            status__in=[Referral.Status.DEPARTED, Referral.Status.HANDED_OVER],
            agreement__receiving_state=agreement.receiving_state_id,
            person__family__isnull=False,
        ).values_list("person__family_id", flat=True)
    )


def placement_round(
    *,
    agreement: Agreement,
    flights: list[Flight],
    capacity_left: int | None,
    quota_room: dict[int, int] | None = None,
) -> Round:
    """The placement problem for `flights` of `agreement`, with `capacity_left` people (None:
    the agreement states no cap) and, where the agreement has quotas per period, at most
    `quota_room[flight id]` more people on a flight (`places.quota_room`)."""
    units, held_back = _units(agreement)
    family_ties = _families_there(agreement)
    ready, closed = _compatible(units, flights, agreement) if units else ({}, {})
    spoken = RECEIVING_LANGUAGES.get(agreement.receiving_state_id, set())
    fee = agreement_fee(agreement).minor
    seats = [f.seats - f.manifest.entries.filter(status="listed").count() for f in flights]
    if quota_room:
        seats = [min(s, quota_room.get(f.pk, s)) for s, f in zip(seats, flights, strict=True)]

    pair_unit, pair_slot, values = [], [], defaultdict(list)
    features: dict[tuple[int, int], dict[str, float]] = {}
    kept, labels = [], []
    for referrals in units:
        cases = [r.person.case_number for r in referrals]
        cleared = [s for s, f in enumerate(flights) if all(c in ready[f.departs_on] for c in cases)]
        if not cleared:
            why = "; ".join(f"{c}: {closed[c]}" for c in cases if c in closed)
            held_back.append({"cases": cases, "reason": f"not cleared by the flight date ({why})"})
            continue
        # A unit travels no earlier than the latest date proposed for any of its members.
        proposed = max(r.proposed_on for r in referrals)
        slots = [s for s in cleared if flights[s].departs_on >= proposed]
        if not slots:
            why = f"proposed for {proposed:%Y-%m-%d}, after every flight in this round"
            held_back.append({"cases": cases, "reason": why})
            continue
        unit = len(kept)
        kept.append(referrals)
        family = referrals[0].person.family
        labels.append(f"family {family.key}" if family else cases[0])
        people = [r.person for r in referrals]
        speakers = sum(bool(spoken & set(p.languages)) for p in people) / len(people)
        for s in slots:
            flight = flights[s]
            row = {
                "placed": 1.0,
                "language_spoken": round(speakers, 4),
                "family_ties": float(referrals[0].person.family_id in family_ties),
                "escorts": -float(flight.escort_ratio),
            }
            features[(unit, s)] = row
            pair_unit.append(unit)
            pair_slot.append(s)
            for name, value in row.items():
                values[name].append(value)

    sizes = [len(u) for u in kept]
    people_total = sum(sizes)
    quota = people_total if capacity_left is None else max(capacity_left, 0)
    problem = Problem(
        units=Units(ids=np.array(labels, dtype=object), sizes=np.array(sizes, dtype=np.int64)),
        slots=Slots(
            ids=np.array([f.pk for f in flights], dtype=np.int64),
            agreement=np.zeros(len(flights), dtype=np.int64),
            capacity=np.array([max(s, 0) for s in seats], dtype=np.int64),
            cost_per_person=np.full(len(flights), fee, dtype=np.int64),
        ),
        # A fee budget is already in `capacity_left` as the places it pays for (one fee a
        # person); the money row here prices the plan against a budget that covers everyone.
        agreements=Agreements(
            ids=np.array([agreement.key], dtype=object),
            capacity=np.array([quota], dtype=np.int64),
            budget=np.array([fee * people_total], dtype=np.int64),
        ),
        pairs=Pairs(
            unit=np.array(pair_unit, dtype=np.int64),
            slot=np.array(pair_slot, dtype=np.int64),
            features={name: np.array(v, dtype=np.float64) for name, v in values.items()}
            or {name: np.zeros(0) for name in FEATURES},
        ),
    )
    return Round(problem=problem, flights=flights, units=kept, labels=labels, features=features,
                 held_back=held_back, fee=fee)  # fmt: skip
