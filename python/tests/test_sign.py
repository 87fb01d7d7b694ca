"""EDISIG v1 signatures: Key, KeyRing, sign, verify, Verifier, Verified and
SignatureError codes; the shared test vector; secrets never shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ediguard
from conftest import CORPORA, EXAMPLES, interchange

VECTOR = CORPORA / "security" / "edisig-v1-x12-214"
VECTOR_KID = "acme-to-carrier-2024q1"
VECTOR_SECRET_HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
VECTOR_TS = 1704110400
VECTOR_LINE = (
    "EDISIG v=1;alg=hmac-sha256;kid=acme-to-carrier-2024q1;ts=1704110400;"
    "nonce=3q2-7wAAAAAAAAAAAAAAAA;typ=x12;canon=raw;"
    "ctl=ZZ/SENDERID/ZZ/RECEIVERID/000000001;len=252;"
    "sig=wrZLFCbu0rZghxZ4ItlFxpF0PxtL6xXi5nRnJItFpLc"
)
VECTOR_SHA256 = "937d8d5f8ec40bcc3d419a99975bcc66891d0b380b0d1f6104b28a7b06971fc2"

SECRET = bytes(range(100, 140))
TS = 1_704_110_400


def vector_payload() -> bytes:
    path = VECTOR / "payload.x12"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return path.read_bytes()


def vector_ring(**extra: object) -> ediguard.KeyRing:
    entry: dict[str, object] = {
        "kid": VECTOR_KID,
        "secret_hex": VECTOR_SECRET_HEX,
        "partner": "acme",
        "senders": ["SENDERID"],
    }
    entry.update(extra)
    return ediguard.KeyRing.from_json(json.dumps({"keys": [entry]}))


def shipper_key(**kwargs: object) -> ediguard.Key:
    return ediguard.Key(SECRET, partner="shipper", senders=["SHIPPER"], **kwargs)  # type: ignore[arg-type]


def code_of(excinfo: pytest.ExceptionInfo[ediguard.SignatureError]) -> str:
    return excinfo.value.code


# -- The shared test vector ----------------------------------------------------


def test_the_vector_verifies() -> None:
    payload = vector_payload()
    verified = ediguard.verify(payload, VECTOR_LINE, vector_ring(), now=VECTOR_TS + 30)
    assert verified.kid == VECTOR_KID
    assert verified.partner == "acme"
    assert verified.ts == VECTOR_TS
    assert verified.ctl == "ZZ/SENDERID/ZZ/RECEIVERID/000000001"
    assert verified.sha256 == VECTOR_SHA256
    assert verified.typ == "x12"
    assert verified.canon == "raw"
    assert verified.nonce == "3q2-7wAAAAAAAAAAAAAAAA"
    assert verified.sender == "SENDERID"
    assert verified.receiver == "RECEIVERID"
    assert verified.control_number == "000000001"
    assert verified.ledger is None
    assert verified.signature == VECTOR_LINE
    assert VECTOR_SHA256 in repr(verified)


def test_the_vector_signed_again_gives_the_same_tag_for_the_same_nonce() -> None:
    # sign() draws a fresh nonce, so the tag differs from the vector's, but
    # every other parameter is the vector's and the line verifies.
    payload = vector_payload()
    line = ediguard.sign(payload, VECTOR_KID, bytes.fromhex(VECTOR_SECRET_HEX), ts=VECTOR_TS)
    params = dict(p.split("=", 1) for p in line.removeprefix("EDISIG ").split(";"))
    assert params["ctl"] == "ZZ/SENDERID/ZZ/RECEIVERID/000000001"
    assert params["len"] == "252"
    assert params["typ"] == "x12"
    assert params["nonce"] != "3q2-7wAAAAAAAAAAAAAAAA"
    assert ediguard.verify(payload, line, vector_ring(), now=VECTOR_TS).sha256 == VECTOR_SHA256


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda p, l, n: (p.replace(b"PRO123", b"PRO124"), l, n), "bad_signature"),
        (lambda p, l, n: (p + b"\n", l, n), "length_mismatch"),
        (lambda p, l, n: (p, l, n + 301), "stale"),
        (lambda p, l, n: (p, l, n - 2 * 61), "from_future"),
        (lambda p, l, n: (p, l.replace("v=1", "v=2"), n), "unsupported_version"),
        (lambda p, l, n: (p, l.replace("kid=acme", "kid=other"), n), "unknown_key"),
        (lambda p, l, n: (p, l.replace(";len=", ";size="), n), "malformed"),
        (lambda p, l, n: (p, l.replace("alg=hmac-sha256", "alg=hmac-sha512"), n), "algorithm_mismatch"),
        (lambda p, l, n: (p, l.replace("/000000001", "/000000002"), n), "bad_signature"),
    ],
)
def test_each_change_of_the_vector_gives_its_code(change: object, code: str) -> None:
    payload = vector_payload()
    apply = change  # a callable (payload, line, now) -> (payload, line, now)
    p, l, n = apply(payload, VECTOR_LINE, VECTOR_TS)  # type: ignore[operator]
    with pytest.raises(ediguard.SignatureError) as info:
        ediguard.verify(p, l, vector_ring(), now=n)
    assert code_of(info) == code
    assert info.value.rule.startswith("signature_")
    assert info.value.verified is None
    assert isinstance(info.value, ediguard.EdiguardError)


def test_key_policy_codes_on_the_vector() -> None:
    payload = vector_payload()
    cases: list[tuple[ediguard.KeyRing, str, dict[str, object]]] = [
        (vector_ring(senders=[]), "sender_not_authorized", {}),
        (vector_ring(revoked=True), "key_not_valid_now", {}),
        (vector_ring(not_after=VECTOR_TS - 1), "key_not_valid_now", {}),
        (vector_ring(not_before=VECTOR_TS + 3600), "key_not_valid_now", {}),
        (vector_ring(), "receiver_not_ours", {"our_ids": ["SOMEONE"]}),
    ]
    for ring, code, extra in cases:
        with pytest.raises(ediguard.SignatureError) as info:
            ediguard.verify(payload, VECTOR_LINE, ring, now=VECTOR_TS, **extra)  # type: ignore[arg-type]
        assert code_of(info) == code, code
    ok = ediguard.verify(payload, VECTOR_LINE, vector_ring(), now=VECTOR_TS, our_ids=["RECEIVERID"])
    assert ok.receiver == "RECEIVERID"


def test_window_and_skew_are_honoured() -> None:
    payload = vector_payload()
    ring = vector_ring()
    assert ediguard.verify(payload, VECTOR_LINE, ring, now=VECTOR_TS + 3000, window=3600).ts == VECTOR_TS
    with pytest.raises(ediguard.SignatureError) as info:
        ediguard.verify(payload, VECTOR_LINE, ring, now=VECTOR_TS + 3000)
    assert code_of(info) == "stale"
    assert ediguard.verify(payload, VECTOR_LINE, ring, now=VECTOR_TS - 100, skew=120).kid == VECTOR_KID
    with pytest.raises(ediguard.SignatureError) as future:
        ediguard.verify(payload, VECTOR_LINE, ring, now=VECTOR_TS - 100)
    assert code_of(future) == "from_future"


def test_verifier_detects_a_replay_and_the_function_does_not() -> None:
    payload = vector_payload()
    ring = vector_ring()
    verifier = ediguard.Verifier(ring, window=300, skew=60)
    assert verifier.verify(payload, VECTOR_LINE, now=VECTOR_TS).kid == VECTOR_KID
    with pytest.raises(ediguard.SignatureError) as info:
        verifier.verify(payload, VECTOR_LINE, now=VECTOR_TS + 1)
    assert code_of(info) == "replay"
    # A fresh verifier, or the function form, has a fresh cache.
    assert ediguard.Verifier(ring).verify(payload, VECTOR_LINE, now=VECTOR_TS).kid == VECTOR_KID
    assert ediguard.verify(payload, VECTOR_LINE, ring, now=VECTOR_TS).kid == VECTOR_KID
    assert ediguard.verify(payload, VECTOR_LINE, ring, now=VECTOR_TS).kid == VECTOR_KID
    assert verifier.window == 300 and verifier.skew == 60
    assert verifier.keyring is ring
    assert "cache=1/" in repr(verifier)


def test_several_lines_accept_any_known_kid() -> None:
    payload = vector_payload()
    ring = vector_ring()
    unknown = VECTOR_LINE.replace("kid=acme", "kid=other")
    v = ediguard.verify(payload, [unknown, VECTOR_LINE], ring, now=VECTOR_TS)
    assert v.kid == VECTOR_KID
    v2 = ediguard.verify(payload, f"{unknown}\r\n\r\n{VECTOR_LINE}\r\n", ring, now=VECTOR_TS)
    assert v2.kid == VECTOR_KID
    with pytest.raises(ediguard.SignatureError) as info:
        ediguard.verify(payload, [unknown], ring, now=VECTOR_TS)
    assert code_of(info) == "unknown_key"
    with pytest.raises(ediguard.SignatureError) as none:
        ediguard.verify(payload, [], ring, now=VECTOR_TS)
    assert code_of(none) == "malformed"


# -- Signing -------------------------------------------------------------------


def test_sign_and_verify_x12_edifact_eld_and_bin() -> None:
    key = shipper_key()
    ring = ediguard.KeyRing({"k1": key})
    x12 = interchange(42)
    line = ediguard.sign(x12, "k1", key, ts=TS)
    assert line.startswith("EDISIG v=1;alg=hmac-sha256;kid=k1;ts=1704110400;")
    v = ediguard.verify(x12, line, ring, now=TS)
    assert (v.typ, v.partner, v.sender, v.control_number) == ("x12", "shipper", "SHIPPER", "000000042")

    eld = (EXAMPLES / "eld-T1042.csv").read_bytes()
    eld_line = ediguard.sign(eld, "k1", key, ts=TS, ctl="T1042 2026-11-17")
    assert ";typ=eld;" in eld_line and ";ctl=T1042%202026-11-17;" in eld_line
    ve = ediguard.verify(eld, eld_line, ring, now=TS, agreed_ctl="T1042 2026-11-17")
    assert ve.typ == "eld" and ve.sender is None and ve.control_number is None
    with pytest.raises(ediguard.SignatureError) as info:
        ediguard.verify(eld, eld_line, ring, now=TS, agreed_ctl="T9999")
    assert code_of(info) == "control_mismatch"

    blob = b"\x00\x01 any bytes"
    bin_line = ediguard.sign(blob, "k1", key, ts=TS)
    assert ";typ=bin;" in bin_line and ";ctl=-;" in bin_line
    assert ediguard.verify(bytearray(blob), bin_line, ring, now=TS).typ == "bin"

    # A path signs like its bytes; X12 and EDIFACT take ctl from the envelope.
    for sample in (EXAMPLES / "204-load-tender.x12", EXAMPLES / "iftsta-status.edi"):
        header = ediguard.parse(sample).interchanges[0]
        sender = header.sender_id
        assert sender
        sample_key = ediguard.Key(SECRET, partner="p", senders=[sender])
        sample_line = ediguard.sign(sample, "k2", sample_key, ts=TS)
        sv = ediguard.verify(sample.read_bytes(), sample_line, ediguard.KeyRing({"k2": sample_key}), now=TS)
        assert sv.sender == sender
        assert sv.control_number == header.control_number
        assert sv.typ == ediguard.detect(sample)


def test_sign_options_and_errors() -> None:
    key = shipper_key(canon=["raw", "eol1"])
    ring = ediguard.KeyRing({"k1": key})
    crlf = interchange(5).replace(b"~", b"~\r\n")
    line = ediguard.sign(crlf, "k1", key, canon="eol1", ts=TS)
    assert ";canon=eol1;" in line
    assert ediguard.verify(crlf, line, ring, now=TS).canon == "eol1"
    # The key must allow the canonicalisation.
    with pytest.raises(ediguard.SignatureError) as info:
        ediguard.sign(crlf, "k1", shipper_key(), canon="eol1", ts=TS)
    assert code_of(info) == "canon_not_allowed"
    # typ forced to bin on X12 bytes: no envelope ids in ctl.
    assert ";typ=bin;canon=raw;ctl=-;" in ediguard.sign(interchange(1), "k1", key, typ="bin", ts=TS)
    with pytest.raises(ediguard.SignatureError) as bad_kid:
        ediguard.sign(b"x", "bad kid!", key, ts=TS)
    assert code_of(bad_kid) == "malformed"
    with pytest.raises(ValueError, match="typ must be"):
        ediguard.sign(b"x", "k1", key, typ="pdf")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="canon must be"):
        ediguard.sign(b"x", "k1", key, canon="c14n")  # type: ignore[arg-type]
    with pytest.raises(ediguard.EdiguardError, match="at least 32"):
        ediguard.sign(b"x", "k1", b"short", ts=TS)
    with pytest.raises(TypeError):
        ediguard.sign(b"x", "k1", "a str secret", ts=TS)  # type: ignore[arg-type]
    # Without ts, the clock is now: it verifies with the default clock.
    now_line = ediguard.sign(interchange(9), "k1", key)
    assert ediguard.verify(interchange(9), now_line, ring).kid == "k1"
    # Two signatures of the same bytes differ by their nonce.
    assert ediguard.sign(b"x", "k1", key, ts=TS) != ediguard.sign(b"x", "k1", key, ts=TS)


# -- Keys and key rings --------------------------------------------------------


def test_key_attributes() -> None:
    key = ediguard.Key(
        SECRET,
        partner="acme",
        senders=["A", "B"],
        canon=["raw", "eol1"],
        not_before=1,
        not_after=2,
        revoked=True,
    )
    assert key.partner == "acme"
    assert key.senders == ["A", "B"]
    assert key.canon == ["raw", "eol1"]
    assert (key.not_before, key.not_after, key.revoked) == (1, 2, True)
    assert key.algorithm == "hmac-sha256"
    default = ediguard.Key(SECRET)
    assert (default.partner, default.senders, default.canon) == ("", [], ["raw"])
    assert (default.not_before, default.not_after, default.revoked) == (None, None, False)
    with pytest.raises(ediguard.EdiguardError, match="at least 32"):
        ediguard.Key(b"\x01" * 31)
    with pytest.raises(ValueError, match="canon"):
        ediguard.Key(SECRET, canon=["eol1"])
    with pytest.raises(ValueError, match="canon"):
        ediguard.Key(SECRET, canon=["c14n"])  # type: ignore[list-item]


def test_key_ring_forms(tmp_path: Path) -> None:
    text = json.dumps(
        {
            "keys": [
                {"kid": "b", "secret_hex": VECTOR_SECRET_HEX, "partner": "pb"},
                {"kid": "a", "secret_base64": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "partner": "pa"},
            ]
        }
    )
    ring = ediguard.KeyRing.from_json(text)
    assert ring.kids == ["a", "b"]
    assert len(ring) == 2 and "a" in ring and "c" not in ring
    assert ring.partner("b") == "pb" and ring.partner("c") is None
    path = tmp_path / "keys.json"
    path.write_text(text)
    assert ediguard.KeyRing.load(path).kids == ["a", "b"]
    assert ediguard.KeyRing.load(str(path)).kids == ["a", "b"]
    with pytest.raises(FileNotFoundError):
        ediguard.KeyRing.load(tmp_path / "missing.json")
    assert len(ediguard.KeyRing()) == 0
    assert ediguard.KeyRing({"x": ediguard.Key(SECRET)}).kids == ["x"]
    with pytest.raises(ediguard.EdiguardError, match="invalid key id"):
        ediguard.KeyRing({"bad id": ediguard.Key(SECRET)})
    with pytest.raises(TypeError):
        ediguard.KeyRing(["x"])  # type: ignore[arg-type]
    for bad in [
        "not json",
        '{"keys": [{"kid": "k"}]}',
        '{"keys": [{"kid": "k", "secret_hex": "00"}]}',
        '{"keys": [{"kid": "k", "secret_hex": "%s", "colour": "red"}]}' % VECTOR_SECRET_HEX,
        '{"keys": [{"kid": "k", "secret_hex": "%s"}, {"kid": "k", "secret_hex": "%s"}]}'
        % (VECTOR_SECRET_HEX, VECTOR_SECRET_HEX),
    ]:
        with pytest.raises(ediguard.EdiguardError):
            ediguard.KeyRing.from_json(bad)


def test_secrets_never_show() -> None:
    secret_hex = VECTOR_SECRET_HEX
    key = ediguard.Key(bytes.fromhex(secret_hex), partner="acme")
    ring = vector_ring()
    shown = [repr(key), str(key), repr(ring), str(ring), repr(ediguard.Verifier(ring))]
    for text in shown:
        assert secret_hex not in text
        assert "0a0b0c" not in text
        assert "\\x00\\x01" not in text
        assert "AAECAw" not in text
    assert "secret=<32 bytes>" in repr(key)
    assert "acme-to-carrier-2024q1" in repr(ring)
    # Errors do not quote the secret either, even when the JSON breaks just
    # after it.
    broken = '{"keys": [{"kid": "k", "secret_hex": "%s" "oops"}]}' % secret_hex
    with pytest.raises(ediguard.EdiguardError) as info:
        ediguard.KeyRing.from_json(broken)
    assert secret_hex not in str(info.value)
    # A failed verification names no key material.
    payload = vector_payload()
    with pytest.raises(ediguard.SignatureError) as bad:
        ediguard.verify(payload + b"x", VECTOR_LINE, ring, now=VECTOR_TS)
    assert secret_hex not in str(bad.value) and secret_hex not in repr(bad.value)
