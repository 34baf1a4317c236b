"""A hypothesis state machine over outcomes: whoever records them, in whatever order, with
whatever corrections, every onward removal to a country the person is protected from has its
alert, raised with it, and no alert ever disappears or changes."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from accords.cases.models import Protection
from accords.reception.models import Outcome, RefoulementAlert
from accords.reception.services import oversight as services
from accords.reception.tests.oversight_stages import arrived
from accords.transfers.tests import stages

COUNTRIES = ("SV", "GT", "HN")  # the people are protected from El Salvador only
KINDS = list(Outcome.Kind.values)


class Outcomes(RuleBasedStateMachine):
    world: dict  # set by the test: users and arrivals, made once

    def __init__(self):
        super().__init__()
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        self.seen: dict[int, tuple] = {}  # every alert as first seen

    def teardown(self):
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    @rule(which=st.integers(0, 2), kind=st.sampled_from(KINDS),
          country=st.sampled_from(COUNTRIES), who=st.sampled_from(["receiving.officer", "monitor",
                                                                    "counsel", "sending.officer"]),
          correcting=st.booleans(), days_ago=st.integers(-2, 3))  # fmt: skip
    def record(self, which, kind, country, who, correcting, days_ago):
        arrival = self.world["arrivals"][which]
        corrects = (
            Outcome.objects.filter(arrival=arrival, corrected_by__isnull=True).last()
            if correcting else None
        )  # fmt: skip
        values = {"country": country if kind in Outcome.TO_A_COUNTRY else ""}
        try:
            outcome = services.outcome_record(actor=self.world[who], arrival=arrival, kind=kind,
                                              on=timezone.localdate() - timedelta(days=days_ago),
                                              corrects=corrects, **values)  # fmt: skip
        except ValidationError:
            return
        protected = Protection.objects.filter(person=arrival.person, country=country).exists()
        raised = RefoulementAlert.objects.filter(outcome=outcome).count()
        assert raised == (1 if kind == "removed_onward" and protected else 0)

    @rule(data=st.data())
    def try_to_remove_an_alert(self, data):
        alerts = list(RefoulementAlert.objects.all())
        if not alerts:
            return
        alert = data.draw(st.sampled_from(alerts))
        for attempt in (alert.delete, RefoulementAlert.objects.filter(pk=alert.pk).delete,
                        lambda: RefoulementAlert.objects.filter(pk=alert.pk).update(country="GT"),
                        lambda: alert.outcome.delete()):  # fmt: skip
            with pytest.raises(ValidationError), transaction.atomic():
                attempt()

    @invariant()
    def an_alert_for_every_removal_to_a_protected_country(self):
        removals = Outcome.objects.filter(kind="removed_onward", country="SV")
        assert set(RefoulementAlert.objects.values_list("outcome_id", flat=True)) == set(
            removals.filter(arrival__person__protections__country="SV").values_list("id", flat=True)
        )

    @invariant()
    def no_alert_ever_disappears_or_changes(self):
        now = {a.pk: (a.outcome_id, a.kind, a.country)
               for a in RefoulementAlert.objects.all()}  # fmt: skip
        for pk, seen in self.seen.items():
            assert now.get(pk) == seen
        self.seen.update(now)


@pytest.fixture
def world(db):
    world = stages.world_make()
    people = [*arrived(world, "OS-1", "OS-2", protected=True), *arrived(world, "OS-3")]
    return {**world, "arrivals": people}


def test_any_sequence_of_outcomes_keeps_every_alert(world):
    Outcomes.world = world
    run_state_machine_as_test(
        Outcomes,
        settings=settings(max_examples=25, stateful_step_count=15, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow]),
    )  # fmt: skip
