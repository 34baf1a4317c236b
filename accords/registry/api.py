"""The registry's JSON API: agreements are readable by everyone, writable by staff."""

from datetime import date
from decimal import Decimal
from typing import Literal

import ninja
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from accords.core import validation as kinds
from accords.core.api_auth import documented, require_permission
from accords.registry import selectors, services
from accords.registry.models import (
    Agreement,
    Confidence,
    Precision,
    Source,
    Status,
    Term,
)

# A state filter is empty or two letters (case-insensitive); anything else names the field.
STATE_CODE = r"^([A-Za-z]{2})?$"

router = Router(tags=["registry"])

PartialDate = Field(None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", examples=["2025-06-14", "2025-06"])
Key = Field(..., pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)


class CreditOut(Schema):
    source: str = Field(..., alias="source.key")
    confidence: str


class CreditIn(Schema):
    source: kinds.text(80).api
    confidence: Literal[tuple(Confidence.values)]  # type: ignore[valid-type]


class StatusOut(Schema):
    status: str
    on: date
    on_precision: str
    note: str
    sources: list[CreditOut] = Field(..., alias="credits")


class StatusIn(Schema):
    status: Literal[tuple(Status.values)]  # type: ignore[valid-type]
    on: str = Field(..., pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    note: kinds.LONG_TEXT.api = ""
    sources: list[CreditIn] = Field(..., min_length=1)


class TermOut(Schema):
    key: str
    kind: str
    text: str
    valid_from: date | None
    valid_until: date | None
    quantity: int | None
    period: str
    money_kind: str
    money_status: str
    amount: Decimal | None
    currency: str
    rule: str
    category: str
    values: list[str]
    service: str
    given: bool | None
    sources: list[CreditOut] = Field(..., alias="credits")


class TermIn(Schema):
    key: str = Key
    kind: Literal[tuple(Term.Kind.values)]  # type: ignore[valid-type]
    text: kinds.LONG_TEXT.api = Field(..., min_length=1)
    valid_from: str | None = PartialDate
    valid_until: str | None = PartialDate
    quantity: int | None = Field(None, ge=0)
    period: Literal[tuple(Term.Period.values)] | None = None  # type: ignore[valid-type]
    money_kind: Literal[tuple(Term.MoneyKind.values)] | None = None  # type: ignore[valid-type]
    money_status: Literal[tuple(Term.MoneyStatus.values)] | None = None  # type: ignore[valid-type]
    amount: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    rule: Literal[tuple(Term.Rule.values)] | None = None  # type: ignore[valid-type]
    category: kinds.text(80).api | None = None
    values: list[kinds.text(80).api] = []
    service: Literal[tuple(Term.Service.values)] | None = None  # type: ignore[valid-type]
    given: bool | None = None
    sources: list[CreditIn] = Field(..., min_length=1)


class ReportedTransferOut(Schema):
    on: date
    on_precision: str
    people: int | None
    text: str
    sources: list[CreditOut] = Field(..., alias="credits")


ARRANGEMENTS = "; ".join(f"{value}: {label}" for value, label in Agreement.Arrangement.choices)


class AgreementOut(Schema):
    key: str
    name: str
    sending: str = Field(..., alias="sending_state_id")
    receiving: str = Field(..., alias="receiving_state_id")
    kind: str
    arrangement: str = Field(..., description=ARRANGEMENTS)
    regime: str = Field(..., description='"" when no regime in Accords governs it')
    status: str | None = Field(None, alias="current_status")
    summary: str


class AgreementDetailOut(AgreementOut):
    status_history: list[StatusOut] = Field(..., alias="statuses")
    terms: list[TermOut]
    reported_transfers: list[ReportedTransferOut]


class AgreementIn(Schema):
    key: str = Key
    name: kinds.text(200).api = Field(..., min_length=1)
    # Either case: `state_for_code` reads the code and refuses an unknown one, naming the field.
    sending: str = Field(..., min_length=2, max_length=2)
    receiving: str = Field(..., min_length=2, max_length=2)
    kind: Literal[tuple(Agreement.Kind.values)]  # type: ignore[valid-type]
    arrangement: Literal[tuple(Agreement.Arrangement.values)] = Field(  # type: ignore[valid-type]
        Agreement.Arrangement.THIRD_COUNTRY_REMOVAL.value, description=ARRANGEMENTS
    )
    regime: Literal[tuple(Agreement.Regime.values)]  # type: ignore[valid-type]
    summary: kinds.LONG_TEXT.api = ""


class SourceOut(Schema):
    key: str
    title: str
    publisher: str
    published_on: date | None
    published_precision: Literal[tuple(Precision.values)]  # type: ignore[valid-type]
    url: str
    kind: str
    note: str


class SourceIn(Schema):
    key: str = Key
    title: kinds.text(300).api = Field(..., min_length=1)
    publisher: kinds.text(200).api = ""
    published_on: str | None = PartialDate
    url: kinds.text(500).api = ""
    kind: Literal[tuple(Source.Kind.values)]  # type: ignore[valid-type]
    note: kinds.LONG_TEXT.api = ""


def _credits(sources: list[CreditIn]) -> list[dict]:
    return [c.dict() for c in sources]


@router.get("/agreements", response=documented({200: list[AgreementOut]}))
def agreements(
    request,
    sending: str = Query("", pattern=STATE_CODE, description="ISO 3166-1 alpha-2"),
    receiving: str = Query("", pattern=STATE_CODE, description="ISO 3166-1 alpha-2"),
    status: Literal[("", *Status.values)] = "",  # type: ignore[valid-type]
    arrangement: Literal[("", *Agreement.Arrangement.values)] = Query(  # type: ignore[valid-type]
        "", description=ARRANGEMENTS
    ),
):
    return list(
        selectors.agreement_list(
            sending=sending, receiving=receiving, status=status, arrangement=arrangement
        )
    )


@router.get("/agreements/{key}", response=documented({200: AgreementDetailOut}))
def agreement(request, key: str):
    if "\x00" in key:  # PostgreSQL text cannot hold NUL, and no key has one
        raise Http404("No such agreement")
    get_object_or_404(Agreement, key=key)
    return selectors.agreement_get(key=key)


@router.post("/agreements", response=documented({201: AgreementOut}), auth=django_auth)
@require_permission("registry.add_agreement")
def agreement_create(request, payload: AgreementIn):
    created = services.agreement_create(actor=request.user, **payload.dict())
    return ninja.Status(201, selectors.agreement_list().get(pk=created.pk))


@router.post("/agreements/{key}/terms", response=documented({201: TermOut}), auth=django_auth)
@require_permission("registry.add_term")
def term_create(request, key: str, payload: TermIn):
    agreement = get_object_or_404(Agreement, key=key)
    fields = payload.dict()
    fields["sources"] = _credits(payload.sources)
    return ninja.Status(
        201, services.term_create(actor=request.user, agreement=agreement, **fields)
    )


@router.post("/agreements/{key}/status", response=documented({201: StatusOut}), auth=django_auth)
@require_permission("registry.add_statuschange")
def status_record(request, key: str, payload: StatusIn):
    agreement = get_object_or_404(Agreement, key=key)
    fields = payload.dict()
    fields["sources"] = _credits(payload.sources)
    return ninja.Status(
        201, services.agreement_status_record(actor=request.user, agreement=agreement, **fields)
    )


@router.get("/sources", response=documented({200: list[SourceOut]}))
def sources(request):
    return list(Source.objects.all())


@router.post("/sources", response=documented({201: SourceOut}), auth=django_auth)
@require_permission("registry.add_source")
def source_create(request, payload: SourceIn):
    return ninja.Status(201, services.source_create(actor=request.user, **payload.dict()))
