"""ELD output files: parse_eld / parse(format="eld"), sections, records,
typed accessors, to_rows(), FieldError, and the three check values."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

import ediguard
from conftest import EXAMPLES

CLEAN = EXAMPLES / "eld-T1042.csv"
TAMPERED = EXAMPLES / "eld-T1042-tampered.csv"


def with_check_value(body: str) -> str:
    """`body` plus a comma and its line data check value (two hex digits)."""
    return f"{body},{ediguard.eld_line_check_value(body + ','):02X}"


def small_file(event: str) -> bytes:
    """A file whose event list holds one line `event` (check value added)."""
    lines = [
        "ELD File Header Segment:",
        with_check_value("Smith,John,jsmith,CT,W8569238"),
        "User List:",
        with_check_value("1,D,Smith,John"),
        "ELD Event List:",
        with_check_value(event),
    ]
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


def test_parse_eld_and_parse_agree() -> None:
    data = CLEAN.read_bytes()
    eld = ediguard.parse_eld(data)
    assert isinstance(eld, ediguard.EldFile)
    assert eld.format == "eld"
    assert ediguard.parse(data, format="eld").to_rows() == eld.to_rows()
    detected = ediguard.parse(data)
    assert isinstance(detected, ediguard.EldFile)
    assert detected.to_rows() == eld.to_rows()
    assert ediguard.parse_eld(CLEAN).to_rows() == eld.to_rows()
    assert ediguard.parse_eld(str(CLEAN)).as_bytes() == data
    assert eld.as_bytes() is data


def test_sections_of_the_clean_sample() -> None:
    eld = ediguard.parse_eld(CLEAN)
    kinds = [s.kind for s in eld.sections]
    assert kinds == [
        "header",
        "user_list",
        "cmv_list",
        "event_list",
        "annotations",
        "certifications",
        "malfunctions",
        "login_logout",
        "engine_power",
        "unidentified",
        "end_of_file",
    ]
    header = eld.sections[0]
    assert header.title == "ELD File Header Segment:"
    assert header.title_match == "exact"
    assert len(header) == 7
    assert [r.layout for r in header.records] == [f"header_{n}" for n in range(1, 8)]
    users = eld.section("user_list")
    assert users is not None
    assert [r.fields[2] for r in users.records] == ["Whitaker", "Unidentified"]
    assert [r.order_number() for r in users.records] == [1, 2]
    annotations = eld.section("annotations")
    assert annotations is not None and len(annotations) == 0
    assert annotations.records == []
    end = eld.section("end_of_file")
    assert end is not None and end.records[0].fields == ["4FDD"]
    with pytest.raises(ValueError, match="unknown section kind"):
        eld.section("events")
    assert eld.line_count == 120
    assert not eld.has_bom
    # Every line that is not a title is a record.
    assert len(eld) == len(eld.records) == 120 - len(eld.sections)
    assert sum(len(s) for s in eld.sections) == len(eld)


def test_typed_values_of_a_known_event() -> None:
    eld = ediguard.parse_eld(CLEAN)
    events = eld.section("event_list")
    assert events is not None
    rec = events.records[1]
    text = "1A9D,1,2,1,4,111726,143500,306,7.0,38.19,-85.66,0,1,1,0,0,C6,EB"
    assert rec.fields == text.split(",")
    assert rec.line == 16
    data = CLEAN.read_bytes()
    start, end = rec.span
    assert rec.offset == start
    assert data[start:end] == text.encode() == rec.as_bytes()
    assert rec.section == "event_list"
    assert rec.layout == "event"
    assert rec.field(1) == "1A9D"
    assert rec.field(18) == "EB"
    assert rec.field(19) is None
    assert len(rec) == 18
    assert rec.sequence_id() == 0x1A9D
    assert rec.record_status() == 1
    assert rec.record_origin() == 2
    assert rec.event_type() == 1
    assert rec.event_code() == 4
    assert rec.date() == datetime.date(2026, 11, 17)
    assert rec.time() == datetime.time(14, 35, 0)
    assert rec.vehicle_miles() == 306
    assert rec.engine_hours() == pytest.approx(7.0)
    assert rec.latitude() == pytest.approx(38.19)
    assert rec.longitude() == pytest.approx(-85.66)
    assert rec.cmv_order() == 1
    assert rec.user_order() == 1
    assert rec.event_check_value() == 0xC6
    assert rec.line_check_value() == 0xEB
    assert rec.computed_line_check_value() == 0xEB
    assert "line=16" in repr(rec) and "1A9D" in repr(rec)


def test_header_line_values() -> None:
    eld = ediguard.parse_eld(CLEAN)
    # Header line 6: date, time, latitude, longitude, miles, engine hours.
    line6 = eld.sections[0].records[5]
    assert line6.date() == datetime.date(2026, 11, 17)
    assert line6.time() == datetime.time(16, 0, 0)
    assert line6.vehicle_miles() == 413857
    assert line6.engine_hours() == pytest.approx(15267.9)


def test_every_line_check_value_of_the_clean_sample_matches() -> None:
    eld = ediguard.parse_eld(CLEAN)
    checked = 0
    for section in eld.sections:
        if section.kind == "end_of_file":
            continue
        for rec in section.records:
            assert rec.line_check_value() == rec.computed_line_check_value(), rec
            checked += 1
    assert checked == len(eld) - 1


def test_tampered_sample_is_flagged() -> None:
    report = ediguard.check(TAMPERED)
    assert report.format == "eld"
    mismatches = [f for f in report.findings if f.rule == "line_check_value_mismatch"]
    assert mismatches, report.findings
    # The edited miles (6 -> 9) are on line 25; its written value no longer
    # matches the recomputed one.
    assert 25 in [f.line for f in mismatches]
    tampered = ediguard.parse_eld(TAMPERED)
    rec = next(r for r in tampered.records if r.line == 25)
    assert rec.vehicle_miles() == 9
    assert rec.line_check_value() != rec.computed_line_check_value()
    assert tampered.check().to_json() == report.to_json()
    assert ediguard.parse_eld(CLEAN).check().ok


def test_special_coordinates_and_bad_fields() -> None:
    event = "1,1,1,1,1,011526,256000,12,,X,M,0,1,1,0,0,00"
    data = small_file(event)
    eld = ediguard.parse(data, format="eld")
    rec = eld.records[-1]
    assert rec.section == "event_list"
    assert rec.latitude() == "X"
    assert rec.longitude() == "M"
    assert rec.date() == datetime.date(2026, 1, 15)
    assert rec.vehicle_miles() == 12
    # A bad field raises from its own accessor only.
    with pytest.raises(ediguard.FieldError) as info:
        rec.time()
    assert info.value.reason == "out_of_range"
    assert info.value.field == 7
    assert info.value.line == rec.line == 6
    assert isinstance(info.value, ValueError)
    with pytest.raises(ediguard.FieldError) as blank:
        rec.engine_hours()
    assert blank.value.reason == "blank"
    assert blank.value.field == 9
    # A user-list line has no event type: absent.
    user = eld.records[1]
    with pytest.raises(ediguard.FieldError) as absent:
        user.event_type()
    assert absent.value.reason == "absent"
    assert absent.value.field is None
    assert user.order_number() == 1
    # to_rows() carries the same fields, and E reads as a malfunction.
    malfunction = small_file("1,1,1,1,1,011526,120000,12,1.0,E,E,0,1,1,0,0,00")
    rec2 = ediguard.parse_eld(malfunction).records[-1]
    assert (rec2.latitude(), rec2.longitude()) == ("E", "E")
    assert rec2.time() == datetime.time(12, 0)
    assert rec2.engine_hours() == pytest.approx(1.0)


def test_syntax_errors_in_fields() -> None:
    rec = ediguard.parse_eld(small_file("ZZZZZ,9,1,1,1,1326,120000,x,1.23,91.00,-72.9,0,1,1,0,0,GG")).records[-1]
    for accessor, reason in [
        (rec.sequence_id, "syntax"),
        (rec.record_status, "out_of_range"),
        (rec.date, "syntax"),
        (rec.vehicle_miles, "syntax"),
        (rec.engine_hours, "syntax"),
        (rec.latitude, "out_of_range"),
        (rec.event_check_value, "syntax"),
    ]:
        with pytest.raises(ediguard.FieldError) as info:
            accessor()
        assert info.value.reason == reason, accessor
    assert rec.longitude() == pytest.approx(-72.9)
    assert rec.event_type() == 1


def test_to_rows() -> None:
    eld = ediguard.parse_eld(CLEAN)
    rows = eld.to_rows()
    assert len(rows) == len(eld)
    for row, rec in zip(rows, eld.records):
        assert row == (rec.section, rec.line, rec.span[0], rec.span[1], tuple(rec.fields))
    assert rows[0] == ("header", 2, len("ELD File Header Segment:\r\n"), rows[0][3], ("Whitaker", "Dale", "dwhitaker", "OH", "WH123456", "0E"))


def test_lines_before_a_title_and_unknown_titles() -> None:
    data = b"stray,line\nMy Section:\na,b\nELD Event List:\n"
    eld = ediguard.parse_eld(data)
    first, unknown, events = eld.sections
    assert first.kind is None and first.title is None and first.title_match == "none"
    assert first.records[0].fields == ["stray", "line"]
    assert first.records[0].layout is None
    assert unknown.kind is None and unknown.title == "My Section:"
    assert unknown.title_match == "unknown"
    assert events.kind == "event_list" and len(events) == 0
    assert eld.to_rows()[1] == (None, 3, 23, 26, ("a", "b"))
    assert "sections=3" in repr(eld)
    assert "EldSection" in repr(unknown)


def test_check_values() -> None:
    # Vectors of the crate's documentation (eld-spec.md §3.5).
    assert ediguard.eld_line_check_value(b"") == 0x96
    assert ediguard.eld_line_check_value(b"SMITH,JOHN") == 0xB6
    assert ediguard.eld_line_check_value("Smith,John,jsmith,CT,W8569238,") == 0x40
    assert ediguard.eld_line_check_value(b"1.5,") == ediguard.eld_line_check_value(b"105,")
    elements: list[bytes | str] = [b"1", b"1", b"090426", b"060000", b"45", b"1.5", b"41.32", b"-72.93", b"101", "jsmith"]
    assert ediguard.eld_event_check_value(elements) == 0x26
    assert ediguard.eld_event_check_value([b""] * 10) == 0xC3
    assert ediguard.eld_file_check_value([]) == 0x969C
    assert ediguard.eld_file_check_value([0xFF, 0xFF]) == 0x9E6B
    assert ediguard.eld_file_check_value(iter([0xFF] * 300)) == 0xC73A
    with pytest.raises(ValueError, match="0 to 255"):
        ediguard.eld_file_check_value([256])
    with pytest.raises(ValueError):
        ediguard.eld_file_check_value([-1])


def test_file_check_value_of_the_sample() -> None:
    eld = ediguard.parse_eld(CLEAN)
    values = [
        rec.line_check_value()
        for section in eld.sections
        if section.kind != "end_of_file"
        for rec in section.records
    ]
    end = eld.section("end_of_file")
    assert end is not None
    assert f"{ediguard.eld_file_check_value(values):04X}" == end.records[0].fields[0]


def test_path_errors_and_limits(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        ediguard.parse_eld(tmp_path / "missing.csv")
    with pytest.raises(TypeError):
        ediguard.parse_eld(42)  # type: ignore[arg-type]


def test_views_keep_the_file_alive() -> None:
    rec = ediguard.parse_eld(CLEAN.read_bytes()).records[11]
    section = ediguard.parse_eld(CLEAN).sections[3]
    assert rec.sequence_id() == 0x1A9D
    assert section.kind == "event_list"
