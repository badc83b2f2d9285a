//! The commands behind the CLI, as library functions the binary and tests call:
//! `check` (check.rs), `extract` (extract.rs) and `status` (status.rs), and the async
//! runtime the commands that fetch run on.

mod check;
mod extract;
mod status;

pub use check::{
    check, check_feed, explain_listing, format_candidates, format_check, format_explanation,
    CheckReport, CheckTarget, Checked, CHECK_CANDIDATE_BLOCKS, CHECK_EXPLAIN_BLOCKS,
};
pub use extract::{
    extract_batch, extract_text, extract_text_with_content, load_input, parse_tz, read_page,
    write_extracted, EnclosureLine, ExtractError, ExtractLine,
};
pub use status::{format_status, status, Status, StatusRow};

/// The async runtime `run`, `check`, `daemon` and `extract URL` run on: multi-threaded,
/// with I/O and timers.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
}
