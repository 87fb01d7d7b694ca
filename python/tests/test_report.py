"""Report, Finding and Counts: attributes, conversions and immutability."""

from __future__ import annotations

import json

import pytest

import ediguard
from conftest import interchange, make_report

DATA = b"junk\r\n" + interchange(7)

FINDINGS: list[dict[str, object]] = [
    {"rule": "leading_junk", "offset": 0, "message": "4 bytes before ISA"},
    {"rule": "line_breaks", "offset": 4, "message": "CR LF between segments"},
    {
        "rule": "control_number_mismatch",
        "offset": 400,
        "message": "IEA02 differs from ISA13",
        "segment": 13,
        "element": 2,
        "expected": "000000007",
        "found": "000000008",
    },
    {
        "rule": "invalid_character",
        "offset": 150,
        "message": "control byte in data",
        "segment": 3,
        "element": 4,
        "component": 2,
        "repetition": 1,
    },
    {"rule": "unexpected_segment", "offset": 200, "message": "ELD field", "field": 5},
]


@pytest.fixture
def report() -> ediguard.Report:
    return make_report(DATA, FINDINGS)


def test_findings_keep_order_and_every_attribute(report: ediguard.Report) -> None:
    findings = report.findings
    assert [f.rule for f in findings] == [d["rule"] for d in FINDINGS]
    assert [f.message for f in findings] == [d["message"] for d in FINDINGS]
    assert [f.offset for f in findings] == [d["offset"] for d in FINDINGS]
    assert [f.severity for f in findings] == ["warning", "info", "error", "error", "error"]
    mismatch = findings[2]
    assert (mismatch.segment, mismatch.element) == (13, 2)
    assert (mismatch.component, mismatch.repetition, mismatch.field) == (None, None, None)
    assert (mismatch.expected, mismatch.found) == ("000000007", "000000008")
    char = findings[3]
    assert (char.segment, char.element, char.component, char.repetition) == (3, 4, 2, 1)
    assert (char.expected, char.found) == (None, None)
    assert findings[4].field == 5
    assert findings[4].segment is None


def test_line_and_column_are_resolved_from_the_offset(report: ediguard.Report) -> None:
    junk, breaks, mismatch = report.findings[:3]
    assert (junk.line, junk.column) == (1, 1)
    assert (breaks.line, breaks.column) == (1, 5)
    # The interchange starts on line 2, after "junk\r\n" (6 bytes).
    assert (mismatch.line, mismatch.column) == (2, 400 - 6 + 1)


def test_ok_errors_and_counts_by_severity(report: ediguard.Report) -> None:
    assert not report.ok
    assert [f.rule for f in report.errors] == [
        "control_number_mismatch",
        "invalid_character",
        "unexpected_segment",
    ]
    assert report.count("error") == 3
    assert report.count("warning") == 1
    assert report.count("info") == 1
    with pytest.raises(ValueError, match="unknown severity"):
        report.count("fatal")
    assert len(report) == 5
    assert list(report) == report.findings
    assert report.format == "x12"
    assert report.dropped == 0


def test_a_report_without_errors_is_ok() -> None:
    report = make_report(DATA, FINDINGS[:2])
    assert report.ok
    assert report.errors == []
    assert len(report) == 2
    report.raise_for_errors()  # returns without raising


def test_to_dict_is_the_json(report: ediguard.Report) -> None:
    as_dict = report.to_dict()
    assert as_dict == json.loads(report.to_json())
    assert as_dict["format"] == "x12"
    assert as_dict["dropped"] == 0
    assert as_dict["counts"] == report.counts.to_dict()
    assert [f["rule"] for f in as_dict["findings"]] == [d["rule"] for d in FINDINGS]
    assert as_dict["findings"] == [f.to_dict() for f in report.findings]
    mismatch = as_dict["findings"][2]
    assert mismatch == {
        "rule": "control_number_mismatch",
        "severity": "error",
        "message": "IEA02 differs from ISA13",
        "location": {"offset": 400, "line": 2, "column": 395, "segment": 13, "element": 2},
        "expected": "000000007",
        "found": "000000008",
    }


def test_counts_attributes_match_the_dict(report: ediguard.Report) -> None:
    counts = report.counts
    assert counts.to_dict() == {
        "interchanges": counts.interchanges,
        "groups": counts.groups,
        "messages": counts.messages,
        "segments": counts.segments,
    }
    assert counts == report.counts
    assert repr(counts).startswith("Counts(interchanges=")


def test_findings_compare_by_value(report: ediguard.Report) -> None:
    again = make_report(DATA, FINDINGS)
    assert report.findings == again.findings
    assert report.findings[0] != report.findings[1]
    assert report.findings[0] != "leading_junk"


def test_reprs(report: ediguard.Report) -> None:
    assert repr(report) == (
        "<Report format=x12 ok=False findings=5 errors=3 warnings=1 infos=1 dropped=0>"
    )
    assert repr(report.findings[2]) == (
        "Finding(rule='control_number_mismatch', severity='error', offset=400, line=2, "
        'column=395, segment=13, element=2, message="IEA02 differs from ISA13")'
    )


def test_classes_are_immutable(report: ediguard.Report) -> None:
    with pytest.raises(AttributeError):
        report.ok = True  # type: ignore[misc]
    with pytest.raises(AttributeError):
        report.findings[0].rule = "other"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        report.counts.segments = 1  # type: ignore[misc]
    # The list handed out is a copy: changing it leaves the report alone.
    findings = report.findings
    findings.clear()
    assert len(report.findings) == 5
    with pytest.raises(TypeError):
        ediguard.Report()
    with pytest.raises(TypeError):
        ediguard.Finding()


def test_max_findings_drops_and_counts(report: ediguard.Report) -> None:
    capped = make_report(DATA, FINDINGS, ediguard.Options(max_findings=2))
    assert [f.rule for f in capped.findings] == ["leading_junk", "line_breaks"]
    assert capped.dropped == 3
    assert capped.to_dict()["dropped"] == 3
    assert "dropped=3" in repr(capped)
    # Dropped findings are not judged: only kept ones count for ok.
    assert capped.ok


def test_severity_overrides_and_disabled_rules_apply() -> None:
    options = ediguard.Options(
        severity={"leading_junk": "error", "control_number_mismatch": "info"},
        disabled=["invalid_character", "line_breaks"],
    )
    report = make_report(DATA, FINDINGS, options)
    assert [(f.rule, f.severity) for f in report.findings] == [
        ("leading_junk", "error"),
        ("control_number_mismatch", "info"),
        ("unexpected_segment", "error"),
    ]
    assert report.dropped == 0


def test_raise_for_errors_names_the_first_error(report: ediguard.Report) -> None:
    with pytest.raises(ediguard.ValidationError, match="^3 errors; first: control_number_mismatch") as info:
        report.raise_for_errors()
    assert info.value.report is report
    single = make_report(DATA, FINDINGS[2:3])
    with pytest.raises(ediguard.ValidationError, match="^1 error; first:"):
        single.raise_for_errors()
