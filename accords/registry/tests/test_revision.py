"""The agreements in force are read once per revision of the registry: every write to what
the engine reads of an agreement, by any path, makes the next re-screening read them again,
and a write rolled back leaves nothing of itself behind."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction

from accords.cases.screening import agreements_in_force_with_terms
from accords.programme.models import ProgrammePolicy
from accords.registry.models import Agreement, Status, StatusChange, Term
from accords.registry.revision import registry_revision

pytestmark = pytest.mark.django_db

ON = date(2025, 9, 1)


def _read(on: date = ON) -> dict[str, object]:
    return {agreement.key: terms for agreement, terms in agreements_in_force_with_terms(on)}


def _rwanda() -> Agreement:
    return Agreement.objects.get(key="us-rwanda")


def test_the_read_is_kept_while_the_registry_is_unchanged(
    reference_data, django_assert_num_queries
):
    first = agreements_in_force_with_terms(ON)
    with django_assert_num_queries(1):  # the revision's token alone
        again = agreements_in_force_with_terms(ON)
    assert again == first
    assert [a for a, _ in again] == [a for a, _ in first]


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(
            lambda: StatusChange.objects.create(
                agreement=_rwanda(), on=date(2025, 8, 1), status=Status.SUSPENDED
            ),
            id="a status change added",
        ),
        pytest.param(
            lambda: Term.objects.create(
                agreement=_rwanda(),
                key="no-records",
                kind=Term.Kind.ELIGIBILITY,
                rule=Term.Rule.EXCLUDES,
                category="criminal_record",
                text="No one with a record.",
            ),
            id="a term added",
        ),
        pytest.param(
            lambda: Term.objects.filter(agreement=_rwanda()).update(valid_until=date(2025, 1, 1)),
            id="terms changed in bulk",
        ),
        pytest.param(lambda: Term.objects.filter(agreement=_rwanda()).delete(), id="terms deleted"),
        pytest.param(
            lambda: Agreement.objects.filter(key="us-rwanda").update(regime="uk"),
            id="an agreement changed",
        ),
        pytest.param(
            lambda: connection.cursor().execute(
                "UPDATE registry_term SET text = 'x' WHERE id = (SELECT min(id) FROM registry_term)"
            ),
            id="plain SQL",
        ),
    ],
)
def test_every_write_the_engine_would_read_is_read_again(reference_data, write):
    _read()
    token = registry_revision()
    write()
    assert registry_revision() != token
    after = _read()
    # The read is the one a fresh process would make: the kept read is not served stale.
    from accords.cases import screening

    screening._IN_FORCE.clear()
    assert _read() == after


def test_a_suspension_takes_the_agreement_out_of_force_at_once(reference_data):
    assert "us-rwanda" in _read()
    StatusChange.objects.create(agreement=_rwanda(), on=date(2025, 8, 1), status=Status.SUSPENDED)
    assert "us-rwanda" not in _read()


def test_a_term_no_longer_valid_is_no_longer_read(reference_data):
    excluded = _read()["us-rwanda"].excluded
    assert excluded, "the test needs an agreement that excludes someone"
    Term.objects.filter(agreement=_rwanda()).update(valid_until=date(2025, 1, 1))
    assert _read()["us-rwanda"].excluded == frozenset()


def test_a_policy_chosen_and_its_choosers_new_name_are_read_again(accounts, reference_data):
    supervisor = User.objects.get(username="sending.supervisor")
    token = registry_revision()
    ProgrammePolicy.objects.create(agreement=_rwanda(), valid_from=date(2025, 6, 1),
                                   notice_days=21, chosen_by=supervisor,
                                   chosen_as="sending_supervisor")  # fmt: skip
    assert registry_revision() != token
    (policy,) = _read()["us-rwanda"].policies
    assert policy.chosen_by.startswith("sending.supervisor ")

    token = registry_revision()
    User.objects.filter(pk=supervisor.pk).update(last_login=None)  # not read: kept
    assert registry_revision() == token
    User.objects.filter(pk=supervisor.pk).update(username="supervisor.renamed")
    assert registry_revision() != token
    (policy,) = _read()["us-rwanda"].policies
    assert policy.chosen_by.startswith("supervisor.renamed ")


def test_a_write_rolled_back_leaves_the_read_as_it_was(reference_data):
    before = _read()
    with transaction.atomic():
        StatusChange.objects.create(agreement=_rwanda(), on=date(2025, 8, 1),
                                    status=Status.SUSPENDED)  # fmt: skip
        assert "us-rwanda" not in _read()  # read, and kept, inside the transaction
        transaction.set_rollback(True)
    assert _read() == before
    # Another write after it, the same in kind: a counter would come back to the number the
    # rolled-back write had, and serve its read; a token does not.
    Term.objects.create(agreement=_rwanda(), key="later", kind=Term.Kind.ELIGIBILITY,
                        rule=Term.Rule.EXCLUDES, category="serving_sentence", text="Later.")  # fmt: skip
    after = _read()
    assert "us-rwanda" in after
    assert "serving_sentence" in after["us-rwanda"].excluded


@pytest.mark.skipif(connection.vendor != "postgresql", reason="another connection: PostgreSQL")
def test_a_write_committed_by_another_connection_is_read_again(reference_data):
    """As another process would write (a worker, the admin in another request): the token the
    database changed is what this connection reads next."""
    import psycopg

    settings = connection.settings_dict
    token = registry_revision()
    with psycopg.connect(host=settings["HOST"], port=settings["PORT"] or 5432,
                         user=settings["USER"], dbname=settings["NAME"],
                         autocommit=True) as other:  # fmt: skip
        other.execute("UPDATE registry_agreement SET name = name WHERE key = 'us-rwanda'")
    assert registry_revision() != token
