"""Background jobs in the embedded runner: a job asked for through the API runs to its end
with its progress and result kept; a failure worth retrying is tried again up to the limit and
its error kept; a refusal is not retried; each user sees their own jobs and a supervisor their
state's; the log binds what was asked and leaves the runner's bookkeeping unbound."""

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accords.audit.models import AuditEntry
from accords.audit.rows import UNBOUND_FIELDS, rows_check
from accords.cases.models import Decision, Person, Screening
from accords.cases.screening import agreements_in_force
from accords.cases.tests.conftest import case_doc
from accords.demo.services import caseload_bulk_load
from accords.jobs import kinds
from accords.jobs.models import Job
from accords.jobs.running import job_start
from accords.jobs.services import job_request

pytestmark = pytest.mark.django_db


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_a_screening_asked_for_through_the_api_runs_to_its_end_with_its_result_kept():
    caseload_bulk_load(actor=None, n=12, seed=5)
    supervisor = _client("sending.supervisor")
    today = timezone.localdate()

    answer = supervisor.post("/api/screenings", {"as_of": today.isoformat()},
                             content_type="application/json")  # fmt: skip

    assert answer.status_code == 202
    job = Job.objects.get(pk=answer.json()["id"])
    assert job.status == Job.Status.SUCCEEDED and job.attempts == 1 and not job.error
    agreements = len(agreements_in_force(today))
    assert agreements and job.done == job.total == agreements and job.percent == 100
    screening = Screening.objects.get(pk=job.result["screening"])
    assert screening.as_of == today and job.result["as_of"] == today.isoformat()
    counted = sum(job.result["decisions"].values())
    assert counted == Decision.objects.filter(screening=screening).count() > 0
    followed = supervisor.get(answer.json()["url"]).json()
    assert followed["status"] == "succeeded" and followed["result"] == job.result
    page = supervisor.get(f"/jobs/{job.pk}/").content.decode()
    assert (
        "Screening the caseload" in page and "Done" in page and 'http-equiv="refresh"' not in page
    )
    # One entry for asking, one for the screening itself; the log binds what was asked, and
    # the runner's later bookkeeping leaves the rows as the log says.
    asked = AuditEntry.objects.get(action="job.request")
    assert asked.details["arguments"] == {"kind": "screening",
                                          "arguments": {"as_of": today.isoformat()}}  # fmt: skip
    assert AuditEntry.objects.filter(action="screening.run", seq__gt=asked.seq).count() == 1
    assert rows_check().problems == []


def test_a_job_still_running_shows_its_live_progress_and_refreshes(settings):
    job = job_request(actor=User.objects.get(username="sending.supervisor"), kind="screening",
                      arguments={"as_of": "2025-09-01"})  # fmt: skip
    from accords.jobs import services

    services.job_began(job)
    services.job_progress_note(job, 2, 5, "Screened under a test agreement")
    page = _client("sending.supervisor").get(f"/jobs/{job.pk}/").content.decode()
    assert 'http-equiv="refresh"' in page and 'value="40"' in page and "2 of 5" in page
    out = io.StringIO()
    call_command("jobs", "show", str(job.pk), stdout=out)
    assert "40%" in out.getvalue() and "2/5" in out.getvalue()


@pytest.fixture
def flaky(monkeypatch):
    """A kind of job whose first `failures` attempts lose the database."""
    calls = []

    def work(*, job, actor, progress, failures: int, refuse: bool = False):
        calls.append(job.attempts)
        if refuse:
            raise ValidationError({"as_of": "That day is not a day Accords screens."})
        if len(calls) <= failures:
            raise OperationalError("database is locked")
        progress(1, 1, "done")
        return {"attempts": len(calls)}

    monkeypatch.setitem(kinds.KINDS, "flaky", kinds.JobKind("flaky", "Flaky", None, work))
    return calls


def test_a_failure_worth_retrying_is_tried_again_up_to_the_limit_with_its_error_kept(flaky):
    job = job_start(actor=None, kind="flaky", arguments={"failures": 99})
    assert job.status == Job.Status.FAILED
    assert job.attempts == len(flaky) == settings.JOB_MAX_ATTEMPTS
    assert "database is locked" in job.error and job.finished_at and not job.result


