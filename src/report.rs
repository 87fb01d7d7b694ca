//! Findings, reports and the options that shape them.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::num::NonZeroUsize;
use std::sync::Arc;

use serde::Serialize;

use crate::integrity::edisig::KeyRing;
use crate::location::LineCursor;
use crate::rules::Rule;
use crate::{Format, Limits, Location};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing is wrong.
    Info,
    /// Suspicious or non-standard, but the document can be used.
    Warning,
    /// The document is wrong or was tampered with.
    Error,
}

impl Severity {
    /// The lowercase name used in JSON and text output.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses `error`, `warning` or `info`.
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing a rule found, with its exact location.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Finding {
    /// The rule's stable snake_case code (see [`crate::rules`]).
    pub rule: &'static str,
    /// How serious it is (after [`Options`] overrides).
    pub severity: Severity,
    /// What is wrong, for a person.
    pub message: String,
    /// Where it is.
    pub location: Location,
    /// What the rule expected, where useful.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// What the input held, where useful.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<String>,
}

impl Finding {
    /// A finding of `rule` at its default severity.
    pub fn new(rule: Rule, location: Location, message: impl Into<String>) -> Self {
        Finding {
            rule: rule.code,
            severity: rule.severity,
            message: message.into(),
            location,
            expected: None,
            found: None,
        }
    }

    /// Adds what was expected and what was found.
    #[must_use]
    pub fn expected_found(mut self, expected: impl Into<String>, found: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self.found = Some(found.into());
        self
    }
}

/// How checks run: limits, and per-rule severity overrides and switches.
///
/// # Examples
///
/// ```
/// use ediguard::{Options, Severity};
/// let options = Options::default()
///     .with_severity("invalid_character", Severity::Warning)
///     .without_rule("unexpected_segment");
/// assert_eq!(options.severity_of("invalid_character", Severity::Error), Some(Severity::Warning));
/// assert_eq!(options.severity_of("unexpected_segment", Severity::Error), None);
/// ```
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Options {
    /// Bounds for parsing and checking.
    pub limits: Limits,
    severity: BTreeMap<String, Severity>,
    disabled: BTreeSet<String>,
    keyring: Option<Arc<KeyRing>>,
    threads: Option<NonZeroUsize>,
}

impl Options {
    /// Overrides the severity of a rule by code.
    #[must_use]
    pub fn with_severity(mut self, rule: &str, severity: Severity) -> Self {
        self.severity.insert(rule.to_owned(), severity);
        self
    }

    /// Switches a rule off by code.
    #[must_use]
    pub fn without_rule(mut self, rule: &str) -> Self {
        self.disabled.insert(rule.to_owned());
        self
    }

    /// Replaces the limits.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Keys for verifying in-band security (EDIFACT USH..UST HMAC results);
    /// without them, HMAC results are reported as unverified.
    #[must_use]
    pub fn with_keyring(mut self, keyring: Arc<KeyRing>) -> Self {
        self.keyring = Some(keyring);
        self
    }

    /// The key ring, when one was given.
    pub fn keyring(&self) -> Option<&KeyRing> {
        self.keyring.as_deref()
    }

    /// Bounds the threads [`crate::check_many`] checks on, and those that
    /// check one large X12, EDIFACT or ELD input in parts (default: every core, as
    /// [`std::thread::available_parallelism`] counts them). One thread
    /// checks on the calling thread only. A batch checks each of its
    /// inputs on one thread.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::num::NonZeroUsize;
    /// use ediguard::Options;
    /// let options = Options::default().with_threads(NonZeroUsize::MIN);
    /// assert_eq!(options.threads().get(), 1);
    /// ```
    #[must_use]
    pub fn with_threads(mut self, threads: NonZeroUsize) -> Self {
        self.threads = Some(threads);
        self
    }

    /// The threads [`crate::check_many`] and the check of one large input
    /// use: as set with [`Options::with_threads`], else the number of cores
    /// (1 when it cannot be known).
    pub fn threads(&self) -> NonZeroUsize {
        // The system is asked once per process: the question reads the
        // scheduler affinity and cgroup quota files (about 28 us here),
        // more than checking a small input takes.
        static CORES: std::sync::OnceLock<NonZeroUsize> = std::sync::OnceLock::new();
        self.threads.unwrap_or_else(|| {
            *CORES.get_or_init(|| std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN))
        })
    }

    /// The severity a finding of `rule` gets, or `None` when the rule is off.
    pub fn severity_of(&self, rule: &str, default: Severity) -> Option<Severity> {
        if self.disabled.contains(rule) {
            return None;
        }
        Some(self.severity.get(rule).copied().unwrap_or(default))
    }

    /// Whether a rule is on.
    pub fn is_enabled(&self, rule: &str) -> bool {
        !self.disabled.contains(rule)
    }
}

/// Counts of what a check saw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Counts {
    /// Interchanges (X12, EDIFACT) or ELD files.
    pub interchanges: usize,
    /// Functional groups.
    pub groups: usize,
    /// Transaction sets (X12) or messages (EDIFACT).
    pub messages: usize,
    /// Segments (EDI) or lines (ELD).
    pub segments: usize,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, other: Counts) {
        self.interchanges += other.interchanges;
        self.groups += other.groups;
        self.messages += other.messages;
        self.segments += other.segments;
    }
}

