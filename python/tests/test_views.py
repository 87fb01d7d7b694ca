"""The view classes one attribute at a time: Interchange, Group, Message,
Segment, Element and Component, on the project's samples and on inputs
built here (repetitions, encodings, releases)."""

from __future__ import annotations

import pytest

import ediguard
from conftest import EXAMPLES, interchange


def parse_sample(name: str) -> tuple[bytes, ediguard.Document]:
    data = (EXAMPLES / name).read_bytes()
    return data, ediguard.parse(data)


def x12_with(body: str, version: str = "00501", isa11: str = "^") -> bytes:
    """One interchange holding one transaction set with `body` segments."""
    isa = (
        f"ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       "
        f"*240101*1200*{isa11}*{version}*000000009*0*P*:~"
    )
    segs = ["ST*214*0001", *body.split("~"), f"SE*{len(body.split('~')) + 2}*0001"]
    group = "GS*QM*SENDER*RECEIVER*20240101*1200*9*X*005010~" + "~".join(segs) + "~GE*1*9~"
    return (isa + group + "IEA*1*000000009~").encode("latin-1")


# --- Interchange ------------------------------------------------------------


def test_x12_interchange() -> None:
    data, doc = parse_sample("204-load-tender.x12")
    (ic,) = doc.interchanges
    assert ic.index == 0
    assert ic.format == "x12"
    assert (ic.sender_qualifier, ic.sender_id) == ("ZZ", "GLPAPER")
    assert (ic.receiver_qualifier, ic.receiver_id) == ("ZZ", "NLFX")
    assert ic.control_number == "000001001"
    assert ic.version == "00401"
    assert ic.syntax_identifier is None
    assert ic.span == (0, len(data) - 1)  # the final LF is not part of it
    assert ic.as_bytes() == data[:-1]
    assert ic.as_bytes().endswith(b"IEA*1*000001001~")
    header, trailer = ic.header, ic.trailer
    assert header is not None and header.tag == "ISA" and header.ordinal == 0
    assert trailer is not None and trailer.tag == "IEA"
    assert trailer.ordinal == len(ic) - 1
    assert len(ic) == len(ic.segments) == len(doc)
    assert [g.id for g in ic.groups] == ["SM"]
    assert [m.id for m in ic.messages] == ["204"]
    assert [m.span for m in ic.transaction_sets] == [m.span for m in ic.messages]
    assert repr(ic) == (
        f'<Interchange format=x12 sender_id="GLPAPER" receiver_id="NLFX" '
        f'control_number="000001001" span=(0, {len(data) - 1})>'
    )


def test_edifact_interchange() -> None:
    data, doc = parse_sample("iftsta-status.edi")
    (ic,) = doc.interchanges
    assert ic.format == "edifact"
    assert (ic.sender_id, ic.sender_qualifier) == ("NLFX", "ZZZ")
    assert (ic.receiver_id, ic.receiver_qualifier) == ("GLPAPER", "ZZZ")
    assert ic.control_number == "NLF0001"
    assert ic.syntax_identifier == "UNOC"
    assert ic.version == "3"
    assert ic.span[0] == 0  # from the UNA
    assert ic.as_bytes().startswith(b"UNA:+.? '\nUNB+")
    assert ic.as_bytes().endswith(b"UNZ+1+NLF0001")
    assert ic.header is not None and ic.header.tag == "UNB"
    assert ic.trailer is not None and ic.trailer.tag == "UNZ"
    assert ic.groups == []
    (msg,) = ic.messages
    assert msg.type == "IFTSTA"
    assert len(ic.transaction_sets) == 1


def test_edifact_bare_messages_form_an_interchange_without_header() -> None:
    data = b"UNH+1+IFTSTA:D:01B:UN'BGM+23+X+9'UNT+3+1'UNH+2+IFTSTA:D:01B:UN'UNT+2+2'"
    doc = ediguard.parse(data)
    (ic,) = doc.interchanges
    assert ic.header is None and ic.trailer is None
    assert ic.sender_id is None and ic.control_number is None
    assert ic.version is None and ic.syntax_identifier is None
    assert [(m.control_number, len(m)) for m in ic.messages] == [("1", 3), ("2", 2)]
    assert ic.segments[0].ordinal == 0 and ic.segments[0].tag == "UNH"


