"""The whole journey, referral to hand-over, one scenario per regime, through the services."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone

from accords.audit.log import log_verify
from accords.audit.models import AuditEntry
from accords.cases.models import Notice, Person, UkProcess
from accords.cases.screening import case_explanation
from accords.cases.services import case_import
from accords.cases.tests.conftest import case_doc
from accords.core.services import user_create
from accords.core.tests.world import world_ensure
from accords.demo.accounts import DEMO_PASSWORD
from accords.registry.models import Agreement, Source
from accords.registry.services import agreement_create, agreement_status_record
from accords.transfers import places, services
from accords.transfers.models import ManifestEntry, Referral
from accords.transfers.tests import stages


@pytest.fixture
def world(db):
    world_ensure()
    # The demo's officers work for the United States; the UK's journey needs the UK's own.
    uk = (("uk.officer", "sending_officer"), ("uk.supervisor", "sending_supervisor"))
    for username, role in uk:
        user_create(actor=None, username=username, password=DEMO_PASSWORD, role=role,
                    sending_state="GB")  # fmt: skip
    return {u.username: u for u in User.objects.all()}


def _person(number: str, **sections) -> Person:
    doc = case_doc(number, notices=[], acceptances=[], **sections)
    case_import(actor=None, records=[(1, doc)], source="test")
    return Person.objects.get(case_number=number)


def _journey_ends_in_a_hand_over(world, referral, flight) -> ManifestEntry:
    """Plan, lock and depart the flight, then hand the person over in Kigali."""
    supervisor = world["sending.supervisor"]
    plan = services.plan_create(actor=supervisor, flight=flight, policy_name="default-2026")
    assert plan.solver["people_placed"] == 1, plan.solver["held_back"]
    services.manifest_lock(actor=supervisor, manifest=flight.manifest)
    result = services.manifest_depart(actor=supervisor, manifest=flight.manifest)
    assert result["departed"] == [referral.person.case_number], result
    entry = ManifestEntry.objects.get(referral=referral, manifest=flight.manifest)
    services.handover_record(actor=world["receiving.officer"], entry=entry, at=timezone.now(),
                             place="Kigali International Airport")  # fmt: skip
    entry.refresh_from_db()
    assert entry.status == "handed_over" and entry.handed_over_place
    assert Referral.objects.get(pk=referral.pk).status == "handed_over"
    return entry


def _steps_since(seq: int) -> list[str]:
    return list(AuditEntry.objects.filter(seq__gt=seq).values_list("action", flat=True))


@pytest.mark.django_db
def test_us_journey_from_referral_to_hand_over(world):
    officer, supervisor = world["sending.officer"], world["sending.supervisor"]
    person = _person("J-1")
    rwanda = Agreement.objects.get(key="us-rwanda")
    start = AuditEntry.objects.latest("seq").seq
    referral = services.referral_create(actor=officer, person=person, agreement=rwanda,
                                        proposed_on=timezone.localdate())  # fmt: skip
    notice = services.notice_serve(actor=officer, referral=referral, language="es")
    assert notice.understood and notice.destination == "RW"
    assert "Ruanda" in referral.notices.get().text  # the Spanish notice names it in Spanish
    services.acceptance_decide(actor=world["receiving.officer"], referral=referral,
                               decision="accepted")  # fmt: skip

    # Served just now: under the rule in force the notice window has not run yet.
    early = services.flight_create(actor=supervisor, agreement=rwanda,
                                   departs_on=timezone.localdate(), route="IAD-KGL", seats=10)  # fmt: skip
    services.manifest_list(actor=supervisor, manifest=early.manifest, referrals=[referral])
    services.manifest_lock(actor=supervisor, manifest=early.manifest)
    assert services.manifest_depart(actor=supervisor, manifest=early.manifest)["removed"] == ["J-1"]
    entry = ManifestEntry.objects.get(manifest=early.manifest)
    assert {g["gate"] for g in entry.removed_reason} == {"us.notice"}

    # Eleven days on (only the clock is moved), the window has run: the person goes.
    Notice.objects.filter(pk=notice.pk).update(served_at=timezone.now() - timedelta(days=11))
    later = services.flight_create(actor=supervisor, agreement=rwanda,
                                   departs_on=timezone.localdate(), route="IAD-KGL", seats=10)  # fmt: skip
    _journey_ends_in_a_hand_over(world, referral, later)
    assert _steps_since(start) == [
        "referral.create", "notice.serve", "acceptance.decide", "flight.create",
        "manifest.list", "manifest.lock", "manifest.depart", "flight.create", "manifest.list",
        "plan.create", "manifest.lock", "manifest.depart", "handover.record",
    ]  # fmt: skip
    assert log_verify().ok


def _uk_partnership_in_force() -> Agreement:
    """A UK–Rwanda arrangement in force today, for the UK regime's journey. Test data only:
    the real partnership ended on 2024-07-06 (the reference data says so)."""
    source = Source.objects.order_by("key").first().key
    agreement = agreement_create(actor=None, key="uk-rwanda-test", name="UK–Rwanda (test)",
                                 sending="GB", receiving="RW", kind="asylum_processing",
                                 regime="uk")  # fmt: skip
    agreement_status_record(actor=None, agreement=agreement, status="in_force", on="2024-04-25",
                            sources=[{"source": source, "confidence": "unconfirmed"}])  # fmt: skip
    return agreement


UK_CASE = {"asylum_claim_on": "2024-01-10", "dangerous_journey": True,
           "inadmissible_on": "2024-03-01"}  # fmt: skip


@pytest.mark.django_db
def test_uk_journey_from_referral_to_hand_over(world):
    officer = world["uk.officer"]
    agreement = _uk_partnership_in_force()
    person = _person("J-UK", person={"nationalities": ["AF"], "country_of_birth": "AF",
                                     "languages": ["fa", "en"]}, uk=UK_CASE)  # fmt: skip
    referral = services.referral_create(actor=officer, person=person, agreement=agreement,
                                        proposed_on=timezone.localdate())  # fmt: skip
    with pytest.raises(ValidationError, match="notice of intent or removal directions"):
        services.notice_serve(actor=officer, referral=referral, language="en")

    services.notice_serve(actor=officer, referral=referral, language="en",
                          uk_step="notice_of_intent")  # fmt: skip
    waiting = {
        g["gate"]: g
        for g in case_explanation(person, agreement, timezone.now().replace(tzinfo=None))["gates"]
    }
    assert waiting["uk.notice_of_intent"]["outcome"] == "pending"
    # Twelve days on (detained: seven to answer), removal directions follow; six days after
    # them (72 hours including two working days, whatever the weekday) the person can go.
    UkProcess.objects.filter(person=person).update(
        intent_notice_served_on=timezone.localdate() - timedelta(days=12)
    )
    services.notice_serve(actor=officer, referral=referral, language="en",
                          uk_step="removal_directions")  # fmt: skip
    UkProcess.objects.filter(person=person).update(
        removal_directions_notified_at=timezone.now() - timedelta(days=6)
    )
    flight = services.flight_create(actor=world["uk.supervisor"], agreement=agreement,
                                    departs_on=timezone.localdate(), route="LGW-KGL", seats=5)  # fmt: skip
    _journey_ends_in_a_hand_over(world, referral, flight)
    assert log_verify().ok


@pytest.mark.django_db
def test_a_new_case_file_keeps_the_uk_notice_accords_served(world):
    """The UK step served through Accords survives the sending state's next export, which
    brings a new fact (the asylum claim refused) and no notice date."""
    agreement = _uk_partnership_in_force()
    person = _person("J-UK3", person={"languages": ["en"]}, uk=UK_CASE)
    referral = services.referral_create(actor=world["uk.officer"], person=person,
                                        agreement=agreement, proposed_on=timezone.localdate())  # fmt: skip
    services.notice_serve(actor=world["uk.officer"], referral=referral, language="en",
                          uk_step="notice_of_intent")  # fmt: skip
    export = case_doc("J-UK3", notices=[], acceptances=[], person={"languages": ["en"]},
                      uk={**UK_CASE, "asylum_refused_on": "2024-02-20"})  # fmt: skip
    assert case_import(actor=None, records=[(1, export)], source="t")["updated"] == 1
    process = UkProcess.objects.get(person=person)
    assert process.intent_notice_served_on == timezone.localdate()
    assert process.asylum_refused_on == date(2024, 2, 20)
    assert process.fields_recorded_in_accords == ["intent_notice_served_on"]


@pytest.mark.django_db
def test_a_uk_notice_not_understood_does_not_count_and_us_notices_have_no_steps(world):
    officer = world["uk.officer"]
    agreement = _uk_partnership_in_force()
    person = _person("J-UK2", person={"languages": ["ps"]}, uk=UK_CASE)
    referral = services.referral_create(actor=officer, person=person, agreement=agreement,
                                        proposed_on=timezone.localdate())  # fmt: skip
    notice = services.notice_serve(actor=officer, referral=referral, language="en",
                                   uk_step="notice_of_intent")  # fmt: skip
    assert not notice.understood
    assert UkProcess.objects.get(person=person).intent_notice_served_on is None
    us = services.referral_create(actor=world["sending.officer"], person=_person("J-US2"),
                                  agreement=Agreement.objects.get(key="us-rwanda"),
                                  proposed_on=timezone.localdate())  # fmt: skip
    with pytest.raises(ValidationError, match="Only the UK regime"):
        services.notice_serve(actor=world["sending.officer"], referral=us, language="es",
                              uk_step="notice_of_intent")  # fmt: skip


@pytest.mark.django_db
def test_a_notice_in_a_language_not_understood_is_recorded_as_such(world):
    person = _person("J-2", person={"languages": ["ti"]})
    referral = services.referral_create(actor=world["sending.officer"], person=person,
                                        agreement=Agreement.objects.get(key="us-rwanda"),
                                        proposed_on=timezone.localdate())  # fmt: skip
    notice = services.notice_serve(actor=world["sending.officer"], referral=referral, language="en")
    assert not notice.understood
    with pytest.raises(ValidationError, match="interpreter"):
        services.notice_serve(actor=world["sending.officer"], referral=referral, language="en",
                              interpreter_language="ti")  # fmt: skip
    interpreted = services.notice_serve(
        actor=world["sending.officer"], referral=referral, language="en",
        interpreter_name="A. Interpreter", interpreter_language="ti",
        interpreter_attestation="I read the notice aloud in Tigrinya and the person understood.",
    )  # fmt: skip
    assert interpreted.understood
    with pytest.raises(ValidationError, match="No notice template"):
        services.notice_serve(actor=world["sending.officer"], referral=referral, language="ti")


@pytest.mark.django_db
def test_the_last_place_can_be_taken_once(world):
    palau = stages.in_force("us-palau")
    capacity = places.agreement_limit(palau).people
    assert capacity == 75
    referrals = []
    for i in range(2):
        person = _person(f"K-{i}")
        referrals.append(services.referral_create(actor=world["sending.officer"], person=person,
                                                  agreement=palau, proposed_on=timezone.localdate()))  # fmt: skip
    palau.terms.filter(kind="capacity").update(quantity=1)
    officer = user_create(actor=None, username="palau.officer", password=DEMO_PASSWORD,
                          role="receiving_officer", receiving_state="PW")  # fmt: skip
    services.acceptance_decide(actor=officer, referral=referrals[0], decision="accepted")
    with pytest.raises(ValidationError, match="places are all taken"):
        services.acceptance_decide(actor=officer, referral=referrals[1], decision="accepted")
    assert places.places_taken(palau) == 1


@pytest.mark.django_db
def test_every_step_leaves_exactly_one_audit_entry(world):
    before = AuditEntry.objects.count()
    person = _person("L-1")
    referral = services.referral_create(actor=world["sending.officer"], person=person,
                                        agreement=Agreement.objects.get(key="us-rwanda"),
                                        proposed_on=timezone.localdate())  # fmt: skip
    services.notice_serve(actor=world["sending.officer"], referral=referral, language="es")
    services.referral_withdraw(actor=world["sending.officer"], referral=referral, reason="test")
    actions = list(AuditEntry.objects.filter(seq__gt=before).values_list("action", flat=True))
    assert actions == ["case.import_chunk", "referral.create", "notice.serve", "referral.withdraw"]
    assert Referral.objects.get().status == "withdrawn"
    assert timedelta(0) <= timezone.now() - referral.referred_at


@pytest.mark.django_db
def test_under_the_uk_regime_a_court_order_recorded_after_locking_keeps_the_person_here(world):
    officer, supervisor = world["uk.officer"], world["uk.supervisor"]
    agreement = _uk_partnership_in_force()
    served = {**UK_CASE, "intent_notice_served_on": "2026-01-05",
              "removal_directions_notified_at": "2026-01-20T09:00:00Z"}  # fmt: skip
    person = _person("J-UK3", person={"languages": ["en"]}, uk=served)
    referral = services.referral_create(actor=officer, person=person, agreement=agreement,
                                        proposed_on=timezone.localdate())  # fmt: skip
    flight = services.flight_create(actor=supervisor, agreement=agreement,
                                    departs_on=timezone.localdate(), route="LGW-KGL", seats=5)  # fmt: skip
    services.manifest_list(actor=supervisor, manifest=flight.manifest, referrals=[referral])
    services.manifest_lock(actor=supervisor, manifest=flight.manifest)
    services.stay_record(actor=officer, person=person, granted_by="High Court",
                         valid_from=timezone.localdate())  # fmt: skip
    result = services.manifest_depart(actor=supervisor, manifest=flight.manifest)
    assert result["removed"] == ["J-UK3"]
    entry = ManifestEntry.objects.get(referral=referral)
    assert [g["gate"] for g in entry.removed_reason] == ["uk.no_court_order"]
