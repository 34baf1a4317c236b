"""The worklist's search and pages, against a plain reading of what they promise: every page in
order, forwards by `after` and back by `before`, together the matching people exactly once; a
name found without its accents or capitals; the names compared by code point on every database.

The search reads the case number, family name and given name as three ordered queries and
merges them (`selectors.page_read`); these people are chosen so the three overlap: case numbers
starting with letters that also start names, names that differ only in accents, a family name
that is someone else's given name."""

import importlib
import unicodedata
from datetime import date
from types import SimpleNamespace

import polars as pl
import pytest
from django.apps import apps
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accords.cases.models import Standing
from accords.cases.selectors import SORTS, page_read, worklist
from accords.cases.services import case_import
from accords.cases.standing import name_fold
from accords.cases.tests.conftest import case_doc
from accords.transfers.tests import stages

# (case number, family name, given name, birth date): synthetic.
PEOPLE = [
    ("GO-01", "González", "Ana", "1990-01-02"),
    ("GO-02", "Gonzalez", "Gonzalo", "1990-01-02"),
    ("GO-03", "GONZAGA", "Émile", "1985-03-04"),
    ("go-04", "Ng", "Gō", "1979-05-06"),
    ("AL-01", "Álvarez", "Zoë", "2001-07-08"),
    ("AL-02", "Alvarado", "Ánh", "1995-09-10"),
    ("AL-03", "Ábadi", "Alvaro", "1995-09-10"),
    ("ZU-01", "Zúñiga", "Go", "1988-11-12"),
    ("ZU-02", "Zuniga", "Nguyen", "1988-11-12"),
    ("NG-01", "Nguyen", "Ng", "1970-02-03"),
    ("NG-02", "Nguyễn", "Zuñi", "1970-02-03"),
    ("OE-01", "Øster", "Ōta", "1966-04-05"),
    ("OE-02", "O'Neil", "Oscar", "1966-04-05"),
    ("OE-03", "Ota", "Öykü", "1999-06-07"),
    ("MU-01", "Müller", "Mueller", "1982-08-09"),
    ("MU-02", "Mueller", "Müller", "1982-08-09"),
    ("A-1", "A", "A", "2000-01-01"),
    ("A-10", "Aa", "Ab", "2000-01-01"),
    ("A-2", "Ab", "Aa", "2000-01-01"),
]
SEARCHES = ["", "g", "G", "GO", "go-", "gon", "gonza", "GONZÁLEZ", "gonzalez", "alv", "ÁLV",
            "a", "A-1", "A-", "ab", "zu", "zuñ", "ng", "nguy", "nguyễn", "o", "ø", "ō", "o'",
            "mu", "mü", "q", "\u0301", "\u0301\u0308", "1990-01-02", "1966-04-05",
            "2000-01-01", "1901-01-01"]  # fmt: skip


@pytest.fixture(scope="module")
def built(built_once):
    def make():
        world = stages.world_make()
        docs = [
            case_doc(number, notices=[], acceptances=[],
                     person={"family_name": family, "given_name": given_name, "birth_date": born})
            for number, family, given_name, born in PEOPLE
        ]  # fmt: skip
        case_import(actor=None, records=list(enumerate(docs, 1)), source="test")
        return world

    return built_once(make)


@pytest.fixture
def officer(built, db):
    return built["sending.officer"]


def _fold(text: str) -> str:
    """Folded by another hand than the code's: lower case, decomposed, marks dropped."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def _expected(search: str, sort: str) -> list[str]:
    """The case numbers a search should list, in the order `sort`, read from PEOPLE alone."""
    text = search.strip()
    rows = Standing.objects.filter(case_number__in=[p[0] for p in PEOPLE])
    kept = []
    for row in rows:
        try:
            matches = row.birth_date == date.fromisoformat(text)
        except ValueError:
            matches = not text or (
                row.case_number.startswith(text)
                or _fold(row.family_name).startswith(_fold(text))
                or _fold(row.given_name).startswith(_fold(text))
            )
        if matches:
            kept.append(row)
    columns = SORTS[sort.lstrip("-")]
    kept.sort(key=lambda r: [getattr(r, c) for c in columns], reverse=sort.startswith("-"))
    return [r.case_number for r in kept]


def _pages(officer, search: str, sort: str, size: int) -> tuple[list[list[str]], list]:
    """Every page forwards from the first, by each page's `after`."""
    selection = worklist(user=officer, query=search)
    pages, cursors, after = [], [], ""
    while True:
        page = page_read(selection, sort=sort, after=after, size=size)
        pages.append([r.case_number for r in page.rows])
        cursors.append(page)
        if not page.after:
            return pages, cursors
        after = page.after


SORT_KEYS = [*SORTS, *(f"-{s}" for s in SORTS)]


@pytest.mark.django_db
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(search=st.sampled_from(SEARCHES), sort=st.sampled_from(SORT_KEYS),
       size=st.integers(1, 7))  # fmt: skip
