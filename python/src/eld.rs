//! ELD output files: `parse_eld` and the classes `EldFile`, `EldSection`
//! and `EldRecord`, the `FieldError` exception, and the three check values
//! of 49 CFR 395 Subpart B, Appendix A §4.4.5 as pure functions.
//!
//! An `EldFile` owns the input (the caller's `bytes` object itself, without
//! a copy) and an index of its sections and lines made once, with the
//! interpreter released, by the crate's `EldFile::parse`. Sections and
//! records hold a strong reference to their `EldFile` plus an index, and
//! rebuild the crate's borrowed `Record` view when asked, so the typed
//! accessors are the crate's own.
//!
//! Typed accessors are methods: each raises `FieldError` (a `ValueError`)
//! for its own field only, so a bad field never blocks the rest.

use std::ops::Range;

use chrono::{Datelike, Timelike};
use ediguard::eld::{
    Coordinate, EldFile, FieldError as RustFieldError, FieldName, Layout, Record, SectionKind,
    TitleMatch, check_value,
};
use ediguard::{Limits, Location};
use pyo3::IntoPyObjectExt;
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyString, PyTuple};

use crate::errors::{EdiguardError, Failure};
use crate::index::text;
use crate::input::{Input, Owned};
use crate::options::PyOptions;
use crate::report::PyReport;

create_exception!(
    ediguard,
    FieldError,
    EdiguardError,
    "An ELD field could not be read as the type asked for; `reason` is 'absent', \
     'blank', 'syntax' or 'out_of_range', `field` the 1-based field position (None \
     when absent), `line` the 1-based line."
);

/// The snake_case name of a section kind.
pub(crate) const fn kind_name(kind: SectionKind) -> &'static str {
    match kind {
        SectionKind::Header => "header",
        SectionKind::UserList => "user_list",
        SectionKind::CmvList => "cmv_list",
        SectionKind::EventList => "event_list",
        SectionKind::Annotations => "annotations",
        SectionKind::Certifications => "certifications",
        SectionKind::Malfunctions => "malfunctions",
        SectionKind::LoginLogout => "login_logout",
        SectionKind::EnginePower => "engine_power",
        SectionKind::Unidentified => "unidentified",
        SectionKind::EndOfFile => "end_of_file",
    }
}

const fn layout_name(layout: Layout) -> &'static str {
    match layout {
        Layout::H1 => "header_1",
        Layout::H2 => "header_2",
        Layout::H3 => "header_3",
        Layout::H4 => "header_4",
        Layout::H5 => "header_5",
        Layout::H6 => "header_6",
        Layout::H7 => "header_7",
        Layout::User => "user",
        Layout::Cmv => "cmv",
        Layout::Event => "event",
        Layout::Annotation => "annotation",
        Layout::Certification => "certification",
        Layout::Malfunction => "malfunction",
        Layout::LoginLogout => "login_logout",
        Layout::EnginePower => "engine_power",
        Layout::Unidentified => "unidentified",
        Layout::FileCheckValue => "file_check_value",
    }
}

const fn title_match_name(m: TitleMatch) -> &'static str {
    match m {
        TitleMatch::Exact => "exact",
        TitleMatch::Loose => "loose",
        TitleMatch::Unknown => "unknown",
        TitleMatch::None => "none",
    }
}

const fn reason(e: RustFieldError) -> &'static str {
    match e {
        RustFieldError::Absent => "absent",
        RustFieldError::Blank => "blank",
        RustFieldError::Syntax => "syntax",
        RustFieldError::OutOfRange => "out_of_range",
        _ => "invalid",
    }
}

/// One data line in the index.
#[derive(Clone, Copy, Debug)]
struct RecEntry {
    start: usize,
    end: usize,
    /// 0-based line number.
    line: u32,
    layout: Option<Layout>,
    section: usize,
}

/// One section in the index.
#[derive(Clone, Debug)]
struct SecEntry {
    kind: Option<SectionKind>,
    title: Option<(usize, usize)>,
    title_match: TitleMatch,
    records: Range<usize>,
}

