"""Searching the audit log: by case, actor, action and date, newest first, a page at a time.

The log records ids, never names, so a case number is found through the rows it names: the
person's row, every row that points at it (a referral, a notice, a stay...), every row that
points at those (a manifest entry, an arrival, a service, an outcome...), and so on; the
entries are those whose recorded rows (`AuditRow`) or whose object are among them. The walk
follows the models' foreign keys as Django knows them, so a new app's rows about a person are
found without this module knowing that app.

Pages are keyset pages: each page names the entry to continue before (`before`), so the
thousandth page costs what the first does.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from accords.audit.models import AuditEntry, AuditRow

PAGE = 50
# Rows pointing at a person: at most this many steps away (a payment is six).
DEPTH = 8


def case_seen(user, case_number: str) -> bool:
    """Whether the user meets this case number elsewhere in Accords: a case file they may read,
    or (a monitor) someone arrived under an agreement they watch.

    A case number the user may not see is answered as one that does not exist, in the same
    words and status, so the log's search cannot be used to learn which case numbers exist."""
    from accords.cases.selectors import case_number_read, people_visible
    from accords.reception.selectors.arrivals import arrivals_visible

    try:
        case_number = case_number_read(case_number)
    except apps.get_model("cases", "Person").DoesNotExist:
        return False
    return (
        people_visible(user).filter(case_number=case_number).exists()
        or arrivals_visible(user).filter(person__case_number=case_number).exists()
    )


def rows_of_case(case_number: str) -> dict[str, set[str]] | None:
    """{model label: {pk, ...}} of every row about the person with this case number; None if
    no person has it."""
    person_model = apps.get_model("cases", "Person")
    person = person_model.objects.filter(case_number=case_number).values_list("pk", flat=True)
    person = person.first()
    if person is None:
        return None
    found: dict[type, set] = {person_model: {person}}
    frontier = dict(found)
    models = [
        m
        for m in apps.get_models()
        if m._meta.app_label not in ("audit", "auth") and not m._meta.proxy
    ]
    for _step in range(DEPTH):
        reached: dict[type, set] = {}
        for model in models:
            for fk in model._meta.concrete_fields:
                if not fk.is_relation or fk.related_model not in frontier:
                    continue
                pks = model.objects.filter(**{f"{fk.name}__in": frontier[fk.related_model]})
                new = set(pks.values_list("pk", flat=True)) - found.get(model, set())
                if new:
                    reached.setdefault(model, set()).update(new)
        if not reached:
            break
        for model, pks in reached.items():
            found.setdefault(model, set()).update(pks)
        frontier = reached
    return {m._meta.label_lower: {str(pk) for pk in pks} for m, pks in found.items()}


@dataclass(frozen=True)
class Search:
    case: str = ""
    actor: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None
    before: int | None = None


def _first_moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def entries_find(search: Search) -> tuple[list[AuditEntry], int | None]:
    """One page of the entries matching `search`, newest first, and the seq to continue
    before for the next page (None: this is the last)."""
    entries: QuerySet[AuditEntry] = AuditEntry.objects.all()
    if search.case:
        rows = rows_of_case(search.case)
        if rows is None:
            return [], None
        named = Q()
        objects = Q()
        for model, pks in rows.items():
            named |= Q(model=model, object_pk__in=pks)
            objects |= Q(object_type=model, object_id__in=pks)
        written = AuditRow.objects.filter(named).values("entry_seq")
        entries = entries.filter(Q(seq__in=written) | objects)
    if search.actor:
        entries = entries.filter(actor_name__iexact=search.actor)
    if search.action:
        entries = entries.filter(action__startswith=search.action)
    if search.since:
        entries = entries.filter(at__gte=_first_moment(search.since))
    if search.until:
        entries = entries.filter(at__lt=_first_moment(search.until) + timedelta(days=1))
    if search.before:
        entries = entries.filter(seq__lt=search.before)
    page = list(entries.order_by("-seq")[: PAGE + 1])
    more = len(page) > PAGE
    page = page[:PAGE]
    return page, (page[-1].seq if more else None)
