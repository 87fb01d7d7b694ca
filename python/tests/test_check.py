"""check, detect, rules and Options; the package's public names."""

from __future__ import annotations

import importlib.metadata
import re

import pytest

import ediguard
from conftest import interchange, interchanges

EDIFACT = (
    b"UNA:+.? 'UNB+UNOA:2+SHIPPER+CARRIER+240101:1200+1'"
    b"UNH+1+IFTSTA:D:00B:UN'BGM+23+STATUS1+9'UNT+3+1'UNZ+1+1'"
)
ELD = b"ELD File Header Segment:\r\nDOE,JOHN,D1234567,CA,,0A\r\n"


def test_public_names() -> None:
    assert sorted(ediguard.__all__) == sorted(
        [
            "Component",
            "Counts",
            "Document",
            "EdiguardError",
            "Element",
            "Finding",
            "Group",
            "Interchange",
            "LimitError",
            "Message",
            "Options",
            "ParseError",
            "Report",
            "Segment",
            "ValidationError",
            "__version__",
            "check",
            "check_many",
            "detect",
            "parse",
            "parse_edifact",
            "parse_x12",
            "rules",
            # ELD files, signatures, ledgers and EDIFACT security.
            "EldFile",
            "EldRecord",
            "EldSection",
            "FieldError",
            "Key",
            "KeyRing",
            "Ledger",
            "LedgerError",
            "SignatureError",
            "SqliteLedger",
            "Verified",
            "Verifier",
            "eld_event_check_value",
            "eld_file_check_value",
            "eld_line_check_value",
            "parse_eld",
            "secure_edifact",
            "sign",
            "verify",
            # AUTACK.
            "autack_generate",
            "autack_verify",
        ]
    )
    for name in ediguard.__all__:
        assert getattr(ediguard, name) is getattr(ediguard._native, name)


def test_version_is_the_distribution_version() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", ediguard.__version__)
    assert ediguard.__version__ == importlib.metadata.version("ediguard")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (interchange(1), "x12"),
        (b"\xef\xbb\xbf" + interchange(1), "x12"),
        (b"export header\r\n" + interchange(1), "x12"),
        (EDIFACT, "edifact"),
        (EDIFACT[9:], "edifact"),
        (ELD, "eld"),
    ],
)
def test_detect(data: bytes, expected: str) -> None:
    assert ediguard.detect(data) == expected


def test_check_a_well_formed_interchange() -> None:
    report = ediguard.check(interchanges(3))
    assert report.format == "x12"
    assert report.ok
    assert report.errors == []
    assert report.dropped == 0
    report.raise_for_errors()


def test_default_options_equal_no_options() -> None:
    data = interchanges(2)
    assert ediguard.check(data).to_json() == ediguard.check(data, ediguard.Options()).to_json()
    assert ediguard.check(data, options=None).to_json() == ediguard.check(data).to_json()


@pytest.mark.parametrize("data", [EDIFACT, ELD])
def test_other_formats_give_a_report_of_their_format_or_parse_error(data: bytes) -> None:
    # Until a format's checker is in the build, check() says so with a
    # ParseError; afterwards it returns that format's report.
    try:
        report = ediguard.check(data)
    except ediguard.ParseError as err:
        assert err.kind in ("unrecognized", "malformed")
    else:
        assert report.format == ediguard.detect(data)


def test_rules_table() -> None:
    table = ediguard.rules()
    assert table, "the rule table is empty"
    codes = [code for code, _, _ in table]
    assert len(codes) == len(set(codes))
    for code, severity, summary in table:
        # Snake case; digits appear in codes such as x12_security_*.
        assert re.fullmatch(r"[a-z][a-z0-9_]*", code), code
        assert severity in ("error", "warning", "info")
        assert summary
    as_dict = {code: severity for code, severity, _ in table}
    assert as_dict["missing_trailer"] == "error"
    assert as_dict["leading_junk"] == "warning"
    assert as_dict["byte_order_mark"] == "info"


def test_every_rule_can_be_configured() -> None:
    codes = [code for code, _, _ in ediguard.rules()]
    options = ediguard.Options(severity={c: "warning" for c in codes}, disabled=codes)
    assert options.disabled == frozenset(codes)
    assert set(options.severity) == set(codes)
    assert set(options.severity.values()) == {"warning"}


def test_options_attributes_and_repr() -> None:
    options = ediguard.Options(
        severity={"leading_junk": "error"},
        disabled={"line_breaks", "byte_order_mark"},
        max_findings=10,
        max_input_len=1 << 20,
    )
    assert options.severity == {"leading_junk": "error"}
    assert options.disabled == frozenset({"line_breaks", "byte_order_mark"})
    assert options.max_findings == 10
    assert options.max_input_len == 1 << 20
    assert repr(options) == (
        "Options(severity={'leading_junk': 'error'}, "
        "disabled=['byte_order_mark', 'line_breaks'], max_findings=10, max_input_len=1048576)"
    )
    # The dict handed out is a copy.
    options.severity["line_breaks"] = "error"
    assert options.severity == {"leading_junk": "error"}
    with pytest.raises(AttributeError):
        options.max_findings = 3  # type: ignore[misc]


def test_options_defaults() -> None:
    options = ediguard.Options()
    assert options.severity == {}
    assert options.disabled == frozenset()
    assert options.max_findings == 100_000
    assert options.max_input_len == 16 << 30


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"severity": {"no_such_rule": "error"}}, ValueError, "unknown rule .no_such_rule."),
        ({"severity": {"leading_junk": "fatal"}}, ValueError, "unknown severity"),
        ({"severity": {"leading_junk": 1}}, TypeError, None),
        ({"severity": ["leading_junk"]}, TypeError, "mapping"),
        ({"disabled": ["no_such_rule"]}, ValueError, "unknown rule"),
        ({"disabled": "leading_junk"}, TypeError, "not a str"),
        ({"disabled": 5}, TypeError, None),
        ({"disabled": [5]}, TypeError, None),
        ({"max_findings": -1}, ValueError, "max_findings must be >= 0"),
        ({"max_input_len": -5}, ValueError, "max_input_len must be >= 0"),
        ({"max_findings": "10"}, TypeError, None),
        ({"colour": "red"}, TypeError, None),
    ],
)
def test_options_validation(
    kwargs: dict[str, object], error: type[Exception], match: str | None
) -> None:
    with pytest.raises(error, match=match):
        ediguard.Options(**kwargs)  # type: ignore[arg-type]


def test_options_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        ediguard.Options({"leading_junk": "error"})  # type: ignore[call-arg]


def test_check_rejects_options_of_another_type() -> None:
    with pytest.raises(TypeError):
        ediguard.check(interchange(1), {"max_findings": 1})  # type: ignore[arg-type]
