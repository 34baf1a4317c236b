"""Counsel of record outside Accords is served by the officer, who says how; counsel in
Accords is served electronically, always. The notice keeps which counsel it reached."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone

from accords.cases.models import Notice, Person
from accords.cases.services import case_import
from accords.cases.tests.conftest import case_doc
from accords.cases.tests.test_case_file_says_more import OUTSIDE_COUNSEL
from accords.core.tests.world import world_ensure
from accords.registry.models import Agreement
from accords.transfers import services
from accords.transfers.models import Referral


@pytest.fixture
def world(db):
    world_ensure()
    return {u.username: u for u in User.objects.all()}


def _referral(world, number: str, counsel) -> Referral:
    doc = case_doc(number, notices=[], acceptances=[], person={"counsel": counsel})
    case_import(actor=None, records=[(1, doc)], source="test")
    return services.referral_create(
        actor=world["sending.officer"],
        person=Person.objects.get(case_number=number),
        agreement=Agreement.objects.get(key="us-rwanda"),
        proposed_on=timezone.localdate(),
    )


def test_counsel_outside_accords_is_served_as_the_officer_says(world):
    referral = _referral(world, "CO-1", OUTSIDE_COUNSEL)
    officer = world["sending.officer"]
    alone = services.notice_serve(actor=officer, referral=referral, language="es")
    assert (alone.served_on, alone.counsel_service) == ("person", "")
    mailed = services.notice_serve(actor=officer, referral=referral, language="es",
                                   counsel_service="mail")  # fmt: skip
    assert mailed.served_on == "person_and_counsel"
    assert mailed.counsel_bar_number == "NY-555001"
    assert not mailed.document.served_electronically_at
    assert "Ada Placeholder (New York State Bar NY-555001)" in mailed.document.text


@pytest.mark.parametrize(
    "counsel,args,field",
    [
        (OUTSIDE_COUNSEL, {"counsel_service": "electronic"}, "counsel_service"),
        (OUTSIDE_COUNSEL, {"served_on": "person_and_counsel"}, "counsel_service"),
        (None, {"counsel_service": "mail"}, "counsel_service"),
        (OUTSIDE_COUNSEL, {"counsel_service": "pigeon"}, "counsel_service"),
    ],
)
def test_service_on_counsel_that_cannot_be_is_refused_and_nothing_written(
    world, counsel, args, field
):
    referral = _referral(world, "CO-2", counsel)
    before = Notice.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.notice_serve(actor=world["sending.officer"], referral=referral, language="es",
                              **args)  # fmt: skip
    assert field in refused.value.message_dict
    assert Notice.objects.count() == before


def test_counsel_in_accords_is_served_electronically_always(world):
    linked = {**OUTSIDE_COUNSEL, "bar_number": "NY-555002", "account": "counsel"}
    referral = _referral(world, "CO-3", linked)
    assert referral.person.counsel.username == "counsel"
    notice = services.notice_serve(actor=world["sending.officer"], referral=referral,
                                   language="es")  # fmt: skip
    assert (notice.served_on, notice.counsel_service) == ("person_and_counsel", "electronic")
    assert notice.counsel_bar_number == "NY-555002"
    assert notice.document.served_electronically_at == notice.served_at


def test_a_stay_of_one_country_is_recorded_with_its_scope(world):
    referral = _referral(world, "CO-4", None)
    stay = services.stay_record(actor=world["sending.officer"], person=referral.person,
                                granted_by="BIA", valid_from=timezone.localdate(), scope="SV")  # fmt: skip
    assert stay.scope == "SV"
    with pytest.raises(ValidationError):
        services.stay_record(actor=world["sending.officer"], person=referral.person,
                             granted_by="BIA", valid_from=timezone.localdate(), scope="Salvador")  # fmt: skip
