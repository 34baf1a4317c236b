"""Synthetic arrivals for reception's tests: people taken through the transfer services to a
hand-over in Kigali (only the clock is moved by hand, as in `transfers.tests.stages`)."""

from django.utils import timezone

from accords.transfers import services
from accords.transfers.models import ManifestEntry
from accords.transfers.tests import stages


def handed_over(world, *numbers: str, family: str = "", key: str = "us-rwanda", at=None):
    """New people referred, noticed, accepted, flown today and handed over; their arrivals."""
    people = stages.people(*numbers, family=family)
    referrals = [stages.ready(world, person, key) for person in people]
    flight = stages.flight(world, seats=len(people), key=key, in_days=0)
    supervisor = world["sending.supervisor"]
    services.plan_create(actor=supervisor, flight=flight, policy_name="default-2026")
    services.manifest_lock(actor=supervisor, manifest=flight.manifest)
    services.manifest_depart(actor=supervisor, manifest=flight.manifest)
    officer = world["receiving.officer" if key == "us-rwanda" else "eswatini.officer"]
    arrivals = []
    for referral in referrals:
        entry = ManifestEntry.objects.get(referral=referral, manifest=flight.manifest)
        services.handover_record(actor=officer, entry=entry, at=at or timezone.now(),
                                 place="Kigali International Airport")  # fmt: skip
        arrivals.append(entry.arrival)
    return arrivals
