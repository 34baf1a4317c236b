"""Words for codes on pages (gate titles, countries, languages, money in its currency), the one
form-submission helper, and a cycle's stipends obliged in one batch."""

import unicodedata
from decimal import Decimal

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from accords.core.forms import form_submit
from accords.core.words import (
    country_name,
    gate_title,
    gate_titles,
    language_name,
    money,
    offence_word,
)
from accords.law.evaluate import GATE_IDS
from accords.law.offences import offence_categories
from accords.law.regime import load_regime


def _plain(text: str) -> str:
    """Babel writes French groups with narrow no-break spaces: compare them as spaces."""
    return "".join(" " if unicodedata.category(c) == "Zs" else c for c in text)


def test_every_gate_the_engine_knows_has_a_plain_title_and_no_two_share_one():
    titles = gate_titles()
    for key in GATE_IDS:
        assert titles[key] != key and "." not in titles[key] and "_" not in titles[key], key
    assert len(set(titles.values())) == len(titles)
    assert gate_title("us.receiving_acceptance") == "Receiving state accepted by name"
    assert gate_title("us.notice") == "Notice served"
    assert gate_title("us.fear_claim") == "Fear claim decided"
    # The loader exposes the file's title; a key nothing knows stays as it is.
    assert load_regime("uk").gate("uk.rule39").title == gate_title("uk.rule39")
    assert gate_title("xx.unknown") == "xx.unknown"


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_every_gate_title_and_offence_label_is_read_in_the_page_language(language):
    """The titles and labels live in the law's files; the catalogues hold their translations,
    so no page shows a gate or an offence in English to a reader of another language."""
    english = gate_titles()
    with translation.override(language):
        translated = gate_titles()
        offences = {key: offence_word(key) for key in offence_categories()}
    assert [k for k in english if translated[k] == english[k]] == []
    assert len(set(translated.values())) == len(translated)  # still no two the same
    same = {"fr": ["homicide"]}.get(language, [])  # the same word in French
    assert [k for k, label in offence_categories().items() if offences[k] == label] == same
    with translation.override("fr"):
        assert gate_title("us.notice") == "Avis notifié"
        assert offence_word("domestic_violence") == "violences conjugales ou intrafamiliales"
        assert offence_word("not_a_category") == "not a category"


@pytest.mark.parametrize(
    ("language", "amount", "currency", "shown"),
    [
        ("en", "7500000", "USD", "$7,500,000.00"),
        ("fr", "7500000", "USD", "7 500 000,00 $US"),
        ("en", "370000000", "GBP", "£370,000,000.00"),
        ("fr", "60.5", "EUR", "60,50 €"),
        ("en", "1500", "JPY", "¥1,500"),
    ],
)
def test_money_is_written_in_its_currency_as_the_page_language_writes_it(
    language, amount, currency, shown
):
    with translation.override(language):
        assert _plain(money(Decimal(amount), currency)) == shown
        page = Template("{% load words %}{{ a|money:c }}").render(
            Context({"a": Decimal(amount), "c": currency})
        )
        assert _plain(page) == shown
    assert money(None, "USD") == "—"


def test_the_ledger_and_reception_filters_write_money_the_same_way():
    with translation.override("fr"):
        ledger = Template("{% load ledger %}{{ m|money:'USD' }}").render(Context({"m": 750000}))
        care = Template("{% load care_money %}{{ a|money:'USD' }}").render(
            Context({"a": Decimal("7500")})
        )
    assert _plain(ledger) == _plain(care) == "7 500,00 $US"


def test_countries_and_languages_are_named_in_the_page_language():
    assert (country_name("RW"), language_name("rw"), language_name("prs")) == (
        "Rwanda",
        "Kinyarwanda",
        "Dari",
    )
    with translation.override("fr"):
        assert country_name("US") == "États-Unis"
        assert language_name("es") == "espagnol"
        page = Template("{% load words %}{{ n|countries }} · {{ l|languages }}").render(
            Context({"n": ["SV", "GT"], "l": ["es", "ti"]})
        )
    assert page == "Salvador, Guatemala · espagnol, tigrigna"
    assert country_name("QQ") == "QQ" and country_name("") == ""


class _Form(forms.Form):
    days = forms.IntegerField(min_value=0)


def _request(method: str, data=None):
    request = getattr(RequestFactory(), method)("/x", data or {})
    request._messages = CookieStorage(request)
    return request


def _submit(data, service):
    request = _request("post" if data is not None else "get", data)
    form = _Form(data)
    shown = {}

    def page(status):
        shown["status"] = status
        return type("Page", (), {"status_code": status})()

    response = form_submit(request, form, service, done="Saved.", back="/done", page=page)
    return request, form, response


