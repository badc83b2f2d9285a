//! Fetching (in progress).