#[derive(Debug, Default)]
struct EldIndex {
    sections: Vec<SecEntry>,
    records: Vec<RecEntry>,
    line_count: usize,
    has_bom: bool,
}

impl EldIndex {
    fn build(input: &[u8], limits: &Limits) -> ediguard::Result<EldIndex> {
        if input.len() > limits.max_input_len {
            return Err(ediguard::Error::limit(
                Location::at(0),
                "input length",
                limits.max_input_len,
            ));
        }
        let file = EldFile::parse(input, limits)?;
        let mut index = EldIndex {
            line_count: file.line_count(),
            has_bom: file.has_bom(),
            ..EldIndex::default()
        };
        // Both vectors are bounded by the line count, which `parse` bounds
        // by `limits.max_segments`.
        for (n, section) in file.sections().enumerate() {
            let first = index.records.len();
            for record in section.records() {
                index.records.push(RecEntry {
                    start: record.offset(),
                    end: record.offset() + record.as_bytes().len(),
                    line: record.line_index(),
                    layout: record.layout(),
                    section: n,
                });
            }
            index.sections.push(SecEntry {
                kind: section.kind(),
                title: section
                    .title()
                    .map(|t| (t.offset(), t.offset() + t.as_bytes().len())),
                title_match: section.title_match(),
                records: first..index.records.len(),
            });
        }
        Ok(index)
    }
}

/// Parses `data` as an FMCSA ELD output file (49 CFR 395 Subpart B,
/// Appendix A §4.8.2) into an `EldFile`.
///
/// Parsing judges only structure and never fails on content (use
/// `EldFile.check()` for the rules); it raises `LimitError` over a limit.
#[pyfunction]
pub(crate) fn parse_eld(py: Python<'_>, data: Input) -> PyResult<PyEldFile> {
    let limits = Limits::default();
    let bytes = data.into_owned(py, limits.max_input_len)?;
    eld_file(py, bytes, &limits)
}

/// Builds an `EldFile` over bytes already owned.
pub(crate) fn eld_file(py: Python<'_>, bytes: Owned, limits: &Limits) -> PyResult<PyEldFile> {
    let input: &[u8] = &bytes;
    let index = py
        .detach(|| EldIndex::build(input, limits))
        .map_err(|e| Failure::edi(e, input).into_pyerr(py))?;
    Ok(PyEldFile { bytes, index })
}

/// A parsed ELD output file: the bytes, its sections and its lines.
#[pyclass(name = "EldFile", module = "ediguard", frozen)]
pub(crate) struct PyEldFile {
    bytes: Owned,
    index: EldIndex,
}

impl PyEldFile {
    fn slice(&self, start: usize, end: usize) -> &[u8] {
        self.bytes.get(start..end).unwrap_or_default()
    }
}

fn record_list<'py>(
    py: Python<'py>,
    file: &Py<PyEldFile>,
    range: Range<usize>,
) -> PyResult<Bound<'py, PyList>> {
    PyList::new(
        py,
        range.map(|index| PyEldRecord {
            file: file.clone_ref(py),
            index,
        }),
    )
}

