import copy

import pytest
from django.contrib.auth.models import User

from accords.cases.models import Acceptance, Person, Provenance
from accords.demo.accounts import DEMO_PASSWORD

BASE_CASE = {
    "format": 1,
    "case_number": "T-0001",
    "person": {
        "given_name": "Test",
        "family_name": "Person",
        "birth_date": "1988-05-02",
        "country_of_birth": "HN",
        "nationalities": ["HN"],
        "languages": ["es"],
        "detained": True,
    },
    "removal_orders": [
        {
            "basis": "INA240",
            "entered_on": "2024-06-01",
            "final_on": "2024-07-01",
            "final_how": "no_appeal",
            "designated_countries": ["HN"],
        }
    ],
    "country_requests": [{"country": "HN", "asked_on": "2025-07-01", "answer": "refused"}],
    "acceptances": [{"receiving_state": "RW", "decision": "accepted", "decided_on": "2025-08-20"}],
    "notices": [
        {
            "destination": "RW",
            "served_at": "2025-08-25T09:00:00Z",
            "language": "es",
            "understood": True,
            "served_on": "person",
            # The served document as the sending state's system holds it: without these an
            # imported notice is a report that does not satisfy the notice gate.
            "document_reference": "NTC-2025-0825-0001",
            "document_sha256": "5e1bd3c8a3f7fbb1c0c8a0a5a1b76f0b4f9a2f6d0e0c3b9f8e7d6c5b4a392817",
        }
    ],
}


def case_doc(case_number: str = "T-0001", **sections) -> dict:
    """A valid synthetic case file; keyword arguments replace whole sections, `person`
    updates the person's fields."""
    doc = copy.deepcopy(BASE_CASE)
    doc["case_number"] = case_number
    person = sections.pop("person", {})
    doc["person"].update(person)
    doc.update(sections)
    return doc


def answered_in_accords(case_number: str, *, state: str = "RW", decision: str = "accepted",
                        decided_on: str = "2025-08-20") -> Acceptance:  # fmt: skip
    """The receiving state's answer as its officer records it in Accords (what
    `acceptance_decide` writes), dated in the past: only the clock is staged. An answer in an
    imported case file is a report and counts for nothing, so a test whose case must clear
    records the answer this way."""
    officer = User.objects.filter(profile__receiving_state_id=state).first()
    return Acceptance.objects.create(
        person=Person.objects.get(case_number=case_number), receiving_state=state,
        decision=decision, decided_on=decided_on, provenance=Provenance.WORKFLOW,
        recorded_by=officer, recorded_as="receiving_officer",
    )  # fmt: skip


@pytest.fixture
def login(client, accounts):
    def as_user(username: str):
        assert client.login(username=username, password=DEMO_PASSWORD)
        return client

    return as_user
