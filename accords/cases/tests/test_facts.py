"""A case reads the same from its case file as from the database after importing it, so the
one-case check and the bulk screen cannot disagree, except about what an import cannot
establish: the receiving state's answer, and a notice without its served document."""

from datetime import date

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from accords.cases.facts import engine_columns, facts_from_case_file, facts_from_database
from accords.cases.models import Person
from accords.cases.services import case_import
from accords.cases.tests.conftest import case_doc
from accords.law.columns import RECEIVING_COLUMNS

# Facts on record are dated no later than today (accords.core.validation.event_date).
TODAY = date.today()
days = st.dates(date(2022, 1, 1), TODAY)
countries = st.sampled_from(["RW", "SV", "HN", "VE", "SZ", "GB", "GT"])


@st.composite
def case_files(draw):
    entered = draw(days)
    final = draw(st.one_of(st.none(), st.dates(entered, TODAY)))
    order = {"basis": draw(st.sampled_from(["INA240", "INA241a5", "INA238b", "expedited"])),
             "entered_on": entered.isoformat(), "designated_countries": draw(st.lists(countries, max_size=2)),
             "appeal_pending": draw(st.booleans())}  # fmt: skip
    if final:
        order |= {"final_on": final.isoformat(), "final_how": "no_appeal"}
    start = draw(days)
    stays = [
        {"granted_by": "IJ", "valid_from": start.isoformat(),
         "valid_until": draw(st.one_of(st.none(), st.dates(start, date(2027, 1, 1)))) and None}
    ] if draw(st.booleans()) else []  # fmt: skip
    claim_day = draw(days)
    answered = draw(days)
    answer = {"receiving_state": "RW", "decision": draw(st.sampled_from(["accepted", "declined"])),
              "decided_on": answered.isoformat()}  # fmt: skip
    if draw(st.booleans()):  # the referral it answered was withdrawn
        answer["lapsed_on"] = draw(st.dates(answered, TODAY)).isoformat()
    return case_doc(
        "P-1",
        person={
            "nationalities": draw(st.lists(countries, min_size=0, max_size=2, unique=True)),
            "birth_date": draw(st.dates(date(1950, 1, 1), date(2020, 1, 1))).isoformat(),
            "unaccompanied_minor": draw(st.booleans()),
            "family": draw(st.one_of(st.none(), st.just("FAM-1"))),
        },
        removal_orders=[order],
        protections=[
            {
                "kind": draw(st.sampled_from(["withholding", "cat_deferral"])),
                "country": draw(countries),
                "granted_on": draw(days).isoformat(),
            }
            for _ in range(draw(st.integers(0, 2)))
        ],  # fmt: skip
        stays=stays,
        criminal_history=[
            {
                "kind": kind,
                "offence_category": "theft",
                "on": draw(days).isoformat(),
                "charge_outcome": ""
                if kind == "conviction"
                else draw(st.sampled_from(["pending", "dismissed"])),
            }
            for kind in draw(st.lists(st.sampled_from(["conviction", "charge"]), max_size=2))
        ],  # fmt: skip
        fear_claims=[
            {
                "country": "RW",
                "stated_on": claim_day.isoformat(),
                "outcome": draw(st.sampled_from(["pending", "negative", "positive"])),
                "screened_on": claim_day.isoformat(),
            }
        ]
        if draw(st.booleans())
        else [],  # fmt: skip
        acceptances=[answer],
        notices=[
            {
                "destination": "RW",
                "served_at": f"{draw(days).isoformat()}T09:00:00Z",
                "language": "es",
                "understood": draw(st.booleans()),
                "served_on": "person",
                **(
                    {"document_reference": "NTC-1", "document_sha256": "ab" * 32}
                    if draw(st.booleans())
                    else {}
                ),
            }
        ],
    )


def _as_counted(doc: dict) -> dict:
    """What of an imported case file the workflow counts: not the receiving state's answer
    (a report in the sending state's file), not a notice without its served document."""
    notices = [n for n in doc["notices"] if n.get("document_reference")]
    return {**doc, "acceptances": [], "notices": notices}


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    lists = [n for n, t in frame.schema.items() if isinstance(t, pl.List)]
    return frame.with_columns(
        pl.col(n).list.sort() for n in lists if frame.schema[n].inner != pl.Struct
    )


class TestCaseFileAndDatabaseAgree(HypothesisTestCase):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(doc=case_files(), on=days)
    def test_engine_columns_are_identical_but_for_what_an_import_cannot_establish(self, doc, on):
        Person.objects.all().delete()
        case_import(actor=None, records=[(1, doc)], source="t")
        from_file = engine_columns(facts_from_case_file(_as_counted(doc)), receiving="RW", as_of=on)
        from_db = engine_columns(facts_from_database(), receiving="RW", as_of=on)
        assert _sorted(from_file).to_dicts() == _sorted(from_db).to_dicts()


