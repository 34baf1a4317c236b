"""Who a user is in the programme beyond their role: the state a receiving officer serves, and
the state a sending officer or supervisor works for; the language and the time zone they read
pages in."""

from django.conf import settings
from django.db import models


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    receiving_state = models.ForeignKey(
        "registry.State",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="For receiving officers: the one state whose referrals they see.",
    )
    sending_state = models.ForeignKey(
        "registry.State",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For sending officers and supervisors: the state whose agreements they use.",
    )

    # Blank: the language the browser asks for; the zone of the user's state (accords.core.zones).
    language = models.CharField(
        max_length=8, blank=True, choices=settings.LANGUAGES, help_text="Pages are shown in it."
    )
    time_zone = models.CharField(
        max_length=64, blank=True, help_text="An IANA zone name; blank: the state's zone."
    )

    def __str__(self) -> str:
        return f"profile of {self.user}"
