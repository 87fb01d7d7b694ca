//! The structure index behind a `Document`: where every interchange, group,
//! message and segment lies in the input, computed once (with the
//! interpreter released) by the crate's X12 and EDIFACT parsers.
//!
//! The index holds byte ranges and a few envelope values only, never views:
//! a view borrows the input, and the input is owned by the same `Document`.
//! Python views rebuild a borrowed `ediguard::syntax::Segment` from a
//! [`SegEntry`] when asked (a constant-time slice), and split elements and
//! components lazily from there.
//!
//! Every collection here grows once per segment, group or message the
//! parser produced, so it is bounded by `Limits::max_segments` (the parsers
//! stop with a limit error beyond it).

use std::borrow::{Borrow, Cow};
use std::ops::Range;

use ediguard::syntax::{Delimiters, Segment};
use ediguard::{Format, Limits, edifact, x12};

/// Decodes bytes for Python: UTF-8 when they are valid UTF-8, otherwise
/// ISO 8859-1 (each byte is the code point of the same value), so that
/// decoding never fails and ASCII, the common case, is the same either way.
pub(crate) fn text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
    }
}

fn owned_text(bytes: &[u8]) -> String {
    text(bytes).into_owned()
}

/// One segment: its bytes are `start..end` of the input (terminator
/// excluded).
#[derive(Clone, Copy, Debug)]
pub(crate) struct SegEntry {
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// 0-based within its interchange.
    pub(crate) ordinal: u32,
    /// Index of its interchange in [`Index::interchanges`].
    pub(crate) interchange: usize,
    pub(crate) delimiters: Delimiters,
}

impl SegEntry {
    /// The borrowed view of this segment over `input`.
    pub(crate) fn view<'a>(&self, input: &'a [u8]) -> Segment<'a> {
        let bytes = input.get(self.start..self.end).unwrap_or_default();
        Segment::new(bytes, self.start, self.ordinal, self.delimiters)
    }
}

/// Envelope values of an interchange, group or message, decoded for Python.
#[derive(Clone, Debug, Default)]
pub(crate) struct Header {
    pub(crate) id: Option<String>,
    pub(crate) sender_qualifier: Option<String>,
    pub(crate) sender_id: Option<String>,
    pub(crate) receiver_qualifier: Option<String>,
    pub(crate) receiver_id: Option<String>,
    pub(crate) control_number: Option<String>,
    pub(crate) version: Option<String>,
    pub(crate) syntax_identifier: Option<String>,
}

/// One interchange (X12 ISA..IEA, EDIFACT UNB..UNZ or a run of bare
/// EDIFACT messages).
#[derive(Clone, Debug)]
pub(crate) struct IcEntry {
    pub(crate) span: Range<usize>,
    /// Indices into [`Index::segments`].
    pub(crate) segments: Range<usize>,
    /// Indices into [`Index::groups`].
    pub(crate) groups: Range<usize>,
    /// Indices into [`Index::messages`].
    pub(crate) messages: Range<usize>,
    pub(crate) header: Option<usize>,
    pub(crate) trailer: Option<usize>,
    pub(crate) values: Header,
}

/// One functional group (X12 GS..GE, EDIFACT UNG..UNE).
#[derive(Clone, Debug)]
pub(crate) struct GroupEntry {
    pub(crate) interchange: usize,
    pub(crate) segments: Range<usize>,
    pub(crate) messages: Range<usize>,
    pub(crate) header: usize,
    pub(crate) trailer: Option<usize>,
    pub(crate) values: Header,
}

/// One transaction set (X12 ST..SE) or message (EDIFACT UNH..UNT).
#[derive(Clone, Debug)]
pub(crate) struct MessageEntry {
    pub(crate) interchange: usize,
    pub(crate) group: Option<usize>,
    pub(crate) segments: Range<usize>,
    pub(crate) trailer: Option<usize>,
    pub(crate) values: Header,
}

/// Everything a `Document` knows about its input's structure.
#[derive(Clone, Debug)]
pub(crate) struct Index {
    pub(crate) format: Format,
    pub(crate) segments: Vec<SegEntry>,
    pub(crate) interchanges: Vec<IcEntry>,
    pub(crate) groups: Vec<GroupEntry>,
    pub(crate) messages: Vec<MessageEntry>,
}

