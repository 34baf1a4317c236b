"""The signed-in user's language and time zone, from their profile.

Django's LocaleMiddleware has already chosen a language from the language cookie or the
browser's Accept-Language (how anonymous visitors are served); a signed-in user who chose a
language on their account page gets it whatever the browser asks. Times are shown, and forms
read, in the user's zone: the one they chose, else their state's (accords.core.zones)."""

from zoneinfo import ZoneInfo

from django.utils import timezone, translation

from accords.core.models import Profile
from accords.core.zones import profile_zone


def user_profile(request) -> Profile | None:
    """The signed-in user's profile, read once per request."""
    if not hasattr(request, "_accords_profile"):
        user = request.user
        profile = None
        if user.is_authenticated:
            profile = Profile.objects.filter(user=user).first()
        request._accords_profile = profile
    return request._accords_profile


class UserLanguageAndZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        profile = user_profile(request)
        if profile is not None and profile.language:
            translation.activate(profile.language)
            request.LANGUAGE_CODE = profile.language
        request.time_zone = profile_zone(profile)
        # The zone before the request comes back after it (none, in a server's thread).
        with timezone.override(ZoneInfo(request.time_zone)):
            return self.get_response(request)