# --- Group and Message ------------------------------------------------------


def test_x12_group_and_transaction_set() -> None:
    data, doc = parse_sample("214-status.x12")
    (group,) = doc.interchanges[0].groups
    assert group.interchange_index == 0
    assert (group.id, group.sender_id, group.receiver_id) == ("QM", "NLFX", "GLPAPER")
    assert (group.control_number, group.version) == ("2001", "004010")
    assert group.header is not None and group.header.tag == "GS"
    assert group.trailer is not None and group.trailer.as_bytes() == b"GE*1*2001"
    start, end = group.span
    assert data[start:end] == group.as_bytes()
    assert group.as_bytes().startswith(b"GS*QM*") and group.as_bytes().endswith(b"GE*1*2001")
    assert len(group) == len(group.segments) == len(doc) - 2
    (st,) = group.transaction_sets
    assert [m.span for m in group.messages] == [st.span]
    assert (st.id, st.type, st.control_number) == ("214", "214", "0001")
    assert st.interchange_index == 0
    assert st.header is not None and st.header.as_bytes() == b"ST*214*0001"
    assert st.trailer is not None and st.trailer.tag == "SE"
    assert st.trailer[1].text == str(len(st))  # SE01 counts ST..SE
    assert st.as_bytes().startswith(b"ST*214*0001~") and st.as_bytes().endswith(b"*0001")
    assert sum(1 for s in st.segments if s.tag == "AT7") == 5
    assert repr(group) == f'<Group id="QM" control_number="2001" span={group.span}>'
    assert repr(st) == (
        f'<Message id="214" control_number="0001" segments={len(st)} span={st.span}>'
    )


def test_edifact_group_built_here() -> None:
    data = (
        b"UNB+UNOA:3+SND:14+RCV:14+240101:1200+77'"
        b"UNG+IFTSTA+GSND:ZZ+GRCV:ZZ+240101:1200+5+UN+D:01B'"
        b"UNH+1+IFTSTA:D:01B:UN'BGM+23+X+9'UNT+3+1'"
        b"UNH+2+IFTSTA:D:01B:UN'UNT+2+2'"
        b"UNE+2+5'"
        b"UNH+3+CUSCAR:D:95B:UN'UNT+2+3'"
        b"UNZ+2+77'"
    )
    doc = ediguard.parse(data)
    (ic,) = doc.interchanges
    (group,) = ic.groups
    assert (group.id, group.sender_id, group.receiver_id) == ("IFTSTA", "GSND", "GRCV")
    assert (group.control_number, group.version) == ("5", "D:01B")
    assert [m.control_number for m in group.messages] == ["1", "2"]
    assert [m.control_number for m in ic.messages] == ["1", "2", "3"]
    assert [m.id for m in ic.messages] == ["IFTSTA", "IFTSTA", "CUSCAR"]
    assert group.as_bytes() == data[data.index(b"UNG") : data.index(b"UNE+2+5") + 7]
    assert [s.tag for s in group.segments] == ["UNG", "UNH", "BGM", "UNT", "UNH", "UNT", "UNE"]
    assert group.trailer is not None and group.trailer.as_bytes() == b"UNE+2+5"


def test_message_without_trailer() -> None:
    data = b"UNB+UNOA:3+S+R+240101:1200+1'UNH+1+X:D:01B:UN'BGM+1'UNZ+1+1'"
    (msg,) = ediguard.parse(data).interchanges[0].messages
    assert msg.trailer is None
    # The core parser currently also counts the UNZ that ended the unclosed
    # message as one of its segments (reported to the EDIFACT owner), so
    # only the message's own segments are asserted here.
    assert [s.tag for s in msg.segments][:2] == ["UNH", "BGM"]
    assert msg.as_bytes().startswith(b"UNH+1+X:D:01B:UN'BGM+1")
    assert msg.header is not None and msg.header.tag == "UNH"


# --- Segment ----------------------------------------------------------------


