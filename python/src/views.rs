//! Parse views: `parse`, `parse_x12`, `parse_edifact`, and the classes
//! `Document`, `Interchange`, `Group`, `Message`, `Segment`, `Element` and
//! `Component`.
//!
//! A `Document` owns the input (the caller's `bytes` object itself, without
//! a copy) and an [`Index`] of where everything lies, computed once with the
//! interpreter released. Every other view holds a strong reference to its
//! `Document` plus a few offsets, so views never copy the input and stay
//! valid as long as they are reachable. Elements and components are split
//! from the segment's bytes when asked, by the crate's own views.
//!
//! Positions follow EDI notation: elements, components and repetitions are
//! 1-based (`seg[2]` is `REF02`, `seg.element(3).component(1)` is
//! `REF03-1`); segment ordinals and byte offsets are 0-based. Spans are
//! `(start, end)` byte offsets into the input, so `data[start:end]` is the
//! view's raw bytes.
//!
//! Text (`tag`, `text`, envelope values) is decoded as UTF-8 when the bytes
//! are valid UTF-8 and as ISO 8859-1 otherwise, so decoding never fails;
//! `value` and `raw` give the bytes themselves when the encoding matters.

use std::borrow::Cow;

use ediguard::syntax::{Element, Segment, unescape};
use ediguard::{Format, Limits};
use pyo3::IntoPyObjectExt;
use pyo3::exceptions::{PyIndexError, PyValueError};
use pyo3::prelude::*;
use pyo3::pyclass::CompareOp;
use pyo3::types::{PyBytes, PyIterator, PyList, PyString, PyTuple};

use crate::errors::Failure;
use crate::index::{GroupEntry, Header, IcEntry, Index, MessageEntry, SegEntry, text};
use crate::input::{Input, Owned};
use crate::options::PyOptions;
use crate::report::PyReport;

/// Most bytes of a segment shown by `repr()`.
const REPR_LEN: usize = 60;

fn parse_format(format: Option<&str>) -> PyResult<Option<Format>> {
    match format {
        None => Ok(None),
        Some("x12") => Ok(Some(Format::X12)),
        Some("edifact") => Ok(Some(Format::Edifact)),
        Some("eld") => Ok(Some(Format::Eld)),
        Some(other) => Err(PyValueError::new_err(format!(
            "format must be 'x12', 'edifact', 'eld' or None (detected), got {other:?}"
        ))),
    }
}

fn document(py: Python<'_>, data: Input, format: Format) -> PyResult<PyDocument> {
    let bytes = data.into_owned(py, Limits::default().max_input_len)?;
    owned_document(py, bytes, format)
}

fn owned_document(py: Python<'_>, bytes: Owned, format: Format) -> PyResult<PyDocument> {
    let limits = Limits::default();
    let input: &[u8] = &bytes;
    let index = py
        .detach(|| Index::build(input, format, &limits))
        .map_err(|e| Failure::edi(e, input).into_pyerr(py))?;
    Ok(PyDocument { bytes, index })
}

/// Parses `data` into a `Document` of views (X12, EDIFACT) or an `EldFile`
/// (ELD output files).
///
/// `format` is "x12", "edifact", "eld" or None (detected, as `detect`
/// does). Raises `ParseError` for input that cannot be read at all,
/// `LimitError` over a limit and `ValueError` for an unknown `format`.
#[pyfunction]
#[pyo3(signature = (data, format=None))]
pub(crate) fn parse(py: Python<'_>, data: Input, format: Option<&str>) -> PyResult<Py<PyAny>> {
    let format = parse_format(format)?;
    let limits = Limits::default();
    let bytes = data.into_owned(py, limits.max_input_len)?;
    let format = match format {
        Some(f) => f,
        None => {
            let input: &[u8] = &bytes;
            py.detach(|| ediguard::detect(input))
                .map_err(|e| Failure::edi(e, input).into_pyerr(py))?
        }
    };
    match format {
        Format::Eld => crate::eld::eld_file(py, bytes, &limits)?.into_py_any(py),
        f => owned_document(py, bytes, f)?.into_py_any(py),
    }
}

