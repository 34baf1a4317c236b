"""The Merkle tree against the RFC 6962 reference vectors, and proofs of trees of any size.

The vectors (tests/vectors/, Apache-2.0, from transparency-dev/merkle) give proofs good and
bad; the verifier must accept every good one and reject every bad one.
"""

import base64
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accords.audit.merkle import (
    EMPTY_ROOT,
    Frontier,
    ProofError,
    consistency_ranges,
    inclusion_ranges,
    leaf_hash,
    node_hash,
    proof_from,
    root_from,
    root_of,
    split_point,
    verify_consistency,
    verify_inclusion,
)

VECTORS = Path(__file__).parent / "vectors"


def _vectors(kind: str):
    files = sorted((VECTORS / kind).rglob("*.json"))
    assert files, f"no {kind} vectors"
    return [pytest.param(json.loads(f.read_text()), id=str(f.relative_to(VECTORS))) for f in files]


def _b(value) -> bytes:
    return base64.b64decode(value or "")


def _proof(value) -> list[bytes]:
    return [_b(p) for p in value or []]


@pytest.mark.parametrize("case", _vectors("inclusion"))
def test_inclusion_vectors(case):
    def check():
        verify_inclusion(
            index=case["leafIdx"], size=case["treeSize"], leaf=_b(case["leafHash"]),
            proof=_proof(case["proof"]), root=_b(case["root"]),
        )  # fmt: skip

    if case["wantErr"]:
        with pytest.raises(ProofError):
            check()
    else:
        check()


@pytest.mark.parametrize("case", _vectors("consistency"))
def test_consistency_vectors(case):
    def check():
        verify_consistency(
            size1=case["size1"], size2=case["size2"], root1=_b(case["root1"]),
            root2=_b(case["root2"]), proof=_proof(case["proof"]),
        )  # fmt: skip

    if case["wantErr"]:
        with pytest.raises(ProofError):
            check()
    else:
        check()


def _leaves(n: int) -> list[bytes]:
    return [leaf_hash(f"entry {i}".encode()) for i in range(n)]


def _reference_root(leaves: list[bytes]) -> bytes:
    """MTH as RFC 6962 section 2.1 writes it, recursively: the definition the fast code must meet."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = split_point(len(leaves))
    return node_hash(_reference_root(leaves[:k]), _reference_root(leaves[k:]))


def _nodes_of(leaves: list[bytes]):
    def nodes(wanted):
        return {
            (level, index): _reference_root(leaves[index << level : (index + 1) << level])
            for level, index in wanted
        }

    return nodes


def test_the_vectors_tree_has_the_root_they_state():
    """The eight leaves of the vectors (RFC 6962's test inputs) give the root of their proofs."""
    data = [b"", b"\x00", b"\x10", b"\x20\x21", b"\x30\x31", b"\x40\x41\x42\x43",
            b"\x50\x51\x52\x53\x54\x55\x56\x57",
            b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f"]  # fmt: skip
    case = json.loads((VECTORS / "inclusion/1/happy-path.json").read_text())
    assert root_of(leaf_hash(d) for d in data) == _b(case["root"])


@given(st.integers(0, 300))
def test_the_frontier_keeps_the_root_of_every_size(n):
    leaves = _leaves(n)
    assert root_of(leaves) == _reference_root(leaves)
    assert root_from(n, _nodes_of(leaves)) == _reference_root(leaves)


@settings(max_examples=25)
@given(st.lists(st.integers(0, 40), max_size=6), st.sampled_from([2, 4, 8]))
def test_growing_the_tree_a_subtree_at_a_time_gives_the_tree_of_one_leaf_at_a_time(runs, block):
    """Verification grows the tree by whole runs of leaves; at every size it must hold exactly
    the subtree roots that appending one leaf at a time holds."""
    leaves, fast, slow = _leaves(sum(runs)), Frontier(), Frontier()
    for run in runs:
        chunk, leaves = leaves[:run], leaves[run:]
        fast.extend(chunk, block=block)
        for leaf in chunk:
            slow.append(leaf)
        assert (fast.size, fast.hashes) == (slow.size, slow.hashes)
        assert fast.root() == _reference_root(_leaves(fast.size))


@given(st.data())
def test_every_inclusion_proof_verifies_and_names_only_its_leaf(data):
    size = data.draw(st.integers(1, 200))
    index = data.draw(st.integers(0, size - 1))
    leaves = _leaves(size)
    root = _reference_root(leaves)
    proof = proof_from(inclusion_ranges(index, size), _nodes_of(leaves))
    verify_inclusion(index=index, size=size, leaf=leaves[index], proof=proof, root=root)
    other = data.draw(st.integers(0, size - 1).filter(lambda i: i != index), label="other")
    with pytest.raises(ProofError):
        verify_inclusion(index=other, size=size, leaf=leaves[index], proof=proof, root=root)


@given(st.data())
def test_every_consistency_proof_verifies_and_a_changed_history_does_not(data):
    size2 = data.draw(st.integers(2, 200))
    size1 = data.draw(st.integers(1, size2 - 1))
    leaves = _leaves(size2)
    proof = proof_from(consistency_ranges(size1, size2), _nodes_of(leaves))
    root1, root2 = _reference_root(leaves[:size1]), _reference_root(leaves)
    verify_consistency(size1=size1, size2=size2, root1=root1, root2=root2, proof=proof)
    changed = data.draw(st.integers(0, size1 - 1), label="changed leaf")
    rewritten = list(leaves)
    rewritten[changed] = leaf_hash(b"rewritten")
    with pytest.raises(ProofError):
        verify_consistency(
            size1=size1, size2=size2, root1=root1, root2=_reference_root(rewritten), proof=proof
        )


def test_a_frontier_of_the_wrong_shape_is_refused():
    with pytest.raises(ValueError, match="3 subtree roots"):
        Frontier(7, [EMPTY_ROOT])
