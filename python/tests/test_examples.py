"""examples/python/validate_folder.py on a folder of inbound files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, interchange

SCRIPT = ROOT / "examples" / "python" / "validate_folder.py"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=60
    )


def test_validate_folder(tmp_path: Path) -> None:
    inbound = tmp_path / "inbound"
    inbound.mkdir()
    (inbound / "a-load-tender.x12").write_bytes(interchange(1))
    (inbound / "b-two-tenders.x12").write_bytes(interchange(2, transactions=2))
    (inbound / "c-invoice.pdf").write_bytes(b"%PDF-1.7\n")
    (inbound / "d-utf16.edi").write_bytes("ISA*00*".encode("utf-16"))
    out = tmp_path / "reports.jsonl"

    result = run(str(inbound), "--out", str(out))

    assert result.returncode == 1, result.stderr  # two files are unreadable
    lines = result.stdout.splitlines()
    assert len(lines) == 5
    assert lines[0].startswith(f"OK   {inbound / 'a-load-tender.x12'} (x12): 0 errors")
    assert lines[1].startswith(f"OK   {inbound / 'b-two-tenders.x12'} (x12): 0 errors")
    assert lines[2].startswith(f"UNREADABLE {inbound / 'c-invoice.pdf'}: unrecognized:")
    assert lines[3].startswith(f"UNREADABLE {inbound / 'd-utf16.edi'}: unsupported_encoding:")
    assert lines[4] == f"4 files checked, report written to {out}"

    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [Path(r["path"]).name for r in records] == [
        "a-load-tender.x12",
        "b-two-tenders.x12",
        "c-invoice.pdf",
        "d-utf16.edi",
    ]
    assert records[0]["format"] == "x12" and records[0]["ok"] is True
    assert records[0]["report"]["format"] == "x12"
    assert records[0]["report"]["findings"] == []
    assert records[2]["error"]["type"] == "ParseError"
    assert records[2]["error"]["kind"] == "unrecognized"
    assert (records[2]["error"]["line"], records[2]["error"]["column"]) == (1, 1)
    assert records[3]["error"]["kind"] == "unsupported_encoding"


def test_validate_folder_all_good_exits_zero(tmp_path: Path) -> None:
    for n in range(1, 4):
        (tmp_path / f"{n}.x12").write_bytes(interchange(n))
    (tmp_path / "notes.txt").write_text("not matched by the pattern")
    out = tmp_path / "out.jsonl"
    result = run(str(tmp_path), "--out", str(out), "--pattern", "*.x12", "--disable", "line_breaks")
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3


def test_validate_folder_rejects_unknown_rules_and_missing_folders(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    bad_rule = run(str(tmp_path), "--out", str(out), "--disable", "no_such_rule")
    assert bad_rule.returncode == 2
    assert "unknown rule" in bad_rule.stderr
    missing = run(str(tmp_path / "missing"), "--out", str(out))
    assert missing.returncode == 2
    assert "is not a folder" in missing.stderr
