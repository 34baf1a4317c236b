"""Writes to the audit log's side tables: a monitor's cosignature of a checkpoint."""

import time

from django.core.exceptions import ValidationError
from django.utils import timezone

from accords.audit.checkpoint import (
    COSIGNATURE_V1,
    NoteError,
    Signer,
    checkpoint_open,
    cosignature_line,
    note_open,
)
from accords.audit.merkle import ProofError, verify_consistency
from accords.audit.models import Cosignature
from accords.audit.publishing import log_origin, log_signer
from accords.audit.selectors import consistency_proof, log_size
from accords.core.actions import action


def _last_cosigned(witness: Signer) -> Cosignature | None:
    """The largest checkpoint this witness cosigned, if its cosignature still verifies: a row
    someone wrote into the database without the witness's key is not the witness's word."""
    for row in Cosignature.objects.filter(witness=witness.name).order_by("-size", "-timestamp"):
        try:
            note_open(row.checkpoint + row.signature_line, [witness.verifier])
        except NoteError:
            continue
        return row
    return None


@action("cosignature.create")
def cosignature_create(*, actor, witness: Signer, checkpoint: str) -> Cosignature:
    """A witness cosigns the log's signed `checkpoint`, after checking the log's signature and
    that the log it describes extends the last one this witness cosigned."""
    if witness.key_type != COSIGNATURE_V1:
        raise ValidationError({"witness": "a witness cosigns with a cosigner key (type 0x04)"})
    try:
        signed = checkpoint_open(checkpoint, log_signer().verifier, log_origin())
    except NoteError as error:
        raise ValidationError({"checkpoint": str(error)}) from error
    if signed.size > log_size():
        raise ValidationError(
            {"checkpoint": f"the log holds {log_size()} entries, not the {signed.size} it claims"}
        )
    last = _last_cosigned(witness)
    if last is not None and last.size > 0:
        if signed.size < last.size:
            raise ValidationError({"checkpoint": (
                f"{witness.name} already cosigned the log at {last.size} entries; this "
                f"checkpoint is of {signed.size}"
            )})  # fmt: skip
        try:
            verify_consistency(
                size1=last.size, size2=signed.size, root1=bytes.fromhex(last.root_hash),
                root2=signed.root,
                proof=consistency_proof(last.size, signed.size) if last.size < signed.size else [],
            )  # fmt: skip
        except ProofError as error:
            raise ValidationError({"checkpoint": (
                f"the log at {signed.size} entries does not extend the log at {last.size} "
                f"that {witness.name} cosigned: {error}"
            )}) from error  # fmt: skip
    text = signed.text
    timestamp = int(time.time())
    return Cosignature.objects.create(
        witness=witness.name,
        size=signed.size,
        root_hash=signed.root.hex(),
        checkpoint=checkpoint,
        signature_line=cosignature_line(text, witness, timestamp),
        timestamp=timestamp,
        at=timezone.now(),
    )
