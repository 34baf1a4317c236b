"""A publication of the public statistics: the tables as published, and nothing else.

The page, the CSV and the API serve the latest publication; computing one reads the whole
caseload, which a national programme must not do inside a request (`accords statistics
publish`). Only published figures are kept: a suppressed count is stored as null, a rounded
one as rounded, so not even a database reader learns from this table what it hides.
"""

from django.db import models


class Publication(models.Model):
    published_at = models.DateTimeField(auto_now_add=True)
    as_of = models.DateField(help_text="The last day the statistics count.")
    rules = models.JSONField(default=list, help_text="The disclosure rules applied, as cited.")
    measures = models.JSONField(default=list)
    agreements = models.JSONField(default=list)
    # One row per published cell: month, agreement, measure, part, period, value, status.
    rows = models.JSONField(default=list)
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = ["published_at", "pk"]

    def __str__(self) -> str:
        return f"statistics as of {self.as_of}"
