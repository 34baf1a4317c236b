"""Every write to the registry. Views, the API, the admin's actions and the loader call these."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

import pycountry
from django.core.exceptions import ValidationError
from django.db import models

from accords.core import validation as kinds
from accords.core.actions import action
from accords.core.validation import USER_ASSIGNED_STATES
from accords.registry.models import (
    Agreement,
    Confidence,
    Credit,
    Precision,
    ReportedTransfer,
    Source,
    State,
    StatusChange,
    Term,
)

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def state_for_code(code: str, *, field: str) -> State:
    """The state with this ISO 3166-1 alpha-2 code, recorded on first use."""
    code = (code or "").upper()
    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    name = country.name if country else USER_ASSIGNED_STATES.get(code)
    if name is None:
        raise ValidationError({field: f'Unknown ISO 3166-1 alpha-2 state code "{code}".'})
    state, _ = State.objects.get_or_create(code=code, defaults={"name": name})
    return state


def partial_date(value, *, field: str) -> tuple[date | None, str]:
    """A date as sources state it: "2025", "2025-06" or "2025-06-14" (or a date, or None),
    within the days the registry records (`validation.registry_day`)."""
    if value is None or value == "":
        return None, Precision.DAY
    if isinstance(value, date):
        parsed, precision = value, Precision.DAY
    else:
        match = _PARTIAL_DATE.match(str(value))
        if not match:
            raise ValidationError(
                {field: f'"{value}" is not a date (YYYY, YYYY-MM or YYYY-MM-DD).'}
            )
        year, month, day = match.groups()
        try:
            parsed = date(int(year), int(month or 1), int(day or 1))
        except ValueError as error:
            raise ValidationError({field: f'"{value}" is not a date: {error}.'}) from None
        precision = Precision.DAY if day else Precision.MONTH if month else Precision.YEAR
    try:
        kinds.registry_day(parsed)
    except ValidationError as error:
        raise ValidationError({field: f'"{value}": {error.messages[0]}'}) from None
    return parsed, precision


def _saved(instance: models.Model, *, exclude=None) -> models.Model:
    instance.full_clean(exclude=exclude, validate_unique=True, validate_constraints=True)
    instance.save()
    return instance


def _credits_set(fact: str, obj: models.Model, credits: list[dict]) -> None:
    """Credit a fact to exactly these sources; a fact with no source is refused."""
    if not credits:
        raise ValidationError({"sources": "Every fact needs at least one source."})
    kept = []
    for i, credit in enumerate(credits):
        source = Source.objects.filter(key=credit.get("source")).first()
        if source is None:
            raise ValidationError({f"sources[{i}].source": f'No source "{credit.get("source")}".'})
        if credit.get("confidence") not in Confidence.values:
            raise ValidationError(
                {
                    f"sources[{i}].confidence": f'"{credit.get("confidence")}" is not one of '
                    f"{', '.join(Confidence.values)}."
                }
            )
        row, _ = Credit.objects.update_or_create(
            source=source, **{fact: obj}, defaults={"confidence": credit["confidence"]}
        )
        kept.append(row.pk)
    Credit.objects.filter(**{fact: obj}).exclude(pk__in=kept).delete()


def _source_fields(*, title, kind, publisher="", published_on=None, url="", note="") -> dict:
    published, precision = partial_date(published_on, field="published_on")
    return dict(
        title=title,
        kind=kind,
        publisher=publisher or "",
        published_on=published,
        published_precision=precision,
        url=url or "",
        note=note or "",
    )


def _agreement_fields(
    *,
    name,
    sending,
    receiving,
    kind,
    regime,
    summary="",
    arrangement=Agreement.Arrangement.THIRD_COUNTRY_REMOVAL,
) -> dict:
    if (sending or "").upper() == (receiving or "").upper():
        raise ValidationError({"receiving": "The receiving state is the sending state."})
    if regime is None:
        raise ValidationError({"regime": 'Say which regime governs it ("" for none in Accords).'})
    return dict(
        name=name,
        sending_state=state_for_code(sending, field="sending"),
        receiving_state=state_for_code(receiving, field="receiving"),
        kind=kind,
        arrangement=arrangement,
        regime=regime,
        summary=summary or "",
    )


_TERM_FIELDS = [
    "quantity", "period", "money_kind", "money_status", "amount", "currency",
    "rule", "category", "values", "service", "given",
]  # fmt: skip


def _term_fields(*, kind, text, valid_from=None, valid_until=None, **typed) -> dict:
    unknown = set(typed) - set(_TERM_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "Not a field of a term."})
    start, start_precision = partial_date(valid_from, field="valid_from")
    end, end_precision = partial_date(valid_until, field="valid_until")
    fields = dict(
        kind=kind,
        text=text,
        valid_from=start,
        valid_from_precision=start_precision,
        valid_until=end,
        valid_until_precision=end_precision,
    )
    for name in _TERM_FIELDS:
        value = typed.get(name)
        if name == "amount" and value is not None:
            try:
                value = Decimal(str(value))
            except InvalidOperation:
                raise ValidationError({"amount": f'"{value}" is not an amount.'}) from None
        if name == "values":
            value = list(value or [])
        elif value is None and name not in ("quantity", "amount", "given"):
            value = ""
        fields[name] = value
    return fields


def source_upsert(*, key: str, **fields) -> tuple[Source, bool]:
    source = Source.objects.filter(key=key).first() or Source(key=key)
    created = source.pk is None
    for name, value in _source_fields(**fields).items():
        setattr(source, name, value)
    return _saved(source), created


def agreement_upsert(*, key: str, **fields) -> tuple[Agreement, bool]:
    agreement = Agreement.objects.filter(key=key).first() or Agreement(key=key)
    created = agreement.pk is None
    for name, value in _agreement_fields(**fields).items():
        setattr(agreement, name, value)
    return _saved(agreement), created


def status_upsert(*, agreement, status, on, note="", sources) -> tuple[StatusChange, bool]:
    day, precision = partial_date(on, field="on")
    if day is None:
        raise ValidationError({"on": "A status change needs its date."})
    change = StatusChange.objects.filter(agreement=agreement, status=status, on=day).first()
    created = change is None
    change = change or StatusChange(agreement=agreement, status=status, on=day)
    change.on_precision, change.note = precision, note or ""
    _saved(change)
    _credits_set("status_change", change, sources)
    return change, created


def term_upsert(*, agreement, key, sources, **fields) -> tuple[Term, bool]:
    term = Term.objects.filter(agreement=agreement, key=key).first()
    created = term is None
    term = term or Term(agreement=agreement, key=key)
    for name, value in _term_fields(**fields).items():
        setattr(term, name, value)
    _saved(term)
    _credits_set("term", term, sources)
    return term, created


def reported_transfer_upsert(*, agreement, on, text, people=None, sources):
    day, precision = partial_date(on, field="on")
    if day is None:
        raise ValidationError({"on": "A reported transfer needs its date."})
    report = ReportedTransfer.objects.filter(agreement=agreement, on=day, text=text).first()
    created = report is None
    report = report or ReportedTransfer(agreement=agreement, on=day, text=text)
    report.on_precision, report.people = precision, people
    _saved(report)
    _credits_set("reported_transfer", report, sources)
    return report, created


def _refuse_existing(model, field: str, **lookup) -> None:
    if model.objects.filter(**lookup).exists():
        raise ValidationError({field: f"One already exists with {field} {lookup[field]!r}."})


@action("source.create", records=("key",))
def source_create(*, actor, key: str, **fields) -> Source:
    _refuse_existing(Source, "key", key=key)
    return source_upsert(key=key, **fields)[0]


@action("agreement.create", records=("key",))
def agreement_create(*, actor, key: str, **fields) -> Agreement:
    _refuse_existing(Agreement, "key", key=key)
    return agreement_upsert(key=key, **fields)[0]


@action("agreement.status_record", records=("status", "on"))
def agreement_status_record(*, actor, agreement: Agreement, **fields) -> StatusChange:
    return status_upsert(agreement=agreement, **fields)[0]


@action("term.create", records=("key",))
def term_create(*, actor, agreement: Agreement, key: str, **fields) -> Term:
    _refuse_existing(Term, "key", agreement=agreement, key=key)
    return term_upsert(agreement=agreement, key=key, **fields)[0]


@action("reported_transfer.record", records=("on",))
def reported_transfer_record(*, actor, agreement: Agreement, **fields) -> ReportedTransfer:
    return reported_transfer_upsert(agreement=agreement, **fields)[0]