def test_segment() -> None:
    data = interchange(3)
    doc = ediguard.parse(data)
    seg = doc.segments[3]
    assert seg.tag == "B2"
    assert seg.as_bytes() == b"B2**SCAC**LOAD3-1**PP"
    assert seg.offset == data.index(b"B2*")
    assert seg.span == (seg.offset, seg.offset + len(seg.as_bytes()))
    assert seg.ordinal == 3 and seg.interchange_index == 0
    assert len(seg) == 6
    assert [e.value for e in seg.elements] == [b"", b"SCAC", b"", b"LOAD3-1", b"", b"PP"]
    assert [e.position for e in seg.elements] == [1, 2, 3, 4, 5, 6]
    assert [e.value for e in seg] == [e.value for e in seg.elements]
    assert seg[2] == b"SCAC" and seg.element(2) == b"SCAC"
    assert seg[6].text == "PP"
    assert repr(seg) == f"<Segment B2 ordinal=3 span={seg.span} b'B2**SCAC**LOAD3-1**PP'>"


@pytest.mark.parametrize("n", [0, -1, -6, 7, 10**6])
def test_segment_positions_outside_one_to_len(n: int) -> None:
    seg = ediguard.parse(interchange(3)).segments[3]
    assert seg.element(n) is None
    with pytest.raises(IndexError, match="B2 has no element"):
        seg[n]


def test_segment_without_elements() -> None:
    data = b"UNB+UNOA:3+S+R+240101:1200+1'UNH+1+X:D:01B:UN'UNS'UNT+3+1'UNZ+1+1'"
    uns = ediguard.parse(data).segments[2]
    assert uns.tag == "UNS" and len(uns) == 0 and uns.elements == [] and list(uns) == []
    with pytest.raises(IndexError):
        uns[1]


def test_long_segment_repr_is_shortened() -> None:
    seg = ediguard.parse(x12_with("NTE*" + "X" * 200)).segments[3]
    assert repr(seg).endswith("...'>")
    assert len(repr(seg)) < 120


# --- Element and Component --------------------------------------------------


def test_element() -> None:
    data, doc = parse_sample("214-status.x12")
    n4 = next(s for s in doc.segments if s.tag == "N4")
    el = n4[1]
    assert el.value == el.raw == b"Toledo"
    assert el.text == str(el) == "Toledo"
    assert bytes(el) == b"Toledo"
    assert data[el.span[0] : el.span[1]] == b"Toledo" and el.offset == el.span[0]
    assert el.position == 1 and el.repetition is None
    assert el.segment_ordinal == n4.ordinal
    assert [c.value for c in el.components] == [b"Toledo"]
    assert repr(el) == f"<Element position=1 span={el.span} b'Toledo'>"


def test_element_equality() -> None:
    seg = ediguard.parse(interchange(3)).segments[2]  # ST*204*0001
    el = seg[1]
    assert el == b"204" and el == "204"
    assert not (el != b"204") and el != b"205" and el != "205"
    assert el == seg.element(1)
    assert el != seg[2]
    assert el != 204 and not (el == 204)
    assert el == el.component(1)
    with pytest.raises(TypeError):
        hash(el)
    with pytest.raises(TypeError):
        hash(el.components[0])
    with pytest.raises(TypeError):
        el < b"3"  # type: ignore[operator]


def test_components_x12() -> None:
    data = x12_with("SV1*HC:99213:25*100")
    sv1 = ediguard.parse(data).segments[3]
    el = sv1[1]
    comps = el.components
    assert [c.value for c in comps] == [b"HC", b"99213", b"25"]
    assert [c.position for c in comps] == [1, 2, 3]
    assert all(c.element_position == 1 and c.repetition is None for c in comps)
    assert [data[c.span[0] : c.span[1]] for c in comps] == [b"HC", b"99213", b"25"]
    c2 = el.component(2)
    assert c2 is not None
    assert (c2.value, c2.raw, c2.text, str(c2), bytes(c2)) == (
        b"99213", b"99213", "99213", "99213", b"99213"
    )
    assert c2.offset == c2.span[0] == data.index(b"99213")
    assert c2 == b"99213" and c2 == "99213" and c2 != "x"
    assert el.component(0) is None and el.component(4) is None and el.component(-1) is None
    assert sv1[2].components[0] == b"100"
    assert repr(c2) == f"<Component element=1 position=2 span={c2.span} b'99213'>"


