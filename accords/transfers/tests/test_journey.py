"""The whole journey, referral to hand-over, one scenario per regime, through the services."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone

from accords.audit.log import log_verify
from accords.audit.models import AuditEntry
from accords.cases.models import Person
from accords.cases.services import case_import
from accords.cases.tests.conftest import case_doc
from accords.demo.accounts import demo_accounts_ensure
from accords.registry.models import Agreement
from accords.registry.reference import reference_data_load
from accords.transfers import places, services
from accords.transfers.models import ManifestEntry, Referral


@pytest.fixture
def world(db):
    reference_data_load(actor=None)
    demo_accounts_ensure()
    return {u.username: u for u in User.objects.all()}


def _person(number: str, **sections) -> Person:
    doc = case_doc(number, notices=[], acceptances=[], **sections)
    case_import(actor=None, records=[(1, doc)], source="test")
    return Person.objects.get(case_number=number)


@pytest.mark.django_db
def test_us_journey_from_referral_to_hand_over(world, settings):
    officer, supervisor = world["sending.officer"], world["sending.supervisor"]
    receiving = world["receiving.officer"]
    person = _person("J-1")
    rwanda = Agreement.objects.get(key="us-rwanda")
    referral = services.referral_create(actor=officer, person=person, agreement=rwanda,
                                        proposed_on=timezone.localdate())  # fmt: skip
    notice = services.notice_serve(actor=officer, referral=referral, language="es")
    assert notice.understood and notice.destination == "RW"
    assert "Rwanda" in referral.notices.get().text
    services.acceptance_decide(actor=receiving, referral=referral, decision="accepted")
    flight = services.flight_create(actor=supervisor, agreement=rwanda,
                                    departs_on=timezone.localdate(), route="KGL", seats=10)  # fmt: skip
    services.manifest_list(actor=supervisor, manifest=flight.manifest, referrals=[referral])
    services.manifest_lock(actor=supervisor, manifest=flight.manifest)
    # Served just now: under the rule in force the notice window has not run yet.
    early = services.manifest_depart(actor=supervisor, manifest=flight.manifest)
    assert early["removed"] == ["J-1"]
    entry = ManifestEntry.objects.get()
    assert {g["gate"] for g in entry.removed_reason} == {"us.notice"}
    assert log_verify().ok


@pytest.mark.django_db
def test_a_notice_in_a_language_not_understood_is_recorded_as_such(world):
    person = _person("J-2", person={"languages": ["ti"]})
    referral = services.referral_create(actor=world["sending.officer"], person=person,
                                        agreement=Agreement.objects.get(key="us-rwanda"),
                                        proposed_on=date(2026, 1, 1))  # fmt: skip
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
    palau = Agreement.objects.get(key="us-palau")
    capacity = places.agreement_limit(palau).people
    assert capacity == 75
    referrals = []
    for i in range(2):
        person = _person(f"K-{i}")
        referrals.append(services.referral_create(actor=world["sending.officer"], person=person,
                                                  agreement=palau, proposed_on=date(2026, 1, 1)))  # fmt: skip
    palau.terms.filter(kind="capacity").update(quantity=1)
    services.acceptance_decide(
        actor=world["receiving.officer"], referral=referrals[0], decision="accepted"
    )
    with pytest.raises(ValidationError, match="places are all taken"):
        services.acceptance_decide(
            actor=world["receiving.officer"], referral=referrals[1], decision="accepted"
        )
    assert places.places_taken(palau) == 1


@pytest.mark.django_db
def test_every_step_leaves_exactly_one_audit_entry(world):
    before = AuditEntry.objects.count()
    person = _person("L-1")
    referral = services.referral_create(actor=world["sending.officer"], person=person,
                                        agreement=Agreement.objects.get(key="us-rwanda"),
                                        proposed_on=date(2026, 1, 1))  # fmt: skip
    services.notice_serve(actor=world["sending.officer"], referral=referral, language="es")
    services.referral_withdraw(actor=world["sending.officer"], referral=referral, reason="test")
    actions = list(AuditEntry.objects.filter(seq__gt=before).values_list("action", flat=True))
    assert actions == ["case.import", "referral.create", "notice.serve", "referral.withdraw"]
    assert Referral.objects.get().status == "withdrawn"
    assert timedelta(0) <= timezone.now() - referral.referred_at
