"""Races on PostgreSQL: two people answering the same concern, or correcting the same outcome,
at the same moment. Exactly one succeeds; the other is told why; the record holds one answer
and one correction."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from accords.core.tests.races import race
from accords.reception.models import Concern, Outcome
from accords.reception.services import oversight as services
from accords.reception.tests.oversight_stages import arrived
from accords.transfers.tests import stages

ROUNDS = 5

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    if connection.vendor != "postgresql":
        pytest.skip("real parallel writers need PostgreSQL; SQLite serialises transactions")
    return stages.world_make()


def test_two_answers_to_one_concern_at_once_keep_one(world):
    (arrival,) = arrived(world, "OC-1")
    for round_ in range(ROUNDS):
        concern = services.concern_raise(actor=world["monitor"], arrival=arrival,
                                         severity="high", text=f"Round {round_}.")  # fmt: skip
        results = race(*(
            lambda n=n, concern=concern: services.concern_answer(
                actor=world["receiving.officer"],
                concern=concern, answer=f"Answer {n}.")
            for n in range(2)
        ))  # fmt: skip
        refused = [r for r in results if isinstance(r, ValidationError)]
        assert len(refused) == 1, results
        assert "answer" in refused[0].message_dict
        concern.refresh_from_db()
        assert concern.answer in ("Answer 0.", "Answer 1.")
    assert Concern.objects.filter(answered_on__isnull=True).count() == 0


def test_two_corrections_of_one_outcome_at_once_keep_one(world):
    (arrival,) = arrived(world, "OC-2")
    today = timezone.localdate()
    for _round in range(ROUNDS):
        wrong = services.outcome_record(actor=world["monitor"], arrival=arrival, kind="unknown",
                                        on=today)  # fmt: skip
        results = race(*(
            lambda who=who, wrong=wrong: services.outcome_record(
                actor=world[who], arrival=arrival,
                kind="staying", on=today, corrects=wrong)
            for who in ("monitor", "receiving.officer")
        ))  # fmt: skip
        refused = [r for r in results if isinstance(r, ValidationError)]
        assert len(refused) == 1, results
        assert "corrects" in refused[0].message_dict
        assert Outcome.objects.filter(corrects=wrong).count() == 1
