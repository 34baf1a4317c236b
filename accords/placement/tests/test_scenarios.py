"""Placement scenarios: families, seats, money, compatibility and the policy behind a plan."""

import numpy as np
import pytest

from accords.placement import (
    Agreements,
    Pairs,
    Policy,
    Problem,
    ProblemError,
    Slots,
    Units,
    greedy,
    solve,
)
from accords.placement.tests.checks import best_possible, broken_rules, one_agreement

PLACE_EVERYONE = Policy(name="place everyone", version=1, weights={"placed": 1.0})


def test_a_family_of_four_travels_together_or_not_at_all():
    # Four seats exist, but only as two slots of two: the family cannot be split over them.
    problem = one_agreement([4, 1], [2, 2], features={"placed": 1.0})
    plan = solve(problem, PLACE_EVERYONE)
    assert plan.assignments == {"U1": "S0"} or plan.assignments == {"U1": "S1"}
    assert plan.placement("U0") is None
    assert plan.proven_optimal


def test_a_slot_of_three_seats_cannot_take_a_family_of_four():
    ties = np.array([[5.0], [0.0], [0.0]])
    problem = one_agreement([4, 1, 1], [3], features={"placed": 1.0, "family_ties": ties})
    policy = Policy(name="ties", version=1, weights={"placed": 1.0, "family_ties": 10.0})
    plan = solve(problem, policy)
    assert plan.assignments == {"U1": "S0", "U2": "S0"}


def test_a_family_is_counted_by_its_people():
    problem = one_agreement([4, 2], [6], features={"placed": 1.0})
    plan = solve(problem, PLACE_EVERYONE)
    assert plan.placement("U0").people == 4
    assert plan.people_placed == 6
    assert plan.objective == 6.0


def test_the_budget_stops_placements_before_the_seats_run_out():
    # Ten seats, but money for three people at 1,000 each.
    problem = one_agreement([1] * 5, [10], features={"placed": 1.0}, budget=3_000, fee=1_000)
    plan = solve(problem, PLACE_EVERYONE)
    assert len(plan) == 3
    assert broken_rules(problem, plan) == []


def test_a_cost_per_family_counts_against_the_budget():
    # A family of three costs 3 × 100 + 500 = 800; two singles cost 1,200; budget 1,000.
    problem = one_agreement(
        [3, 1, 1], [10], features={"placed": 1.0}, budget=1_000, fee=100, cost_per_unit=500
    )
    plan = solve(problem, PLACE_EVERYONE)
    assert plan.assignments == {"U0": "S0"}


def test_the_agreement_quota_holds_across_its_slots():
    problem = one_agreement([2, 2, 2], [4, 4], features={"placed": 1.0}, quota=4)
    plan = solve(problem, PLACE_EVERYONE)
    assert plan.people_placed == 4
    assert broken_rules(problem, plan) == []


def test_incompatible_pairs_are_never_assigned_however_well_they_would_score():
    # U0 is not cleared in time for S0, the better slot; U1 may go to either.
    compatible = np.array([[False, True], [True, True]])
    language = np.array([[9.0, 1.0], [9.0, 1.0]])
    problem = one_agreement(
        [1, 1], [1, 1], compatible=compatible, features={"language_spoken": language}
    )
    policy = Policy(name="language", version=1, weights={"language_spoken": 1.0})
    plan = solve(problem, policy)
    assert plan.assignments == {"U0": "S1", "U1": "S0"}


def test_a_placement_that_scores_nothing_is_not_made():
    cost = np.array([[2.0], [0.5]])
    problem = one_agreement([1, 1], [5], features={"placed": 1.0, "cost": cost})
    policy = Policy(name="cheap only", version=1, weights={"placed": 1.0, "cost": -1.0})
    assert solve(problem, policy).assignments == {"U1": "S0"}


def test_the_policy_is_recorded_with_the_plan():
    policy = Policy(
        name="integration first", version=3, weights={"placed": 4.0, "cost": -1.0}, per_person=False
    )
    problem = one_agreement([1], [1], features={"placed": 1.0, "cost": 0.5})
    plan = solve(problem, policy)
    assert plan.policy is policy
    assert plan.policy.as_record() == {
        "name": "integration first",
        "version": 3,
        "weights": {"cost": -1.0, "placed": 4.0},
        "per_person": False,
    }


def test_each_placement_says_why_in_the_policy_s_own_terms():
    problem = one_agreement(
        [3], [5], features={"placed": 1.0, "language_spoken": 1.0, "family_ties": 0.0}
    )
    policy = Policy(
        name="integration",
        version=1,
        weights={"placed": 2.0, "language_spoken": 1.5, "family_ties": 4.0},
        per_person=True,
    )
    plan = solve(problem, policy)
    placement = plan.placement("U0")
    assert list(plan.placements()) == [placement]
    assert placement.slot_id == "S0"
    assert placement.contributions == {"family_ties": 0.0, "language_spoken": 4.5, "placed": 6.0}
    assert placement.score == pytest.approx(sum(placement.contributions.values()))


