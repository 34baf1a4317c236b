"""The disclosure rules in force on a day, read from `disclosure.yaml`.

Each rule keeps its source and dated versions (as the regimes of `accords/law` do): a
version applies from its `from` day until the next version begins. A publication records the
versions it applied, and the page names them with their sources.
"""

from datetime import date
from functools import cache
from pathlib import Path

import yaml

from accords.transparency.protection import Rules

RULES_FILE = Path(__file__).parent / "disclosure.yaml"


@cache
def _rules() -> list[dict]:
    return yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))["rules"]


def _in_force(rule: dict, on: date) -> dict | None:
    started = [v for v in rule["versions"] if v["from"] <= on]
    return max(started, key=lambda v: v["from"]) if started else None


def rules_in_force(on: date) -> list[dict]:
    """Each rule with the version in force on `on` (rules not yet in force are left out)."""
    found = []
    for rule in _rules():
        version = _in_force(rule, on)
        if version is not None:
            found.append({"id": rule["id"], "title": rule["title"],
                          "applies_to": rule["applies_to"], "source": rule["source"],
                          "version": str(version["version"]), "from": version["from"].isoformat(),
                          "says": version["says"].strip(),
                          "parameters": {k: v for k, v in version.items()
                                         if k not in ("version", "from", "says")}})  # fmt: skip
    return found


def protection_rules(on: date) -> Rules:
    """The rounding base and suppression threshold in force on `on`."""
    base, threshold = 1, 0
    for rule in _rules():
        version = _in_force(rule, on)
        if version is None:
            continue
        base = version.get("base", base)
        threshold = version.get("threshold", threshold)
    return Rules(base=base, threshold=threshold)
