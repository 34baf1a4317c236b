"""Times as their reader reads them: in the reader's time zone (activated for each request by
accords.core.middleware), written as the page's language writes dates, and with the zone named,
so that an officer in Kigali and one in New York each know which clock a time is on."""

from datetime import datetime

from django import template
from django.utils import formats, timezone

register = template.Library()


def moment_text(value: datetime | None) -> str:
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    zone = timezone.get_current_timezone_name()
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({zone})"


@register.filter
def moment(value: datetime | None) -> str:
    """`{{ referral.referred_at|moment }}`: "Dec. 2, 2026, 5:08 p.m. (America/New_York)"."""
    return moment_text(value)
