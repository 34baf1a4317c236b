import pytest

from accords.demo.accounts import demo_accounts_ensure


@pytest.fixture
def accounts(db):
    demo_accounts_ensure()
