"""Every third-party sample in ../shared/corpora gives a Report or a
documented exception (ParseError, LimitError), never anything else, and the
same outcome from bytes and from a path. Skips when the folder is absent."""

from __future__ import annotations

from pathlib import Path
from typing import Union

import pytest

import ediguard
from conftest import CORPORA

FILES = sorted(
    p for p in CORPORA.rglob("*") if p.is_file() and p.name != "SOURCES.md"
) if CORPORA.is_dir() else []

#: Named in SOURCES.md as "not EDI at all".
NOT_EDI = "badx12__files__errors__bad_file.edi"


def outcome(data: Union[bytes, Path]) -> tuple[str, str]:
    """("report", json) or ("error", "<class>:<kind>:<offset>")."""
    try:
        report = ediguard.check(data)
    except (ediguard.ParseError, ediguard.LimitError) as err:
        assert err.kind in ("unrecognized", "unsupported_encoding", "malformed", "limit")
        assert err.offset >= 0 and err.line >= 1 and err.column >= 1
        return "error", f"{type(err).__name__}:{err.kind}:{err.offset}"
    assert isinstance(report, ediguard.Report)
    assert report.format in ("x12", "edifact", "eld")
    assert report.to_dict()["findings"] == [f.to_dict() for f in report.findings]
    return "report", report.to_json()


def test_corpora_are_present() -> None:
    if not CORPORA.is_dir():
        pytest.skip(f"{CORPORA} is absent: corpus tests skipped")
    assert FILES, f"{CORPORA} holds no sample files"


@pytest.mark.parametrize(
    "path", FILES, ids=[str(p.relative_to(CORPORA)) for p in FILES]
)
def test_corpus_file(path: Path) -> None:
    data = path.read_bytes()
    from_bytes = outcome(data)
    assert outcome(path) == from_bytes
    try:
        detected = ediguard.detect(data)
    except ediguard.ParseError:
        assert from_bytes[0] == "error"
    else:
        if from_bytes[0] == "report":
            assert ediguard.check(data).format == detected
    if path.name == NOT_EDI:
        assert from_bytes[0] == "error"
        with pytest.raises(ediguard.ParseError) as info:
            ediguard.detect(data)
        assert info.value.kind == "unrecognized"
