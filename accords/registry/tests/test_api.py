"""The registry API: everyone reads, staff with the right role write, bad input is named."""

import pytest

from accords.audit.models import AuditEntry
from accords.registry.models import Agreement, Credit, Term

TERM = {
    "key": "capacity",
    "kind": "capacity",
    "text": "Up to 100 people.",
    "quantity": 100,
    "period": "total",
    "sources": [{"source": "treaty-text", "confidence": "official"}],
}


def post(client, path, body):
    return client.post(path, body, content_type="application/json")


def _fields(response) -> set[str]:
    return {str(d["loc"][-1]) for d in response.json()["detail"]}


@pytest.mark.django_db
def test_everyone_reads_agreements_with_their_status(client, small_registry):
    listing = client.get("/api/agreements").json()
    assert [a["key"] for a in listing] == ["aa-bb"]
    assert listing[0]["sending"] == "US" and listing[0]["receiving"] == "RW"
    detail = client.get("/api/agreements/aa-bb").json()
    assert detail["terms"] == [] and detail["status_history"] == []
    assert client.get("/api/agreements/nope").status_code == 404


@pytest.mark.django_db
def test_the_openapi_document_is_served(client):
    document = client.get("/api/openapi.json").json()
    assert "/api/agreements" in document["paths"]
    assert "post" in document["paths"]["/api/agreements/{key}/terms"]


@pytest.mark.django_db
def test_filters_by_state_and_status(client, reference_data):
    by_receiving = client.get("/api/agreements?receiving=RW").json()
    assert {a["key"] for a in by_receiving} >= {"uk-rwanda", "us-rwanda"}
    assert all(a["receiving"] == "RW" for a in by_receiving)
    uk = client.get("/api/agreements?sending=GB").json()
    assert [a["key"] for a in uk] == ["uk-rwanda"]
    ended = client.get("/api/agreements?status=ended").json()
    assert "uk-rwanda" in {a["key"] for a in ended}
    assert all(a["status"] == "ended" for a in ended)
    assert client.get("/api/agreements?status=bogus").status_code == 422
    # A state filter is a two-letter code: anything else is refused naming the field (a NUL
    # byte once reached PostgreSQL, which cannot hold one, as a server error).
    for bad in ("RWA", "R%00", "%00%3E"):
        response = client.get(f"/api/agreements?receiving={bad}")
        assert response.status_code == 422, bad
        assert "receiving" in str(response.json()["detail"])
    assert client.get("/api/agreements/us%00rwanda").status_code == 404


@pytest.mark.django_db
def test_anonymous_writes_are_refused(client, small_registry):
    assert post(client, "/api/agreements/aa-bb/terms", TERM).status_code == 401
    assert not Term.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username",
    [
        "sending.officer",
        "sending.supervisor",
        "receiving.officer",
        "counsel",
        "finance",
        "monitor",
        "auditor",
    ],
)
def test_roles_other_than_registry_staff_cannot_write(login, small_registry, username):
    response = post(login(username), "/api/agreements/aa-bb/terms", TERM)
    assert response.status_code == 403
    assert "registry.add_term" in response.json()["detail"]
    assert not Term.objects.exists()


@pytest.mark.django_db
def test_registry_staff_add_a_term_with_its_source_and_an_audit_entry(login, small_registry):
    before = AuditEntry.objects.count()
    response = post(login("registry.editor"), "/api/agreements/aa-bb/terms", TERM)
    assert response.status_code == 201, response.json()
    assert response.json()["sources"] == [{"source": "treaty-text", "confidence": "official"}]
    term = Term.objects.get()
    assert term.quantity == 100
    assert Credit.objects.get(term=term).source.key == "treaty-text"
    entry = AuditEntry.objects.order_by("seq").last()
    assert AuditEntry.objects.count() == before + 1
    assert (entry.action, entry.actor_name) == ("term.create", "registry.editor")


@pytest.mark.django_db
def test_registry_staff_create_an_agreement_and_record_its_status(login, small_registry):
    client = login("registry.editor")
    body = {"key": "us-xx", "name": "US to Kosovo", "sending": "us", "receiving": "XK"}
    body |= {"kind": "integration", "regime": "us"}
    created = post(client, "/api/agreements", body)
    assert created.status_code == 201, created.json()
    assert created.json()["sending"] == "US"
    status = {"status": "signed", "on": "2025-02", "sources": TERM["sources"]}
    recorded = post(client, "/api/agreements/us-xx/status", status)
    assert recorded.status_code == 201, recorded.json()
    assert recorded.json()["on_precision"] == "month"
    assert client.get("/api/agreements/us-xx").json()["status"] == "signed"


