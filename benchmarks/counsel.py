"""Benchmark: counsel's portal for a lawyer with thousands of clients.

Uses the PostgreSQL database named by ACCORDS_DATABASE_URL (default accords_bench_counsel,
created and migrated if missing, the reference data loaded). Bulk-loads twice `--clients`
synthetic cases of the screening benchmark's generator (its own seed) and makes the demo's
counsel counsel of record for `--clients` of them; then gives `--referrals` of those clients an
open referral under US-Rwanda with a notice served on them and on counsel (electronically) at
some moment of the last 30 hours, one in five with a fear claim pending, all by bulk insert.
Then, with counsel signed in through Django's test Client, each over `--repeats` requests
(p50 and p95 of wall time):

- the portal's first page (the week's deadlines, the first 50 clients, each with their next
  deadline); the same filtered to a deadline this week; the month's deadlines calendar; the
  iCalendar feed at counsel's secret address;
- beside them, in the same run, every running deadline of counsel's open referrals as the
  pages read them (`deadlines_list`: one evaluation per agreement), and the baseline it
  replaced: each referral's deadlines from its own explanation (`case_explanation`, the
  per-case function, at the same moment), one after another, measured on `--loop` referrals
  and scaled; the deadlines it finds on them must be those `deadlines_list` finds.

    .venv/bin/python benchmarks/counsel.py                               # 5,000 clients
    .venv/bin/python benchmarks/counsel.py --clients 300 --referrals 30 --repeats 5

Target (issue "counsel at scale"): the portal's first page p95 < 300 ms at 5,000 clients.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accords.settings")
os.environ.setdefault(
    "ACCORDS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/accords_bench_counsel"
)

SEED = 20261203
COUNSEL = "counsel"  # the demo's counsel of record
AGREEMENT = "us-rwanda"
NOTICE_TEXT = "Synthetic notice served for the counsel benchmark."


def _timed(label: str, run, repeats: int) -> tuple[float, float]:
    run()  # warm: the first request pays imports and the plan cache
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    p50 = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
    print(f"  {label:52s} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    return p50, p95


def clients_ensure(clients: int) -> None:
    """2 x `clients` synthetic cases, `clients` of them (the first by id) counsel's."""
    from django.contrib.auth.models import User
    from django.db import connection
    from tqdm import tqdm

    from accords.cases.models import Person
    from accords.demo.services import caseload_bulk_load, caseload_prefix

    prefix = caseload_prefix(SEED)
    loaded = Person.objects.filter(case_number__startswith=prefix).count()
    if loaded < 2 * clients:
        started = time.perf_counter()
        with tqdm(total=2 * clients, unit="case", desc="bulk load") as bar:
            caseload_bulk_load(actor=None, n=2 * clients, seed=SEED, progress=bar.update)
        print(f"cases: {2 * clients - loaded:,} synthetic cases loaded in "
              f"{time.perf_counter() - started:.1f}s")  # fmt: skip
    lawyer = User.objects.get(username=COUNSEL)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_person SET counsel_id = NULL WHERE counsel_id = %s",
                       [lawyer.pk])  # fmt: skip
        cursor.execute(
            "UPDATE cases_person SET counsel_id = %s WHERE id IN (SELECT id FROM cases_person "
            "WHERE case_number LIKE %s ORDER BY id LIMIT %s)",
            [lawyer.pk, f"{prefix}%", clients],
        )


def referrals_ensure(n: int) -> None:
    """`n` of counsel's open clients with an open referral under US-Rwanda and a notice served
    on them and on counsel at some moment of the last 30 hours (the 24-hour notice period of
    most is running, of the rest it has run); one in five with a fear claim pending. Any the
    last run made are removed first."""
    from django.contrib.auth.models import User
    from django.db import transaction
    from django.utils import timezone

    from accords.cases.models import FearClaim, Notice, Person
    from accords.registry.models import Agreement
    from accords.transfers.models import NoticeDocument, Referral

    lawyer = User.objects.get(username=COUNSEL)
    officer = User.objects.get(username="sending.officer")
    agreement = Agreement.objects.get(key=AGREEMENT)
    now = timezone.now()
    with transaction.atomic():
        # The generated caseload has no referrals: every one in this database is the benchmark's.
        NoticeDocument.objects.all().delete()
        Notice.objects.filter(method="benchmark").delete()
        FearClaim.objects.filter(recorded_by=lawyer).delete()
        Referral.objects.all().delete()
        people = list(
            Person.objects.filter(counsel=lawyer, status="open")
            .exclude(referrals__status="open")
            .order_by("id")[:n]
        )
        referrals = Referral.objects.bulk_create(
            Referral(person=p, agreement=agreement, referred_by=officer,
                     proposed_on=timezone.localdate() + timedelta(days=30)) for p in people
        )  # fmt: skip
        served = [now - timedelta(minutes=7 * i % (30 * 60)) for i in range(len(people))]
        notices = Notice.objects.bulk_create(
            Notice(person=p, destination=agreement.receiving_state_id, served_at=at,
                   language="en", understood=True, served_on="person_and_counsel",
                   method="benchmark", counsel_service="electronic", provenance="workflow",
                   recorded_by=officer, recorded_as="sending_officer")
            for p, at in zip(people, served, strict=True)
        )  # fmt: skip
        NoticeDocument.objects.bulk_create(
            NoticeDocument(notice=notice, referral=r, language="en", translation_checked=True,
                           text=NOTICE_TEXT, served_electronically_at=notice.served_at)
            for notice, r in zip(notices, referrals, strict=True)
        )  # fmt: skip
        FearClaim.objects.bulk_create(
            FearClaim(person=p, country=agreement.receiving_state_id, outcome="pending",
                      stated_on=timezone.localdate(at), provenance="workflow",
                      recorded_by=lawyer, recorded_as="counsel")
            for p, at in list(zip(people, served, strict=True))[::5]
        )  # fmt: skip
    print(f"referrals: {len(referrals):,} open referrals with a notice served, "
          f"{len(referrals[::5]):,} with a fear claim pending")  # fmt: skip


