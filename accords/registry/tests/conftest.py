import pytest

from accords.core.tests.world import registry_empty
from accords.demo.accounts import DEMO_PASSWORD
from accords.registry.services import agreement_create, source_create


@pytest.fixture
def login(client, accounts):
    def as_user(username: str):
        assert client.login(username=username, password=DEMO_PASSWORD)
        return client

    return as_user


@pytest.fixture
def small_registry(db):
    """One source and one agreement, made through the services as staff would, alone in the
    registry."""
    registry_empty()
    source_create(actor=None, key="treaty-text", title="Treaty text", kind="treaty")
    return agreement_create(
        actor=None,
        key="aa-bb",
        name="A to B",
        sending="US",
        receiving="RW",
        kind="integration",
        regime="us",
    )
