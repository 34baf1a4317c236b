"""Reading case files from bytes nobody vouches for: a JSON-lines or CSV file given to
`accords import`, or the JSON array posted to the API.

Whatever the bytes, reading ends in documents or in Problems naming the line (and field where
there is one), never in an exception: text is decoded strictly as UTF-8 (a byte-order mark at
the start is accepted, as spreadsheet programs write one); the file, each line, the nesting
depth and each number are bounded before `json` parses them; a key given twice in one object,
a lone surrogate, a NUL character, a CSV row with more or fewer values than the header are
refused. Messages quote at most a short excerpt of what was wrong.

Python's `json` and `csv` do the parsing; what is written here is only what they do not
check (duplicate keys, depth, number length, surrogates) or check by raising.
"""

import csv
import io
import json
import re

from accords.cases.casefile import CSV_COLUMNS, Problem, csv_row_to_case_file, excerpt

MAX_FILE_BYTES = 512 * 2**20
# A case file is a few kilobytes; a megabyte leaves room for a long history and refuses a
# 50-megabyte value before it is decoded, parsed or echoed.
MAX_LINE_BYTES = 2**20
# A case file nests four deep (file, section, item, list of codes); an API body one more.
MAX_DEPTH = 16
MAX_NUMBER_CHARS = 32
BOM = b"\xef\xbb\xbf"

