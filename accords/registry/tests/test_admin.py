"""The admin's forms, as a reference-data editor uses them: bad input is refused naming the
field, nothing is written, and every save that goes through leaves its audit entry."""

import pytest

from accords.audit.log import log_verify
from accords.audit.models import AuditEntry
from accords.registry.models import Agreement, Credit, Source, Term

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(login, reference_data):
    return login("registry.editor")


def _term_form(**changes) -> dict:
    """A valid money term for US–Palau with one source, as the admin's add page posts it."""
    form = {
        "agreement": Agreement.objects.get(key="us-palau").pk,
        "key": "admin-added-fee",
        "kind": "money",
        "text": "A fee per person received.",
        "valid_from_precision": "day",
        "valid_until_precision": "day",
        "money_kind": "per_person_fee",
        "money_status": "committed",
        "amount": "1000.00",
        "currency": "USD",
        "values": "[]",
        "given": "unknown",
        "credits-TOTAL_FORMS": "1",
        "credits-INITIAL_FORMS": "0",
        "credits-MIN_NUM_FORMS": "1",
        "credits-MAX_NUM_FORMS": "1000",
        "credits-0-source": Source.objects.order_by("key").first().pk,
        "credits-0-confidence": "unconfirmed",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def _errors(response) -> str:
    assert response.status_code == 200, "the form should come back with its errors"
    return response.content.decode()


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"amount": "-5"}, "An amount of money cannot be negative."),
        ({"currency": "XXY"}, "Unknown ISO 4217 currency"),
        (
            {"valid_from": "2025-06-01", "valid_until": "2025-01-01"},
            "The end date is before the start date.",
        ),  # fmt: skip
        ({"money_kind": ""}, "A money term says what kind of money it is."),
        (
            {"credits-TOTAL_FORMS": "0", "credits-0-source": None, "credits-0-confidence": None},
            "Please submit at least 1 form.",
        ),  # fmt: skip
    ],
)
def test_a_bad_term_is_refused_naming_what_is_wrong_and_nothing_is_written(editor, changes, says):
    entries, terms, credits = (
        AuditEntry.objects.count(),
        Term.objects.count(),
        Credit.objects.count(),
    )
    page = _errors(editor.post("/admin/registry/term/add/", _term_form(**changes)))
    assert says in page
    assert (AuditEntry.objects.count(), Term.objects.count(), Credit.objects.count()) == (
        entries, terms, credits,
    )  # fmt: skip


def test_an_unknown_state_code_cannot_be_chosen_for_an_agreement(editor):
    palau = Agreement.objects.get(key="us-palau")
    form = {"key": "us-nowhere", "name": "Nowhere", "sending_state": "US",
            "receiving_state": "ZZ", "kind": palau.kind, "regime": "us", "summary": "",
            "statuses-TOTAL_FORMS": "0", "statuses-INITIAL_FORMS": "0"}  # fmt: skip
    page = _errors(editor.post("/admin/registry/agreement/add/", form))
    assert "Select a valid choice" in page and "receiving_state" in page
    assert not Agreement.objects.filter(key="us-nowhere").exists()


def test_a_good_term_is_saved_with_its_source_and_one_audit_entry(editor):
    before = AuditEntry.objects.count()
    response = editor.post("/admin/registry/term/add/", _term_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    term = Term.objects.get(key="admin-added-fee")
    assert term.credits.count() == 1
    entries = list(AuditEntry.objects.filter(seq__gt=before))
    assert [e.action for e in entries] == ["admin.term.add"]
    assert entries[0].actor.username == "registry.editor"
    assert log_verify().ok


def test_the_editor_sets_an_agreement_s_planning_horizon_and_departure_window(editor):
    palau = Agreement.objects.get(key="us-palau")
    statuses = list(palau.statuses.all())
    form = {"key": palau.key, "name": palau.name, "sending_state": "US", "receiving_state": "PW",
            "kind": palau.kind, "arrangement": palau.arrangement, "regime": "us",
            "summary": palau.summary,
            "planning_horizon_days": "90", "departure_window_hours": "12",
            "statuses-TOTAL_FORMS": str(len(statuses)),
            "statuses-INITIAL_FORMS": str(len(statuses))}  # fmt: skip
    for i, status in enumerate(statuses):
        form |= {f"statuses-{i}-id": status.pk, f"statuses-{i}-agreement": palau.pk,
                 f"statuses-{i}-status": status.status, f"statuses-{i}-on": status.on.isoformat(),
                 f"statuses-{i}-on_precision": status.on_precision,
                 f"statuses-{i}-note": status.note}  # fmt: skip
    too_far = _errors(editor.post(f"/admin/registry/agreement/{palau.pk}/change/",
                                  {**form, "planning_horizon_days": "5000"}))  # fmt: skip
    assert "planning_horizon_days" in too_far
    response = editor.post(f"/admin/registry/agreement/{palau.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    palau.refresh_from_db()
    assert (palau.planning_horizon_days, palau.departure_window_hours) == (90, 12)
    assert AuditEntry.objects.filter(action="admin.agreement.change").exists()
