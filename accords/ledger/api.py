"""The ledger's JSON API under /api/ledger/: finance reads the books and records commitments,
payments, corrections and claims between states; everyone reads the totals per agreement and
month. Thin: selectors read, services write; a refusal names its field."""

from datetime import date
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from accords.core import validation as kinds
from accords.core.api_auth import BoundedPages, documented
from accords.ledger import reconciliation, selectors, services
from accords.ledger.models import Claim, Transfer
from accords.ledger.money import from_minor
from accords.registry.models import Agreement

router = Router(tags=["ledger"])
AMOUNT = Field(..., gt=0, max_digits=16, decimal_places=2)


def _books(request, key: str, *, write: bool = False) -> Agreement:
    try:
        selectors.books_check(request.user, write=write)
        return selectors.agreement_get(request.user, key)
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    except Agreement.DoesNotExist:
        raise HttpError(404, "No such agreement") from None


class TotalsOut(Schema):
    agreement: str
    currency: str
    committed: Decimal
    obliged: Decimal
    reserved: Decimal
    paid: Decimal
    claims_settled: Decimal


def _totals_out(agreement: Agreement, totals) -> TotalsOut:
    names = ("committed", "obliged", "reserved", "paid", "claims_settled")
    amounts = {name: totals.amount(name) for name in names}
    return TotalsOut(agreement=agreement.key, currency=totals.currency, **amounts)


class MonthOut(Schema):
    agreement: str
    currency: str
    month: date
    committed: Decimal
    paid: Decimal


class FactOut(Schema):
    term: str
    money_kind: str
    money_status: str
    amount: Decimal
    confidence: str
    in_ledger: Decimal


class ReconciliationOut(Schema):
    currency: str
    totals: TotalsOut
    reported_committed: Decimal
    reported_paid: Decimal
    facts: list[FactOut]
    flags: list[str]


class TransferOut(Schema):
    id: int
    on: date
    currency: str = Field(..., alias="ledger.currency")
    code: str
    phase: str
    debit: str
    credit: str
    amount: Decimal
    resolves: int | None = Field(None, alias="pending_id")
    corrects: int | None = Field(None, alias="corrects_id")
    reference: str

    @staticmethod
    def resolve_debit(t: Transfer) -> str:
        return str(t.debit_account)

    @staticmethod
    def resolve_credit(t: Transfer) -> str:
        return str(t.credit_account)

    @staticmethod
    def resolve_amount(t: Transfer) -> Decimal:
        return from_minor(t.amount, t.ledger.currency)


class ClaimOut(Schema):
    id: int
    claimant: str = Field(..., alias="claimant_id")
    respondent: str = Field(..., alias="respondent_id")
    amount: Decimal
    currency: str
    status: str
    made_on: date
    settled_on: date | None
    settled_amount: Decimal | None


@router.get("/ledger/totals", response=documented({200: list[MonthOut]}))
def ledger_totals(request):
    """Public: money committed and paid per agreement, currency and month."""
    return selectors.ledger_totals_by_agreement_month()


@router.get("/ledger/agreements", response=documented({200: list[TotalsOut]}), auth=django_auth)
def ledger_books(request):
    try:
        books = selectors.books(request.user)
    except PermissionDenied as error:
        raise HttpError(403, str(error)) from None
    return [_totals_out(agreement, t) for agreement, ledgers in books for t in ledgers]


@router.get("/ledger/agreements/{key}", response=documented({200: list[ReconciliationOut]}),
            auth=django_auth)  # fmt: skip
def ledger_agreement(request, key: str):
    """Per currency: the ledger's totals beside what the sources report, and the differences."""
    agreement = _books(request, key)
    return [
        ReconciliationOut(
            currency=r.currency, totals=_totals_out(agreement, r.totals),
            reported_committed=from_minor(r.reported["committed"], r.currency),
            reported_paid=from_minor(r.reported["paid"], r.currency), flags=r.flags,
            facts=[FactOut(term=f.term.key, money_kind=f.term.money_kind,
                           money_status=f.term.money_status, amount=f.term.amount,
                           confidence=f.confidence, in_ledger=from_minor(f.in_ledger, r.currency))
                   for f in r.facts],
        )
        for r in reconciliation.reconcile(request.user, agreement)
    ]  # fmt: skip


@router.get("/ledger/agreements/{key}/transfers", response=documented({200: list[TransferOut]}),
            auth=django_auth)  # fmt: skip
@paginate(BoundedPages)
def ledger_transfers(request, key: str):
    return selectors.transfers_of(request.user, _books(request, key))


class CommitmentIn(Schema):
    term: kinds.text(80).api = Field(..., min_length=1)
    on: date


@router.post("/ledger/agreements/{key}/commitments", response=documented({201: TransferOut}),
             auth=django_auth)  # fmt: skip
def ledger_commit(request, key: str, body: CommitmentIn):
    agreement = _books(request, key, write=True)
    term = agreement.terms.filter(key=body.term).first()
    if term is None:
        raise ValidationError({"term": "The agreement has no term with this key."})
    return Status(201, services.commitment_record(actor=request.user, term=term, on=body.on))


Programmes = Literal[tuple(services.SPENDING)]


class PaymentIn(Schema):
    programme: Programmes
    amount: Decimal = AMOUNT
    currency: kinds.text(3).api = Field(..., min_length=3, max_length=3)
    on: date


@router.post("/ledger/agreements/{key}/payments", response=documented({201: TransferOut}),
             auth=django_auth)  # fmt: skip
def ledger_pay(request, key: str, body: PaymentIn):
    agreement = _books(request, key, write=True)
    paid = services.payment_record(actor=request.user, agreement=agreement, **body.dict())
    return Status(201, paid)


class CorrectionIn(Schema):
    transfer: int = Field(..., ge=1, le=2**63 - 1)
    on: date


@router.post("/ledger/agreements/{key}/corrections", response=documented({201: TransferOut}),
             auth=django_auth)  # fmt: skip
def ledger_correct(request, key: str, body: CorrectionIn):
    agreement = _books(request, key, write=True)
    transfer = Transfer.objects.filter(pk=body.transfer, ledger__agreement=agreement).first()
    if transfer is None:
        raise ValidationError({"transfer": "The agreement's ledger has no such transfer."})
    return Status(201, services.transfer_correct(actor=request.user, transfer=transfer, on=body.on))


class ClaimIn(Schema):
    claimant: kinds.COUNTRY.api
    amount: Decimal = AMOUNT
    currency: kinds.text(3).api = Field(..., min_length=3, max_length=3)
    basis: kinds.FREE_TEXT.api = Field(..., min_length=1)
    made_on: date


@router.post("/ledger/agreements/{key}/claims", response=documented({201: ClaimOut}),
             auth=django_auth)  # fmt: skip
def ledger_claim(request, key: str, body: ClaimIn):
    agreement = _books(request, key, write=True)
    return Status(201, services.claim_make(actor=request.user, agreement=agreement, **body.dict()))


class SettlementIn(Schema):
    claim: int = Field(..., ge=1, le=2**63 - 1)
    amount: Decimal = AMOUNT
    on: date


@router.post("/ledger/agreements/{key}/settlements", response=documented({201: ClaimOut}),
             auth=django_auth)  # fmt: skip
def ledger_settle(request, key: str, body: SettlementIn):
    agreement = _books(request, key, write=True)
    claim = Claim.objects.filter(pk=body.claim, agreement=agreement).first()
    if claim is None:
        raise ValidationError({"claim": "The agreement has no such claim."})
    settled = services.claim_settle(actor=request.user, claim=claim, amount=body.amount, on=body.on)
    return Status(201, settled)
