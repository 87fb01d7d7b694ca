"""Security findings in check(): EDIFACT integrated security verified with a
KeyRing, secure_edifact() to add it, and the key ring reaching the rules."""

from __future__ import annotations

import pytest

import ediguard
from conftest import EXAMPLES, OTHER_SECRET, SECRET, interchange

IFTSTA = (
    b"UNB+UNOC:4+SENDER+RECEIVER+20240101:1200+1'"
    b"UNH+1+IFTSTA:D:01B:UN'BGM+23+STATUS1+9'UNT+3+1'"
    b"UNH+2+IFTSTA:D:01B:UN'BGM+23+STATUS2+9'UNT+3+2'"
    b"UNZ+2+1'"
)


def rules_of(report: ediguard.Report) -> list[str]:
    return [f.rule for f in report.findings]


def security_rules(report: ediguard.Report) -> list[str]:
    return [r for r in rules_of(report) if r.startswith("security_")]


def ring(secret: bytes = SECRET, kid: str = "k1") -> ediguard.KeyRing:
    return ediguard.KeyRing({kid: ediguard.Key(secret, partner="sender")})


def hmac_secured() -> bytes:
    return ediguard.secure_edifact(IFTSTA, "1", key_id="k1", key=ediguard.Key(SECRET))


def test_secure_edifact_adds_a_group_per_message() -> None:
    secured = hmac_secured()
    assert secured.count(b"USH+") == 2 and secured.count(b"UST+") == 2
    assert secured.count(b"USR+") == 2
    assert b"k1" in secured
    assert SECRET.hex().encode() not in secured
    # The messages themselves are unchanged.
    for part in (b"BGM+23+STATUS1+9'", b"BGM+23+STATUS2+9'", b"UNZ+2+1'"):
        assert part in secured
    # The secret given as bytes secures the same way (the nonce-free
    # profile is deterministic).
    assert ediguard.secure_edifact(IFTSTA, "1", key_id="k1", key=SECRET) == secured


def test_hmac_groups_are_unverified_without_keys_and_verified_with_them() -> None:
    secured = hmac_secured()
    without = ediguard.check(secured)
    assert security_rules(without) == ["security_unverified", "security_unverified"]
    assert without.ok  # info only
    with_keys = ediguard.check(secured, keyring=ring())
    assert security_rules(with_keys) == []
    assert with_keys.ok, with_keys.findings
    assert with_keys.counts == without.counts
    # options and keyring together.
    quiet = ediguard.Options(disabled=["security_unverified"])
    assert security_rules(ediguard.check(secured, quiet)) == []
    assert security_rules(ediguard.check(secured, options=quiet, keyring=ring())) == []


def test_a_changed_message_fails_its_mac() -> None:
    tampered = hmac_secured().replace(b"STATUS2", b"STATUSX")
    report = ediguard.check(tampered, keyring=ring())
    assert security_rules(report) == ["security_mac_failed"]
    assert not report.ok
    (finding,) = report.errors
    # The finding points into the second message.
    assert finding.offset > tampered.index(b"UNH+2")
    assert finding.line == 1 and finding.column is not None


def test_wrong_or_missing_keys() -> None:
    secured = hmac_secured()
    wrong = ediguard.check(secured, keyring=ring(OTHER_SECRET))
    assert security_rules(wrong) == ["security_mac_failed", "security_mac_failed"]
    missing = ediguard.check(secured, keyring=ring(kid="k2"))
    assert security_rules(missing) == ["security_unknown_key", "security_unknown_key"]
    empty = ediguard.check(secured, keyring=ediguard.KeyRing())
    assert security_rules(empty) == ["security_unknown_key", "security_unknown_key"]


def test_sha256_groups_need_no_keys() -> None:
    secured = ediguard.secure_edifact(IFTSTA)
    assert secured.count(b"USH+") == 2
    assert security_rules(ediguard.check(secured)) == []
    assert security_rules(ediguard.check(secured, keyring=ring())) == []
    tampered = secured.replace(b"STATUS1", b"STATUSX")
    assert security_rules(ediguard.check(tampered)) == ["security_digest_failed"]
    assert security_rules(ediguard.check(tampered, keyring=ring())) == ["security_digest_failed"]


def test_a_keyring_changes_nothing_for_inputs_without_security() -> None:
    for data in (
        interchange(3),
        (EXAMPLES / "iftsta-status.edi").read_bytes(),
        (EXAMPLES / "eld-T1042-tampered.csv").read_bytes(),
    ):
        assert ediguard.check(data, keyring=ring()).to_json() == ediguard.check(data).to_json()


def test_secure_edifact_errors() -> None:
    with pytest.raises(ValueError, match="both key_id and key"):
        ediguard.secure_edifact(IFTSTA, key_id="k1")
    with pytest.raises(ValueError, match="both key_id and key"):
        ediguard.secure_edifact(IFTSTA, key=SECRET)
    version3 = IFTSTA.replace(b"UNOC:4", b"UNOC:3")
    with pytest.raises(ediguard.ParseError, match="syntax version 4"):
        ediguard.secure_edifact(version3)
    with pytest.raises(ediguard.EdiguardError, match="at least 32"):
        ediguard.secure_edifact(IFTSTA, key_id="k1", key=b"short")
    with pytest.raises(TypeError):
        ediguard.check(IFTSTA, keyring="keys.json")  # type: ignore[arg-type]


def x12_secured() -> bytes:
    """The conftest interchange with an X12.58 S3S..S3E area around its set."""
    plain = interchange(7)
    gs_end = plain.index(b"~", plain.index(b"GS*")) + 1
    ge = plain.index(b"GE*")
    mac = b"0123456789ABCDEF" * 4
    return (
        plain[:gs_end]
        + b"S3S*00401*AA*ORIG*RECP*GKEY*6~"
        + plain[gs_end:ge]
        + b"S3E*"
        + mac
        + b"~"
        + plain[ge:]
    )


def test_check_reports_x12_58_areas_with_or_without_a_keyring() -> None:
    # X12.58 publishes no byte domain, so the area is recognised and
    # reported unverifiable (info), and its segments are no envelope strays.
    for report in (ediguard.check(x12_secured()), ediguard.check(x12_secured(), keyring=ring())):
        assert rules_of(report) == ["x12_security_unverified"]
        assert report.ok
    unpaired = x12_secured().replace(b"S3S*00401*AA*ORIG*RECP*GKEY*6~", b"")
    assert rules_of(ediguard.check(unpaired)) == ["x12_security_unpaired_trailer"]
