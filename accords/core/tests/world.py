"""The shared starting point of the tests: the shipped reference data and the demo accounts.

The root conftest loads both once per run into the test database, and every test's transaction
rolls back to them. A test marked `transaction=True` (or using `live_server`) empties the tables
when it ends instead, so the tests that need this data ask for it through `world_ensure`, which
reloads it only when it is missing.
"""

from accords.demo.accounts import demo_accounts_ensure
from accords.registry.models import Agreement, Credit, Source
from accords.registry.reference import reference_data_load


def reference_data_ensure() -> None:
    # The agreements are the sign: the load writes everything in one transaction, so they are
    # there exactly when the whole reference data is. (Not the load's audit entry: the audit
    # tests empty the log and keep the data, and loading it again there took seconds a test.)
    if not Agreement.objects.exists():
        reference_data_load(actor=None)


def world_ensure() -> None:
    """The reference data and the demo accounts, made only where they are missing."""
    reference_data_ensure()
    demo_accounts_ensure()


def registry_empty() -> None:
    """Take the shared reference data away inside the test's own transaction (it comes back when
    the test rolls back), for the tests that build a registry of their own or load into an
    empty one. The audit log keeps its entries: tests count theirs from where it stands."""
    Credit.objects.all().delete()
    Agreement.objects.all().delete()
    Source.objects.all().delete()
