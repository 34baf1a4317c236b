"""Every reception write, on the pages and in the API, refuses one bad field at a time (missing,
a wrong date, a negative amount, an unknown choice, an oversized text) naming the field, with a
422 and nothing written: every reception table and the audit log stay exactly as they were."""

import json
from datetime import timedelta

import pytest
from django import forms
from django.apps import apps
from django.test import Client
from django.utils import timezone

from accords.audit.models import AuditEntry
from accords.demo.accounts import DEMO_PASSWORD
from accords.reception.models import Arrival
from accords.reception.services import care
from accords.reception.services import oversight as services
from accords.reception.tests import care_stages
from accords.reception.tests.oversight_stages import monitored
from accords.transfers.tests import stages

BIG = "x" * 300_000  # a few hundred KB: beyond every text's bound
MISSING = object()  # the field left out
TODAY = timezone.localdate


@pytest.fixture(scope="module")
def built(built_once):
    return built_once(_world_make)


@pytest.fixture
def world(built, db):
    """The world is built once for the module's hundred tests; each test rolls back to it."""
    return built


def _world_make() -> dict:
    world = stages.world_make()
    world.update(care_stages.care_world(world))
    monitored(world)
    arrival = Arrival.objects.get(pk=world["arrival"])
    cycle = care.stipend_cycle_approve(actor=world["receiving.officer"],
                                       cycle=arrival.entitlements.get().cycle)  # fmt: skip
    concern = services.concern_raise(actor=world["monitor"], arrival=arrival, severity="high",
                                     text="Synthetic: no interpreter at the clinic.")  # fmt: skip
    grievance = services.grievance_file(actor=world["monitor"], arrival=arrival,
                                        subject="housing", text="Synthetic: the roof leaks.")  # fmt: skip
    world.update(concern=concern.pk, grievance=grievance.pk, cycle=cycle.pk,
                 agreement=arrival.agreement_id)  # fmt: skip
    return world


def _snapshot() -> dict:
    """Every row of every reception table, and the audit log's length."""
    rows = {model._meta.db_table: list(model._base_manager.order_by("pk").values())
            for model in apps.get_app_config("reception").get_models()}  # fmt: skip
    return {"rows": rows, "audit": AuditEntry.objects.count()}


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def _body(base: dict, field: str, value) -> dict:
    body = dict(base)
    if value is MISSING:
        body.pop(field, None)
    else:
        body[field] = value
    return body


def _day(days: int = 0) -> str:
    return (TODAY() + timedelta(days=days)).isoformat()


# --- the pages ----------------------------------------------------------------------------------

# (who, url from the world, the valid form, its prefix)
PAGES = {
    "intake": ("receiving.officer", "/reception/care/arrivals/{arrival}/intake/",
               {"housed_at": "Hostel", "consent": "on", "recorded_on": _day()}, ""),
    "plan": ("receiving.officer", "/reception/care/arrivals/{arrival}/plan/",
             {"agreed_on": _day(), "goals": "Work within six months."}, ""),
    "service": ("receiving.officer", "/reception/care/arrivals/{arrival}/services/",
                {"kind": "documents", "document": "identity", "provider": "Registry",
                 "requested_on": _day(), "due_on": _day(10)}, ""),
    "service_outcome": ("receiving.officer", "/reception/care/services/{care_service}/outcome/",
                        {"outcome": "done", "outcome_on": _day()}, ""),
    "programme": ("receiving.officer", "/reception/care/stipends/open/",
                  {"agreement": "{agreement}"}, ""),
    "cycle": ("receiving.officer", "/reception/care/programmes/{programme}/cycles/",
              {"starts_on": care_stages.first_of_month(1).isoformat()}, ""),
    "payment": ("receiving.officer", "/reception/care/entitlements/{entitlement}/payments/",
                {"outcome": "paid", "amount": "10.00", "on": _day()}, ""),
    "concern": ("monitor", "/reception/monitoring/concerns/",
                {"arrival": "{arrival}", "severity": "low", "text": "Synthetic."}, "concern"),
    "concern_answer": ("receiving.officer", "/reception/concerns/{concern}/answer/",
                       {"answer": "Synthetic: an interpreter now."}, "concern-{concern}"),
    "grievance": ("monitor", "/reception/grievances/",
                  {"arrival": "{arrival}", "subject": "health", "text": "Synthetic."}, "file"),
    "grievance_answer": ("receiving.officer", "/reception/grievances/{grievance}/answer/",
                         {"answer": "Synthetic: mended.", "resolution": "upheld",
                          "answered_on": _day()}, "grievance-{grievance}"),
}  # fmt: skip

