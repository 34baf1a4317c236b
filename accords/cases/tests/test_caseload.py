"""The live caseload: one standing per person, re-screened by every write that changes a fact,
and the worklist over it (search, orders, filters, pages by key, CSV, saved filters, my cases)."""

import csv
import io
import json
from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accords.audit.log import log_verify
from accords.audit.models import AuditEntry
from accords.cases.models import Decision, FearClaim, Person, Screening, Standing, StandingTally
from accords.cases.screening import screening_run, screenings_prune
from accords.cases.services import officer_assign
from accords.cases.standing import NEVER, RANK
from accords.transfers import services
from accords.transfers.tests import stages


@pytest.fixture
def world(db):
    return stages.world_make()


def _standing(case: str) -> Standing:
    return Standing.objects.select_related("agreement").get(case_number=case)


def _gates(case: str) -> set[str]:
    return {g["gate"] for g in _standing(case).gates}


@pytest.mark.django_db
def test_each_write_re_screens_the_person_before_the_page_answers(world, client):
    (person,) = stages.people("LC-1")
    assert "us.receiving_acceptance" in _gates("LC-1")  # the import screened them
    assert _standing("LC-1").decision != "cleared"
    stages.ready(world, person)
    cleared = _standing("LC-1")
    assert cleared.decision == "cleared" and cleared.earliest_clear == timezone.localdate()
    assert cleared.agreement.key == "us-rwanda" and cleared.screening is None

    client.force_login(world["sending.officer"])
    answer = client.post(
        f"/referrals/{person.referrals.get().pk}/stays/",
        {"granted_by": "BIA", "valid_from": timezone.localdate().isoformat(), "scope": ""},
    )  # fmt: skip
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert _standing("LC-1").decision == "blocked" and "us.no_stay" in _gates("LC-1")
    page = client.get("/cases/?q=LC-1").content.decode()
    assert "No stay of removal</span>" in page and "us.no_stay</span>" not in page
    assert log_verify().ok


@pytest.mark.django_db
def test_a_person_who_departed_reads_departed_not_cleared(world, login):
    people = stages.people("LC-D1", "LC-D2")
    for person in people:
        stages.ready(world, person)
    flight = stages.flight(world, seats=5, in_days=0)
    manifest = stages.locked(world, flight)
    services.stay_record(actor=world["sending.officer"], person=people[1], granted_by="BIA",
                         valid_from=timezone.localdate())  # fmt: skip
    services.manifest_depart(actor=world["sending.supervisor"], manifest=manifest)
    gone, held = _standing("LC-D1"), _standing("LC-D2")
    assert gone.decision == "departed" and gone.gates == [] and gone.earliest_clear is None
    assert gone.agreement.key == "us-rwanda"
    assert held.decision == "blocked"
    entry = flight.manifest.entries.get(referral__person=people[0])
    services.handover_record(actor=world["receiving.officer"], entry=entry, place="Kigali",
                             at=timezone.now())  # fmt: skip
    assert _standing("LC-D1").decision == "handed_over"
    page = login("sending.officer").get("/cases/?q=LC-D").content.decode()
    assert "handed over" in page and ">LC-D1</a>" in page
    # The date's turn keeps them departed too.
    screening_run(actor=None, as_of=timezone.localdate())
    assert _standing("LC-D1").decision == "handed_over"
    Person.objects.filter(case_number="LC-D2").update(status="closed")
    screening_run(actor=None, as_of=timezone.localdate())
    assert _standing("LC-D2").decision == "closed"


@pytest.fixture
def five(world):
    """Five people, two of them counsel's clients, with names and birth dates to search by."""
    names = [("Amara", "Okafor", "1990-01-02"), ("Bruno", "Silva", "1985-03-04"),
             ("Chen", "Okafor", "1979-05-06"), ("Dana", "Ruiz", "2001-07-08"),
             ("Eli", "Abadi", "1995-09-10")]  # fmt: skip
    people = []
    for i, (first, family, born) in enumerate(names, 1):
        fields = {"given_name": first, "family_name": family, "birth_date": born}
        if i <= 2:
            fields["counsel"] = "counsel"
        people += stages.people(f"LW-{i}", **fields)
    stages.ready(world, people[0])
    return people


def _api(client, query: str) -> dict:
    response = client.get(f"/api/cases?{query}")
    assert response.status_code == 200, response.content
    return response.json()


def _cases(client, query: str) -> list[str]:
    return [i["case_number"] for i in _api(client, query)["items"]]


