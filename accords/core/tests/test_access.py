"""Who may reach what: every role, and nobody signed in, against every page and every API
operation, allowed or refused as designed. The table is written out below; the list of
endpoints is taken from the URL resolver and the OpenAPI document, so a new page or operation
without its row fails this test until someone decides who may use it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accords.api import api
from accords.demo.accounts import DEMO_PASSWORD
from accords.jobs.files import result_write
from accords.jobs.models import Job
from accords.jobs.services import job_request
from accords.reception.tests import care_stages
from accords.transfers import services
from accords.transfers.models import ManifestEntry
from accords.transfers.tests import stages
from accords.transparency.services import statistics_publish

ROLES = ("anonymous", "sending.officer", "sending.supervisor", "receiving.officer", "counsel",
         "finance", "monitor", "auditor", "registry.editor")  # fmt: skip

# What each role meets, in the order of ROLES:
#   ok      let through (the answer may still refuse the input, 4xx naming the field, or move on)
#   login   sent to sign in (pages) or 401 (API)
#   denied  403: signed in, but the role may not
#   hidden  404: the role may use the endpoint, but this record is not one it may see
# fmt: off
#   anon.  s.off.  s.sup.  r.off.  counsel finance monitor auditor registry
PAGES = {
    "home":                  "ok      ok      ok      ok      ok      ok      ok      ok      ok",
    "agreement_list":        "ok      ok      ok      ok      ok      ok      ok      ok      ok",
    "agreement_detail":      "ok      ok      ok      ok      ok      ok      ok      ok      ok",
    "worklist":              "login   ok      ok      ok      ok      ok      ok      ok      ok",
    "case_detail":           "login   ok      ok      hidden  ok      hidden  hidden  ok      hidden",
    "worklist_csv":          "login   ok      ok      ok      ok      ok      ok      ok      ok",
    "worklist_filter_save":  "login   ok      ok      ok      ok      ok      ok      ok      ok",
    "worklist_filter_delete": "login  hidden  hidden  hidden  hidden  hidden  hidden  hidden  hidden",
    "case_officer":          "login   denied  ok      denied  denied  denied  denied  denied  denied",
    "referral_list":         "login   ok      ok      ok      ok      denied  denied  ok      denied",
    "referral_new":          "login   ok      ok      denied  denied  denied  denied  denied  denied",
    "referral_detail":       "login   ok      ok      ok      ok      denied  denied  ok      denied",
    "referral_notice_serve": "login   ok      ok      denied  denied  denied  denied  denied  denied",
    "referral_fear_claim":   "login   ok      ok      denied  denied  denied  denied  denied  denied",
    "referral_fear_screen":  "login   ok      ok      denied  denied  denied  denied  denied  denied",
    "referral_stay":         "login   ok      ok      denied  denied  denied  denied  denied  denied",
    "referral_withdraw":     "login   ok      ok      denied  denied  denied  denied  denied  denied",
    "notice_detail":         "login   ok      ok      hidden  ok      denied  denied  ok      denied",
    "notice_pdf":            "login   ok      ok      hidden  ok      denied  denied  ok      denied",
    "referral_note_record":  "login   denied  ok      denied  denied  denied  denied  denied  denied",
    "referral_note_confirm": "login   denied  ok      denied  denied  denied  denied  denied  denied",
    "referral_note_file":    "login   ok      ok      hidden  hidden  denied  denied  ok      denied",
    "counsel_portal":        "login   denied  denied  denied  ok      denied  denied  denied  denied",
    "counsel_client":        "login   denied  denied  denied  ok      denied  denied  denied  denied",
    "counsel_calendar":      "login   denied  denied  denied  ok      denied  denied  denied  denied",
    "counsel_fear_claim":    "login   denied  denied  denied  ok      denied  denied  denied  denied",
    "counsel_stay":          "login   denied  denied  denied  ok      denied  denied  denied  denied",
    "counsel_feed_issue":    "login   denied  denied  denied  ok      denied  denied  denied  denied",
    "counsel_deadlines_ics": "hidden  hidden  hidden  hidden  hidden  hidden  hidden  hidden  hidden",
    "receiving_list":        "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "receiving_referral":    "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "flight_list":           "login   ok      ok      ok      denied  denied  ok      ok      denied",
    "agreement_plan":        "login   denied  ok      denied  denied  denied  denied  denied  denied",
    "plan_detail":           "login   ok      ok      hidden  hidden  hidden  ok      ok      hidden",
    "manifest_detail":       "login   ok      ok      ok      hidden  hidden  ok      ok      hidden",
    "manifest_plan":         "login   denied  ok      denied  denied  denied  denied  denied  denied",
    "manifest_lock":         "login   denied  ok      denied  denied  denied  denied  denied  denied",
    "manifest_depart":       "login   denied  ok      denied  denied  denied  denied  denied  denied",
    "entry_hand_over":       "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "audit_monitor":         "login   denied  denied  denied  denied  denied  ok      ok      denied",
    "audit_entries":         "login   denied  denied  denied  denied  denied  ok      ok      denied",
    "audit_verify":          "login   denied  denied  denied  denied  denied  ok      ok      denied",
    "audit_checkpoint":      "login   denied  denied  denied  denied  denied  ok      ok      denied",
    "audit_inclusion_proof": "login   denied  denied  denied  denied  denied  ok      ok      denied",
    "audit_consistency_proof": "login denied  denied  denied  denied  denied  ok      ok      denied",
    # Reception's oversight: the monitor's page and writes; the receiving state's answers,
    # follow-ups and outcomes; grievances for whoever holds the person's record; alerts for the
    # monitor, the sending state and counsel. An action on record 0 is hidden once let through.
    "oversight_monitor":     "login   denied  denied  denied  denied  denied  ok      denied  denied",
    "oversight_visit_plan":  "login   denied  denied  denied  denied  denied  ok      denied  denied",
    "oversight_visit_record": "login  denied  denied  denied  denied  denied  hidden  denied  denied",
    "oversight_concern_raise": "login denied  denied  denied  denied  denied  ok      denied  denied",
    "oversight_concerns":    "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "oversight_concern_answer": "login denied denied  hidden  denied  denied  denied  denied  denied",
    "oversight_grievances":  "login   denied  denied  ok      ok      denied  ok      denied  denied",
    "oversight_grievance_answer": "login denied denied hidden  denied  denied  denied  denied  denied",
    "oversight_follow_ups":  "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "oversight_outcomes":    "login   denied  denied  ok      denied  denied  ok      denied  denied",
    "oversight_alerts":      "login   ok      ok      denied  ok      denied  ok      denied  denied",
    "finance_home":          "login   denied  denied  denied  denied  ok      denied  ok      denied",
    "finance_agreement":     "login   denied  denied  denied  denied  ok      denied  ok      denied",
    "finance_csv":           "login   denied  denied  denied  denied  ok      denied  ok      denied",
    "finance_payment":       "login   denied  denied  denied  denied  ok      denied  denied  denied",
    "statistics":            "ok      ok      ok      ok      ok      ok      ok      ok      ok",
    "statistics_csv":        "ok      ok      ok      ok      ok      ok      ok      ok      ok",
    "password_change":       "login   ok      ok      ok      ok      ok      ok      ok      ok",
    "account_settings":      "login   ok      ok      ok      ok      ok      ok      ok      ok",
    "login":                 "ok      ok      ok      ok      ok      ok      ok      ok      ok",
    "logout":                "ok      ok      ok      ok      ok      ok      ok      ok      ok",
    "set_language":          "ok      ok      ok      ok      ok      ok      ok      ok      ok",
    "care_worklist":         "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "care_arrival":          "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "care_intake":           "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "care_plan":             "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "care_service_new":      "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "care_service_outcome":  "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "care_stipends":         "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "care_programme_open":   "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "care_cycle_compute":    "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "care_cycle":            "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "care_cycle_approve":    "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "care_payment":          "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "care_sending":          "login   ok      ok      denied  denied  denied  denied  denied  denied",
    "programme_policies":    "login   ok      ok      denied  denied  denied  ok      ok      denied",
    # Background jobs: everyone signed in has a list of their own; the world's job, a ledger
    # export the finance officer asked for, is theirs alone to see.
    "job_list":              "login   ok      ok      ok      ok      ok      ok      ok      ok",
    "job_detail":            "login   hidden  hidden  hidden  hidden  ok      hidden  hidden  hidden",
    "job_file":              "login   hidden  hidden  hidden  hidden  ok      hidden  hidden  hidden",
}
API = {
    "GET /api/agreements":                                                "ok      ok      ok      ok      ok      ok      ok      ok      ok",
    "POST /api/agreements":                                               "login   denied  denied  denied  denied  denied  denied  denied  ok",
    "GET /api/agreements/{key}":                                          "ok      ok      ok      ok      ok      ok      ok      ok      ok",
    "POST /api/agreements/{key}/terms":                                   "login   denied  denied  denied  denied  denied  denied  denied  ok",
    "POST /api/agreements/{key}/status":                                  "login   denied  denied  denied  denied  denied  denied  denied  ok",
    "GET /api/sources":                                                   "ok      ok      ok      ok      ok      ok      ok      ok      ok",
    "POST /api/sources":                                                  "login   denied  denied  denied  denied  denied  denied  denied  ok",
    "GET /api/cases":                                                     "login   ok      ok      ok      ok      denied  denied  ok      denied",
    "GET /api/cases/{case_number}":                                       "login   ok      ok      hidden  ok      hidden  hidden  ok      hidden",
    "GET /api/cases/{case_number}/check":                                 "login   ok      ok      hidden  ok      hidden  hidden  ok      hidden",
    "POST /api/case-files":                                               "login   ok      ok      denied  denied  denied  denied  denied  denied",
    "POST /api/screenings":                                               "login   denied  ok      denied  denied  denied  denied  denied  denied",
    "POST /api/referrals":                                                "login   ok      ok      denied  denied  denied  denied  denied  denied",
    "GET /api/referrals":                                                 "login   ok      ok      ok      ok      denied  denied  ok      denied",
    "GET /api/referrals/{referral_id}":                                   "login   ok      ok      hidden  ok      denied  denied  ok      denied",
    "POST /api/referrals/{referral_id}/notices":                          "login   ok      ok      denied  denied  denied  denied  denied  denied",
    "POST /api/referrals/{referral_id}/fear-claims":                      "login   ok      ok      denied  ok      denied  denied  denied  denied",
    "POST /api/referrals/{referral_id}/fear-claims/{claim_id}/screening": "login   ok      ok      denied  denied  denied  denied  denied  denied",
    "POST /api/referrals/{referral_id}/stays":                            "login   ok      ok      denied  ok      denied  denied  denied  denied",
    "POST /api/referrals/{referral_id}/withdraw":                         "login   ok      ok      denied  denied  denied  denied  denied  denied",
    "GET /api/flights":                                                   "login   ok      ok      ok      denied  denied  ok      ok      denied",
    "POST /api/flights":                                                  "login   denied  ok      denied  denied  denied  denied  denied  denied",
    "POST /api/flights/{flight_id}/plan":                                 "login   denied  ok      denied  denied  denied  denied  denied  denied",
    "GET /api/manifests/{manifest_id}":                                   "login   ok      ok      ok      denied  denied  ok      ok      denied",
    "POST /api/manifests/{manifest_id}/lock":                             "login   denied  ok      denied  denied  denied  denied  denied  denied",
    "POST /api/manifests/{manifest_id}/depart":                           "login   denied  ok      denied  denied  denied  denied  denied  denied",
    "POST /api/manifest-entries/{entry_id}/hand-over":                    "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "GET /api/receiving/referrals":                                       "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "POST /api/referrals/{referral_id}/acceptance":                       "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "POST /api/referrals/{referral_id}/diplomatic-notes":                 "login   denied  ok      denied  denied  denied  denied  denied  denied",
    "POST /api/referrals/{referral_id}/diplomatic-notes/{note_id}/confirm": "login   denied  ok      denied  denied  denied  denied  denied  denied",
    "GET /api/reception/arrivals":                                        "login   ok      ok      ok      ok      denied  ok      denied  denied",
    "POST /api/reception/arrivals/{arrival_id}/intake":                   "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "POST /api/reception/arrivals/{arrival_id}/plan":                     "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "POST /api/reception/arrivals/{arrival_id}/services":                 "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "GET /api/reception/services/overdue":                                "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "POST /api/reception/services/{service_id}/outcome":                  "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "POST /api/reception/stipend-programmes":                             "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "POST /api/reception/stipend-programmes/{programme_id}/cycles":       "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "POST /api/reception/stipend-cycles/{cycle_id}/approve":              "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "POST /api/reception/entitlements/{entitlement_id}/payments":         "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "GET /api/reception/visits":                                          "login   denied  denied  ok      denied  denied  ok      denied  denied",
    "POST /api/reception/visits":                                         "login   denied  denied  denied  denied  denied  ok      denied  denied",
    "POST /api/reception/visits/{visit_id}/record":                       "login   denied  denied  denied  denied  denied  hidden  denied  denied",
    "GET /api/reception/concerns":                                        "login   denied  denied  ok      denied  denied  ok      denied  denied",
    "POST /api/reception/concerns":                                       "login   denied  denied  denied  denied  denied  ok      denied  denied",
    "POST /api/reception/concerns/{concern_id}/answer":                   "login   denied  denied  hidden  denied  denied  denied  denied  denied",
    "GET /api/reception/grievances":                                      "login   denied  denied  ok      ok      denied  ok      denied  denied",
    "POST /api/reception/grievances":                                     "login   denied  denied  ok      ok      denied  ok      denied  denied",
    "POST /api/reception/grievances/{grievance_id}/answer":               "login   denied  denied  hidden  denied  denied  denied  denied  denied",
    "GET /api/reception/follow-ups":                                      "login   denied  denied  ok      denied  denied  ok      denied  denied",
    "POST /api/reception/follow-ups":                                     "login   denied  denied  ok      denied  denied  denied  denied  denied",
    "GET /api/reception/outcomes":                                        "login   denied  denied  ok      ok      denied  ok      denied  denied",
    "POST /api/reception/outcomes":                                       "login   denied  denied  ok      denied  denied  ok      denied  denied",
    "GET /api/reception/alerts":                                          "login   ok      ok      denied  ok      denied  ok      denied  denied",
    "GET /api/ledger/totals":                                             "ok      ok      ok      ok      ok      ok      ok      ok      ok",
    "GET /api/ledger/agreements":                                         "login   denied  denied  denied  denied  ok      denied  ok      denied",
    "GET /api/ledger/agreements/{key}":                                   "login   denied  denied  denied  denied  ok      denied  ok      denied",
    "GET /api/ledger/agreements/{key}/transfers":                         "login   denied  denied  denied  denied  ok      denied  ok      denied",
    "POST /api/ledger/agreements/{key}/commitments":                      "login   denied  denied  denied  denied  ok      denied  denied  denied",
    "POST /api/ledger/agreements/{key}/payments":                         "login   denied  denied  denied  denied  ok      denied  denied  denied",
    "POST /api/ledger/agreements/{key}/corrections":                      "login   denied  denied  denied  denied  ok      denied  denied  denied",
    "POST /api/ledger/agreements/{key}/claims":                           "login   denied  denied  denied  denied  ok      denied  denied  denied",
    "POST /api/ledger/agreements/{key}/settlements":                      "login   denied  denied  denied  denied  ok      denied  denied  denied",
    "GET /api/statistics":                                                "ok      ok      ok      ok      ok      ok      ok      ok      ok",
    "GET /api/programme-policies":                                        "login   ok      ok      denied  denied  denied  ok      ok      denied",
    "POST /api/programme-policies":                                       "login   denied  ok      denied  denied  denied  denied  denied  denied",
    "GET /api/jobs":                                                      "login   ok      ok      ok      ok      ok      ok      ok      ok",
    "GET /api/jobs/{job_id}":                                             "login   hidden  hidden  hidden  hidden  ok      hidden  hidden  hidden",
}
# fmt: on


def _pages() -> dict[str, str]:
    """Every named page of the site, by name, with its route; the API and the admin are left
    to their own rows below and to Django's admin permissions (test_admin)."""
    found = {}

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if route not in ("admin/", "api/"):
                    walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found[pattern.name] = route

    walk(get_resolver().url_patterns)
    return found


