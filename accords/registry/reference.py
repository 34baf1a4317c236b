"""The shipped reference data: agreements, their terms and sources, as versioned YAML files.

`data/sources.yaml` lists the sources; `data/agreements/<key>.yaml` holds one agreement with
its status history, terms and reported transfers, every fact credited to sources. Loading is
idempotent: each row is found by its stable key and updated in place, so loading the same
files twice changes nothing, and a corrected file corrects the rows it names.
"""

from collections import Counter
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError

from accords.core.actions import action
from accords.registry import services

DATA_DIR = Path(__file__).parent / "data"
FORMAT = 1


def _read(path: Path) -> dict:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ValidationError(f"{path.name}: not valid YAML: {error}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValidationError(f"{path.name}: expected a mapping with `format: {FORMAT}`.")
    return document


def _located(where: str, error: ValidationError) -> ValidationError:
    """Say which file and which entry a bad field is in."""
    if hasattr(error, "error_dict"):
        return ValidationError(
            {f"{where}: {field}": msgs for field, msgs in error.message_dict.items()}
        )
    return ValidationError([f"{where}: {message}" for message in error.messages])


def _load_agreement(path: Path, counts: Counter) -> None:
    document = _read(path)
    key = document.get("key", path.stem)
    names = ("name", "sending", "receiving", "kind", "arrangement", "regime")
    fields = {k: document.get(k) for k in names}
    fields["summary"] = document.get("summary", "")
    try:
        agreement, created = services.agreement_upsert(key=key, **fields)
    except ValidationError as error:
        raise _located(path.name, error) from None
    counts["agreements created" if created else "agreements kept"] += 1
    for i, entry in enumerate(document.get("status_history") or []):
        try:
            _, created = services.status_upsert(agreement=agreement, **entry)
        except (ValidationError, TypeError) as error:
            raise _located(f"{path.name} status_history[{i}]", _as_validation(error)) from None
        counts["status changes created" if created else "status changes kept"] += 1
    for i, entry in enumerate(document.get("terms") or []):
        try:
            _, created = services.term_upsert(agreement=agreement, **entry)
        except (ValidationError, TypeError) as error:
            raise _located(f"{path.name} terms[{i}]", _as_validation(error)) from None
        counts["terms created" if created else "terms kept"] += 1
    for i, entry in enumerate(document.get("reported_transfers") or []):
        try:
            _, created = services.reported_transfer_upsert(agreement=agreement, **entry)
        except (ValidationError, TypeError) as error:
            where = f"{path.name} reported_transfers[{i}]"
            raise _located(where, _as_validation(error)) from None
        counts["reported transfers created" if created else "reported transfers kept"] += 1


def _as_validation(error: Exception) -> ValidationError:
    # A missing or unexpected key in a YAML entry surfaces as a TypeError from the keyword call.
    return error if isinstance(error, ValidationError) else ValidationError(str(error))


@action("reference_data.load", records=("directory",))
def reference_data_load(*, actor, directory: Path = DATA_DIR) -> dict:
    """Load every source and agreement file, all or nothing, and count what it did."""
    directory = Path(directory)
    counts: Counter = Counter()
    for i, entry in enumerate(_read(directory / "sources.yaml").get("sources") or []):
        try:
            _, created = services.source_upsert(**entry)
        except (ValidationError, TypeError) as error:
            raise _located(f"sources.yaml sources[{i}]", _as_validation(error)) from None
        counts["sources created" if created else "sources kept"] += 1
    for path in sorted((directory / "agreements").glob("*.yaml")):
        _load_agreement(path, counts)
    return dict(sorted(counts.items()))