#[pymethods]
impl PyEldFile {
    /// Always "eld".
    #[getter]
    fn format(&self) -> &'static str {
        "eld"
    }

    /// Every section in file order, including unknown titles, duplicates
    /// and (first, with no title) any lines before the first title.
    #[getter]
    fn sections(slf: &Bound<'_, Self>) -> Vec<PyEldSection> {
        let py = slf.py();
        let file = slf.clone().unbind();
        (0..slf.get().index.sections.len())
            .map(|index| PyEldSection {
                file: file.clone_ref(py),
                index,
            })
            .collect()
    }

    /// The first section of `kind` ("header", "user_list", "cmv_list",
    /// "event_list", "annotations", "certifications", "malfunctions",
    /// "login_logout", "engine_power", "unidentified", "end_of_file"), or
    /// None. Raises `ValueError` for an unknown kind.
    fn section(slf: &Bound<'_, Self>, kind: &str) -> PyResult<Option<PyEldSection>> {
        let Some(wanted) = SectionKind::ALL.into_iter().find(|k| kind_name(*k) == kind) else {
            return Err(PyValueError::new_err(format!(
                "unknown section kind {kind:?} (header, user_list, cmv_list, event_list, \
                 annotations, certifications, malfunctions, login_logout, engine_power, \
                 unidentified, end_of_file)"
            )));
        };
        let this = slf.get();
        Ok(this
            .index
            .sections
            .iter()
            .position(|s| s.kind == Some(wanted))
            .map(|index| PyEldSection {
                file: slf.clone().unbind(),
                index,
            }))
    }

    /// Every data line (title lines excluded), in file order.
    #[getter]
    fn records<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyList>> {
        let n = slf.get().index.records.len();
        record_list(slf.py(), &slf.clone().unbind(), 0..n)
    }

    /// Every data line as a row, built in one call:
    /// `(kind, line, offset, end, fields)` where `kind` is the section kind
    /// (None for unknown titles), `line` is 1-based, `offset`/`end` the
    /// line's span (terminator excluded) and `fields` a tuple of str.
    fn to_rows<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let rows = PyList::empty(py);
        let mut fields: Vec<Bound<'py, PyString>> = Vec::new();
        for entry in &self.index.records {
            let bytes = self.slice(entry.start, entry.end);
            fields.clear();
            fields.extend(
                bytes
                    .split(|&b| b == b',')
                    .map(|f| PyString::new(py, &text(f))),
            );
            let kind = self
                .index
                .sections
                .get(entry.section)
                .and_then(|s| s.kind)
                .map(kind_name);
            rows.append((
                kind,
                entry.line.saturating_add(1),
                entry.start,
                entry.end,
                PyTuple::new(py, fields.iter())?,
            ))?;
        }
        Ok(rows)
    }

    /// The number of lines, titles included.
    #[getter]
    fn line_count(&self) -> usize {
        self.index.line_count
    }

    /// True when the input started with a UTF-8 byte-order mark.
    #[getter]
    fn has_bom(&self) -> bool {
        self.index.has_bom
    }

    /// Checks the file with the ELD rules: the same `Report` as
    /// `ediguard.check` gives for an ELD input.
    #[pyo3(signature = (options=None))]
    fn check(&self, py: Python<'_>, options: Option<Bound<'_, PyOptions>>) -> PyResult<PyReport> {
        let default = ediguard::Options::default();
        let options = options.as_ref().map_or(&default, |o| &o.get().inner);
        let input: &[u8] = &self.bytes;
        let report = py
            .detach(|| {
                let mut report = ediguard::integrity::eld::check(input, options)?;
                report.resolve_lines(input);
                Ok(report)
            })
            .map_err(|e| Failure::edi(e, input).into_pyerr(py))?;
        PyReport::new(py, report)
    }

    /// The input, as given (the same `bytes` object when one was given).
    fn as_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        match &self.bytes {
            Owned::Python(b) => Ok(b.into_pyobject(py)?),
            Owned::Read(b) => Ok(PyBytes::new(py, b)),
        }
    }

    /// The number of data lines (the length of `records` and `to_rows()`).
    fn __len__(&self) -> usize {
        self.index.records.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "<EldFile sections={} records={} lines={} bytes={}>",
            self.index.sections.len(),
            self.index.records.len(),
            self.index.line_count,
            self.bytes.len()
        )
    }
}

/// One section of an ELD file: its title line and its data lines.
#[pyclass(name = "EldSection", module = "ediguard", frozen)]
pub(crate) struct PyEldSection {
    file: Py<PyEldFile>,
    index: usize,
}

impl PyEldSection {
    fn entry(&self) -> &SecEntry {
        // `index` is made only from `0..sections.len()`.
        &self.file.get().index.sections[self.index]
    }
}

