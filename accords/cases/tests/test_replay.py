"""A stored decision names the regime file's version and the rule code's hash; its replay says
what changed since."""

import pytest
from django.core.management import call_command

from accords.cases.models import Decision, Screening
from accords.cases.screening import rules_since
from accords.cases.services import case_import
from accords.cases.tests.conftest import answered_in_accords, case_doc
from accords.law.regime import load_regime
from accords.law.rule_code import ENGINE, regime_code, rule_codes


@pytest.fixture
def stored(reference_data):
    case_import(actor=None, records=[(1, case_doc("R-1"))], source="t")
    answered_in_accords("R-1")
    call_command("screen", "--as-of", "2025-09-01")
    return Decision.objects.select_related("screening", "agreement").get(
        person__case_number="R-1", agreement__key="us-rwanda"
    )


@pytest.mark.django_db
def test_a_stored_decision_records_the_code_its_gates_ran(stored):
    us = load_regime("us")
    assert stored.rule_code == regime_code(us)
    assert Screening.objects.get().rule_codes["us"] == rule_codes(us)
    since = rules_since(stored)
    assert not since["regime_changed"] and not since["code_changed"]
    assert since["said"] == "the regime file is the same; the rule code is unchanged"


@pytest.mark.django_db
def test_replay_says_which_gates_code_changed_since(stored):
    screening = stored.screening
    codes = screening.rule_codes
    codes["us"] = {**codes["us"], "us.notice": "a" * 16, ENGINE: "b" * 16}
    Screening.objects.filter(pk=screening.pk).update(rule_codes=codes)
    Decision.objects.filter(pk=stored.pk).update(rule_code="c" * 16, regime_version="us@old")
    since = rules_since(Decision.objects.select_related("screening", "agreement").get(pk=stored.pk))
    assert since["code_changed"] and since["regime_changed"]
    assert since["gates_changed"] == [ENGINE, "us.notice"]
    assert since["said"] == (
        "the regime file changed since; the rule code changed since: the engine, us.notice"
    )


@pytest.mark.django_db
def test_a_decision_stored_before_the_code_was_recorded_says_so(stored, client, accounts):
    Decision.objects.filter(pk=stored.pk).update(rule_code="")
    Screening.objects.filter(pk=stored.screening_id).update(rule_codes={})
    since = rules_since(Decision.objects.select_related("screening", "agreement").get(pk=stored.pk))
    assert not since["code_changed"]
    assert "cannot tell" in since["said"]
    client.force_login(accounts["sending.officer"])
    page = client.get("/cases/R-1/").content.decode()
    assert "cannot tell" in page and "replay" in page
