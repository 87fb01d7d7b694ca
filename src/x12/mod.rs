//! ASC X12 interchanges (placeholder until the X12 parser lands).
