"""Reads of the caseload, each scoped to what the asking user may see.

Sending-state officers and auditors see the whole caseload; counsel see only their own clients;
a monitor sees no case file, only the arrivals of the agreements they monitor
(`accords.reception.selectors.arrivals`), though flights and plans as overseers (`WHOLE_CASELOAD`);
everyone else (finance, the public) sees no one. A receiving officer sees no case
file either: only the people referred to their state, each file only as far as their state
needs it to answer (`accords.transfers.selectors.receiving_files`). Enforced here, so no page
or endpoint can forget it.
"""

import base64
import json
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

from accords.cases.models import Person, SavedFilter, Screening, Standing, StandingTally
from accords.cases.standing import RANK
from accords.core import validation as kinds
from accords.core.roles import user_role
from accords.registry.models import Agreement

WHOLE_CASELOAD = {"sending_officer", "sending_supervisor", "monitor", "auditor"}
# The sending state's case files: not the monitor's to read.
CASE_FILES = WHOLE_CASELOAD - {"monitor"}


def people_visible(user) -> QuerySet[Person]:
    role = user_role(user)
    people = Person.objects.all()
    if role is None:
        return people.none()
    if role.key in CASE_FILES:
        return people
    if role.key == "counsel":
        return people.filter(counsel=user)
    return people.none()


def person_get(*, user, case_number: str) -> Person:
    """One visible person; Person.DoesNotExist for anyone the user may not see."""
    return people_visible(user).get(case_number=case_number_read(case_number))


def case_number_read(case_number: str) -> str:
    """A case number from an address, as the database may be asked for it: one with a NUL
    (which PostgreSQL text cannot hold) or half a character names no case."""
    try:
        kinds.one_line(case_number)
    except ValidationError:
        raise Person.DoesNotExist(f"no case {case_number!r}") from None
    return case_number


def screening_latest() -> Screening | None:
    return Screening.objects.order_by("-started_at", "-id").first()


def standings_visible(user) -> QuerySet[Standing]:
    """The standings the user may see. Roles that see every case file read the table as it is,
    with no subquery of the people visible; counsel read their clients' by the copy of their
    account kept on each standing."""
    role = user_role(user)
    standings = Standing.objects.all()
    if role is None:
        return standings.none()
    if role.key in CASE_FILES:
        return standings
    if role.key == "counsel":
        return standings.filter(counsel=user)
    return standings.none()


# The worklist's orders, each the columns of one index, the case number last so every row has
# its own place (keyset paging needs that).
SORTS = {
    "decision": ("rank", "clear_order", "case_number"),
    "case": ("case_number",),
    "name": ("family_folded", "given_folded", "case_number"),
    "clear": ("clear_order", "case_number"),
}
PAGE_SIZE = 50


def sort_order(sort: str, *, reverse: bool = False) -> list[str]:
    """`order_by`'s arguments for `sort` (a key of SORTS, "-" first for the reverse), or for
    its reverse."""
    flip = sort.startswith("-") != reverse
    return [f"-{c}" if flip else c for c in SORTS[sort.lstrip("-")]]


def _search(standings: QuerySet[Standing], text: str) -> QuerySet[Standing]:
    """A case number, a birth date (YYYY-MM-DD), or the start of a family or given name."""
    text = text.strip()
    try:
        born = date.fromisoformat(text)
    except ValueError:
        born = None
    if born:
        return standings.filter(birth_date=born)
    folded = text.lower()
    return standings.filter(
        Q(case_number__startswith=text)
        | Q(family_folded__startswith=folded)
        | Q(given_folded__startswith=folded)
    )


