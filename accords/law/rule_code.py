"""The version of the code that computes each gate, beside the regime file's version.

A regime version names the data (dates, windows, references); a change to a rule's Python (a
formula, a branch, a helper it calls) would replay under the same regime version. So each
gate's code is hashed too: the source of its rule function and of every function, class and
constant of `accords.law` it reaches, followed name by name, plus the columns derived for it.
The evaluator that turns branches into outcomes (`evaluate.py`, `columns.py`) is hashed once
as the engine's part. A stored decision keeps the combined hash and its screening keeps each
gate's, so a replay can say which gates' code changed since.

Python offers no hash of "what a function depends on"; following the names a function's code
uses (`co_names`, nested code objects, closure cells) is the smallest thing that does it.
"""

import hashlib
import inspect
import re
import types
from functools import cache
from pathlib import Path
from typing import Any

from accords.law.gates import DERIVED, POLICY_RULES, RULES
from accords.law.policy import POLICY_GATES
from accords.law.regime import Regime

_OWN = "accords.law"
_HERE = Path(__file__).parent
_CONSTANTS = (int, float, str, bytes, tuple, frozenset, list, dict)
ENGINE = "engine"  # the part every gate shares


def _ours(value: Any) -> bool:
    if isinstance(value, types.ModuleType):
        return value.__name__.startswith(_OWN)
    if isinstance(value, types.FunctionType | type):
        return getattr(value, "__module__", "").startswith(_OWN)
    return False


def _text(constant: Any) -> str:
    """A constant as text, without the memory addresses some reprs name (a polars expression's)."""
    return re.sub(r" at 0x[0-9a-fA-F]+", "", repr(constant))


def _names(code: types.CodeType) -> set[str]:
    names, stack = set(), [code]
    while stack:
        current = stack.pop()
        names.update(current.co_names)
        stack.extend(k for k in current.co_consts if isinstance(k, types.CodeType))
    return names


def _reach(value: Any, parts: dict[str, str]) -> None:
    """Add `value`'s source and everything of ours it names to `parts` (name -> text)."""
    key = f"{value.__module__}.{value.__qualname__}"
    if key in parts:
        return
    try:
        parts[key] = inspect.getsource(value)
    except OSError:  # made by a decorator (a dataclass's __init__): its class's source says it
        return
    functions = (
        [f for f in vars(value).values() if isinstance(f, types.FunctionType)]
        if isinstance(value, type)
        else [value]
    )
    for function in functions:
        names = _names(function.__code__)
        space = function.__globals__
        for name in sorted(names):
            found = space.get(name)
            if isinstance(found, types.ModuleType) and _ours(found):
                for attribute in sorted(names):
                    inner = getattr(found, attribute, None)
                    if _ours(inner) and not isinstance(inner, types.ModuleType):
                        _reach(inner, parts)
                    elif isinstance(inner, _CONSTANTS) and hasattr(found, attribute):
                        parts[f"{found.__name__}.{attribute}"] = _text(inner)
            elif _ours(found):
                _reach(found, parts)
            elif isinstance(found, _CONSTANTS) and name in space:
                parts[f"{function.__module__}.{name}"] = _text(found)
        for number, cell in enumerate(function.__closure__ or ()):
            inside = cell.cell_contents
            if _ours(inside):
                _reach(inside, parts)
            elif isinstance(inside, _CONSTANTS):
                parts[f"{key}#cell{number}"] = _text(inside)


def _digest(parts: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for name in sorted(parts):
        digest.update(f"{name}\n{parts[name]}\n".encode())
    return digest.hexdigest()[:16]


@cache
def gate_code(gate_id: str) -> str:
    """The hash of the code that computes one gate."""
    parts: dict[str, str] = {}
    _reach(RULES.get(gate_id) or POLICY_RULES[gate_id], parts)
    derivation = DERIVED.get(gate_id)
    if derivation is not None:
        for step in (derivation.common, derivation.for_state):
            if step is not None:
                _reach(step, parts)
    return _digest(parts)


@cache
def engine_code() -> str:
    """The hash of the evaluator every gate runs through."""
    # Read as files: the evaluator imports this module, so it cannot be imported here.
    return _digest({name: (_HERE / name).read_text() for name in ("evaluate.py", "columns.py")})


def rule_codes(regime: Regime) -> dict[str, str]:
    """Each gate's code hash (the programme's policy gates too), and the engine's under ENGINE."""
    gates = [*(g.id for g in regime.gates), *POLICY_GATES]
    return {ENGINE: engine_code(), **{gate_id: gate_code(gate_id) for gate_id in gates}}


def regime_code(regime: Regime) -> str:
    """One hash for all the code a regime's gates run: what a stored decision records."""
    return _digest(rule_codes(regime))


def code_changed(stored: dict[str, str], regime: Regime) -> list[str]:
    """The gates (or ENGINE) whose code differs now from the hashes stored."""
    now = rule_codes(regime)
    return [part for part in now if stored.get(part) != now[part]]