PAGE_CASES = [
    ("intake", "housed_at", MISSING), ("intake", "housed_at", BIG),
    ("intake", "recorded_on", "31/02/2026"), ("intake", "recorded_on", "9999-12-31"),
    ("intake", "needs", "wealth"), ("intake", "needs_note", BIG),
    ("plan", "goals", MISSING), ("plan", "goals", BIG), ("plan", "agreed_on", "soon"),
    ("service", "kind", "spaceflight"), ("service", "provider", MISSING),
    ("service", "provider", BIG), ("service", "due_on", "2026-02-30"),
    ("service", "funding_term", "999999"), ("service", "document", "passport-of-mars"),
    ("service_outcome", "outcome", "lost"), ("service_outcome", "outcome_on", MISSING),
    ("service_outcome", "outcome_on", "9999-12-31"), ("service_outcome", "employer", BIG),
    ("programme", "agreement", "999999"), ("programme", "agreement", MISSING),
    ("cycle", "starts_on", "first of the month"), ("cycle", "starts_on", MISSING),
    ("payment", "amount", "-5.00"), ("payment", "amount", "0"), ("payment", "amount", "lots"),
    ("payment", "outcome", "stolen"), ("payment", "on", MISSING), ("payment", "reference", BIG),
    ("concern", "severity", "apocalyptic"), ("concern", "text", MISSING),
    ("concern", "text", BIG), ("concern", "arrival", "999999"),
    ("concern_answer", "answer", MISSING), ("concern_answer", "answer", BIG),
    ("grievance", "subject", "weather"), ("grievance", "text", BIG),
    ("grievance", "arrival", MISSING),
    ("grievance_answer", "resolution", "maybe"), ("grievance_answer", "answered_on", "yesterday"),
    ("grievance_answer", "answered_on", "9999-12-31"), ("grievance_answer", "answer", MISSING),
]  # fmt: skip


def _fill(text: str, world) -> str:
    return text.format(**world) if isinstance(text, str) else text


def _form_errors(response) -> set[str]:
    """The fields the bound forms on the page answer with errors."""
    named = set()
    for context in response.context or []:
        for value in context.dicts if hasattr(context, "dicts") else [context]:
            for item in value.values() if isinstance(value, dict) else []:
                if isinstance(item, forms.BaseForm) and item.is_bound:
                    named |= set(item.errors)
    return named


@pytest.mark.parametrize(("page", "field", "value"), PAGE_CASES)
def test_a_page_refuses_one_bad_field_naming_it_and_writes_nothing(world, page, field, value):
    who, url, valid, prefix = PAGES[page]
    body = {key: _fill(v, world) for key, v in _body(valid, field, value).items()}
    prefix = _fill(prefix, world)
    posted = {(f"{prefix}-{key}" if prefix else key): v for key, v in body.items()}
    before = _snapshot()
    answer = _client(who).post(_fill(url, world), posted)
    assert answer.status_code in (400, 422), answer.status_code
    assert field in _form_errors(answer)
    assert _snapshot() == before


# The world's one agreement with a stipend term has its programme open already: opening it
# again is refused (the test after the next), so its valid form is checked by that refusal.
OPENING_ANEW = sorted(set(PAGES) - {"programme"})


@pytest.mark.parametrize("page", OPENING_ANEW)
def test_each_page_accepts_its_valid_form(world, page):
    """The table's valid forms are valid: what the bad ones are refused for is the one field."""
    who, url, valid, prefix = PAGES[page]
    prefix = _fill(prefix, world)
    body = {(f"{prefix}-{key}" if prefix else key): _fill(v, world) for key, v in valid.items()}
    answer = _client(who).post(_fill(url, world), body)
    assert answer.status_code == 302, _form_errors(answer)


def test_a_second_programme_for_an_agreement_is_refused_on_the_page_and_in_the_api(world):
    who, url, valid, prefix = PAGES["programme"]
    before = _snapshot()
    answer = _client(who).post(_fill(url, world), {
        (f"{prefix}-{key}" if prefix else key): _fill(v, world) for key, v in valid.items()
    })  # fmt: skip
    assert answer.status_code in (400, 422), answer.status_code
    assert "agreement" in _form_errors(answer)
    who, url, valid = API["programme"]
    answer = _client(who).post(
        _fill(url, world), json.dumps(valid), content_type="application/json"
    )
    assert answer.status_code in (400, 409, 422), answer.status_code
    assert "agreement" in json.dumps(answer.json()["detail"])
    assert _snapshot() == before


# --- the API ------------------------------------------------------------------------------------

