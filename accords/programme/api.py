"""Programme policies through the API: list those the user may see; a sending supervisor
chooses one. Thin: the selectors scope, the one service writes."""

from datetime import date, datetime

import ninja
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from accords.core import validation as kinds
from accords.core.api_auth import documented
from accords.programme import selectors, services
from accords.programme.models import NOTICE_DAYS_MAX, ProgrammePolicy
from accords.registry.models import Agreement

router = Router(tags=["programme"], auth=django_auth)


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise HttpError(403, f"Your role may not do this (needs {permission}).")


class PolicyIn(Schema):
    agreement: kinds.text(80).api
    valid_from: kinds.PLANNED_DATE.api
    notice_days: int | None = Field(None, ge=1, le=NOTICE_DAYS_MAX)
    reason: kinds.FREE_TEXT.api = ""


class PolicyOut(Schema):
    id: int
    agreement: str = Field(..., alias="agreement.key")
    gate: str
    valid_from: date
    notice_days: int | None
    reason: str
    chosen_by: str = Field(..., alias="chooser")
    chosen_at: datetime


@router.get("/programme-policies", response=documented({200: list[PolicyOut]}))
def policy_list(request):
    """The programme policies the user may see, agreement by agreement, in date order."""
    _require(request, "programme.view_programmepolicy")
    return list(selectors.policies_visible(request.user))


@router.post("/programme-policies", response=documented({201: PolicyOut}))
def policy_choose(request, payload: PolicyIn):
    """From `valid_from`, the programme gives `notice_days` days' notice under the agreement
    (null: the law alone again). Never changes the law's gates."""
    _require(request, "programme.add_programmepolicy")
    data = payload.dict()
    agreement = get_object_or_404(Agreement, key=data.pop("agreement"))
    policy = services.programme_policy_choose(actor=request.user, agreement=agreement, **data)
    return ninja.Status(201, ProgrammePolicy.objects.select_related("chosen_by").get(pk=policy.pk))
