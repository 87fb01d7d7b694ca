"""The exception hierarchy, and the attributes each exception carries."""

from __future__ import annotations

import pytest

import ediguard
from conftest import interchange, make_report


def test_hierarchy() -> None:
    assert issubclass(ediguard.EdiguardError, ValueError)
    for cls in (ediguard.ParseError, ediguard.LimitError, ediguard.ValidationError):
        assert issubclass(cls, ediguard.EdiguardError)
        assert cls.__module__ == "ediguard"
        assert cls.__doc__
    assert not issubclass(ediguard.ParseError, ediguard.LimitError)
    assert not issubclass(ediguard.LimitError, ediguard.ParseError)


@pytest.mark.parametrize(
    ("data", "kind", "offset", "line", "column"),
    [
        (b"hello, world", "unrecognized", 0, 1, 1),
        (b"\x00\x01\x02\x03", "unrecognized", 0, 1, 1),
        (b"<?xml version='1.0'?><shipment/>", "unrecognized", 0, 1, 1),
        (b'{"isa": 1}', "unrecognized", 0, 1, 1),
        (b"\xff\xfeI\x00S\x00A\x00", "unsupported_encoding", 0, 1, 1),
        (b"\xfe\xff\x00I\x00S\x00A", "unsupported_encoding", 0, 1, 1),
        (b"\xc9\xe2\xc1\\\xf0\xf0", "unsupported_encoding", 0, 1, 1),
        # EBCDIC after a UTF-8 byte-order mark: reported past the mark.
        (b"\xef\xbb\xbf\xe4\xd5\xc2+", "unsupported_encoding", 3, 1, 4),
    ],
)
def test_parse_error_attributes(
    data: bytes, kind: str, offset: int, line: int, column: int
) -> None:
    for function in (ediguard.check, ediguard.detect):
        with pytest.raises(ediguard.ParseError) as info:
            function(data)
        err = info.value
        assert err.kind == kind
        assert (err.offset, err.line, err.column) == (offset, line, column)
        assert err.message and err.message in str(err)
        assert str(err).startswith(kind + ":")
        assert f"at byte {offset}" in str(err)
        # Catchable as the base class and as ValueError.
        with pytest.raises(ediguard.EdiguardError):
            function(data)
        with pytest.raises(ValueError):
            function(data)


def test_limit_error_attributes() -> None:
    data = interchange(1)
    with pytest.raises(ediguard.LimitError) as info:
        ediguard.check(data, ediguard.Options(max_input_len=100))
    err = info.value
    assert err.kind == "limit"
    assert (err.offset, err.line, err.column) == (0, 1, 1)
    assert "input length exceeds the limit of 100" in err.message
    assert isinstance(err, ediguard.EdiguardError)
    assert not isinstance(err, ediguard.ParseError)
    # At exactly the limit the input is accepted.
    assert ediguard.check(data, ediguard.Options(max_input_len=len(data))).format == "x12"


def test_truncated_input_gives_report_or_documented_error() -> None:
    data = interchange(42, transactions=2)
    for end in range(len(data) + 1):
        try:
            report = ediguard.check(data[:end])
        except (ediguard.ParseError, ediguard.LimitError):
            continue
        assert report.format == "x12", end


def test_short_prefixes_are_not_recognized() -> None:
    for prefix in (b"", b"I", b"IS", b"ISA"):
        with pytest.raises(ediguard.ParseError) as info:
            ediguard.detect(prefix)
        assert info.value.kind == "unrecognized"


def test_validation_error_carries_the_report() -> None:
    report = make_report(
        interchange(1),
        [
            {"rule": "leading_junk", "offset": 0, "message": "junk"},
            {"rule": "missing_trailer", "offset": 120, "message": "no SE before GE"},
            {"rule": "segment_count_mismatch", "offset": 300, "message": "SE01 is 9"},
        ],
    )
    with pytest.raises(ediguard.ValidationError) as info:
        report.raise_for_errors()
    err = info.value
    assert err.report is report
    assert str(err) == "2 errors; first: missing_trailer at line 1, column 121: no SE before GE"
    assert isinstance(err, ValueError)
