"""Fuzzing the whole JSON API from its own OpenAPI document, signed in as every role and as
nobody: whatever is sent, the server answers within its documented responses, in the shape the
document gives them, and never fails with a 5xx.

`make test` sends at least 2,000 requests, an even share from each role (each role on one of
the two databases, in turn), spread over every operation (EXAMPLES each; fewer where an operation has fewer distinct inputs), against a
small world of people at every stage (referred, noticed, accepted, on a flight), so that the
generated ids reach real records and not only "not found"."""

import os
from contextlib import contextmanager

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accords.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from accords.transfers.models import Referral
from accords.transfers.tests import stages
from accords.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
ROLES = [username for username, *_ in DEMO_ACCOUNTS] + ["anonymous"]
# The fuzzing is the suite's largest item. `make test` runs the suite on SQLite and on
# PostgreSQL: each role is fuzzed on one of the two, in turn, so every role is fuzzed and each
# database by half the roles, both under the same checks. ACCORDS_FUZZ_EVERY_ROLE=1 fuzzes
# every role on the database in use.
_ON_POSTGRESQL = "postgresql" in django_settings.DATABASES["default"]["ENGINE"]
ROLES_HERE = (
    ROLES
    if os.environ.get("ACCORDS_FUZZ_EVERY_ROLE") == "1"
    else [role for i, role in enumerate(ROLES) if (i % 2 == 1) == _ON_POSTGRESQL]
)
REQUESTS = 2000
EXAMPLES = 4  # ~90 operations: 4 each still sends over REQUESTS (3 did not: 195 a role)


@pytest.fixture(scope="module")
def built(built_once):
    return built_once(_world_make)


@pytest.fixture
def world(built, db):
    """Built once for every role's fuzzing; each test rolls back to it."""
    return built


def _world_make() -> dict:
    """People at each stage of a transfer, so ids 1, 2, 3... name real referrals, notices, fear
    claims, flights and manifests."""
    world = stages.world_make()
    first, second, third = stages.people("FZ-1", "FZ-2", "FZ-3")
    stages.ready(world, first)
    stages.noticed(world, stages.referred(world, second))
    stages.referred(world, third, "us-eswatini")
    stages.flight(world)
    return world


@contextmanager
def in_process():
    """The app runs in this thread, inside the test's transaction. Django closes a connection
    it finds in a transaction at the end of each request; its own test client stops that for
    its requests only, and schemathesis calls the WSGI application directly, so it is stopped
    here the same way, after the test client's sign-in has put it back."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _signed_in(username: str) -> dict:
    """The keyword arguments of a call made as this user: the session and CSRF cookies and the
    CSRF header session-authenticated writes need; nothing for anonymous. (Cookies go as
    cookies: the in-process WSGI client drops a hand-written Cookie header.)"""
    if username == "anonymous":
        return {}
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    client.get("/accounts/login/")
    cookies = {name: client.cookies[name].value for name in ("sessionid", "csrftoken")}
    return {"cookies": cookies, "headers": {"X-CSRFToken": cookies["csrftoken"]}}


def _fuzz(operation, signed_in: dict, examples: int) -> int:
    sent = 0

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(case=operation.as_strategy())
    def run(case):
        nonlocal sent
        sent += 1
        case.call_and_validate(checks=CHECKS, **signed_in)

    run()
    return sent


@pytest.mark.parametrize("username", ROLES_HERE)
def test_the_api_never_fails_and_keeps_to_its_document_for_every_role(world, username):
    signed_in = _signed_in(username)
    operations = [result.ok() for result in schema.get_all_operations()]
    failures, sent = [], 0
    with in_process():
        for operation in operations:
            try:
                sent += _fuzz(operation, signed_in, EXAMPLES)
            except Exception as failure:  # noqa: BLE001 - each operation's failure is reported
                failures.append(f"{operation.label}: {failure}")
    assert not failures, f"as {username}:\n" + "\n\n".join(failures)
    assert sent >= -(-REQUESTS // len(ROLES)), sent


@pytest.mark.parametrize(
    "path,query",
    [("/api/referrals", "limit=47319958700283683405824"),
     ("/api/referrals", "offset=10000000000000000000"),
     ("/api/cases", "limit=47319958700283683405824")],  # the caseload pages by key, not offset
)  # fmt: skip
def test_a_page_beyond_what_a_database_can_count_is_refused_naming_it(client, world, path, query):
    """Found by the fuzzing: the limit and offset went to the database unbounded (a 500)."""
    assert client.login(username="sending.supervisor", password=DEMO_PASSWORD)
    response = client.get(f"{path}?{query}")
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"][-1] == query.split("=")[0]


def test_a_referral_read_names_the_time_zone_of_its_explanation(world):
    """Its `as_of` was a naive date-time, which the document's date-time format refuses."""
    referral = Referral.objects.order_by("pk").first()
    case = schema["/api/referrals/{referral_id}"]["GET"].Case(
        path_parameters={"referral_id": referral.pk}
    )
    signed_in = _signed_in("sending.officer")
    with in_process():
        response = case.call_and_validate(checks=CHECKS, **signed_in)
    assert response.status_code == 200
    assert response.json()["explanation"]["as_of"].endswith(("Z", "+00:00"))
