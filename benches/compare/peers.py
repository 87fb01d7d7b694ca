"""Python peers for the comparison harness: one job on one file per process.

    python peers.py TOOL MODE FILE

TOOL is ``pyx12`` or ``badx12``; MODE is ``tokenize`` or ``check``. Prints
``segments=N elements=N findings=N`` as the Rust harness does, so the script
can see that the tool really parsed the input.

- pyx12 4.0: ``tokenize`` iterates ``RawX12File`` and builds a
  ``pyx12.segment.Segment`` for each segment; ``check`` iterates
  ``X12Reader``, which also checks ISA/IEA, GS/GE and ST/SE control numbers
  and counts, duplicate control numbers and the HL tree, then ``cleanup()``
  for missing trailers. (Its HIPAA map validation, ``x12n_document``, has
  maps for the health-care sets only, not for 204/214/856.)
- badx12 0.2: ``Parser`` reads one interchange per document, so the file is
  split before each ISA and every interchange parsed (``tokenize``) and then
  ``EDIDocument.validate()`` run on it (``check``). It needs a
  ``collections.Iterable`` alias on Python 3.10+ (see ``badx12_run``).
"""

from __future__ import annotations

import re
import sys


def pyx12_run(path: str, check: bool) -> tuple[int, int, int]:
    import pyx12.rawx12file
    import pyx12.segment
    import pyx12.x12file

    segments = elements = findings = 0
    with open(path, encoding="ascii") as f:
        if check:
            reader = pyx12.x12file.X12Reader(f)
            for seg in reader:
                segments += 1
                elements += len(seg)
                findings += len(reader.pop_errors())
            reader.cleanup()
            findings += len(reader.pop_errors())
        else:
            raw = pyx12.rawx12file.RawX12File(f)
            seg_term, ele_term, subele_term, _eol, _rep = raw.get_term()
            for line in raw:
                seg = pyx12.segment.Segment(line, seg_term, ele_term, subele_term)
                segments += 1
                elements += len(seg)
    return segments, elements, findings


def badx12_run(path: str, check: bool) -> tuple[int, int, int]:
    # badx12 0.2.2 (2018) imports collections.Iterable, which Python 3.10
    # removed; restore the alias so that it imports at all.
    import collections
    import collections.abc

    if not hasattr(collections, "Iterable"):
        collections.Iterable = collections.abc.Iterable  # type: ignore[attr-defined]
    from badx12 import Parser

    with open(path, encoding="ascii") as f:
        text = f.read()
    if len(text) < 106 or not text.startswith("ISA"):
        raise SystemExit("badx12: not an X12 interchange")
    element, terminator = text[3], text[105]
    starts = re.compile(
        "(?<=" + re.escape(terminator) + r")\s*(?=ISA" + re.escape(element) + ")"
    )
    segments = elements = findings = 0
    for interchange in starts.split(text):
        if not interchange.strip():
            continue
        doc = Parser(interchange).document
        segments += 2
        for group in doc.interchange.groups:
            segments += 2
            for ts in group.transaction_sets:
                segments += 2 + len(ts.transaction_body)
                elements += sum(len(s.fields) for s in ts.transaction_body)
        if check:
            report = doc.validate()
            if not report.is_document_valid():
                findings += max(1, len(report.error_list))
    return segments, elements, findings


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in ("tokenize", "check"):
        print("usage: peers.py pyx12|badx12 tokenize|check FILE", file=sys.stderr)
        return 2
    tool, mode, path = argv
    runners = {"pyx12": pyx12_run, "badx12": badx12_run}
    if tool not in runners:
        print(f"peers.py: unknown tool {tool!r}", file=sys.stderr)
        return 2
    segments, elements, findings = runners[tool](path, mode == "check")
    print(f"segments={segments} elements={elements} findings={findings}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
