"""Control-number ledgers: Ledger (memory), SqliteLedger (shared by
processes), and verify(..., ledger=...)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

import ediguard
from conftest import interchange

SECRET = bytes(range(7, 47))
TS = 1_704_110_400
D1 = hashlib.sha256(b"one").digest()
D2 = hashlib.sha256(b"two").digest()


def test_memory_ledger_outcomes() -> None:
    ledger = ediguard.Ledger()
    assert len(ledger) == 0
    assert ledger.record("acme", "ME", "000000001", D1) == "new"
    assert ledger.record("acme", "ME", "000000001", D1) == "duplicate"
    assert ledger.record("acme", "ME", "000000001", D2) == "conflict"
    # The key is the triple: another partner or receiver is new.
    assert ledger.record("other", "ME", "000000001", D2) == "new"
    assert ledger.record("acme", "YOU", "000000001", D2) == "new"
    assert len(ledger) == 3
    assert ledger.capacity == 1_000_000
    assert repr(ledger) == "<Ledger entries=3 capacity=1000000>"
    with pytest.raises(ValueError, match="32 bytes"):
        ledger.record("acme", "ME", "2", b"short")


def test_memory_ledger_is_bounded() -> None:
    ledger = ediguard.Ledger(capacity=2)
    assert ledger.record("p", "r", "1", D1) == "new"
    assert ledger.record("p", "r", "2", D1) == "new"
    with pytest.raises(ediguard.LedgerError, match="full"):
        ledger.record("p", "r", "3", D1)
    # Known numbers are still answered when full.
    assert ledger.record("p", "r", "1", D1) == "duplicate"
    assert issubclass(ediguard.LedgerError, ediguard.EdiguardError)


def test_sqlite_ledger_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    first = ediguard.SqliteLedger(path)
    assert first.record("acme", "ME", "7", D1) == "new"
    del first
    again = ediguard.SqliteLedger(str(path))
    assert again.record("acme", "ME", "7", D1) == "duplicate"
    assert again.record("acme", "ME", "7", D2) == "conflict"
    assert Path(again.path) == path
    assert "ledger.sqlite" in repr(again)
    with pytest.raises(ediguard.LedgerError):
        ediguard.SqliteLedger(tmp_path / "no-such-dir" / "ledger.sqlite")


RECORD_SCRIPT = """
import sys, ediguard
ledger = ediguard.SqliteLedger(sys.argv[1])
print(ledger.record("acme", "ME", sys.argv[2], bytes.fromhex(sys.argv[3])))
"""

VERIFY_SCRIPT = """
import sys, ediguard
ring = ediguard.KeyRing({"k1": ediguard.Key(bytes.fromhex(sys.argv[2]), partner="shipper", senders=["SHIPPER"])})
ledger = ediguard.SqliteLedger(sys.argv[1])
try:
    v = ediguard.verify(bytes.fromhex(sys.argv[3]), sys.argv[4], ring, now=int(sys.argv[5]), ledger=ledger)
    print("ok", v.ledger)
except ediguard.SignatureError as e:
    print("error", e.code, e.verified.ledger if e.verified else None)
"""


def run(script: str, *args: str) -> str:
    """Runs `script` in a new interpreter, from the root folder so that the
    source folder python/ (which has no compiled module) is not imported."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_two_processes_share_a_sqlite_ledger(tmp_path: Path) -> None:
    path = str(tmp_path / "shared.sqlite")
    assert run(RECORD_SCRIPT, path, "000000042", D1.hex()) == "new"
    assert run(RECORD_SCRIPT, path, "000000042", D1.hex()) == "duplicate"
    assert run(RECORD_SCRIPT, path, "000000042", D2.hex()) == "conflict"
    # And this process sees what they recorded.
    assert ediguard.SqliteLedger(path).record("acme", "ME", "000000042", D1) == "duplicate"


def test_two_processes_detect_a_replay_through_the_ledger(tmp_path: Path) -> None:
    path = str(tmp_path / "verify.sqlite")
    key = ediguard.Key(SECRET, partner="shipper", senders=["SHIPPER"])
    payload = interchange(77)
    line = ediguard.sign(payload, "k1", key, ts=TS)
    args = (path, SECRET.hex(), payload.hex(), line, str(TS))
    # Each process has its own replay cache: only the ledger links them.
    assert run(VERIFY_SCRIPT, *args) == "ok new"
    assert run(VERIFY_SCRIPT, *args) == "error duplicate duplicate"
    # The same control number with other bytes is a conflict.
    changed = payload.replace(b"LOAD77-1", b"LOAD77-2")
    assert changed != payload and len(changed) == len(payload)
    other_line = ediguard.sign(changed, "k1", key, ts=TS)
    other_args = (path, SECRET.hex(), changed.hex(), other_line, str(TS))
    assert run(VERIFY_SCRIPT, *other_args) == "error control_number_conflict conflict"


def test_verify_with_a_memory_ledger() -> None:
    key = ediguard.Key(SECRET, partner="shipper", senders=["SHIPPER"])
    ring = ediguard.KeyRing({"k1": key})
    ledger = ediguard.Ledger()
    payload = interchange(5)
    line = ediguard.sign(payload, "k1", key, ts=TS)
    v = ediguard.verify(payload, line, ring, now=TS, ledger=ledger)
    assert v.ledger == "new"
    assert "ledger='new'" in repr(v)
    assert len(ledger) == 1
    # The ledger is keyed on (partner, receiver, ISA13) with the digest.
    assert ledger.record("shipper", "CARRIER", "000000005", bytes.fromhex(v.sha256)) == "duplicate"
    # A second signature of the same bytes (new nonce): not a nonce replay,
    # but the ledger knows the number.
    again = ediguard.sign(payload, "k1", key, ts=TS)
    with pytest.raises(ediguard.SignatureError) as info:
        ediguard.verify(payload, again, ring, now=TS, ledger=ledger)
    assert info.value.code == "duplicate"
    assert info.value.rule == "signature_duplicate"
    assert info.value.verified is not None
    assert info.value.verified.ledger == "duplicate"
    assert info.value.verified.control_number == "000000005"
    # A Verifier records too.
    verifier = ediguard.Verifier(ring)
    with pytest.raises(ediguard.SignatureError) as dup:
        verifier.verify(payload, line, now=TS, ledger=ledger)
    assert dup.value.code == "duplicate"
    # Without a ledger nothing is recorded; bin with ctl "-" records nothing.
    assert ediguard.verify(payload, line, ring, now=TS).ledger is None
    blob_line = ediguard.sign(b"blob", "k1", key, ts=TS)
    assert ediguard.verify(b"blob", blob_line, ring, now=TS, ledger=ledger).ledger is None
    # An agreed ctl is recorded under receiver "-".
    named = ediguard.sign(b"blob", "k1", key, ts=TS, ctl="batch-1")
    assert ediguard.verify(b"blob", named, ring, now=TS, ledger=ledger).ledger == "new"
    assert ledger.record("shipper", "-", "batch-1", hashlib.sha256(b"blob").digest()) == "duplicate"
    with pytest.raises(TypeError):
        ediguard.verify(payload, line, ring, now=TS, ledger={})  # type: ignore[arg-type]