def _operations() -> list[str]:
    paths = api.get_openapi_schema()["paths"]
    return [f"{method.upper()} {path}" for path, methods in paths.items() for method in methods]


@pytest.fixture(scope="module")
def built(built_once):
    return built_once(_world_make)


@pytest.fixture
def world(built, db):
    """Built once for the module's two tables; each rolls back to it."""
    return built


def _world_make() -> dict:
    """One person at every stage a page or operation needs: referred, noticed, accepted, with a
    fear claim, counsel of record, and listed on a flight's manifest."""
    world = stages.world_make()
    (person,) = stages.people("AC-1", counsel="counsel")
    referral = stages.ready(world, person)
    claim = services.fear_claim_record(actor=world["sending.officer"], person=person,
                                       country="SV", stated_on=timezone.localdate())  # fmt: skip
    # A second person, referred and noticed, for whom a supervisor recorded a diplomatic note.
    (waiting,) = stages.people("AC-2")
    answered_by_note = stages.noticed(world, stages.referred(world, waiting))
    note = services.diplomatic_note_record(
        actor=world["sending.supervisor"], referral=answered_by_note, reference="NV-AC-1",
        decision="accepted", decided_on=timezone.localdate(),
        document=services.NoteFile("note.pdf", b"%PDF-1.4 a synthetic note"),
    )  # fmt: skip
    flight = stages.flight(world)
    plan = services.plan_create(actor=world["sending.supervisor"], flight=flight,
                                policy_name="default-2026")  # fmt: skip
    statistics_publish(actor=None)  # the statistics pages as everyone reads them, not empty
    job = job_request(actor=world["finance"], kind="ledger_export", arguments={})
    Job.objects.filter(pk=job.pk).update(  # as the runner leaves an export
        status=Job.Status.SUCCEEDED, result_file=str(result_write(job.pk, "beancount", b"; -\n"))
    )
    return {
        "key": "us-rwanda",
        "case_number": person.case_number,
        "referral": referral.pk,
        "claim": claim.pk,
        "notice": referral.notices.get().pk,
        "flight": flight.pk,
        "manifest": flight.manifest.pk,
        "entry": ManifestEntry.objects.get(referral=referral).pk,
        "plan": plan.pk,
        "note_referral": answered_by_note.pk,
        "note": note.pk,
        "job": job.pk,
        **care_stages.care_world(world),
    }


