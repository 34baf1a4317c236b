"""Who sees which cases: enforced in the selectors, so pages and the API agree."""

from datetime import date

import pytest
from django.contrib.auth.models import User

from accords.cases.screening import screening_run
from accords.cases.services import case_import
from accords.cases.tests.conftest import answered_in_accords, case_doc


@pytest.fixture
def caseload(reference_data, accounts):
    """Two clients of the demo counsel, one protected case with no counsel, one proposed to
    Eswatini."""
    eswatini = case_doc("V-4", acceptances=[
        {"receiving_state": "SZ", "decision": "accepted", "decided_on": "2025-08-20"}
    ], notices=[])  # fmt: skip
    docs = [case_doc("V-1", person={"counsel": "counsel"}),
            case_doc("V-2", person={"counsel": "counsel"}),
            case_doc("V-3", protections=[{"kind": "withholding", "country": "RW", "granted_on": "2024-01-01"}]),
            eswatini]  # fmt: skip
    case_import(actor=None, records=list(enumerate(docs, 1)), source="t")
    for number in ("V-1", "V-2", "V-3"):
        answered_in_accords(number)
    answered_in_accords("V-4", state="SZ")
    screening_run(actor=None, as_of=date(2025, 9, 1))


def _api_cases(client) -> set[str]:
    response = client.get("/api/cases?limit=1000")
    assert response.status_code == 200, response.content
    return {d["case_number"] for d in response.json()["items"]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username,expected",
    [
        ("sending.officer", {"V-1", "V-2", "V-3", "V-4"}),
        ("sending.supervisor", {"V-1", "V-2", "V-3", "V-4"}),
        ("auditor", {"V-1", "V-2", "V-3", "V-4"}),
        ("counsel", {"V-1", "V-2"}),
        # Rwanda's officer sees people only on the receiving pages, as far as Rwanda needs.
        ("receiving.officer", set()),
    ],
)
def test_each_role_sees_only_its_cases_in_the_worklist(caseload, login, username, expected):
    client = login(username)
    assert _api_cases(client) == expected
    page = client.get("/cases/").content.decode()
    for case in {"V-1", "V-2", "V-3", "V-4"}:
        assert (f">{case}</a>" in page) is (case in expected), case


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["counsel", "receiving.officer"])
def test_a_case_not_theirs_is_not_found_by_page_or_api(caseload, login, username):
    client = login(username)
    hidden = "V-3" if username == "counsel" else "V-4"
    assert client.get(f"/cases/{hidden}/").status_code == 404
    assert client.get(f"/api/cases/{hidden}").status_code == 404
    check = f"/api/cases/{hidden}/check?agreement=us-rwanda&on=2025-09-01"
    assert client.get(check).status_code == 404


@pytest.mark.django_db
def test_finance_and_the_public_see_no_cases(caseload, login, client):
    assert client.get("/api/cases").status_code == 401
    assert client.get("/cases/").status_code == 302
    finance = login("finance")
    assert finance.get("/api/cases").status_code == 403
    assert finance.get("/cases/V-1/").status_code == 404


@pytest.mark.django_db
def test_the_case_page_explains_every_gate_and_replays_a_past_date(caseload, login):
    client = login("sending.officer")
    page = client.get("/cases/V-1/?agreement=us-rwanda&on=2025-09-01").content.decode()
    assert (
        "cleared" in page
        and "Notice served" in page
        and "us.notice" not in page
        and "Everything on record" in page
    )
    past = client.get("/cases/V-1/?agreement=us-rwanda&on=2025-05-01").content.decode()
    assert "not yet in force" in past


@pytest.mark.django_db
def test_the_check_api_replays_under_the_rules_then_in_force(caseload, login):
    client = login("sending.officer")
    during = client.get("/api/cases/V-1/check?agreement=us-rwanda&on=2025-05-01").json()
    after = client.get("/api/cases/V-1/check?agreement=us-rwanda&on=2025-09-01").json()
    notice = {r["gate"]: r for r in during["gates"]}["us.notice"]
    assert "D.V.D." in notice["citation"]
    assert after["decision"] == "cleared"
    assert "ICE" in {r["gate"]: r for r in after["gates"]}["us.notice"]["citation"]


@pytest.mark.django_db
def test_the_worklist_filters_by_gate_and_decision(caseload, login):
    client = login("sending.officer")
    blocked = client.get("/api/cases?decision=blocked&limit=1000").json()["items"]
    assert blocked and all(d["decision"] == "blocked" for d in blocked)
    gate = blocked[0]["gates"][0]["gate"]
    by_gate = client.get(f"/api/cases?gate={gate}&limit=1000").json()["items"]
    assert by_gate and all(gate in {g["gate"] for g in d["gates"]} for d in by_gate)
    assert client.get("/api/cases?decision=maybe").status_code == 422


@pytest.mark.django_db
def test_the_worklist_filters_by_agreement_and_clearing_date_by_page_and_api(caseload, login):
    client = login("sending.officer")
    rwanda = client.get("/api/cases?agreement=us-rwanda&limit=1000").json()["items"]
    assert rwanda and {d["agreement"] for d in rwanda} == {"us-rwanda"}
    # V-3 is protected from Rwanda and V-4 accepted by Eswatini: Rwanda is not their best.
    assert {d["case_number"] for d in rwanda} == {"V-1", "V-2"}
    (v4,) = client.get("/api/cases?q=V-4").json()["items"]
    assert v4["decision"] == "pending" and v4["earliest_clear"] is None  # waits on answers
    dated = client.get("/api/cases?clears_by=2030-01-01&limit=1000").json()["items"]
    assert dated and all(d["earliest_clear"] <= "2030-01-01" for d in dated)
    page = client.get(f"/cases/?agreement={v4['agreement']}").content.decode()
    assert ">V-4</a>" in page and ">V-1</a>" not in page
    cleared = client.get("/cases/?agreement=us-rwanda&decision=cleared").content.decode()
    assert ">V-1</a>" in cleared and ">V-3</a>" not in cleared


@pytest.mark.django_db
def test_only_roles_allowed_may_import_and_screen(caseload, login):
    counsel = login("counsel")
    assert (
        counsel.post(
            "/api/case-files", [case_doc("W-1")], content_type="application/json"
        ).status_code
        == 403
    )
    assert (
        counsel.post(
            "/api/screenings", {"as_of": "2025-09-01"}, content_type="application/json"
        ).status_code
        == 403
    )
    officer = login("sending.officer")
    imported = officer.post("/api/case-files", [case_doc("W-1")], content_type="application/json")
    assert imported.status_code == 202  # a job writes them; its result counts them
    assert officer.get(imported.json()["url"]).json()["result"]["created"] == 1
    bad = officer.post("/api/case-files", [case_doc("W-2", person={"nationalities": ["QQ"]})],
                       content_type="application/json")  # fmt: skip
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", 0, "person", "nationalities[0]"]
    assert (
        officer.post(
            "/api/screenings", {"as_of": "2025-09-01"}, content_type="application/json"
        ).status_code
        == 403
    )
    supervisor = login("sending.supervisor")
    made = supervisor.post(
        "/api/screenings", {"as_of": "2025-09-01"}, content_type="application/json"
    )
    assert made.status_code == 202
    assert supervisor.get(made.json()["url"]).json()["result"]["decisions"]
    assert User.objects.filter(username="counsel").exists()
