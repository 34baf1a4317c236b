"""The referral API: refer, list and read referrals (each with every gate explained), serve
notice, record a fear claim, its screening or a stay, withdraw. Thin: each endpoint checks the
role may do it, finds what the user may see through the selectors, and calls one service."""

from datetime import UTC, date, datetime, time
from typing import Literal

import ninja
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth
from pydantic import ValidationInfo, field_validator

from accords.cases import selectors as case_selectors
from accords.cases.models import FearClaim, Notice, Person
from accords.core import validation as kinds
from accords.core.api_auth import BoundedPages, documented
from accords.registry.models import Agreement
from accords.transfers import selectors, services
from accords.transfers.models import NoticeDocument, Referral, UkStep

router = Router(tags=["transfers"], auth=django_auth)


def _require(request, permission: str) -> None:
    # The sending officers who refer are not staff, so api_auth.require_permission (staff only)
    # does not fit here; the role's permission is the check, the selectors do the scoping.
    if not request.user.has_perm(permission):
        raise HttpError(403, f"Your role may not do this (needs {permission}).")


def _referral(request, referral_id: int) -> Referral:
    try:
        return selectors.referral_get(user=request.user, pk=referral_id)
    except Referral.DoesNotExist:
        raise HttpError(404, "No such referral") from None


class ReferralIn(Schema):
    case_number: kinds.text(40).api = Field(..., min_length=1)
    agreement: kinds.text(80).api = Field(..., min_length=1)
    proposed_on: date


class ReferralOut(Schema):
    id: int
    case_number: str = Field(..., alias="person.case_number")
    agreement: str = Field(..., alias="agreement.key")
    status: str
    proposed_on: date
    referred_at: datetime
    referred_by: str = Field(..., alias="referred_by.username")
    acceptance: str | None = Field(None, alias="acceptance.decision")
    closed_reason: str


class NoticeOut(Schema):
    id: int
    destination: str = Field(..., alias="notice.destination")
    served_at: datetime = Field(..., alias="notice.served_at")
    served_on: str = Field(..., alias="notice.served_on")
    language: str
    translation_checked: bool
    understood: bool = Field(..., alias="notice.understood")
    interpreter_name: str = Field(..., alias="notice.interpreter_name")
    interpreter_language: str = Field(..., alias="notice.interpreter_language")
    interpreter_attestation: str
    served_electronically_at: datetime | None
    page: str
    pdf: str

    @staticmethod
    def resolve_page(document: NoticeDocument) -> str:
        return reverse("notice_detail", args=[document.pk])

    @staticmethod
    def resolve_pdf(document: NoticeDocument) -> str:
        return reverse("notice_pdf", args=[document.pk])


class GateOut(Schema):
    gate: str
    outcome: str
    reason: str
    citation: str | None
    clears_by: str | None
    earliest_clear: date | None
    unconfirmed: bool
    layer: str = Field("law", description="law, or programme: the programme's own policy")
    programme: str | None = Field(
        None, description="the programme's policy beside the law's rule, where it goes beyond"
    )


class ExplanationOut(Schema):
    as_of: datetime
    decision: str
    law_decision: str = Field(..., description="the decision by the law's gates alone")
    programme: list[str] = Field(default_factory=list)
    earliest_clear: date | None
    regime_version: str
    rule_code: str
    gates: list[GateOut]


class ReferralDetailOut(ReferralOut):
    explanation: ExplanationOut
    notices: list[NoticeOut]

    @staticmethod
    def resolve_explanation(referral: Referral) -> dict:
        explanation = selectors.referral_explanation(referral)
        as_of = explanation["as_of"]
        if not isinstance(as_of, datetime):
            as_of = datetime.combine(as_of, time())
        # The engine reckons in naive UTC moments; the document promises an RFC 3339 date-time,
        # which names its offset.
        as_of = as_of.replace(tzinfo=UTC) if as_of.tzinfo is None else as_of
        return {
            **explanation,
            "as_of": as_of,
            "decision": str(explanation["decision"]),
            "regime_version": str(explanation["regime_version"]),
        }

    @staticmethod
    def resolve_notices(referral: Referral) -> list:
        return list(referral.notices.select_related("notice").order_by("notice__served_at"))


class ReferralFilters(Schema):
    status: Referral.Status | None = None


class NoticeIn(Schema):
    language: kinds.LANGUAGE.api
    served_on: Notice.ServedOn = Notice.ServedOn.PERSON
    method: kinds.text(40).api = Field("in person", min_length=1)
    interpreter_name: kinds.text(100).api = ""
    interpreter_language: kinds.LANGUAGE.api_or_empty = ""
    interpreter_attestation: kinds.LONG_TEXT.api = ""
    exigent: bool = False
    counsel_access: bool = Field(
        False, description="In exigent circumstances, the person has access to counsel."
    )
    counsel_service: Notice.CounselService = Field(
        Notice.CounselService.NONE,
        description="How counsel of record outside Accords was served (counsel in Accords is "
        "served electronically).",
    )
    uk_step: UkStep | Literal[""] = Field(
        "", description="Under the UK regime: which of its two notices this is."
    )


