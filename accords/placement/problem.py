"""What a placement is asked to solve: units, slots, agreements, compatible pairs and a policy.

Every input is a column (numpy array), checked once on construction so that bad input fails
with an error naming the field rather than deep inside the solver. People and money are
integers (money in minor units, e.g. cents): capacity and budget checks are then exact, and a
plan either fits an agreement or it does not.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np


class ProblemError(ValueError):
    """Input the solver cannot accept; the message names the field at fault."""


def _ints(name: str, values, *, minimum: int) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ProblemError(f"{name}: expected a one-dimensional array")
    if array.size and array.dtype.kind not in "biu":
        whole = array.dtype.kind == "f" and np.all(np.isfinite(array))
        if not whole or np.any(array != np.round(array)):
            raise ProblemError(f"{name}: expected whole numbers")
    array = array.astype(np.int64)
    if array.size and array.min() < minimum:
        raise ProblemError(f"{name}: values below {minimum} are not allowed")
    return array


def _has_repeats(array: np.ndarray) -> bool:
    ordered = np.sort(array)
    return bool(np.any(ordered[1:] == ordered[:-1]))


def _ids(name: str, values) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ProblemError(f"{name}: expected a one-dimensional array")
    if _has_repeats(array):
        raise ProblemError(f"{name}: ids must be unique")
    return array


def _same_length(name: str, array: np.ndarray, expected: int) -> None:
    if array.size != expected:
        raise ProblemError(f"{name}: expected {expected} values, got {array.size}")


@dataclass(frozen=True)
class Policy:
    """A named, versioned scoring rule; it is stored with every plan it produced.

    A pair's score is the sum of `weight × feature value` over the weighted features; with
    `per_person` the score is also multiplied by the unit's size, so a family of five counts
    five times what a single person does.
    """

    name: str
    version: int
    weights: Mapping[str, float]
    per_person: bool = True

    def __post_init__(self):
        if not self.name:
            raise ProblemError("policy.name: a policy needs a name")
        for feature, weight in self.weights.items():
            if not math.isfinite(weight):
                raise ProblemError(f"policy.weights[{feature!r}]: weight must be finite")
        object.__setattr__(self, "weights", dict(sorted(self.weights.items())))

    def as_record(self) -> dict:
        """The policy as plain data, for storing beside the plan."""
        return {
            "name": self.name,
            "version": self.version,
            "weights": dict(self.weights),
            "per_person": self.per_person,
        }


@dataclass(frozen=True)
class Units:
    """Who is to be placed: a unit is a family travelling together, or one person alone."""

    ids: np.ndarray
    sizes: np.ndarray

    def __post_init__(self):
        object.__setattr__(self, "ids", _ids("units.ids", self.ids))
        object.__setattr__(self, "sizes", _ints("units.sizes", self.sizes, minimum=1))
        _same_length("units.sizes", self.sizes, self.ids.size)


@dataclass(frozen=True)
class Agreements:
    """The agreements slots belong to: a total in people and a budget in minor units."""

    ids: np.ndarray
    capacity: np.ndarray
    budget: np.ndarray

    def __post_init__(self):
        object.__setattr__(self, "ids", _ids("agreements.ids", self.ids))
        object.__setattr__(self, "capacity", _ints("agreements.capacity", self.capacity, minimum=0))
        object.__setattr__(self, "budget", _ints("agreements.budget", self.budget, minimum=0))
        _same_length("agreements.capacity", self.capacity, self.ids.size)
        _same_length("agreements.budget", self.budget, self.ids.size)


@dataclass(frozen=True)
class Slots:
    """Places units can go: an agreement's quota for a period, a flight's seats.

    A unit placed in a slot costs its agreement `cost_per_person × size + cost_per_unit`.
    """

    ids: np.ndarray
    agreement: np.ndarray
    capacity: np.ndarray
    cost_per_person: np.ndarray
    cost_per_unit: np.ndarray | None = None

    def __post_init__(self):
        object.__setattr__(self, "ids", _ids("slots.ids", self.ids))
        n = self.ids.size
        per_unit = np.zeros(n, np.int64) if self.cost_per_unit is None else self.cost_per_unit
        for name, values in [
            ("agreement", self.agreement),
            ("capacity", self.capacity),
            ("cost_per_person", self.cost_per_person),
            ("cost_per_unit", per_unit),
        ]:
            array = _ints(f"slots.{name}", values, minimum=0)
            _same_length(f"slots.{name}", array, n)
            object.__setattr__(self, name, array)


@dataclass(frozen=True)
class Pairs:
    """The compatible unit × slot pairs and each pair's feature values.

    Only listed pairs may ever be assigned. The caller decides compatibility (the safeguards
    engine clears a referral by the slot's date; the agreement's eligibility admits the unit).
    """

    unit: np.ndarray
    slot: np.ndarray
    features: Mapping[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "unit", _ints("pairs.unit", self.unit, minimum=0))
        object.__setattr__(self, "slot", _ints("pairs.slot", self.slot, minimum=0))
        _same_length("pairs.slot", self.slot, self.unit.size)
        features = {}
        for name, values in self.features.items():
            array = np.asarray(values, dtype=np.float64)
            if array.ndim != 1:
                raise ProblemError(f"pairs.features[{name!r}]: expected one value per pair")
            _same_length(f"pairs.features[{name!r}]", array, self.unit.size)
            if not np.all(np.isfinite(array)):
                raise ProblemError(f"pairs.features[{name!r}]: values must be finite")
            features[name] = array
        object.__setattr__(self, "features", features)

    @classmethod
    def from_matrix(cls, compatible, features: Mapping[str, np.ndarray] | None = None) -> "Pairs":
        """Pairs from a units × slots compatibility matrix and features of the same shape."""
        compatible = np.asarray(compatible, dtype=bool)
        if compatible.ndim != 2:
            raise ProblemError("compatible: expected a units × slots matrix")
        unit, slot = np.nonzero(compatible)
        values = {}
        for name, matrix in (features or {}).items():
            matrix = np.asarray(matrix, dtype=np.float64)
            if matrix.shape != compatible.shape:
                raise ProblemError(f"features[{name!r}]: expected shape {compatible.shape}")
            values[name] = matrix[unit, slot]
        return cls(unit=unit, slot=slot, features=values)


@dataclass(frozen=True)
class Problem:
    """One placement round: all four parts, checked against each other."""

    units: Units
    slots: Slots
    agreements: Agreements
    pairs: Pairs

    def __post_init__(self):
        if self.slots.agreement.size and self.slots.agreement.max() >= self.agreements.ids.size:
            raise ProblemError("slots.agreement: refers to an agreement that is not listed")
        if self.pairs.unit.size:
            if self.pairs.unit.max() >= self.units.ids.size:
                raise ProblemError("pairs.unit: refers to a unit that is not listed")
            if self.pairs.slot.max() >= self.slots.ids.size:
                raise ProblemError("pairs.slot: refers to a slot that is not listed")
        if _has_repeats(self.pairs.unit * max(self.slots.ids.size, 1) + self.pairs.slot):
            raise ProblemError("pairs: a unit × slot pair is listed twice")

    def contributions(self, policy: Policy) -> dict[str, np.ndarray]:
        """Each weighted feature's part in each pair's score: the "why" of a placement."""
        missing = [name for name in policy.weights if name not in self.pairs.features]
        if missing:
            raise ProblemError(f"policy.weights: features not in the problem: {missing}")
        factor = self.units.sizes[self.pairs.unit] if policy.per_person else 1
        return {
            name: weight * self.pairs.features[name] * factor
            for name, weight in policy.weights.items()
            if weight != 0
        }
