"""`accords demo`, as `make demo` runs it: everything a first visit needs, and nothing twice."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from accords.audit.models import AuditEntry
from accords.cases.models import Decision, Person, Screening
from accords.transfers.models import Manifest, Referral

pytestmark = pytest.mark.django_db


def _demo(cases: int) -> str:
    out = StringIO()
    call_command("demo", cases=cases, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_demo_prepares_accounts_a_screened_caseload_and_the_workflow_and_again_nothing():
    # One scenario, not two: each build of the demo takes seconds, and the second run is
    # proven on the very world the first one made.
    said = _demo(cases=30)
    for username in ("sending.officer", "receiving.officer", "counsel", "monitor", "auditor"):
        assert username in said
    assert Person.objects.filter(case_number__startswith="S2026-").count() == 30

    screening = Screening.objects.get()
    screened = set(Decision.objects.filter(screening=screening).values_list("person", flat=True))
    # The staged transfer cases are screened too: the worklist covers every open case.
    assert set(Person.objects.filter(status="open").values_list("pk", flat=True)) <= screened
    assert sum(screening.summary["decisions"].values()) == len(
        Decision.objects.filter(screening=screening)
    )

    ready = Manifest.objects.get(locked_at__isnull=False, departed_at=None)
    assert f"manifest {ready.pk} is locked and ready to depart" in said
    assert Referral.objects.filter(status="open").exists()
    assert Referral.objects.filter(status="handed_over").exists()

    # Running it again changes nothing.
    last, referrals = AuditEntry.objects.latest("seq").seq, Referral.objects.count()
    said = _demo(cases=30)
    assert "screened as of" in said and "already" in said
    assert "0 created, 0 updated, 30 unchanged" in said
    assert (Referral.objects.count(), Screening.objects.count()) == (referrals, 1)
    # The log still records that the loads ran again (finding everything unchanged).
    again = AuditEntry.objects.filter(seq__gt=last)
    assert set(again.values_list("action", flat=True)) == {
        "reference_data.load",
        "case.import_chunk",
    }


def test_the_demo_refuses_production_mode_before_it_writes_anything(settings):
    settings.PRODUCTION = True
    before = (User.objects.count(), Person.objects.count(), AuditEntry.objects.count())
    with pytest.raises(CommandError, match=r"refuses to run in production mode") as refused:
        call_command("demo", cases=5, stdout=StringIO(), stderr=StringIO())
    assert refused.value.returncode == 2
    after = (User.objects.count(), Person.objects.count(), AuditEntry.objects.count())
    assert after == before
