"""A UK protection raises the refoulement alert as a US one does, and the database itself keeps
outcomes and alerts: raw SQL can neither edit nor delete them (on SQLite, not delete: there the
models refuse it, see reception's migration 0005)."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accords.cases.facts import engine_base, facts_from_case_file
from accords.cases.models import Protection
from accords.cases.tests.conftest import case_doc
from accords.reception.models import Outcome, RefoulementAlert
from accords.reception.services import oversight as services
from accords.reception.tests.oversight_stages import arrived
from accords.transfers.tests import stages


@pytest.fixture
def world(db):
    return stages.world_make()


def _protected_by_the_uk(world, number: str, kind: str, country: str):
    (arrival,) = arrived(world, number)
    stages.people(number, sections={"protections": [
        {"kind": kind, "country": country, "granted_on": "2023-06-01"}
    ]})  # fmt: skip
    return arrival


def _removed_onward(world, arrival, country: str) -> Outcome:
    return services.outcome_record(actor=world["monitor"], arrival=arrival, kind="removed_onward",
                                   on=timezone.localdate(), country=country)  # fmt: skip


@pytest.mark.parametrize("kind", Protection.UK_KINDS)
def test_removal_onward_to_the_country_the_uk_protects_from_raises_the_alert(world, kind):
    arrival = _protected_by_the_uk(world, "UK-" + kind.replace("_", "-"), kind, "ER")
    assert arrival.person.protections.get().kind == kind  # the case file carried it in
    outcome = _removed_onward(world, arrival, "ER")
    (alert,) = RefoulementAlert.objects.filter(arrival=arrival)
    assert (alert.outcome, alert.kind) == (outcome, "protected_country")
    assert (alert.protection_kind, alert.country) == (kind, "ER")
    assert str(alert.get_protection_kind_display()).endswith("(UK)")


def test_removal_onward_elsewhere_than_the_uk_protected_country_raises_none(world):
    arrival = _protected_by_the_uk(world, "UK-ELSEWHERE", "uk_humanitarian", "ER")
    _removed_onward(world, arrival, "SD")
    assert not RefoulementAlert.objects.exists()


def test_the_us_gates_read_no_uk_protection_as_withholding_or_cat():
    doc = case_doc("UK-FACTS", protections=[
        {"kind": "uk_article_3", "country": "ER", "granted_on": "2023-06-01"},
        {"kind": "cat_deferral", "country": "SV", "granted_on": "2023-06-01"},
    ])  # fmt: skip
    base = engine_base(facts_from_case_file(doc, person_id=1), timezone.localdate())
    assert base["cat_countries"].to_list() == [["SV"]]
    assert base["withholding_countries"].to_list() == [[]]


def _alerted(world, number: str) -> tuple[Outcome, RefoulementAlert]:
    arrival = _protected_by_the_uk(world, number, "uk_refugee", "ER")
    outcome = _removed_onward(world, arrival, "ER")
    return outcome, RefoulementAlert.objects.get(outcome=outcome)


REFUSED = DatabaseError


def _raw(sql: str, params=()) -> None:
    """Raw SQL past the models, as a shell or another client would send it."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize("table", ["reception_outcome", "reception_refoulementalert"])
def test_raw_sql_cannot_edit_an_alert_or_its_outcome(world, table):
    outcome, alert = _alerted(world, "UK-RAW-U-" + table[-5:])
    pk = alert.pk if table.endswith("alert") else outcome.pk
    with pytest.raises(REFUSED, match="kept"):
        _raw(f"UPDATE {table} SET country = 'GT' WHERE id = %s", [pk])
    assert RefoulementAlert.objects.get().country == Outcome.objects.get().country == "ER"


@pytest.mark.parametrize("table", ["reception_refoulementalert", "reception_outcome"])
def test_raw_sql_cannot_delete_an_alert_or_its_outcome(world, table):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite refuses the deletion in the models only (its flush deletes rows)")
    outcome, alert = _alerted(world, "UK-RAW-D-" + table[-5:])
    with pytest.raises(REFUSED, match="kept"):
        _raw(f"DELETE FROM {table}")
    assert RefoulementAlert.objects.filter(pk=alert.pk).exists()
    assert Outcome.objects.filter(pk=outcome.pk).exists()


def test_new_outcomes_and_alerts_are_still_written(world):
    outcome, alert = _alerted(world, "UK-NEW")
    later = services.outcome_record(actor=world["monitor"], arrival=outcome.arrival,
                                    kind="staying", on=timezone.localdate(), corrects=outcome)  # fmt: skip
    assert Outcome.objects.count() == 2 and later.corrects == outcome
    assert RefoulementAlert.objects.get() == alert