class FearClaimIn(Schema):
    country: kinds.COUNTRY.api = Field(..., description="ISO 3166-1 alpha-2")
    stated_on: kinds.EVENT_DATE.api


class FearScreeningIn(Schema):
    outcome: Literal["positive", "negative"]
    screened_on: kinds.EVENT_DATE.api


class FearClaimOut(Schema):
    id: int
    country: str
    stated_on: date
    outcome: str
    screened_on: date | None


class StayIn(Schema):
    granted_by: kinds.text(40).api = Field(..., min_length=1)
    scope: kinds.STAY_SCOPE.api = Field(
        "all_removals", description='"all_removals", or the ISO code of the one country'
    )
    valid_from: kinds.STAY_START.api
    valid_until: kinds.STAY_END.api | None = Field(None, description="empty: no end")

    @field_validator("valid_until")
    @classmethod
    def _ends_after_it_starts(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("valid_from")
        if value and start and value < start:
            raise ValueError("A stay cannot end before it starts.")
        return value


class StayOut(Schema):
    id: int
    granted_by: str
    scope: str
    valid_from: date
    valid_until: date | None


class WithdrawIn(Schema):
    reason: kinds.FREE_TEXT.api = Field(..., min_length=1)


@router.post("/referrals", response=documented({201: ReferralOut}))
def referral_create(request, payload: ReferralIn):
    """Refer one person to one agreement for a proposed date."""
    _require(request, "transfers.add_referral")
    try:
        person = case_selectors.person_get(user=request.user, case_number=payload.case_number)
    except Person.DoesNotExist:
        raise HttpError(404, "No such case") from None
    agreement = Agreement.objects.filter(key=payload.agreement).first()
    if agreement is None:
        detail = [{"loc": ["body", "agreement"], "msg": "No such agreement."}]
        return ninja.Status(422, {"detail": detail})
    referral = services.referral_create(
        actor=request.user, person=person, agreement=agreement, proposed_on=payload.proposed_on
    )
    return ninja.Status(201, referral)


@router.get("/referrals", response=documented({200: list[ReferralOut]}))
@paginate(BoundedPages)
def referral_list(request, filters: Query[ReferralFilters]):
    """The referrals the user may see, newest first."""
    _require(request, "transfers.view_referral")
    return selectors.referral_list(user=request.user, status=filters.status or "")


@router.get("/referrals/{referral_id}", response=documented({200: ReferralDetailOut}))
def referral_detail(request, referral_id: int):
    """One referral with every gate: what it waits for and the earliest it could clear."""
    _require(request, "transfers.view_referral")
    return _referral(request, referral_id)


@router.post("/referrals/{referral_id}/notices", response=documented({201: NoticeOut}))
def notice_serve(request, payload: NoticeIn, referral_id: int):
    """Serve written notice naming the destination, in the language asked for."""
    _require(request, "transfers.add_noticedocument")
    referral = _referral(request, referral_id)
    notice = services.notice_serve(actor=request.user, referral=referral, **payload.dict())
    return ninja.Status(201, notice.document)


@router.post("/referrals/{referral_id}/fear-claims", response=documented({201: FearClaimOut}))
def fear_claim_record(request, payload: FearClaimIn, referral_id: int):
    """Record a fear the person stated; counsel may do this for their own clients."""
    _require(request, "cases.add_fearclaim")
    referral = _referral(request, referral_id)
    claim = services.fear_claim_record(actor=request.user, person=referral.person, **payload.dict())
    return ninja.Status(201, claim)


@router.post(
    "/referrals/{referral_id}/fear-claims/{claim_id}/screening",
    response=documented({200: FearClaimOut}),
)
def fear_claim_screen(request, payload: FearScreeningIn, referral_id: int, claim_id: int):
    """Record the outcome of a fear claim's screening."""
    _require(request, "cases.change_fearclaim")
    referral = _referral(request, referral_id)
    try:
        claim = referral.person.fear_claims.get(pk=claim_id)
    except FearClaim.DoesNotExist:
        raise HttpError(404, "No such fear claim") from None
    return services.fear_claim_screen(actor=request.user, claim=claim, **payload.dict())


@router.post("/referrals/{referral_id}/stays", response=documented({201: StayOut}))
def stay_record(request, payload: StayIn, referral_id: int):
    """Record a stay of removal granted; counsel may do this for their own clients."""
    _require(request, "cases.add_stay")
    referral = _referral(request, referral_id)
    stay = services.stay_record(actor=request.user, person=referral.person, **payload.dict())
    return ninja.Status(201, stay)


@router.post("/referrals/{referral_id}/withdraw", response=documented({200: ReferralOut}))
def referral_withdraw(request, payload: WithdrawIn, referral_id: int):
    """Withdraw an open referral, saying why."""
    _require(request, "transfers.change_referral")
    referral = _referral(request, referral_id)
    return services.referral_withdraw(actor=request.user, referral=referral, **payload.dict())
