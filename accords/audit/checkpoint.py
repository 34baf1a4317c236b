"""Checkpoints of the audit log as C2SP signed notes, and monitors' cosignatures of them.

c2sp.org/signed-note: a text, a blank line, then lines "— <key name> base64(key ID ||
signature)". c2sp.org/tlog-checkpoint: the text is the origin (the deployment's name), the
tree size and the base64 root hash. c2sp.org/tlog-cosignature (v1, Ed25519): a witness signs
"cosignature/v1\\ntime <t>\\n" + the checkpoint text, and its signature carries the timestamp.
Keys are written as sumdb/note does: "PRIVATE+KEY+<name>+<id>+<base64>" for a signer and
"<name>+<id>+<base64>" for a verifier. Pure Python over `cryptography`; the formats are
written by hand because no well-kept Python library implements them.
"""

import base64
import binascii
import hashlib
import re
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = 0x01
COSIGNATURE_V1 = 0x04
KEY_TYPES = {ED25519: "Ed25519 note signature", COSIGNATURE_V1: "Ed25519 cosignature/v1"}
EM_DASH = "\u2014"
MAX_SIGNATURES = 100


class NoteError(ValueError):
    """A key, note or checkpoint that is malformed or not signed as it must be."""


def _b64decode(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        raise NoteError(f"{what} is not base64") from error


def _key_id(name: str, key_type: int, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([key_type]) + public).digest()[:4]


def _check_name(name: str) -> str:
    if not name or re.search(r"[\s+]", name) or any(ord(c) < 0x20 for c in name):
        raise NoteError(f"key name {name!r} is empty or holds a space or a plus sign")
    return name


@dataclass(frozen=True)
class Verifier:
    name: str
    key_type: int
    public: bytes

    @property
    def key_id(self) -> bytes:
        return _key_id(self.name, self.key_type, self.public)

    def __str__(self) -> str:
        material = base64.b64encode(bytes([self.key_type]) + self.public).decode()
        return f"{self.name}+{self.key_id.hex()}+{material}"

    def verify(self, signature: bytes, message: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public).verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class Signer:
    name: str
    key_type: int
    seed: bytes

    def __repr__(self) -> str:
        return f"Signer({self.name!r}, {KEY_TYPES[self.key_type]})"

    @property
    def verifier(self) -> Verifier:
        public = (
            Ed25519PrivateKey.from_private_bytes(self.seed)
            .public_key()
            .public_bytes(Encoding.Raw, PublicFormat.Raw)
        )
        return Verifier(self.name, self.key_type, public)

    def sign(self, message: bytes) -> bytes:
        return Ed25519PrivateKey.from_private_bytes(self.seed).sign(message)

    def __str__(self) -> str:
        material = base64.b64encode(bytes([self.key_type]) + self.seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.verifier.key_id.hex()}+{material}"


def _key_parts(text: str, parts: list[str], what: str) -> tuple[str, int, bytes]:
    if len(parts) != 3:
        raise NoteError(f"{what} must read <name>+<key ID>+<key>")
    name, key_id, material = parts
    _check_name(name)
    raw = _b64decode(material, what)
    if len(raw) != 33 or raw[0] not in KEY_TYPES:
        raise NoteError(f"{what} is not an Ed25519 key of a known type")
    if not re.fullmatch(r"[0-9a-f]{8}", key_id):
        raise NoteError(f"{what}'s key ID must be 8 lowercase hex digits")
    return name, raw[0], raw[1:]


def verifier_from(text: str) -> Verifier:
    name, key_type, public = _key_parts(text, text.strip().split("+", 2), "the verifier key")
    verifier = Verifier(name, key_type, public)
    if verifier.key_id.hex() != text.strip().split("+")[1]:
        raise NoteError("the verifier key's ID does not match its name and key")
    return verifier


def signer_from(text: str) -> Signer:
    text = text.strip()
    if not text.startswith("PRIVATE+KEY+"):
        raise NoteError("a signing key begins PRIVATE+KEY+")
    name, key_type, seed = _key_parts(text, text.split("+", 4)[2:], "the signing key")
    signer = Signer(name, key_type, seed)
    if signer.verifier.key_id.hex() != text.split("+")[3]:
        raise NoteError("the signing key's ID does not match its name and key")
    return signer


def signer_generate(name: str, key_type: int = ED25519) -> Signer:
    seed = Ed25519PrivateKey.generate().private_bytes_raw()
    return Signer(_check_name(name), key_type, seed)


def _signature_line(signer: Signer, signature: bytes) -> str:
    blob = base64.b64encode(signer.verifier.key_id + signature).decode()
    return f"{EM_DASH} {signer.name} {blob}\n"


def note_sign(text: str, signer: Signer) -> str:
    """The note `text` signed by `signer` (an Ed25519 note key)."""
    _check_text(text)
    return text + "\n" + _signature_line(signer, signer.sign(text.encode()))


def _check_text(text: str) -> None:
    if not text.endswith("\n") or any(ord(c) < 0x20 and c != "\n" for c in text):
        raise NoteError("a note's text ends with a newline and holds no control characters")


@dataclass(frozen=True)
class SignedNote:
    text: str
    signatures: tuple[str, ...]  # the signature lines, each with its final newline
    verified: tuple[Verifier, ...]
    timestamps: tuple[int, ...]  # of the cosignatures verified, in the order of `verified`


def note_open(note: str, verifiers: list[Verifier]) -> SignedNote:
    """Parse a signed note and verify its signatures by the known `verifiers`.

    Unknown keys are ignored; a known key whose signature fails rejects the whole note, and
    so does a note no known key signed (c2sp.org/signed-note).
    """
    if not note.endswith("\n") or "\n\n" not in note:
        raise NoteError("a signed note is a text, a blank line and signature lines")
    split = note.rindex("\n\n")
    text, lines = note[: split + 1], note[split + 2 :].splitlines(keepends=True)
    _check_text(text)
    if not lines or len(lines) > MAX_SIGNATURES:
        raise NoteError(f"a signed note has from 1 to {MAX_SIGNATURES} signature lines")
    known = {(v.name, v.key_id): v for v in verifiers}
    verified, timestamps = [], []
    for line in lines:
        match = re.fullmatch(EM_DASH + r" (\S+) (\S+)\n", line)
        if not match:
            raise NoteError(f"not a signature line: {line.strip()!r}")
        name, blob = match.groups()
        raw = _b64decode(blob, f"the signature of {name}")
        verifier = known.get((name, raw[:4]))
        if verifier is None:
            continue
        if verifier.key_type == COSIGNATURE_V1:
            if len(raw) != 4 + 8 + 64:
                raise NoteError(f"the cosignature of {name} is not a timestamped signature")
            (timestamp,) = struct.unpack(">Q", raw[4:12])
            ok = verifier.verify(raw[12:], cosigned_message(text, timestamp))
            timestamps.append(timestamp)
        else:
            ok = verifier.verify(raw[4:], text.encode())
        if not ok:
            raise NoteError(f"the signature of {name} does not verify")
        verified.append(verifier)
    if not verified:
        raise NoteError("no known key signed this note")
    return SignedNote(text, tuple(lines), tuple(verified), tuple(timestamps))


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode()]
        return "\n".join([*lines, *self.extensions]) + "\n"