/// Parses `data` as X12 (ISA .. IEA interchanges) into a `Document`.
#[pyfunction]
pub(crate) fn parse_x12(py: Python<'_>, data: Input) -> PyResult<PyDocument> {
    document(py, data, Format::X12)
}

/// Parses `data` as UN/EDIFACT (UNA/UNB .. UNZ) into a `Document`.
#[pyfunction]
pub(crate) fn parse_edifact(py: Python<'_>, data: Input) -> PyResult<PyDocument> {
    document(py, data, Format::Edifact)
}

/// A parsed input: the bytes and the structure found in them.
#[pyclass(name = "Document", module = "ediguard", frozen)]
pub(crate) struct PyDocument {
    bytes: Owned,
    index: Index,
}

impl PyDocument {
    fn slice(&self, start: usize, end: usize) -> &[u8] {
        self.bytes.get(start..end).unwrap_or_default()
    }
}

fn segment_view(py: Python<'_>, doc: &Py<PyDocument>, i: usize) -> Option<PySegment> {
    let entry = *doc.get().index.segments.get(i)?;
    Some(PySegment {
        doc: doc.clone_ref(py),
        entry,
    })
}

fn segment_list<'py>(
    py: Python<'py>,
    doc: &Py<PyDocument>,
    range: std::ops::Range<usize>,
) -> PyResult<Bound<'py, PyList>> {
    let all = &doc.get().index.segments;
    let entries = all.get(range).unwrap_or(&[]);
    PyList::new(
        py,
        entries.iter().map(|&entry| PySegment {
            doc: doc.clone_ref(py),
            entry,
        }),
    )
}

fn message_list<'py>(
    py: Python<'py>,
    doc: &Py<PyDocument>,
    range: std::ops::Range<usize>,
) -> PyResult<Bound<'py, PyList>> {
    PyList::new(
        py,
        range.map(|index| PyMessage {
            doc: doc.clone_ref(py),
            index,
        }),
    )
}

fn bytes_of<'py>(py: Python<'py>, doc: &PyDocument, span: (usize, usize)) -> Bound<'py, PyBytes> {
    PyBytes::new(py, doc.slice(span.0, span.1))
}

#[pymethods]
impl PyDocument {
    /// "x12" or "edifact".
    #[getter]
    fn format(&self) -> &'static str {
        self.index.format.as_str()
    }

    /// The interchanges, in input order (for EDIFACT, a run of messages
    /// without UNB is one interchange whose `header` is None).
    #[getter]
    fn interchanges(slf: &Bound<'_, Self>) -> PyResult<Vec<PyInterchange>> {
        let py = slf.py();
        let doc = slf.clone().unbind();
        Ok((0..slf.get().index.interchanges.len())
            .map(|index| PyInterchange {
                doc: doc.clone_ref(py),
                index,
            })
            .collect())
    }

    /// Every segment of every interchange, in input order (bytes outside
    /// interchanges and EDIFACT UNA service string advice are not segments).
    #[getter]
    fn segments<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyList>> {
        let n = slf.get().index.segments.len();
        segment_list(slf.py(), &slf.clone().unbind(), 0..n)
    }

    /// Every segment as a row, built in one call:
    /// `(interchange_index, segment_ordinal, tag, offset, end, elements)`
    /// where `interchange_index` is the position in `interchanges`,
    /// `segment_ordinal` the 0-based position within the interchange, `tag`
    /// a str, `offset`/`end` the segment's span (terminator excluded), and
    /// `elements` a tuple of `bytes`, one per element after the tag (whole
    /// elements, components not split; EDIFACT release characters removed).
    fn to_rows<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let input: &[u8] = &self.bytes;
        let rows = PyList::empty(py);
        let mut values: Vec<Bound<'py, PyBytes>> = Vec::new();
        for entry in &self.index.segments {
            let seg = entry.view(input);
            values.clear();
            values.extend(seg.elements().map(|e| PyBytes::new(py, &e.value())));
            let row = (
                entry.interchange,
                entry.ordinal,
                PyString::new(py, &text(seg.tag())),
                entry.start,
                entry.end,
                PyTuple::new(py, values.iter())?,
            );
            rows.append(row)?;
        }
        Ok(rows)
    }

    /// Checks the document's bytes: the same `Report` as `ediguard.check`.
    #[pyo3(signature = (options=None))]
    fn check(&self, py: Python<'_>, options: Option<Bound<'_, PyOptions>>) -> PyResult<PyReport> {
        let default = ediguard::Options::default();
        let options = options.as_ref().map_or(&default, |o| &o.get().inner);
        let input: &[u8] = &self.bytes;
        let report = py
            .detach(|| ediguard::check(input, options).map_err(|e| Failure::edi(e, input)))
            .map_err(|f| f.into_pyerr(py))?;
        PyReport::new(py, report)
    }

    /// The input, as given (the same `bytes` object when one was given).
    fn as_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        match &self.bytes {
            Owned::Python(b) => Ok(b.into_pyobject(py)?),
            Owned::Read(b) => Ok(PyBytes::new(py, b)),
        }
    }

    /// The number of segments (the length of `segments` and `to_rows()`).
    fn __len__(&self) -> usize {
        self.index.segments.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "<Document format={} interchanges={} segments={} bytes={}>",
            self.index.format.as_str(),
            self.index.interchanges.len(),
            self.index.segments.len(),
            self.bytes.len()
        )
    }
}

