"""parse, parse_x12, parse_edifact and Document: input forms, format
selection, documented exceptions, to_rows() against the views, spans that
slice the input, check(), and every corpus file."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any, Callable, Literal, Union

import pytest

import ediguard
from conftest import CORPORA, EXAMPLES, interchange

SAMPLES = ["204-load-tender.x12", "214-status.x12", "iftsta-status.edi", "cuscar-manifest.edi"]
Row = tuple[int, int, str, int, int, tuple[bytes, ...]]


def sample(name: str) -> bytes:
    return (EXAMPLES / name).read_bytes()


def walked_rows(doc: ediguard.Document) -> list[Row]:
    """The rows `to_rows()` promises, built by walking the views one call
    at a time."""
    rows: list[Row] = []
    for ic in doc.interchanges:
        for seg in ic.segments:
            rows.append(
                (
                    ic.index,
                    seg.ordinal,
                    seg.tag,
                    seg.span[0],
                    seg.span[1],
                    tuple(e.value for e in seg.elements),
                )
            )
    return rows


def assert_spans_slice(doc: ediguard.Document, data: bytes) -> None:
    """Every view's span slices the input to the view's own bytes."""
    for ic in doc.interchanges:
        start, end = ic.span
        assert data[start:end] == ic.as_bytes()
        for group in ic.groups:
            start, end = group.span
            assert data[start:end] == group.as_bytes()
            assert group.interchange_index == ic.index
        for msg in ic.messages:
            start, end = msg.span
            assert data[start:end] == msg.as_bytes()
            segs = msg.segments
            assert segs and msg.span == (segs[0].span[0], segs[-1].span[1])
        for seg in ic.segments:
            start, end = seg.span
            assert start == seg.offset
            assert data[start:end] == seg.as_bytes()
            assert ic.span[0] <= start <= end <= ic.span[1]
            assert seg.as_bytes().startswith(seg.tag.encode("latin-1", "replace")[:1])
            for el in seg.elements:
                start, end = el.span
                assert data[start:end] == el.raw
                assert seg.span[0] < start <= end <= seg.span[1]
                for comp in el.components:
                    start, end = comp.span
                    assert data[start:end] == comp.raw
                    assert el.span[0] <= start <= end <= el.span[1]


# --- parse functions ------------------------------------------------------


@pytest.mark.parametrize("name", SAMPLES)
def test_parse_detects_the_format(name: str) -> None:
    data = sample(name)
    doc = ediguard.parse(data)
    expected = "x12" if name.endswith(".x12") else "edifact"
    assert doc.format == expected
    assert ediguard.detect(data) == expected
    assert len(doc.interchanges) == 1
    assert doc.to_rows() == walked_rows(doc)
    assert_spans_slice(doc, data)


@pytest.mark.parametrize("name", SAMPLES)
def test_explicit_format_and_format_functions_agree(name: str) -> None:
    data = sample(name)
    fmt: Literal["x12", "edifact"] = "x12" if name.endswith(".x12") else "edifact"
    parse_fn: Callable[[bytes], ediguard.Document] = (
        ediguard.parse_x12 if fmt == "x12" else ediguard.parse_edifact
    )
    rows = ediguard.parse(data).to_rows()
    assert ediguard.parse(data, fmt).to_rows() == rows
    assert ediguard.parse(data, format=fmt).to_rows() == rows
    assert parse_fn(data).to_rows() == rows


def test_the_wrong_format_raises_parse_error() -> None:
    with pytest.raises(ediguard.ParseError) as x12_err:
        ediguard.parse_x12(sample("iftsta-status.edi"))
    assert x12_err.value.kind == "unrecognized"
    with pytest.raises(ediguard.ParseError) as edi_err:
        ediguard.parse(sample("204-load-tender.x12"), format="edifact")
    assert edi_err.value.kind == "unrecognized"


@pytest.mark.parametrize("fmt", ["ELD", "X12", "csv", ""])
def test_unknown_format_raises_value_error(fmt: str) -> None:
    with pytest.raises(ValueError, match="format must be"):
        ediguard.parse(sample("204-load-tender.x12"), fmt)  # type: ignore[call-overload]


def test_input_forms_give_the_same_document(tmp_path: Path) -> None:
    data = sample("214-status.x12")
    path = tmp_path / "214.x12"
    path.write_bytes(data)
    rows = ediguard.parse(data).to_rows()
    forms: dict[str, Any] = {
        "bytearray": bytearray(data),
        "memoryview": memoryview(data),
        "memoryview slice": memoryview(b"xx" + data + b"yy")[2:-2],
        "str path": str(path),
        "pathlib.Path": path,
    }
    for name, form in forms.items():
        doc = ediguard.parse(form)
        assert doc.to_rows() == rows, name
        assert doc.as_bytes() == data, name


def test_as_bytes_is_the_given_bytes_object() -> None:
    data = sample("204-load-tender.x12")
    assert ediguard.parse(data).as_bytes() is data


def test_a_bytearray_changed_after_parsing_does_not_change_the_document() -> None:
    data = bytearray(sample("204-load-tender.x12"))
    doc = ediguard.parse(data)
    before = doc.to_rows()
    data[110:112] = b"XX"
    assert doc.to_rows() == before
    assert doc.segments[1].tag == "GS"


@pytest.mark.parametrize("bad", [42, None, ["ISA"], 3.5])
def test_other_types_raise_type_error(bad: object) -> None:
    with pytest.raises(TypeError):
        ediguard.parse(bad)  # type: ignore[call-overload]


def test_not_edi_raises_parse_error_with_a_location() -> None:
    with pytest.raises(ediguard.ParseError) as info:
        ediguard.parse(b"%PDF-1.7\nnot an interchange\n")
    err = info.value
    assert isinstance(err, ediguard.EdiguardError) and isinstance(err, ValueError)
    assert err.kind == "unrecognized"
    assert (err.offset, err.line, err.column) == (0, 1, 1)


def test_utf16_raises_parse_error() -> None:
    with pytest.raises(ediguard.ParseError) as info:
        ediguard.parse("ISA*00*".encode("utf-16"))
    assert info.value.kind == "unsupported_encoding"


def test_an_isa_too_short_for_its_delimiters_is_malformed() -> None:
    with pytest.raises(ediguard.ParseError) as info:
        ediguard.parse_x12(b"ISA*00*short~")
    assert info.value.kind == "malformed"
    assert info.value.offset == 0


def test_eld_input_parses_into_an_eld_file() -> None:
    data = b"ELD File Header Segment:\nSMITH,JOHN,,,\n"
    assert ediguard.detect(data) == "eld"
    eld = ediguard.parse(data)
    assert isinstance(eld, ediguard.EldFile)
    assert eld.records[0].fields == ["SMITH", "JOHN", "", "", ""]
    assert ediguard.parse(data, format="eld").to_rows() == eld.to_rows()


def test_a_segment_over_the_length_limit_raises_limit_error() -> None:
    head = interchange(1).split(b"~")[0] + b"~"
    data = head + b"NTE*" + b"A" * (16 << 20) + b"~IEA*0*000000001~"
    with pytest.raises(ediguard.LimitError) as info:
        ediguard.parse(data)
    assert info.value.kind == "limit"
    assert info.value.offset == len(head)


def test_a_missing_path_raises_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        ediguard.parse(tmp_path / "missing.x12")


# --- Document -------------------------------------------------------------


def test_document_len_segments_and_rows_agree() -> None:
    doc = ediguard.parse(ediguard_bytes := interchange(7, transactions=3))
    rows = doc.to_rows()
    assert len(doc) == len(doc.segments) == len(rows) == 2 + 3 * 9 + 2
    assert [s.tag for s in doc.segments] == [r[2] for r in rows]
    assert doc.as_bytes() is ediguard_bytes


def test_to_rows_shape() -> None:
    data = interchange(12)
    rows = ediguard.parse(data).to_rows()
    first = rows[0]
    assert isinstance(first, tuple) and len(first) == 6
    ic, ordinal, tag, offset, end, elements = first
    assert (ic, ordinal, tag, offset, end) == (0, 0, "ISA", 0, 105)
    assert isinstance(elements, tuple) and len(elements) == 16
    assert elements[12] == b"000000012"
    assert all(isinstance(e, bytes) for e in elements)
    assert rows[2] == (0, 2, "ST", rows[2][3], rows[2][4], (b"204", b"0001"))
    assert data[rows[2][3] : rows[2][4]] == b"ST*204*0001"
    assert rows[-1][2:] == ("IEA", len(data) - 16, len(data) - 1, (b"1", b"000000012"))


def test_to_rows_over_several_interchanges_numbers_each() -> None:
    data = interchange(1) + b"\n" + interchange(2, transactions=2)
    doc = ediguard.parse(data)
    rows = doc.to_rows()
    assert rows == walked_rows(doc)
    assert [r[0] for r in rows].count(0) == 13
    assert [r[0] for r in rows].count(1) == 22
    second = [r for r in rows if r[0] == 1]
    assert [r[1] for r in second] == list(range(22))
    assert second[0][3] == len(interchange(1)) + 1
    assert_spans_slice(doc, data)


def test_to_rows_values_are_unescaped_for_edifact() -> None:
    data = sample("cuscar-manifest.edi")
    rows = ediguard.parse(data).to_rows()
    ftx = [r for r in rows if r[2] == "FTX"]
    assert len(ftx) == 1
    assert ftx[0][5] == (b"AAA", b"", b"", b"Paper towels: 22 pallets, 18,400 lb")
    assert data[ftx[0][3] : ftx[0][4]] == b"FTX+AAA+++Paper towels?: 22 pallets, 18,400 lb"


@pytest.mark.parametrize("name", SAMPLES)
def test_document_check_is_ediguard_check(name: str) -> None:
    data = sample(name)
    doc = ediguard.parse(data)
    assert doc.check().to_json() == ediguard.check(data).to_json()
    options = ediguard.Options(disabled=["line_breaks"], max_findings=1)
    assert doc.check(options).to_json() == ediguard.check(data, options).to_json()
    assert doc.check(options=options).to_json() == ediguard.check(data, options).to_json()


def test_document_check_raises_limit_error_from_options() -> None:
    doc = ediguard.parse(interchange(1))
    with pytest.raises(ediguard.LimitError):
        doc.check(ediguard.Options(max_input_len=10))


def test_document_repr() -> None:
    doc = ediguard.parse(sample("iftsta-status.edi"))
    assert repr(doc) == (
        f"<Document format=edifact interchanges=1 segments=29 bytes={len(sample('iftsta-status.edi'))}>"
    )


def test_views_keep_their_document_alive() -> None:
    data = bytes(sample("214-status.x12"))
    doc = ediguard.parse(data)
    seg = doc.interchanges[0].messages[0].segments[1]
    el = seg[1]
    comp = el.component(1)
    ic = doc.interchanges[0]
    del doc, data
    gc.collect()
    assert seg.tag == "B10"
    assert el.value == b"PRO554410"
    assert comp is not None and comp.value == b"PRO554410"
    assert ic.sender_id == "NLFX"


# --- corpora --------------------------------------------------------------

FILES = sorted(
    p
    for sub in ("x12", "edifact")
    if (CORPORA / sub).is_dir()
    for p in (CORPORA / sub).iterdir()
    if p.is_file()
)


def test_edi_corpora_are_present() -> None:
    if not CORPORA.is_dir():
        pytest.skip(f"{CORPORA} is absent: corpus tests skipped")
    assert FILES, f"{CORPORA} holds no X12 or EDIFACT sample files"


def outcome(data: Union[bytes, Path]) -> Union[ediguard.Document, str]:
    try:
        return ediguard.parse(data)
    except (ediguard.ParseError, ediguard.LimitError) as err:
        assert err.kind in ("unrecognized", "unsupported_encoding", "malformed", "limit")
        assert err.offset >= 0 and err.line >= 1 and err.column >= 1
        return f"{type(err).__name__}:{err.kind}:{err.offset}"


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_corpus_file_parses_or_raises_a_documented_exception(path: Path) -> None:
    data = path.read_bytes()
    got = outcome(data)
    from_path = outcome(path)
    try:
        report: Union[ediguard.Report, str] = ediguard.check(data)
    except (ediguard.ParseError, ediguard.LimitError) as err:
        report = f"{type(err).__name__}:{err.kind}:{err.offset}"
    if isinstance(got, str):
        # What parse cannot read, check cannot either, for the same reason.
        assert from_path == got
        assert report == got
        return
    assert isinstance(from_path, ediguard.Document)
    assert from_path.to_rows() == got.to_rows()
    assert isinstance(report, ediguard.Report)
    assert got.format == report.format
    assert got.check().to_json() == report.to_json()
    # Counts: interchanges with a header (a run of bare EDIFACT messages is
    # no interchange to the report), groups, messages and segments.
    counts = report.counts
    assert sum(ic.header is not None for ic in got.interchanges) == counts.interchanges
    assert sum(len(ic.groups) for ic in got.interchanges) == counts.groups
    assert sum(len(ic.messages) for ic in got.interchanges) == counts.messages
    assert len(got) == counts.segments
    assert got.to_rows() == walked_rows(got)
    assert_spans_slice(got, data)
    for ic in got.interchanges:
        assert [s.ordinal for s in ic.segments] == list(range(len(ic.segments)))
        for msg in ic.messages:
            header = msg.header
            assert header is not None and header.tag in ("ST", "UNH")
            trailer = msg.trailer
            assert trailer is None or trailer.tag in ("SE", "UNT")
        for group in ic.groups:
            assert group.header is not None and group.header.tag in ("GS", "UNG")
            assert set(m.span for m in group.messages) <= set(m.span for m in ic.messages)


def corpus(name: str) -> bytes:
    for sub in ("x12", "edifact"):
        path = CORPORA / sub / name
        if path.is_file():
            return path.read_bytes()
    pytest.skip(f"{name} is absent from {CORPORA}")


def test_corpus_three_interchanges() -> None:
    doc = ediguard.parse(corpus("staedi__x12__simple997-multiple-interchanges.edi"))
    assert len(doc.interchanges) == 3
    assert [ic.index for ic in doc.interchanges] == [0, 1, 2]
    assert all(ic.version == "00501" for ic in doc.interchanges)
    assert [len(ic.messages) for ic in doc.interchanges] == [1, 1, 1]
    assert all(ic.messages[0].id == "997" for ic in doc.interchanges)


def test_corpus_two_groups_three_sets() -> None:
    doc = ediguard.parse(corpus("staedi__x12__invoice810_po850_dual.edi"))
    (ic,) = doc.interchanges
    assert len(ic.groups) == 2
    assert [g.id for g in ic.groups] == ["IN", "PO"]
    assert [m.id for m in ic.transaction_sets] == ["810", "810", "850"]
    assert [[m.id for m in g.transaction_sets] for g in ic.groups] == [["810", "810"], ["850"]]
    assert [m.span for m in ic.messages] == [m.span for g in ic.groups for m in g.messages]


def test_corpus_multibyte_terminator() -> None:
    data = corpus("staedi__x12__issue109__ts214_ellipses_segterm.edi")
    doc = ediguard.parse(data)
    (msg,) = doc.interchanges[0].messages
    assert msg.id == "214"
    for seg in doc.segments:
        assert "\u2026".encode() not in seg.as_bytes()
        assert data[seg.span[1] : seg.span[1] + 3] == "\u2026".encode()


def test_corpus_newline_terminator_and_backquote_repetition() -> None:
    doc = ediguard.parse(corpus("staedi__x12__sample837-HL-nested.edi"))
    (ic,) = doc.interchanges
    assert ic.version == "00501"
    assert [m.id for m in ic.messages] == ["837", "837"]
    assert all(b"\n" not in s.as_bytes() for s in doc.segments)


def test_corpus_edifact_group() -> None:
    doc = ediguard.parse(corpus("staedi__EDIFACT__orders-with-group.edi"))
    (ic,) = doc.interchanges
    (group,) = ic.groups
    assert group.id == "ORDERS"
    assert group.version == "D:96A:EAN008A:IGNORED"
    assert group.control_number == "1"
    assert group.sender_id == "5400110000009"
    assert [m.type for m in group.messages] == ["ORDERS"]
    assert group.header is not None and group.header.tag == "UNG"
    assert group.trailer is not None and group.trailer.tag == "UNE"
    assert ic.syntax_identifier == "UNOA" and ic.version == "3"
