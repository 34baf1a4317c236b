"""Reads of the caseload, each scoped to what the asking user may see.

Sending-state officers and auditors see the whole caseload; counsel see only their own clients;
a monitor sees no case file, only the arrivals of the agreements they monitor
(`accords.reception.selectors.arrivals`), though flights and plans as overseers (`WHOLE_CASELOAD`);
everyone else (finance, the public) sees no one. A receiving officer sees no case
file either: only the people referred to their state, each file only as far as their state
needs it to answer (`accords.transfers.selectors.receiving_files`). Enforced here, so no page
or endpoint can forget it.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from accords.cases.models import Decision, Person, Screening
from accords.core import validation as kinds
from accords.core.roles import user_role

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


def worklist(
    *,
    user,
    screening: Screening,
    agreement: str = "",
    outcome: str = "",
    gate: str = "",
    clears_before: date | None = None,
) -> QuerySet[Decision]:
    """The decisions of one screening that the user may see, filtered as asked."""
    decisions = (
        Decision.objects.filter(screening=screening, person__in=people_visible(user))
        .select_related("person", "agreement")
        .prefetch_related("screening")  # read once: every decision's gates point into its notes
        .order_by("earliest_clear", "person__case_number", "agreement__key")
    )
    if agreement:
        decisions = decisions.filter(agreement__key=agreement)
    if outcome:
        decisions = decisions.filter(outcome=outcome)
    if gate:
        decisions = decisions.filter(gate_ids__contains=f",{gate},")
    if clears_before:
        decisions = decisions.filter(earliest_clear__lte=clears_before)
    return decisions