def test_a_job_that_fails_once_succeeds_on_its_next_attempt(flaky):
    job = job_start(actor=None, kind="flaky", arguments={"failures": 1})
    assert job.status == Job.Status.SUCCEEDED and job.attempts == 2
    assert job.result == {"attempts": 2} and job.error == ""


@given(failures=st.integers(0, 6), limit=st.integers(1, 4))
@hypothesis_settings(max_examples=20, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
def test_a_job_ends_done_exactly_when_it_fails_fewer_times_than_its_attempts(
    flaky, settings, failures, limit
):
    settings.JOB_MAX_ATTEMPTS = limit
    flaky.clear()
    job = job_start(actor=None, kind="flaky", arguments={"failures": failures})
    assert job.attempts == len(flaky) == min(failures + 1, limit)
    assert (job.status == Job.Status.SUCCEEDED) == (failures < limit)
    assert bool(job.error) == (failures >= limit) and job.finished_at


def test_a_refusal_is_not_retried_and_names_the_field(flaky):
    job = job_start(actor=None, kind="flaky", arguments={"failures": 0, "refuse": True})
    assert job.status == Job.Status.FAILED and job.attempts == 1 == len(flaky)
    assert job.error == "as_of: That day is not a day Accords screens."
    out = io.StringIO()
    call_command("jobs", "list", stdout=out)
    assert f"#{job.pk}" in out.getvalue() and "Failed" in out.getvalue()


def test_an_import_job_writes_the_case_files_and_keeps_no_copy_of_them():
    officer = _client("sending.officer")
    answer = officer.post("/api/case-files", [case_doc("JOB-1"), case_doc("JOB-2")],
                          content_type="application/json")  # fmt: skip
    assert answer.status_code == 202
    job = Job.objects.get(pk=answer.json()["id"])
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"created": 2, "updated": 0, "unchanged": 0, "skipped": 0}
    assert Person.objects.filter(case_number__in=["JOB-1", "JOB-2"]).count() == 2
    # The arguments name the waiting file by a token; the file is gone once the job ended.
    assert set(job.arguments) == {"upload", "source", "skip_invalid"}
    assert not (
        Path(settings.JOB_FILES_DIR) / "uploads" / f"{job.arguments['upload']}.json"
    ).exists()
    assert "JOB-1" not in json.dumps(AuditEntry.objects.get(action="job.request").details)


def test_bad_case_files_are_refused_in_the_request_and_start_no_job():
    bad = case_doc("JOB-3", person={"nationalities": ["QQ"]})
    answer = _client("sending.officer").post("/api/case-files", [bad],
                                             content_type="application/json")  # fmt: skip
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", 0, "person", "nationalities[0]"]
    assert not Job.objects.exists()


def test_arguments_carry_ids_keys_and_dates_only():
    with pytest.raises(ValidationError) as refused:
        job_request(actor=None, kind="screening", arguments={"as_of": "x" * 500})
    assert "arguments" in refused.value.message_dict
    with pytest.raises(ValidationError):
        job_request(actor=None, kind="screening", arguments={"as_of": {"given_name": "A"}})
    assert not Job.objects.exists()


def test_each_user_sees_their_own_jobs_and_a_supervisor_their_states():
    officer = User.objects.get(username="sending.officer")
    job = job_request(actor=officer, kind="case_import",
                      arguments={"upload": "0" * 32, "source": "api", "skip_invalid": False})  # fmt: skip
    seen = {}
    for username in ("sending.officer", "sending.supervisor", "receiving.officer", "counsel",
                     "monitor"):  # fmt: skip
        client = _client(username)
        seen[username] = (client.get(f"/api/jobs/{job.pk}").status_code,
                          client.get(f"/jobs/{job.pk}/").status_code,
                          len(client.get("/api/jobs").json()["items"]))  # fmt: skip
    assert seen == {"sending.officer": (200, 200, 1), "sending.supervisor": (200, 200, 1),
                    "receiving.officer": (404, 404, 0), "counsel": (404, 404, 0),
                    "monitor": (404, 404, 0)}  # fmt: skip


def test_the_runners_bookkeeping_is_what_the_log_leaves_unbound():
    asked = {"kind", "requested_by", "sending_state", "arguments", "requested_at", "id"}
    fields = {f.name for f in Job._meta.concrete_fields}
    assert UNBOUND_FIELDS["jobs.job"] == fields - asked