BAD_TERMS = [
    (
        "negative money",
        {
            "kind": "money",
            "money_kind": "lump_sum",
            "money_status": "paid",
            "amount": "-5",
            "currency": "USD",
        },
        "amount",
    ),
    (
        "unknown currency",
        {
            "kind": "money",
            "money_kind": "lump_sum",
            "money_status": "paid",
            "amount": "5",
            "currency": "XYZ",
        },
        "currency",
    ),
    (
        "amount with no currency",
        {"kind": "money", "money_kind": "lump_sum", "money_status": "paid", "amount": "5"},
        "currency",
    ),
    ("end before start", {"valid_from": "2025-06-01", "valid_until": "2025-05-01"}, "valid_until"),
    ("not a date", {"valid_from": "June 2025"}, "valid_from"),
    ("impossible date", {"valid_from": "2025-02-30"}, "valid_from"),
    ("a year no agreement reaches", {"valid_until": "9999"}, "valid_until"),
    ("before any record", {"valid_from": "1066-10-14"}, "valid_from"),
    ("no source", {"sources": []}, "sources"),
    ("unknown source", {"sources": [{"source": "nowhere", "confidence": "official"}]}, "source"),
    (
        "bad confidence",
        {"sources": [{"source": "treaty-text", "confidence": "sure"}]},
        "confidence",
    ),
    ("capacity without a period", {"period": None}, "period"),
    ("negative capacity", {"quantity": -1}, "quantity"),
    ("unknown kind", {"kind": "promise"}, "kind"),
    (
        "an assurance Accords cannot read",
        {"kind": "assurance", "category": "no_worries"},
        "category",
    ),
    ("bad key", {"key": "Not A Slug"}, "key"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("case,change,field", BAD_TERMS, ids=[b[0] for b in BAD_TERMS])
def test_bad_terms_are_refused_naming_the_field(login, small_registry, case, change, field):
    client = login("registry.editor")
    before = AuditEntry.objects.count()
    response = post(client, "/api/agreements/aa-bb/terms", TERM | change)
    assert response.status_code == 422, response.json()
    assert any(field in f for f in _fields(response)), response.json()
    assert not Term.objects.exists() and not Credit.objects.exists()
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change,field",
    [
        ({"sending": "ZZ"}, "sending"),
        ({"receiving": "QQ"}, "receiving"),
        ({"receiving": "US"}, "receiving"),
        ({"kind": "holiday"}, "kind"),
        ({"arrangement": "holiday"}, "arrangement"),
        ({"regime": "eu"}, "regime"),
    ],
)
def test_bad_agreements_are_refused_naming_the_field(login, db, change, field):
    body = {
        "key": "k",
        "name": "n",
        "sending": "US",
        "receiving": "RW",
        "kind": "integration",
        "regime": "us",
    } | change
    response = post(login("registry.editor"), "/api/agreements", body)
    assert response.status_code == 422, response.json()
    assert field in _fields(response)
    assert not Agreement.objects.filter(key="k").exists()


@pytest.mark.django_db
def test_an_arrangement_no_regime_governs_is_recorded_in_words_and_never_screened(
    login, small_registry
):
    client = login("registry.editor")
    body = {"key": "de-xx", "name": "A return hub", "sending": "DE", "receiving": "UG",
            "kind": "transit", "arrangement": "return_hub", "regime": ""}  # fmt: skip
    created = post(client, "/api/agreements", body)
    assert created.status_code == 201, created.json()
    assert (created.json()["arrangement"], created.json()["regime"]) == ("return_hub", "")
    assert not Agreement.objects.screened().filter(key="de-xx").exists()
    page = client.get("/agreements/de-xx/").content.decode()
    assert "Transit or return hub" in page and "none in Accords (not screened)" in page
    # Unsaid, an arrangement is a third-country removal, as most are.
    plain = post(
        client,
        "/api/agreements",
        body | {"key": "us-yy", "sending": "US", "regime": "us"} | {"arrangement": None},
    )
    assert plain.status_code == 422  # null is not a kind of arrangement
    del body["arrangement"]
    plain = post(
        client, "/api/agreements", body | {"key": "us-yy", "sending": "US", "regime": "us"}
    )
    assert plain.json()["arrangement"] == "third_country_removal"