/// One interchange: X12 ISA .. IEA, EDIFACT UNB .. UNZ, or a run of EDIFACT
/// messages without UNB.
#[pyclass(name = "Interchange", module = "ediguard", frozen)]
pub(crate) struct PyInterchange {
    doc: Py<PyDocument>,
    index: usize,
}

impl PyInterchange {
    fn entry(&self) -> &IcEntry {
        // `index` is made only from `0..interchanges.len()`.
        &self.doc.get().index.interchanges[self.index]
    }
}

#[pymethods]
impl PyInterchange {
    /// Position in `Document.interchanges`, 0-based.
    #[getter]
    fn index(&self) -> usize {
        self.index
    }

    /// "x12" or "edifact".
    #[getter]
    fn format(&self) -> &'static str {
        self.doc.get().index.format.as_str()
    }

    /// X12 ISA05, EDIFACT UNB S002/0007 (sender identification code
    /// qualifier).
    #[getter]
    fn sender_qualifier(&self) -> Option<&str> {
        self.entry().values.sender_qualifier.as_deref()
    }

    /// X12 ISA06 (spaces trimmed), EDIFACT UNB S002/0004 (sender
    /// identification).
    #[getter]
    fn sender_id(&self) -> Option<&str> {
        self.entry().values.sender_id.as_deref()
    }

    /// X12 ISA07, EDIFACT UNB S003/0007.
    #[getter]
    fn receiver_qualifier(&self) -> Option<&str> {
        self.entry().values.receiver_qualifier.as_deref()
    }

    /// X12 ISA08 (spaces trimmed), EDIFACT UNB S003/0010 (recipient
    /// identification).
    #[getter]
    fn receiver_id(&self) -> Option<&str> {
        self.entry().values.receiver_id.as_deref()
    }

    /// X12 ISA13 (interchange control number), EDIFACT UNB 0020
    /// (interchange control reference).
    #[getter]
    fn control_number(&self) -> Option<&str> {
        self.entry().values.control_number.as_deref()
    }

    /// X12 ISA12 (interchange control version number, "00401"), EDIFACT
    /// UNB S001/0002 (syntax version number, "3").
    #[getter]
    fn version(&self) -> Option<&str> {
        self.entry().values.version.as_deref()
    }

    /// EDIFACT UNB S001/0001 (syntax identifier, "UNOA"); None for X12.
    #[getter]
    fn syntax_identifier(&self) -> Option<&str> {
        self.entry().values.syntax_identifier.as_deref()
    }

    /// `(start, end)`: X12 from ISA to the IEA's terminator; EDIFACT from
    /// the UNA (or UNB) to the end of the last segment.
    #[getter]
    fn span(&self) -> (usize, usize) {
        let s = &self.entry().span;
        (s.start, s.end)
    }

    /// The interchange's bytes (`data[start:end]`).
    fn as_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        bytes_of(py, self.doc.get(), self.span())
    }

    /// The ISA or UNB segment (None for EDIFACT messages without UNB).
    #[getter]
    fn header(&self, py: Python<'_>) -> Option<PySegment> {
        segment_view(py, &self.doc, self.entry().header?)
    }

    /// The IEA or UNZ segment, when present.
    #[getter]
    fn trailer(&self, py: Python<'_>) -> Option<PySegment> {
        segment_view(py, &self.doc, self.entry().trailer?)
    }

    /// The functional groups (X12 GS .. GE, EDIFACT UNG .. UNE).
    #[getter]
    fn groups(&self, py: Python<'_>) -> Vec<PyGroup> {
        self.entry()
            .groups
            .clone()
            .map(|index| PyGroup {
                doc: self.doc.clone_ref(py),
                index,
            })
            .collect()
    }

    /// Every transaction set (X12) or message (EDIFACT), grouped or not,
    /// in input order.
    #[getter]
    fn messages<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        message_list(py, &self.doc, self.entry().messages.clone())
    }

    /// The same list as `messages` (the X12 name).
    #[getter]
    fn transaction_sets<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        self.messages(py)
    }

    /// Every segment from the header (ordinal 0) to the trailer.
    #[getter]
    fn segments<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        segment_list(py, &self.doc, self.entry().segments.clone())
    }

    /// The number of segments.
    fn __len__(&self) -> usize {
        self.entry().segments.len()
    }

    fn __repr__(&self) -> String {
        let v = &self.entry().values;
        format!(
            "<Interchange format={} sender_id={:?} receiver_id={:?} control_number={:?} span={:?}>",
            self.format(),
            v.sender_id.as_deref().unwrap_or(""),
            v.receiver_id.as_deref().unwrap_or(""),
            v.control_number.as_deref().unwrap_or(""),
            self.span()
        )
    }
}