#[pymethods]
impl PyEldSection {
    /// The section kind ("event_list", ...); None for an unknown title or
    /// the lines before the first title.
    #[getter]
    fn kind(&self) -> Option<&'static str> {
        self.entry().kind.map(kind_name)
    }

    /// The title line as written (None for lines before the first title).
    #[getter]
    fn title(&self) -> Option<String> {
        let (start, end) = self.entry().title?;
        Some(text(self.file.get().slice(start, end)).into_owned())
    }

    /// How the title matched §4.8.2.1: "exact", "loose" (case, spaces or a
    /// typographic apostrophe differ), "unknown" or "none".
    #[getter]
    fn title_match(&self) -> &'static str {
        title_match_name(self.entry().title_match)
    }

    /// The data lines.
    #[getter]
    fn records<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        record_list(py, &self.file, self.entry().records.clone())
    }

    /// The number of data lines.
    fn __len__(&self) -> usize {
        self.entry().records.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "<EldSection kind={} title={:?} records={}>",
            self.kind().unwrap_or("None"),
            self.title().unwrap_or_default(),
            self.entry().records.len()
        )
    }
}

/// One data line of an ELD file, with typed accessors mirroring the crate.
#[pyclass(name = "EldRecord", module = "ediguard", frozen)]
pub(crate) struct PyEldRecord {
    file: Py<PyEldFile>,
    index: usize,
}

impl PyEldRecord {
    fn entry(&self) -> &RecEntry {
        // `index` is made only from `0..records.len()`.
        &self.file.get().index.records[self.index]
    }

    fn view(&self) -> Record<'_> {
        let e = self.entry();
        Record::new(
            self.file.get().slice(e.start, e.end),
            e.start,
            e.line,
            e.layout,
        )
    }

    /// Turns a typed result into a value or `FieldError`.
    fn typed<T>(
        &self,
        py: Python<'_>,
        what: &str,
        name: Option<FieldName>,
        result: Result<T, RustFieldError>,
    ) -> PyResult<T> {
        result.map_err(|e| {
            let rec = self.view();
            let position = match name {
                Some(n) => rec.named(n).map(|f| f.position()),
                None => rec.last_field().map(|f| f.position()),
            };
            let line = self.entry().line.saturating_add(1);
            let at = match position {
                Some(p) => format!("line {line}, field {p}"),
                None => format!("line {line}"),
            };
            let err = FieldError::new_err(format!("{what}: {e} ({at})"));
            let value = err.value(py);
            let set = || -> PyResult<()> {
                value.setattr("reason", reason(e))?;
                value.setattr("field", position)?;
                value.setattr("line", line)
            };
            match set() {
                Ok(()) => err,
                Err(other) => other,
            }
        })
    }
}

fn coordinate(py: Python<'_>, c: Coordinate) -> PyResult<Py<PyAny>> {
    match c {
        Coordinate::Degrees { .. } => c.as_degrees().unwrap_or_default().into_py_any(py),
        Coordinate::NoFix => "X".into_py_any(py),
        Coordinate::Manual => "M".into_py_any(py),
        Coordinate::Malfunction => "E".into_py_any(py),
    }
}

fn date<'py>(py: Python<'py>, d: chrono::NaiveDate) -> PyResult<Bound<'py, PyAny>> {
    py.import("datetime")?
        .getattr("date")?
        .call1((d.year(), d.month(), d.day()))
}

fn time<'py>(py: Python<'py>, t: chrono::NaiveTime) -> PyResult<Bound<'py, PyAny>> {
    py.import("datetime")?
        .getattr("time")?
        .call1((t.hour(), t.minute(), t.second()))
}

#[pymethods]
impl PyEldRecord {
    /// Line number, 1-based (as in `Finding.line`).
    #[getter]
    fn line(&self) -> u32 {
        self.entry().line.saturating_add(1)
    }

    /// Byte offset of the line's first byte, 0-based.
    #[getter]
    fn offset(&self) -> usize {
        self.entry().start
    }

    /// `(start, end)`: the line's bytes, terminator excluded.
    #[getter]
    fn span(&self) -> (usize, usize) {
        let e = self.entry();
        (e.start, e.end)
    }

