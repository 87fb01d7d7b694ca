"""AUTACK from Python: autack_generate() secures interchanges, autack_verify()
checks them; values are compared with hashlib/hmac computed here."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Union

import pytest

import ediguard
from conftest import EXAMPLES, OTHER_SECRET, ROOT, SECRET

Input = Union[bytes, bytearray, memoryview, str, "os.PathLike[str]"]

IC1 = (
    b"UNB+UNOC:3+SENDER:14+RECEIVER:14+240101:1200+INT1'"
    b"UNH+1+INVOIC:D:01B:UN'BGM+380+INV1+9'MOA+77:100.00'UNT+4+1'"
    b"UNH+2+INVOIC:D:01B:UN'BGM+380+INV2+9'UNT+3+2'UNZ+2+INT1'"
)
# With a UNA, which scope 3 leaves out.
IC2 = (
    b"UNA:+.? '"
    b"UNB+UNOC:3+SENDER:14+RECEIVER:14+240101:1300+INT2'"
    b"UNH+1+IFTSTA:D:01B:UN'BGM+23+ST1+9'FTX+AAI+++O?'Hara'UNT+4+1'UNZ+1+INT2'"
)


def rules_of(report: ediguard.Report) -> list[str]:
    return [f.rule for f in report.findings]


def ring(secret: bytes = SECRET, kid: str = "ak1") -> ediguard.KeyRing:
    return ediguard.KeyRing({kid: ediguard.Key(secret, partner="sender")})


def usy_values(autack: bytes) -> list[bytes]:
    """The 0560 value of every USY (USY+1+1:<value>)."""
    return [seg.split(b":", 1)[1] for seg in autack.split(b"'") if seg.startswith(b"USY+")]


def scope3(interchange: bytes) -> bytes:
    """UNB to the UNZ terminator: the bytes scope 3 secures."""
    return interchange[interchange.index(b"UNB+") :]


def test_sha256_autack_verifies_and_holds_the_digests() -> None:
    autack = ediguard.autack_generate([IC1, IC2], "AUT1", "20240101", "1400")
    assert autack.startswith(b"UNB+UNOC:4+SENDER:14+RECEIVER:14+20240101:1400+AUT1'")
    assert b"UNH+1+AUTACK:4:1:UN'" in autack and autack.endswith(b"UNZ+1+AUT1'")
    assert b"USX+INT1+SENDER:14+RECEIVER:14'" in autack
    assert usy_values(autack) == [
        hashlib.sha256(scope3(ic)).hexdigest().upper().encode() for ic in (IC1, IC2)
    ]
    report = ediguard.autack_verify(autack, [IC1, IC2])
    assert report.findings == [] and report.ok
    assert report.format == "edifact"
    assert (report.counts.interchanges, report.counts.messages) == (1, 1)
    assert report.counts.segments == autack.count(b"'")


def test_a_tampered_interchange_fails_its_usy_only() -> None:
    autack = ediguard.autack_generate([IC1, IC2], "AUT1", "20240101", "1400")
    changed = IC2.replace(b"ST1", b"ST2")
    report = ediguard.autack_verify(autack, [IC1, changed])
    assert rules_of(report) == ["autack_value_mismatch"]
    assert not report.ok
    f = report.findings[0]
    assert f.severity == "error"
    # Located in the AUTACK: the second USY's 0560 (element 2, component 2).
    assert f.offset == autack.rindex(b"USY+1+1:") + len(b"USY+1+")
    assert (f.line, f.column) == (1, f.offset + 1)
    assert (f.element, f.component) == (2, 2)
    assert f.expected == hashlib.sha256(scope3(changed)).hexdigest().upper()
    assert f.found == hashlib.sha256(scope3(IC2)).hexdigest().upper()
    # A change in the UNA is outside scope 3.
    una = IC2.replace(b"UNA:+.? '", b"UNA:+,? '")
    assert ediguard.autack_verify(autack, [IC1, una]).findings == []
    # A missing interchange is named.
    assert rules_of(ediguard.autack_verify(autack, [IC1])) == ["autack_reference_not_found"]


def test_hmac_autack_needs_the_right_key() -> None:
    autack = ediguard.autack_generate(
        [IC1, IC2], "AUT1", "20240101", "1400", key_id="ak1", key=ediguard.Key(SECRET)
    )
    assert b"USH+8+1+3+1+2+7++1:ak1'" in autack
    assert b"USA+2:::48+9:ak1'" in autack
    assert usy_values(autack) == [
        hmac.new(SECRET, scope3(ic), hashlib.sha256).hexdigest().upper().encode()
        for ic in (IC1, IC2)
    ]
    assert SECRET.hex().upper().encode() not in autack
    # The secret as bytes makes the same AUTACK (nothing random in it).
    assert (
        ediguard.autack_generate([IC1, IC2], "AUT1", "20240101", "1400", key_id="ak1", key=SECRET)
        == autack
    )
    assert ediguard.autack_verify(autack, [IC1, IC2], keyring=ring()).findings == []
    # Without a key ring: not verified (info), so still ok.
    without = ediguard.autack_verify(autack, [IC1, IC2])
    assert rules_of(without) == ["autack_unverified", "autack_unverified"]
    assert [f.severity for f in without.findings] == ["info", "info"] and without.ok
    # The wrong secret under the same id, and a ring without the id.
    wrong = ediguard.autack_verify(autack, [IC1, IC2], keyring=ring(OTHER_SECRET))
    assert rules_of(wrong) == ["autack_value_mismatch", "autack_value_mismatch"]
    unknown = ediguard.autack_verify(autack, [IC1, IC2], keyring=ring(kid="other"))
    assert rules_of(unknown) == ["autack_unknown_key", "autack_unknown_key"]
    # A SHA-256 AUTACK made by anyone is not an HMAC one: no key needed.
    sha = ediguard.autack_generate([IC1, IC2], "AUT1", "20240101", "1400")
    assert ediguard.autack_verify(sha, [IC1, IC2], keyring=ring()).findings == []


@pytest.mark.parametrize("key", [None, SECRET])
def test_base64_filter(key: bytes | None) -> None:
    key_id = None if key is None else "ak1"
    autack = ediguard.autack_generate(
        [IC1, IC2], "AUT9", "20240101", "1400", key_id=key_id, key=key, filter="base64"
    )
    hex_autack = ediguard.autack_generate(
        [IC1, IC2], "AUT9", "20240101", "1400", key_id=key_id, key=key, filter="hex"
    )
    assert b"+7+7" in autack and b"+2+7" in hex_autack  # USH 0505 filter code
    # Base64 '+' is the element separator: written released as '?+'.
    decoded = [base64.b64decode(re.sub(rb"\?(.)", rb"\1", v)) for v in usy_values(autack)]
    assert decoded == [bytes.fromhex(v.decode()) for v in usy_values(hex_autack)]
    report = ediguard.autack_verify(autack, [IC1, IC2], keyring=ring())
    assert report.findings == []


def test_paths_and_other_bytes_like_inputs(tmp_path: Path) -> None:
    iftsta = EXAMPLES / "iftsta-status.edi"
    cuscar = EXAMPLES / "cuscar-manifest.edi"
    autack = ediguard.autack_generate([iftsta, str(cuscar)], "AUT2", "20261117", "1600")
    assert b"USX+NLF0001+NLFX:ZZZ+GLPAPER:ZZZ'" in autack
    assert b"USX+NLF0002+NLFX:ZZZ+GLPAPER:ZZZ'" in autack
    stored = tmp_path / "autack.edi"
    stored.write_bytes(autack)
    data = [iftsta.read_bytes(), cuscar.read_bytes()]
    cases: list[tuple[Input, Sequence[Input]]] = [
        (stored, [iftsta, cuscar]),
        (str(stored), [bytearray(data[0]), memoryview(data[1])]),
        (memoryview(autack), tuple(data)),
    ]
    for given, refs in cases:
        assert ediguard.autack_verify(given, refs).findings == [], given
    # The same bytes from a path and from memory make the same AUTACK.
    assert ediguard.autack_generate(data, "AUT2", "20261117", "1600") == autack
    changed = data[1].replace(b"Toledo", b"Toledx", 1)
    assert rules_of(ediguard.autack_verify(stored, [data[0], changed])) == [
        "autack_value_mismatch"
    ]


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="filter must be 'hex' or 'base64'"):
        ediguard.autack_generate([IC1], "A", "20240101", "1400", filter="ZZZ")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="both key_id and key"):
        ediguard.autack_generate([IC1], "A", "20240101", "1400", key_id="ak1")
    with pytest.raises(ValueError, match="both key_id and key"):
        ediguard.autack_generate([IC1], "A", "20240101", "1400", key=SECRET)
    with pytest.raises(ediguard.EdiguardError):
        ediguard.autack_generate([IC1], "A", "20240101", "1400", key_id="k", key=b"short")
    for reference, date, time in [
        ("A", "240101", "1400"),
        ("A", "20240230", "1400"),
        ("A", "20240101", "2460"),
        ("", "20240101", "1400"),
        ("A" * 15, "20240101", "1400"),
    ]:
        with pytest.raises(ediguard.EdiguardError) as info:
            ediguard.autack_generate([IC1], reference, date, time)
        assert not isinstance(info.value, ediguard.ParseError)
    with pytest.raises(ediguard.EdiguardError, match="no interchange to reference"):
        ediguard.autack_generate([], "A", "20240101", "1400")
    # One input on its own is not a sequence of inputs.
    with pytest.raises(TypeError, match="wrap one in a list"):
        ediguard.autack_generate(IC1, "A", "20240101", "1400")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="wrap one in a list"):
        # A str is a sequence of str to a type checker, so only the runtime
        # check catches it.
        ediguard.autack_verify(IC1, "some/path.edi")
    with pytest.raises(TypeError):
        ediguard.autack_generate([IC1, 42], "A", "20240101", "1400")  # type: ignore[list-item]


def test_errors_name_the_input(tmp_path: Path) -> None:
    no_unz = IC1.replace(b"UNZ+2+INT1'", b"")
    with pytest.raises(ediguard.ParseError) as info:
        ediguard.autack_generate([IC2, b"%PDF-1.7\n", no_unz], "A", "20240101", "1400")
    assert info.value.input == 1 and info.value.kind == "malformed"
    assert (info.value.line, info.value.column) == (1, 1)
    assert "input 1" in str(info.value)
    with pytest.raises(ediguard.ParseError) as info:
        ediguard.autack_generate([IC2, b"\n\n" + no_unz], "A", "20240101", "1400")
    assert info.value.input == 1
    assert (info.value.offset, info.value.line, info.value.column) == (2, 3, 1)
    with pytest.raises(FileNotFoundError):
        ediguard.autack_generate([tmp_path / "missing.edi"], "A", "20240101", "1400")
    autack = ediguard.autack_generate([IC1, IC2], "AUT1", "20240101", "1400")
    small = ediguard.Options(max_input_len=len(autack))
    with pytest.raises(ediguard.LimitError) as limit:
        ediguard.autack_verify(autack, [IC1, b" " * (len(autack) + 1)], options=small)
    assert limit.value.input == 1
    with pytest.raises(ediguard.LimitError) as limit:
        ediguard.autack_verify(autack + b" ", [IC1, IC2], options=small)
    assert limit.value.input is None
    # Single-input functions leave `input` unset.
    with pytest.raises(ediguard.ParseError) as info:
        ediguard.check(b"hello")
    assert info.value.input is None


def test_options_reach_the_autack_rules() -> None:
    autack = ediguard.autack_generate([IC1, IC2], "AUT1", "20240101", "1400")
    changed = IC1.replace(b"INV2", b"INV3")
    options = ediguard.Options(severity={"autack_value_mismatch": "warning"})
    report = ediguard.autack_verify(autack, [changed, IC2], options=options)
    assert [(f.rule, f.severity) for f in report.findings] == [
        ("autack_value_mismatch", "warning")
    ]
    assert report.ok
    off = ediguard.Options(disabled=["autack_value_mismatch"])
    assert ediguard.autack_verify(autack, [changed, IC2], options=off).findings == []
    # Not an AUTACK at all.
    assert rules_of(ediguard.autack_verify(IC1, [IC1])) == ["autack_malformed"]


def test_readme_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's AUTACK block, executed as written from the repository root."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    example = [b for b in blocks if "autack_generate" in b]
    assert len(example) == 1
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {}
    exec(compile(example[0], "README.md", "exec"), namespace)  # noqa: S102 - our own README
    report = namespace["report"]
    assert isinstance(report, ediguard.Report) and report.findings == []
    autack = namespace["autack"]
    assert isinstance(autack, bytes) and b"USH+8+1+3+1+2+7++1:ak1'" in autack