def per_referral(lawyer, sample: int) -> tuple[float, dict[int, int], int]:
    """The baseline: each open referral's running deadlines from its own explanation, one by
    one; seconds for `sample` of them, the deadlines found in each, and how many referrals
    there are."""
    from django.utils import timezone

    from accords.cases.screening import case_explanation
    from accords.transfers import selectors
    from accords.transfers.models import Referral

    referrals = selectors.referrals_visible(lawyer).filter(
        person__counsel=lawyer, status=Referral.Status.OPEN
    )
    total = referrals.count()
    found = {}
    started = time.perf_counter()
    for referral in referrals.order_by("pk")[:sample]:
        now = timezone.now().replace(tzinfo=None)  # the moment deadlines_list evaluates at
        gates = case_explanation(referral.person, referral.agreement, now)["gates"]
        found[referral.pk] = sum(g["outcome"] == "pending" and bool(g["earliest_clear"])
                                 for g in gates)  # fmt: skip
    return time.perf_counter() - started, found, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=5_000)
    parser.add_argument("--referrals", type=int, default=500, help="open referrals among them")
    parser.add_argument("--repeats", type=int, default=20, help="requests timed per page")
    parser.add_argument("--loop", type=int, default=50, help="per-referral baseline sample")
    args = parser.parse_args()
    from screen import database_ensure

    where = database_ensure()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from accords.demo.accounts import demo_accounts_ensure
    from accords.transfers import selectors, services

    print(f"machine: {machine()}")
    print(f"database: {where}")
    demo_accounts_ensure()
    clients_ensure(args.clients)
    referrals_ensure(args.referrals)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    lawyer = User.objects.get(username=COUNSEL)
    token = services.counsel_feed_issue(actor=lawyer, counsel=lawyer).token
    client = Client(HTTP_HOST="localhost")
    client.force_login(lawyer)
    deadlines = selectors.deadlines_list(lawyer)
    week_end = timezone.localdate() + timedelta(days=7)
    soon = {d.referral.person_id for d in deadlines if d.on <= week_end}
    print(f"\ncounsel's portal: {selectors.clients_visible(lawyer).count():,} clients, "
          f"{len(deadlines):,} running deadlines, {len(soon):,} clients with one this week "
          f"({args.repeats} requests each):")  # fmt: skip

    def get(url: str):
        def run():
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        return run

    month = min(d.on for d in deadlines).strftime("%Y-%m") if deadlines else ""
    first = _timed("the portal's first page", get("/counsel/"), args.repeats)
    _timed("a deadline this week (filtered)", get("/counsel/?due=on"), args.repeats)
    _timed("the deadlines calendar (a month)", get(f"/counsel/deadlines/?month={month}"),
           args.repeats)  # fmt: skip
    _timed("the iCalendar feed (every deadline)", get(f"/counsel/deadlines.ics?token={token}"),
           args.repeats)  # fmt: skip

    print("\nevery running deadline, without the page, and the baseline in the same run:")
    bulk, _ = _timed("deadlines_list (one evaluation per agreement)",
                     lambda: selectors.deadlines_list(lawyer), args.repeats)  # fmt: skip
    seconds, found, total = per_referral(lawyer, min(args.loop, args.referrals))
    bulk_found = {pk: 0 for pk in found}
    for deadline in selectors.deadlines_list(lawyer):
        if deadline.referral.pk in bulk_found:
            bulk_found[deadline.referral.pk] += 1
    if bulk_found != found:
        sys.exit("the per-referral baseline and deadlines_list find different deadlines")
    sample = len(found)
    loop = seconds * 1000 * total / max(sample, 1)
    print(f"  baseline: each referral's explanation in turn: {seconds * 1000 / max(sample, 1):.1f}"
          f" ms a referral ({sum(found.values())} deadlines in {sample}, as deadlines_list), "
          f"{loop:,.0f} ms for all {total:,} (scaled); {loop / bulk:.0f}x deadlines_list, "
          f"{loop / first[0]:.0f}x the first page")  # fmt: skip
    print(f"\nmachine after: {machine()}")
    print(f"counsel: first page p95 {first[1]:.0f} ms (target 300) at {args.clients:,} clients, "
          f"{total:,} open referrals; per-referral baseline {loop / bulk:.0f}x")  # fmt: skip


if __name__ == "__main__":
    main()
