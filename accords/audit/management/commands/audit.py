"""`accords audit`: verify the log, publish its checkpoint and tiles, and cosign as a witness.

accords audit verify [--checkpoint FILE ...] [--key VERIFIER-KEY] [--state]
accords audit checkpoint                 the log's signed checkpoint, on standard output
accords audit cosign --key FILE CHECKPOINT   a witness cosigns a checkpoint ("-": stdin)
accords audit tiles DIR                  the log as static tlog-tiles, for mirrors
accords audit keygen NAME [--witness]    a new signing key and its verifier key
"""

import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management.base import BaseCommand, CommandError

from accords.audit.checkpoint import (
    COSIGNATURE_V1,
    ED25519,
    NoteError,
    checkpoint_open,
    note_sign,
    signer_from,
    signer_generate,
    verifier_from,
)
from accords.audit.log import checkpoints_check, entry_bodies, log_verify
from accords.audit.publishing import (
    checkpoint_current,
    checkpoint_signed,
    log_origin,
    log_signer,
)
from accords.audit.rows import rows_check
from accords.audit.services import cosignature_create
from accords.audit.tiles import tiles_write

BAD_INPUT = 2
STATE_SHOWN = 100  # rows named on the terminal; the count covers all


def _read(path: str, what: str) -> str:
    try:
        return sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"{what}: cannot read {path}: {error}", returncode=BAD_INPUT) from error


class Command(BaseCommand):
    help = "Audit log tools: verify, checkpoint, cosign, tiles, keygen."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True)
        verify = verbs.add_parser("verify", help="recompute every entry and the tree over them")
        verify.add_argument(
            "--checkpoint", action="append", default=[], metavar="FILE",
            help="a signed checkpoint the log must extend (may be given more than once)",
        )  # fmt: skip
        verify.add_argument(
            "--key", default="", help="the log's verifier key, or a file holding it "
            "(default: the verifier of the key this deployment signs with)",
        )  # fmt: skip
        verify.add_argument(
            "--state", action="store_true", help="also recompute the digest of every row the "
            "log binds and name each row changed outside an action",
        )  # fmt: skip
        verbs.add_parser("checkpoint", help="print the log's signed checkpoint")
        cosign = verbs.add_parser("cosign", help="cosign a checkpoint as a witness")
        cosign.add_argument("--key", required=True, metavar="FILE", help="the witness's key")
        cosign.add_argument("checkpoint", metavar="CHECKPOINT", help='a file, or "-"')
        tiles = verbs.add_parser("tiles", help="write the log as static tlog-tiles")
        tiles.add_argument("directory", metavar="DIR")
        keygen = verbs.add_parser("keygen", help="make a signing key")
        keygen.add_argument("name", metavar="NAME")
        keygen.add_argument("--witness", action="store_true", help="a witness's cosigner key")

    def handle(self, *args, verb, **options):
        try:
            getattr(self, f"_{verb}")(**options)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error

    def _verify(self, *, checkpoint, key, state, **_):
        verifier = self._verifier(key) if checkpoint else None
        signed = []
        for path in checkpoint:
            try:
                signed.append(checkpoint_open(_read(path, "--checkpoint"), verifier, log_origin()))
            except NoteError as error:
                raise CommandError(f"--checkpoint {path}: {error}", returncode=BAD_INPUT) from error
        result = checkpoints_check([(c.size, c.root) for c in signed]) if signed else log_verify()
        if not result.ok:
            raise CommandError(f"audit log FAILS after {result.entries} entries: {result.problem}")
        self.stdout.write(f"audit log verifies: {result.entries} entries, hash chain intact")
        for c in sorted(signed, key=lambda c: c.size):
            self.stdout.write(f"it extends the checkpoint of {c.size} entries (consistency proven)")
        if state:
            self._state()

    def _state(self):
        check = rows_check()
        if check.problems:
            shown = check.problems[:STATE_SHOWN]
            more = len(check.problems) - len(shown)
            lines = [f"  {problem}" for problem in shown]
            if more:
                lines.append(f"  and {more} more")
            raise CommandError(
                f"the domain rows FAIL: {len(check.problems)} of the {check.rows} rows the log "
                "binds were changed outside an action:\n" + "\n".join(lines)
            )
        self.stdout.write(
            f"the {check.rows} rows the log binds are as their last actions left them"
        )

    def _verifier(self, key: str):
        if not key:
            return log_signer().verifier
        text = _read(key, "--key") if Path(key).is_file() else key
        try:
            return verifier_from(text)
        except NoteError as error:
            raise CommandError(f"--key: {error}", returncode=BAD_INPUT) from error

    def _checkpoint(self, **_):
        self.stdout.write(checkpoint_signed(), ending="")

    def _cosign(self, *, key, checkpoint, **_):
        try:
            witness = signer_from(_read(key, "--key"))
        except NoteError as error:
            raise CommandError(f"--key {key}: {error}", returncode=BAD_INPUT) from error
        note = _read(checkpoint, "CHECKPOINT")
        try:
            cosignature = cosignature_create(actor=None, witness=witness, checkpoint=note)
        except ValidationError as error:
            problems = "; ".join(f"{f}: {' '.join(m)}" for f, m in error.message_dict.items())
            raise CommandError(problems, returncode=BAD_INPUT) from error
        self.stdout.write(cosignature.checkpoint + cosignature.signature_line, ending="")

    def _tiles(self, *, directory, **_):
        result = log_verify()
        if not result.ok:
            raise CommandError(f"the log does not verify, so it is not published: {result.problem}")
        # The checkpoint first, then exactly its entries: appends meanwhile wait for next time.
        checkpoint = checkpoint_current()
        note = note_sign(checkpoint.text, log_signer())
        size = tiles_write(Path(directory), entry_bodies(checkpoint.size), note)
        self.stdout.write(f"wrote the tiles of {size} entries and their checkpoint to {directory}")

    def _keygen(self, *, name, witness, **_):
        try:
            signer = signer_generate(name, COSIGNATURE_V1 if witness else ED25519)
        except NoteError as error:
            raise CommandError(f"NAME: {error}", returncode=BAD_INPUT) from error
        self.stdout.write(f"{signer}\n{signer.verifier}")
