"""`accords demo`, as `make demo` runs it: everything a first visit needs, and nothing twice."""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client

from accords.audit.models import AuditEntry
from accords.cases.models import Decision, Person, Screening
from accords.demo.accounts import DEMO_PASSWORD
from accords.law.evaluate import GATE_IDS
from accords.ledger.models import Transfer
from accords.transfers.models import Manifest, Plan, Referral

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

    # The ledger shows an agreement with a per-person fee and the fee of each of its transfers.
    fees = Transfer.objects.filter(ledger__agreement__key="us-el-salvador", code="obligation",
                                   reference__startswith="referral/")  # fmt: skip
    departed = Referral.objects.filter(agreement__key="us-el-salvador", status="departed")
    assert departed.count() == 2
    assert set(fees.filter(phase="post").values_list("amount", flat=True)) == {2_000_000}
    assert fees.filter(phase="post").count() == 2
    client = Client()
    client.login(username="finance", password=DEMO_PASSWORD)
    books = client.get("/finance/us-el-salvador/").content.decode()
    assert "$40,000.00" in books

    # Pages speak words: no gate key and no developer note on the demo's pages.
    client.login(username="sending.officer", password=DEMO_PASSWORD)
    pages = ["/referrals/", *(f"/referrals/{pk}/" for pk in Referral.objects.values_list(
        "pk", flat=True).filter(person__case_number__startswith="DEMO-T-"))]  # fmt: skip
    pages += [f"/cases/{n}/" for n in ("DEMO-T-03", "DEMO-T-13", "DEMO-T-16")]
    pages += [f"/manifests/{pk}/" for pk in Manifest.objects.values_list("pk", flat=True)]
    pages += [f"/plans/{pk}/" for pk in Plan.objects.values_list("pk", flat=True)]
    keys = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in GATE_IDS) + r")\b")
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        text = re.sub(r"<[^>]+>", " ", page)  # what a reader sees, not attributes or links
        assert not keys.findall(text), (url, keys.findall(text)[:3])
        assert "Placeholder" not in page, url

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
