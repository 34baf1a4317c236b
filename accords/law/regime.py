"""Legal regimes as dated data: load, validate and look up the rule in force on a date.

A regime file (`regimes/<id>.yaml`) lists gates; each gate has dated versions, and each version
picks one rule *kind* implemented in `evaluate.py` with its parameters and its legal reference
(the OpenFisca convention: a value has a start date and a source). `common.yaml` holds the gates
every regime shares: the agreement's own terms and the third-country condition. A court order
that changes a window is a new dated version in the file, never a code change.

A version runs from `from` (omitted: since always) until `until` (exclusive: the first day it no
longer applies), or, when `until` is omitted, until the next version begins. Each version says
how sure its sources are (`confidence`: official, reported or unconfirmed, as the registry
credits sources); an unconfirmed version encodes law the sources could not confirm, and an
administrator settles it by adding a dated version after it.

Every file is checked against the JSON Schema of `regime_schema.py` as it is read.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from accords.law.regime_schema import KINDS, RegimeError, read_regime_file

REGIMES_DIR = Path(__file__).parent / "regimes"
__all__ = ["KINDS", "RegimeError"]  # re-exported: the engine reads them from here


@dataclass(frozen=True)
class RuleVersion:
    """One dated version of a gate's rule: which kind applies, with what parameters, and why."""

    begins: date | None  # None: since always
    ends: date | None  # exclusive; None: open
    kind: str
    parameters: Mapping[str, Any]
    reference: str
    confidence: str = "official"  # how sure the sources are that this was the law (CONFIDENCE)
    note: str = ""

    @property
    def unconfirmed(self) -> bool:
        return self.confidence == "unconfirmed"

    def covers(self, day: date) -> bool:
        return (self.begins is None or self.begins <= day) and (
            self.ends is None or day < self.ends
        )


@dataclass(frozen=True)
class Gate:
    id: str
    title: str  # a few plain words, as pages show the gate ("Notice served")
    description: str
    citation: str
    versions: tuple[RuleVersion, ...]

    def version_on(self, day: date) -> RuleVersion | None:
        """The rule in force on `day`, or None where the file has a gap."""
        return next((v for v in self.versions if v.covers(day)), None)


@dataclass(frozen=True)
class Regime:
    id: str
    name: str
    gates: tuple[Gate, ...]
    version: str  # stored with every decision, so a past transfer can be replayed

    def gate(self, gate_id: str) -> Gate:
        return next(g for g in self.gates if g.id == gate_id)


def _read_version(raw: dict) -> RuleVersion:
    """A version the schema accepted; dates (kept as text by the loader) become dates."""
    parameters = dict(raw.get("parameters") or {})
    for name, value in parameters.items():
        if isinstance(value, str):  # the one text parameter the schema admits is a date
            parameters[name] = date.fromisoformat(value)
    return RuleVersion(
        begins=date.fromisoformat(raw["from"]) if "from" in raw else None,
        ends=date.fromisoformat(raw["until"]) if "until" in raw else None,
        kind=raw["kind"],
        parameters=parameters,
        reference=" ".join(raw["reference"].split()),
        confidence=raw.get("confidence", "official"),
        note=" ".join(raw.get("note", "").split()),
    )


def _chain(where: str, versions: list[RuleVersion]) -> tuple[RuleVersion, ...]:
    """Order versions by start, close each open one at the next start, and refuse overlaps."""
    if sum(v.begins is None for v in versions) > 1:
        raise RegimeError(f"{where}: field from: only the first version may omit it")
    ordered = sorted(versions, key=lambda v: v.begins or date.min)
    chained = []
    for current, following in zip(ordered, [*ordered[1:], None], strict=True):
        ends = current.ends
        if following is not None:
            if ends is not None and ends > following.begins:
                raise RegimeError(
                    f"{where}: field until: version from {current.begins} runs to {ends},"
                    f" past the next version's start {following.begins}"
                )
            ends = ends or following.begins
        if ends is not None and current.begins is not None and ends <= current.begins:
            raise RegimeError(f"{where}: field until: {ends} is not after from {current.begins}")
        chained.append(replace(current, ends=ends))
    return tuple(chained)


def _read_gates(path: Path, raw: dict) -> list[Gate]:
    gates = []
    for item in raw["gates"]:
        where = f"{path.name}: gate {item['id']}"
        versions = [_read_version(v) for v in item["versions"]]
        description = " ".join(item["description"].split())
        gates.append(
            Gate(
                item["id"],
                " ".join(item["title"].split()),
                description,
                item["citation"].strip(),
                _chain(where, versions),
            )
        )
    return gates


def read_regime(regime_id: str, paths: list[Path]) -> Regime:
    """Read and validate regime files into one regime; raise RegimeError naming what is wrong."""
    gates: list[Gate] = []
    digest = hashlib.sha256()
    name = regime_id
    for path in paths:
        text = path.read_bytes()
        digest.update(text)
        raw = read_regime_file(path.name, text)
        gates.extend(_read_gates(path, raw))
        if raw.get("regime") == regime_id:
            name = str(raw.get("name", regime_id))
    seen: set[str] = set()
    for gate in gates:
        if gate.id in seen:
            raise RegimeError(f"regime {regime_id}: gate {gate.id} is defined twice")
        seen.add(gate.id)
    latest = max((v.begins for g in gates for v in g.versions if v.begins), default=None)
    version = f"{regime_id}@{latest}+{digest.hexdigest()[:12]}"
    return Regime(regime_id, name, tuple(gates), version)


@cache
def load_regime(regime_id: str) -> Regime:
    """The regime shipped in `regimes/`: the shared gates plus the jurisdiction's own."""
    path = REGIMES_DIR / f"{regime_id}.yaml"
    if not path.is_file():
        raise RegimeError(f"no regime file {path.name}")
    return read_regime(regime_id, [REGIMES_DIR / "common.yaml", path])
