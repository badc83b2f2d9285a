//! Writing (in progress).
