"""Signed notes, checkpoints and cosignatures against the C2SP specifications' own examples."""

import base64

import pytest

from accords.audit.checkpoint import (
    COSIGNATURE_V1,
    Checkpoint,
    NoteError,
    checkpoint_open,
    checkpoint_parse,
    cosignature_line,
    note_open,
    note_sign,
    signer_from,
    signer_generate,
    verifier_from,
)

# c2sp.org/signed-note, "Verifier keys", "Example".
SPEC_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
SPEC_NOTE = (
    "This is an example message.\n\n"
    "\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"
)
# The example key and note of golang.org/x/mod/sumdb/note's documentation. Ed25519 is
# deterministic: signing the text with this key must give this very note.
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
GO_NOTE = (
    GO_TEXT + "\n\u2014 PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)


def test_the_spec_example_note_verifies_with_its_key():
    opened = note_open(SPEC_NOTE, [verifier_from(SPEC_VKEY)])
    assert opened.text == "This is an example message.\n"


def test_signing_with_the_go_example_key_gives_the_go_example_note():
    signer = signer_from(GO_SKEY)
    assert str(signer) == GO_SKEY
    assert str(signer.verifier) == GO_VKEY
    assert note_sign(GO_TEXT, signer) == GO_NOTE
    assert note_open(GO_NOTE, [verifier_from(GO_VKEY)]).text == GO_TEXT


def test_a_changed_text_or_signature_is_refused_and_unknown_keys_are_not_enough():
    verifier = verifier_from(GO_VKEY)
    with pytest.raises(NoteError, match="does not verify"):
        note_open(GO_NOTE.replace("answer", "Answer"), [verifier])
    with pytest.raises(NoteError, match="no known key"):
        note_open(GO_NOTE, [verifier_from(SPEC_VKEY)])
    other = signer_generate("PeterNeumann")
    with pytest.raises(NoteError, match="no known key"):
        note_open(note_sign(GO_TEXT, other), [verifier])


@pytest.mark.parametrize(
    "key,problem",
    [
        (
            "example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
            "ID does not match",
        ),
        ("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKa", "not an Ed25519 key"),
        ("example.com/foo+530d903a", "<name>\\+<key ID>\\+<key>"),
        ("example.com/foo+530d903a+not base64!", "not base64"),
    ],
)
def test_a_malformed_verifier_key_is_named(key, problem):
    with pytest.raises(NoteError, match=problem):
        verifier_from(key)


def test_a_checkpoint_round_trips_and_a_malformed_one_is_named():
    checkpoint = Checkpoint("accords.example/audit", 3, b"\x01" * 32)
    assert checkpoint_parse(checkpoint.text) == checkpoint
    for text, problem in [
        (
            "accords.example/audit\n03\n" + base64.b64encode(b"\x01" * 32).decode() + "\n",
            "tree size",
        ),
        ("accords.example/audit\n3\nAAAA\n", "32 bytes"),
        ("accords.example/audit\n3\n", "one a line"),
    ]:
        with pytest.raises(NoteError, match=problem):
            checkpoint_parse(text)


def test_a_checkpoint_of_another_log_is_refused():
    signer = signer_generate("accords.example/audit")
    note = note_sign(Checkpoint("other.example/log", 1, b"\x02" * 32).text, signer)
    with pytest.raises(NoteError, match="not 'accords.example/audit'"):
        checkpoint_open(note, signer.verifier, "accords.example/audit")


def test_the_spec_cosignature_message_and_a_cosigned_checkpoint_verify():
    log = signer_generate("example.com/behind-the-sofa")
    witness = signer_generate("witness.example.com/w1", COSIGNATURE_V1)
    text = Checkpoint("example.com/behind-the-sofa", 20852163, b"\x03" * 32).text
    note = note_sign(text, log) + cosignature_line(text, witness, 1679315147)
    opened = note_open(note, [log.verifier, witness.verifier])
    assert opened.verified == (log.verifier, witness.verifier)
    assert opened.timestamps == (1679315147,)
    line = cosignature_line(text, witness, 1679315147)
    raw = base64.b64decode(line.split()[-1])
    assert raw[:4] == witness.verifier.key_id and raw[4:12] == (1679315147).to_bytes(8, "big")
    assert witness.verifier.verify(raw[12:], b"cosignature/v1\ntime 1679315147\n" + text.encode())
    forged = note[:-10] + "AAAAAAAAA=\n"
    with pytest.raises(NoteError):
        note_open(forged, [log.verifier, witness.verifier])
