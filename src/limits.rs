//! Bounds on every loop and growing collection.

/// Bounds applied while parsing and checking. Elements, components and
/// repetitions are split lazily and never collected, so they are bounded by
/// `max_segment_len` alone. Exceeding one of the hard limits
/// is an [`crate::Error`] of kind [`crate::ErrorKind::Limit`] with a location;
/// `max_findings` only stops collecting (the report says how many were
/// dropped).
///
/// # Examples
///
/// ```
/// use ediguard::Limits;
/// let mut limits = Limits::default();
/// limits.max_findings = 100;
/// assert_eq!(limits.max_segment_len, 16 * 1024 * 1024);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest input accepted, in bytes (default 16 GiB).
    pub max_input_len: usize,
    /// Longest segment (or ELD line), in bytes (default 16 MiB).
    pub max_segment_len: usize,
    /// Most fields in one ELD line (default 10,000).
    pub max_fields: usize,
    /// Most segments (or ELD lines) in one input (default 2^32 - 1).
    pub max_segments: usize,
    /// Most interchanges in one input (default 10,000,000).
    pub max_interchanges: usize,
    /// Most findings kept in one report; later ones are counted, not kept
    /// (default 100,000).
    pub max_findings: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_len: usize::try_from(16_u64 << 30).unwrap_or(usize::MAX),
            max_segment_len: 16 << 20,
            max_fields: 10_000,
            max_segments: u32::MAX as usize,
            max_interchanges: 10_000_000,
            max_findings: 100_000,
        }
    }
}
