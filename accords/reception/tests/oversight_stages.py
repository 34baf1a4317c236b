"""Arrivals for the oversight tests: the monitor assigned to the agreement, people handed over
through the transfer services, some protected from a country they could be removed onward to.

The safeguards would not let a person protected from another country go to a state that never
promised not to send them on, so the protection reaches Accords as the sending state's next
export of the case file, after the hand-over: the record Accords keeps whichever way it came.
"""

from django.utils import timezone

from accords.reception.services.arrivals import monitoring_assign
from accords.reception.tests.stages import handed_over
from accords.registry.models import Agreement
from accords.transfers.tests import stages

PROTECTED_FROM_SV = {"protections": [{"kind": "withholding", "country": "SV",
                                      "granted_on": "2024-03-01"}]}  # fmt: skip


def monitored(world, key: str = "us-rwanda") -> None:
    monitoring_assign(actor=None, monitor=world["monitor"], agreement=Agreement.objects.get(key=key),
                      since=timezone.localdate())  # fmt: skip


def arrived(world, *numbers: str, protected: bool = False, counsel: str = "", **options):
    """People handed over under a monitored agreement; protected from El Salvador and with
    counsel of record if asked."""
    monitored(world, options.get("key", "us-rwanda"))
    arrivals = handed_over(world, *numbers, **options)
    if protected or counsel:
        stages.people(*numbers, sections=PROTECTED_FROM_SV if protected else None,
                      **({"counsel": counsel} if counsel else {}))  # fmt: skip
        for arrival in arrivals:
            arrival.person.refresh_from_db()
    return arrivals
