"""check() runs with the interpreter released: threads get identical
results, a blocking read does not stall other threads, and another thread
runs Python code while one is inside check()."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Union

import pytest

import ediguard
from conftest import interchanges, read_fifo_in_a_thread

# About 16 MB: 50,000 interchanges with distinct control numbers.
COUNT = 50_000


@pytest.fixture(scope="module")
def big() -> bytes:
    return interchanges(COUNT)


@pytest.fixture(scope="module")
def big_file(big: bytes, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("threads") / "big.x12"
    path.write_bytes(big)
    return path


def run_threads(count: int, target: Callable[[int], None]) -> float:
    """Runs `target(i)` on `count` threads started together; wall seconds."""
    barrier = threading.Barrier(count + 1)

    def run(i: int) -> None:
        barrier.wait()
        target(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - start


def test_concurrent_checks_agree(big: bytes, big_file: Path) -> None:
    expected = ediguard.check(big)
    assert expected.format == "x12"
    inputs: list[Union[bytes, Path]] = [big, big_file, big, big_file]
    results: dict[int, list[ediguard.Report]] = {}
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            results[i] = [ediguard.check(inputs[i]) for _ in range(3)]
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    run_threads(len(inputs), work)
    assert errors == []
    assert sorted(results) == list(range(len(inputs)))
    for reports in results.values():
        for report in reports:
            assert report.to_json() == expected.to_json()
            assert report.counts == expected.counts
            assert report.findings == expected.findings
            assert report.ok == expected.ok


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_reading_a_path_releases_the_interpreter(tmp_path: Path) -> None:
    # check() on a FIFO blocks in open/read until a writer comes.
    fifo = tmp_path / "inbound.fifo"
    os.mkfifo(fifo)
    assert read_fifo_in_a_thread(fifo, f"ediguard.check({str(fifo)!r})", "r.format") == "x12"


@pytest.fixture(scope="module")
def big_edifact() -> bytes:
    """About 16 MB of EDIFACT: one interchange of 200,000 messages."""
    messages = b"".join(
        b"UNH+%d+IFTSTA:D:01B:UN'BGM+23+ST%d+9'FTX+AAI+++%s'UNT+4+%d'" % (n, n, b"x" * 24, n)
        for n in range(1, 200_001)
    )
    return b"UNB+UNOC:3+S+R+240101:1200+1'" + messages + b"UNZ+200000+1'"


def releasing_calls(request: pytest.FixtureRequest, name: str) -> Callable[[], object]:
    """The call `name` on a large input, for the test below."""
    if name == "check":
        big = request.getfixturevalue("big")
        return lambda: ediguard.check(big)
    edifact = request.getfixturevalue("big_edifact")
    if name == "autack_generate":
        return lambda: ediguard.autack_generate([edifact], "A", "20240101", "1200")
    autack = ediguard.autack_generate([edifact], "A", "20240101", "1200")
    return lambda: ediguard.autack_verify(autack, [edifact])


@pytest.mark.parametrize("name", ["check", "autack_generate", "autack_verify"])
def test_checking_releases_the_interpreter(request: pytest.FixtureRequest, name: str) -> None:
    """While one thread is inside check() (or an AUTACK call), another runs
    Python code.

    With a switch interval far longer than the test, the interpreter never
    takes the GIL from a running thread, so the main thread can only run
    while the worker has released it. The worker loops over check() until
    told to stop: if check() holds the GIL, no one can tell it, and it runs
    all ROUNDS; if check() releases it, the main thread stops it after the
    first call or two. No clock is read, so load on the machine cannot
    decide the outcome."""
    call = releasing_calls(request, name)
    rounds = 40
    started = threading.Event()
    stop = threading.Event()
    calls = 0

    def worker() -> None:
        nonlocal calls
        started.set()
        while calls < rounds and not stop.is_set():
            call()
            calls += 1

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    try:
        thread = threading.Thread(target=worker)
        thread.start()
        started.wait()
        stop.set()
        thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert 1 <= calls < rounds // 2, f"the main thread ran only after {calls} {name}() calls"
