import copy

import pytest

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


@pytest.fixture
def login(client, accounts):
    def as_user(username: str):
        assert client.login(username=username, password=DEMO_PASSWORD)
        return client

    return as_user
