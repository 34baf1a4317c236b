"""Benchmark: posting transfers in batches and computing every account's balance, against
posting them one by one through the ORM in the same run.

Uses the database named by ACCORDS_DATABASE_URL (default: PostgreSQL on 127.0.0.1, database
accords_bench_ledger; created and migrated if missing). Its ledger tables are emptied
(TRUNCATE) before each run, so point it at a database of its own.

One ledger (US–Palau, USD) with a funding source, a fund's commitment and obligations, and
1,000 people's stipend accounts: a commitment large enough for all, then for each transfer
pair an obligation to a person's account and its payment, so every limit is checked and
holds. Batches go through `journal.transfers_post_batch` (checks over the whole batch, COPY);
one by one through `journal.transfer_make` (each checks its debit's balance, one INSERT).

    .venv/bin/python benchmarks/ledger.py                 # 1,000,000 transfers
    .venv/bin/python benchmarks/ledger.py --transfers 100000

The last line is `ledger: <N> transfers/s, balances in <T>s, <R>x one by one`.
"""

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import database_migrated, machine  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accords.settings")
DATABASE = "postgres://postgres@127.0.0.1:5432/accords_bench_ledger"
BATCH = 50_000
PEOPLE = 1_000
ONE_BY_ONE = 500


def _frame(accounts: dict, n: int, first: int):
    """`n` transfers: obligations and payments of people's stipends, alternating."""
    import numpy as np
    import polars as pl

    i = np.arange(first, first + n)
    person = np.array(accounts["people"])[(i // 2) % PEOPLE]
    obligation = i % 2 == 0
    return pl.DataFrame({
        "debit_account_id": np.where(obligation, accounts["committed"], person),
        "credit_account_id": np.where(obligation, person, accounts["paid"]),
        "amount": np.full(n, 15_000, dtype=np.int64),
        "code": np.where(obligation, "obligation", "disbursement"),
        "on": pl.Series([date(2026, 1, 1)] * n),
    })  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--transfers", type=int, default=1_000_000)
    n = parser.parse_args().transfers
    os.environ.setdefault("ACCORDS_DATABASE_URL", DATABASE)
    database_migrated()
    from django.core.management import call_command
    from django.db import connection, transaction

    from accords.ledger import journal
    from accords.ledger.balances import balances
    from accords.ledger.models import Transfer
    from accords.registry.models import Agreement

    call_command("reference", "load", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE ledger_transfer, ledger_account, ledger_ledger, ledger_claim")
    palau = Agreement.objects.get(key="us-palau")
    ledger = journal.ledger_for(palau, "USD")
    accounts = {
        "committed": journal.account_for(ledger, "committed", "stipends").pk,
        "paid": journal.account_for(ledger, "stipend_paid", "stipends").pk,
        "people": [journal.account_for(ledger, "stipend", "stipends", str(p)).pk
                   for p in range(1, PEOPLE + 1)],
    }  # fmt: skip
    with transaction.atomic():
        journal.transfer_make(debit=journal.funding(ledger),
                              credit=ledger.accounts.get(pk=accounts["committed"]),
                              amount=15_000 * (n + ONE_BY_ONE), code="commitment",
                              on=date(2026, 1, 1))  # fmt: skip

    started = time.perf_counter()
    for first in range(0, n, BATCH):
        with transaction.atomic():
            journal.transfers_post_batch(ledger, _frame(accounts, min(BATCH, n - first), first))
    batched = n / (time.perf_counter() - started)

    started = time.perf_counter()
    found = balances(Transfer.objects.filter(ledger=ledger))
    balance_time = time.perf_counter() - started
    assert sum(b.posted for b in found.values()) == 0

    rows = _frame(accounts, ONE_BY_ONE, n).rows(named=True)
    by_pk = {a.pk: a for a in ledger.accounts.all()}
    started = time.perf_counter()
    for row in rows:
        with transaction.atomic():
            journal.agreement_lock(palau)
            journal.transfer_make(debit=by_pk[row["debit_account_id"]],
                                  credit=by_pk[row["credit_account_id"]], amount=row["amount"],
                                  code=row["code"], on=row["on"])  # fmt: skip
    one_by_one = ONE_BY_ONE / (time.perf_counter() - started)

    print(f"machine: {machine()}")
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"batched: {n:,} transfers in batches of {BATCH:,}: {batched:,.0f} transfers/s")
    print(f"one by one through the ORM (baseline, {ONE_BY_ONE:,} in this run): "
          f"{one_by_one:,.0f} transfers/s")  # fmt: skip
    print(f"balances of {len(found):,} accounts over {n + 1:,} transfers: {balance_time:.3f}s")
    print(f"ledger: {batched:,.0f} transfers/s, balances in {balance_time:.2f}s, "
          f"{batched / one_by_one:,.0f}x one by one")  # fmt: skip


if __name__ == "__main__":
    main()
