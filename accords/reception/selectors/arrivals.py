"""Reads of reception, each scoped to what the asking user may see.

- a receiving officer: the arrivals in the state they serve;
- a monitor: the arrivals of the agreements they are assigned to (`Monitoring`);
- a sending officer or supervisor: the arrivals under their own state's agreements;
- counsel: their (former) clients' arrivals;
- everyone else: none.
"""

from django.db.models import QuerySet

from accords.core.roles import user_role
from accords.reception.models import Arrival


def arrivals_visible(user) -> QuerySet[Arrival]:
    role = user_role(user)
    arrivals = Arrival.objects.select_related("agreement", "person", "household")
    if role is None:
        return arrivals.none()
    profile = getattr(user, "profile", None)
    if role.key == "receiving_officer":
        state = getattr(profile, "receiving_state_id", None)
        return arrivals.filter(agreement__receiving_state=state) if state else arrivals.none()
    if role.key == "monitor":
        return arrivals.filter(agreement__monitorings__monitor=user)
    if role.key in ("sending_officer", "sending_supervisor"):
        state = getattr(profile, "sending_state_id", None)
        return arrivals.filter(agreement__sending_state=state) if state else arrivals.none()
    if role.key == "counsel":
        return arrivals.filter(person__counsel=user)
    return arrivals.none()