def checkpoint_parse(text: str) -> Checkpoint:
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "" or any(not line for line in lines[:-1]):
        raise NoteError("a checkpoint is an origin, a tree size and a root hash, one a line")
    origin, size, root = lines[:3]
    if not re.fullmatch(r"0|[1-9][0-9]*", size):
        raise NoteError(f"the checkpoint's tree size {size!r} is not a decimal number")
    raw = _b64decode(root, "the checkpoint's root hash")
    if len(raw) != 32:
        raise NoteError("the checkpoint's root hash is not 32 bytes")
    return Checkpoint(origin, int(size), raw, tuple(lines[3:-1]))


def checkpoint_open(note: str, verifier: Verifier, origin: str) -> Checkpoint:
    """A checkpoint from its signed note: signed by the log's key, for this log's origin."""
    opened = note_open(note, [verifier])
    checkpoint = checkpoint_parse(opened.text)
    if checkpoint.origin != origin:
        raise NoteError(f"the checkpoint is of the log {checkpoint.origin!r}, not {origin!r}")
    return checkpoint


def cosigned_message(text: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n".encode() + text.encode()


def cosignature_line(text: str, signer: Signer, timestamp: int) -> str:
    """A witness's cosignature/v1 line over the checkpoint `text` at POSIX `timestamp`."""
    if signer.key_type != COSIGNATURE_V1:
        raise NoteError("a cosignature needs a cosigner key (type 0x04), not a log key")
    if not 0 <= timestamp < 2**63:
        raise NoteError("a cosignature's timestamp is a POSIX time below 2**63")
    signature = struct.pack(">Q", timestamp) + signer.sign(cosigned_message(text, timestamp))
    return _signature_line(signer, signature)
