"""The bulk path writes exactly what importing the same case files writes, and the commands
that load synthetic caseloads never write a case twice."""

from io import StringIO

import polars as pl
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from polars.testing import assert_frame_equal

from accords.audit.models import AuditEntry
from accords.cases.facts import facts_from_database
from accords.cases.models import Family, Person
from accords.cases.services import case_import
from accords.cases.tests.conftest import answered_in_accords, case_doc
from accords.demo.caseload import case_files
from accords.demo.services import MODELS, caseload_bulk_load, caseload_import

pytestmark = pytest.mark.django_db

SEED, CASES = 31, 150
COUNSEL = ["counsel"]


@pytest.fixture
def counsel(accounts):
    return COUNSEL


def _rows() -> dict[str, list]:
    """Every row of every case table as plain values; ids differ between two loads, so people,
    families and counsel are named by case number, key and username."""
    numbers = dict(Person.objects.values_list("id", "case_number"))
    keys = dict(Family.objects.values_list("id", "key"))
    usernames = dict(User.objects.values_list("id", "username"))
    tables = {}
    for name, model in MODELS.items():
        rows = []
        for row in model.objects.values():
            del row["id"]
            if "person_id" in row:
                row["person_id"] = numbers[row["person_id"]]
            if name == "persons":
                row["family_id"] = keys.get(row["family_id"])
                row["counsel_id"] = usernames.get(row["counsel_id"])
            rows.append(row)
        tables[name] = sorted(rows, key=repr)
    tables["families"] = sorted(keys.values())
    return tables


def _facts() -> dict[str, pl.DataFrame]:
    """The engine's fact tables, people named by case number, in a stable order."""
    tables = facts_from_database()
    numbers = tables["persons"].select("person_id", "case_number")
    keys = pl.DataFrame(
        list(Family.objects.values_list("id", "key")), schema=["family_id", "family"], orient="row"
    )
    facts = {"persons": tables["persons"].join(keys, on="family_id", how="left")}
    for name, table in tables.items():
        if name != "persons":
            facts[name] = table.join(numbers, on="person_id")
    ordered = {}
    for name, table in facts.items():
        table = table.drop("person_id", "family_id", strict=False)
        flat = [c for c, t in table.schema.items() if not isinstance(t, pl.List)]
        ordered[name] = table.sort(flat, nulls_last=True)
    return ordered


def test_bulk_loading_writes_exactly_what_importing_the_same_case_files_writes(counsel):
    docs = list(case_files(CASES, SEED, counsel=counsel))
    with transaction.atomic():
        case_import(actor=None, records=list(enumerate(docs, start=1)), source="test")
        imported_rows, imported_facts = _rows(), _facts()
        transaction.set_rollback(True)
    assert Person.objects.count() == 0
    # The demo draws every kind of fact but family members, assurances and stay requests.
    undrawn = {"person.family_members", "assurances", "stay_requests"}
    drawn = [rows for name, rows in imported_rows.items() if name not in undrawn]
    assert all(drawn), "the sample should hold every kind of fact the demo draws"

    caseload_bulk_load(actor=None, n=CASES, seed=SEED, counsel=counsel)

    assert _rows() == imported_rows
    loaded_facts = _facts()
    for name, table in imported_facts.items():
        assert_frame_equal(loaded_facts[name], table, check_row_order=True)


def _in_order(table: pl.DataFrame) -> pl.DataFrame:
    flat = [c for c, t in table.schema.items() if not isinstance(t, pl.List)]
    return table.sort(flat, nulls_last=True)


