"""Benchmark: time for the placement solver to reach a proven optimum at national scale.

Builds a seeded synthetic placement round (five agreements, ten monthly slots each, families
of one to six), solves it exactly with HiGHS and with the greedy baseline, and reports the
build time, the time to the proven optimum and how much the optimum gains over greedy.

    .venv/bin/python benchmarks/placement.py            # 10,000 then 100,000 units
    .venv/bin/python benchmarks/placement.py --quick    # 2,000 then 10,000 units

The last line is the headline for the largest round:
`placement: <T>s to optimum, +<P>% over greedy`.
"""

import argparse
import os
import time
from pathlib import Path

import numpy as np

from accords.placement import Agreements, Pairs, Policy, Problem, Slots, Units, greedy, solve

SEED = 20250601
MONTHS = 10
# Nationalities of the people referred: share of referrals and main language.
NATIONALITIES = [(0.30, 0), (0.25, 1), (0.15, 2), (0.12, 3), (0.10, 0), (0.08, 4)]
LANGUAGES = 5
NEEDS = [("none", 0.65), ("medical", 0.15), ("schooling", 0.12), ("disability", 0.08)]
FAMILY_SIZES = [0.46, 0.14, 0.13, 0.12, 0.09, 0.06]
# Receiving states under agreement: languages spoken, fee per person (minor units), share of
# the quota the budget pays for (below 1: money runs out before seats do), nationalities the
# agreement excludes, and service needs its reception sites meet.
STATES = [
    ("A", {0}, 1_800_000, 0.95, {0}, {"medical", "schooling"}),
    ("B", {1}, 2_400_000, 0.70, {1, 5}, {"schooling"}),
    ("C", {0, 2}, 1_500_000, 1.10, set(), {"medical", "disability"}),
    ("D", {3}, 3_000_000, 0.60, {3}, {"medical", "schooling", "disability"}),
    ("E", {1, 4}, 2_100_000, 1.00, {4}, set()),
]
SEATS_PER_PERSON_REFERRED = 0.65

POLICY = Policy(
    name="integration first",
    version=3,
    weights={
        "placed": 4.0,
        "language_spoken": 3.0,
        "family_ties": 2.0,
        "services_match": 1.5,
        "cost": -1.0,
    },
    per_person=True,
)


def synthetic_round(n_units: int, seed: int = SEED, cost_per_family: int = 0) -> Problem:
    """A deterministic round: categorical traits of people matched against slot traits."""
    rng = np.random.default_rng(seed)
    sizes = rng.choice(np.arange(1, 7), size=n_units, p=FAMILY_SIZES)
    shares = np.array([share for share, _ in NATIONALITIES])
    nationality = rng.choice(len(NATIONALITIES), size=n_units, p=shares)
    main_language = np.array([language for _, language in NATIONALITIES])
    language = np.where(
        rng.random(n_units) < 0.9, main_language[nationality], rng.integers(LANGUAGES, size=n_units)
    )
    n_states = len(STATES)
    ties = rng.choice(n_states + 1, size=n_units, p=[0.88] + [0.12 / n_states] * n_states)
    need = rng.choice(len(NEEDS), size=n_units, p=[share for _, share in NEEDS])
    # A referral is clear from the month its safeguards windows close; most are clear now.
    cleared_from = np.where(rng.random(n_units) < 0.75, 0, rng.integers(1, MONTHS, size=n_units))

    slot_state = np.repeat(np.arange(n_states), MONTHS)
    slot_month = np.tile(np.arange(MONTHS), n_states)
    fee = np.array([state[2] for state in STATES])
    weights = rng.uniform(0.5, 1.5, slot_state.size)
    seats = SEATS_PER_PERSON_REFERRED * int(sizes.sum()) * weights / weights.sum()
    capacity = seats.astype(np.int64)
    quota = (np.bincount(slot_state, weights=capacity) * 0.85).astype(np.int64)
    budget_share = np.array([state[3] for state in STATES])
    budget = (quota * fee * budget_share).round(-5).astype(np.int64)

    admits = np.array([[n not in state[4] for n in range(len(NATIONALITIES))] for state in STATES])
    speaks = np.array([[lang in state[1] for lang in range(LANGUAGES)] for state in STATES])
    meets = np.array([[name == "none" or name in state[5] for name, _ in NEEDS] for state in STATES])
    compatible = admits[slot_state][:, nationality].T
    compatible &= slot_month[None, :] >= cleared_from[:, None]
    unit, slot = np.nonzero(compatible)
    state = slot_state[slot]
    features = {
        "placed": np.ones(unit.size),
        "language_spoken": speaks[state, language[unit]].astype(float),
        "family_ties": (ties[unit] == state + 1).astype(float),
        "services_match": meets[state, need[unit]].astype(float),
        "cost": fee[state] / 1_000_000,
    }
    month_name = np.char.zfill((slot_month + 1).astype(str), 2)
    return Problem(
        units=Units(ids=np.char.add("U-", np.char.zfill(np.arange(n_units).astype(str), 6)), sizes=sizes),
        slots=Slots(
            ids=np.char.add(np.char.add(np.array([s[0] for s in STATES])[slot_state], "-"), month_name),
            agreement=slot_state,
            capacity=capacity,
            cost_per_person=fee[slot_state],
            cost_per_unit=np.full(slot_state.size, cost_per_family),
        ),
        agreements=Agreements(
            ids=np.array([f"Agreement {s[0]}" for s in STATES]), capacity=quota, budget=budget
        ),
        pairs=Pairs(unit=unit, slot=slot, features=features),
    )