def worklist(
    *,
    user,
    query: str = "",
    agreement: str = "",
    decision: str = "",
    gate: str = "",
    clears_by: date | None = None,
    mine: bool = False,
) -> QuerySet[Standing]:
    """One standing per person the user may see, filtered as asked: `query` searches case
    numbers, names and birth dates; `agreement` is the best agreement's key; `gate` a gate not
    passed there; `clears_by` the latest earliest day; `mine` the cases assigned to the user."""
    # No join: the few agreements are attached to a page's rows after (`page_read`), so the
    # page's query is one index range whatever the planner guesses of the cursor's rows.
    standings = standings_visible(user)
    if query:
        standings = _search(standings, query)
    if agreement:
        standings = standings.filter(agreement__key=agreement)
    if decision:  # by its rank, the first column of the decision order's index
        standings = standings.filter(rank=RANK[decision])
    if gate:
        standings = standings.filter(gate_ids__contains=f",{gate},")
    if clears_by:
        standings = standings.filter(earliest_clear__lte=clears_by)
    if mine:
        standings = standings.filter(officer=user)
    return standings


@dataclass(frozen=True)
class Page:
    """One page of a keyset-paged list: its rows, and the cursors of the pages either side
    (None at either end)."""

    rows: list
    after: str | None
    before: str | None


def cursor_write(values: list) -> str:
    plain = [v.isoformat() if isinstance(v, date) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def cursor_read(cursor: str, columns: tuple[str, ...]) -> list:
    """A cursor's values for these columns; ValueError for one this order did not write."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError("not a cursor of this list") from error
    if not isinstance(values, list) or len(values) != len(columns):
        raise ValueError("not a cursor of this list")
    out = []
    for column, value in zip(columns, values, strict=True):
        field = Standing._meta.get_field(column)
        try:
            out.append(field.to_python(value))
        except ValidationError as error:
            raise ValueError("not a cursor of this list") from error
    return out


def page_read(
    standings: QuerySet[Standing], *, sort: str = "decision", after: str = "", before: str = "",
    size: int = PAGE_SIZE,
) -> Page:  # fmt: skip
    """The page after the cursor `after` (or before `before`, or the first) in the order
    `sort` (a key of SORTS, "-" first for the reverse): an index range, however deep."""
    columns = SORTS[sort.lstrip("-")]
    descending = sort.startswith("-")
    key = Tuple(*(F(c) for c in columns))
    backwards = bool(before) and not after
    if after or before:
        values = cursor_read(after or before, columns)
        later = TupleLessThan if descending != backwards else TupleGreaterThan
        standings = standings.filter(later(key, values))
    ordered = standings.order_by(*sort_order(sort, reverse=backwards))
    rows = list(ordered[: size + 1])
    more = len(rows) > size
    rows = agreements_attach(rows[:size])
    if backwards:
        rows.reverse()

    def at(row) -> str:
        return cursor_write([getattr(row, c) for c in columns])

    has_next = more if not backwards else True
    has_previous = (more if backwards else bool(after)) and bool(rows)
    return Page(
        rows=rows,
        after=at(rows[-1]) if rows and has_next else None,
        before=at(rows[0]) if has_previous else None,
    )


def agreements_attach(rows: list[Standing]) -> list[Standing]:
    """The standings with their agreements, read in one query of the few there are."""
    wanted = {r.agreement_id for r in rows} | {r.clear_agreement_id for r in rows}
    known = Agreement.objects.in_bulk([pk for pk in wanted if pk])
    for row in rows:
        row.agreement = known.get(row.agreement_id)
        row.clear_agreement = known.get(row.clear_agreement_id)
    return rows


def totals(*, user) -> dict[str, int]:
    """How many people the user may see stand at each decision: the stored tally for roles that
    see every case; counted among their own clients for counsel, who have few."""
    role = user_role(user)
    if role is not None and role.key in CASE_FILES:
        return dict(StandingTally.objects.filter(people__gt=0).values_list("decision", "people"))
    counted = standings_visible(user).values("decision").annotate(n=Count("pk"))
    return {row["decision"]: row["n"] for row in counted.order_by("decision")}


def saved_filters(user) -> QuerySet[SavedFilter]:
    return SavedFilter.objects.filter(user=user)