/// One functional group: X12 GS .. GE or EDIFACT UNG .. UNE.
#[pyclass(name = "Group", module = "ediguard", frozen)]
pub(crate) struct PyGroup {
    doc: Py<PyDocument>,
    index: usize,
}

impl PyGroup {
    fn entry(&self) -> &GroupEntry {
        // `index` is made only from an interchange's group range.
        &self.doc.get().index.groups[self.index]
    }

    fn values(&self) -> &Header {
        &self.entry().values
    }
}

#[pymethods]
impl PyGroup {
    /// Position of the group's interchange in `Document.interchanges`.
    #[getter]
    fn interchange_index(&self) -> usize {
        self.entry().interchange
    }

    /// X12 GS01 (functional identifier code, "SM"), EDIFACT UNG 0038
    /// (message group identification).
    #[getter]
    fn id(&self) -> Option<&str> {
        self.values().id.as_deref()
    }

    /// X12 GS02 (application sender's code), EDIFACT UNG S006/0040.
    #[getter]
    fn sender_id(&self) -> Option<&str> {
        self.values().sender_id.as_deref()
    }

    /// X12 GS03 (application receiver's code), EDIFACT UNG S007/0044.
    #[getter]
    fn receiver_id(&self) -> Option<&str> {
        self.values().receiver_id.as_deref()
    }

    /// X12 GS06 (group control number), EDIFACT UNG 0048 (group reference
    /// number).
    #[getter]
    fn control_number(&self) -> Option<&str> {
        self.values().control_number.as_deref()
    }

    /// X12 GS08 (version / release / industry identifier code, "004010"),
    /// EDIFACT UNG S008 (message version, "D:96A" with its separators).
    #[getter]
    fn version(&self) -> Option<&str> {
        self.values().version.as_deref()
    }