# Which record a page's `pk` names, by the start of its route.
PAGE_RECORDS = {"referrals/": "referral", "receiving/referrals/": "referral", "notices/": "notice",
                "manifests/": "manifest", "manifest-entries/": "entry", "plans/": "plan",
                "reception/care/arrivals/": "arrival", "reception/care/services/": "care_service",
                "reception/care/programmes/": "programme", "reception/care/cycles/": "cycle",
                "reception/care/entitlements/": "entitlement", "jobs/": "job"}  # fmt: skip


def _page_url(route: str, world: dict) -> str:
    record = max((start for start in PAGE_RECORDS if route.startswith(start)), key=len, default="")
    values = {"key": world["key"], "case_number": world["case_number"], "claim": world["claim"],
              "pk": world.get(PAGE_RECORDS.get(record, ""), 0), "note": world["note"]}  # fmt: skip
    if "diplomatic-notes" in route:  # a note's pages name the referral it answers
        values["pk"] = world["note_referral"]
    url = route
    for name, value in values.items():
        url = url.replace(f"<slug:{name}>", str(value)).replace(f"<str:{name}>", str(value))
        url = url.replace(f"<int:{name}>", str(value))
    assert "<" not in url, f"no value for a parameter of {route}"
    return "/" + url + PAGE_QUERIES.get(route, "")