impl Index {
    /// Indexes `input` as `format` (X12 or EDIFACT); input that cannot be
    /// read at all, or that exceeds `limits`, is an error.
    pub(crate) fn build(
        input: &[u8],
        format: Format,
        limits: &Limits,
    ) -> Result<Index, ediguard::Error> {
        if input.len() > limits.max_input_len {
            return Err(ediguard::Error::limit(
                ediguard::Location::at(0),
                "input length",
                limits.max_input_len,
            ));
        }
        let mut index = Index {
            format,
            segments: Vec::new(),
            interchanges: Vec::new(),
            groups: Vec::new(),
            messages: Vec::new(),
        };
        match format {
            Format::X12 => index.add_x12(input, limits)?,
            Format::Edifact => index.add_edifact(input, limits)?,
            other => {
                return Err(ediguard::Error::new(
                    ediguard::ErrorKind::Unrecognized,
                    ediguard::Location::at(0),
                    format!("parse views for {other} are not available in this build"),
                ));
            }
        }
        Ok(index)
    }

    /// The byte range from the first to the last segment of `segments`.
    pub(crate) fn span_of(&self, segments: &Range<usize>) -> (usize, usize) {
        let first = self.segments.get(segments.start);
        let last = segments
            .end
            .checked_sub(1)
            .and_then(|i| self.segments.get(i));
        match (first, last) {
            (Some(f), Some(l)) if segments.start < segments.end => (f.start, l.end),
            (Some(f), _) => (f.start, f.start),
            _ => (0, 0),
        }
    }