def test_the_pages_forwards_and_back_list_every_match_once_in_order(officer, search, sort, size):
    expected = _expected(search, sort)
    pages, read = _pages(officer, search, sort, size)
    assert [case for page in pages for case in page] == expected
    assert all(len(page) == size for page in pages[:-1])
    # Back from the last page by each page's `before`: the same pages, in reverse.
    selection = worklist(user=officer, query=search)
    for number in range(len(pages) - 1, 0, -1):
        back = page_read(selection, sort=sort, before=read[number].before, size=size)
        assert [r.case_number for r in back.rows] == pages[number - 1]
    assert read[0].before is None


@pytest.mark.django_db
def test_a_name_is_found_without_its_accents_or_capitals_and_sorts_among_its_letters(officer):
    assert _pages(officer, "gonzalez", "name", 50)[0] == [["GO-01", "GO-02"]]
    assert _pages(officer, "ZUÑIGA", "case", 50)[0] == [["ZU-01", "ZU-02"]]
    assert _pages(officer, "alva", "name", 50)[0] == [["AL-03", "AL-02", "AL-01"]]
    # Ábadi among the a's and Zúñiga among the z's, not after them all; Ø is a letter of its
    # own, not an accented o, and sorts after z (as in the alphabets that have it).
    everyone = _pages(officer, "", "name", 50)[0][0]
    assert everyone.index("AL-03") < everyone.index("GO-01") < everyone.index("OE-02")
    assert everyone[-3:] == ["ZU-01", "ZU-02", "OE-01"]


@pytest.mark.django_db
def test_a_searched_text_at_the_edges_of_text_finds_what_starts_with_it(officer):
    """The last character there is, and a character just before the surrogates (whose
    successor is past them), are prefixes like any other."""
    for text in ("\U0010ffff", "go\U0010ffff", "\ud7ff", "zu\ud7ff"):
        assert _pages(officer, text, "name", 50)[0] == [[]]


@pytest.mark.django_db
def test_a_search_of_accents_alone_lists_everyone_on_the_page_and_in_the_api(officer, client):
    """Accents alone fold to nothing, which every name starts with (it was a server error)."""
    everyone = _expected("", "case")
    assert _pages(officer, "\u0301", "case", 50)[0] == [everyone]
    client.force_login(officer)
    listed = client.get("/api/cases", {"q": "\u0301\u0308", "sort": "case", "limit": 50})
    assert listed.status_code == 200, listed.content[:300]
    assert [i["case_number"] for i in listed.json()["items"]] == everyone
    page = client.get("/cases/", {"q": "\u0301", "sort": "case"})
    assert page.status_code == 200 and ">GO-01</a>" in page.content.decode()
    exported = b"".join(client.get("/cases/caseload.csv", {"q": "\u0301"}).streaming_content)
    assert len(exported.decode().strip().splitlines()) == len(everyone) + 1  # and the header


@pytest.mark.django_db
def test_the_names_compare_by_code_point_on_postgresql(officer):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite compares text by code point (BINARY) on every column")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, collation_name FROM information_schema.columns "
            "WHERE table_name = 'cases_standing' AND column_name IN "
            "('case_number', 'family_folded', 'given_folded') ORDER BY column_name"
        )
        assert cursor.fetchall() == [("case_number", "C"), ("family_folded", "C"),
                                     ("given_folded", "C")]  # fmt: skip


@pytest.mark.django_db
def test_the_migration_folds_the_names_stored_before_it(officer):
    migration = importlib.import_module("accords.cases.migrations.0011_names_compare_by_code_point")
    Standing.objects.filter(case_number="GO-01").update(family_folded="gonzález", given_folded="x")
    Standing.objects.filter(case_number="OE-01").update(family_folded="øster", given_folded="ōta")
    migration.names_fold(apps, SimpleNamespace(connection=connection))
    folded = dict(
        Standing.objects.filter(case_number__in=["GO-01", "OE-01", "A-1"])
        .values_list("case_number", "family_folded")
    )  # fmt: skip
    assert folded == {"GO-01": "gonzalez", "OE-01": "øster", "A-1": "a"}
    assert Standing.objects.get(case_number="GO-01").given_folded == "ana"


def test_a_folded_name_longer_than_its_column_is_cut_to_the_column():
    """A decomposition can be longer than the name (one ligature is eighteen letters): the fold
    is cut to what the column holds, for the stored name and the searched text alike, so the
    longest name is still stored and found by its start."""
    longest = Standing._meta.get_field("family_folded").max_length
    ligature = "\ufdfa"  # one character, eighteen letters and spaces decomposed
    folded = pl.select(name_fold(pl.lit(ligature * longest))).item()
    assert len(unicodedata.normalize("NFKD", ligature)) == 18
    assert len(folded) == longest and folded.startswith(_fold(ligature)[:longest])
    assert pl.select(name_fold(pl.lit("Ábadi"))).item() == "abadi"