@pytest.mark.django_db
def test_search_sort_filter_and_pages_by_key(five, login):
    client = login("sending.officer")
    assert _cases(client, "q=okafor&sort=case") == ["LW-1", "LW-3"]
    assert _cases(client, "q=LW-4") == ["LW-4"]
    assert _cases(client, "q=1985-03-04") == ["LW-2"]
    assert _cases(client, "q=LW-&sort=name") == ["LW-5", "LW-1", "LW-3", "LW-4", "LW-2"]
    assert _cases(client, "q=LW-&sort=-name") == ["LW-2", "LW-4", "LW-3", "LW-1", "LW-5"]
    assert _cases(client, "q=LW-&decision=cleared") == ["LW-1"]
    assert _cases(client, "q=LW-&sort=decision")[0] == "LW-1"  # cleared first
    waiting = _cases(client, "q=LW-&gate=us.receiving_acceptance&sort=case")
    assert waiting == ["LW-2", "LW-3", "LW-4", "LW-5"]
    today = timezone.localdate().isoformat()
    assert _cases(client, f"q=LW-&clears_by={today}") == ["LW-1"]
    assert _cases(client, "q=LW-&agreement=us-eswatini") == []
    # Pages by key, two at a time, forwards to the end and back.
    seen, after, pages = [], "", []
    while True:
        page = _api(client, f"q=LW-&sort=case&limit=2&after={after}")
        seen += [i["case_number"] for i in page["items"]]
        pages.append(page)
        if not page["next"]:
            break
        after = page["next"]
    assert seen == ["LW-1", "LW-2", "LW-3", "LW-4", "LW-5"]
    back = _api(client, f"q=LW-&sort=case&limit=2&before={pages[1]['previous']}")
    assert [i["case_number"] for i in back["items"]] == ["LW-1", "LW-2"]
    refused = client.get("/api/cases?after=not-a-cursor")
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["query", "after"]
    assert client.get("/api/cases?decision=maybe").status_code == 422
    totals = _api(client, "q=LW-")["totals"]
    assert totals == dict(
        Standing.objects.values_list("decision").annotate(n=Count("pk")).order_by()
    )
    # The page: words, not keys, and the same pages.
    html = client.get("/cases/?q=LW-&sort=case&gate=us.receiving_acceptance").content.decode()
    assert (
        "Receiving state accepted by name" in html and "us.receiving_acceptance</span>" not in html
    )
    assert ">LW-2</a>" in html and ">LW-1</a>" not in html
    for decision, n in totals.items():  # the totals in their words
        label = Standing.Decision(decision).label
        assert f'<span class="status decision-{decision}">{label}: {n}</span>' in html


@pytest.mark.django_db
def test_csv_export_streams_the_filtered_list_in_its_order(five, login):
    client = login("sending.officer")
    response = client.get("/cases/caseload.csv?q=LW-&sort=-case")
    assert response.status_code == 200 and response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "Case number"
    assert [r[0] for r in rows[1:]] == ["LW-5", "LW-4", "LW-3", "LW-2", "LW-1"]
    assert rows[1][1] == "Abadi" and "Receiving state accepted by name" in rows[1][6]


@pytest.mark.django_db
def test_csv_export_is_recorded_with_its_filters_and_count_and_no_ones_data(five, login, world):
    client = login("sending.officer")
    before = AuditEntry.objects.filter(action="caseload.export").count()
    response = client.get("/cases/caseload.csv?q=Okafor&decision=pending&sort=name")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))

    entry = AuditEntry.objects.filter(action="caseload.export").get()
    assert before == 0 and entry.actor_id == world["sending.officer"].pk
    assert entry.details["arguments"] == {"agreement": "", "decision": "pending", "gate": "",
                                          "clears_by": None, "mine": False, "sort": "name"}  # fmt: skip
    assert entry.details["result"] == {"rows": len(rows) - 1, "searched": True}
    assert [r[2] for r in rows[1:]] == ["Chen"]  # Amara Okafor is cleared, not pending
    # The search (a family name here) is withheld: not kept, not even as a digest.
    assert entry.details["withheld"] == ["query"] and "digest" not in entry.details
    kept = json.dumps(entry.details)
    for person in ("Okafor", "Amara", "Chen", "LW-", "1990-01-02", "1979"):
        assert person not in kept
    assert log_verify().ok


@pytest.mark.django_db
def test_saved_filters_and_my_cases(five, login, world):
    supervisor = login("sending.supervisor")
    assign = supervisor.post("/cases/LW-3/officer/", {"officer": world["sending.officer"].pk})
    assert assign.status_code == 302
    officer_assign(actor=world["sending.supervisor"], people=[five[4]],
                   officer=world["sending.officer"])  # fmt: skip
    officer = login("sending.officer")
    assert _cases(officer, "mine=true&sort=case") == ["LW-3", "LW-5"]
    assert officer.get("/cases/LW-3/officer/").status_code == 403
    saved = officer.post("/cases/saved-filters/", {"name": "Mine", "mine": "on", "sort": "case"})
    assert saved.status_code == 302 and "mine=on" in saved.url
    page = officer.get(saved.url).content.decode()
    assert ">Mine</a>" in page and ">LW-3</a>" in page and ">LW-1</a>" not in page
    assert officer.post("/cases/saved-filters/", {"name": ""}).status_code == 302  # refused
    mine = world["sending.officer"]
    kept = mine.worklist_filters.get()
    assert kept.query == {"mine": "on", "sort": "case"}
    other = login("sending.supervisor")
    assert other.post(f"/cases/saved-filters/{kept.pk}/delete/").status_code == 404
    officer = login("sending.officer")
    assert officer.post(f"/cases/saved-filters/{kept.pk}/delete/").status_code == 302
    assert not mine.worklist_filters.exists()


