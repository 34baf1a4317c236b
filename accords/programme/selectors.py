"""Reading programme policies: who sees which, and the engine's view of one agreement's."""

from django.db.models import QuerySet

from accords.core.roles import user_role
from accords.law.policy import ProgrammePolicy as PolicyVersion
from accords.law.policy import dated
from accords.programme.models import ProgrammePolicy

SENDING = {"sending_officer", "sending_supervisor"}


def policies_visible(user) -> QuerySet[ProgrammePolicy]:
    """Sending officers and supervisors see their own state's programmes; monitors and
    auditors every programme's."""
    policies = ProgrammePolicy.objects.select_related("agreement", "chosen_by")
    role = user_role(user)
    if role is None or not user.has_perm("programme.view_programmepolicy"):
        return policies.none()
    if role.key in SENDING:
        state = getattr(getattr(user, "profile", None), "sending_state_id", None)
        return policies.filter(agreement__sending_state_id=state)
    return policies.all()


def policy_versions(agreement) -> tuple[PolicyVersion, ...]:
    """The agreement's policies as the engine reads them, dated."""
    return dated(
        PolicyVersion(
            begins=p.valid_from,
            notice_days=p.notice_days,
            chosen_by=p.chooser,
            chosen_on=p.chosen_at.date(),
        )
        # `.all()`: the screenings prefetch every agreement's policies with their choosers.
        for p in agreement.programme_policies.all()
    )
