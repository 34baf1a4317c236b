"""Every write of the ledger by finance, each one action: one transaction, one audit entry.

Each locks the agreement's row before reading a balance (`journal.agreement_lock`), so
concurrent payments against the last of a commitment never overspend it.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError

from accords.core import validation as kinds
from accords.core.actions import action
from accords.ledger import journal
from accords.ledger.balances import account_balance
from accords.ledger.models import Claim, Programme, Transfer
from accords.ledger.money import currency_check, to_minor
from accords.registry.models import Agreement, Term

# Which programme a money term's kind belongs to.
PROGRAMME_OF = {
    Term.MoneyKind.LUMP_SUM: Programme.LUMP_SUMS,
    Term.MoneyKind.PER_PERSON_FEE: Programme.FEES,
    Term.MoneyKind.FEE_BUDGET: Programme.FEES,
    Term.MoneyKind.STIPEND: Programme.STIPENDS,
    Term.MoneyKind.JOB_ASSISTANCE: Programme.JOB_ASSISTANCE,
    Term.MoneyKind.FUND: Programme.FUND,
    Term.MoneyKind.OPERATIONS: Programme.OPERATIONS,
}
SPENDING = [p for p in Programme.values if p not in ("", Programme.CLAIMS)]


def _day(on, field: str = "on"):
    try:
        kinds.EVENT_DATE.check(on)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
    return on


def _programme(programme: str) -> str:
    if programme not in SPENDING:
        raise ValidationError({"programme": f'"{str(programme)[:30]}" is not a programme.'})
    return programme


def _term_of(agreement: Agreement, term: Term | None) -> Term | None:
    if term is not None and term.agreement_id != agreement.pk:
        raise ValidationError({"term": "The term is another agreement's."})
    return term


@action("ledger.commitment_record", records=("on",))
def commitment_record(*, actor, term: Term, on) -> Transfer:
    """Commit the amount a money term promises ("up to $X") from the sending state's funding
    to the term's programme: once per term."""
    _day(on)
    if term.kind != Term.Kind.MONEY or term.money_kind not in PROGRAMME_OF:
        raise ValidationError({"term": "Only a money term for a programme is a commitment."})
    if term.money_kind == Term.MoneyKind.PER_PERSON_FEE:
        raise ValidationError({"term": "A per-person fee is a rate; commit its budget instead."})
    if term.amount is None:
        raise ValidationError({"term": "The term states no amount to commit."})
    ledger = journal.ledger_for(journal.agreement_lock(term.agreement), term.currency)
    if Transfer.objects.filter(term=term, code=Transfer.Code.COMMITMENT,
                               correction__isnull=True).exists():  # fmt: skip
        raise ValidationError({"term": "This term is already committed."})
    programme = PROGRAMME_OF[term.money_kind]
    return journal.transfer_make(
        debit=journal.funding(ledger), credit=journal.account_for(ledger, "committed", programme),
        amount=to_minor(term.amount, term.currency), code=Transfer.Code.COMMITMENT, on=on,
        term=term, reference=f"term/{term.key}",
    )  # fmt: skip


@action("ledger.obligation_record", records=("programme", "currency", "on", "amount"))
def obligation_record(*, actor, agreement: Agreement, programme: str, amount: Decimal,
                      currency: str, on, term: Term | None = None) -> Transfer:  # fmt: skip
    """An obligation incurred under a programme (an instalment falling due), never beyond the
    programme's commitment once one is recorded."""
    _programme(programme)
    _day(on)
    ledger = journal.ledger_for(journal.agreement_lock(agreement), currency_check(currency))
    return journal.oblige(ledger, programme, to_minor(amount, currency), on=on,
                          term=_term_of(agreement, term))  # fmt: skip


@action("ledger.payment_record", records=("programme", "currency", "on", "amount"))
def payment_record(*, actor, agreement: Agreement, programme: str, amount: Decimal,
                   currency: str, on, term: Term | None = None) -> Transfer:  # fmt: skip
    """A disbursement to the receiving state under a programme. What of it was not yet obliged
    is obliged with it (a lump sum is obliged as it is paid), from the programme's commitment,
    never beyond it."""
    _programme(programme)
    _day(on)
    ledger = journal.ledger_for(journal.agreement_lock(agreement), currency_check(currency))
    minor = to_minor(amount, currency)
    term = _term_of(agreement, term)
    owed = journal.account_for(ledger, "obliged", programme)
    shortfall = minor - max(account_balance(owed).available, 0)
    if shortfall > 0:
        journal.oblige(ledger, programme, shortfall, on=on, credit=owed, term=term)
    return journal.transfer_make(debit=owed, credit=journal.account_for(ledger, "paid", programme),
                                 amount=minor, code=Transfer.Code.DISBURSEMENT, on=on,
                                 term=term)  # fmt: skip


