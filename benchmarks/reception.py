"""Benchmark: reception's stipend cycle and the caseworker's overdue list at scale.

Uses the database named by ACCORDS_DATABASE_URL (default: PostgreSQL on 127.0.0.1, database
accords_care; created and migrated if missing). Loads N synthetic arrivals under us-rwanda
(people, referrals, one flight's manifest entries, arrivals, intakes; a service each, one in
five overdue) with bulk inserts, then measures, in the same run:

- cycle: `stipend_cycle_compute` (the service, with its audit entry) computing and writing
  every entitlement of one monthly cycle; against the obvious per-person ORM loop (each
  arrival read with its intake, checked, its entitlement saved one by one), measured on a
  sample of `--loop` arrivals and scaled to N;
- overdue: the caseworker's overdue list as the page reads it (its count and first 200 rows,
  people joined), mean of 20; against the per-person loop (each arrival's services read and
  filtered in Python), measured on a sample and scaled.

    .venv/bin/python benchmarks/reception.py                # 100,000 arrivals
    .venv/bin/python benchmarks/reception.py --arrivals 20000

Targets (issue 10): a cycle in < 10 s and the overdue list in < 300 ms at 100,000 arrivals.
The demo data it writes is synthetic and prefixed BENCH-R-; each run removes the last one's.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import database_migrated, machine  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accords.settings")
os.environ.setdefault("ACCORDS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/accords_care")

PREFIX = "BENCH-R-"
BATCH = 10_000


def load(n: int):
    """N arrivals, each taken in with consent, each owed a service (one in five overdue)."""
    from django.contrib.auth.models import User
    from django.db import connection, transaction
    from django.utils import timezone

    from accords.cases.models import Person
    from accords.core.tests.world import world_ensure
    from accords.reception.models import Arrival, CareService, Intake
    from accords.reception.tests import care_stages
    from accords.registry.models import Agreement
    from accords.transfers.models import Flight, Manifest, ManifestEntry, Referral

    world_ensure()
    officer = User.objects.get(username="sending.officer")
    rwanda = Agreement.objects.get(key="us-rwanda")
    with transaction.atomic(), connection.cursor() as cursor:
        people = Person.objects.filter(case_number__startswith=PREFIX)
        for table, where in (
            ("reception_payment", "entitlement_id IN (SELECT e.id FROM reception_entitlement e "
             "JOIN reception_stipendcycle c ON c.id = e.cycle_id)"),
            ("reception_entitlement", "TRUE"), ("reception_stipendcycle", "TRUE"),
            ("reception_stipendprogramme", "TRUE"),
        ):  # fmt: skip
            cursor.execute(f"DELETE FROM {table} WHERE {where}")
        arrivals = Arrival.objects.filter(person__in=people)
        CareService.objects.filter(arrival__in=arrivals).delete()
        Intake.objects.filter(arrival__in=arrivals).delete()
        entries = list(arrivals.values_list("entry_id", flat=True))
        arrivals.delete()
        ManifestEntry.objects.filter(pk__in=entries).delete()
        Referral.objects.filter(person__in=people).delete()
        people.delete()
        Manifest.objects.filter(flight__route="BENCH").delete()
        Flight.objects.filter(route="BENCH").delete()
    care_stages.stipend_term()
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        flight = Flight.objects.create(departs_on=today - timedelta(days=60), route="BENCH",
                                       seats=n, agreement=rwanda)  # fmt: skip
        manifest = Manifest.objects.create(flight=flight, departed_at=now)
        for start in range(0, n, BATCH):
            size = min(BATCH, n - start)
            people = Person.objects.bulk_create(
                Person(case_number=f"{PREFIX}{start + i}", given_name="Synthetic",
                       family_name=f"Person {start + i}", birth_date=date(1990, 1, 1),
                       status="closed")
                for i in range(size)
            )  # fmt: skip
            referrals = Referral.objects.bulk_create(
                Referral(person=p, agreement=rwanda, referred_by=officer, proposed_on=today,
                         status="handed_over") for p in people
            )  # fmt: skip
            entries = ManifestEntry.objects.bulk_create(
                ManifestEntry(manifest=manifest, referral=r, status="handed_over",
                              departed_at=now, handed_over_at=now) for r in referrals
            )  # fmt: skip
            arrived = now - timedelta(days=60)
            arrivals = Arrival.objects.bulk_create(
                Arrival(entry=e, person_id=e.referral.person_id, agreement=rwanda,
                        arrived_at=arrived, plan_due_on=today - timedelta(days=30))
                for e in entries
            )  # fmt: skip
            Intake.objects.bulk_create(
                Intake(arrival=a, housed_at="Hostel", needs=[], consent=True,
                       recorded_on=today - timedelta(days=59)) for a in arrivals
            )  # fmt: skip
            CareService.objects.bulk_create(
                CareService(arrival=a, kind="health", provider="Clinic",
                            requested_on=today - timedelta(days=59),
                            due_on=today - timedelta(days=5 if (start + i) % 5 == 0 else -30))
                for i, a in enumerate(arrivals)
            )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def cycle_fast(programme, starts_on) -> float:
    from accords.reception.services import care

    began = time.perf_counter()
    care.stipend_cycle_compute(actor=None, programme=programme, starts_on=starts_on)
    return time.perf_counter() - began


def cycle_loop(programme, starts_on, sample: int) -> float:
    """The obvious way: every arrival read, checked and its entitlement saved on its own."""
    from django.db import transaction
    from django.utils import timezone

    from accords.reception.models import Arrival, Entitlement, StipendCycle

    began = time.perf_counter()
    with transaction.atomic():
        cycle = StipendCycle.objects.create(programme=programme, starts_on=starts_on,
                                            ends_on=starts_on + timedelta(days=27),
                                            computed_at=timezone.now())  # fmt: skip
        arrivals = Arrival.objects.filter(agreement=programme.agreement).order_by("pk")[:sample]
        for arrival in arrivals:
            intake = getattr(arrival, "intake", None)
            arrived = timezone.localdate(arrival.arrived_at)
            if (
                intake
                and intake.consent
                and arrived <= starts_on
                and (arrival.left_on is None or arrival.left_on >= starts_on)
            ):
                Entitlement(cycle=cycle, arrival=arrival, amount=programme.amount).save()
        transaction.set_rollback(True)
    return time.perf_counter() - began


def overdue_fast(user, rounds: int = 20) -> tuple[float, int]:
    from django.utils import timezone

    from accords.reception.selectors import care as selectors

    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        overdue = selectors.services_overdue(user, timezone.localdate())
        count = overdue.count()
        rows = [(s.arrival.person.case_number, s.due_on) for s in overdue[:200]]
        times.append(time.perf_counter() - began)
    assert len(rows) == min(count, 200)
    return statistics.mean(times), count


def overdue_loop(user, sample: int) -> float:
    from django.utils import timezone

    from accords.reception.selectors import care as selectors

    today = timezone.localdate()
    began = time.perf_counter()
    found = []
    for arrival in selectors.caseload(user).order_by("pk")[:sample]:
        for service in arrival.services.all():
            if service.outcome == "pending" and service.due_on < today and not arrival.left_on:
                found.append((arrival.person.case_number, service.due_on))
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--arrivals", type=int, default=100_000)
    parser.add_argument("--loop", type=int, default=5_000, help="per-person loop sample")
    parser.add_argument("--reuse", action="store_true", help="keep the last run's arrivals")
    args = parser.parse_args()
    database_migrated()
    from django.contrib.auth.models import User
    from django.db import connection

    from accords.reception.services import care
    from accords.reception.tests import care_stages
    from accords.registry.models import Agreement

    n = args.arrivals
    print(f"reception benchmark: {n:,} arrivals on {connection.vendor} "
          f"{connection.settings_dict['NAME']}; {machine()}")  # fmt: skip
    began = time.perf_counter()
    from accords.reception.models import Arrival, StipendProgramme

    if args.reuse and Arrival.objects.filter(person__case_number__startswith=PREFIX).count() == n:
        from accords.reception.models import Entitlement, StipendCycle

        Entitlement.objects.all().delete()
        StipendCycle.objects.all().delete()
        StipendProgramme.objects.all().delete()
        print("  reusing the last run's arrivals")
    else:
        load(n)
        print(f"  loaded in {time.perf_counter() - began:.1f}s")
    rwanda = Agreement.objects.get(key="us-rwanda")
    programme = care.stipend_programme_open(actor=None, agreement=rwanda)
    starts = care_stages.first_of_month(0)
    fast = cycle_fast(programme, starts)
    from accords.reception.models import Entitlement

    written = Entitlement.objects.filter(cycle__starts_on=starts).count()
    sample = min(args.loop, n)
    loop = cycle_loop(programme, starts - timedelta(days=1), sample) * n / sample
    print(f"  cycle: {written:,} entitlements computed and written in {fast:.2f}s; "
          f"per-person ORM loop {loop:.1f}s (measured on {sample:,}, scaled): "
          f"{loop / fast:.0f}x (target < 10 s)")  # fmt: skip
    officer = User.objects.get(username="receiving.officer")
    mean, count = overdue_fast(officer)
    loop = overdue_loop(officer, sample) * n / sample
    print(f"  overdue list: {count:,} overdue, count and first 200 in {mean * 1000:.0f}ms "
          f"(mean of 20); per-person loop {loop:.1f}s (on {sample:,}, scaled): "
          f"{loop / mean:.0f}x (target < 300 ms)")  # fmt: skip
    print(f"reception: cycle {fast:.2f}s, overdue {mean * 1000:.0f}ms for {n:,} arrivals")


if __name__ == "__main__":
    main()
