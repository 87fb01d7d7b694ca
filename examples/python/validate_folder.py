#!/usr/bin/env python3
"""Validate every inbound EDI / ELD file in a folder.

Prints one line per file and writes each file's result as one JSON line to
the file given by --out, for a dashboard or a retry queue to pick up:

    python validate_folder.py inbound/ --out reports.jsonl

A line of --out is either {"path", "format", "ok", "report"} (the report as
ediguard's JSON) or {"path", "error"} for a file ediguard could not read.
Exits 0 when every file was read and has no error findings, 1 otherwise.
Files are checked on every core by one ``ediguard.check_many`` call, which
releases the interpreter while it reads and checks.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Union

import ediguard


def record(path: Path, outcome: Union[ediguard.Report, Exception]) -> dict[str, Any]:
    """The JSON line for one file: its report, or why it could not be read."""
    if isinstance(outcome, ediguard.EdiguardError):
        return {
            "path": str(path),
            "error": {
                "type": type(outcome).__name__,
                "kind": getattr(outcome, "kind", None),
                "message": str(outcome),
                "line": getattr(outcome, "line", None),
                "column": getattr(outcome, "column", None),
            },
        }
    if isinstance(outcome, Exception):
        return {"path": str(path), "error": {"type": type(outcome).__name__, "message": str(outcome)}}
    return {
        "path": str(path),
        "format": outcome.format,
        "ok": outcome.ok,
        "report": outcome.to_dict(),
    }


def summary(result: dict[str, Any]) -> str:
    """One line for a person."""
    if "error" in result:
        return f"UNREADABLE {result['path']}: {result['error']['message']}"
    findings = result["report"]["findings"]
    errors = [f for f in findings if f["severity"] == "error"]
    warnings = sum(1 for f in findings if f["severity"] == "warning")
    status = "OK  " if result["ok"] else "FAIL"
    line = (
        f"{status} {result['path']} ({result['format']}): "
        f"{len(errors)} errors, {warnings} warnings"
    )
    if errors:
        first = errors[0]
        where = first["location"]
        line += f"; first: {first['rule']} at {where.get('line', '?')}:{where.get('column', '?')}"
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("folder", type=Path, help="folder of inbound files")
    parser.add_argument("--out", type=Path, required=True, help="JSON lines output file")
    parser.add_argument("--pattern", default="*", help="file name pattern (default: *)")
    parser.add_argument("--recursive", action="store_true", help="descend into sub-folders")
    parser.add_argument("--disable", action="append", default=[], metavar="RULE",
                        help="switch a rule off (repeatable)")
    parser.add_argument("--threads", type=int, default=None,
                        help="files checked at once (default: one per core)")
    args = parser.parse_args(argv)

    if not args.folder.is_dir():
        parser.error(f"{args.folder} is not a folder")
    if args.threads is not None and args.threads < 1:
        parser.error("--threads must be 1 or more")
    found = args.folder.rglob(args.pattern) if args.recursive else args.folder.glob(args.pattern)
    files = sorted(p for p in found if p.is_file())
    try:
        options = ediguard.Options(disabled=args.disable)
    except ValueError as err:
        parser.error(str(err))

    # One result per file, in the order of `files`: a Report, or the
    # exception that file raised (ParseError, LimitError, OSError).
    outcomes = ediguard.check_many(files, options, threads=args.threads, return_exceptions=True)
    all_ok = True
    with args.out.open("w", encoding="utf-8") as out:
        for path, outcome in zip(files, outcomes):
            result = record(path, outcome)
            print(summary(result))
            out.write(json.dumps(result) + "\n")
            all_ok = all_ok and result.get("ok", False)
    print(f"{len(files)} files checked, report written to {args.out}")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