API = {
    "intake": ("receiving.officer", "/api/reception/arrivals/{arrival}/intake",
               {"housed_at": "Hostel", "consent": True, "recorded_on": _day()}),
    "plan": ("receiving.officer", "/api/reception/arrivals/{arrival}/plan",
             {"agreed_on": _day(), "goals": "Work within six months."}),
    "service": ("receiving.officer", "/api/reception/arrivals/{arrival}/services",
                {"kind": "documents", "document": "identity", "provider": "Registry",
                 "requested_on": _day(), "due_on": _day(10)}),
    "service_outcome": ("receiving.officer", "/api/reception/services/{care_service}/outcome",
                        {"outcome": "done", "outcome_on": _day()}),
    "programme": ("receiving.officer", "/api/reception/stipend-programmes",
                  {"agreement": "us-rwanda"}),
    "cycle": ("receiving.officer", "/api/reception/stipend-programmes/{programme}/cycles",
              {"starts_on": care_stages.first_of_month(1).isoformat()}),
    "payment": ("receiving.officer", "/api/reception/entitlements/{entitlement}/payments",
                {"outcome": "paid", "amount": "10.00", "on": _day()}),
    "concern": ("monitor", "/api/reception/concerns",
                {"arrival": "{arrival}", "severity": "low", "text": "Synthetic."}),
    "concern_answer": ("receiving.officer", "/api/reception/concerns/{concern}/answer",
                       {"answer": "Synthetic: an interpreter now."}),
    "grievance": ("monitor", "/api/reception/grievances",
                  {"arrival": "{arrival}", "subject": "health", "text": "Synthetic."}),
    "grievance_answer": ("receiving.officer", "/api/reception/grievances/{grievance}/answer",
                         {"answer": "Synthetic: mended.", "resolution": "upheld",
                          "answered_on": _day()}),
}  # fmt: skip

API_CASES = [
    ("plan", "goals", MISSING), ("plan", "goals", ""), ("plan", "goals", BIG),
    ("plan", "agreed_on", "2026-13-01"), ("plan", "agreed_on", "9999-12-31"),
    ("service", "kind", "spaceflight"), ("service", "provider", ""), ("service", "provider", BIG),
    ("service", "due_on", "2026-02-30"), ("service", "funding_term", "no-such-term"),
    ("service", "requested_on", MISSING),
    ("service_outcome", "outcome", "lost"), ("service_outcome", "outcome_on", MISSING),
    ("service_outcome", "outcome_on", "9999-12-31"), ("service_outcome", "place", BIG),
    ("programme", "agreement", ""), ("programme", "agreement", MISSING),
    ("programme", "agreement", BIG),
    ("cycle", "starts_on", "first of the month"), ("cycle", "starts_on", MISSING),
    ("payment", "amount", "-5.00"), ("payment", "amount", "0"), ("payment", "amount", "lots"),
    ("payment", "outcome", "stolen"), ("payment", "on", MISSING), ("payment", "reference", BIG),
    ("concern", "severity", "apocalyptic"), ("concern", "text", ""), ("concern", "text", BIG),
    ("concern", "arrival", MISSING), ("concern", "arrival", "many"),
    ("concern_answer", "answer", ""), ("concern_answer", "answer", BIG),
    ("grievance", "subject", "weather"), ("grievance", "text", BIG),
    ("grievance", "arrival", -1),
    ("grievance_answer", "resolution", "maybe"), ("grievance_answer", "answered_on", "yesterday"),
    ("grievance_answer", "answered_on", "9999-12-31"), ("grievance_answer", "answer", MISSING),
]  # fmt: skip


@pytest.mark.parametrize(("endpoint", "field", "value"), API_CASES)
def test_an_api_write_refuses_one_bad_field_naming_it_and_writes_nothing(world, endpoint, field,
                                                                         value):  # fmt: skip
    who, url, valid = API[endpoint]
    body = {key: _fill(v, world) for key, v in _body(valid, field, value).items()}
    if endpoint in ("concern", "grievance") and isinstance(body.get("arrival"), str):
        body["arrival"] = int(body["arrival"]) if body["arrival"].isdigit() else body["arrival"]
    before = _snapshot()
    answer = _client(who).post(_fill(url, world), json.dumps(body),
                               content_type="application/json")  # fmt: skip
    assert answer.status_code in (400, 422), (answer.status_code, answer.content[:300])
    assert field in json.dumps(answer.json()["detail"])
    assert _snapshot() == before


@pytest.mark.parametrize("endpoint", sorted(set(API) - {"programme"}))
def test_each_api_write_accepts_its_valid_body(world, endpoint):
    who, url, valid = API[endpoint]
    body = {key: _fill(v, world) for key, v in valid.items()}
    if "arrival" in body:
        body["arrival"] = int(body["arrival"])
    answer = _client(who).post(_fill(url, world), json.dumps(body),
                               content_type="application/json")  # fmt: skip
    assert answer.status_code in (200, 201), answer.content[:300]
