"""Legal regimes as dated data: load, validate and look up the rule in force on a date.

A regime file (`regimes/<id>.yaml`) lists gates; each gate has dated versions, and each version
picks one rule *kind* implemented in `evaluate.py` with its parameters and its legal reference
(the OpenFisca convention: a value has a start date and a source). `common.yaml` holds the gates
every regime shares: the agreement's own terms and the third-country condition. A court order
that changes a window is a new dated version in the file, never a code change.

A version runs from `from` (omitted: since always) until `until` (exclusive: the first day it no
longer applies), or, when `until` is omitted, until the next version begins. A version marked
`unconfirmed: true` encodes law the sources could not confirm; an administrator settles it by
adding a dated version after it.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

REGIMES_DIR = Path(__file__).parent / "regimes"

_COUNTRIES = "countries"  # a parameter type: a list of ISO alpha-2 codes
_BASES = "order bases"  # a parameter type: a list of removal-order bases

# Every gate the engine knows, the rule kinds it can be given, and each kind's parameters.
# A new kind needs code in evaluate.py; a new version of a known kind needs only the file.
KINDS: dict[str, dict[str, dict[str, Any]]] = {
    "agreement.in_force": {"in_force": {}},
    "agreement.exclusions": {"exclusions": {}},
    "agreement.nationality": {"nationality": {}},
    "third_country": {"not_own_nationality": {}},
    "us.final_order": {"final_order": {"appeal_days": int, "final_when_entered": _BASES}},
    "us.no_stay": {"no_stay": {"appeal_days": int, "administrative_order_days": int}},
    "us.country_sequence": {"sequence": {"no_answer_days": int}},
    "us.receiving_acceptance": {"acceptance_by_name": {}},
    "us.withholding": {"protection_bars": {}},
    "us.cat": {"protection_bars": {}},
    "us.no_chain_refoulement": {"onward_bar_required": {}},
    "us.notice": {
        "none": {},
        "hours_before": {
            "hours": int,
            "exigent_hours": int,
            "none_with_credible_assurances": bool,
            "language_required": bool,
            "counsel_required": bool,
        },
        "days_to_claim_fear": {
            "days": int,
            "language_required": bool,
            "counsel_required": bool,
            "order_bases": _BASES,
        },
    },
    "us.fear_claim": {
        "screening": {"screening_hours": int, "none_with_credible_assurances": bool},
        "reasonable_fear_interview": {
            "interview_notice_hours": int,
            "reopen_days_after_negative": int,
        },
    },
    "us.reopen_window": {"timely_motion_bars": {"days": int, "in_absentia_days": int}},
    "us.judicial_review": {"petition_with_stay_bars": {"filing_days": int}},
    "us.assurances": {"records_assurances": {}},
    "uk.inadmissible": {"decision_recorded": {"refused_claims_included": bool}},
    "uk.scheme_eligible": {"scheme": {"claims_from": date}},
    "uk.notice_of_intent": {"response_window": {"detained_days": int, "not_detained_days": int}},
    "uk.removal_notice": {
        "notice_period": {"detained_hours": int, "not_detained_days": int, "working_days": int}
    },
    "uk.rule39": {"binding": {}, "minister_decides": {}},
    "uk.no_court_order": {"court_order_bars": {}},
    "uk.safe_country": {"listed_safe": {"safe_states": _COUNTRIES}},
    "uk.compelling_circumstances": {"none": {}, "pending_claim_bars": {}},
}

ORDER_BASES = frozenset({"INA240", "INA241a5", "INA238b", "expedited"})


class RegimeError(ValueError):
    """A regime file is malformed; the message names the file, the gate and the field."""


@dataclass(frozen=True)
class RuleVersion:
    """One dated version of a gate's rule: which kind applies, with what parameters, and why."""

    begins: date | None  # None: since always
    ends: date | None  # exclusive; None: open
    kind: str
    parameters: Mapping[str, Any]
    reference: str
    unconfirmed: bool = False
    note: str = ""

    def covers(self, day: date) -> bool:
        return (self.begins is None or self.begins <= day) and (
            self.ends is None or day < self.ends
        )


@dataclass(frozen=True)
class Gate:
    id: str
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