    /// The kind of the section the line is in (None under an unknown title).
    #[getter]
    fn section(&self) -> Option<&'static str> {
        let e = self.entry();
        self.file
            .get()
            .index
            .sections
            .get(e.section)
            .and_then(|s| s.kind)
            .map(kind_name)
    }

    /// The layout the line is read with ("event", "user", "header_1", ...),
    /// or None for a line that has no place (an eighth header line, a line
    /// under an unknown title).
    #[getter]
    fn layout(&self) -> Option<&'static str> {
        self.entry().layout.map(layout_name)
    }

    /// The fields as str, split on every comma (§4.8.2.1(b)(3)); UTF-8, or
    /// ISO 8859-1 when the bytes are not UTF-8.
    #[getter]
    fn fields(&self) -> Vec<String> {
        self.view()
            .fields()
            .map(|f| text(f.as_bytes()).into_owned())
            .collect()
    }

    /// Field `n` (1-based) as str, or None past the last field.
    fn field(&self, n: usize) -> Option<String> {
        self.view()
            .field(n)
            .map(|f| text(f.as_bytes()).into_owned())
    }

    /// The line's bytes.
    fn as_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.view().as_bytes())
    }

    /// The Event Sequence ID Number (§7.24), hex read as int.
    fn sequence_id(&self, py: Python<'_>) -> PyResult<u16> {
        let r = self.view().sequence_id();
        self.typed(py, "sequence_id", Some(FieldName::SequenceId), r)
    }

    /// The Event Record Status (§7.23, 1 to 4).
    fn record_status(&self, py: Python<'_>) -> PyResult<u8> {
        let r = self.view().record_status();
        self.typed(py, "record_status", Some(FieldName::RecordStatus), r)
    }

    /// The Event Record Origin (§7.22, 1 to 4).
    fn record_origin(&self, py: Python<'_>) -> PyResult<u8> {
        let r = self.view().record_origin();
        self.typed(py, "record_origin", Some(FieldName::RecordOrigin), r)
    }

    /// The Event Type (§7.25, 1 to 7).
    fn event_type(&self, py: Python<'_>) -> PyResult<u8> {
        let r = self.view().event_type();
        self.typed(py, "event_type", Some(FieldName::EventType), r)
    }

    /// The Event Code (§7.20).
    fn event_code(&self, py: Python<'_>) -> PyResult<u8> {
        let r = self.view().event_code();
        self.typed(py, "event_code", Some(FieldName::EventCode), r)
    }

    /// The Date (§7.8, `MMDDYY`) as `datetime.date`.
    fn date<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let r = self.view().date();
        date(py, self.typed(py, "date", Some(FieldName::Date), r)?)
    }

    /// The Time (§7.40, `HHMMSS`) as `datetime.time` (home-terminal local
    /// time, no tzinfo).
    fn time<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let r = self.view().time();
        time(py, self.typed(py, "time", Some(FieldName::Time), r)?)
    }

    /// The Vehicle Miles (§7.43) as int.
    fn vehicle_miles(&self, py: Python<'_>) -> PyResult<u32> {
        let r = self.view().vehicle_miles();
        self.typed(py, "vehicle_miles", Some(FieldName::VehicleMiles), r)
    }

    /// The Engine Hours (§7.19) as float (tenths of an hour).
    fn engine_hours(&self, py: Python<'_>) -> PyResult<f64> {
        let r = self.view().engine_hours();
        let h = self.typed(py, "engine_hours", Some(FieldName::EngineHours), r)?;
        Ok(f64::from(h.tenths()) / 10.0)
    }

    /// The Latitude (§7.31) as float degrees, or "X" (no fix), "M" (manual)
    /// or "E" (positioning malfunction).
    fn latitude(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let r = self.view().latitude();
        coordinate(
            py,
            self.typed(py, "latitude", Some(FieldName::Latitude), r)?,
        )
    }

    /// The Longitude (§7.33), like `latitude`.
    fn longitude(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let r = self.view().longitude();
        coordinate(
            py,
            self.typed(py, "longitude", Some(FieldName::Longitude), r)?,
        )
    }

    /// The row's own Order Number (§7.37, user and CMV lists).
    fn order_number(&self, py: Python<'_>) -> PyResult<u8> {
        let r = self.view().order_number();
        self.typed(py, "order_number", Some(FieldName::OrderNumber), r)
    }

    /// The Corresponding CMV Order Number (§7.37).
    fn cmv_order(&self, py: Python<'_>) -> PyResult<u8> {
        let r = self.view().cmv_order();
        self.typed(py, "cmv_order", Some(FieldName::CmvOrder), r)
    }

    /// The User Order Number for the Record Originator (§7.37).
    fn user_order(&self, py: Python<'_>) -> PyResult<u8> {
        let r = self.view().user_order();
        self.typed(py, "user_order", Some(FieldName::UserOrder), r)
    }

    /// The Event Data Check Value (§7.21) as int.
    fn event_check_value(&self, py: Python<'_>) -> PyResult<u8> {
        let r = self.view().event_check_value();
        self.typed(py, "event_check_value", Some(FieldName::EventCheckValue), r)
    }

    /// The Line Data Check Value written in the last field (§7.32) as int.
    fn line_check_value(&self, py: Python<'_>) -> PyResult<u8> {
        let r = self.view().line_check_value();
        self.typed(py, "line_check_value", None, r)
    }

    /// The line data check value recomputed over everything before the last
    /// field (§4.4.5.2); None when the line has no comma.
    fn computed_line_check_value(&self) -> Option<u8> {
        self.view().computed_line_check_value()
    }

    /// The number of fields.
    fn __len__(&self) -> usize {
        self.view().field_count()
    }

    fn __repr__(&self) -> String {
        let bytes = self.view().as_bytes();
        let shown = bytes.get(..60).unwrap_or(bytes);
        let more = if shown.len() < bytes.len() { "..." } else { "" };
        format!(
            "<EldRecord line={} section={} span={:?} {:?}{more}>",
            self.line(),
            self.section().unwrap_or("None"),
            self.span(),
            text(shown)
        )
    }
}

