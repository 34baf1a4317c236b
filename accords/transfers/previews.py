"""What an irreversible step will do, read before the user confirms it: who departs and who
will be taken off and why, as far as is known now; what a withdrawal does to the receiving
state's answer and to the manifests. Reads only; the services decide again when confirmed.

`gates_closed` is the departure's own check, which `services.manifest_depart` runs again
with the person's row locked, so the preview and the departure cannot judge differently.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from accords.cases.models import Person
from accords.cases.screening import case_explanation
from accords.registry.models import Agreement
from accords.transfers import rules
from accords.transfers.models import Manifest, ManifestEntry, Referral


def gates_closed(person: Person, referral: Referral, agreement: Agreement, moment) -> list[dict]:
    """Every gate not passing for the person at this moment, and the referral if not open."""
    explanation = case_explanation(person, agreement, moment.replace(tzinfo=None))
    closed = [
        {"gate": g["gate"], "outcome": g["outcome"], "reason": g["reason"],
         "citation": g["citation"]}
        for g in explanation["gates"] if g["outcome"] != "pass"
    ]  # fmt: skip
    if referral.status != Referral.Status.OPEN:
        closed.append({"gate": "referral", "outcome": "block", "reason": "not open"})
    return closed


@dataclass
class Departure:
    """A departure as it would go now. `refused` says why it cannot happen now at all."""

    opens: datetime
    closes: datetime
    refused: str = ""
    departing: list[ManifestEntry] = field(default_factory=list)
    taken_off: list[tuple[ManifestEntry, list[dict]]] = field(default_factory=list)


def departure_preview(manifest: Manifest) -> Departure:
    """Who would depart if the manifest departed now, and who would be taken off and why.
    Places under the agreement are counted again at departure, so the preview names the
    gates and families, not the count."""
    flight = manifest.flight
    opens, closes = rules.departure_window(flight)
    preview = Departure(opens=opens, closes=closes)
    moment = timezone.now()
    try:
        rules.departure_refusal(flight, moment)
    except ValidationError as error:
        preview.refused = " ".join(error.messages)
    entries = manifest.entries.filter(status=ManifestEntry.Status.LISTED).select_related(
        "referral__person__family"
    )
    units: dict[tuple, list[tuple[ManifestEntry, list[dict]]]] = {}
    for entry in entries.order_by("referral__person__family_id", "referral__person__case_number"):
        closed = gates_closed(entry.referral.person, entry.referral, flight.agreement, moment)
        family = entry.referral.person.family_id
        units.setdefault(("family", family) if family else ("entry", entry.pk), []).append(
            (entry, closed)
        )
    for unit in units.values():
        held = [e.referral.person.case_number for e, closed in unit if closed]
        for entry, closed in unit:
            if held and not closed:
                why = f"travels with family, and {', '.join(held)} cannot depart"
                closed = [{"gate": "family", "outcome": "block", "reason": why}]
            if closed:
                preview.taken_off.append((entry, closed))
            else:
                preview.departing.append(entry)
    return preview


def withdrawal_preview(referral: Referral) -> dict:
    """What withdrawing the referral does: the answer that lapses, the manifests it leaves."""
    return {
        "acceptance": referral.acceptance if referral.acceptance_id else None,
        "manifests": [
            entry.manifest
            for entry in referral.entries.filter(status=ManifestEntry.Status.LISTED)
            .select_related("manifest__flight")
            .order_by("manifest__flight__departs_on")
        ],
    }