@action("ledger.transfer_correct", records=("on",))
def transfer_correct(*, actor, transfer: Transfer, on) -> Transfer:
    """Reverse a posted transfer by a new one; the original stays as it was."""
    _day(on)
    journal.agreement_lock(transfer.ledger.agreement)
    return journal.transfer_reverse(transfer, on)


@action("ledger.pendings_expire", records=("on",))
def pendings_expire(*, actor, on) -> dict:
    """Expire every pending transfer whose day to lapse has come."""
    lapsed = Transfer.objects.filter(phase=Transfer.Phase.PENDING, resolution__isnull=True,
                                     expires_on__lte=on).select_related("ledger")  # fmt: skip
    expired = []
    for pending in lapsed.order_by("pk"):
        journal.agreement_lock(pending.ledger.agreement)
        expired.append(journal.pending_resolve(pending, Transfer.Phase.EXPIRE, on).pk)
    return {"expired": expired}


@action("ledger.claim_make", records=("currency", "made_on", "amount", "claimant"))
def claim_make(*, actor, agreement: Agreement, claimant: str, amount: Decimal, currency: str,
               basis: str, made_on, term: Term | None = None) -> Claim:  # fmt: skip
    """One state's claim against the other under an agreement."""
    states = {agreement.sending_state_id: agreement.receiving_state_id,
              agreement.receiving_state_id: agreement.sending_state_id}  # fmt: skip
    if claimant not in states:
        raise ValidationError({"claimant": "The claimant is one of the agreement's two states."})
    _day(made_on, "made_on")
    to_minor(amount, currency_check(currency))
    claim = Claim(agreement=agreement, claimant_id=claimant, respondent_id=states[claimant],
                  amount=amount, currency=currency, basis=basis, made_on=made_on,
                  term=_term_of(agreement, term))  # fmt: skip
    if len(basis) > kinds.TEXT_MAX:  # refused before its characters are read one by one
        raise ValidationError({"basis": f"at most {kinds.TEXT_MAX} characters."})
    try:
        kinds.FREE_TEXT.check(basis)
    except ValidationError as error:
        raise ValidationError({"basis": error.messages}) from None
    if not basis.strip():
        raise ValidationError({"basis": "Say on what basis the claim is made."})
    claim.full_clean()
    claim.save()
    return claim


@action("ledger.claim_answer", records=("status",))
def claim_answer(*, actor, claim: Claim, status: str) -> Claim:
    """The respondent disputes or rejects the claim, or the claimant withdraws it."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    answers = [Claim.Status.DISPUTED, Claim.Status.REJECTED, Claim.Status.WITHDRAWN]
    if status not in answers:
        raise ValidationError({"status": "Answer disputed, rejected or withdrawn."})
    if claim.status not in (Claim.Status.MADE, Claim.Status.DISPUTED):
        raise ValidationError({"claim": f"The claim is already {claim.get_status_display()}."})
    claim.status = status
    claim.save(update_fields=["status"])
    return claim


@action("ledger.claim_settle", records=("on", "amount"))
def claim_settle(*, actor, claim: Claim, amount: Decimal, on) -> Claim:
    """Settle a claim of the receiving state: the amount agreed is paid to it from the sending
    state's funding, as a ledger entry. A claim is settled once."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    _day(on)
    if claim.status not in (Claim.Status.MADE, Claim.Status.DISPUTED):
        raise ValidationError({"claim": f"The claim is already {claim.get_status_display()}."})
    agreement = journal.agreement_lock(claim.agreement)
    if claim.claimant_id != agreement.receiving_state_id:
        raise ValidationError({"claim": "Only a receiving state's claim is settled by payment."})
    ledger = journal.ledger_for(agreement, claim.currency)
    journal.transfer_make(
        debit=journal.funding(ledger), credit=journal.account_for(ledger, "paid", Programme.CLAIMS),
        amount=to_minor(amount, claim.currency), code=Transfer.Code.CLAIM_SETTLEMENT, on=on,
        claim=claim, reference=f"claim/{claim.pk}",
    )  # fmt: skip
    claim.status, claim.settled_on, claim.settled_amount = Claim.Status.SETTLED, on, amount
    claim.save(update_fields=["status", "settled_on", "settled_amount"])
    return claim
