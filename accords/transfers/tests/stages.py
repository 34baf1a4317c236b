"""Synthetic people at the stages of a transfer, built through the services, for the tests of
receiving, plans and manifests. Only the clock is moved by hand: a notice is backdated so its
window has run, as it would have in the days since it was served."""

from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from accords.cases.models import Notice, Person
from accords.cases.services import case_import
from accords.cases.tests.conftest import case_doc
from accords.core.services import user_create
from accords.core.tests.world import world_ensure
from accords.demo.accounts import DEMO_PASSWORD
from accords.registry.models import Agreement, Source
from accords.registry.services import agreement_status_record
from accords.transfers import services
from accords.transfers.models import Referral


def world_make() -> dict[str, User]:
    """Reference data, the demo accounts, and a second receiving officer serving Eswatini."""
    world_ensure()
    user_create(actor=None, username="eswatini.officer", password=DEMO_PASSWORD,
                role="receiving_officer", receiving_state="SZ")  # fmt: skip
    return {u.username: u for u in User.objects.all()}


def in_force(key: str) -> Agreement:
    """Test data only: the agreement recorded in force since a month ago, for tests about
    something else that use an agreement the reference data has as only signed."""
    agreement = Agreement.objects.get(key=key)
    source = Source.objects.order_by("key").first().key
    agreement_status_record(actor=None, agreement=agreement, status="in_force",
                            on=(timezone.localdate() - timedelta(days=30)).isoformat(),
                            sources=[{"source": source, "confidence": "unconfirmed"}])  # fmt: skip
    return agreement


def people(*numbers: str, family: str = "", sections: dict | None = None, **fields) -> list[Person]:
    """Case files for new people with a final order and nothing yet towards a transfer;
    `sections` adds case-file sections (convictions, fear claims...), `fields` the person's."""
    person = {**fields, **({"family": family} if family else {})}
    docs = [
        case_doc(n, notices=[], acceptances=[], person=person, **(sections or {})) for n in numbers
    ]
    case_import(actor=None, records=list(enumerate(docs, 1)), source="test")
    return list(Person.objects.filter(case_number__in=numbers).order_by("case_number"))


def referred(world, person: Person, key: str = "us-rwanda") -> Referral:
    return services.referral_create(actor=world["sending.officer"], person=person,
                                    agreement=Agreement.objects.get(key=key),
                                    proposed_on=timezone.localdate())  # fmt: skip


def noticed(world, referral: Referral, days_ago: int = 11) -> Referral:
    notice = services.notice_serve(actor=world["sending.officer"], referral=referral, language="es")
    served = timezone.now() - timedelta(days=days_ago)
    Notice.objects.filter(pk=notice.pk).update(served_at=served)
    return referral


def accepted(world, referral: Referral) -> Referral:
    officer = (
        "receiving.officer" if referral.agreement.receiving_state_id == "RW" else "eswatini.officer"
    )
    return services.acceptance_decide(actor=world[officer], referral=referral, decision="accepted")


def ready(world, person: Person, key: str = "us-rwanda") -> Referral:
    """Referred, noticed long enough ago for the window to have run, accepted: cleared."""
    return accepted(world, noticed(world, referred(world, person, key)))


def flight(world, seats: int = 10, key: str = "us-rwanda", in_days: int = 3):
    return services.flight_create(actor=world["sending.supervisor"],
                                  agreement=Agreement.objects.get(key=key),
                                  departs_on=timezone.localdate() + timedelta(days=in_days),
                                  route="IAD-KGL", seats=seats)  # fmt: skip


def locked(world, flight):
    """The flight planned under the default policy and its manifest locked, by the supervisor:
    a departure, or a stay granted after locking, comes next."""
    supervisor = world["sending.supervisor"]
    services.plan_create(actor=supervisor, flight=flight, policy_name="default-2026")
    services.manifest_lock(actor=supervisor, manifest=flight.manifest)
    return flight.manifest
