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

Every function accepts ``bytes``, ``bytearray``, ``memoryview`` or a path
(``str`` or ``os.PathLike``). Parsing and checking run with the interpreter
released, so threads check files in parallel.
"""

from ediguard._native import (
    Component,
    Counts,
    Document,
    EdiguardError,
    Element,
    Finding,
    Group,
    Interchange,
    LimitError,
    Message,
    Options,
    ParseError,
    Report,
    Segment,
    ValidationError,
    __version__,
    check,
    detect,
    parse,
    parse_edifact,
    parse_x12,
    rules,
)

__all__ = [
    "Component",
    "Counts",
    "Document",
    "EdiguardError",
    "Element",
    "Finding",
    "Group",
    "Interchange",
    "LimitError",
    "Message",
    "Options",
    "ParseError",
    "Report",
    "Segment",
    "ValidationError",
    "__version__",
    "check",
    "detect",
    "parse",
    "parse_edifact",
    "parse_x12",
    "rules",
]
