"""The regime files' JSON Schema, made from the gates and rule kinds the engine knows, and the
reading of a file against it.

`KINDS` lists every gate, the rule kinds each can be given and each kind's parameters as JSON
Schema; `regime_schema()` builds the schema of a whole file from it, so the engine and the
schema cannot disagree (the copy at docs/regime.schema.json is checked against it by a test).
`read_regime_file` reads one file and refuses it, naming the file, the gate, the version and
the field, where the schema does not hold. What a schema cannot state (versions that overlap, a
gate defined twice) `regime.py` checks after.

Dates stay text while the file is read (the loader has no timestamp type) so that the schema
checks them as dates; `regime.py` turns them into dates.
"""

import json
from typing import Any

import yaml
from jsonschema import Draft202012Validator

_DAYS = {"type": "integer", "minimum": 0, "maximum": 36500}
_HOURS = {"type": "integer", "minimum": 0, "maximum": 8760}
_FLAG = {"type": "boolean"}
_DATE = {"$ref": "#/$defs/date"}
_COUNTRIES = {"type": "array", "items": {"type": "string", "pattern": "^[A-Z]{2}$"}}
ORDER_BASES = ("INA240", "INA241a5", "INA238b", "expedited")
_BASES = {"type": "array", "items": {"enum": list(ORDER_BASES)}, "uniqueItems": True}

# Every gate the engine knows, the rule kinds it can be given, and each kind's parameters.
# A new kind needs code in evaluate.py; a new version of a known kind needs only the file.
KINDS: dict[str, dict[str, dict[str, Any]]] = {
    "agreement.in_force": {"in_force": {}},
    "agreement.exclusions": {"exclusions": {}},
    "agreement.nationality": {"nationality": {}},
    "third_country": {"not_own_nationality": {}},
    "us.final_order": {"final_order": {"appeal_days": _DAYS, "final_when_entered": _BASES}},
    "us.no_stay": {"no_stay": {"appeal_days": _DAYS, "administrative_order_days": _DAYS}},
    "us.country_sequence": {"sequence": {"no_answer_days": _DAYS}},
    "us.receiving_acceptance": {"acceptance_by_name": {}},
    "us.withholding": {"protection_bars": {}},
    "us.cat": {"protection_bars": {}},
    "us.no_chain_refoulement": {"onward_bar_required": {}},
    "us.notice": {
        "none": {},
        "hours_before": {
            "hours": _HOURS,
            "exigent_hours": _HOURS,
            "none_with_credible_assurances": _FLAG,
            "language_required": _FLAG,
            "counsel_required": _FLAG,
        },
        "days_to_claim_fear": {
            "days": _DAYS,
            "language_required": _FLAG,
            "counsel_required": _FLAG,
            "order_bases": _BASES,
        },
    },
    "us.fear_claim": {
        "screening": {"screening_hours": _HOURS, "none_with_credible_assurances": _FLAG},
        "reasonable_fear_interview": {
            "interview_notice_hours": _HOURS,
            "reopen_days_after_negative": _DAYS,
        },
    },
    "us.reopen_window": {"timely_motion_bars": {"days": _DAYS, "in_absentia_days": _DAYS}},
    "us.judicial_review": {"petition_with_stay_bars": {"filing_days": _DAYS}},
    "us.assurances": {"records_assurances": {}},
    "uk.inadmissible": {"decision_recorded": {"refused_claims_included": _FLAG}},
    "uk.scheme_eligible": {"scheme": {"claims_from": _DATE}},
    "uk.notice_of_intent": {
        "response_window": {"detained_days": _DAYS, "not_detained_days": _DAYS}
    },
    "uk.removal_notice": {
        "notice_period": {
            "detained_hours": _HOURS,
            "not_detained_days": _DAYS,
            "working_days": _DAYS,
        }
    },
    "uk.rule39": {"binding": {}, "minister_decides": {}},
    "uk.no_court_order": {"court_order_bars": {}},
    "uk.safe_country": {"listed_safe": {"safe_states": _COUNTRIES}},
    "uk.compelling_circumstances": {"none": {}, "pending_claim_bars": {}},
}

CONFIDENCE = ("official", "reported", "unconfirmed")  # as the registry credits its sources
_TEXT = {"type": "string", "pattern": r"\S"}


def _parameters(parameters: dict[str, Any]) -> dict:
    if not parameters:
        return {"type": "object", "maxProperties": 0}
    return {
        "type": "object",
        "properties": parameters,
        "required": list(parameters),
        "additionalProperties": False,
    }


def _when(field: str, value: str, then: dict) -> dict:
    return {"if": {"properties": {field: {"const": value}}, "required": [field]}, "then": then}


