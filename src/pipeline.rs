//! Pipeline (in progress).
/// Options of a run.
pub struct RunOptions;
/// Outcome of a run.
pub struct RunReport;
/// Runs.
pub fn run() {}