PAGE_QUERIES = {"referrals/new/": "?case=AC-1"}


def _api_call(operation: str, world: dict) -> tuple[str, str, dict | None]:
    method, path = operation.split(" ", 1)
    ids = {"key": world["key"], "case_number": world["case_number"],
           "referral_id": world["referral"], "claim_id": world["claim"],
           "flight_id": world["flight"], "manifest_id": world["manifest"],
           "entry_id": world["entry"], "note_id": world["note"],
           "arrival_id": world["arrival"], "service_id": world["care_service"],
           "programme_id": world["programme"], "cycle_id": world["cycle"],
           "entitlement_id": world["entitlement"], "job_id": world["job"]}  # fmt: skip
    # Reception's oversight records the world holds none of: a role let through meets 404.
    ids.update(dict.fromkeys(("visit_id", "concern_id", "grievance_id"), NO_RECORD))
    if "diplomatic-notes" in path:  # a note's operations name the referral it answers
        ids["referral_id"] = world["note_referral"]
    url = path.format(**ids)
    if path.endswith("/check"):
        url += f"?agreement={world['key']}&on={timezone.localdate()}"
    body = API_BODIES.get(operation)
    if operation in MULTIPART:
        body = (body, MULTIPART[operation])
    return method, url, body


TODAY = timezone.localdate().isoformat()
CREDIT = [{"source": "seed-rwanda-us-pioneering-agreement", "confidence": "reported"}]
# A body each write accepts as well-formed, so that what answers is the role's permission and
# then the workflow's rules, not the schema.
API_BODIES = {
    "POST /api/agreements": {"key": "ac-new", "name": "New", "sending": "US", "receiving": "GH",
                             "kind": "integration", "regime": "us"},
    "POST /api/agreements/{key}/terms": {"key": "ac-term", "kind": "capacity", "text": "A term.",
                                         "quantity": 5, "period": "year", "sources": CREDIT},
    "POST /api/agreements/{key}/status": {"status": "in_force", "on": "2025-09", "sources": CREDIT},
    "POST /api/sources": {"key": "ac-source", "title": "A source", "kind": "press_report"},
    "POST /api/case-files": [],
    "POST /api/screenings": {"as_of": TODAY},
    "POST /api/referrals": {"case_number": "AC-1", "agreement": "us-eswatini", "proposed_on": TODAY},
    "POST /api/referrals/{referral_id}/notices": {"language": "es"},
    "POST /api/referrals/{referral_id}/fear-claims": {"country": "SV", "stated_on": TODAY},
    "POST /api/referrals/{referral_id}/fear-claims/{claim_id}/screening": {
        "outcome": "negative", "screened_on": TODAY},
    "POST /api/referrals/{referral_id}/stays": {"granted_by": "BIA", "valid_from": TODAY},
    "POST /api/referrals/{referral_id}/withdraw": {"reason": "No longer sought."},
    "POST /api/flights": {"agreement": "us-rwanda", "departs_on": TODAY, "route": "IAD-KGL",
                          "seats": 4},
    "POST /api/flights/{flight_id}/plan": {},
    "POST /api/manifests/{manifest_id}/lock": None,
    "POST /api/manifests/{manifest_id}/depart": None,
    "POST /api/manifest-entries/{entry_id}/hand-over": {"at": f"{TODAY}T08:00:00Z",
                                                        "place": "Kigali airport"},
    "POST /api/referrals/{referral_id}/acceptance": {"decision": "accepted"},
    # A form with the note's file, as the operation takes it (sent as multipart, below).
    "POST /api/referrals/{referral_id}/diplomatic-notes": {
        "reference": "NV-AC-2", "decision": "accepted", "decided_on": TODAY},
    "POST /api/referrals/{referral_id}/diplomatic-notes/{note_id}/confirm": None,
    "POST /api/reception/arrivals/{arrival_id}/intake": {"housed_at": "Hostel", "consent": True,
                                                          "recorded_on": TODAY},
    "POST /api/reception/arrivals/{arrival_id}/plan": {"agreed_on": TODAY, "goals": "Work."},
    "POST /api/reception/arrivals/{arrival_id}/services": {
        "kind": "health", "provider": "Clinic", "requested_on": TODAY, "due_on": TODAY},
    "POST /api/reception/services/{service_id}/outcome": {"outcome": "done", "outcome_on": TODAY},
    "POST /api/reception/stipend-programmes": {"agreement": "us-rwanda"},
    "POST /api/reception/stipend-programmes/{programme_id}/cycles": {"starts_on": TODAY},
    "POST /api/reception/stipend-cycles/{cycle_id}/approve": None,
    "POST /api/reception/entitlements/{entitlement_id}/payments": {
        "outcome": "paid", "amount": "1.00", "on": TODAY},
    "POST /api/ledger/agreements/{key}/commitments": {"term": "money-initial-payment", "on": TODAY},
    "POST /api/ledger/agreements/{key}/payments": {"programme": "operations", "amount": "10.00",
                                                   "currency": "USD", "on": TODAY},
    "POST /api/ledger/agreements/{key}/corrections": {"transfer": 1, "on": TODAY},
    "POST /api/ledger/agreements/{key}/claims": {"claimant": "RW", "amount": "1000.00",
                                                 "currency": "USD", "basis": "Costs.",
                                                 "made_on": TODAY},
    "POST /api/ledger/agreements/{key}/settlements": {"claim": 1, "amount": "10.00", "on": TODAY},
    "POST /api/programme-policies": {"agreement": "us-rwanda", "valid_from": TODAY,
                                     "notice_days": 10},
}  # fmt: skip
# Reception's oversight: bodies naming an arrival the world does not hold, so a role let
# through meets the refusal naming the field (422).
NO_RECORD = 999_999
API_BODIES.update({
    "POST /api/reception/visits": {"arrival": NO_RECORD, "planned_on": TODAY},
    "POST /api/reception/visits/{visit_id}/record": {"status": "done", "visited_on": TODAY},
    "POST /api/reception/concerns": {"arrival": NO_RECORD, "severity": "low", "text": "A concern."},
    "POST /api/reception/concerns/{concern_id}/answer": {"answer": "An answer."},
    "POST /api/reception/grievances": {"arrival": NO_RECORD, "subject": "other", "text": "A text."},
    "POST /api/reception/grievances/{grievance_id}/answer": {
        "answer": "An answer.", "resolution": "upheld", "answered_on": TODAY},
    "POST /api/reception/follow-ups": {"arrival": NO_RECORD, "month": 1, "done_on": TODAY,
                                       "scores": {}},
    "POST /api/reception/outcomes": {"arrival": NO_RECORD, "kind": "staying", "on": TODAY},
})  # fmt: skip
MULTIPART = {"POST /api/referrals/{referral_id}/diplomatic-notes": "document"}


