"""Fuzzing the whole JSON API from its own OpenAPI document: whatever is sent, the server
answers within its documented responses and never fails with a 5xx."""

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, settings

from accords.demo.accounts import DEMO_PASSWORD, demo_accounts_ensure
from accords.registry.reference import reference_data_load
from accords.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def staff_headers(transactional_db):
    """A signed-in reference-data editor, with the CSRF token session-authenticated writes need."""
    reference_data_load(actor=None)
    demo_accounts_ensure()
    client = Client()
    client.login(username="registry.editor", password=DEMO_PASSWORD)
    client.get("/accounts/login/")
    session = client.cookies["sessionid"].value
    token = client.cookies["csrftoken"].value
    return {"Cookie": f"sessionid={session}; csrftoken={token}", "X-CSRFToken": token}


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_never_fails_on_any_input(case, staff_headers):
    case.call_and_validate(headers=staff_headers)