def test_per_unit_scoring_prefers_two_singles_to_one_family():
    problem = one_agreement([2, 1, 1], [2], features={"placed": 1.0})
    per_unit = Policy(name="units", version=1, weights={"placed": 1.0}, per_person=False)
    assert set(solve(problem, per_unit).assignments) == {"U1", "U2"}


def test_among_identical_units_those_listed_first_are_placed_first():
    problem = one_agreement([1] * 5, [2], features={"placed": 1.0})
    plan = solve(problem, PLACE_EVERYONE)
    assert plan.assignments == {"U0": "S0", "U1": "S0"}
    assert plan.classes == 1


def test_many_interchangeable_units_make_a_small_exact_programme():
    rng = np.random.default_rng(7)
    n_units, n_slots = 3_000, 6
    speaks = rng.integers(0, 2, n_units)[:, None] == np.array([0, 1, 0, 1, 0, 1])[None, :]
    problem = Problem(
        units=Units(ids=np.arange(n_units), sizes=rng.choice([1, 2, 4, 6], n_units)),
        slots=Slots(
            ids=np.arange(n_slots),
            agreement=[0, 0, 0, 1, 1, 1],
            capacity=[400, 300, 500, 350, 250, 450],
            cost_per_person=[10, 12, 10, 20, 20, 25],
            cost_per_unit=[5] * n_slots,
        ),
        agreements=Agreements(ids=["A", "B"], capacity=[1_000, 800], budget=[11_000, 13_000]),
        pairs=Pairs.from_matrix(
            np.ones((n_units, n_slots), dtype=bool),
            {"placed": np.ones((n_units, n_slots)), "language_spoken": speaks},
        ),
    )
    policy = Policy(name="language", version=1, weights={"placed": 1.0, "language_spoken": 2.0})
    plan = solve(problem, policy, time_limit=30)
    assert plan.classes <= 8
    assert plan.proven_optimal
    assert broken_rules(problem, plan) == []
    assert plan.objective >= greedy(problem, policy).objective


def test_when_every_unit_is_different_the_plan_is_still_the_best_possible():
    rng = np.random.default_rng(3)
    waiting_days = np.repeat(rng.uniform(0, 400, (7, 1)), 3, axis=1)
    problem = one_agreement(
        rng.integers(1, 5, 7),
        [5, 4, 3],
        features={"placed": 1.0, "waiting_days": waiting_days},
        budget=2_000,
        fee=100,
        cost_per_unit=50,
    )
    policy = Policy(name="longest wait", version=1, weights={"placed": 1.0, "waiting_days": 0.01})
    plan = solve(problem, policy)
    assert plan.classes == 7
    assert plan.proven_optimal
    assert plan.objective == pytest.approx(best_possible(problem, policy))


def test_a_plan_cut_short_is_still_sound_and_no_worse_than_greedy():
    problem = one_agreement(
        [3, 2, 2, 1, 4, 5],
        [7, 6],
        features={"placed": 1.0},
        budget=1_900,
        fee=100,
        cost_per_unit=30,
    )
    plan = solve(problem, PLACE_EVERYONE, time_limit=0)
    assert broken_rules(problem, plan) == []
    assert plan.objective >= greedy(problem, PLACE_EVERYONE).objective


def test_a_policy_weighing_a_feature_the_problem_lacks_is_refused_by_name():
    problem = one_agreement([1], [1], features={"placed": 1.0})
    policy = Policy(name="ties", version=1, weights={"family_ties": 1.0})
    with pytest.raises(ProblemError, match="family_ties"):
        solve(problem, policy)


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: Units(ids=["a", "b"], sizes=[1, 0]), "units.sizes"),
        (lambda: Units(ids=["a", "a"], sizes=[1, 2]), "units.ids"),
        (lambda: Units(ids=["a"], sizes=[1.5]), "units.sizes"),
        (lambda: Agreements(ids=["A"], capacity=[5], budget=[-1]), "agreements.budget"),
        (lambda: Slots(ids=["s"], agreement=[0], capacity=[2], cost_per_person=[1, 2]), "slots"),
        (lambda: Pairs(unit=[0], slot=[0], features={"cost": [np.inf]}), "cost"),
        (lambda: Policy(name="x", version=1, weights={"cost": np.nan}), "cost"),
        (lambda: Pairs.from_matrix(np.ones((2, 1)), {"cost": np.ones((1, 1))}), "cost"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(build, field):
    with pytest.raises(ProblemError, match=field):
        build()


def test_pairs_must_refer_to_listed_units_and_slots():
    with pytest.raises(ProblemError, match="pairs.slot"):
        Problem(
            units=Units(ids=["a"], sizes=[1]),
            slots=Slots(ids=["s"], agreement=[0], capacity=[1], cost_per_person=[0]),
            agreements=Agreements(ids=["A"], capacity=[1], budget=[0]),
            pairs=Pairs(unit=[0], slot=[1]),
        )
