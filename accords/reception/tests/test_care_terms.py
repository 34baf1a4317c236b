"""What the agreement's terms decide after the hand-over, as scenarios: who is entitled to a
stipend cycle (the terms narrow the rules and are cited on the programme and the cycle), and
what the sending state sees of each person it sent (only what a disclosure term shares; the
dates alone where there is none)."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from accords.cases.models import Person
from accords.demo.accounts import DEMO_PASSWORD
from accords.reception.models import Arrival
from accords.reception.selectors import care as selectors
from accords.reception.services import care
from accords.reception.tests import care_stages
from accords.reception.tests.stages import handed_over
from accords.registry.models import Agreement, Source
from accords.registry.services import term_create
from accords.transfers.tests import stages

TODAY = timezone.localdate


@pytest.fixture
def world(db):
    return stages.world_make()


def _term(key: str, agreement: str = "us-rwanda", **fields):
    source = Source.objects.order_by("key").first().key
    return term_create(actor=None, agreement=Agreement.objects.get(key=agreement), key=key,
                       text=f"Synthetic term {key}.",
                       sources=[{"source": source, "confidence": "unconfirmed"}],
                       **fields)  # fmt: skip


def _stipend_condition(key: str, **fields):
    return _term(key, kind="service", service="stipend", **fields)


def _arrived_before(arrival: Arrival, day, days: int) -> Arrival:
    """Move an arrival to noon, `days` before a day, in the users' zone."""
    at = timezone.make_aware(datetime.combine(day - timedelta(days=days), time(12)))
    Arrival.objects.filter(pk=arrival.pk).update(arrived_at=at)
    arrival.refresh_from_db()
    return arrival


def _entitled(cycle) -> set[str]:
    return set(cycle.entitlements.values_list("arrival__person__case_number", flat=True))


def test_without_stipend_terms_the_rules_alone_decide_and_nothing_is_cited(world):
    care_stages.stipend_term()
    rwanda = Agreement.objects.get(key="us-rwanda")
    programme = care.stipend_programme_open(actor=None, agreement=rwanda)
    starts_on = care_stages.first_of_month(0)
    for arrival, days in zip(handed_over(world, "ST-1", "ST-2"), (5, 70), strict=True):
        _arrived_before(arrival, starts_on, days)
        care_stages.taken_in(arrival)
    cycle = care.stipend_cycle_compute(actor=None, programme=programme, starts_on=starts_on)
    assert _entitled(cycle) == {"ST-1", "ST-2"}
    assert (programme.eligibility_terms, cycle.eligibility_terms) == ([], [])


def test_a_term_limiting_the_stipend_to_a_month_after_arrival_is_applied_and_cited(world):
    care_stages.stipend_term()
    _stipend_condition("stipend-first-month", rule="only", category="after_arrival",
                       quantity=1, period="month")  # fmt: skip
    # A term that begins after the cycle says nothing of it.
    _stipend_condition("stipend-minors-later", rule="excludes", category="unaccompanied_minor",
                       valid_from=(TODAY() + timedelta(days=400)).isoformat())  # fmt: skip
    rwanda = Agreement.objects.get(key="us-rwanda")
    programme = care.stipend_programme_open(actor=None, agreement=rwanda)
    assert programme.eligibility_terms == ["stipend-first-month"]
    starts_on = care_stages.first_of_month(0)
    recent, earlier = handed_over(world, "ST-3", "ST-4")
    for arrival, days in ((recent, 5), (earlier, 70)):
        _arrived_before(arrival, starts_on, days)
        care_stages.taken_in(arrival)
    cycle = care.stipend_cycle_compute(actor=None, programme=programme, starts_on=starts_on)
    assert _entitled(cycle) == {"ST-3"}
    assert cycle.eligibility_terms == ["stipend-first-month"]
    assert [t.key for t in selectors.cycle_eligibility_terms(cycle)] == ["stipend-first-month"]


