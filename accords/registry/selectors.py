"""Reads of the registry. Agreements are public record: everyone may read them."""

from datetime import date

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from accords.registry.models import Agreement, Credit, StatusChange, Term


def _latest_status(as_of: date | None = None) -> Subquery:
    changes = StatusChange.objects.filter(agreement=OuterRef("pk"))
    if as_of is not None:
        changes = changes.filter(on__lte=as_of)
    return Subquery(changes.order_by("-on", "-id").values("status")[:1])


def agreement_list(
    *, sending: str = "", receiving: str = "", status: str = "", as_of: date | None = None
) -> QuerySet[Agreement]:
    """Agreements with their status (today's, or as of a date), filtered as asked."""
    agreements = Agreement.objects.select_related("sending_state", "receiving_state").annotate(
        current_status=_latest_status(as_of)
    )
    if sending:
        agreements = agreements.filter(sending_state__code=sending.upper())
    if receiving:
        agreements = agreements.filter(receiving_state__code=receiving.upper())
    if status:
        agreements = agreements.filter(current_status=status)
    return agreements.order_by("sending_state__name", "receiving_state__name", "name")


def agreement_get(*, key: str) -> Agreement:
    """One agreement with everything its page shows, each fact with its credited sources."""
    credits = Prefetch("credits", queryset=Credit.objects.select_related("source"))
    return (
        Agreement.objects.select_related("sending_state", "receiving_state")
        .annotate(current_status=_latest_status())
        .prefetch_related(
            Prefetch("statuses", queryset=StatusChange.objects.prefetch_related(credits)),
            Prefetch("terms", queryset=Term.objects.prefetch_related(credits)),
            Prefetch("reported_transfers__credits", queryset=credits.queryset),
        )
        .get(key=key)
    )


def agreement_sources(agreement: Agreement) -> list:
    """Every source behind any fact of the agreement, once each (uses the prefetched rows)."""
    facts = [*agreement.statuses.all(), *agreement.terms.all(), *agreement.reported_transfers.all()]
    seen = {}
    for fact in facts:
        for credit in fact.credits.all():
            seen.setdefault(credit.source.key, credit.source)
    return sorted(seen.values(), key=lambda s: (s.published_on or date.max, s.key))
