"""The log as static tiles: a mirror that reads only the tiles rebuilds the signed tree head,
and the entries it downloads hash to the leaves."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from accords.audit.checkpoint import checkpoint_open
from accords.audit.log import entries_append
from accords.audit.merkle import (
    inclusion_ranges,
    leaf_hash,
    proof_from,
    root_from,
    root_of,
    verify_inclusion,
)
from accords.audit.tests.tools import ORIGIN
from accords.audit.tiles import bundle_entries, tile_path, tile_reader, tiles_write


def test_tile_paths_are_spelled_as_the_spec_spells_them():
    assert tile_path(0, 1234067) == "tile/0/x001/x234/067"
    assert tile_path(1, 5) == "tile/1/005"
    assert tile_path("entries", 1000, 17) == "tile/entries/x001/000.p/17"


def test_a_tree_of_70000_entries_has_the_tiles_the_spec_lists_and_they_give_its_root(tmp_path):
    entries = [f"entry {i}".encode() for i in range(70_000)]
    assert tiles_write(tmp_path, entries, "a checkpoint\n") == 70_000
    level0 = sorted(
        p.relative_to(tmp_path).as_posix() for p in (tmp_path / "tile/0").rglob("*") if p.is_file()
    )
    assert len(level0) == 274 and "tile/0/273.p/112" in level0
    assert (tmp_path / "tile/1/000").stat().st_size == 256 * 32
    assert (tmp_path / "tile/1/001.p/17").stat().st_size == 17 * 32
    assert (tmp_path / "tile/2/000.p/1").stat().st_size == 32
    leaves = [leaf_hash(e) for e in entries]
    nodes = tile_reader(lambda path: (tmp_path / path).read_bytes(), 70_000)
    assert root_from(70_000, nodes) == root_of(leaves)
    for index in (0, 65_535, 65_536, 69_999):
        proof = proof_from(inclusion_ranges(index, 70_000), nodes)
        verify_inclusion(
            index=index, size=70_000, leaf=leaves[index], proof=proof, root=root_of(leaves)
        )
    last = bundle_entries((tmp_path / "tile/entries/273.p/112").read_bytes())
    assert last == entries[273 * 256 :]


def test_an_entry_too_large_for_a_bundle_is_named(tmp_path):
    with pytest.raises(ValueError, match="entry 2 is 70000 bytes"):
        tiles_write(tmp_path, [b"small", b"x" * 70_000], "a checkpoint\n")


@pytest.mark.django_db
def test_the_command_publishes_tiles_a_mirror_rebuilds_the_checkpoint_from(log_key, tmp_path):
    with transaction.atomic():
        entries_append([{"action": "test.append", "details": {"i": i}} for i in range(600)])
    out = io.StringIO()
    call_command("audit", "tiles", str(tmp_path), stdout=out)
    assert "600 entries" in out.getvalue()
    checkpoint = checkpoint_open((tmp_path / "checkpoint").read_text(), log_key.verifier, ORIGIN)
    assert checkpoint.size == 600
    nodes = tile_reader(lambda path: (tmp_path / path).read_bytes(), checkpoint.size)
    assert root_from(checkpoint.size, nodes) == checkpoint.root
    bundles = [
        tmp_path / "tile/entries/000",
        tmp_path / "tile/entries/001",
        tmp_path / "tile/entries/002.p/88",
    ]
    entries = [e for bundle in bundles for e in bundle_entries(bundle.read_bytes())]
    leaves = (tmp_path / "tile/0/000").read_bytes() + (tmp_path / "tile/0/001").read_bytes()
    leaves += (tmp_path / "tile/0/002.p/88").read_bytes()
    assert b"".join(leaf_hash(e) for e in entries) == leaves
    assert b'"details":{"i":599}' in entries[-1]