    /// `(start, end)` from the header to the end of the trailer (or of the
    /// last segment when the trailer is missing).
    #[getter]
    fn span(&self) -> (usize, usize) {
        self.doc.get().index.span_of(&self.entry().segments)
    }

    /// The group's bytes (`data[start:end]`).
    fn as_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        bytes_of(py, self.doc.get(), self.span())
    }

    /// The GS or UNG segment.
    #[getter]
    fn header(&self, py: Python<'_>) -> Option<PySegment> {
        segment_view(py, &self.doc, self.entry().header)
    }

    /// The GE or UNE segment, when present.
    #[getter]
    fn trailer(&self, py: Python<'_>) -> Option<PySegment> {
        segment_view(py, &self.doc, self.entry().trailer?)
    }

    /// The group's transaction sets (X12) or messages (EDIFACT).
    #[getter]
    fn messages<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        message_list(py, &self.doc, self.entry().messages.clone())
    }

    /// The same list as `messages` (the X12 name).
    #[getter]
    fn transaction_sets<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        self.messages(py)
    }

    /// The segments from the header to the trailer.
    #[getter]
    fn segments<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        segment_list(py, &self.doc, self.entry().segments.clone())
    }

    /// The number of segments.
    fn __len__(&self) -> usize {
        self.entry().segments.len()
    }

    fn __repr__(&self) -> String {
        let v = self.values();
        format!(
            "<Group id={:?} control_number={:?} span={:?}>",
            v.id.as_deref().unwrap_or(""),
            v.control_number.as_deref().unwrap_or(""),
            self.span()
        )
    }
}

/// One X12 transaction set (ST .. SE) or EDIFACT message (UNH .. UNT).
#[pyclass(name = "Message", module = "ediguard", frozen)]
pub(crate) struct PyMessage {
    doc: Py<PyDocument>,
    index: usize,
}

impl PyMessage {
    fn entry(&self) -> &MessageEntry {
        // `index` is made only from an interchange's or group's message range.
        &self.doc.get().index.messages[self.index]
    }
}

#[pymethods]
impl PyMessage {
    /// Position of the message's interchange in `Document.interchanges`.
    #[getter]
    fn interchange_index(&self) -> usize {
        self.entry().interchange
    }

    /// X12 ST01 (transaction set identifier code, "204"), EDIFACT UNH
    /// S009/0065 (message type, "IFTSTA").
    #[getter]
    fn id(&self) -> Option<&str> {
        self.entry().values.id.as_deref()
    }

    /// The same value as `id`.
    #[getter]
    fn r#type(&self) -> Option<&str> {
        self.id()
    }

    /// X12 ST02 (transaction set control number), EDIFACT UNH 0062
    /// (message reference number).
    #[getter]
    fn control_number(&self) -> Option<&str> {
        self.entry().values.control_number.as_deref()
    }

    /// `(start, end)` from the header to the end of the trailer (or of the
    /// last segment when the trailer is missing).
    #[getter]
    fn span(&self) -> (usize, usize) {
        self.doc.get().index.span_of(&self.entry().segments)
    }

    /// The message's bytes (`data[start:end]`).
    fn as_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        bytes_of(py, self.doc.get(), self.span())
    }

    /// The ST or UNH segment.
    #[getter]
    fn header(&self, py: Python<'_>) -> Option<PySegment> {
        segment_view(py, &self.doc, self.entry().segments.start)
    }

    /// The SE or UNT segment, when present.
    #[getter]
    fn trailer(&self, py: Python<'_>) -> Option<PySegment> {
        segment_view(py, &self.doc, self.entry().trailer?)
    }

    /// The segments from the header to the trailer.
    #[getter]
    fn segments<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        segment_list(py, &self.doc, self.entry().segments.clone())
    }

    /// The number of segments.
    fn __len__(&self) -> usize {
        self.entry().segments.len()
    }

    fn __repr__(&self) -> String {
        let v = &self.entry().values;
        format!(
            "<Message id={:?} control_number={:?} segments={} span={:?}>",
            v.id.as_deref().unwrap_or(""),
            v.control_number.as_deref().unwrap_or(""),
            self.__len__(),
            self.span()
        )
    }
}