def _signed_in(username: str) -> Client:
    client = Client()
    if username != "anonymous":
        assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def _meets(client: Client, method: str, url: str, body, api_call: bool) -> str:
    """What the role meets, with whatever the request changed rolled back, so every role
    finds the same world."""
    with transaction.atomic():
        if api_call and method == "POST" and isinstance(body, tuple):
            form, file_field = body
            note = SimpleUploadedFile("note.pdf", b"%PDF-1.4 a synthetic note")
            response = client.post(url, {**form, file_field: note})
        elif api_call and method == "POST":
            response = client.post(url, body, content_type="application/json")
        else:
            response = client.get(url)
            if response.status_code == 405:  # a page that only acts: what a bare POST meets
                response = client.post(url, {})
        transaction.set_rollback(True)
    code = response.status_code
    assert code < 500, f"{method} {url} answered {code}"
    if code == 401 or (code == 302 and response.url.startswith("/accounts/login/")):
        return "login"
    return {403: "denied", 404: "hidden"}.get(code, "ok")


def _observed(world, endpoints: dict[str, tuple[str, str, object, bool]]) -> dict[str, str]:
    clients = {username: _signed_in(username) for username in ROLES}
    seen = {}
    # Signing out ends the client's session, so it comes last.
    for name, (method, url, body, api_call) in sorted(
        endpoints.items(), key=lambda item: item[0] == "logout"
    ):
        cells = [_meets(clients[u], method, url, body, api_call) for u in ROLES]
        seen[name] = "  ".join(f"{cell:<6}" for cell in cells).rstrip()
    return seen


