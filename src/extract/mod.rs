//! Extraction (in progress).
pub mod date;