/// The result of checking one input: every finding, never only the first.
///
/// # Examples
///
/// ```
/// use ediguard::{Finding, Location, Options, Report, rules};
/// let options = Options::default();
/// let mut report = Report::new(None);
/// report.push(&options, Finding::new(rules::MISSING_TRAILER, Location::at(7), "no IEA"));
/// assert!(!report.is_ok());
/// assert_eq!(report.findings()[0].rule, "missing_trailer");
/// ```
#[derive(Clone, Debug, Default, Serialize)]
#[non_exhaustive]
pub struct Report {
    /// The format that was checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<Format>,
    /// What was seen.
    pub counts: Counts,
    findings: Vec<Finding>,
    /// Findings not kept because `Limits::max_findings` was reached.
    pub dropped: usize,
    #[serde(skip)]
    max_findings: Option<usize>,
}

impl Report {
    /// An empty report for `format`.
    pub fn new(format: Option<Format>) -> Self {
        Report {
            format,
            ..Report::default()
        }
    }

    /// Removes the first finding of `rule`, if any.
    pub(crate) fn remove_first(&mut self, rule: &str) {
        if let Some(i) = self.findings.iter().position(|f| f.rule == rule) {
            self.findings.remove(i);
        }
    }

    /// Appends `later`, the report of the input that follows this one's
    /// (one input checked in parts): its findings after these, its counts
    /// added. `false` (and nothing appended) when a findings limit was
    /// reached in either, since a single pass would have kept other ones.
    pub(crate) fn append(&mut self, later: Report) -> bool {
        let max = self
            .max_findings
            .or(later.max_findings)
            .unwrap_or(usize::MAX);
        if self.dropped > 0 || later.dropped > 0 || self.findings.len() + later.findings.len() > max
        {
            return false;
        }
        self.max_findings = Some(max);
        self.findings.extend(later.findings);
        self.counts += later.counts;
        true
    }

    /// Adds `later`'s findings after these and its counts to these, as if
    /// they had been pushed here: findings past `options`' `max_findings`
    /// are dropped (counted in [`Report::dropped`]), as are those `later`
    /// dropped. Its findings have had `options` applied already.
    pub(crate) fn absorb(&mut self, later: Report, options: &Options) {
        let max = *self.max_findings.get_or_insert(options.limits.max_findings);
        let room = max.saturating_sub(self.findings.len());
        let n = later.findings.len();
        self.findings.extend(later.findings.into_iter().take(room));
        self.dropped += later.dropped + n.saturating_sub(room);
        self.counts += later.counts;
    }

    /// Adds a finding, applying the severity overrides and switches in
    /// `options` and the `max_findings` limit.
    pub fn push(&mut self, options: &Options, mut finding: Finding) {
        let Some(severity) = options.severity_of(finding.rule, finding.severity) else {
            return;
        };
        finding.severity = severity;
        let max = *self.max_findings.get_or_insert(options.limits.max_findings);
        if self.findings.len() >= max {
            self.dropped += 1;
        } else {
            self.findings.push(finding);
        }
    }

    /// All findings, in the order they were found.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// Consumes the report, returning its findings.
    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }

    /// True when no finding has severity error.
    pub fn is_ok(&self) -> bool {
        !self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// The findings of severity error.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
    }

    /// How many findings have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// Fills line and column of every finding from `input` (the bytes that
    /// were checked). Costs one pass over the input up to the last finding,
    /// and nothing when there are no findings.
    pub fn resolve_lines(&mut self, input: &[u8]) {
        // One forward pass over the offsets in ascending order, keeping
        // only the current line: no index of every line start, whose size
        // would grow with the input (a finding near the end of a 1 GB file
        // of short lines would cost hundreds of MB). It stops at the last
        // finding's line.
        let mut order: Vec<usize> = (0..self.findings.len()).collect();
        order.sort_by_key(|&i| self.findings[i].location.offset);
        let mut cursor = LineCursor::new(input);
        for i in order {
            let location = &mut self.findings[i].location;
            location.set_line_col(cursor.line_col(location.offset));
        }
    }

    /// Sorts findings by offset (stable: findings at one offset keep their
    /// order).
    pub fn sort(&mut self) {
        self.findings.sort_by_key(|f| f.location.offset);
    }

    /// The report as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{LineIndex, rules};

    #[test]
    fn resolve_lines_keeps_the_order_and_agrees_with_the_index() {
        let input = b"ISA*a~\r\nGS*b~\r\nST*c~\nSE*d~\rGE~IEA~";
        let offsets = [30, 0, 9, 9, 25, 17, 99, 3];
        let options = Options::default();
        let mut report = Report::new(None);
        for &offset in &offsets {
            report.push(
                &options,
                Finding::new(rules::MISSING_TRAILER, Location::at(offset), "x"),
            );
        }
        report.resolve_lines(input);
        let index = LineIndex::new(input);
        let got: Vec<_> = report
            .findings()
            .iter()
            .map(|f| (f.location.offset, f.location.line, f.location.column))
            .collect();
        let expected: Vec<_> = offsets
            .iter()
            .map(|&o| {
                let (line, column) = index.line_col(o);
                (o, Some(line), Some(column))
            })
            .collect();
        assert_eq!(got, expected);
        assert_eq!(got[0].1, Some(5));
    }
}