def test_x12_repetitions_from_isa11() -> None:
    data = x12_with("HI*BK:8901^BF:87200^BF:5559")
    el = ediguard.parse(data).segments[3][1]
    reps = el.repetitions
    assert [r.value for r in reps] == [b"BK:8901", b"BF:87200", b"BF:5559"]
    assert [r.repetition for r in reps] == [1, 2, 3]
    assert all(r.position == 1 for r in reps)
    assert [data[r.span[0] : r.span[1]] for r in reps] == [b"BK:8901", b"BF:87200", b"BF:5559"]
    second = reps[1]
    assert [c.value for c in second.components] == [b"BF", b"87200"]
    c = second.component(2)
    assert c is not None and c.repetition == 2 and c.element_position == 1
    assert repr(second).startswith("<Element position=1 repetition=2 ")


def test_x12_before_00402_has_no_repetition_separator() -> None:
    data = x12_with("HI*A^B", version="00401", isa11="U")
    el = ediguard.parse(data).segments[3][1]
    assert [r.value for r in el.repetitions] == [b"A^B"]
    assert el.repetitions[0].repetition == 1


def test_edifact_repetitions_in_syntax_4() -> None:
    data = b"UNB+UNOA:4+S+R+20240101:1200+1'UNH+1+X:D:01B:UN'BGM+1*2:b*3'UNT+3+1'UNZ+1+1'"
    el = ediguard.parse(data).segments[2][1]
    assert [r.value for r in el.repetitions] == [b"1", b"2:b", b"3"]
    assert [c.value for c in el.repetitions[1].components] == [b"2", b"b"]


def test_edifact_released_values_are_unescaped() -> None:
    data, doc = parse_sample("cuscar-manifest.edi")
    ftx = next(s for s in doc.segments if s.tag == "FTX")
    el = ftx[4]
    assert el.raw == b"Paper towels?: 22 pallets, 18,400 lb"
    assert el.value == b"Paper towels: 22 pallets, 18,400 lb"
    assert el.text == "Paper towels: 22 pallets, 18,400 lb"
    assert el == "Paper towels: 22 pallets, 18,400 lb"
    # The released ':' does not split components.
    (comp,) = el.components
    assert comp.raw == el.raw and comp.value == el.value
    assert data[el.span[0] : el.span[1]] == el.raw


def test_iftsta_released_apostrophe() -> None:
    data, doc = parse_sample("iftsta-status.edi")
    ftx = next(s for s in doc.segments if s.tag == "FTX")
    assert ftx.as_bytes() == b"FTX+AAI+++Delivered at the consignee?'s dock?: 22 pallets"
    assert ftx[4].value == b"Delivered at the consignee's dock: 22 pallets"
    sts = [s for s in doc.segments if s.tag == "STS"]
    assert [s[2].component(1) for s in sts] == ["X3", "AF", "X6", "X1", "D1"]
    assert [s.element(2).component(4).text for s in sts if s.element(2)] == [  # type: ignore[union-attr]
        "Arrived at shipper",
        "Departed shipper, loaded",
        "En route",
        "Arrived at consignee",
        "Delivered",
    ]


def test_edifact_component_positions_with_empties() -> None:
    data, doc = parse_sample("iftsta-status.edi")
    nad = next(s for s in doc.segments if s.tag == "NAD")
    el = nad[2]
    assert el.raw == b"NLFX::ZZZ"
    assert [(c.position, c.value) for c in el.components] == [(1, b"NLFX"), (2, b""), (3, b"ZZZ")]
    assert nad[3] == b"" and nad[4] == "Northline Freight LLC (USDOT 3141592)"


def test_text_is_utf8_or_latin1() -> None:
    latin1 = x12_with("N1*SH*Caf\xe9 Ren\xe9")  # ISO 8859-1 bytes
    el = ediguard.parse(latin1).segments[3][2]
    assert el.value == b"Caf\xe9 Ren\xe9"
    assert el.text == "Caf\u00e9 Ren\u00e9"
    utf8 = latin1.replace(b"Caf\xe9 Ren\xe9", "Café René".encode())
    el = ediguard.parse(utf8).segments[3][2]
    assert el.value == "Café René".encode()
    assert el.text == "Café René" and el == "Café René"
    assert el.components[0].text == "Café René"
