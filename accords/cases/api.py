"""The caseload API: the worklist (one standing per person), a case, its gate checklist on
any date, imports, screens."""

from datetime import date, datetime
from typing import Literal

import ninja
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from accords.cases import selectors
from accords.cases.models import Person, Standing
from accords.cases.reading import CaseFileUnreadable, read_case_file_array
from accords.cases.screening import case_explanation
from accords.cases.services import case_files_check
from accords.core import validation as kinds
from accords.core.api_auth import documented
from accords.core.words import gate_title
from accords.jobs import files as job_files
from accords.jobs.api import JobOut, job_accepted
from accords.jobs.running import job_start
from accords.registry.models import Agreement

router = Router(tags=["cases"], auth=django_auth)


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise HttpError(403, f"Your role may not do this (needs {permission}).")


# A standing's decision by its values: the model's choices are named `Decision`, as the
# receiving state's answers are, and two schemas of one name would be one in the document.
StandingDecision = Literal[tuple(Standing.Decision.values)]


class GateNote(Schema):
    gate: str
    outcome: str
    reason: str
    citation: str | None = None
    clears_by: str | None = None
    earliest_clear: str | None = None


class StandingGate(Schema):
    gate: str
    title: str = Field(..., description="the gate in plain words")
    outcome: str = Field(..., description="block or pending")


class StandingOut(Schema):
    case_number: str
    family_name: str
    given_name: str
    birth_date: date
    agreement: str | None = Field(None, description="the best agreement's key")
    decision: StandingDecision
    gates: list[StandingGate] = Field(..., description="the gates not passed there")
    earliest_clear: date | None
    clear_agreement: str | None = Field(None, description="the agreement of the earliest day")
    as_of: date
    screened_at: datetime
    regime_versions: dict


class CaseloadPage(Schema):
    items: list[StandingOut]
    next: str | None = Field(None, description="`after` for the next page; none at the end")
    previous: str | None = Field(None, description="`before` for the previous page")
    totals: dict[str, int] = Field(..., description="people per decision, of all you may see")


class WorklistFilters(Schema):
    q: kinds.text(100).api = Field("", description="a case number, the start of a name, or a "
                                                   "birth date (YYYY-MM-DD)")  # fmt: skip
    agreement: kinds.text(80).api = ""
    decision: StandingDecision | None = None
    gate: kinds.text(60).api = ""
    clears_by: date | None = None
    mine: bool = False
    sort: Literal["decision", "case", "name", "clear", "-decision", "-case", "-name",
                  "-clear"] = "decision"  # fmt: skip
    after: kinds.text(400).api = ""
    before: kinds.text(400).api = ""
    limit: int = Field(selectors.PAGE_SIZE, ge=1, le=1000)


class PersonOut(Schema):
    case_number: str
    given_name: str
    family_name: str
    birth_date: date
    nationalities: list[str]
    languages: list[str]
    unaccompanied_minor: bool
    detained: bool
    status: str


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
    description: str


class CheckOut(Schema):
    case_id: str
    agreement: str
    as_of: date
    decision: str
    law_decision: str = Field(..., description="the decision by the law's gates alone")
    programme: list[str] = Field(default_factory=list)
    earliest_clear: date | None
    regime_version: str
    rule_code: str
    gates: list[GateOut]


class ScreeningIn(Schema):
    as_of: kinds.DAY_CONSIDERED.api


@router.get("/cases", response=documented({200: CaseloadPage}))
def worklist(request, filters: Query[WorklistFilters]):
    """One standing per person you may see, filtered and sorted, a page at a time by key:
    follow `next` as `after` (or `previous` as `before`)."""
    _require(request, "cases.view_decision")
    values = filters.dict()
    sort, after, before, limit = (values.pop(k) for k in ("sort", "after", "before", "limit"))
    selection = selectors.worklist(
        user=request.user, query=values.pop("q"), **{**values, "decision": values["decision"] or ""}
    )
    try:
        page = selectors.page_read(selection, sort=sort, after=after, before=before, size=limit)
    except ValueError as error:
        field = "after" if after else "before"
        return ninja.Status(422, {"detail": [{"loc": ["query", field], "msg": str(error)}]})
    items = [
        {**{f: getattr(s, f) for f in ("case_number", "family_name", "given_name", "birth_date",
                                       "decision", "earliest_clear", "as_of", "screened_at",
                                       "regime_versions")},
         "agreement": s.agreement.key if s.agreement else None,
         "clear_agreement": s.clear_agreement.key if s.clear_agreement else None,
         "gates": [{**g, "title": gate_title(g["gate"])} for g in s.gates]}
        for s in page.rows
    ]  # fmt: skip
    return {"items": items, "next": page.after, "previous": page.before,
            "totals": selectors.totals(user=request.user)}  # fmt: skip


