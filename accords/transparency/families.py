"""Gate families: why people were taken off at departure, in groups the public can read
(`gate_families.yaml`)."""

from functools import cache
from pathlib import Path

import yaml

FAMILIES_FILE = Path(__file__).parent / "gate_families.yaml"
# A gate added to a regime before anyone gave it a family (a test keeps this empty).
OTHER = {"key": "other", "label": "another safeguard"}


@cache
def families() -> list[dict]:
    listed = yaml.safe_load(FAMILIES_FILE.read_text(encoding="utf-8"))["families"]
    return [*listed, OTHER]


@cache
def _family_of() -> dict[str, str]:
    return {gate: family["key"] for family in families() for gate in family.get("gates", ())}


def family_of_gates(gates: list[str]) -> str:
    """The family a person taken off counts in: the first listed among their closed gates."""
    order = [f["key"] for f in families()]
    found = {_family_of().get(gate, OTHER["key"]) for gate in gates}
    return min(found, key=order.index) if found else OTHER["key"]


def family_labels() -> dict[str, str]:
    return {f["key"]: f["label"] for f in families()}