def test_form_submit_calls_the_service_once_and_goes_back_with_a_message():
    calls = []
    request, form, response = _submit({"days": "3"}, lambda data: calls.append(data))
    assert calls == [{"days": 3}]
    assert (response.status_code, response["Location"]) == (302, "/done")
    assert [str(m) for m in get_messages(request)] == ["Saved."]


def test_form_submit_puts_the_services_refusal_on_the_field_it_names_or_above_the_form():
    def refuse_field(data):
        raise ValidationError({"days": "Too many days.", "elsewhere": "Not a field here."})

    request, form, response = _submit({"days": "3"}, refuse_field)
    assert response.status_code == 422
    assert form.errors["days"] == ["Too many days."]
    assert form.non_field_errors() == ["Not a field here."]
    assert list(get_messages(request)) == []

    _, form, response = _submit({"days": "3"}, lambda data: (_ for _ in ()).throw(
        ValidationError("Closed today.")))  # fmt: skip
    assert (response.status_code, form.non_field_errors()) == (422, ["Closed today."])


def test_form_submit_never_calls_the_service_for_an_invalid_or_unsubmitted_form():
    calls = []
    _, form, response = _submit({"days": "-1"}, calls.append)
    assert response.status_code == 422 and "days" in form.errors and calls == []
    _, form, response = _submit(None, calls.append)
    assert response.status_code == 200 and not form.errors and calls == []


@given(st.one_of(st.text(max_size=8), st.integers(-5, 5).map(str)))
@settings(max_examples=25, deadline=None)
def test_form_submit_either_calls_the_service_or_answers_422_never_both(days):
    calls = []
    _, form, response = _submit({"days": days}, calls.append)
    assert (response.status_code == 302) == bool(calls) == form.is_valid()
    assert response.status_code in (302, 422)


@pytest.fixture
def rwanda(db):
    from accords.registry.models import Agreement

    return Agreement.objects.get(key="us-rwanda")


@pytest.mark.django_db
def test_a_cycles_stipends_are_obliged_in_one_batch_as_one_at_a_time_would(
    rwanda, django_assert_max_num_queries
):
    from accords.ledger import postings
    from accords.ledger.balances import balances
    from accords.ledger.models import Account, Transfer

    today = timezone.localdate()
    entitled = [(person_id, Decimal("60.00")) for person_id in range(1, 301)]
    entitled[7] = (8, Decimal("45.50"))
    # One person already has a stipend account from an earlier cycle, obliged one at a time.
    postings.stipend_obliged(agreement=rwanda, person_id=8, amount=Decimal("45.50"),
                             currency="USD", cycle_ref="cycle-earlier", on=today)  # fmt: skip
    with django_assert_max_num_queries(20):  # 300 entitlements, a handful of statements
        posted = postings.stipends_obliged(agreement=rwanda, currency="USD",
                                           cycle_ref="cycle-now", on=today, entitled=entitled)  # fmt: skip
    assert posted == 300
    batch = Transfer.objects.filter(reference__startswith="stipend/cycle-now/")
    earlier = Transfer.objects.get(reference="stipend/cycle-earlier/8")
    assert batch.count() == 300 and set(batch.values_list("code", flat=True)) == {"obligation"}
    eight = batch.get(reference="stipend/cycle-now/8")
    # As one at a time would: the same source, the same person's account, the amount in cents.
    assert (eight.debit_account_id, eight.credit_account_id, eight.amount) == (
        earlier.debit_account_id, earlier.credit_account_id, earlier.amount
    )  # fmt: skip
    accounts = Account.objects.filter(kind="stipend", ledger=eight.ledger)
    assert accounts.count() == 300
    owed = balances(Transfer.objects.filter(ledger=eight.ledger))
    assert owed[eight.credit_account_id].posted == 2 * 4550
    assert sum(owed[a.pk].posted for a in accounts) == 299 * 6000 + 2 * 4550

    # Approved twice: refused whole, nothing more written.
    with pytest.raises(ValidationError, match="already obliged"):
        postings.stipends_obliged(agreement=rwanda, currency="USD", cycle_ref="cycle-now",
                                  on=today, entitled=entitled[:5])  # fmt: skip
    with pytest.raises(ValidationError, match="person_id"):
        postings.stipends_obliged(agreement=rwanda, currency="USD", cycle_ref="cycle-bad",
                                  on=today, entitled=[(1, Decimal(1)), ("x", Decimal(1))])  # fmt: skip
    assert Transfer.objects.filter(reference__startswith="stipend/").count() == 301


def test_every_feature_a_placement_policy_weighs_has_a_title_and_none_is_a_placeholder():
    from accords.transfers.planning import FEATURE_TITLES, FEATURES, POLICIES

    for policy in POLICIES.values():
        for name in policy.weights:
            assert name in FEATURE_TITLES and "Placeholder" not in FEATURES[name], name
