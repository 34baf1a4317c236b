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
import functools
import json
import operator
from dataclasses import dataclass
from datetime import date

import polars as pl
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

from accords.cases.models import Person, SavedFilter, Screening, Standing, StandingTally
from accords.cases.standing import RANK, name_fold
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


def _after_prefix(prefix: str) -> str:
    """The first text after every text that starts with `prefix`, in code-point order: its
    last character's successor (a surrogate, which no stored text holds, skipped)."""
    head, last = prefix[:-1], ord(prefix[-1])
    if last == 0x10FFFF:
        return _after_prefix(head) if head else ""
    after = last + 1 if last + 1 != 0xD800 else 0xE000
    return head + chr(after)


def _starts_with(column: str, prefix: str) -> Q:
    """Rows whose `column` starts with `prefix`: a range of its index, read in its order (the
    column compares by code point on every database, `models.CodePointCharField`)."""
    after = _after_prefix(prefix)
    bounded = Q(**{f"{column}__lt": after}) if after else Q()
    return Q(**{f"{column}__gte": prefix}) & bounded


def _search(text: str) -> tuple[Q, ...]:
    """What a search asks, as conditions of which a row matches any: a birth date (YYYY-MM-DD),
    or the start of a case number, a family name or a given name (folded as stored)."""
    text = text.strip()
    try:
        return (Q(birth_date=date.fromisoformat(text)),)
    except ValueError:
        pass
    if not text:
        return ()
    folded = pl.select(name_fold(pl.lit(text))).item()
    if not folded:  # accents alone: every name starts with what they fold to
        return ()
    return (
        _starts_with("case_number", text),
        _starts_with("family_folded", folded),
        _starts_with("given_folded", folded),
    )


@dataclass(frozen=True)
class Selection:
    """The standings a worklist selects: `standings` filtered as asked, of which a search keeps
    those matching any of `search`. The search is kept apart so that a page reads each of its
    conditions as its own ordered query (`page_read`): as one OR, the database either walks an
    order's index filtering (seconds for a name far along the alphabet) or reads every match
    and sorts them (seconds for a common prefix)."""

    standings: QuerySet[Standing]
    search: tuple[Q, ...] = ()

    def everyone(self) -> QuerySet[Standing]:
        """Every row selected, as one query: for counting and export."""
        if not self.search:
            return self.standings
        return self.standings.filter(functools.reduce(operator.or_, self.search))

    def parts(self) -> list[QuerySet[Standing]]:
        """The queries whose rows together are the selection."""
        return [self.standings.filter(q) for q in self.search] or [self.standings]


def worklist(
    *,
    user,
    query: str = "",
    agreement: str = "",
    decision: str = "",
    gate: str = "",
    clears_by: date | None = None,
    mine: bool = False,
) -> Selection:
    """One standing per person the user may see, filtered as asked: `query` searches case
    numbers, names and birth dates; `agreement` is the best agreement's key; `gate` a gate not
    passed there; `clears_by` the latest earliest day; `mine` the cases assigned to the user."""
    # No join: the few agreements are attached to a page's rows after (`page_read`), so the
    # page's query is one index range whatever the planner guesses of the cursor's rows.
    standings = standings_visible(user)
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
    return Selection(standings, _search(query))


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
    selection: Selection, *, sort: str = "decision", after: str = "", before: str = "",
    size: int = PAGE_SIZE,
) -> Page:  # fmt: skip
    """The page after the cursor `after` (or before `before`, or the first) in the order
    `sort` (a key of SORTS, "-" first for the reverse): an index range, however deep. A search
    reads each of its conditions' first rows past the cursor, in order, and keeps the first of
    them all (rows that match two conditions once)."""
    columns = SORTS[sort.lstrip("-")]
    descending = sort.startswith("-")
    key = Tuple(*(F(c) for c in columns))
    backwards = bool(before) and not after
    beyond = Q()
    if after or before:
        values = cursor_read(after or before, columns)
        later = TupleLessThan if descending != backwards else TupleGreaterThan
        beyond = Q(later(key, values))
    order = sort_order(sort, reverse=backwards)
    parts, found = selection.parts(), {}
    for part in parts:
        for row in part.filter(beyond).order_by(*order)[: size + 1]:
            found[row.pk] = row
    rows = list(found.values())
    if len(parts) > 1:  # one query's rows are in order already
        # Python compares text by code point, as the columns do (`CodePointCharField`).
        rows.sort(key=lambda row: [getattr(row, c) for c in columns],
                  reverse=descending != backwards)  # fmt: skip
        rows = rows[: size + 1]
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
