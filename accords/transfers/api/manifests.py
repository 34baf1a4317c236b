"""The flights, plans and manifests API, and the receiving state's: its referrals and its
answer by name. Thin: each endpoint checks the role may do it, finds what the user may see
through the selectors, and calls one service."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Literal

import ninja
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from accords.core import validation as kinds
from accords.core.api_auth import documented
from accords.registry.models import Agreement
from accords.transfers import selectors, services
from accords.transfers.models import Manifest, ManifestEntry, Referral
from accords.transfers.planning import POLICIES

router = Router(tags=["transfers"], auth=django_auth)

# Database keys are signed 64-bit: anything larger is no such row, not a database error.
Id = Path(..., ge=1, le=2**63 - 1)


def _require(request, permission: str) -> None:
    # Supervisors and receiving officers are not staff, so api_auth.require_permission (staff
    # only) does not fit; the role's permission is the check, the selectors do the scoping.
    if not request.user.has_perm(permission):
        raise HttpError(403, f"Your role may not do this (needs {permission}).")


def _manifest(request, manifest_id: int) -> Manifest:
    try:
        return selectors.manifest_get(user=request.user, pk=manifest_id)
    except Manifest.DoesNotExist:
        raise HttpError(404, "No such manifest") from None


class Page(Schema):
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=10**9)


class FlightIn(Schema):
    agreement: kinds.text(80).api = Field(..., min_length=1)
    departs_on: date
    route: kinds.text(100).api = Field(..., min_length=1)
    seats: int = Field(..., ge=1, le=1000)
    escort_ratio: Decimal = Field(Decimal(1), ge=0, le=Decimal("99.99"), decimal_places=2)


class FlightOut(Schema):
    id: int
    agreement: str = Field(..., alias="agreement.key")
    departs_on: date
    route: str
    seats: int
    escort_ratio: Decimal
    manifest: int = Field(..., alias="manifest.pk")
    locked_at: datetime | None = Field(None, alias="manifest.locked_at")
    departed_at: datetime | None = Field(None, alias="manifest.departed_at")


class PlanIn(Schema):
    policy: Literal[tuple(POLICIES)] = "default-2026"  # type: ignore[valid-type]


class PlanOut(Schema):
    id: int
    created_at: datetime
    policy: dict
    objective: float
    proven_optimal: bool
    solver: dict


class EntryOut(Schema):
    id: int
    case_number: str = Field(..., alias="referral.person.case_number")
    status: str
    score: dict
    removed_reason: list[dict]
    departed_at: datetime | None
    handed_over_at: datetime | None
    handed_over_place: str


class ManifestOut(Schema):
    id: int
    flight: int
    plan: int | None
    locked_at: datetime | None
    departed_at: datetime | None
    entries: list[EntryOut]


class DepartureOut(Schema):
    manifest: int
    departed: list[str]
    removed: list[str]


class HandOverIn(Schema):
    at: kinds.EVENT_MOMENT.api
    place: kinds.text(200).api = Field(..., min_length=1)


class FamilyMemberOut(Schema):
    name: str
    birth_date: date


class ReceivingReferralOut(Schema):
    id: int
    agreement: str
    status: str
    proposed_on: date
    decision: str | None
    case_number: str
    name: str
    birth_date: date
    nationalities: list[str]
    languages: list[str]
    family: list[FamilyMemberOut]
    convictions: list[str]
    available: bool | None = Field(
        ...,
        description="For an open referral: whether the person could travel now but for the "
        "state's own answer. Never why not.",
    )


class AcceptanceIn(Schema):
    decision: Literal["accepted", "declined"]
    reasons: kinds.FREE_TEXT.api = ""


def _receiving_out(referral: Referral, file: dict) -> dict:
    decision = referral.acceptance.decision if referral.acceptance_id else None
    return {"id": referral.pk, "agreement": referral.agreement.key, "status": referral.status,
            "proposed_on": referral.proposed_on, "decision": decision, **file}  # fmt: skip


@router.get("/flights", response=documented({200: list[FlightOut]}))
def flights(request, page: Query[Page]):
    """The flights the user may see, latest first: every flight for the sending side and its
    overseers, the flights to their state for a receiving officer."""
    _require(request, "transfers.view_flight")
    return list(selectors.flights_visible(request.user)[page.offset : page.offset + page.limit])


@router.post("/flights", response=documented({201: FlightOut}))
def flight_create(request, payload: FlightIn):
    _require(request, "transfers.add_flight")
    agreement = Agreement.objects.filter(key=payload.agreement).first()
    if agreement is None:
        raise HttpError(404, "No such agreement")
    data = payload.dict(exclude={"agreement"})
    return ninja.Status(
        201, services.flight_create(actor=request.user, agreement=agreement, **data)
    )


@router.post("/flights/{flight_id}/plan", response=documented({201: PlanOut}))
def flight_plan(request, payload: PlanIn, flight_id: int = Id):
    """Place the open referrals cleared by the flight's date on it, under the named policy."""
    _require(request, "transfers.add_plan")
    flight = selectors.flights_visible(request.user).filter(pk=flight_id).first()
    if flight is None:
        raise HttpError(404, "No such flight")
    plan = services.plan_create(actor=request.user, flight=flight, policy_name=payload.policy)
    return ninja.Status(201, plan)