@router.get("/cases/{case_number}", response=documented({200: PersonOut}))
def case(request, case_number: str):
    try:
        return selectors.person_get(user=request.user, case_number=case_number)
    except Person.DoesNotExist:
        raise HttpError(404, "No such case") from None


@router.get("/cases/{case_number}/check", response=documented({200: CheckOut}))
def case_check(
    request, case_number: str, agreement: kinds.text(80).api, on: kinds.DAY_CONSIDERED.api
):
    """Every gate under one agreement on one date, by the rules in force that day: a past
    date replays the decision as the law and the facts then stood."""
    try:
        person = selectors.person_get(user=request.user, case_number=case_number)
    except Person.DoesNotExist:
        raise HttpError(404, "No such case") from None
    terms = get_object_or_404(
        Agreement.objects.screened().prefetch_related("statuses", "terms"), key=agreement
    )
    result = case_explanation(person, terms, on)
    result["regime_version"] = str(result["regime_version"])
    result["decision"] = str(result["decision"])
    return result


# The body is read here, not by ninja's parser, so that any bytes end in a 422 naming the case
# file and field (see cases/reading.py); the document still describes it.
CASE_FILES_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "array",
                    "items": {"type": "object"},
                    "description": "case files in the documented format (docs/case-file.md)",
                }
            }
        },
    }
}


def _loc(problem) -> list:
    if problem.line == 0:
        return ["body", *filter(None, problem.field.split("."))]
    return ["body", problem.line - 1, *filter(None, problem.field.split("."))]


@router.post("/case-files", response=documented({202: JobOut}), openapi_extra=CASE_FILES_BODY)
def case_files_import(request, skip_invalid: bool = False):
    """Import case files (a JSON array in the documented format), all or nothing unless
    skip_invalid. They are read and checked here: each problem is a 422 entry whose `loc` is
    the case file's position in the array and its field; a problem with the body as a whole
    has `loc` ["body"]. Then a background job writes them: the answer is 202 with the job,
    whose result counts the cases created, updated, unchanged and skipped (GET /api/jobs/{id})."""
    _require(request, "cases.add_person")
    try:
        body = request.body
    except RequestDataTooBig:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 2**20
        message = f"the body is over {limit:,.1f} MB; send the case files in parts"
        return ninja.Status(422, {"detail": [{"loc": ["body"], "msg": message}]})
    try:
        problems, _valid = case_files_check(read_case_file_array(body))
    except CaseFileUnreadable as unreadable:
        return ninja.Status(422, {"detail": [{"loc": _loc(unreadable.problem),
                                              "msg": unreadable.problem.message}]})  # fmt: skip
    if problems and not skip_invalid:
        detail = [{"loc": _loc(p), "msg": p.message} for p in problems]
        return ninja.Status(422, {"detail": detail})
    upload = job_files.upload_keep(body)
    try:
        arguments = {"upload": upload, "source": "api", "skip_invalid": skip_invalid}
        job = job_start(actor=request.user, kind="case_import", arguments=arguments)
    except BaseException:
        job_files.upload_discard(upload)
        raise
    return job_accepted(job)


@router.post("/screenings", response=documented({202: JobOut}))
def screening_create(request, payload: ScreeningIn):
    """Screen every open case against every agreement in force on the date: a background job
    (202); its result names the screening and counts its decisions (GET /api/jobs/{id})."""
    _require(request, "cases.add_screening")
    job = job_start(actor=request.user, kind="screening",
                    arguments={"as_of": payload.as_of.isoformat()})  # fmt: skip
    return job_accepted(job)
