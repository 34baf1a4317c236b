"""The registry's revision: a token that changes with every write to what the engine reads of
the agreements (migration 0005 has the database's triggers change it, whatever wrote).

Re-screening a person after each write reads the agreements in force and their terms again
(`cases.screening.agreements_in_force_with_terms`); that read is kept, and asked again only
when the token differs. A token, not a counter: a write rolled back leaves a token no later
state of the registry will have, where a counter would come back to a number a later, other
write would take again."""

from django.db import connection


def registry_revision() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM registry_revision")
        return cursor.fetchone()[0]
