"""The care part's rules, as scenarios: intake and plan, services due and overdue, stipend
cycles computed, approved by a second officer and paid, and what is owed."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accords.audit.models import AuditEntry
from accords.ledger import journal
from accords.ledger.models import Transfer
from accords.reception.models import Arrival, CareService, Entitlement
from accords.reception.selectors import care as selectors
from accords.reception.services import care
from accords.reception.tests import care_stages
from accords.reception.tests.stages import handed_over
from accords.registry.models import Agreement
from accords.transfers.tests import stages

TODAY = timezone.localdate


@pytest.fixture
def world(db):
    world = stages.world_make()
    world["receiving.approver"] = care_stages.second_officer()
    return world


def _refused(field: str, call, *args, **kwargs) -> None:
    with pytest.raises(ValidationError) as raised:
        call(*args, **kwargs)
    assert field in raised.value.message_dict, raised.value.message_dict


def test_intake_then_plan_and_the_plan_is_overdue_after_30_days(world):
    officer = world["receiving.officer"]
    (late,) = handed_over(world, "C-1")
    late = care_stages.arrived_days_ago(late, 40)
    (on_time,) = handed_over(world, "C-2")
    assert list(selectors.plans_overdue(officer, TODAY())) == [late]
    _refused("agreed_on", care.care_plan_record, actor=officer, arrival=late, agreed_on=TODAY(),
             goals="Housing, then work.")  # fmt: skip
    care_stages.taken_in(late, actor=officer)
    care.care_plan_record(actor=officer, arrival=late, agreed_on=TODAY(), goals="Work.")
    assert not selectors.plans_overdue(officer, TODAY()).exists()
    assert late.intake.needs == ["language"]
    # Someone who left the programme's care is not overdue (left_on stands in for the outcome).
    care_stages.arrived_days_ago(on_time, 40)
    Arrival.objects.filter(pk=on_time.pk).update(left_on=TODAY())
    assert not selectors.plans_overdue(officer, TODAY()).exists()


def test_only_the_receiving_states_officers_write_its_reception(world):
    (arrival,) = handed_over(world, "C-3")
    for name in ("eswatini.officer", "sending.officer", "monitor", "counsel"):
        with pytest.raises(PermissionDenied):
            care_stages.taken_in(arrival, actor=world[name])


def test_an_intake_refuses_bad_input_naming_the_field_and_writes_nothing(world):
    officer = world["receiving.officer"]
    (arrival,) = handed_over(world, "C-4")
    entries = AuditEntry.objects.count()
    good = dict(actor=officer, arrival=arrival, housed_at="Hostel", needs=[], consent=True,
                recorded_on=TODAY())  # fmt: skip
    _refused("recorded_on", care.intake_record, **{**good, "recorded_on": date(1, 1, 1)})
    _refused("recorded_on", care.intake_record, **{**good, "recorded_on": date(9999, 12, 31)})
    _refused("housed_at", care.intake_record, **{**good, "housed_at": "a\x00b"})
    _refused("housed_at", care.intake_record, **{**good, "housed_at": "x" * 50_000_000})
    _refused("needs", care.intake_record, **{**good, "needs": ["wealth"]})
    assert AuditEntry.objects.count() == entries
    assert not hasattr(Arrival.objects.get(pk=arrival.pk), "intake")


def test_a_service_pending_past_its_due_date_is_overdue_until_its_outcome(world):
    officer = world["receiving.officer"]
    (arrival,) = handed_over(world, "C-5")
    arrival = care_stages.arrived_days_ago(arrival, 20)
    funding = Agreement.objects.get(key="us-rwanda").terms.get(key="service-documents")
    permit = care.care_service_open(
        actor=officer, arrival=arrival, kind="documents", document="residence",
        provider="Directorate General of Immigration", funding_term=funding,
        requested_on=TODAY() - timedelta(days=19), due_on=TODAY() - timedelta(days=5),
    )  # fmt: skip
    care.care_service_open(actor=officer, arrival=arrival, kind="health", provider="Clinic",
                           requested_on=TODAY(), due_on=TODAY() + timedelta(days=5))  # fmt: skip
    assert list(selectors.services_overdue(officer, TODAY())) == [permit]
    assert permit.outcome_label == "requested"
    assert not selectors.services_overdue(world["eswatini.officer"], TODAY()).exists()
    care.care_service_outcome_record(actor=officer, service=permit, outcome="done",
                                     outcome_on=TODAY())  # fmt: skip
    permit.refresh_from_db()
    assert permit.outcome_label == "issued"
    assert not selectors.services_overdue(officer, TODAY()).exists()


def test_services_say_what_they_need(world):
    officer = world["receiving.officer"]
    (arrival,) = handed_over(world, "C-6")
    base = dict(actor=officer, arrival=arrival, provider="P", requested_on=TODAY(),
                due_on=TODAY() + timedelta(days=3))  # fmt: skip
    _refused("document", care.care_service_open, kind="documents", **base)
    _refused("job_step", care.care_service_open, kind="health", job_step="training", **base)
    _refused("due_on", care.care_service_open, kind="health",
             **{**base, "due_on": TODAY() - timedelta(days=1)})  # fmt: skip
    _refused(
        "due_on", care.care_service_open, kind="health", **{**base, "due_on": date(9999, 1, 1)}
    )
    other = Agreement.objects.get(key="us-eswatini").terms.first()
    _refused("funding_term", care.care_service_open, kind="health", funding_term=other, **base)
    housing = care.care_service_open(kind="housing", **base)
    _refused("place", care.care_service_outcome_record, actor=officer, service=housing,
             outcome="done", outcome_on=TODAY())  # fmt: skip
    _refused("outcome", care.care_service_outcome_record, actor=officer, service=housing,
             outcome="pending", outcome_on=TODAY())  # fmt: skip
    _refused("ends_on", care.care_service_outcome_record, actor=officer, service=housing,
             outcome="done", outcome_on=TODAY(), place="Hostel", starts_on=TODAY(),
             ends_on=TODAY() - timedelta(days=1))  # fmt: skip
    job = care.care_service_open(kind="job", job_step="placement", **base)
    _refused("employer", care.care_service_outcome_record, actor=officer, service=job,
             outcome="done", outcome_on=TODAY())  # fmt: skip
    assert CareService.objects.filter(outcome="pending").count() == 2


def _programme(world):
    care_stages.stipend_term()
    return care.stipend_programme_open(actor=world["receiving.officer"],
                                       agreement=Agreement.objects.get(key="us-rwanda"))  # fmt: skip


def test_a_programme_reads_amount_currency_frequency_and_duration_from_the_term(world):
    officer = world["receiving.officer"]
    rwanda = Agreement.objects.get(key="us-rwanda")
    _refused("agreement", care.stipend_programme_open, actor=officer, agreement=rwanda)
    programme = _programme(world)
    assert (programme.amount, programme.currency) == (Decimal("60.00"), "USD")
    assert (programme.frequency, programme.cycles_per_person) == ("month", 6)
    _refused("agreement", care.stipend_programme_open, actor=officer, agreement=rwanda)


def test_a_cycle_is_approved_by_a_second_officer_then_paid_and_what_is_owed_follows(
    world, monkeypatch
):
    officer, approver = world["receiving.officer"], world["receiving.approver"]
    programme = _programme(world)
    consenting, refusing, left, new = handed_over(world, "C-7", "C-8", "C-9", "C-10")
    for arrival in (consenting, refusing, left):
        care_stages.arrived_days_ago(arrival, 70)
    care_stages.taken_in(consenting)
    care_stages.taken_in(refusing, consent=False)
    care_stages.taken_in(left)
    care_stages.taken_in(new)
    # The person left two months ago (stands in for the outcome service setting left_on).
    Arrival.objects.filter(pk=left.pk).update(left_on=care_stages.first_of_month(2))
    cycle = care.stipend_cycle_compute(actor=officer, programme=programme,
                                       starts_on=care_stages.first_of_month(1))  # fmt: skip
    (entitlement,) = cycle.entitlements.all()
    assert entitlement.arrival == consenting and entitlement.amount == Decimal("60.00")
    _refused("starts_on", care.stipend_cycle_compute, actor=officer, programme=programme,
             starts_on=care_stages.first_of_month(1))  # fmt: skip
    _refused("entitlement", care.payment_record, actor=officer, entitlement=entitlement,
             outcome="paid", amount=Decimal("60.00"), on=TODAY())  # fmt: skip
    _refused("cycle", care.stipend_cycle_approve, actor=officer, cycle=cycle)
    batches, post_batch = [], journal.transfers_post_batch
    monkeypatch.setattr(journal, "transfers_post_batch",
                        lambda ledger, frame: batches.append(frame.height) or post_batch(ledger, frame))  # fmt: skip
    care.stipend_cycle_approve(actor=approver, cycle=cycle)
    # The cycle's obligations go to the ledger in one batch, one per entitlement.
    assert batches == [1]
    reference = f"stipend/cycle-{cycle.pk}/{consenting.person_id}"
    assert Transfer.objects.get(reference=reference, code="obligation").amount == 6000
    assert list(selectors.stipends_due(officer)) == [entitlement]
    care.payment_record(actor=officer, entitlement=entitlement, outcome="failed",
                        amount=Decimal("60.00"), on=TODAY())  # fmt: skip
    assert care.owed(entitlement) == Decimal("60.00")
    care.payment_record(actor=officer, entitlement=entitlement, outcome="paid",
                        amount=Decimal("60.00"), on=TODAY(), reference="MM-1")  # fmt: skip
    assert care.owed(entitlement) == 0
    assert not selectors.stipends_due(officer).exists()
    _refused("amount", care.payment_record, actor=officer, entitlement=entitlement,
             outcome="paid", amount=Decimal("0.01"), on=TODAY())  # fmt: skip
    care.payment_record(actor=officer, entitlement=entitlement, outcome="returned",
                        amount=Decimal("20.00"), on=TODAY())  # fmt: skip
    assert care.owed(entitlement) == Decimal("20.00")
    assert selectors.stipends_due(officer).get().still_owed == Decimal("20.00")
    _refused("amount", care.payment_record, actor=officer, entitlement=entitlement,
             outcome="returned", amount=Decimal("40.01"), on=TODAY())  # fmt: skip
    _refused("amount", care.payment_record, actor=officer, entitlement=entitlement,
             outcome="paid", amount=Decimal("1.001"), on=TODAY())  # fmt: skip


def test_no_entitlement_beyond_the_cycles_per_person_or_the_programmes_end(world):
    officer = world["receiving.officer"]
    programme = _programme(world)
    (arrival,) = handed_over(world, "C-11")
    care_stages.arrived_days_ago(arrival, 300)
    care_stages.taken_in(arrival)
    cycle = care.stipend_cycle_compute(actor=officer, programme=programme,
                                       starts_on=care_stages.first_of_month(0))  # fmt: skip
    assert not cycle.entitlements.exists()  # arrived ~10 months ago: six cycles have passed
    programme.ends_on = care_stages.first_of_month(3)
    programme.save()
    _refused("starts_on", care.stipend_cycle_compute, actor=officer, programme=programme,
             starts_on=care_stages.first_of_month(1))  # fmt: skip
    _refused("starts_on", care.stipend_cycle_compute, actor=officer, programme=programme,
             starts_on=care_stages.first_of_month(1) + timedelta(days=3))  # fmt: skip
    _refused("starts_on", care.stipend_cycle_compute, actor=officer, programme=programme,
             starts_on=date(9999, 12, 1))  # fmt: skip
    assert Entitlement.objects.count() == 0


def test_the_sending_state_sees_counts_and_per_person_only_dates(world):
    officer = world["receiving.officer"]
    a, b = handed_over(world, "C-12", "C-13")
    care_stages.arrived_days_ago(a, 40)
    care_stages.taken_in(b)
    care.care_plan_record(actor=officer, arrival=b, agreed_on=TODAY(), goals="Synthetic goals.")
    (figures,) = selectors.sending_figures(world["sending.officer"], TODAY())
    assert (figures.arrived, figures.plans_agreed, figures.plans_overdue) == (2, 1, 1)
    assert selectors.sending_figures(officer, TODAY()) == []
    people = {p["case_number"]: p["plan_agreed_on"] for p in
              selectors.sending_people(world["sending.supervisor"])}  # fmt: skip
    assert people == {"C-12": None, "C-13": TODAY()}
    assert not selectors.sending_people(officer).exists()
