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


def log_origin() -> str:
    return settings.AUDIT_LOG_ORIGIN


def log_signer() -> Signer:
    text = settings.AUDIT_LOG_KEY
    if not text:
        key_file = Path(settings.AUDIT_LOG_KEY_FILE or settings.DATA_DIR / "audit_log_key")
        if not key_file.exists():
            if settings.PRODUCTION or settings.AUDIT_LOG_KEY_FILE:
                raise ImproperlyConfigured(
                    f"no key signs the audit log: set ACCORDS_LOG_KEY, or ACCORDS_LOG_KEY_FILE "
                    f"to a file that exists (not {key_file})"
                )
            key_file.parent.mkdir(parents=True, exist_ok=True)
            key_file.write_text(f"{_signer_generate(log_origin())}\n")
            key_file.chmod(0o600)
        text = key_file.read_text()
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
