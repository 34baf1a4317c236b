"""What the audit log publishes: its checkpoint, signed with the key the deployment gives.

The signing key comes from ACCORDS_LOG_KEY or the file ACCORDS_LOG_KEY_FILE, never from the
database, so whoever can write the database cannot sign a checkpoint for a log they rewrote.
Outside production a key is made once in the data folder, as the secret key is.
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from accords.audit.checkpoint import Checkpoint, NoteError, Signer, note_sign, signer_from
from accords.audit.checkpoint import signer_generate as _signer_generate
from accords.audit.log import frontier_of
from accords.audit.models import AuditHead
from accords.core.keys import key_kept


def log_origin() -> str:
    return settings.AUDIT_LOG_ORIGIN


def log_signer() -> Signer:
    text = settings.AUDIT_LOG_KEY
    if not text and settings.AUDIT_LOG_KEY_FILE:
        key_file = Path(settings.AUDIT_LOG_KEY_FILE)
        if not key_file.exists():
            raise ImproperlyConfigured(
                f"no key signs the audit log: ACCORDS_LOG_KEY_FILE names {key_file}, "
                "which does not exist"
            )
        text = key_file.read_text()
    elif not text:
        kept = settings.DATA_DIR / "audit_log_key"
        if settings.PRODUCTION and not kept.exists():  # production never makes one itself
            raise ImproperlyConfigured(
                "no key signs the audit log: set ACCORDS_LOG_KEY, or ACCORDS_LOG_KEY_FILE "
                "to a file that exists"
            )
        text = key_kept(kept, lambda: _signer_generate(log_origin()))
    try:
        signer = signer_from(text)
    except NoteError as error:
        raise ImproperlyConfigured(f"the audit log's signing key is malformed: {error}") from error
    if signer.name != log_origin():
        raise ImproperlyConfigured(
            f"the audit log's key is named {signer.name!r}, its origin is {log_origin()!r}"
        )
    return signer


def checkpoint_current() -> Checkpoint:
    head = AuditHead.objects.filter(pk=1).first() or AuditHead(size=0)
    return Checkpoint(log_origin(), head.size, frontier_of(head).root())


def checkpoint_signed() -> str:
    """The log's checkpoint now, as a signed note."""
    return note_sign(checkpoint_current().text, log_signer())
