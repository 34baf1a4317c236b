"""Times as their reader reads them: in the reader's time zone (activated for each request by
accords.core.middleware), written as the page's language writes dates, and with the zone named,
so that an officer in Kigali and one in New York each know which clock a time is on."""

from datetime import datetime

from django import template
from django.utils import formats, timezone

register = template.Library()


def moment_text(value: datetime | None, *, seconds: bool = False) -> str:
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    zone = timezone.get_current_timezone_name()
    if seconds:  # a proof of service is read to the second
        text = f"{formats.date_format(local, 'DATE_FORMAT')}, {formats.time_format(local, 'H:i:s')}"
    else:
        text = formats.date_format(local, "DATETIME_FORMAT")
    return f"{text} ({zone})"


@register.filter
def moment(value: datetime | None, precision: str = "") -> str:
    """`{{ referral.referred_at|moment }}`: "Dec. 2, 2026, 5:08 p.m. (America/New_York)";
    `{{ served_at|moment:"seconds" }}`: "Dec. 2, 2026, 17:08:31 (UTC)"."""
    return moment_text(value, seconds=precision == "seconds")