    fn push_segments<'a>(
        &mut self,
        interchange: usize,
        segments: impl IntoIterator<Item = impl Borrow<Segment<'a>>>,
    ) -> Range<usize> {
        let base = self.segments.len();
        for s in segments {
            let s = s.borrow();
            self.segments.push(SegEntry {
                start: s.offset(),
                end: s.span().end,
                ordinal: s.ordinal(),
                interchange,
                delimiters: s.delimiters(),
            });
        }
        base..self.segments.len()
    }

    fn add_x12(&mut self, input: &[u8], limits: &Limits) -> Result<(), ediguard::Error> {
        for ic in x12::Parser::new(input)
            .with_limits(limits.clone())
            .interchanges()
        {
            let ic = ic?;
            let i = self.interchanges.len();
            let segs = self.push_segments(i, ic.segments());
            let base = segs.start;
            let first_group = self.groups.len();
            let first_message = self.messages.len();
            for g in ic.groups() {
                let gi = self.groups.len();
                let group_messages = self.messages.len();
                for t in g.transaction_sets() {
                    self.messages.push(MessageEntry {
                        interchange: i,
                        group: Some(gi),
                        segments: ordinal_range(base, t.segments()),
                        trailer: t.se().map(|s| base + s.ordinal() as usize),
                        values: Header {
                            id: Some(owned_text(t.id())),
                            control_number: Some(owned_text(t.control_number())),
                            ..Header::default()
                        },
                    });
                }
                self.groups.push(GroupEntry {
                    interchange: i,
                    segments: ordinal_range(base, g.segments()),
                    messages: group_messages..self.messages.len(),
                    header: base + g.gs().ordinal() as usize,
                    trailer: g.ge().map(|s| base + s.ordinal() as usize),
                    values: Header {
                        id: Some(owned_text(g.functional_id())),
                        sender_id: Some(owned_text(g.sender_id())),
                        receiver_id: Some(owned_text(g.receiver_id())),
                        control_number: Some(owned_text(g.control_number())),
                        version: Some(owned_text(g.version())),
                        ..Header::default()
                    },
                });
            }
            self.interchanges.push(IcEntry {
                span: ic.span(),
                segments: segs.clone(),
                groups: first_group..self.groups.len(),
                messages: first_message..self.messages.len(),
                header: (!segs.is_empty()).then_some(base),
                trailer: ic.iea().map(|s| base + s.ordinal() as usize),
                values: Header {
                    id: None,
                    sender_qualifier: Some(owned_text(ic.sender_qualifier())),
                    sender_id: Some(owned_text(ic.sender_id())),
                    receiver_qualifier: Some(owned_text(ic.receiver_qualifier())),
                    receiver_id: Some(owned_text(ic.receiver_id())),
                    control_number: Some(owned_text(ic.control_number())),
                    version: Some(owned_text(ic.version())),
                    syntax_identifier: None,
                },
            });
        }
        Ok(())
    }

    fn add_edifact(&mut self, input: &[u8], limits: &Limits) -> Result<(), ediguard::Error> {
        let parsed = edifact::parse(input, limits)?;
        if parsed.interchanges().is_empty() {
            // The parser steps over what is not EDIFACT; input with nothing
            // else cannot be read as EDIFACT at all (as for X12 without ISA).
            return Err(ediguard::Error::new(
                ediguard::ErrorKind::Unrecognized,
                ediguard::Location::at(0),
                "no EDIFACT UNA, UNB or UNH header found",
            ));
        }
        for ic in parsed.interchanges() {
            let i = self.interchanges.len();
            let segs = self.push_segments(i, ic.segments());
            let base = segs.start;
            let at = |s: Segment<'_>| base + s.ordinal() as usize;
            let first_group = self.groups.len();
            let first_message = self.messages.len();
            for m in ic.messages() {
                self.messages.push(MessageEntry {
                    interchange: i,
                    group: m.group_index().map(|g| first_group + g),
                    segments: ordinal_range(base, m.segments()),
                    trailer: m.trailer().map(at),
                    values: Header {
                        id: m.message_type().map(owned_text),
                        control_number: m.reference().map(|r| owned_text(&r)),
                        ..Header::default()
                    },
                });
            }
            let messages = first_message..self.messages.len();
            for (n, g) in ic.groups().enumerate() {
                let gi = first_group + n;
                let mine = |m: &MessageEntry| m.group == Some(gi);
                let in_interchange = self.messages.get(messages.clone()).unwrap_or(&[]);
                let group_messages = match in_interchange.iter().position(mine) {
                    Some(p) => {
                        let count = in_interchange
                            .get(p..)
                            .unwrap_or(&[])
                            .iter()
                            .take_while(|m| mine(m))
                            .count();
                        messages.start + p..messages.start + p + count
                    }
                    None => messages.end..messages.end,
                };
                let header = g.header();
                let start = header.map_or(base, at);
                let end = match (g.trailer(), group_messages.end.checked_sub(1)) {
                    (Some(t), _) => at(t) + 1,
                    (None, Some(last)) if !group_messages.is_empty() => self
                        .messages
                        .get(last)
                        .map_or(start + 1, |m| m.segments.end),
                    _ => start + 1,
                };
                let value = |n: usize, c: usize| {
                    header
                        .and_then(|h| h.element(n))
                        .and_then(|e| e.component(c))
                        .map(|c| owned_text(&c.value()))
                };
                self.groups.push(GroupEntry {
                    interchange: i,
                    segments: start..end.max(start),
                    messages: group_messages,
                    header: start,
                    trailer: g.trailer().map(at),
                    values: Header {
                        id: value(1, 1),
                        sender_qualifier: value(2, 2),
                        sender_id: value(2, 1),
                        receiver_qualifier: value(3, 2),
                        receiver_id: value(3, 1),
                        control_number: g.reference().map(|r| owned_text(&r)),
                        version: header
                            .and_then(|h| h.element(7))
                            .map(|e| owned_text(&e.value())),
                        syntax_identifier: None,
                    },
                });
            }
            let unb = ic.header();
            let value = |n: usize, c: usize| {
                unb.and_then(|h| h.element(n))
                    .and_then(|e| e.component(c))
                    .map(|c| owned_text(&c.value()))
            };
            self.interchanges.push(IcEntry {
                span: ic.span(),
                segments: segs,
                groups: first_group..self.groups.len(),
                messages,
                header: unb.map(at),
                trailer: ic.trailer().map(at),
                values: Header {
                    id: None,
                    sender_qualifier: value(2, 2),
                    sender_id: value(2, 1),
                    receiver_qualifier: value(3, 2),
                    receiver_id: value(3, 1),
                    control_number: ic.control_reference().map(|r| owned_text(&r)),
                    version: value(1, 2),
                    syntax_identifier: ic.syntax_identifier().map(owned_text),
                },
            });
        }
        Ok(())
    }
}

/// The flat index range of a run of segments of one interchange whose
/// segment 0 is at `base` (works for slices and iterators of segments
/// alike).
fn ordinal_range<'a>(
    base: usize,
    segments: impl IntoIterator<Item = impl Borrow<Segment<'a>>>,
) -> Range<usize> {
    let mut it = segments.into_iter();
    let Some(first) = it.next().map(|s| s.borrow().ordinal() as usize) else {
        return base..base;
    };
    let last = it.last().map_or(first, |s| s.borrow().ordinal() as usize);
    base + first..base + last.max(first) + 1
}