ALL_FIVE = {"LW-1", "LW-2", "LW-3", "LW-4", "LW-5"}


@pytest.mark.django_db
def test_each_role_sees_only_its_standings(five, login):
    """Counsel their clients; the sending side everyone; a receiving officer no case file. By
    the API, the page and the CSV alike. A monitor's role holds no case permission: the API
    refuses it, and its worklist is empty."""
    monitor = login("monitor")
    assert monitor.get("/api/cases?q=LW-").status_code == 403
    assert ">LW-1</a>" not in monitor.get("/cases/?q=LW-").content.decode()
    monitor.logout()
    for username, expected in [("counsel", {"LW-1", "LW-2"}), ("auditor", ALL_FIVE),
                               ("receiving.officer", set())]:  # fmt: skip
        client = login(username)
        assert set(_cases(client, "q=LW-&limit=100")) == expected, username
        page = client.get("/cases/?q=LW-").content.decode()
        for case in ("LW-1", "LW-3"):
            assert (f">{case}</a>" in page) is (case in expected), (username, case)
        text = b"".join(client.get("/cases/caseload.csv?q=LW-").streaming_content).decode()
        assert ("LW-3" in text) is ("LW-3" in expected), username
        if username == "counsel":
            assert sum(_api(client, "")["totals"].values()) == 2  # their clients', not all
        client.logout()


@pytest.mark.django_db
def test_the_stored_screenings_are_pruned_to_the_latest_and_those_named(world):
    stages.people("LP-1")
    for days in (2, 1, 0):
        screening_run(actor=None, as_of=timezone.localdate() - timedelta(days=days))
    newest = Screening.objects.order_by("-started_at", "-id").first()
    result = screenings_prune(actor=None, keep=2)
    assert len(result["screenings"]) == 1 and result["decisions"] > 0
    assert Screening.objects.count() == 2 and newest in Screening.objects.all()
    assert not Decision.objects.filter(screening_id__in=result["screenings"]).exists()
    assert log_verify().ok


def _expected_best(person: Person, screening: Screening) -> tuple:
    """The best decision of a full screening, by the rule the standing keeps."""
    decisions = Decision.objects.filter(screening=screening, person=person).select_related(
        "agreement"
    )

    def key(d):
        day = screening.as_of if d.outcome == "cleared" else d.earliest_clear
        return (RANK[d.outcome], day or NEVER, d.agreement.key)

    best = min(decisions, key=key)
    return best.outcome, best.agreement.key, set(filter(None, best.gate_ids.split(",")))


# A fact change, as a service records it.
CHANGES = st.sampled_from(["stay_all", "stay_rw", "fear_rw", "fear_sv", "screen_negative",
                           "withdraw", "accept"])  # fmt: skip


@pytest.mark.django_db
@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=st.lists(CHANGES, min_size=1, max_size=3))
def test_the_standing_equals_a_full_screenings_best_decision(world, changes):
    officer, today = world["sending.officer"], timezone.localdate()
    with transaction.atomic():
        (person,) = stages.people("LH-1")
        referral = stages.noticed(world, stages.referred(world, person))
        for change in changes:
            if change.startswith("stay"):
                services.stay_record(actor=officer, person=person, granted_by="BIA",
                                     valid_from=today, scope="all_removals" if change == "stay_all"
                                     else "RW")  # fmt: skip
            elif change.startswith("fear"):
                services.fear_claim_record(actor=officer, person=person, stated_on=today,
                                           country=change[-2:].upper())  # fmt: skip
            elif change == "screen_negative":
                for claim in FearClaim.objects.filter(person=person, outcome="pending"):
                    services.fear_claim_screen(actor=officer, claim=claim, outcome="negative",
                                               screened_on=today)  # fmt: skip
            elif change == "withdraw" and referral.status == "open":
                referral = services.referral_withdraw(actor=officer, referral=referral,
                                                      reason="Test.")  # fmt: skip
            elif change == "accept" and referral.status == "open" and not referral.acceptance_id:
                referral = stages.accepted(world, referral)
        standing = _standing("LH-1")
        got = (standing.decision, standing.agreement.key if standing.agreement else None,
               set(filter(None, standing.gate_ids.split(","))))  # fmt: skip
        tally = dict(StandingTally.objects.filter(people__gt=0).values_list("decision", "people"))
        assert tally == dict(Counter(Standing.objects.values_list("decision", flat=True)))
        screening = screening_run(actor=None, as_of=today)
        assert got == _expected_best(person, screening)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_supervisor_alone_assigns_cases_to_a_sending_officer(five, world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        officer_assign(actor=world["sending.officer"], people=[five[0]], officer=None)
    with pytest.raises(ValidationError):
        officer_assign(actor=world["sending.supervisor"], people=[five[0]],
                       officer=world["counsel"])  # fmt: skip
    officer_assign(actor=world["sending.supervisor"], people=[five[0]],
                   officer=world["sending.officer"])  # fmt: skip
    assert _standing("LW-1").officer == world["sending.officer"]
    assert Person.objects.get(case_number="LW-1").officer == world["sending.officer"]
