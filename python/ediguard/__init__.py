"""ediguard: integrity validation for freight documents.

Checks ASC X12 and UN/EDIFACT interchanges and FMCSA ELD output files and
reports every finding with an exact location::

    import ediguard

    report = ediguard.check("inbound/204-load-tender.x12")
    for finding in report.findings:
        print(finding.line, finding.column, finding.rule, finding.message)
    report.raise_for_errors()

Parse views give the structure with exact byte spans::

    doc = ediguard.parse("inbound/214-status.x12")
    for message in doc.interchanges[0].messages:
        for seg in message.segments:
            if seg.tag == "AT7":
                print(seg[1].text, seg.span)   # AT701, 1-based like EDI
    rows = doc.to_rows()   # every segment as a tuple, in one call

ELD output files parse into sections and records with typed fields::

    eld = ediguard.parse_eld("logs/T1042.csv")
    for rec in eld.section("event_list").records:
        print(rec.date(), rec.time(), rec.latitude(), rec.engine_hours())

EDISIG signatures (HMAC-SHA256; integrity between two key holders, no
non-repudiation)::

    ring = ediguard.KeyRing.load("keys.json")
    verified = ediguard.verify(payload, signature_line, ring)
    print(verified.kid, verified.partner, verified.sha256)

Every function accepts ``bytes``, ``bytearray``, ``memoryview`` or a path
(``str`` or ``os.PathLike``). Parsing and checking run with the interpreter
released, so threads check files in parallel; ``check_many`` checks a batch
on every core by itself::

    reports = ediguard.check_many(paths)   # in the order of paths
"""

from ediguard._native import (
    Component,
    Counts,
    Document,
    EdiguardError,
    EldFile,
    EldRecord,
    EldSection,
    Element,
    FieldError,
    Finding,
    Group,
    Interchange,
    Key,
    KeyRing,
    Ledger,
    LedgerError,
    LimitError,
    Message,
    Options,
    ParseError,
    Report,
    Segment,
    SignatureError,
    SqliteLedger,
    ValidationError,
    Verified,
    Verifier,
    __version__,
    autack_generate,
    autack_verify,
    check,
    check_many,
    detect,
    eld_event_check_value,
    eld_file_check_value,
    eld_line_check_value,
    parse,
    parse_edifact,
    parse_eld,
    parse_x12,
    rules,
    secure_edifact,
    sign,
    verify,
)

__all__ = [
    "Component",
    "Counts",
    "Document",
    "EdiguardError",
    "EldFile",
    "EldRecord",
    "EldSection",
    "Element",
    "FieldError",
    "Finding",
    "Group",
    "Interchange",
    "Key",
    "KeyRing",
    "Ledger",
    "LedgerError",
    "LimitError",
    "Message",
    "Options",
    "ParseError",
    "Report",
    "Segment",
    "SignatureError",
    "SqliteLedger",
    "ValidationError",
    "Verified",
    "Verifier",
    "__version__",
    "autack_generate",
    "autack_verify",
    "check",
    "check_many",
    "detect",
    "eld_event_check_value",
    "eld_file_check_value",
    "eld_line_check_value",
    "parse",
    "parse_edifact",
    "parse_eld",
    "parse_x12",
    "rules",
    "secure_edifact",
    "sign",
    "verify",
]
