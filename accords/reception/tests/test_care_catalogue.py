"""The caseworker's pages in French: the committed `.mo` is its `.po` compiled, every message
is translated, and a page asked for in French comes in French (money in the French way)."""

from decimal import Decimal

import pytest
from babel.messages.pofile import read_po
from django.test import Client
from django.utils import translation

from accords.core.catalogues import catalogues, compiled
from accords.demo.accounts import DEMO_PASSWORD
from accords.reception.templatetags.care_money import money
from accords.transfers.tests import stages


def test_every_compiled_catalogue_is_its_po_compiled():
    found = catalogues()
    assert any(p.parts[-4:-2] == ("locale", "fr") and "reception" in p.parts for p in found)
    for po in found:
        assert po.with_suffix(".mo").read_bytes() == compiled(po), (
            f"{po} changed: run .venv/bin/python -m accords.core.catalogues"
        )


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_every_message_of_the_reception_catalogue_is_translated(language):
    (po,) = [p for p in catalogues() if "reception" in p.parts and language in p.parts]
    with po.open("rb") as source:
        catalogue = read_po(source)
    untranslated = [m.id for m in catalogue if m.id and not all(m.string if isinstance(
        m.string, tuple) else [m.string])]  # fmt: skip
    assert untranslated == []
    assert not [m.id for m in catalogue if m.id and m.fuzzy]


def test_money_is_shown_in_its_currency_in_the_pages_language():
    with translation.override("en"):
        assert money(Decimal("1234.50"), "USD") == "$1,234.50"
    with translation.override("fr"):
        assert money(Decimal("1234.50"), "USD").replace("\u202f", " ").replace("\xa0", " ") == (
            "1 234,50 $US"
        )
    assert money(None, "USD") == "—"


@pytest.mark.django_db
def test_the_caseworker_switches_the_pages_to_french():
    stages.world_make()
    client = Client()
    assert client.login(username="receiving.officer", password=DEMO_PASSWORD)
    english = client.get("/reception/care/").content.decode()
    assert "No service is overdue." in english
    switched = client.post("/i18n/setlang/", {"language": "fr", "next": "/reception/care/"})
    assert switched.status_code == 302 and switched.url == "/reception/care/"
    french = client.get("/reception/care/").content.decode()
    translation.activate("en")  # the test client's request left French active in this thread
    assert "Aucun service n&#x27;est en retard." in french or "Aucun service n'est" in french
    assert 'lang="fr"' in french
