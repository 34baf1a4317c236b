"""The log as static files for mirrors: c2sp.org/tlog-tiles hash tiles and entry bundles.

A tile is up to 256 consecutive hashes of one level of the tree, every eighth level; a full
tile at level l + 1 holds the roots of 256 full tiles at level l. Entry bundles hold the
entries themselves, each with a two-byte length, so a mirror can rehash every leaf. Pure
Python; written by hand because no well-kept Python library writes or reads tiles.
"""

import struct
from collections.abc import Callable, Iterable
from pathlib import Path

from accords.audit.merkle import leaf_hash, root_of

WIDTH = 256


def tile_path(level: int | str, index: int, width: int = WIDTH) -> str:
    """tile/<L>/<N>[.p/<W>], N in groups of three digits, all but the last with an x."""
    digits = f"{index:03d}"
    digits = "0" * (-len(digits) % 3) + digits
    groups = [digits[i : i + 3] for i in range(0, len(digits), 3)]
    name = "/".join([*("x" + g for g in groups[:-1]), groups[-1]])
    return f"tile/{level}/{name}" + (f".p/{width}" if width < WIDTH else "")


def tiles_write(directory: Path, entries: Iterable[bytes], checkpoint: str) -> int:
    """Write every tile and entry bundle of the log whose entries, in order, are `entries`,
    and its signed `checkpoint`; return the number of entries. Streams: a level keeps at
    most one tile of hashes in memory."""
    directory = Path(directory)
    levels: list[list[bytes]] = [[]]
    bundle: list[bytes] = []
    size = 0

    def write(path: str, data: bytes) -> None:
        target = directory / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    for entry in entries:
        if len(entry) > 0xFFFF:
            raise ValueError(f"entry {size + 1} is {len(entry)} bytes, more than a bundle holds")
        bundle.append(entry)
        levels[0].append(leaf_hash(entry))
        size += 1
        if len(bundle) == WIDTH:
            write(tile_path("entries", size // WIDTH - 1), _bundle(bundle))
            bundle = []
        level = 0
        while len(levels[level]) == WIDTH:
            index = (size >> (8 * (level + 1))) - 1
            write(tile_path(level, index), b"".join(levels[level]))
            if level + 1 == len(levels):
                levels.append([])
            levels[level + 1].append(root_of(levels[level]))
            levels[level] = []
            level += 1
    if bundle:
        write(tile_path("entries", size // WIDTH, len(bundle)), _bundle(bundle))
    for level, hashes in enumerate(levels):
        if hashes:
            write(tile_path(level, size >> (8 * (level + 1)), len(hashes)), b"".join(hashes))
    write("checkpoint", checkpoint.encode())
    return size


def _bundle(entries: list[bytes]) -> bytes:
    return b"".join(struct.pack(">H", len(e)) + e for e in entries)


def bundle_entries(data: bytes) -> list[bytes]:
    entries, at = [], 0
    while at < len(data):
        if at + 2 > len(data):
            raise ValueError("an entry bundle ends inside a length")
        (length,) = struct.unpack(">H", data[at : at + 2])
        if at + 2 + length > len(data):
            raise ValueError("an entry bundle ends inside an entry")
        entries.append(data[at + 2 : at + 2 + length])
        at += 2 + length
    return entries


def tile_reader(read: Callable[[str], bytes], size: int):
    """The `nodes` lookup of accords.audit.merkle over tiles of a tree of `size` entries:
    the hash of perfect subtree (level, index) from the tile that holds it, hashing up the
    levels a tile spans. `read(path)` returns a tile's bytes (from a directory, or HTTP)."""
    cache: dict[str, list[bytes]] = {}

    def tile(tile_level: int, tile_index: int) -> list[bytes]:
        start, span = tile_index * WIDTH ** (tile_level + 1), WIDTH**tile_level
        width = min(WIDTH, (size - start) // span)
        path = tile_path(tile_level, tile_index, width)
        if path not in cache:
            data = read(path)
            if len(data) != 32 * width:
                raise ValueError(f"{path} holds {len(data)} bytes, not {32 * width}")
            cache[path] = [data[i : i + 32] for i in range(0, len(data), 32)]
        return cache[path]

    def node(level: int, index: int) -> bytes:
        tile_level, height = divmod(level, 8)
        first = index << height
        hashes = tile(tile_level, first // WIDTH)
        return root_of(hashes[first % WIDTH : first % WIDTH + (1 << height)])

    def nodes(wanted: set[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        return {key: node(*key) for key in wanted}

    return nodes