def _check_parameter(where: str, name: str, value: Any, expected: Any) -> None:
    if expected is _COUNTRIES or expected is _BASES:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        if ok and expected is _COUNTRIES:
            ok = all(len(v) == 2 and v.isupper() for v in value)
        if ok and expected is _BASES:
            ok = set(value) <= ORDER_BASES
        wanted = "a list of ISO alpha-2 codes" if expected is _COUNTRIES else sorted(ORDER_BASES)
        if not ok:
            raise RegimeError(f"{where}: field parameters.{name}: expected {wanted}, got {value!r}")
    elif not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise RegimeError(
            f"{where}: field parameters.{name}: expected {expected.__name__}, got {value!r}"
        )


def _optional_date(where: str, field: str, value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    raise RegimeError(f"{where}: field {field}: expected a date (YYYY-MM-DD), got {value!r}")


def _read_version(where: str, gate_id: str, raw: Any) -> RuleVersion:
    if not isinstance(raw, dict):
        raise RegimeError(f"{where}: expected a mapping, got {raw!r}")
    unknown = set(raw) - {"from", "until", "kind", "parameters", "reference", "unconfirmed", "note"}
    if unknown:
        raise RegimeError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    kind = raw.get("kind")
    kinds = KINDS[gate_id]
    if kind not in kinds:
        raise RegimeError(f"{where}: field kind: {kind!r} is not one of {sorted(kinds)}")
    if not isinstance(raw.get("reference"), str) or not raw["reference"].strip():
        raise RegimeError(f"{where}: field reference: every version needs its legal source")
    parameters = raw.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise RegimeError(f"{where}: field parameters: expected a mapping")
    expected = kinds[kind]
    if set(parameters) != set(expected):
        missing, extra = set(expected) - set(parameters), set(parameters) - set(expected)
        raise RegimeError(
            f"{where}: field parameters: kind {kind} needs {sorted(expected)}"
            f" (missing {sorted(missing)}, unknown {sorted(extra)})"
        )
    for name, value in parameters.items():
        _check_parameter(where, name, value, expected[name])
    if not isinstance(raw.get("unconfirmed", False), bool):
        raise RegimeError(f"{where}: field unconfirmed: expected true or false")
    return RuleVersion(
        begins=_optional_date(where, "from", raw.get("from")),
        ends=_optional_date(where, "until", raw.get("until")),
        kind=kind,
        parameters=parameters,
        reference=raw["reference"].strip(),
        unconfirmed=raw.get("unconfirmed", False),
        note=str(raw.get("note", "")).strip(),
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


def _read_gates(path: Path, raw: Any) -> list[Gate]:
    if not isinstance(raw, dict) or not isinstance(raw.get("gates"), list):
        raise RegimeError(f"{path.name}: expected a mapping with a list under 'gates'")
    gates = []
    for index, item in enumerate(raw["gates"]):
        gate_id = item.get("id") if isinstance(item, dict) else None
        where = f"{path.name}: gate {gate_id or f'#{index}'}"
        if gate_id not in KINDS:
            raise RegimeError(f"{where}: field id: not a gate the engine knows")
        for field in ("description", "citation"):
            if not isinstance(item.get(field), str) or not item[field].strip():
                raise RegimeError(f"{where}: field {field}: required")
        raw_versions = item.get("versions")
        if not isinstance(raw_versions, list) or not raw_versions:
            raise RegimeError(f"{where}: field versions: at least one dated version is required")
        versions = [
            _read_version(f"{where}: version {i + 1}", gate_id, v)
            for i, v in enumerate(raw_versions)
        ]
        description = " ".join(item["description"].split())
        gates.append(Gate(gate_id, description, item["citation"].strip(), _chain(where, versions)))
    return gates


def read_regime(regime_id: str, paths: list[Path]) -> Regime:
    """Read and validate regime files into one regime; raise RegimeError naming what is wrong."""
    gates: list[Gate] = []
    digest = hashlib.sha256()
    name = regime_id
    for path in paths:
        text = path.read_bytes()
        digest.update(text)
        try:
            raw = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise RegimeError(f"{path.name}: not valid YAML: {error}") from error
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
