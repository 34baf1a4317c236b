"""Fixtures of the audit tests: the log's key as a deployment gives it, and a witness's key."""

import pytest

from accords.audit.checkpoint import COSIGNATURE_V1, signer_generate
from accords.audit.tests.tools import LOG_KEY, ORIGIN


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


@pytest.fixture(autouse=True)
def _log_starts_empty(request):
    """The run loads reference data once, with its audit entries; these tests build logs of
    known sizes, so each begins with none (taken away inside its own transaction)."""
    if request.node.get_closest_marker("django_db") is None:
        return
    from accords.audit.models import AuditEntry, AuditHead, AuditNode, AuditRow, Cosignature
    from accords.audit.tests.tools import tampering

    with tampering():
        for model in (Cosignature, AuditNode, AuditRow, AuditEntry, AuditHead):
            model.objects.all().delete()
