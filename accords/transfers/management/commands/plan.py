"""`accords plan --agreement KEY | --flight ID --as USERNAME`: a placement plan from the shell.

The same service as the flights page (`services.plan_create`): the open referrals cleared by
each flight's date are placed under a named policy and listed on the manifests, and the plan
is recorded with its policy and the supervisor who asked for it.
"""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accords.core.roles import user_role
from accords.registry.models import Agreement
from accords.transfers import planning, services
from accords.transfers.models import Flight


class Command(BaseCommand):
    help = "Place open referrals on one flight, or on every open flight of an agreement."

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--agreement", help="agreement key: plan all its open flights")
        where.add_argument("--flight", type=int, help="flight number: plan that flight alone")
        parser.add_argument(
            "--policy",
            default=next(iter(planning.POLICIES)),
            help=f"one of: {', '.join(planning.POLICIES)} (default: the first)",
        )
        parser.add_argument(
            "--as", dest="username", required=True, help="the sending supervisor planning"
        )

    def handle(self, *args, agreement, flight, policy, username, **options):
        supervisor = User.objects.filter(username=username).first()
        role = user_role(supervisor) if supervisor else None
        if role is None or role.key != "sending_supervisor":
            raise CommandError(f"--as: {username!r} is not a sending supervisor")
        target = {}
        if agreement:
            target["agreement"] = Agreement.objects.filter(key=agreement).first()
            if target["agreement"] is None:
                raise CommandError(f"--agreement: no agreement {agreement!r}")
        else:
            target["flight"] = Flight.objects.filter(pk=flight).first()
            if target["flight"] is None:
                raise CommandError(f"--flight: no flight {flight}")
        self.stdout.write("placing open referrals (the solver stops at the proven optimum) ...")
        try:
            plan = services.plan_create(actor=supervisor, policy_name=policy, **target)
        except ValidationError as error:
            problems = "; ".join(f"{f}: {' '.join(m)}" for f, m in error.message_dict.items())
            raise CommandError(problems) from None
        solver = plan.solver
        proof = "proven optimal" if plan.proven_optimal else f"best found ({solver['status']})"
        self.stdout.write(
            f"plan #{plan.pk} under {plan.policy['name']}: people placed {solver['people_placed']} "
            f"(travelling units {solver['units_placed']}) on flights {solver['flights']}, "
            f"score {plan.objective:.2f}, {proof}"
        )
        if solver["capacity_left"] is not None:
            self.stdout.write(f"  places left before the plan: {solver['capacity_left']} "
                              f"({solver['limit']})")  # fmt: skip
        for held in solver["held_back"]:
            self.stdout.write(f"  held back {', '.join(held['cases'])}: {held['reason']}")
