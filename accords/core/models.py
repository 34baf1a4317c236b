"""Who a user is in the programme beyond their role: the state a receiving officer serves, and
the state a sending officer or supervisor works for."""

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

    def __str__(self) -> str:
        return f"profile of {self.user}"
