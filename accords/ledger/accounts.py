"""The kinds of account a ledger holds, and which of them may go below zero, as data.

Every account is read credit-normal: its balance is what was credited to it less what was
debited from it. Money flows one way through an agreement's ledger, as in the finance of
public grants: the sending state's funding source commits money to a programme, a commitment
becomes an obligation when an event incurs it (a fee once a person is accepted or departs, a
stipend a cycle approves), and an obligation is discharged by a disbursement to the receiving
state or to the person. Only the funding source, where money comes from, may go below zero:
nothing can be obliged beyond what was committed, nor paid beyond what was obliged.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class AccountKind:
    key: str
    label: str
    may_go_below_zero: bool
    # Where the account sits in a Beancount file (its root account type).
    beancount_root: str


ACCOUNT_KINDS = {
    kind.key: kind
    for kind in (
        AccountKind("funding", "sending state's funding source", True, "Equity"),
        AccountKind("committed", "committed, not yet obliged", False, "Liabilities"),
        AccountKind(
            "obliged", "obliged to the receiving state, not yet paid", False, "Liabilities"
        ),  # fmt: skip
        AccountKind("paid", "paid to the receiving state", False, "Income"),
        AccountKind("stipend", "a person's stipend, obliged, not yet paid", False, "Liabilities"),
        AccountKind("stipend_paid", "stipends paid to people", False, "Income"),
    )
}

KIND_CHOICES = [(k.key, k.label) for k in ACCOUNT_KINDS.values()]


def may_go_below_zero(kind: str) -> bool:
    return ACCOUNT_KINDS[kind].may_go_below_zero