def machine() -> str:
    meminfo = Path("/proc/meminfo")
    memory = "unknown memory"
    if meminfo.exists():
        kib = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        memory = f"{kib / 1024**2:.1f} GiB memory"
    return f"{os.cpu_count()} cores, {memory}"


def run(n_units: int, time_limit: float) -> tuple[float, float]:
    """Solve one round both ways, print its figures; return (seconds to optimum, % over greedy)."""
    print(f"\n{n_units:,} units", flush=True)
    print("  building the round ...", flush=True)
    started = time.perf_counter()
    problem = synthetic_round(n_units)
    built = time.perf_counter() - started
    print(
        f"  built in {built:.2f}s: {int(problem.units.sizes.sum()):,} people, "
        f"{problem.slots.ids.size} slots in {problem.agreements.ids.size} agreements, "
        f"{problem.pairs.unit.size:,} compatible pairs",
        flush=True,
    )
    print("  greedy baseline ...", flush=True)
    baseline = greedy(problem, POLICY)
    print(f"  greedy: {baseline.objective:,.1f} in {baseline.seconds['total']:.2f}s", flush=True)
    print(f"  exact (HiGHS, time limit {time_limit:.0f}s) ...", flush=True)
    plan = solve(problem, POLICY, time_limit=time_limit)
    seconds = plan.seconds
    gain = 100 * (plan.objective - baseline.objective) / baseline.objective
    steps = ", ".join(f"{step} {t:.2f}s" for step, t in seconds.items() if step != "total")
    print(
        f"  {plan.classes:,} classes of interchangeable units; {plan.method}\n"
        f"  time to optimum: {seconds['total']:.2f}s ({steps})\n"
        f"  proven optimal: {'yes' if plan.proven_optimal else 'no'} ({plan.status})\n"
        f"  objective {plan.objective:,.2f} (bound {plan.bound:,.2f}) vs greedy "
        f"{baseline.objective:,.2f}: +{gain:.2f}%\n"
        f"  placed {len(plan):,} units, {plan.people_placed:,} people "
        f"(greedy {len(baseline):,} units, {baseline.people_placed:,} people)",
        flush=True,
    )
    return seconds["total"], gain


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller rounds, for a smoke test")
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    print(f"placement benchmark on {machine()}")
    sizes = [2_000, 10_000] if args.quick else [10_000, 100_000]
    results = [run(n, args.time_limit) for n in sizes]
    seconds, gain = results[-1]
    print(f"placement: {seconds:.1f}s to optimum, +{gain:.1f}% over greedy")


if __name__ == "__main__":
    main()
