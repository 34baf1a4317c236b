"""`accords ledger export --format beancount FILE`: a file bean-check accepts, for the demo's
ledger and for any ledger hypothesis makes; bad arguments end with exit code 2."""

import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accords.core.tests.world import world_ensure
from accords.demo.ledger import demo_ledger_ensure
from accords.ledger import postings, services
from accords.ledger.models import Transfer
from accords.registry.models import Agreement

BEAN_CHECK = shutil.which("bean-check", path=str(Path(sys.executable).parent))


def _bean_check(tmp_path: Path) -> str:
    path = tmp_path / "ledger.beancount"
    call_command("ledger", "export", "--format", "beancount", str(path))
    done = subprocess.run([BEAN_CHECK, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return path.read_text()


@pytest.mark.django_db
def test_the_demo_s_ledger_passes_bean_check(tmp_path):
    world_ensure()
    result = demo_ledger_ensure()
    assert result["posted"] > 10 and not result["refused"]
    assert demo_ledger_ensure()["posted"] == 0  # again: nothing new
    rwanda = Agreement.objects.get(key="us-rwanda")
    args = {"agreement": rwanda, "person_id": 3, "currency": "USD", "cycle_ref": "2026-11",
            "on": date(2026, 11, 30)}  # fmt: skip
    postings.stipend_obliged(amount=Decimal("120"), **args)
    postings.stipend_paid(amount=Decimal("120"), **args)
    text = _bean_check(tmp_path)
    assert "Income:UsRwanda:USD:Paid:LumpSums" in text and "7500000.00 USD" in text
    assert "Liabilities:UsRwanda:USD:Stipend:Stipends:Person3" in text
    assert text.count(" * ") == Transfer.objects.filter(phase__in=["posted", "post"]).count()


STEPS = st.lists(
    st.tuples(st.sampled_from(["commit", "pay", "stipend", "sent", "correct"]),
              st.integers(min_value=1, max_value=10**12)),
    min_size=1, max_size=12,
)  # fmt: skip


@pytest.mark.django_db
@given(steps=STEPS)
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
def test_any_ledger_hypothesis_makes_passes_bean_check(steps, tmp_path):
    world_ensure()
    with transaction.atomic():
        _apply(steps, Agreement.objects.get(key="us-palau"))
        _bean_check(tmp_path)
        transaction.set_rollback(True)


def _apply(steps, palau):
    from django.core.exceptions import ValidationError

    from accords.ledger.tests.helpers import money_term

    for n, (step, cents) in enumerate(steps):
        amount = Decimal(cents) / 100
        stipend = {"agreement": palau, "person_id": n + 1, "currency": "USD",
                   "cycle_ref": f"c{n}", "on": date(2025, 1, 1)}  # fmt: skip
        try:
            with transaction.atomic():
                if step == "commit":
                    term = money_term(palau, f"hyp-{n}", "fund", amount)
                    services.commitment_record(actor=None, term=term, on=date(2025, 1, 1))
                elif step == "pay":
                    services.payment_record(actor=None, agreement=palau, programme="fund",
                                            amount=amount, currency="USD", on=date(2025, 2, 1))  # fmt: skip
                elif step in ("stipend", "sent"):
                    postings.stipend_obliged(amount=amount, **stipend)
                    postings.stipend_payment_sent(amount=amount, **stipend)
                    if step == "stipend":
                        postings.stipend_paid(amount=amount, **stipend)
                elif step == "correct":
                    last = Transfer.objects.filter(phase="posted", code="disbursement").last()
                    if last:
                        services.transfer_correct(actor=None, transfer=last, on=date(2025, 3, 1))
        except ValidationError:
            continue


@pytest.mark.django_db
def test_bad_arguments_end_with_exit_code_2(tmp_path):
    with pytest.raises(CommandError, match="--format: unknown format") as refused:
        call_command("ledger", "export", "--format", "ledger-cli", str(tmp_path / "x"))
    assert refused.value.returncode == 2
    with pytest.raises(CommandError, match="FILE: cannot write") as refused:
        call_command("ledger", "export", str(tmp_path / "no" / "such" / "dir" / "x"))
    assert refused.value.returncode == 2
