"""Finance's pages and API: the books, the sources beside them with their differences named,
the chart, the CSV, payments recorded or refused naming the field, and the public totals."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accords.demo.accounts import DEMO_PASSWORD
from accords.ledger import selectors, services
from accords.ledger.models import Claim, Transfer
from accords.ledger.tests.helpers import money_term
from accords.registry.models import Agreement
from accords.transfers.tests import stages

TODAY = timezone.localdate()


@pytest.fixture
def world(db):
    world = stages.world_make()
    rwanda = Agreement.objects.get(key="us-rwanda")
    finance = world["finance"]
    services.commitment_record(actor=finance, term=rwanda.terms.get(key="money-initial-payment"),
                               on=date(2025, 5, 1))  # fmt: skip
    services.payment_record(actor=finance, agreement=rwanda, programme="lump_sums",
                            amount="100000", currency="USD", on=date(2025, 6, 1))  # fmt: skip
    return {**world, "rwanda": rwanda}


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


@pytest.mark.django_db
def test_finance_sees_the_books_and_the_reported_total_against_the_initial_payment(world):
    page = _client("finance").get("/finance/us-rwanda/").content.decode()
    assert "$100,000.00" in page and "<svg" in page and "polyline" in page
    # The $100,000 of the leaked cable, committed and paid, against the $7.5m reported paid.
    assert "Sources report $7,500,000.00 paid against $100,000.00 committed (75.0 times" in page
    assert "Sources report $7,500,000.00 paid; the ledger holds $100,000.00." in page
    assert "lump sum, paid" in page and "leaked" in page
    home = _client("auditor").get("/finance/").content.decode()
    assert 'href="/finance/us-rwanda/"' in home and "$100,000.00" in home


@pytest.mark.django_db
def test_the_csv_lists_every_transfer_in_the_currency_unit(world):
    response = _client("finance").get("/finance/us-rwanda/ledger.csv")
    rows = response.content.decode().splitlines()
    assert rows[0].startswith("id,on,currency,code,phase")
    assert len(rows) == 1 + Transfer.objects.filter(ledger__agreement=world["rwanda"]).count()
    assert any(",disbursement,posted," in row and ",100000.00," in row for row in rows)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, value, says",
    [
        ("amount", "abc", "Enter a number"),
        ("amount", "0", "greater than or equal to 0.01"),
        ("amount", "1" * 40, "digits"),
        ("on", "0001-01-01", "before 1900-01-01"),
        ("on", "9999-12-31", "it has not happened yet"),
        ("currency", "XYZ", "unknown ISO 4217 currency"),
        ("currency", "US\x00", "Null characters are not allowed"),
        ("amount", "999999999", "more than committed"),
    ],
)
def test_a_payment_form_refuses_bad_input_naming_the_field_and_writes_nothing(world, field,
                                                                              value, says):  # fmt: skip
    before = Transfer.objects.count()
    data = {"programme": "lump_sums", "amount": "10.00", "currency": "USD", "on": TODAY}
    response = _client("finance").post("/finance/us-rwanda/payments/new/", {**data, field: value})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert says in " ".join(errors.get(field, errors.get("__all__", []))), errors
    assert Transfer.objects.count() == before


@pytest.mark.django_db
def test_a_payment_through_the_form_is_recorded_and_the_auditor_may_not(world):
    data = {"programme": "operations", "amount": "12.50", "currency": "USD", "on": TODAY}
    response = _client("finance").post("/finance/us-rwanda/payments/new/", data)
    assert response.status_code == 302
    assert _client("auditor").post("/finance/us-rwanda/payments/new/", data).status_code == 403


def _api(client: Client, path: str, body: dict):
    return client.post(f"/api/ledger/agreements/us-rwanda/{path}", body,
                       content_type="application/json")  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, body, field",
    [
        (
            "payments",
            {"programme": "x", "amount": "1", "currency": "USD", "on": "2025-01-01"},
            "programme",
        ),
        (
            "payments",
            {"programme": "fund", "amount": "1e400", "currency": "USD", "on": "2025-01-01"},
            "amount",
        ),
        (
            "payments",
            {"programme": "fund", "amount": "NaN", "currency": "USD", "on": "2025-01-01"},
            "amount",
        ),
        (
            "payments",
            {"programme": "fund", "amount": "1", "currency": "USD", "on": "9999-01-01"},
            "on",
        ),
        (
            "payments",
            {"programme": "fund", "amount": "1.001", "currency": "USD", "on": "2025-01-01"},
            "amount",
        ),
        ("commitments", {"term": "no-such-term", "on": "2025-01-01"}, "term"),
        ("commitments", {"term": "money-fee-per-detainee", "on": "2025-01-01"}, "term"),
        ("corrections", {"transfer": 999999, "on": "2025-01-01"}, "transfer"),
        (
            "claims",
            {
                "claimant": "US",
                "amount": "1",
                "currency": "USD",
                "basis": "x" * 2_000_000,
                "made_on": "2025-01-01",
            },
            "basis",
        ),
        (
            "claims",
            {
                "claimant": "GB",
                "amount": "1",
                "currency": "USD",
                "basis": "Costs.",
                "made_on": "2025-01-01",
            },
            "claimant",
        ),
        (
            "claims",
            {
                "claimant": "RW",
                "amount": "1",
                "currency": "USD",
                "basis": "a\x00b",
                "made_on": "2025-01-01",
            },
            "basis",
        ),
        ("settlements", {"claim": 999999, "amount": "1", "on": "2025-01-01"}, "claim"),
    ],
)
def test_the_api_refuses_bad_input_naming_the_field_and_writes_nothing(world, path, body, field):
    before = (Transfer.objects.count(), Claim.objects.count())
    response = _api(_client("finance"), path, body)
    assert response.status_code == 422, response.content[:300]
    assert any(field in error["loc"] for error in response.json()["detail"]), response.json()
    assert (Transfer.objects.count(), Claim.objects.count()) == before


@pytest.mark.django_db
def test_a_claim_between_states_is_made_settled_once_and_enters_the_ledger(world):
    finance = _client("finance")
    made = _api(finance, "claims", {"claimant": "RW", "amount": "50000", "currency": "USD",
                                    "basis": "Costs after the programme ended.",
                                    "made_on": "2025-03-01"})  # fmt: skip
    assert made.status_code == 201, made.content
    claim = made.json()["id"]
    settle = {"claim": claim, "amount": "20000", "on": "2025-04-01"}
    assert _api(finance, "settlements", settle).status_code == 201
    assert _api(finance, "settlements", settle).status_code == 422  # once
    (sheet,) = selectors.sheets(world["finance"], world["rwanda"])
    assert sheet.totals.claims_settled == 2_000_000


@pytest.mark.django_db
def test_the_public_reads_only_totals_per_agreement_and_month(world):
    rows = Client().get("/api/ledger/totals").json()
    assert {"agreement": "us-rwanda", "currency": "USD", "month": "2025-05-01",
            "committed": "100000.00", "paid": "0.00"} in rows  # fmt: skip
    june = next(r for r in rows if r["month"] == "2025-06-01")
    assert june["paid"] == "100000.00"
    assert set(june) == {"agreement", "currency", "month", "committed", "paid"}
    assert Client().get("/api/ledger/agreements/us-rwanda").status_code == 401


@pytest.mark.django_db
def test_a_fifty_megabyte_basis_is_refused_by_the_service_naming_it(world):
    with pytest.raises(ValidationError) as refused:
        services.claim_make(actor=world["finance"], agreement=world["rwanda"], claimant="RW",
                            amount=Decimal("1"), currency="USD", basis="x" * 50_000_000,
                            made_on=TODAY)  # fmt: skip
    assert "basis" in refused.value.message_dict
    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_the_books_are_totalled_in_the_same_queries_however_many_ledgers(world):
    finance = world["finance"]
    selectors.books(finance)  # the user's role read once, as any page reads it
    with CaptureQueriesContext(connection) as one:
        selectors.books(finance)

    others = list(Agreement.objects.exclude(key="us-rwanda").order_by("key")[:3])
    for n, agreement in enumerate([*others, world["rwanda"]], 1):
        currency = "EUR" if agreement == world["rwanda"] else "USD"  # Rwanda's second ledger
        term = money_term(agreement, f"books-{n}", "fund", Decimal("1000"), currency=currency)
        services.commitment_record(actor=None, term=term, on=date(2025, 1, 1))
        services.payment_record(actor=None, agreement=agreement, programme="fund",
                                amount=Decimal(100 * n), currency=currency, on=date(2025, 2, 1))  # fmt: skip
    with CaptureQueriesContext(connection) as five:
        books = selectors.books(finance)

    totals = {(a.key, t.currency): (t.committed, t.obliged, t.paid) for a, ts in books for t in ts}
    assert len(totals) == 5
    for n, agreement in enumerate(others, 1):
        assert totals[agreement.key, "USD"] == (100000, 10000 * n, 10000 * n)
    assert totals["us-rwanda", "EUR"] == (100000, 40000, 40000)
    assert totals["us-rwanda", "USD"][2] == 10000000  # the $100,000 paid in the world
    assert len(five.captured_queries) == len(one.captured_queries)
