"""Independent monitoring: a monitor plans and records welfare visits to the arrivals of the
agreements they monitor; a denied visit is itself a finding; concerns carry a severity and a
deadline the receiving state's officer must answer by; overdue answers show. The monitor sees
every arrival of their agreements, and no case file of the sending state."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accords.audit.models import AuditEntry
from accords.cases.selectors import people_visible
from accords.reception.models import Concern, WelfareVisit
from accords.reception.selectors import oversight as selectors
from accords.reception.selectors.arrivals import arrivals_visible
from accords.reception.services import oversight as services
from accords.reception.tests.oversight_stages import arrived
from accords.reception.tests.stages import handed_over
from accords.transfers.selectors import referrals_visible
from accords.transfers.tests import stages

TODAY = timezone.localdate


@pytest.fixture
def world(db):
    return stages.world_make()


def test_a_denied_visit_is_itself_a_finding_the_receiving_state_must_answer(world):
    (arrival,) = arrived(world, "OM-1")
    monitor, officer = world["monitor"], world["receiving.officer"]
    visit = services.visit_plan(actor=monitor, arrival=arrival, planned_on=TODAY())
    assert list(selectors.visits_due(monitor)) == [visit]
    services.visit_record(actor=monitor, visit=visit, status="denied", visited_on=TODAY())
    assert not selectors.visits_due(monitor).exists()
    (concern,) = selectors.concerns_open(officer)
    assert concern.visit == visit and concern.severity == "high"
    assert concern.answer_due_on == TODAY() + timedelta(days=7)
    services.concern_answer(actor=officer, concern=concern, answer="Access arranged for Monday.")
    assert not selectors.concerns_open(monitor).exists()


def test_a_done_visit_records_findings_and_raises_nothing(world):
    (arrival,) = arrived(world, "OM-2")
    visit = services.visit_plan(actor=world["monitor"], arrival=arrival, planned_on=TODAY())
    with pytest.raises(ValidationError) as raised:
        services.visit_record(actor=world["monitor"], visit=visit, status="done",
                              visited_on=TODAY())  # fmt: skip
    assert "findings" in raised.value.message_dict
    services.visit_record(actor=world["monitor"], visit=visit, status="done", visited_on=TODAY(),
                          findings="Housed as planned; no complaint.")  # fmt: skip
    assert not Concern.objects.exists()
    with pytest.raises(ValidationError) as raised:
        services.visit_record(actor=world["monitor"], visit=visit, status="denied",
                              visited_on=TODAY())  # fmt: skip
    assert "status" in raised.value.message_dict


@pytest.mark.parametrize(("severity", "days"), [("low", 30), ("medium", 14), ("high", 7),
                                               ("critical", 2)])  # fmt: skip
def test_a_concerns_severity_sets_its_deadline(world, severity, days):
    (arrival,) = arrived(world, "OM-3")
    concern = services.concern_raise(actor=world["monitor"], arrival=arrival, severity=severity,
                                     text="Stipend not paid for two months.")  # fmt: skip
    assert concern.answer_due_on == TODAY() + timedelta(days=days)


def test_an_overdue_concern_shows_and_a_late_answer_stays_late(world):
    (arrival,) = arrived(world, "OM-4")
    concern = services.concern_raise(actor=world["monitor"], arrival=arrival, severity="critical",
                                     text="No medical care after an injury.")  # fmt: skip
    assert not selectors.concerns_overdue(world["monitor"]).exists()
    later = TODAY() + timedelta(days=3)
    assert list(selectors.concerns_overdue(world["monitor"], today=later)) == [concern]
    Concern.objects.filter(pk=concern.pk).update(answer_due_on=TODAY() - timedelta(days=1))
    answered = services.concern_answer(actor=world["receiving.officer"], concern=concern,
                                       answer="Seen by a doctor.")  # fmt: skip
    assert answered.answered_late
    assert list(selectors.concerns_overdue(world["receiving.officer"])) == [concern]
    with pytest.raises(ValidationError):
        services.concern_answer(actor=world["receiving.officer"], concern=concern, answer="Again.")


def test_only_the_receiving_states_officer_answers_and_only_a_monitor_raises(world):
    (arrival,) = arrived(world, "OM-5")
    for name in ("sending.officer", "counsel", "receiving.officer", "auditor"):
        with pytest.raises(ValidationError):
            services.concern_raise(actor=world[name], arrival=arrival, severity="low", text="x")
    concern = services.concern_raise(actor=world["monitor"], arrival=arrival, severity="low",
                                     text="Language classes not offered.")  # fmt: skip
    for name in ("monitor", "sending.supervisor", "eswatini.officer", "counsel"):
        with pytest.raises(ValidationError):
            services.concern_answer(actor=world[name], concern=concern, answer="Done.")


def test_a_monitor_sees_only_the_arrivals_of_agreements_they_monitor(world):
    (watched,) = arrived(world, "OM-6")
    (elsewhere,) = handed_over(world, "OM-7", key="us-eswatini")
    monitor = world["monitor"]
    assert list(arrivals_visible(monitor)) == [watched]
    with pytest.raises(ValidationError) as raised:
        services.visit_plan(actor=monitor, arrival=elsewhere, planned_on=TODAY())
    assert "arrival" in raised.value.message_dict
    assert not WelfareVisit.objects.exists()


def test_a_monitor_reads_no_case_file_of_the_sending_state(world):
    arrived(world, "OM-8")
    monitor = world["monitor"]
    assert not people_visible(monitor).exists()
    assert not referrals_visible(monitor).exists()
    assert people_visible(world["auditor"]).exists()


@pytest.mark.parametrize(
    ("planned_on", "field"),
    [(TODAY() - timedelta(days=5), "planned_on"), (TODAY().replace(year=9999), "planned_on")],
)
def test_a_visit_planned_in_the_past_or_far_ahead_is_refused(world, planned_on, field):
    (arrival,) = arrived(world, "OM-9")
    start = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as raised:
        services.visit_plan(actor=world["monitor"], arrival=arrival, planned_on=planned_on)
    assert field in raised.value.message_dict
    assert AuditEntry.objects.count() == start


@pytest.mark.parametrize("text", ["", "   ", "a\x00b", "x" * 50_000_000])
def test_a_concern_without_a_readable_text_is_refused(world, text):
    (arrival,) = arrived(world, "OM-10")
    with pytest.raises(ValidationError) as raised:
        services.concern_raise(actor=world["monitor"], arrival=arrival, severity="low", text=text)
    assert "text" in raised.value.message_dict
    assert not Concern.objects.exists()