/// One segment: the tag and its elements, terminator excluded.
#[pyclass(name = "Segment", module = "ediguard", frozen)]
pub(crate) struct PySegment {
    doc: Py<PyDocument>,
    entry: SegEntry,
}

impl PySegment {
    fn view(&self) -> Segment<'_> {
        self.entry.view(&self.doc.get().bytes)
    }

    fn element_view(&self, py: Python<'_>, e: Element<'_>) -> PyElement {
        let span = e.span();
        PyElement {
            doc: self.doc.clone_ref(py),
            seg: self.entry,
            position: e.position(),
            repetition: e.repetition(),
            start: span.start,
            end: span.end,
        }
    }

    fn nth(&self, py: Python<'_>, n: isize) -> Option<PyElement> {
        let n = usize::try_from(n).ok()?;
        self.view().element(n).map(|e| self.element_view(py, e))
    }
}

#[pymethods]
impl PySegment {
    /// The segment tag ("ST", "UNH").
    #[getter]
    fn tag(&self) -> String {
        text(self.view().tag()).into_owned()
    }

    /// Byte offset of the segment's first byte, 0-based.
    #[getter]
    fn offset(&self) -> usize {
        self.entry.start
    }

    /// `(start, end)`: `data[start:end] == segment.as_bytes()`.
    #[getter]
    fn span(&self) -> (usize, usize) {
        (self.entry.start, self.entry.end)
    }

    /// Position within the interchange, 0-based (the header is 0).
    #[getter]
    fn ordinal(&self) -> u32 {
        self.entry.ordinal
    }

    /// Position of the segment's interchange in `Document.interchanges`.
    #[getter]
    fn interchange_index(&self) -> usize {
        self.entry.interchange
    }

    /// The segment's bytes, terminator excluded.
    fn as_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.view().as_bytes())
    }

    /// The elements after the tag, in order (element 1 first).
    #[getter]
    fn elements(&self, py: Python<'_>) -> Vec<PyElement> {
        self.view()
            .elements()
            .map(|e| self.element_view(py, e))
            .collect()
    }

    /// Element `n`, 1-based as EDI writes it (`element(2)` is `REF02`), or
    /// None when the segment has fewer elements (or `n` < 1).
    fn element(&self, py: Python<'_>, n: isize) -> Option<PyElement> {
        self.nth(py, n)
    }

    /// `seg[n]` is element `n`, 1-based like `element(n)`; raises
    /// IndexError when there is no such element, including `seg[0]` and
    /// negative `n` (EDI positions start at 1).
    fn __getitem__(&self, py: Python<'_>, n: isize) -> PyResult<PyElement> {
        self.nth(py, n).ok_or_else(|| {
            PyIndexError::new_err(format!(
                "segment {} has no element {n} (elements are numbered 1 to {})",
                text(self.view().tag()),
                self.view().element_count()
            ))
        })
    }

    /// The number of elements after the tag.
    fn __len__(&self) -> usize {
        self.view().element_count()
    }

    /// Iterates over the elements (element 1 first).
    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyIterator>> {
        PyList::new(py, self.elements(py))?.try_iter()
    }

    fn __repr__(&self) -> String {
        let bytes = self.view().as_bytes();
        let mut shown = bytes[..bytes.len().min(REPR_LEN)]
            .escape_ascii()
            .to_string();
        if bytes.len() > REPR_LEN {
            shown.push_str("...");
        }
        format!(
            "<Segment {} ordinal={} span=({}, {}) b'{}'>",
            text(self.view().tag()),
            self.entry.ordinal,
            self.entry.start,
            self.entry.end,
            shown
        )
    }
}

