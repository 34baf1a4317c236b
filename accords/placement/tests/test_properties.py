"""Properties of every plan, on random small rounds: the rules hold and the optimum is real."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accords.placement import Agreements, Pairs, Policy, Problem, Slots, Units, greedy, solve
from accords.placement.tests.checks import best_possible, broken_rules, plan_score

FEATURES = {
    "placed": st.just(1.0),
    # Few distinct values, as in real caseloads, so units often fall into shared classes.
    "language_spoken": st.sampled_from([0.0, 1.0]),
    "cost": st.sampled_from([0.0, 0.5, 1.25, 3.0]),
}


@st.composite
def rounds(draw, *, max_units: int, max_slots: int, max_agreements: int):
    n_units = draw(st.integers(1, max_units))
    n_slots = draw(st.integers(1, max_slots))
    n_agreements = draw(st.integers(1, min(max_agreements, n_slots)))

    def ints(n, low, high):
        return np.array(draw(st.lists(st.integers(low, high), min_size=n, max_size=n)))

    compatible = ints(n_units * n_slots, 0, 3).reshape(n_units, n_slots) > 0
    features = {
        name: np.array(
            draw(st.lists(values, min_size=compatible.size, max_size=compatible.size))
        ).reshape(compatible.shape)
        for name, values in FEATURES.items()
    }
    problem = Problem(
        units=Units(ids=np.array([f"U{i}" for i in range(n_units)]), sizes=ints(n_units, 1, 6)),
        slots=Slots(
            ids=np.array([f"S{j}" for j in range(n_slots)]),
            agreement=np.arange(n_slots) % n_agreements,
            capacity=ints(n_slots, 0, 12),
            cost_per_person=ints(n_slots, 0, 4),
            cost_per_unit=ints(n_slots, 0, 5),
        ),
        agreements=Agreements(
            ids=np.array([f"A{a}" for a in range(n_agreements)]),
            capacity=ints(n_agreements, 0, 20),
            budget=ints(n_agreements, 0, 60),
        ),
        pairs=Pairs.from_matrix(compatible, features),
    )
    weights = {name: draw(st.sampled_from([-1.0, 0.0, 0.5, 2.0, 3.0])) for name in FEATURES}
    policy = Policy(name="random", version=1, weights=weights, per_person=draw(st.booleans()))
    return problem, policy


tiny_rounds = rounds(max_units=7, max_slots=3, max_agreements=2)
small_rounds = rounds(max_units=40, max_slots=5, max_agreements=3)
modest = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@modest
@given(small_rounds)
def test_no_plan_breaks_a_rule(round_):
    problem, policy = round_
    for plan in [solve(problem, policy, time_limit=10), greedy(problem, policy)]:
        assert broken_rules(problem, plan) == []


@modest
@given(small_rounds)
def test_the_exact_plan_never_scores_below_greedy(round_):
    problem, policy = round_
    plan = solve(problem, policy, time_limit=10)
    assert plan.proven_optimal
    assert plan.objective >= greedy(problem, policy).objective - 1e-9
    assert plan.bound == pytest.approx(plan.objective, rel=1e-9, abs=1e-9)


@modest
@given(tiny_rounds)
def test_the_exact_plan_is_the_best_possible(round_):
    problem, policy = round_
    plan = solve(problem, policy, time_limit=10)
    assert plan.proven_optimal
    assert plan.objective == pytest.approx(best_possible(problem, policy), abs=1e-9)
    assert plan.objective == pytest.approx(plan_score(problem, policy, plan), abs=1e-9)


@modest
@given(small_rounds)
def test_each_score_is_the_sum_of_its_reasons(round_):
    problem, policy = round_
    plan = solve(problem, policy, time_limit=10)
    reasons = sum(plan.contributions.values(), np.zeros(len(plan)))
    assert np.allclose(reasons, plan.scores)
    assert np.all(plan.scores > 0)
