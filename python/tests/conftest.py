"""Shared helpers: X12 inputs built here, and the shared corpora folder."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Callable

import pytest

import ediguard

#: The repository root (python/tests/ -> python/ -> root).
ROOT = Path(__file__).resolve().parents[2]
#: Third-party samples, beside the repository; tests skip when absent.
CORPORA = ROOT.parent / "shared" / "corpora"
#: The project's own sample files (X12 204/214, EDIFACT IFTSTA/CUSCAR).
EXAMPLES = ROOT / "examples" / "data"
#: Two HMAC secrets (40 bytes each) for the security and AUTACK tests.
SECRET = bytes(range(50, 90))
OTHER_SECRET = bytes(range(90, 130))


def interchange(control: int, transactions: int = 1) -> bytes:
    """A well-formed X12 004010 interchange (one group of 204 load tenders)
    whose ISA13/IEA02 is `control`; segment counts and control numbers agree."""
    isa = (
        "ISA*00*          *00*          *ZZ*SHIPPER        *ZZ*CARRIER        "
        f"*240101*1200*U*00401*{control:09d}*0*P*>~"
    )
    assert len(isa) == 106, len(isa)
    group = control % 1_000_000_000
    segments = [isa, f"GS*SM*SHIPPER*CARRIER*20240101*1200*{group}*X*004010~"]
    for n in range(1, transactions + 1):
        st = f"{n:04d}"
        body = [
            f"ST*204*{st}~",
            f"B2**SCAC**LOAD{control}-{n}**PP~",
            "B2A*00~",
            "L11*PO12345*PO~",
            "S5*1*CL*1000*L~",
            "N1*SH*SHIPPER INC~",
            "S5*2*CU*1000*L~",
            "N1*CN*CONSIGNEE LLC~",
        ]
        body.append(f"SE*{len(body) + 1}*{st}~")
        segments.extend(body)
    segments.append(f"GE*{transactions}*{group}~")
    segments.append(f"IEA*1*{control:09d}~")
    return "".join(segments).encode("ascii")


def interchanges(count: int, first: int = 1) -> bytes:
    """`count` interchanges with distinct control numbers, concatenated."""
    return b"".join(interchange(first + i) for i in range(count))


def read_fifo_in_a_thread(fifo: Path, call: str, show: str) -> str:
    """Runs, in a child interpreter, `call` (a Python expression that reads
    the FIFO `fifo`, which blocks until a writer comes) on a thread, while
    the main thread writes three interchanges into the FIFO; prints the
    expression `show` of the call's result `r` and returns that output.

    If the call held the interpreter while blocked, the writer could never
    run and the child would hang: the timeout fails the test instead.
    """
    script = textwrap.dedent(
        f"""
        import sys, threading
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        import ediguard
        from conftest import interchange, interchanges
        out = {{}}
        reader = threading.Thread(target=lambda: out.setdefault("r", {call}))
        reader.start()
        with open({str(fifo)!r}, "wb") as f:
            f.write(interchanges(3))
        reader.join()
        r = out["r"]
        print({show})
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=fifo.parent,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture
def x12() -> bytes:
    """One well-formed interchange."""
    return interchange(1)


@pytest.fixture
def x12_file(tmp_path: Path, x12: bytes) -> Path:
    """The same interchange in a file."""
    path = tmp_path / "load-tender.x12"
    path.write_bytes(x12)
    return path


def make_report(
    data: bytes,
    findings: list[dict[str, object]],
    options: ediguard.Options | None = None,
) -> ediguard.Report:
    """A report of `findings` built by the native test hook through the same
    Rust path the checkers use (severity overrides, disabled rules,
    max_findings, line resolution)."""
    hook: Callable[..., ediguard.Report] = getattr(ediguard._native, "_report_for_tests")
    return hook(data, findings, options)
