"""Tools of the audit tests: the test deployment's log key, and tampering as an attacker would."""

from contextlib import contextmanager

from django.db import connection

from accords.audit.checkpoint import signer_generate

ORIGIN = "test.example/accords"
LOG_KEY = signer_generate(ORIGIN)


AUDIT_TABLES = ["audit_auditentry", "audit_auditnode", "audit_cosignature", "audit_audithead",
                "audit_auditrow"]  # fmt: skip


@contextmanager
def tampering():
    """On PostgreSQL the audit tables refuse UPDATE and DELETE; an attacker who may alter the
    tables turns those refusals off first. Inside a test's transaction, so it is undone."""
    _triggers("DISABLE")
    try:
        yield
    finally:
        _triggers("ENABLE")


def _triggers(verb: str) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # A table with foreign-key checks still pending cannot be altered: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in AUDIT_TABLES:
            cursor.execute(f"ALTER TABLE {table} {verb} TRIGGER USER")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