def _compare(expected: dict[str, str], seen: dict[str, str]) -> list[str]:
    problems = [f"{name}: no row in the table; decide who may use it" for name in seen
                if name not in expected]  # fmt: skip
    problems += [f"{name}: in the table but no longer an endpoint" for name in expected
                 if name not in seen]  # fmt: skip
    for name in seen.keys() & expected.keys():
        want, got = expected[name].split(), seen[name].split()
        if want != got:
            wrong = [f"{role} {w}->{g}" for role, w, g in zip(ROLES, want, got, strict=True)
                     if w != g]  # fmt: skip
            problems.append(f"{name}: " + ", ".join(wrong))
    return problems


@pytest.mark.django_db
def test_every_role_meets_every_page_as_designed(world):
    endpoints = {name: ("GET", _page_url(route, world), None, False)
                 for name, route in _pages().items()}  # fmt: skip
    seen = _observed(world, endpoints)
    problems = _compare(PAGES, seen)
    assert not problems, (
        "\n".join(problems)
        + "\n\nseen:\n"
        + "\n".join(f'    "{k}": "{v}",' for k, v in seen.items())
    )


@pytest.mark.django_db
def test_every_role_meets_every_api_operation_as_designed(world):
    endpoints = {}
    for operation in _operations():
        method, url, body = _api_call(operation, world)
        endpoints[operation] = (method, url, body, True)
    seen = _observed(world, endpoints)
    problems = _compare(API, seen)
    assert not problems, (
        "\n".join(problems)
        + "\n\nseen:\n"
        + "\n".join(f'    "{k}": "{v}",' for k, v in seen.items())
    )