/// Text or bytes, as the check value functions take.
#[derive(FromPyObject)]
pub(crate) enum TextOrBytes {
    /// A str, taken as its UTF-8 bytes.
    Text(String),
    /// Bytes.
    Bytes(Vec<u8>),
}

impl TextOrBytes {
    fn as_bytes(&self) -> &[u8] {
        match self {
            TextOrBytes::Text(s) => s.as_bytes(),
            TextOrBytes::Bytes(b) => b,
        }
    }
}

/// The Line Data Check Value of §4.4.5.2 over `line` (the output line up to
/// the comma before the check value; str is taken as UTF-8).
#[pyfunction]
pub(crate) fn eld_line_check_value(line: TextOrBytes) -> u8 {
    check_value::line_check_value(line.as_bytes())
}

/// The Event Data Check Value of §4.4.5.1 over the event's ten elements
/// (event type, event code, date, time, vehicle miles, engine hours,
/// latitude, longitude, CMV number, ELD username), each str or bytes.
#[pyfunction]
pub(crate) fn eld_event_check_value(elements: Vec<TextOrBytes>) -> u8 {
    let views: Vec<&[u8]> = elements.iter().map(TextOrBytes::as_bytes).collect();
    check_value::event_check_value(&views)
}

/// The File Data Check Value of §4.4.5.3 over every line data check value
/// of the file (ints 0 to 255); raises `ValueError` for any other int.
#[pyfunction]
pub(crate) fn eld_file_check_value(line_check_values: &Bound<'_, PyAny>) -> PyResult<u16> {
    let mut values = Vec::new();
    for v in line_check_values.try_iter()? {
        let v: i64 = v?.extract()?;
        let byte = u8::try_from(v).map_err(|_| {
            PyValueError::new_err(format!("line check values are 0 to 255, got {v}"))
        })?;
        values.push(byte);
    }
    Ok(check_value::file_check_value(values))
}
