"""Reception's writes. Each public one is an `@action`; `arrival_open` runs inside the
hand-over's own action, so the arrival exists exactly when the hand-over does."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from accords.core.actions import action
from accords.core.roles import user_role
from accords.reception.models import PLAN_DUE_DAYS, Arrival, Household, Monitoring
from accords.registry.models import Agreement
from accords.transfers.models import ManifestEntry


def arrival_open(entry: ManifestEntry) -> Arrival:
    """Open the arrival of the person just handed over (and their family's household)."""
    referral = entry.referral
    person, agreement = referral.person, referral.agreement
    household = None
    if person.family_id:
        household, _ = Household.objects.get_or_create(
            agreement=agreement, family_id=person.family_id,
            defaults={"opened_at": entry.handed_over_at},
        )  # fmt: skip
    arrived_on = timezone.localdate(entry.handed_over_at)
    return Arrival.objects.create(
        entry=entry,
        person=person,
        agreement=agreement,
        household=household,
        arrived_at=entry.handed_over_at,
        plan_due_on=arrived_on + timedelta(days=PLAN_DUE_DAYS),
    )


@action("monitoring.assign", records=("since",))
def monitoring_assign(*, actor, monitor, agreement: Agreement, since) -> Monitoring:
    """Assign a monitor to watch an agreement's arrivals."""
    role = user_role(monitor)
    if role is None or role.key != "monitor":
        raise ValidationError({"monitor": "Only a monitor can be assigned to an agreement."})
    monitoring, _ = Monitoring.objects.get_or_create(
        monitor=monitor, agreement=agreement, defaults={"since": since}
    )
    return monitoring
