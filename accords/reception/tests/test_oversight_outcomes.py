"""Outcomes and refoulement alerts: an onward removal to a country the person is protected from
raises an alert the moment it is recorded; corrections are new records, and the alert stays."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accords.audit.models import AuditEntry
from accords.reception.models import Outcome, RefoulementAlert
from accords.reception.selectors import oversight as selectors
from accords.reception.services import oversight as services
from accords.reception.tests.oversight_stages import arrived
from accords.registry.models import Term
from accords.transfers.tests import stages

TODAY = timezone.localdate


@pytest.fixture
def world(db):
    return stages.world_make()


def _record(world, arrival, kind, *, who="receiving.officer", **values):
    return services.outcome_record(actor=world[who], arrival=arrival, kind=kind,
                                   on=values.pop("on", TODAY()), **values)  # fmt: skip


def test_removal_onward_to_a_protected_country_raises_an_alert_at_once(world):
    (arrival,) = arrived(world, "OO-1", protected=True)
    outcome = _record(world, arrival, "removed_onward", country="SV")
    (alert,) = RefoulementAlert.objects.filter(arrival=arrival)
    assert alert.outcome == outcome
    assert alert.kind == "protected_country"
    assert (alert.protection_kind, alert.country) == ("withholding", "SV")
    arrival.refresh_from_db()
    assert arrival.left_on == TODAY()


def test_removal_elsewhere_or_without_protection_raises_none(world):
    protected, unprotected = arrived(world, "OO-2", protected=True), arrived(world, "OO-3")
    _record(world, protected[0], "removed_onward", country="GT")
    _record(world, unprotected[0], "removed_onward", country="SV")
    _record(world, protected[0], "returned_home", country="SV",
            corrects=Outcome.objects.get(arrival=protected[0]))  # fmt: skip
    assert not RefoulementAlert.objects.exists()


def test_the_monitor_the_sending_state_and_counsel_see_the_alert_and_the_public_a_count(world):
    (arrival,) = arrived(world, "OO-4", protected=True, counsel="counsel")
    arrived(world, "OO-4B", protected=True)  # another's client: counsel does not see it
    _record(world, arrival, "removed_onward", country="SV", who="monitor")
    assert arrival.person.counsel == world["counsel"]
    seen = {name: selectors.alerts_visible(world[name]).count() for name in world}
    assert seen["monitor"] == seen["sending.officer"] == seen["sending.supervisor"] == 1
    assert seen["counsel"] == 1
    assert seen["receiving.officer"] == seen["finance"] == seen["auditor"] == 0
    assert seen["eswatini.officer"] == seen["registry.editor"] == 0
    (row,) = selectors.refoulement_alerts_by_agreement_month()
    assert row == {"agreement": "us-rwanda", "month": TODAY().replace(day=1), "people": 1}


def test_a_correction_is_a_new_record_and_the_alert_stays_with_its_history(world):
    (arrival,) = arrived(world, "OO-5", protected=True)
    wrong = _record(world, arrival, "removed_onward", country="SV")
    corrected = _record(world, arrival, "staying", corrects=wrong)
    (alert,) = RefoulementAlert.objects.all()
    assert selectors.alert_history(alert) == [wrong, corrected]
    assert selectors.outcome_current(arrival) == corrected
    arrival.refresh_from_db()
    assert arrival.left_on is None
    with pytest.raises(ValidationError) as raised:
        _record(world, arrival, "left", corrects=wrong)
    assert "corrects" in raised.value.message_dict


@pytest.mark.parametrize("attempt", ["delete", "queryset_delete", "update", "save"])
def test_no_alert_and_no_outcome_can_be_edited_or_deleted(world, attempt):
    (arrival,) = arrived(world, "OO-6", protected=True)
    outcome = _record(world, arrival, "removed_onward", country="SV")
    alert = RefoulementAlert.objects.get()
    for record in (alert, outcome):
        with pytest.raises(ValidationError):
            if attempt == "delete":
                record.delete()
            elif attempt == "queryset_delete":
                type(record).objects.filter(pk=record.pk).delete()
            elif attempt == "update":
                type(record).objects.filter(pk=record.pk).update(country="GT")
            else:
                record.country = "GT"
                record.save()
    assert RefoulementAlert.objects.get().country == "SV"
    assert Outcome.objects.get().country == "SV"


def test_an_agreements_bar_on_removal_raises_the_second_kind_of_alert(world):
    (arrival,) = arrived(world, "OO-7")
    outcome = Outcome.objects.create(arrival=arrival, kind="returned_home", on=TODAY(),
                                     country="HN", recorded_by=world["monitor"])  # fmt: skip
    bar = Term.objects.filter(agreement=arrival.agreement).first()
    (alert,) = services.refoulement_check(outcome, bar=bar)
    assert alert.kind == "pending_claim" and alert.term == bar
    assert services.refoulement_check(outcome, bar=None) == []


def test_the_bar_in_force_is_asked_for_each_outcome(world, monkeypatch):
    (arrival,) = arrived(world, "OO-8")
    bar = Term.objects.filter(agreement=arrival.agreement).first()
    asked = []
    monkeypatch.setattr(services, "onward_removal_bar",
                        lambda agreement, on: asked.append((agreement.key, on)) or bar)  # fmt: skip
    _record(world, arrival, "removed_onward", country="CD")
    assert asked == [("us-rwanda", TODAY())]
    assert RefoulementAlert.objects.get().kind == "pending_claim"


def test_each_outcome_is_one_audit_entry_without_the_persons_note(world):
    (arrival,) = arrived(world, "OO-9", protected=True)
    start = AuditEntry.objects.count()
    _record(world, arrival, "removed_onward", country="SV", note="Seen boarding at dawn.")
    (entry,) = AuditEntry.objects.all()[start:]
    assert entry.action == "outcome.record"
    assert "Seen boarding" not in str(entry.details)
    assert entry.details["arguments"]["kind"] == "removed_onward"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": "removed_onward"}, "country"),
        ({"kind": "left", "country": "SV"}, "country"),
        ({"kind": "removed_onward", "country": "ZZ"}, "country"),
        ({"kind": "vanished"}, "kind"),
        ({"kind": "left", "on": TODAY() + timedelta(days=9)}, "on"),
        ({"kind": "left", "on": TODAY().replace(year=1)}, "on"),
        ({"kind": "left", "on": TODAY() - timedelta(days=3)}, "on"),
        ({"kind": "left", "note": "a\x00b"}, "note"),
        ({"kind": "left", "note": "x" * 50_000_000}, "note"),
    ],
)
def test_bad_outcomes_are_refused_naming_the_field_and_nothing_is_written(world, values, field):
    (arrival,) = arrived(world, "OO-10")
    start = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as raised:
        _record(world, arrival, **values)
    assert field in raised.value.message_dict
    assert not Outcome.objects.exists() and AuditEntry.objects.count() == start


def test_only_the_receiving_state_and_monitors_record_outcomes(world):
    (arrival,) = arrived(world, "OO-11")
    for name in ("sending.officer", "counsel", "finance", "auditor", "eswatini.officer"):
        with pytest.raises(ValidationError):
            _record(world, arrival, "left", who=name)
    assert not Outcome.objects.exists()