def test_the_facts_of_a_few_people_read_alone_are_theirs_in_the_whole_caseload(counsel):
    """Re-screening after a write reads a few people's facts another way than the screening of
    everyone (on PostgreSQL, rows in one round trip rather than text streamed by COPY): both
    must give the same columns, of the same types, for every kind of fact."""
    caseload_bulk_load(actor=None, n=CASES, seed=SEED, counsel=counsel)
    drawn_rarely = case_doc(
        "FEW-1",
        person={"family_members": [{"relation": "child", "birth_date": "2015-04-01"}]},
        assurances=[{"receiving_state": "RW", "given_on": "2025-06-01", "credible": True,
                     "assures": ["no_torture", "no_onward_removal"], "document_reference": "DN-1"}],
        uk={"asylum_claim_on": "2024-01-02", "dangerous_journey": True,
            "removal_directions_notified_at": "2025-03-04T05:06:07Z", "rule39_in_force": False},
    )  # fmt: skip
    case_import(actor=None, records=[(1, drawn_rarely)], source="test")
    answered_in_accords("FEW-1")  # an imported answer is a report: not read
    every = facts_from_database()
    open_people = every["persons"]["person_id"].to_list()
    ids = [*open_people[::3], Person.objects.get(case_number="FEW-1").pk]
    few = facts_from_database(ids)
    assert set(few) == set(every)
    for name, table in every.items():
        mine = table.filter(pl.col("person_id").is_in(ids))
        assert len(mine), f"the sample should hold {name}"
        assert_frame_equal(_in_order(few[name]), _in_order(mine), check_row_order=True)


def test_a_caseload_bulk_loaded_in_steps_is_what_importing_it_would_leave_unchanged(counsel):
    first = caseload_bulk_load(actor=None, n=60, seed=SEED, counsel=counsel)
    rest = caseload_bulk_load(actor=None, n=CASES, seed=SEED, counsel=counsel)
    again = caseload_bulk_load(actor=None, n=CASES, seed=SEED, counsel=counsel)
    assert (first["created"], rest["created"], rest["present"]) == (60, 90, 60)
    assert (again["created"], again["present"]) == (0, CASES)
    assert Person.objects.count() == CASES

    docs = case_files(CASES, SEED, counsel=counsel)
    result = case_import(actor=None, records=list(enumerate(docs, start=1)), source="test")
    assert (result["unchanged"], result["created"], result["updated"]) == (CASES, 0, 0)


def test_each_bulk_load_is_one_audited_action(counsel):
    before = AuditEntry.objects.count()
    caseload_bulk_load(actor=None, n=20, seed=SEED, counsel=counsel)
    entry = AuditEntry.objects.order_by("-seq").first()
    assert AuditEntry.objects.count() == before + 1
    assert entry.action == "caseload.bulk_load"
    assert entry.details["result"]["created"] == 20


def test_unknown_counsel_is_refused_before_anything_is_written(counsel):
    with pytest.raises(ValueError, match="no counsel named nobody"):
        caseload_bulk_load(actor=None, n=20, seed=SEED, counsel=["nobody"])
    assert Person.objects.count() == 0


def test_the_import_path_in_batches_adds_nothing_the_second_time(counsel):
    first = caseload_import(actor=None, n=45, seed=SEED, counsel=counsel, batch=20)
    second = caseload_import(actor=None, n=45, seed=SEED, counsel=counsel, batch=20)
    assert (first["created"], second["unchanged"], Person.objects.count()) == (45, 45, 45)
    assert Person.objects.exclude(counsel=None).exists()


def test_the_caseload_command_imports_or_bulk_loads_and_never_duplicates(counsel):
    out = StringIO()
    call_command("caseload", "--cases", "25", "--seed", "4", stdout=out, stderr=StringIO())
    call_command("caseload", "--cases", "25", "--seed", "4", stdout=out, stderr=StringIO())
    call_command(
        "caseload", "--cases", "30", "--seed", "5", "--bulk", stdout=out, stderr=StringIO()
    )
    call_command(
        "caseload", "--cases", "30", "--seed", "5", "--bulk", stdout=out, stderr=StringIO()
    )
    assert out.getvalue().splitlines() == [
        "caseload 4: 25 cases: 25 created, 0 updated, 0 unchanged",
        "caseload 4: 25 cases: 0 created, 0 updated, 25 unchanged",
        "caseload 5: 30 cases: 30 created, 0 present",
        "caseload 5: 30 cases: 0 created, 30 present",
    ]
    assert Person.objects.count() == 55
    assert Person.objects.filter(counsel__username="counsel").exists()
    with pytest.raises(CommandError, match="no counsel named nobody"):
        call_command("caseload", "--cases", "5", "--bulk", "--counsel", "nobody", stderr=StringIO())
