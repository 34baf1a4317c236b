"""The tree came to a log that already had entries: it was built over their hashes as they
were, no entry was rehashed, and the old entries verify as before, with the text their hashes
cover stored beside them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accords.audit.log import GENESIS, entry_hash, log_verify
from accords.audit.merkle import leaf_hash, root_of
from accords.audit.selectors import inclusion_proof, tree_root

BEFORE = [("audit", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_entries_written_before_the_tree_keep_their_hashes_and_verify():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("audit")
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    entry_model, head_model = (
        old.get_model("audit", "AuditEntry"),
        old.get_model("audit", "AuditHead"),
    )
    prev, hashes = GENESIS, []
    for seq in range(1, 12):
        fields = dict(
            seq=seq, at=timezone.now(), actor_name="system", action="source.create",
            object_type="registry.source", object_id=str(seq), details={"arguments": {"key": f"s{seq}"}},
            prev_hash=prev,
        )  # fmt: skip
        prev = entry_hash(**fields)
        entry_model.objects.create(entry_hash=prev, **fields)
        hashes.append(prev)
    head_model.objects.create(pk=1, size=11, last_hash=prev)

    executor = MigrationExecutor(connection)
    executor.migrate(latest)

    from accords.audit.models import AuditEntry

    assert list(AuditEntry.objects.values_list("entry_hash", flat=True)) == hashes
    # Each old entry was given the text its hash always covered, spelled from its columns.
    for leaf, h in AuditEntry.objects.values_list("leaf", "entry_hash"):
        assert leaf_hash(leaf.encode()).hex() == h
    result = log_verify()
    assert result.ok and result.entries == 11
    assert result.root == tree_root(11) == root_of(bytes.fromhex(h) for h in hashes)
    assert len(inclusion_proof(4, 11)) == 4