def test_terms_on_categories_of_arrivals_exclude_or_accept_only_them(world):
    care_stages.stipend_term()
    _stipend_condition("stipend-no-minors", rule="excludes", category="unaccompanied_minor")
    rwanda = Agreement.objects.get(key="us-rwanda")
    programme = care.stipend_programme_open(actor=None, agreement=rwanda)
    first, second = care_stages.first_of_month(1), care_stages.first_of_month(0)
    minor, adult, born_elsewhere = handed_over(world, "ST-5", "ST-6", "ST-7")
    for arrival in (minor, adult, born_elsewhere):
        _arrived_before(arrival, first, 3)
        care_stages.taken_in(arrival)
    Person.objects.filter(pk=minor.person_id).update(unaccompanied_minor=True)
    Person.objects.filter(pk__in=[minor.person_id, adult.person_id]).update(country_of_birth="SV")
    Person.objects.filter(pk=born_elsewhere.person_id).update(country_of_birth="HN")
    cycle = care.stipend_cycle_compute(actor=None, programme=programme, starts_on=first)
    assert _entitled(cycle) == {"ST-6", "ST-7"}
    # A term added later applies to the cycles computed after it, and both are cited.
    _stipend_condition("stipend-born-in-el-salvador", rule="only", category="country_of_birth",
                       values=["SV"])  # fmt: skip
    later = care.stipend_cycle_compute(actor=None, programme=programme, starts_on=second)
    assert _entitled(later) == {"ST-6"}
    assert later.eligibility_terms == ["stipend-born-in-el-salvador", "stipend-no-minors"]
    assert _entitled(cycle) == {"ST-6", "ST-7"}


def test_a_stipend_condition_is_refused_unless_the_cycles_can_apply_it(world):
    with pytest.raises(ValidationError) as raised:
        _stipend_condition("stipend-vague", rule="only", category="good_conduct")
    assert "category" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        _stipend_condition("stipend-no-length", rule="only", category="after_arrival")
    assert "quantity" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        _term("disclose-health", kind="monitoring", category="disclosure", values=["needs"])
    assert "values" in raised.value.message_dict


PER_PERSON = ("arrived_on", "plan_due", "plan_agreed_on", "left_care_on", "services_provided",
              "services_pending", "stipend_cycles")  # fmt: skip


def _shown(user, case_number: str) -> set[str]:
    """The per-person fields the sending state is shown a value for."""
    (row,) = [p for p in selectors.sending_people(user) if p["case_number"] == case_number]
    return {name for name in PER_PERSON if row[name] is not None}


def test_the_sending_state_sees_per_person_only_what_the_agreement_shares(world):
    officer = world["sending.officer"]
    (rwanda,) = handed_over(world, "SD-1")
    (eswatini,) = handed_over(world, "SD-2", key="us-eswatini")
    care_stages.taken_in(rwanda)
    Arrival.objects.filter(pk=rwanda.pk).update(left_on=TODAY())
    care.care_service_open(actor=None, arrival=rwanda, kind="housing", provider="Synthetic",
                           requested_on=TODAY(), due_on=TODAY())  # fmt: skip
    dates = {"arrived_on", "plan_due", "left_care_on"}
    # No disclosure term: the dates alone, under both agreements.
    assert _shown(officer, "SD-1") == dates
    assert _shown(officer, "SD-2") == {"arrived_on", "plan_due"}  # has not left
    _term("disclose-services", kind="monitoring", category="disclosure",
          values=["arrived_on", "services"])  # fmt: skip
    assert _shown(officer, "SD-1") == {"arrived_on", "services_provided", "services_pending"}
    assert _shown(officer, "SD-2") == {"arrived_on", "plan_due"}
    (row,) = [p for p in selectors.sending_people(officer) if p["case_number"] == "SD-1"]
    assert (row["services_provided"], row["services_pending"]) == (0, 1)
    (rwanda_disclosure,) = [
        d for d in selectors.sending_disclosures(officer, TODAY())
        if d.agreement.key == "us-rwanda"
    ]  # fmt: skip
    assert rwanda_disclosure.term.key == "disclose-services"
    # The page says what is shared, under which term, and shows nothing else.
    client = Client()
    assert client.login(username="sending.officer", password=DEMO_PASSWORD)
    page = client.get("/reception/sending/").content.decode()
    assert "disclose-services" in page and "no term on disclosure" in page
    # SD-1: its plan, the day it left and its stipends; SD-2: its services and stipends.
    assert page.count("not shared") == 6
    # The API says the same: null where the agreement does not share it.
    listed = {p["case_number"]: p for p in client.get("/api/reception/arrivals").json()["items"]}
    assert listed["SD-1"]["left_on"] is None and listed["SD-1"]["plan_due_on"] is None
    assert (listed["SD-1"]["services_provided"], listed["SD-1"]["services_pending"]) == (0, 1)
    assert listed["SD-2"]["plan_due_on"] == eswatini.plan_due_on.isoformat()
    assert listed["SD-2"]["services_pending"] is None
    # The receiving state's officers still see their arrivals' dates, whatever is shared.
    receiving = Client()
    assert receiving.login(username="receiving.officer", password=DEMO_PASSWORD)
    (own,) = receiving.get("/api/reception/arrivals").json()["items"]
    assert own["left_on"] == TODAY().isoformat() and own["services_pending"] is None
    assert not selectors.sending_people(world["receiving.officer"]).exists()
