"""ediguard: integrity validation for freight documents.

Checks ASC X12 and UN/EDIFACT interchanges and FMCSA ELD output files and
reports every finding with an exact location::

    import ediguard

    report = ediguard.check("inbound/204-load-tender.x12")
    for finding in report.findings:
        print(finding.line, finding.column, finding.rule, finding.message)
    report.raise_for_errors()

Every function accepts ``bytes``, ``bytearray``, ``memoryview`` or a path
(``str`` or ``os.PathLike``). Parsing and checking run with the interpreter
released, so threads check files in parallel.
"""

from ediguard._native import (
    Counts,
    EdiguardError,
    Finding,
    LimitError,
    Options,
    ParseError,
    Report,
    ValidationError,
    __version__,
    check,
    detect,
    rules,
)

__all__ = [
    "Counts",
    "EdiguardError",
    "Finding",
    "LimitError",
    "Options",
    "ParseError",
    "Report",
    "ValidationError",
    "__version__",
    "check",
    "detect",
    "rules",
]
