"""The monitors' page: who may see it, proofs a monitor downloads and checks without trusting
the server, and bad requests answered with the field at fault."""

import base64
import json

import pytest
from django.db import transaction

from accords.audit.checkpoint import checkpoint_open
from accords.audit.log import entries_append
from accords.audit.merkle import verify_consistency, verify_inclusion
from accords.audit.models import AuditEntry
from accords.audit.tests.tools import ORIGIN
from accords.core.roles import ROLES
from accords.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_accounts_ensure

PAGES = [
    "/audit/",
    "/audit/checkpoint",
    "/audit/proofs/inclusion?entry=1&size=3",
    "/audit/proofs/consistency?size1=1&size2=3",
]
READERS = {"monitor", "auditor"}


@pytest.fixture
def log(log_key):
    with transaction.atomic():
        entries_append([{"action": "test.append", "details": {"i": i}} for i in range(3)])
    return log_key


def _as(client, role):
    if role is not None:
        username = next(u for u, r, _, _ in DEMO_ACCOUNTS if r == role)
        assert client.login(username=username, password=DEMO_PASSWORD)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, *ROLES])
@pytest.mark.parametrize("page", PAGES)
def test_only_those_who_read_the_audit_log_reach_the_monitors_pages(client, log, role, page):
    demo_accounts_ensure()
    response = _as(client, role).get(page)
    if role is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == (200 if role in READERS else 403)


@pytest.mark.django_db
def test_a_monitor_checks_a_downloaded_inclusion_proof_against_the_signed_checkpoint(client, log):
    demo_accounts_ensure()
    _as(client, "monitor")
    checkpoint = checkpoint_open(
        client.get("/audit/checkpoint").content.decode(), log.verifier, ORIGIN
    )
    response = client.get(f"/audit/proofs/inclusion?entry=2&size={checkpoint.size}")
    assert "attachment" in response["Content-Disposition"]
    proof = json.loads(response.content)
    leaf = bytes.fromhex(AuditEntry.objects.get(seq=2).entry_hash)
    assert base64.b64decode(proof["root_hash"]) == checkpoint.root
    verify_inclusion(
        index=proof["leaf_index"], size=proof["tree_size"], leaf=leaf,
        proof=[base64.b64decode(h) for h in proof["proof"]], root=checkpoint.root,
    )  # fmt: skip
    later = json.loads(
        client.get(f"/audit/proofs/consistency?size1=1&size2={checkpoint.size}").content
    )
    verify_consistency(
        size1=1, size2=checkpoint.size, root1=base64.b64decode(later["root1"]),
        root2=checkpoint.root, proof=[base64.b64decode(h) for h in later["proof"]],
    )  # fmt: skip


@pytest.mark.django_db
def test_the_page_shows_the_latest_cosigned_checkpoint(client, log, witness_key):
    from accords.audit.publishing import checkpoint_signed
    from accords.audit.services import cosignature_create

    demo_accounts_ensure()
    page = _as(client, "auditor").get("/audit/").content.decode()
    assert "No witness has cosigned" in page
    cosignature_create(actor=None, witness=witness_key[0], checkpoint=checkpoint_signed())
    page = client.get("/audit/").content.decode()
    size = checkpoint_open(checkpoint_signed(), log.verifier, ORIGIN).size - 1
    assert "monitor.example/w1" in page
    assert f"The log of {size} entries, cosigned by 1 witness" in page
    # The cosignature's time in the reader's zone, and named as that zone.
    from django.contrib.auth.models import User

    from accords.core.services import user_preferences_set

    auditor = User.objects.get(username=next(u for u, r, _, _ in DEMO_ACCOUNTS if r == "auditor"))
    user_preferences_set(actor=auditor, user=auditor, language="", time_zone="Africa/Kigali")
    page = client.get("/audit/").content.decode()
    assert "(Africa/Kigali)" in page and " UTC</li>" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query,field,message",
    [
        ("entry=abc&size=3", "entry", "Enter a whole number"),
        ("entry=0&size=3", "entry", "greater than or equal to 1"),
        ("entry=3&size=2", "entry", "within the log of that size"),
        ("entry=1&size=99999", "size", "The log holds"),
        ("size=3", "entry", "This field is required"),
    ],
)
def test_a_bad_inclusion_request_names_its_field_and_writes_nothing(
    client, log, query, field, message
):
    demo_accounts_ensure()
    before = AuditEntry.objects.count()
    response = _as(client, "monitor").get(f"/audit/proofs/inclusion?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert field in response.context["inclusion"].errors
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query,field,message",
    [
        ("size1=2&size2=1", "size1", "cannot be larger"),
        ("size1=1&size2=99999", "size2", "The log holds"),
        ("size1=x&size2=3", "size1", "Enter a whole number"),
    ],
)
def test_a_bad_consistency_request_names_its_field(client, log, query, field, message):
    demo_accounts_ensure()
    response = _as(client, "monitor").get(f"/audit/proofs/consistency?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert field in response.context["consistency"].errors


@pytest.mark.django_db
def test_without_a_signing_key_the_checkpoint_says_so_rather_than_failing(
    client, log, settings, tmp_path
):
    settings.AUDIT_LOG_KEY = ""
    settings.AUDIT_LOG_KEY_FILE = str(tmp_path / "absent.key")
    demo_accounts_ensure()
    response = _as(client, "monitor").get("/audit/checkpoint")
    assert response.status_code == 503
    assert "no key to sign" in response.content.decode()
    assert _as(client, "monitor").get("/audit/").status_code == 200