@pytest.mark.django_db
def test_facts_after_the_date_are_not_yet_on_record():
    doc = case_doc("Q-1", stays=[{"granted_by": "BIA", "valid_from": "2025-09-10"}])
    columns = engine_columns(facts_from_case_file(doc), receiving="RW", as_of=date(2025, 9, 1))
    assert columns["stays"].to_list() == [[]]
    later = engine_columns(facts_from_case_file(doc), receiving="RW", as_of=date(2025, 9, 10))
    assert later["stays"].to_list()[0][0]["granted_by"] == "BIA"


@pytest.mark.django_db
def test_a_dismissed_charge_never_becomes_a_conviction():
    doc = case_doc("Q-2", criminal_history=[
        {"kind": "charge", "offence_category": "child_sex_offence", "on": "2019-01-01",
         "charge_outcome": "dismissed"}
    ])  # fmt: skip
    columns = engine_columns(facts_from_case_file(doc), receiving="RW", as_of=date(2025, 9, 1))
    assert columns["convictions"].to_list() == [[]]
    assert columns["pending_charges"].to_list() == [False]


@pytest.mark.django_db
def test_only_the_notice_naming_this_receiving_state_counts():
    columns = engine_columns(
        facts_from_case_file(case_doc()), receiving="SZ", as_of=date(2025, 9, 1)
    )
    assert columns["notice_served_at"].to_list() == [None]


def _with_other_state(doc: dict, state: str) -> dict:
    """The case with a notice, a fear claim and an answer about `state` too."""
    return doc | {
        "notices": [*doc.get("notices", []), {"destination": state, "language": "fr",
                    "served_at": "2025-07-01T12:00:00Z", "understood": False, "served_on": "person"}],
        "fear_claims": [*doc.get("fear_claims", []), {"country": state, "stated_on": "2025-06-01",
                        "outcome": "pending"}],
        "acceptances": [*doc.get("acceptances", []), {"receiving_state": state,
                        "decision": "declined", "decided_on": "2025-06-15"}],
    }  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=case_files(), on=days, state=countries.filter(lambda c: c != "RW"))
def test_only_the_receiving_columns_change_with_the_receiving_state(doc, on, state):
    """The contract the engine's Assessor relies on to share work between agreements: the
    case columns for two receiving states differ in RECEIVING_COLUMNS alone."""
    facts = facts_from_case_file(_with_other_state(doc, state))
    rwanda = engine_columns(facts, receiving="RW", as_of=on)
    other = engine_columns(facts, receiving=state, as_of=on)
    assert rwanda.drop(RECEIVING_COLUMNS).to_dicts() == other.drop(RECEIVING_COLUMNS).to_dicts()
    if on >= date(2025, 7, 1):  # the other state's facts are on record: the columns differ
        assert (
            rwanda.select(RECEIVING_COLUMNS).to_dicts()
            != other.select(RECEIVING_COLUMNS).to_dicts()
        )


# A case with a row in every table of facts, each in force from early on.
_EVERY_FACT = case_doc(
    "P-2",
    person={"family": "FAM-2", "family_members": [{"relation": "child", "birth_date": "2015-04-01"}]},
    protections=[{"kind": "withholding", "country": "VE", "granted_on": "2022-01-03"}],
    proceedings=[
        {"kind": kind, "filed_on": "2022-01-04", "stay_requested": True, "grounds": "changed_country_conditions"}
        for kind in ("motion_to_reopen", "petition_for_review", "appeal")
    ],
    stays=[{"granted_by": "BIA", "scope": "RW", "valid_from": "2022-01-05"}],
    criminal_history=[{"kind": "charge", "offence_category": "theft", "on": "2022-01-06",
                       "charge_outcome": "pending"}],
    fear_claims=[{"country": "SZ", "stated_on": "2022-01-07", "outcome": "pending"}],
    acceptances=[{"receiving_state": "SV", "decision": "declined", "decided_on": "2022-01-08"}],
    assurances=[{"receiving_state": "RW", "given_on": "2022-01-09", "credible": True,
                 "assures": ["no_onward_removal"], "document_reference": "DN-2"}],
    uk={"asylum_claim_on": "2022-01-10", "dangerous_journey": True,
        "removal_directions_notified_at": "2022-01-11T05:06:07Z", "rule39_in_force": False},
)  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=case_files(), on=days)
def test_a_persons_columns_alone_are_theirs_among_others(doc, on):
    """Re-screening one person, a table of facts they have no row in is not worked through
    (`facts._left_joined` adds its columns as nulls): their columns must be what they are
    when that table holds another person's rows and the joins run."""
    alone = facts_from_case_file(doc, person_id=1)
    other = facts_from_case_file(_EVERY_FACT, person_id=2)
    assert all(len(table) for table in other.values()), "the other case has every kind of fact"
    together = {name: pl.concat([alone[name], other[name]]) for name in alone}
    states = ["RW", "SV", "SZ"]
    for state in states:
        mine = engine_columns(alone, receiving=state, as_of=on)
        among = engine_columns(together, receiving=state, as_of=on)
        assert mine.schema == among.schema
        assert mine.to_dicts() == among.filter(pl.col("case_id") == "P-1").to_dicts()