# A JSON string, or the rest of the line after an opening quote that is never closed: the
# depth scan below skips strings in one left-to-right pass, whatever the line holds.
_STRING = re.compile(r'"(?:[^"\\]|\\.)*+(?:"|\Z)', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _megabytes(size: int) -> str:
    return f"{size / 2**20:,.1f} MB"


def _too_deep(text: str) -> bool:
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False
    depth = 0
    for bracket in _NOT_BRACKET.sub("", _STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > MAX_DEPTH:
            return True
    return False


class _Refused:
    """What a parsing hook puts in place of a value it refuses, found afterwards with its
    field path (a hook cannot know where it is)."""

    def __init__(self, message: str):
        self.message = message


def _json(text: str) -> tuple[object, list[tuple[list, str]]]:
    """The value of one JSON text and what is wrong in it, as (path, message) pairs."""
    if _too_deep(text):
        return None, [([], f"nested more than {MAX_DEPTH} deep; a case file nests 4 deep")]
    marked = []

    def number(kind):
        def parse(digits: str):
            if len(digits) > MAX_NUMBER_CHARS:
                marked.append(True)
                return _Refused(f"a number of {len(digits):,} characters is not a {kind}")
            return int(digits) if kind == "whole number" else float(digits)

        return parse

    def constant(name: str):
        marked.append(True)
        return _Refused(f"{name} is not a JSON number")

    def pairs(items: list) -> dict:
        obj = dict(items)
        if len(obj) != len(items):
            marked.append(True)
            seen = set()
            for key, _ in items:
                if key in seen:
                    obj[_Refused] = key
                    break
                seen.add(key)
        return obj

    try:
        value = json.loads(
            text,
            object_pairs_hook=pairs,
            parse_int=number("whole number"),
            parse_float=number("number"),
            parse_constant=constant,
        )
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, " if error.lineno > 1 else ""
        return None, [([], f"not JSON: {error.msg} ({where}column {error.colno})")]
    if not marked and "\\u" not in text:
        return value, []
    return value, list(_faults(value))


def _faults(value, path=()):
    """(path, message) for each refused value, repeated key, NUL or lone surrogate."""
    stack = [(list(path), value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, _Refused):
            yield where, item.message
        elif isinstance(item, str):
            if "\x00" in item:
                yield where, "holds a NUL character"
            elif _SURROGATE.search(item):
                yield where, "holds a lone UTF-16 surrogate, which is not text"
        elif isinstance(item, dict):
            if _Refused in item:
                yield where, f"the key {excerpt(item.pop(_Refused))} appears twice"
            for key, child in item.items():
                if "\x00" in key or _SURROGATE.search(key):
                    yield where, f"the key {excerpt(key)} is not text"
                else:
                    stack.append(([*where, key], child))
        elif isinstance(item, list):
            stack.extend(([*where, i], child) for i, child in enumerate(item))


def _field(path: list) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _decoded(data: bytes, line: int = 1) -> str | Problem:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line += data.count(b"\n", 0, error.start)
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        byte = data[error.start]
        return Problem(line, "", f"not UTF-8 text: byte 0x{byte:02x} at column {column}")


class CaseFileUnreadable(Exception):
    """The file (or API body) as a whole cannot be read: nothing in it is imported, whatever
    --skip-invalid says. `problem` names the line."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def _refuse_too_large(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise CaseFileUnreadable(Problem(
            1, "", f"the file is {_megabytes(size)}; split it into files of at most "
            f"{_megabytes(MAX_FILE_BYTES)}"
        ))  # fmt: skip


def _line_too_long(line: int, size: int) -> Problem | None:
    if size > MAX_LINE_BYTES:
        return Problem(
            line, "", f"the line is {size:,} bytes; a case file takes at most {MAX_LINE_BYTES:,}"
        )
    return None


def read_case_files(data: bytes, *, name: str) -> list[tuple[int, object]]:
    """(line, document or Problem) for each record of a JSON-lines or CSV file; raises
    CaseFileUnreadable when the file as a whole cannot be read."""
    _refuse_too_large(len(data))
    data = data.removeprefix(BOM)
    if name.endswith(".csv"):
        return _read_csv(data)
    records: list[tuple[int, object]] = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        problem = _line_too_long(number, len(raw))
        text = problem or _decoded(raw, number)
        if isinstance(text, Problem):
            records.append((number, text))
            continue
        if not text.strip():
            continue
        doc, faults = _json(text)
        if faults:
            records += [(number, Problem(number, _field(p), message)) for p, message in faults]
        else:
            records.append((number, doc))
    return records


def _read_csv(data: bytes) -> list[tuple[int, object]]:
    """A CSV row may run over several lines (a quoted value), so one unreadable line makes
    the rest unreadable too: every problem here but a row's count of values is the file's."""
    for number, raw in enumerate(data.split(b"\n"), start=1):
        problem = _line_too_long(number, len(raw))
        if problem:
            raise CaseFileUnreadable(problem)
    text = _decoded(data)
    if isinstance(text, Problem):
        raise CaseFileUnreadable(text)
    reader = csv.reader(io.StringIO(text, newline=""))
    has_nul = "\x00" in text
    records: list[tuple[int, object]] = []
    try:
        header = next(reader, [])
        unknown = sorted(set(header) - set(CSV_COLUMNS))
        if unknown:
            raise CaseFileUnreadable(Problem(1, unknown[0], "not a documented CSV column"))
        twice = sorted({column for column in header if header.count(column) > 1})
        if twice:
            raise CaseFileUnreadable(Problem(1, twice[0], "the column is named twice"))
        for values in reader:
            line = reader.line_num
            if not values:
                continue
            if len(values) != len(header):
                message = f"{len(values)} values, but the header names {len(header)} columns"
                records.append((line, Problem(line, "", message)))
                continue
            row = dict(zip(header, values, strict=True))
            nul = [column for column, value in row.items() if "\x00" in value] if has_nul else []
            if nul:
                records.append((line, Problem(line, nul[0], "holds a NUL character")))
                continue
            records.append((line, csv_row_to_case_file(row)))
    except csv.Error as error:
        line = reader.line_num
        raise CaseFileUnreadable(Problem(line, "", f"not CSV: {error}")) from None
    return records


def read_case_file_array(data: bytes) -> list[tuple[int, object]]:
    """(position from 1, document or Problem) for each case file of a JSON array (the API's
    body); raises CaseFileUnreadable (line 0) when the body as a whole cannot be read."""
    _refuse_too_large(len(data))
    text = _decoded(data.removeprefix(BOM))
    if isinstance(text, Problem):
        raise CaseFileUnreadable(Problem(0, "", f"line {text.line}: {text.message}"))
    value, faults = _json(text)
    if faults and not (faults[0][0] and isinstance(value, list)):
        path, message = faults[0]
        raise CaseFileUnreadable(Problem(0, _field(path), message))
    if not isinstance(value, list):
        raise CaseFileUnreadable(Problem(0, "", "the body is a JSON array of case files"))
    wrong: dict[int, list[Problem]] = {}
    for path, message in faults:
        wrong.setdefault(path[0] + 1, []).append(Problem(path[0] + 1, _field(path[1:]), message))
    records: list[tuple[int, object]] = []
    for position, doc in enumerate(value, start=1):
        records += [(position, p) for p in wrong.get(position, [])] or [(position, doc)]
    return records
