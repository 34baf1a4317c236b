"""Hostile and careless bytes given to `accords import` and `POST /api/case-files`: each is
refused with the line (and field) named, a message that quotes no more than an excerpt, exit
status 2 or a 422, and nothing written."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accords.audit.models import AuditEntry
from accords.cases.casefile import CSV_COLUMNS
from accords.cases.models import Person
from accords.cases.reading import CaseFileUnreadable, read_case_file_array, read_case_files
from accords.cases.tests.conftest import case_doc

GOOD = json.dumps(case_doc("R-1")).encode()


def _with(text: str) -> bytes:
    """A file whose first line is a good case file and whose second line is `text`."""
    return GOOD + b"\n" + text.encode("utf-8", "surrogatepass") + b"\n"


def _doc_text(**person) -> str:
    return json.dumps(case_doc("R-2", person=person))


DEEP = "[" * 5000 + "]" * 5000
LONG_NUMBER = _doc_text().replace('"format": 1', '"format": ' + "9" * 5000)
DUPLICATE_KEY = _doc_text()[:-1] + ', "case_number": "R-3"}'
HUGE = 50_000_000

HOSTILE_LINES = [
    pytest.param(
        lambda: GOOD + b"\n" + GOOD.replace(b"R-1", b"R-2").replace(b"Test", b"Te\xffst"),
        "cases.jsonl:2: not UTF-8 text: byte 0xff",
        id="invalid-utf8",
    ),
    pytest.param(lambda: _with(DEEP), "cases.jsonl:2: nested more than 16 deep", id="deep"),
    pytest.param(
        lambda: _with(LONG_NUMBER),
        "cases.jsonl:2: format: a number of 5,000 characters is not a whole number",
        id="long-number",
    ),
    pytest.param(
        lambda: _with(_doc_text(given_name="\ud800")),
        "cases.jsonl:2: person.given_name: holds a lone UTF-16 surrogate",
        id="lone-surrogate",
    ),
    pytest.param(
        lambda: _with(_doc_text(family_name="Nul\x00l")),
        "cases.jsonl:2: person.family_name: holds a NUL character",
        id="nul",
    ),
    pytest.param(
        lambda: _with(DUPLICATE_KEY),
        'cases.jsonl:2: the key "case_number" appears twice',
        id="dup-key",
    ),
    pytest.param(
        lambda: _with(_doc_text().replace('"format": 1', '"format": NaN')),
        "cases.jsonl:2: format: NaN is not a JSON number",
        id="nan",
    ),
    pytest.param(
        lambda: _with(_doc_text(given_name="x" * HUGE)),
        f"cases.jsonl:2: the line is {HUGE + len(_doc_text()) - 4:,} bytes; a case file takes",
        id="50MB-value",
    ),
]


def _import(tmp_path, data: bytes, name="cases.jsonl", *args) -> CommandError:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CommandError) as refused:
        call_command("import", str(path), *args)
    return refused.value


@pytest.mark.django_db
@pytest.mark.parametrize("data,message", HOSTILE_LINES)
def test_the_command_names_the_line_of_hostile_bytes_and_writes_nothing(
    tmp_path, capsys, data, message
):
    entries = AuditEntry.objects.count()
    refused = _import(tmp_path, data())
    err = capsys.readouterr().err
    assert refused.returncode == 2
    assert message in err
    assert len(err) < 2_000, "the refused value is echoed"
    assert not Person.objects.exists()
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_a_utf8_byte_order_mark_is_read_as_the_start_of_the_file(tmp_path, capsys):
    path = tmp_path / "cases.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD + b"\n")
    call_command("import", str(path))
    assert "1 created" in capsys.readouterr().out
    path = tmp_path / "cases.csv"
    header = ",".join(CSV_COLUMNS)
    row = "R-9,Bom,Person,1980-01-01,,HN,es" + "," * (len(CSV_COLUMNS) - 7)
    path.write_bytes(b"\xef\xbb\xbf" + f"{header}\n{row}\n".encode())
    call_command("import", str(path))
    assert Person.objects.filter(case_number="R-9").exists()


CSV_HEADER = ",".join(CSV_COLUMNS)
CSV_ROW = "R-1,Csv,Person,1980-01-01,,HN,es" + "," * (len(CSV_COLUMNS) - 7)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text,message",
    [
        pytest.param(
            f"{CSV_HEADER}\n{CSV_ROW},surplus\n",
            f"cases.csv:2: {len(CSV_COLUMNS) + 1} values, but the header names "
            f"{len(CSV_COLUMNS)} columns",
            id="extra-column",
        ),
        pytest.param(
            f"{CSV_HEADER}\n{CSV_ROW.rsplit(',', 3)[0]}\n",
            f"cases.csv:2: {len(CSV_COLUMNS) - 3} values, but the header names",
            id="missing-columns",
        ),
        pytest.param(
            f"{CSV_HEADER}\n{CSV_ROW}\n".replace("Csv", "C\x00sv"),
            "cases.csv:2: given_name: holds a NUL character",
            id="nul",
        ),
        pytest.param(
            f"{CSV_HEADER},case_number\n{CSV_ROW},R-2\n",
            "cases.csv:1: case_number: the column is named twice",
            id="column-twice",
        ),
        pytest.param(
            f"{CSV_HEADER}\n{CSV_ROW}\n".replace("Csv", "Cs\udcfe"),
            "cases.csv:2: not UTF-8 text: byte 0xfe at column 7",
            id="invalid-utf8",
        ),
    ],
)
def test_the_command_refuses_a_csv_row_or_file_it_cannot_read_whole(
    tmp_path, capsys, text, message
):
    data = text.encode("utf-8", "surrogateescape")
    refused = _import(tmp_path, data, "cases.csv")
    assert refused.returncode == 2
    assert message in capsys.readouterr().err
    if message.startswith(("cases.csv:1:", "cases.csv:2: not")):  # the whole file is unreadable
        _import(tmp_path, data, "cases.csv", "--skip-invalid")
    assert not Person.objects.exists()


def _post(client, body: bytes, query=""):
    return client.post(f"/api/case-files{query}", body, content_type="application/json")


def _array(*items: str) -> bytes:
    return ("[" + ",".join(items) + "]").encode("utf-8", "surrogatepass")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body,loc,message",
    [
        pytest.param(b'[{"case_number": "\xff"}]', ["body"], "not UTF-8 text", id="invalid-utf8"),
        pytest.param(DEEP.encode(), ["body"], "nested more than 16 deep", id="deep"),
        pytest.param(
            _array(GOOD.decode(), LONG_NUMBER),
            ["body", 1, "format"],
            "a number of 5,000 characters",
            id="long-number",
        ),  # fmt: skip
        pytest.param(
            _array(_doc_text(given_name="\udc00")),
            ["body", 0, "person", "given_name"],
            "lone UTF-16 surrogate",
            id="lone-surrogate",
        ),  # fmt: skip
        pytest.param(
            _array(_doc_text(given_name="a\x00")),
            ["body", 0, "person", "given_name"],
            "NUL character",
            id="nul",
        ),  # fmt: skip
        pytest.param(
            _array(DUPLICATE_KEY), ["body", 0], 'the key "case_number" appears twice', id="dup-key"
        ),  # fmt: skip
        pytest.param(
            b'{"case_number": "R-1"}', ["body"], "a JSON array of case files", id="not-an-array"
        ),  # fmt: skip
        pytest.param(b"[1, 2", ["body"], "not JSON", id="not-json"),
    ],
)
def test_the_api_names_the_case_file_and_field_of_hostile_bytes_and_writes_nothing(
    login, body, loc, message
):
    officer = login("sending.officer")
    # A body that cannot be read is refused whole, even when invalid case files may be skipped.
    for query in ("", "?skip_invalid=true") if loc == ["body"] else ("",):
        answer = _post(officer, body, query)
        assert answer.status_code == 422, answer.content[:500]
        [detail] = answer.json()["detail"]
        assert detail["loc"] == loc and message in detail["msg"]
    assert not Person.objects.exists()
    assert not AuditEntry.objects.filter(action="case.import_chunk").exists()


@pytest.mark.django_db
def test_the_api_refuses_a_body_over_the_upload_limit_with_a_sentence(login, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    answer = _post(login("sending.officer"), _array(*[GOOD.decode()] * 20))
    assert answer.status_code == 422
    assert "send the case files in parts" in answer.json()["detail"][0]["msg"]


@pytest.mark.django_db
def test_a_long_value_is_quoted_only_as_an_excerpt(login):
    answer = _post(login("sending.officer"), _array(_doc_text(given_name="y" * 200_000)))
    assert answer.status_code == 422
    assert len(answer.content) < 2_000


@given(data=st.one_of(st.binary(), st.text().map(lambda s: s.encode("utf-8", "surrogatepass"))))
@settings(max_examples=300, deadline=None)
def test_reading_any_bytes_ends_in_records_or_a_named_problem(data):
    for read in (
        lambda: read_case_files(data, name="x.jsonl"),
        lambda: read_case_files(data, name="x.csv"),
        lambda: read_case_file_array(data),
    ):
        try:
            records = read()
        except CaseFileUnreadable as unreadable:
            assert unreadable.problem.message
            continue
        assert all(isinstance(line, int) for line, _ in records)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@pytest.mark.django_db
@given(items=st.lists(JSON_VALUES, max_size=3))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_the_api_answers_any_json_body_with_202_or_422(login, items):
    body = json.dumps(items).encode("utf-8", "surrogatepass")
    answer = _post(login("sending.officer"), body)
    assert answer.status_code in (202, 422), answer.content[:500]
