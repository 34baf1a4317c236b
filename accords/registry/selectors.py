"""Reads of the registry. Agreements are public record: everyone may read them."""

from datetime import date

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from accords.registry.models import Agreement, Credit, Status, StatusChange, Term


def _latest_status(as_of: date | None = None) -> Subquery:
    changes = StatusChange.objects.filter(agreement=OuterRef("pk"))
    if as_of is not None:
        changes = changes.filter(on__lte=as_of)
    return Subquery(changes.order_by("-on", "-id").values("status")[:1])


def agreement_list(
    *,
    sending: str = "",
    receiving: str = "",
    status: str = "",
    arrangement: str = "",
    as_of: date | None = None,
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
    if arrangement:
        agreements = agreements.filter(arrangement=arrangement)
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


def status_label(status: str | None) -> str:
    """A status in words ("in force"), or a dash where none is recorded."""
    return Status(status).label if status else "—"


# The assurances by which an agreement bars onward removal: outright first, then until a
# pending protection claim is decided.
_ONWARD_BARS = [
    Term.Assurance.NO_ONWARD_REMOVAL,
    Term.Assurance.NO_ONWARD_REMOVAL_BEFORE_CLAIM_DECIDED,
]


def bars_onward_removal(agreement: Agreement, on: date) -> Term | None:
    """The term by which the agreement bars the receiving state from removing a person onward
    (or returning them home) on `on`, or None. Its `category` says how far the bar goes:
    `no_onward_removal` outright, `no_onward_removal_before_claim_decided` only while the
    person's protection claim there is pending."""
    terms = (
        Term.objects.filter(
            agreement=agreement,
            kind=Term.Kind.ASSURANCE,
            given=True,
            category__in=_ONWARD_BARS,
        )
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    )
    return min(terms, key=lambda t: (_ONWARD_BARS.index(t.category), t.key), default=None)
