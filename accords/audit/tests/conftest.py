"""The audit tests' tools: a deployment's log key, and tampering as an attacker would."""

from contextlib import contextmanager

import pytest
from django.db import connection

from accords.audit.checkpoint import COSIGNATURE_V1, signer_generate

ORIGIN = "test.example/accords"
LOG_KEY = signer_generate(ORIGIN)


@pytest.fixture
def log_key(settings):
    """The log signs with a key given in the environment, as a deployment's would be."""
    settings.AUDIT_LOG_ORIGIN = ORIGIN
    settings.AUDIT_LOG_KEY = str(LOG_KEY)
    settings.AUDIT_LOG_KEY_FILE = ""
    return LOG_KEY


@pytest.fixture
def witness_key(tmp_path):
    key = signer_generate("monitor.example/w1", COSIGNATURE_V1)
    path = tmp_path / "witness.key"
    path.write_text(f"{key}\n")
    return key, path


AUDIT_TABLES = ["audit_auditentry", "audit_auditnode", "audit_cosignature", "audit_audithead"]


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