def regime_schema() -> dict:
    """The JSON Schema of a regime file."""
    kinds: dict[str, dict] = {}
    for gate_kinds in KINDS.values():
        kinds.update(gate_kinds)
    with_parameters = [kind for kind, parameters in kinds.items() if parameters]
    version = {
        "type": "object",
        "required": ["kind", "reference"],
        "additionalProperties": False,
        "properties": {
            "from": _DATE,
            "until": _DATE,
            "kind": {"type": "string"},
            "parameters": {"type": "object"},
            "reference": {**_TEXT, "description": "the legal source of this version"},
            "confidence": {"enum": list(CONFIDENCE), "default": "official"},
            "note": {"type": "string"},
        },
        "allOf": [
            _when("kind", kind, {"properties": {"parameters": _parameters(kinds[kind])}})
            for kind in kinds
        ]
        + [_when("kind", kind, {"required": ["parameters"]}) for kind in with_parameters],
    }
    gate = {
        "type": "object",
        "required": ["id", "title", "description", "citation", "versions"],
        "additionalProperties": False,
        "properties": {
            "id": {"enum": list(KINDS)},
            "title": {
                **_TEXT,
                "maxLength": 80,
                "description": "the gate in a few plain words, as pages show it",
            },
            "description": _TEXT,
            "citation": _TEXT,
            "versions": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/version"}},
        },
        "allOf": [
            _when(
                "id",
                gate_id,
                {
                    "properties": {
                        "versions": {"items": {"properties": {"kind": {"enum": list(gate_kinds)}}}}
                    }
                },  # fmt: skip
            )
            for gate_id, gate_kinds in KINDS.items()
        ],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://accords.example/regime.schema.json",
        "title": "Accords legal regime file",
        "description": "Gates with dated rule versions (accords/law/regimes/*.yaml).",
        "type": "object",
        "required": ["regime", "gates"],
        "additionalProperties": False,
        "properties": {
            "regime": {"type": "string", "pattern": "^[a-z]+$"},
            "name": _TEXT,
            "gates": {"type": "array", "items": {"$ref": "#/$defs/gate"}},
        },
        "$defs": {
            "date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"},
            "gate": gate,
            "version": version,
        },
    }


_VALIDATOR = Draft202012Validator(
    regime_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER
)


class _DatesAsText(yaml.SafeLoader):
    """YAML's safe loader without its timestamp type: a date stays the text the file holds."""


_DatesAsText.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class RegimeError(ValueError):
    """A regime file is malformed; the message names the file, the gate and the field."""


def _where(name: str, raw: Any, error) -> str:
    """`error` located: the file, the gate (by id where it has one), the version, the field."""
    path = list(error.absolute_path)
    said = [name]
    if path[:1] == ["gates"] and len(path) > 1:
        item = raw["gates"][path[1]]
        gate_id = item.get("id") if isinstance(item, dict) else None
        said.append(f"gate {gate_id if isinstance(gate_id, str) else f'#{path[1] + 1}'}")
        path = path[2:]
        if path[:1] == ["versions"] and len(path) > 1:
            said.append(f"version {path[1] + 1}")
            path = path[2:]
    field = [str(p) for p in path]
    instance = error.instance if isinstance(error.instance, dict) else {}
    if error.validator == "required":
        field += [next(f for f in error.validator_value if f not in instance)]
    elif error.validator == "additionalProperties":
        known = error.schema.get("properties", {})
        field += [", ".join(sorted(f for f in instance if f not in known))]
    if field:
        said.append(f"field {'.'.join(field)}")
    return ": ".join(said)


def _message(error) -> str:
    if error.schema.get("format") == "date":
        return f"expected a date (YYYY-MM-DD), got {error.instance!r}"
    if error.validator == "required":
        missing = next(f for f in error.validator_value if f not in error.instance)
        kind = error.instance.get("kind")
        if missing == "parameters" and isinstance(kind, str):
            needs = next(k[kind] for k in KINDS.values() if kind in k)
            return f"required: kind {kind} needs {', '.join(needs)}"
        return "required"
    if error.validator == "additionalProperties":
        return "not a field of a regime file"
    if error.validator == "maxProperties" and error.validator_value == 0:
        return "this kind takes no parameters"
    if error.validator == "pattern" and error.validator_value == _TEXT["pattern"]:
        return "must not be empty"
    return error.message


def read_regime_file(name: str, text: bytes | str) -> dict:
    """One regime file read and checked against the schema; RegimeError names what is wrong."""
    try:
        raw = yaml.load(text, Loader=_DatesAsText)  # a safe loader, without the timestamp type
    except yaml.YAMLError as error:
        raise RegimeError(f"{name}: not valid YAML: {error}") from error
    errors = list(_VALIDATOR.iter_errors(raw))
    if errors:
        error = min(errors, key=lambda e: _in_file_order(raw, e.absolute_path))
        raise RegimeError(f"{_where(name, raw, error)}: {_message(error)}")
    return raw


def _in_file_order(raw: Any, path) -> list[int]:
    """Where an error sits in the file, as positions, so the first problem is told first (a
    gate's unknown id before what its versions lack)."""
    positions, node = [], raw
    for part in path:
        positions.append(part if isinstance(part, int) else list(node).index(part))
        node = node[part]
    return positions


def schema_text() -> str:
    """The schema as docs/regime.schema.json holds it."""
    return json.dumps(regime_schema(), indent=2) + "\n"
