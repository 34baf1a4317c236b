"""A refusal and a missing page are pages people can read, with the site around them, not bare
lines: a signed-in user is told their role, and the way back."""

import pytest
from django.test import Client

from accords.core.tests.world import world_ensure
from accords.demo.accounts import DEMO_PASSWORD


@pytest.fixture
def finance(db):
    world_ensure()
    client = Client()
    assert client.login(username="finance", password=DEMO_PASSWORD)
    return client


def test_a_refused_page_says_whose_it_is_not_and_the_way_back(finance):
    response = finance.get("/counsel/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "This page is not open to your role" in page
    assert "You are signed in as Finance officer" in page
    assert 'href="/"' in page and "Sign out" in page
    assert "The page asked for: <code>/counsel/</code>" in page


def test_a_missing_page_is_a_page(finance):
    for missing in ("/no-such-page/", "/cases/NO-SUCH-CASE/"):
        response = finance.get(missing)
        assert response.status_code == 404
        page = response.content.decode()
        assert "Nothing here" in page and "Traceback" not in page
        assert f"What was asked for: <code>{missing}</code>" in page
        assert "Back to your home page" in page
