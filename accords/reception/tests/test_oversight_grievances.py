"""Grievances and follow-ups: a grievance is filed for a person through their caseworker,
counsel or a monitor, and only those holding the person's records see it; its answer is due in
30 days with an outcome. Follow-ups at 1, 3, 6 and 12 months score the survey's 15 indicators."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from accords.reception import survey
from accords.reception.models import FollowUp, Grievance
from accords.reception.selectors import oversight as selectors
from accords.reception.services import oversight as services
from accords.reception.tests.oversight_stages import arrived
from accords.reception.tests.stages import handed_over
from accords.transfers.tests import stages

TODAY = timezone.localdate
ALL_THREES = dict.fromkeys(survey.INDICATORS, 3)


@pytest.fixture
def world(db):
    return stages.world_make()


@pytest.mark.parametrize(("filer", "through"), [("receiving.officer", "caseworker"),
                                                ("counsel", "counsel"), ("monitor", "monitor")])  # fmt: skip
def test_a_grievance_is_filed_through_a_caseworker_counsel_or_a_monitor(world, filer, through):
    (arrival,) = arrived(world, "OG-1", counsel="counsel")
    grievance = services.grievance_file(actor=world[filer], arrival=arrival, subject="stipend",
                                        text="The stipend stopped in March.")  # fmt: skip
    assert grievance.through == through
    assert grievance.answer_due_on == TODAY() + timedelta(days=30)


def test_staff_see_only_the_grievances_that_name_their_records(world):
    (mine,) = arrived(world, "OG-2", counsel="counsel")
    (other,) = arrived(world, "OG-3")
    (eswatini,) = handed_over(world, "OG-4", key="us-eswatini")
    for arrival in (mine, other):
        services.grievance_file(actor=world["monitor"], arrival=arrival, subject="housing",
                                text="Room shared with strangers.")  # fmt: skip
    services.grievance_file(actor=world["eswatini.officer"], arrival=eswatini, subject="health",
                            text="No medicine.")  # fmt: skip
    seen = {name: selectors.grievances_visible(world[name]).count() for name in world}
    assert seen["receiving.officer"] == 2 and seen["monitor"] == 2
    assert seen["eswatini.officer"] == 1
    assert seen["counsel"] == 1
    assert seen["sending.officer"] == seen["auditor"] == seen["finance"] == 0
    with pytest.raises(ValidationError):
        services.grievance_file(actor=world["counsel"], arrival=other, subject="other", text="x")
    with pytest.raises(ValidationError):
        services.grievance_file(actor=world["sending.officer"], arrival=mine, subject="other",
                                text="x")  # fmt: skip


def test_a_grievance_answered_after_its_due_date_shows_late(world):
    (arrival,) = arrived(world, "OG-5")
    grievance = services.grievance_file(actor=world["monitor"], arrival=arrival,
                                        subject="treatment", text="Insulted at the office.")  # fmt: skip
    Grievance.objects.filter(pk=grievance.pk).update(
        filed_on=TODAY() - timedelta(days=40), answer_due_on=TODAY() - timedelta(days=10)
    )
    answered = services.grievance_answer(actor=world["receiving.officer"], grievance=grievance,
                                         answer="Apology made.", resolution="upheld",
                                         answered_on=TODAY())  # fmt: skip
    assert answered.answered_late and answered.resolution == "upheld"
    with pytest.raises(ValidationError) as raised:
        services.grievance_answer(actor=world["receiving.officer"], grievance=grievance,
                                  answer="Again.", resolution="upheld", answered_on=TODAY())  # fmt: skip
    assert "answer" in raised.value.message_dict


def test_follow_ups_fall_due_at_1_3_6_and_12_months_and_keep_their_scores(world):
    (arrival,) = arrived(world, "OG-6")
    officer = world["receiving.officer"]
    arrived_on = timezone.localdate(arrival.arrived_at)
    later = arrived_on + timedelta(days=400)
    due = selectors.follow_ups_due(officer, today=later)
    assert [row["month"] for row in due] == [1, 3, 6, 12]
    assert due[0]["due_on"] == selectors._months_after(arrived_on, 1)
    follow_up = services.follow_up_record(actor=officer, arrival=arrival, month=1,
                                          done_on=TODAY(), scores=ALL_THREES)  # fmt: skip
    assert follow_up.scores == ALL_THREES
    assert [row["month"] for row in selectors.follow_ups_due(officer, today=later)] == [3, 6, 12]
    with pytest.raises(ValidationError) as raised:
        services.follow_up_record(actor=officer, arrival=arrival, month=1, done_on=TODAY(),
                                  scores=ALL_THREES)  # fmt: skip
    assert "month" in raised.value.message_dict


def test_no_follow_up_falls_due_after_the_person_left(world):
    (arrival,) = arrived(world, "OG-7")
    officer = world["receiving.officer"]
    services.outcome_record(actor=officer, arrival=arrival, kind="left", on=TODAY())
    later = TODAY() + timedelta(days=400)
    assert selectors.follow_ups_due(officer, today=later) == []


@pytest.mark.parametrize(
    ("scores", "field"),
    [
        ({**ALL_THREES, "housing": 6}, "housing"),
        ({**ALL_THREES, "housing": 0}, "housing"),
        ({**ALL_THREES, "housing": True}, "housing"),
        ({**ALL_THREES, "housing": "3"}, "housing"),
        ({k: v for k, v in ALL_THREES.items() if k != "safety"}, "safety"),
        ({**ALL_THREES, "\x00nonsense": 3}, "\x00nonsense"),
    ],
)
def test_a_follow_up_scores_every_indicator_1_to_5(world, scores, field):
    (arrival,) = arrived(world, "OG-8")
    with pytest.raises(ValidationError) as raised:
        services.follow_up_record(actor=world["receiving.officer"], arrival=arrival, month=3,
                                  done_on=TODAY(), scores=scores)  # fmt: skip
    assert field in raised.value.message_dict
    assert not FollowUp.objects.exists()


def test_the_survey_has_15_indicators_in_three_dimensions():
    assert len(survey.INDICATORS) == 15
    assert {d for d, _label in survey.INDICATORS.values()} == set(survey.DIMENSIONS)


@given(st.fixed_dictionaries({k: st.integers(1, 5) for k in survey.INDICATORS}))
@settings(max_examples=200, deadline=None)
def test_each_dimensions_score_lies_between_its_lowest_and_highest_indicator(scores):
    result = survey.dimension_scores(survey.scores_check(scores))
    for dimension in (*survey.DIMENSIONS, None):
        values = [v for k, v in scores.items()
                  if dimension in (None, survey.INDICATORS[k][0])]  # fmt: skip
        assert min(values) <= result[dimension or "overall"] <= max(values)
