"""The public statistics of a small programme of twenty-one people, built once for the tests
that read it: what each measure counts, and that the page, the CSV and the API publish the same."""

import csv
import io

import polars as pl
import pytest
from django.utils import timezone

from accords.audit.models import AuditEntry
from accords.transfers import services
from accords.transfers.models import ManifestEntry
from accords.transfers.tests import stages
from accords.transparency.measures import MEASURES, MONEY
from accords.transparency.protection import attacker_ranges, exposed
from accords.transparency.services import statistics_publish
from accords.transparency.tables import relations_within, series_build
from accords.transparency.tests.test_statistics import RULES, _published


@pytest.fixture(scope="module")
def built(built_once):
    return built_once(_programme_make)


@pytest.fixture
def programme(built, db):
    """Built once for the module's tests that read it; each rolls back to it."""
    return built


def _programme_make() -> dict:
    """Under the US-Rwanda agreement this month: 17 people cleared (14 of Honduras, 3 of
    Peru) and 2 declined; a flight departs with 16, one taken off by a stay granted after
    the manifest was locked; 12 are handed over."""
    world = stages.world_make()
    hondurans = stages.people(*[f"ST-H{n:02}" for n in range(14)])
    peru = {
        "removal_orders": [
            {
                "basis": "INA240",
                "entered_on": "2024-06-01",
                "final_on": "2024-07-01",
                "final_how": "no_appeal",
                "designated_countries": ["PE"],
            }
        ],
        "country_requests": [{"country": "PE", "asked_on": "2025-07-01", "answer": "refused"}],
    }
    peruvians = stages.people("ST-P1", "ST-P2", "ST-P3", sections=peru, nationalities=["PE"],
                              country_of_birth="PE")  # fmt: skip
    for person in hondurans + peruvians:
        stages.ready(world, person)
    for person in stages.people("ST-D1", "ST-D2"):
        referral = stages.noticed(world, stages.referred(world, person))
        services.acceptance_decide(actor=world["receiving.officer"], referral=referral,
                                   decision="declined", reasons="Identity not verified.")  # fmt: skip
    flight = stages.flight(world, seats=20, in_days=0)
    supervisor = world["sending.supervisor"]
    services.plan_create(actor=supervisor, flight=flight, policy_name="default-2026")
    services.manifest_lock(actor=supervisor, manifest=flight.manifest)
    services.stay_record(actor=world["sending.officer"], person=hondurans[0], granted_by="BIA",
                         valid_from=timezone.localdate())  # fmt: skip
    services.manifest_depart(actor=supervisor, manifest=flight.manifest)
    departed = ManifestEntry.objects.filter(status="departed").order_by("pk")[:12]
    for entry in departed:
        services.handover_record(actor=world["receiving.officer"], entry=entry,
                                 at=timezone.now(), place="Kigali International Airport")  # fmt: skip
    return world


def _count(key: str, part: str = "") -> int:
    frame = MEASURES[key].compute()
    if part:
        frame = frame.filter(pl.col("part") == part)
    return int(frame.filter(pl.col("agreement") == "us-rwanda")["value"].sum())


@pytest.mark.django_db
def test_each_measure_counts_and_a_publication_keeps_only_what_it_may_publish(programme):
    assert _count("referrals") == 19
    assert (_count("acceptances"), _count("declines")) == (17, 2)
    assert (_count("departures"), _count("hand_overs"), _count("taken_off")) == (16, 12, 1)
    assert _count("departures_by_citizenship", "HN") == 13
    assert _count("departures_by_citizenship", "PE") == 3
    assert _count("taken_off_by_family", "stay") == 1
    month = MEASURES["departures"].compute()["month"].to_list()
    assert month == [timezone.now().date().replace(day=1)]

    before = AuditEntry.objects.count()
    publication = statistics_publish(actor=None)
    assert AuditEntry.objects.count() == before + 1
    assert AuditEntry.objects.order_by("-pk").first().action == "statistics.publish"
    figures = _published(publication)
    month = timezone.localdate().replace(day=1)
    rwanda = {k[2:]: v for k, v in figures.items() if k[:2] == (month, "us-rwanda")}
    assert rwanda["referrals", "", "month"] == 20  # 19
    assert rwanda["departures", "", "month"] == 20  # 16
    assert rwanda["declines", "", "month"] is None  # 2
    assert rwanda["taken_off_by_family", "stay", "month"] is None  # 1
    people = {k: v for k, v in figures.items() if MEASURES[k[2]].unit != MONEY}
    assert all(value is None or value % 10 == 0 for value in people.values())
    # Whatever anyone works out from the published figures leaves each small count wide open.
    frames = {key: m.compute() for key, m in MEASURES.items()}
    series = series_build(frames, MEASURES, timezone.localdate())
    small = [(month, *k) for k, v in series.counts[month].items() if 0 < v < 11]
    ranges = attacker_ranges(figures, relations_within(series, MEASURES, month), small, RULES)
    assert small and not exposed(ranges, RULES)


def _csv(client) -> list[dict]:
    response = client.get("/statistics/statistics.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.mark.django_db
def test_everyone_reads_the_same_page_csv_and_api(programme, client):
    assert "No statistics have been published yet" in client.get("/statistics/").content.decode()
    assert client.get("/api/statistics").json()["rows"] == []
    statistics_publish(actor=None)
    page = client.get("/statistics/").content.decode()
    assert "<svg" in page and "ohss.dhs.gov/about-data/disclosure" in page
    assert "cms-cell-suppression-policy" in page and "Peru" in page and "Honduras" in page
    assert "a stay of removal or a court" in page and "United States to Rwanda" in page
    rows = _csv(client)
    by_citizenship = [r for r in rows if r["measure"] == "departures_by_citizenship"
                      and r["agreement"] == "us-rwanda"]  # fmt: skip
    # Citizenship and receiving country: two columns, never one.
    assert {r["citizenship"] for r in by_citizenship} == {"HN", "PE"}
    assert {r["receiving_country"] for r in by_citizenship} == {"RW"}
    assert {r["departure_country"] for r in by_citizenship} == {"US"}
    assert all(r["citizenship"] == "" for r in rows if r["measure"] == "departures")
    assert {r["safeguard"] for r in rows if r["measure"] == "taken_off_by_family"} == {"stay"}
    api = client.get("/api/statistics").json()
    as_text = [{k: "" if v is None else str(v) for k, v in row.items()} for row in api["rows"]]
    assert as_text == _csv(client)
    assert [rule["id"] for rule in api["rules"]] == ["rounding", "suppression"]
    assert client.login(username="finance", password="accords-demo")
    assert client.get("/statistics/").content.decode().count("<svg") == page.count("<svg")
