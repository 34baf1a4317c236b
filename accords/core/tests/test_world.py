"""The tests' shared world comes back after a flush as it stood, copied rather than made again
(accords/core/tests/world.py)."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection

from accords.core.tests.world import world_ensure
from accords.registry.models import Agreement, Source


def _counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.django_table_names(only_existing=True)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db(transaction=True)
def test_after_a_flush_the_world_comes_back_whole_and_new_rows_take_new_ids():
    world_ensure()
    before = _counts()
    agreements = sorted(Agreement.objects.values_list("pk", "key"))
    users = sorted(User.objects.values_list("pk", "username"))
    groups = {g.name: sorted(g.permissions.values_list("codename", flat=True))
              for g in Group.objects.all()}  # fmt: skip
    call_command("flush", interactive=False, verbosity=0)
    assert not Agreement.objects.exists() and not User.objects.exists()

    world_ensure()

    assert _counts() == before
    assert sorted(Agreement.objects.values_list("pk", "key")) == agreements
    assert sorted(User.objects.values_list("pk", "username")) == users
    assert {g.name: sorted(g.permissions.values_list("codename", flat=True))
            for g in Group.objects.all()} == groups  # fmt: skip
    # Each table's ids go on past the rows put back.
    source = Source.objects.create(key="synthetic", title="A synthetic source", kind="press_report")
    assert source.pk > max(Source.objects.exclude(pk=source.pk).values_list("pk", flat=True))
