"""Each user's time zone: the one they chose on their account page, else their state's.

The default zone of each state in the registry, as data: a state spanning several zones is given
its capital's (the United States: Washington's, America/New_York). A state not listed here, and
a user bound to no state (counsel, finance, monitors), read times in UTC until they choose."""

from datetime import date
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.utils import timezone

STATE_ZONES = {
    "AL": "Europe/Tirane",
    "BZ": "America/Belize",
    "CM": "Africa/Douala",
    "CR": "America/Costa_Rica",
    "GB": "Europe/London",
    "GH": "Africa/Accra",
    "GQ": "Africa/Malabo",
    "GT": "America/Guatemala",
    "HN": "America/Tegucigalpa",
    "IT": "Europe/Rome",
    "LY": "Africa/Tripoli",
    "NL": "Europe/Amsterdam",
    "PA": "America/Panama",
    "PW": "Pacific/Palau",
    "PY": "America/Asuncion",
    "RW": "Africa/Kigali",
    "SS": "Africa/Juba",
    "SV": "America/El_Salvador",
    "SZ": "Africa/Mbabane",
    "UG": "Africa/Kampala",
    "US": "America/New_York",
    "XK": "Europe/Belgrade",
}


@cache
def zone_names() -> tuple[str, ...]:
    """Every zone a user may choose, by its IANA name (read once: listing them walks the zone
    database's files, some 80 ms)."""
    return tuple(sorted(available_timezones() - {"Factory", "localtime"}))


def state_zone(code: str | None) -> str:
    """The zone a state's officers read times in unless they choose another."""
    return STATE_ZONES.get(code or "", settings.TIME_ZONE)


def state_today(code: str | None) -> date:
    """Today in a state's own zone, whichever zone the officer at the keyboard reads times in:
    a diplomatic note is dated on its sender's calendar, so "not in the future" is checked
    against that state's today."""
    return timezone.localdate(timezone=ZoneInfo(state_zone(code)))


def profile_today(profile) -> date:
    """Today as a user reads it: in their profile's zone (`profile_zone`)."""
    return timezone.localdate(timezone=ZoneInfo(profile_zone(profile)))


def default_zone(profile) -> str:
    """The zone of a profile's state (the one it has unless it chooses another)."""
    if profile is None:
        return settings.TIME_ZONE
    return state_zone(profile.receiving_state_id or profile.sending_state_id)


def profile_zone(profile) -> str:
    """The zone of a profile: its own choice, else its state's."""
    return (profile.time_zone if profile is not None else "") or default_zone(profile)
