"""The offence categories of criminal history, a controlled vocabulary kept in data
(`data/offence-categories.yaml`): case files, the database and the agreements' exclusions
("conviction:<category>") are all written in its words, and anything else is refused with the
list in the message, so a conviction spelled differently cannot escape an exclusion."""

from functools import cache
from pathlib import Path

import yaml

PATH = Path(__file__).parent / "data" / "offence-categories.yaml"


@cache
def offence_categories() -> dict[str, str]:
    """Each category's key and the label pages show, in the file's order."""
    return {item["key"]: item["label"] for item in yaml.safe_load(PATH.read_text())}


def offence_problem(category: str) -> str | None:
    """What is wrong with an offence category, or None when it is one of the list."""
    if category in offence_categories():
        return None
    return f'"{category[:60]}" is not an offence category; use one of: ' + ", ".join(
        offence_categories()
    )


def offence_label(category: str) -> str:
    return offence_categories().get(category, category.replace("_", " "))
