"""Programme policy: what a programme chooses to give beyond the law, per agreement, dated and
recorded with who chose it and when. Never law: the engine evaluates it as gates of its own
(`accords/law/policy.py`) beside the law's."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accords.core import validation as kinds

NOTICE_DAYS_MAX = 365


class ProgrammePolicy(models.Model):
    """One dated version of a programme's notice policy under one agreement: from `valid_from`
    the programme gives `notice_days` days' notice of the destination, or, without days,
    returns to what the law requires."""

    class Gate(models.TextChoices):
        NOTICE = "programme.notice", _("notice of the destination, beyond the law's")

    agreement = models.ForeignKey(
        "registry.Agreement", on_delete=models.PROTECT, related_name="programme_policies"
    )
    gate = models.CharField(max_length=40, choices=Gate.choices, default=Gate.NOTICE)
    valid_from = models.DateField(validators=kinds.PLANNED_DATE.field_validators)
    notice_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(NOTICE_DAYS_MAX)],
        help_text="Days of notice the programme gives; empty: the law alone from that day.",
    )
    reason = models.TextField(blank=True, validators=kinds.FREE_TEXT.field_validators)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    chosen_as = models.CharField(max_length=32, help_text="The role the chooser held then.")
    chosen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "programme policies"
        ordering = ["agreement", "gate", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "gate", "valid_from"],
                name="one_programme_policy_per_day",
                violation_error_message="The programme already chose a policy from this day.",
            )
        ]

    def __str__(self) -> str:
        gives = f"{self.notice_days} days" if self.notice_days else "the law alone"
        return f"{self.agreement}: {gives} from {self.valid_from}"

    @property
    def chooser(self) -> str:
        """Who chose it, as explanations cite it: the account and the role then held."""
        from accords.core.roles import ROLES

        role = ROLES.get(self.chosen_as)
        return f"{self.chosen_by.username} ({role.label if role else self.chosen_as})"