/// Compares a view's value with `bytes` (the unescaped value) or `str`
/// (its `text`); any other type is NotImplemented.
fn compare_value(
    py: Python<'_>,
    value: &[u8],
    other: &Bound<'_, PyAny>,
    op: CompareOp,
) -> PyResult<Py<PyAny>> {
    let equal = if let Ok(b) = other.cast::<PyBytes>() {
        b.as_bytes() == value
    } else if let Ok(s) = other.cast::<PyString>() {
        s.to_cow()? == text(value)
    } else if let Ok(e) = other.cast::<PyElement>() {
        e.get().value_cow() == value
    } else if let Ok(c) = other.cast::<PyComponent>() {
        c.get().value_cow() == value
    } else {
        return Ok(py.NotImplemented());
    };
    match op {
        CompareOp::Eq => equal.into_py_any(py),
        CompareOp::Ne => (!equal).into_py_any(py),
        _ => Ok(py.NotImplemented()),
    }
}

fn repr_value(kind: &str, value: &[u8], position: String, span: (usize, usize)) -> String {
    let mut shown = value[..value.len().min(REPR_LEN)]
        .escape_ascii()
        .to_string();
    if value.len() > REPR_LEN {
        shown.push_str("...");
    }
    format!(
        "<{kind} {position} span=({}, {}) b'{shown}'>",
        span.0, span.1
    )
}

/// One element (or one repetition of an element). Compares equal to
/// `bytes` holding its `value` and to `str` equal to its `text`; it is not
/// hashable.
#[pyclass(name = "Element", module = "ediguard", frozen)]
pub(crate) struct PyElement {
    doc: Py<PyDocument>,
    seg: SegEntry,
    position: u32,
    repetition: Option<u32>,
    start: usize,
    end: usize,
}

impl PyElement {
    fn raw_bytes(&self) -> &[u8] {
        self.doc.get().slice(self.start, self.end)
    }

    fn value_cow(&self) -> Cow<'_, [u8]> {
        unescape(self.raw_bytes(), self.seg.delimiters.release)
    }

    /// The crate's view of this element, split again from the segment.
    fn view(&self) -> Option<Element<'_>> {
        let seg = self.seg.view(&self.doc.get().bytes);
        let element = seg.element(self.position as usize)?;
        match self.repetition {
            None => Some(element),
            Some(r) => element.repetitions().nth((r as usize).checked_sub(1)?),
        }
    }

    fn component_view(&self, py: Python<'_>, c: ediguard::syntax::Component<'_>) -> PyComponent {
        let span = c.span();
        PyComponent {
            doc: self.doc.clone_ref(py),
            seg: self.seg,
            element: self.position,
            repetition: self.repetition,
            position: c.position(),
            start: span.start,
            end: span.end,
        }
    }
}

