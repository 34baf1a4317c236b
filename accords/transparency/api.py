"""The public statistics as JSON: the latest publication, open to everyone."""

from datetime import date, datetime

from ninja import Router, Schema

from accords.core.api_auth import documented
from accords.transparency import selectors

router = Router(tags=["statistics"])


class StatisticsOut(Schema):
    as_of: date | None
    published_at: datetime | None
    rules: list[dict]
    columns: list[str]
    rows: list[dict]


@router.get("/statistics", response=documented({200: StatisticsOut}), auth=None)
def statistics(request):
    """Every published figure of the latest publication, one row per agreement, month,
    measure (and part) and period, with the disclosure rules that applied. A suppressed count
    has the value null and the status "suppressed". Before the first publication, no rows."""
    publication = selectors.publication_latest()
    if publication is None:
        return {"as_of": None, "published_at": None, "rules": [], "columns": [], "rows": []}
    return {
        "as_of": publication.as_of,
        "published_at": publication.published_at,
        "rules": publication.rules,
        "columns": selectors.csv_columns(publication),
        "rows": list(selectors.csv_rows(publication)),
    }
