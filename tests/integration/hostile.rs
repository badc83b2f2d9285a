//! Hostile web: faults injected by a local server; pagefeed keeps working and writes
//! only well-formed feeds.
