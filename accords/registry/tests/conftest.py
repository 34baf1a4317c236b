import pytest
from django.contrib.auth.models import User

from accords.demo.accounts import DEMO_PASSWORD, demo_accounts_ensure
from accords.registry.reference import reference_data_load
from accords.registry.services import agreement_create, source_create


@pytest.fixture
def reference_data(db):
    return reference_data_load(actor=None)


@pytest.fixture
def accounts(db):
    demo_accounts_ensure()
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def login(client, accounts):
    def as_user(username: str):
        assert client.login(username=username, password=DEMO_PASSWORD)
        return client

    return as_user


@pytest.fixture
def small_registry(db):
    """One source and one agreement, made through the services as staff would."""
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
