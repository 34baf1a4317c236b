"""What the case page offers to do next: only the actions that make sense for where the person
is now (`timeline.Whereabouts`) and for the user's role. No referral while one is open or after
departure, no notice served twice, nothing that would move a person who has gone; a reader
(an auditor) is offered only the records to read."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from accords.cases.models import Person
from accords.cases.timeline import Whereabouts
from accords.core.roles import user_role


@dataclass(frozen=True)
class Offer:
    """An action the page offers: its words and where it goes."""

    label: str
    url: str


def actions_offered(*, user, person: Person, standing: Whereabouts) -> list[Offer]:
    """Only what makes sense for the person's state and the user's role."""
    role = user_role(user)
    key = role.key if role else ""
    offers = []
    referral = standing.open_referral
    if user.has_perm("transfers.add_referral") and standing.state == "custody":
        url = reverse("referral_new") + f"?case={person.case_number}"
        offers.append(Offer(_("Refer this person to an agreement"), url))
    if referral and key != "counsel":
        url = reverse("referral_detail", args=[referral.pk])
        offers.append(Offer(_("Open the referral"), url))
        if user.has_perm("transfers.add_noticedocument") and not referral.notices.exists():
            offers.append(
                Offer(_("Serve notice"), reverse("referral_notice_serve", args=[referral.pk]))
            )
        if user.has_perm("cases.add_fearclaim"):
            offers.append(
                Offer(_("Record a fear claim"), reverse("referral_fear_claim", args=[referral.pk]))
            )
        if user.has_perm("cases.add_stay"):
            offers.append(Offer(_("Record a stay"), reverse("referral_stay", args=[referral.pk])))
        if user.has_perm("transfers.change_referral"):
            offers.append(
                Offer(_("Withdraw the referral"), reverse("referral_withdraw", args=[referral.pk]))
            )
    if key == "counsel" and not standing.gone:
        url = reverse("counsel_client", args=[person.case_number])
        offers.append(Offer(_("Your client's page: record a fear claim or a stay"), url))
    if standing.entry and user.has_perm("transfers.view_manifest"):
        url = reverse("manifest_detail", args=[standing.entry.manifest_id])
        if standing.state == "listed" and user.has_perm("transfers.change_manifest"):
            offers.append(Offer(_("Lock or depart the flight's manifest"), url))
        else:
            offers.append(Offer(_("The flight's manifest"), url))
    if standing.gone and key in ("sending_officer", "sending_supervisor"):
        offers.append(Offer(_("After the hand-over"), reverse("care_sending")))
    return offers
