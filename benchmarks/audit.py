"""Benchmark: the audit log as a Merkle tree against the plain hash chain it grew from.

Uses the database named by ACCORDS_DATABASE_URL (default: PostgreSQL on 127.0.0.1, database
accords_bench_audit; created and migrated if missing). Its audit tables are emptied (TRUNCATE)
before each run, so point it at a database of its own. Every step is measured twice in the
same run, once for the Merkle log and once for the plain hash chain:

- append: n entries through `entries_append` (the code every action's entry goes through),
  1,000 entries per transaction, each with its canonical JSON, leaf hash, chain link, the
  subtrees it completes and the digests of the two domain rows it binds; against the chain
  alone (the same entries, hashes and inserts, head updated, no tree, no rows). One action
  writes one entry in its own transaction; batching is how a bulk load appends, and what lets
  a single writer reach these rates.
- verify: `log_verify` reads every entry, hashes its stored leaf, checks its link, that its
  columns say what its leaf says, and the tree over them; against `chain_leaves`, the chain
  check alone. The CPU time of both processes is printed too: the machine may be shared.
- proof: an inclusion proof of a random entry and a consistency proof from a random size to
  the whole log, read from the stored subtrees (mean of 200 each); against what the chain
  offers instead, the entries from that one to the head, their leaves rehashed (mean of 5).

    .venv/bin/python benchmarks/audit.py              # 1,000,000 entries
    .venv/bin/python benchmarks/audit.py --quick      # 20,000 entries

The last line is `audit: append <N>/s, verify 1M <T>s, proof <P>ms`.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import database_migrated, machine  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accords.settings")

DATABASE = "postgres://postgres@127.0.0.1:5432/accords_bench_audit"
BATCH = 1_000
TABLES = "audit_auditentry, audit_auditnode, audit_auditrow, audit_cosignature, audit_audithead"


def database_ensure() -> str:
    database_migrated()
    from django.db import connection

    return f"{connection.vendor} {connection.settings_dict['NAME']}"


def empty_the_log() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {TABLES}")
        else:
            for table in TABLES.split(", "):
                cursor.execute(f"DELETE FROM {table}")


def records(start: int, n: int) -> list[dict]:
    """Entries of the size item 4 of issue 12 makes them (ids, changed fields, a digest), each
    binding the two domain rows an answer writes (item 5): the acceptance and the referral."""
    return [
        {
            "action": "referral.accept",
            "details": {
                "referral": start + i,
                "changed": ["status", "answered_at"],
                "digest": f"{(start + i) * 2654435761 % 2**256:064x}",
            },
            "rows": [
                ("cases.acceptance", str(start + i), f"{(start + i) * 40503 % 2**256:064x}"),
                ("transfers.referral", str(start + i), f"{(start + i) * 65537 % 2**256:064x}"),
            ],
        }
        for i in range(n)
    ]


def chain_append(batch: list[dict]) -> None:
    """The plain hash chain's append: entries and head, no tree, no rows; each entry spelled,
    hashed and stored (with its leaf text) as the log does."""
    import hashlib

    from django.utils import timezone

    from accords.audit.log import ENTRY_COLUMNS, GENESIS, _insert, _leaf_text, canonical_json
    from accords.audit.models import AuditEntry, AuditHead

    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    prev, now, entries = head.last_hash or GENESIS, timezone.now(), []
    at = now.isoformat(timespec="microseconds")
    for seq, record in enumerate(batch, start=head.size + 1):
        details = canonical_json(record["details"])
        leaf = _leaf_text(seq, at, "system", record["action"], "", "", details, prev)
        digest = hashlib.sha256(b"\x00" + leaf.encode()).hexdigest()
        entries.append((seq, now, None, "system", record["action"], "", "", details, prev,
                        digest, leaf))  # fmt: skip
        prev = digest
    _insert(AuditEntry, ENTRY_COLUMNS, entries)
    head.size, head.last_hash = head.size + len(batch), prev
    head.save(update_fields=["size", "last_hash"])


def append(n: int, how) -> float:
    """Seconds spent appending: in the transactions, not making up the benchmark's records."""
    from django.db import transaction

    seconds = 0.0
    for start in range(0, n, BATCH):
        batch = records(start, min(BATCH, n - start))
        started = time.perf_counter()
        with transaction.atomic():
            how(batch)
        seconds += time.perf_counter() - started
    return seconds


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds so far of this process and of its database backend (the server runs on
    this machine): what a run costs whatever the load, unlike the wall-clock figures."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    stat = Path(f"/proc/{pid}/stat")
    server = 0.0
    if stat.exists():
        fields = stat.read_text().rsplit(")", 1)[1].split()
        server = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return time.process_time(), server


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def chain_proof(index: int) -> None:
    """What a hash chain offers to show entry `index` is in the log: every entry after it up
    to the head, each leaf rehashed and linked."""
    import hashlib

    from accords.audit.models import AuditEntry

    rows = AuditEntry.objects.filter(seq__gt=index).order_by("seq")
    prev = None
    for leaf, stored_prev, stored in rows.values_list("leaf", "prev_hash", "entry_hash").iterator(
        chunk_size=20_000
    ):
        assert prev is None or stored_prev == prev
        prev = hashlib.sha256(b"\x00" + leaf.encode()).hexdigest()
        assert prev == stored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="20,000 entries")
    parser.add_argument("--entries", type=int, default=0, help="entries to append")
    args = parser.parse_args()
    n = args.entries or (20_000 if args.quick else 1_000_000)
    os.environ.setdefault("ACCORDS_DATABASE_URL", DATABASE)
    print(f"machine: {machine()}")
    print(f"database: {database_ensure()}")

    from accords.audit.log import chain_leaves, entries_append, log_verify
    from accords.audit.merkle import verify_consistency, verify_inclusion
    from accords.audit.selectors import consistency_proof, inclusion_proof, tree_nodes, tree_root

    empty_the_log()
    chain_seconds = append(n, chain_append)
    empty_the_log()
    tree_seconds = append(n, entries_append)
    rate, chain_rate = n / tree_seconds, n / chain_seconds
    print(
        f"append {n:,} entries: {tree_seconds:.2f}s, {rate:,.0f}/s; plain chain "
        f"{chain_seconds:.2f}s, {chain_rate:,.0f}/s (ratio {tree_seconds / chain_seconds:.2f}x)"
    )

    chain_verify, _ = timed(lambda: sum(1 for _ in chain_leaves()))
    client, server = cpu_seconds()
    tree_verify, result = timed(log_verify)
    client_after, server_after = cpu_seconds()
    assert result.ok and result.entries == n, result.problem
    print(f"verify {n:,} entries: {tree_verify:.2f}s; plain chain {chain_verify:.2f}s "
          f"(ratio {tree_verify / chain_verify:.2f}x); CPU time {client_after - client:.2f}s "
          f"in Python, {server_after - server:.2f}s in the database's backend")  # fmt: skip

    rng = random.Random(20261202)
    root = tree_root(n)
    inclusion, consistency = [], []
    for _ in range(200):
        index = rng.randrange(n)
        seconds, proof = timed(lambda index=index: inclusion_proof(index, n))
        inclusion.append(seconds)
        leaf = tree_nodes({(0, index)})[(0, index)]
        verify_inclusion(index=index, size=n, leaf=leaf, proof=proof, root=root)
        size1 = rng.randrange(1, n)
        seconds, proof = timed(lambda size1=size1: consistency_proof(size1, n))
        consistency.append(seconds)
        verify_consistency(size1=size1, size2=n, root1=tree_root(size1), root2=root, proof=proof)
    chain = [timed(lambda: chain_proof(rng.randrange(n)))[0] for _ in range(5)]
    inclusion_ms = statistics.mean(inclusion) * 1e3
    consistency_ms = statistics.mean(consistency) * 1e3
    chain_ms = statistics.mean(chain) * 1e3
    print(
        f"inclusion proof at {n:,}: {inclusion_ms:.2f}ms, consistency proof "
        f"{consistency_ms:.2f}ms (max {max(inclusion) * 1e3:.2f}ms, "
        f"{max(consistency) * 1e3:.2f}ms); the plain chain's rehash to the head "
        f"{chain_ms:.0f}ms (ratio {inclusion_ms / chain_ms:.5f}x)"
    )
    label = "1M" if n == 1_000_000 else f"{n:,}"
    proof_ms = max(inclusion_ms, consistency_ms)
    print(f"audit: append {rate:,.0f}/s, verify {label} {tree_verify:.1f}s, proof {proof_ms:.2f}ms")


if __name__ == "__main__":
    main()