def _manifest_out(request, found: Manifest) -> dict:
    return {"id": found.pk, "flight": found.flight_id, "plan": found.plan_id,
            "locked_at": found.locked_at, "departed_at": found.departed_at,
            "entries": selectors.manifest_entries(user=request.user, manifest=found)}  # fmt: skip


@router.get("/manifests/{manifest_id}", response=documented({200: ManifestOut}))
def manifest(request, manifest_id: int = Id):
    """The manifest's people; for a receiving officer without the plan's scores or the
    reasons anyone was taken off."""
    _require(request, "transfers.view_manifest")
    return _manifest_out(request, _manifest(request, manifest_id))


@router.post("/manifests/{manifest_id}/lock", response=documented({200: ManifestOut}))
def manifest_lock(request, manifest_id: int = Id):
    _require(request, "transfers.change_manifest")
    locked = services.manifest_lock(actor=request.user, manifest=_manifest(request, manifest_id))
    return _manifest_out(request, locked)


@router.post("/manifests/{manifest_id}/depart", response=documented({200: DepartureOut}))
def manifest_depart(request, manifest_id: int = Id):
    """Depart a locked manifest: every gate is re-checked for each person at this moment;
    anyone with a gate closed is taken off with the reason, the rest depart."""
    _require(request, "transfers.change_manifest")
    return services.manifest_depart(actor=request.user, manifest=_manifest(request, manifest_id))


@router.post("/manifest-entries/{entry_id}/hand-over", response=documented({200: EntryOut}))
def entry_hand_over(request, payload: HandOverIn, entry_id: int = Id):
    _require(request, "transfers.change_manifestentry")
    try:
        entry = selectors.entry_get(user=request.user, pk=entry_id)
    except ManifestEntry.DoesNotExist:
        raise HttpError(404, "No such manifest entry") from None
    at = payload.at if timezone.is_aware(payload.at) else payload.at.replace(tzinfo=UTC)
    return services.handover_record(actor=request.user, entry=entry, at=at, place=payload.place)


@router.get("/receiving/referrals", response=documented({200: list[ReceivingReferralOut]}))
def receiving_referrals(request, page: Query[Page]):
    """The referrals to the officer's state, latest first, each with the person's file as the
    state sees it; withdrawn referrals are not among them."""
    _require(request, "cases.add_acceptance")
    referrals = list(
        selectors.receiving_referrals(request.user)[page.offset : page.offset + page.limit]
    )
    files = selectors.receiving_files(referrals)
    return [_receiving_out(r, files[r.pk]) for r in referrals]


@router.post(
    "/referrals/{referral_id}/acceptance", response=documented({200: ReceivingReferralOut})
)
def referral_acceptance(request, payload: AcceptanceIn, referral_id: int = Id):
    """The receiving state's answer about one person, by name; a decline gives its reasons."""
    _require(request, "cases.add_acceptance")
    referral = selectors.receiving_referrals(request.user).filter(pk=referral_id).first()
    if referral is None:
        raise HttpError(404, "No such referral")
    referral = services.acceptance_decide(actor=request.user, referral=referral, **payload.dict())
    return _receiving_out(referral, selectors.receiving_files([referral])[referral.pk])
