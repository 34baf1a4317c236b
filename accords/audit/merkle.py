"""The audit log's Merkle tree, as RFC 6962 / RFC 9162 define it: tree heads, proofs, checks.

Pure Python, no Django: the same code builds proofs from the stored tree and checks proofs a
monitor is handed, and runs against the reference vectors. Written by hand because no
well-kept Python library implements RFC 9162's proofs and their verification.

Hashes are 32-byte `bytes`. A leaf hash is SHA-256(0x00 || data), an interior node
SHA-256(0x01 || left || right). A tree of n leaves splits at the largest power of two below n.
"""

import hashlib
from collections.abc import Callable, Iterable, Sequence

EMPTY_ROOT = hashlib.sha256(b"").digest()


class ProofError(ValueError):
    """A proof that does not prove what it claims."""


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


class Frontier:
    """The roots of the perfect subtrees that make up a tree, largest first.

    Appending a leaf merges as many of them as the size has trailing one bits, so a tree of
    any size is kept in at most log2(n) hashes and its head is always at hand.
    """

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()):
        if len(hashes) != size.bit_count():
            raise ValueError(f"a tree of {size} leaves has {size.bit_count()} subtree roots")
        self.size = size
        self.hashes = list(hashes)

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add one leaf; return the perfect subtrees it completed as (level, index, hash)."""
        completed = []
        h, level, index = leaf, 0, self.size
        while (self.size >> level) & 1:
            h = node_hash(self.hashes.pop(), h)
            level += 1
            index >>= 1
            completed.append((level, index, h))
        self.hashes.append(h)
        self.size += 1
        return completed

    def extend(self, leaves: Sequence[bytes], block: int = 256) -> None:
        """Append many leaves: each run of `block` (a power of two) starting where a subtree of
        that size would, hashed level by level in one go and merged as one subtree; what
        `append` would give one at a time, at a fraction of the cost. Nothing is returned:
        this is for recomputing a tree, not for storing its subtrees."""
        sha256, i, n = hashlib.sha256, 0, len(leaves)
        while i < n:
            if self.size % block or n - i < block:
                self.append(leaves[i])
                i += 1
                continue
            level = leaves[i : i + block]
            while len(level) > 1:
                level = [
                    sha256(b"\x01" + left + right).digest()
                    for left, right in zip(level[::2], level[1::2], strict=True)
                ]
            self._merge(level[0], block.bit_length() - 1)
            i += block

    def _merge(self, h: bytes, level: int) -> None:
        """Append a perfect subtree of 2**level leaves; the size must be a multiple of it."""
        size = self.size >> level
        while size & 1:
            h = node_hash(self.hashes.pop(), h)
            size >>= 1
        self.hashes.append(h)
        self.size += 1 << level

    def root(self) -> bytes:
        if not self.hashes:
            return EMPTY_ROOT
        root = self.hashes[-1]
        for h in reversed(self.hashes[:-1]):
            root = node_hash(h, root)
        return root


def root_of(leaves: Iterable[bytes]) -> bytes:
    frontier = Frontier()
    for leaf in leaves:
        frontier.append(leaf)
    return frontier.root()


# Proofs name the subtrees whose hashes they carry as ranges [start, end) of leaves. The tree
# stores perfect subtrees only, so a range on the tree's right edge is folded from them.


def perfect_parts(start: int, end: int) -> list[tuple[int, int]]:
    """The perfect subtrees, as (level, index), whose fold is MTH(D[start:end])."""
    parts = []
    while start < end:
        level = (end - start).bit_length() - 1
        while start % (1 << level):
            level -= 1
        parts.append((level, start >> level))
        start += 1 << level
    return parts


def fold(hashes: Sequence[bytes]) -> bytes:
    root = hashes[-1]
    for h in reversed(hashes[:-1]):
        root = node_hash(h, root)
    return root


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """RFC 9162 2.1.3.1: the subtrees of the audit path of leaf `index`, leaf to root."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of {size} leaves")
    ranges = []
    start, end = 0, size
    while end - start > 1:
        k = split_point(end - start)
        if index - start < k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    return ranges[::-1]


def consistency_ranges(size1: int, size2: int) -> list[tuple[int, int]]:
    """RFC 9162 2.1.4.1: the subtrees of the proof that size2's tree extends size1's."""
    if not 0 < size1 <= size2:
        raise ProofError(f"no consistency proof from {size1} to {size2} leaves")
    ranges = []
    m, start, end, whole = size1, 0, size2, True
    while m != end - start:
        k = split_point(end - start)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            m, start, whole = m - k, start + k, False
    if not whole:
        ranges.append((start, end))
    return ranges[::-1]


def proof_from(
    ranges: list[tuple[int, int]], nodes: Callable[[set[tuple[int, int]]], dict]
) -> list[bytes]:
    """Hashes for `ranges`, fetching every perfect subtree they need in one call of `nodes`."""
    parts = {r: perfect_parts(*r) for r in ranges}
    found = nodes({p for ps in parts.values() for p in ps})
    return [fold([found[p] for p in parts[r]]) for r in ranges]


def root_from(size: int, nodes: Callable[[set[tuple[int, int]]], dict]) -> bytes:
    if size == 0:
        return EMPTY_ROOT
    return proof_from([(0, size)], nodes)[0]


def verify_inclusion(
    *, index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """RFC 9162 2.1.3.2; raises ProofError unless `proof` puts `leaf` at `index` under `root`."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of {size} leaves")
    if len(leaf) != 32 or any(len(p) != 32 for p in proof):
        raise ProofError("a leaf hash and every hash of a proof is 32 bytes")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ProofError("the inclusion proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("the inclusion proof is shorter than the tree is deep")
    if r != root:
        raise ProofError("the inclusion proof does not lead to the root")


def verify_consistency(
    *, size1: int, size2: int, root1: bytes, root2: bytes, proof: Sequence[bytes]
) -> None:
    """RFC 9162 2.1.4.2; raises ProofError unless `proof` shows tree 2 extends tree 1."""
    if size1 > size2:
        raise ProofError(f"a tree of {size2} leaves cannot extend one of {size1}")
    if size1 == size2:
        if proof:
            raise ProofError("trees of the same size need an empty proof")
        if root1 != root2 or (size1 == 0 and root1 != EMPTY_ROOT):
            raise ProofError(f"two different trees of {size1} leaves")
        return
    if size1 == 0:
        raise ProofError("every tree extends the empty tree: no proof is needed or accepted")
    if not proof:
        raise ProofError("the consistency proof is empty")
    if any(len(p) != 32 for p in proof):
        raise ProofError("every hash of a proof is 32 bytes")
    proof = list(proof)
    if size1 & (size1 - 1) == 0:
        proof.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            raise ProofError("the consistency proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("the consistency proof is shorter than the tree is deep")
    if fr != root1:
        raise ProofError(f"the proof does not lead to the root of the tree of {size1} leaves")
    if sr != root2:
        raise ProofError(f"the proof does not lead to the root of the tree of {size2} leaves")
