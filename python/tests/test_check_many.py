"""check_many(): a batch on every core, reports in input order, each what
check() gives for that input alone; failures raised or returned in place."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Union

import pytest

import ediguard
from conftest import EXAMPLES, interchange, interchanges, read_fifo_in_a_thread

NOT_EDI = b"just some notes\n"
# An interchange whose IEA02 disagrees with ISA13: one error finding.
MISMATCHED = interchange(7).replace(b"IEA*1*000000007~", b"IEA*1*000000008~")


@pytest.fixture
def mixed(tmp_path: Path) -> list[Union[bytes, bytearray, memoryview, str, Path]]:
    """Inputs of every accepted type, of very different sizes (so that
    later ones finish first on several threads)."""
    big = tmp_path / "big.x12"
    big.write_bytes(interchanges(3000))
    small = tmp_path / "small.x12"
    small.write_bytes(interchange(5))
    return [
        big,
        interchange(1),
        bytearray(MISMATCHED),
        memoryview(interchanges(20, first=100)),
        str(small),
        EXAMPLES / "iftsta-status.edi",
        interchanges(2000, first=5000),
        EXAMPLES / "eld-T1042.csv",
    ]


@pytest.mark.parametrize("threads", [None, 1, 2, 3, 16])
def test_reports_match_check_in_input_order(
    mixed: list[Union[bytes, bytearray, memoryview, str, Path]], threads: Union[int, None]
) -> None:
    reports = ediguard.check_many(mixed, threads=threads)
    assert len(reports) == len(mixed)
    for data, report in zip(mixed, reports):
        expected = ediguard.check(data)
        assert report.to_json() == expected.to_json()
        assert report.findings == expected.findings
    assert [r.format for r in reports] == ["x12"] * 5 + ["edifact", "x12", "eld"]
    assert reports[0].counts.interchanges == 3000
    assert not reports[2].ok and reports[1].ok


def test_any_iterable_and_empty() -> None:
    reports = ediguard.check_many(interchange(i) for i in range(1, 6))
    assert [r.counts.interchanges for r in reports] == [1] * 5
    assert ediguard.check_many([]) == []
    assert ediguard.check_many(iter(()), threads=4) == []


def test_options_and_keyring_apply_to_every_input() -> None:
    options = ediguard.Options(severity={"control_number_mismatch": "warning"})
    reports = ediguard.check_many([MISMATCHED, MISMATCHED], options, threads=2)
    assert all(r.ok for r in reports)
    assert [f.severity for f in reports[0].findings if f.rule == "control_number_mismatch"] == [
        "warning"
    ]

    secret = bytes(range(50, 90))
    ring = ediguard.KeyRing({"k1": ediguard.Key(secret, partner="sender")})
    # Security segments need syntax version 4 (UNOC:4).
    status = (
        b"UNB+UNOC:4+SENDER+RECEIVER+20240101:1200+1'"
        b"UNH+1+IFTSTA:D:01B:UN'BGM+23+STATUS1+9'UNT+3+1'UNZ+1+1'"
    )
    secured = ediguard.secure_edifact(status, "1", key_id="k1", key=secret)
    tampered = secured.replace(b"BGM+", b"BGM+X", 1)
    assert tampered != secured
    inputs = [secured, tampered, secured]
    reports = ediguard.check_many(inputs, keyring=ring, threads=2)
    for data, report in zip(inputs, reports):
        assert report.to_json() == ediguard.check(data, keyring=ring).to_json()
    assert "security_mac_failed" in [f.rule for f in reports[1].findings]
    unkeyed = ediguard.check_many(inputs[:1])[0]
    assert "security_unverified" in [f.rule for f in unkeyed.findings]
    assert "security_unverified" not in [f.rule for f in reports[0].findings]


def test_first_failure_in_input_order_is_raised(tmp_path: Path) -> None:
    missing = tmp_path / "missing.x12"
    with pytest.raises(ediguard.ParseError) as info:
        ediguard.check_many([interchange(1), NOT_EDI, missing], threads=2)
    assert info.value.kind == "unrecognized"
    with pytest.raises(FileNotFoundError) as not_found:
        ediguard.check_many([interchange(1), missing, NOT_EDI], threads=2)
    assert not_found.value.filename == str(missing)


def test_return_exceptions_keeps_every_place(tmp_path: Path) -> None:
    missing = tmp_path / "missing.x12"
    limited = ediguard.Options(max_input_len=1000)
    results = ediguard.check_many(
        [interchange(1), NOT_EDI, missing, interchanges(50), interchange(2)],
        limited,
        threads=3,
        return_exceptions=True,
    )
    assert len(results) == 5
    first, garbage, absent, too_long, last = results
    assert isinstance(first, ediguard.Report) and first.ok
    assert isinstance(garbage, ediguard.ParseError) and garbage.kind == "unrecognized"
    assert isinstance(absent, FileNotFoundError)
    assert isinstance(too_long, ediguard.LimitError) and too_long.kind == "limit"
    assert isinstance(last, ediguard.Report) and last.counts.interchanges == 1


def test_bad_arguments() -> None:
    for single in (interchange(1), bytearray(b"ISA"), memoryview(b"ISA"), "inbound/a.x12"):
        with pytest.raises(TypeError, match="iterable of inputs"):
            ediguard.check_many(single)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="expected bytes"):
        ediguard.check_many([interchange(1), 42])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        ediguard.check_many(42)  # type: ignore[call-overload]
    for threads in (0, -1):
        with pytest.raises(ValueError, match="threads must be >= 1"):
            ediguard.check_many([interchange(1)], threads=threads)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_the_batch_runs_with_the_interpreter_released(tmp_path: Path) -> None:
    # check_many() on a FIFO blocks reading it until a writer comes: the
    # writer runs only if the batch releases the interpreter.
    fifo = tmp_path / "inbound.fifo"
    os.mkfifo(fifo)
    call = f"ediguard.check_many([interchange(1), {str(fifo)!r}, interchanges(2)], threads=2)"
    counts = read_fifo_in_a_thread(fifo, call, "[x.counts.interchanges for x in r]")
    assert counts == "[1, 3, 2]"