#[pymethods]
impl PyElement {
    /// The value as bytes, with EDIFACT release characters removed (X12 has
    /// none, so this is `raw`).
    #[getter]
    fn value<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.value_cow())
    }

    /// The bytes as they stand in the input.
    #[getter]
    fn raw<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.raw_bytes())
    }

    /// `value` decoded: UTF-8 when valid, ISO 8859-1 otherwise.
    #[getter]
    fn text(&self) -> String {
        text(&self.value_cow()).into_owned()
    }

    /// `(start, end)` of `raw` in the input.
    #[getter]
    fn span(&self) -> (usize, usize) {
        (self.start, self.end)
    }

    /// Byte offset of the element's first byte, 0-based.
    #[getter]
    fn offset(&self) -> usize {
        self.start
    }

    /// Position within the segment, 1-based (`REF02` is 2).
    #[getter]
    fn position(&self) -> u32 {
        self.position
    }

    /// Position among the element's repetitions, 1-based, for an element
    /// from `repetitions`; None otherwise.
    #[getter]
    fn repetition(&self) -> Option<u32> {
        self.repetition
    }

    /// Ordinal of the element's segment within its interchange, 0-based.
    #[getter]
    fn segment_ordinal(&self) -> u32 {
        self.seg.ordinal
    }

    /// The components (split at the component separator), component 1
    /// first; a simple element is one component.
    #[getter]
    fn components(&self, py: Python<'_>) -> Vec<PyComponent> {
        match self.view() {
            Some(e) => e.components().map(|c| self.component_view(py, c)).collect(),
            None => Vec::new(),
        }
    }

    /// Component `n`, 1-based (`element(3).component(1)` is `REF03-1`), or
    /// None when absent (or `n` < 1).
    fn component(&self, py: Python<'_>, n: isize) -> Option<PyComponent> {
        let n = usize::try_from(n).ok()?;
        let c = self.view()?.component(n)?;
        Some(self.component_view(py, c))
    }

    /// The repetitions (split at the repetition separator: X12 ISA11 from
    /// version 00402, EDIFACT `*` from syntax version 4), each an `Element`
    /// with `repetition` set; an element without repetitions is one.
    #[getter]
    fn repetitions(&self, py: Python<'_>) -> Vec<PyElement> {
        let Some(e) = self.view() else {
            return Vec::new();
        };
        e.repetitions()
            .map(|r| {
                let span = r.span();
                PyElement {
                    doc: self.doc.clone_ref(py),
                    seg: self.seg,
                    position: r.position(),
                    repetition: r.repetition(),
                    start: span.start,
                    end: span.end,
                }
            })
            .collect()
    }

    fn __bytes__<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        self.value(py)
    }

    fn __str__(&self) -> String {
        self.text()
    }

    fn __richcmp__(
        &self,
        py: Python<'_>,
        other: &Bound<'_, PyAny>,
        op: CompareOp,
    ) -> PyResult<Py<PyAny>> {
        compare_value(py, &self.value_cow(), other, op)
    }

    fn __repr__(&self) -> String {
        let position = match self.repetition {
            Some(r) => format!("position={} repetition={r}", self.position),
            None => format!("position={}", self.position),
        };
        repr_value("Element", self.raw_bytes(), position, self.span())
    }
}

/// One component of an element. Compares like `Element`.
#[pyclass(name = "Component", module = "ediguard", frozen)]
pub(crate) struct PyComponent {
    doc: Py<PyDocument>,
    seg: SegEntry,
    element: u32,
    repetition: Option<u32>,
    position: u32,
    start: usize,
    end: usize,
}

impl PyComponent {
    fn raw_bytes(&self) -> &[u8] {
        self.doc.get().slice(self.start, self.end)
    }

    fn value_cow(&self) -> Cow<'_, [u8]> {
        unescape(self.raw_bytes(), self.seg.delimiters.release)
    }
}

#[pymethods]
impl PyComponent {
    /// The value as bytes, with EDIFACT release characters removed.
    #[getter]
    fn value<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.value_cow())
    }

    /// The bytes as they stand in the input.
    #[getter]
    fn raw<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.raw_bytes())
    }

    /// `value` decoded: UTF-8 when valid, ISO 8859-1 otherwise.
    #[getter]
    fn text(&self) -> String {
        text(&self.value_cow()).into_owned()
    }

    /// `(start, end)` of `raw` in the input.
    #[getter]
    fn span(&self) -> (usize, usize) {
        (self.start, self.end)
    }

    /// Byte offset of the component's first byte, 0-based.
    #[getter]
    fn offset(&self) -> usize {
        self.start
    }

    /// Position within the element, 1-based (`REF03-1` is 1).
    #[getter]
    fn position(&self) -> u32 {
        self.position
    }

    /// Position of the element within the segment, 1-based.
    #[getter]
    fn element_position(&self) -> u32 {
        self.element
    }

    /// The element's repetition, 1-based, when the component comes from
    /// one of `Element.repetitions`; None otherwise.
    #[getter]
    fn repetition(&self) -> Option<u32> {
        self.repetition
    }

    fn __bytes__<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        self.value(py)
    }

    fn __str__(&self) -> String {
        self.text()
    }

    fn __richcmp__(
        &self,
        py: Python<'_>,
        other: &Bound<'_, PyAny>,
        op: CompareOp,
    ) -> PyResult<Py<PyAny>> {
        compare_value(py, &self.value_cow(), other, op)
    }

    fn __repr__(&self) -> String {
        let position = format!("element={} position={}", self.element, self.position);
        repr_value("Component", self.raw_bytes(), position, self.span())
    }
}
