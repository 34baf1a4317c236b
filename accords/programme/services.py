"""Choosing a programme policy: the one write of this app."""

from datetime import date

from django.core.exceptions import ValidationError

from accords.core.actions import action
from accords.core.roles import user_role
from accords.programme.models import ProgrammePolicy
from accords.registry.models import Agreement

# The sending state's supervisors choose: the programme is the sending state's operation, and
# they answer for its departures (they lock and depart manifests). A registry editor records
# what public sources say of an agreement; a policy is no such fact but the programme's choice.
CHOOSES = "sending_supervisor"


@action("programme_policy.choose", records=("gate", "valid_from", "notice_days"))
def programme_policy_choose(
    *,
    actor,
    agreement: Agreement,
    valid_from: date,
    notice_days: int | None,
    reason: str = "",
    gate: str = ProgrammePolicy.Gate.NOTICE,
) -> ProgrammePolicy:
    """From `valid_from`, the programme gives `notice_days` days' notice under `agreement`
    (None: the law alone again). The law's gates are unchanged; the policy is a gate of its own."""
    role = user_role(actor)
    state = getattr(getattr(actor, "profile", None), "sending_state_id", None)
    if role is None or role.key != CHOOSES or state != agreement.sending_state_id:
        raise ValidationError(
            {"agreement": f"Only a supervisor of {agreement.sending_state_id}, the sending state,"
                          " chooses this programme's policy."}
        )  # fmt: skip
    if agreement.regime != "us":
        raise ValidationError(
            {"agreement": "A notice policy goes beyond the US notice rule: under "
                          f"{agreement.name} ({agreement.regime} regime) there is none."}
        )  # fmt: skip
    policy = ProgrammePolicy(
        agreement=agreement,
        gate=gate,
        valid_from=valid_from,
        notice_days=notice_days,
        reason=reason,
        chosen_by=actor,
        chosen_as=role.key,
    )
    policy.full_clean()
    policy.save()
    return policy
