//! pagefeed turns web pages that have no feed into RSS 2.0, Atom 1.0 and JSON Feed files.
//!
//! The pipeline runs one way, one module per stage:
//!
//! ```text
//! config ──► fetch ──► discover ──► extract ──► write
//! (TOML,     (HTTP,    (items on a  (title,     (rss, atom,
//!  validated) limits,   listing     author,      json feed;
//!             charsets) page)       date,        atomic files)
//!                                   summary)
//! ```
//!
//! Discovery, extraction and main content ([`readability`]) share the layers below them,
//! [`html`] (parsing, base and canonical URLs, site identity), [`date`] and [`text`], and
//! never import each other (`docs/architecture.md`).
//!
//! [`pipeline::run`] drives it for every feed of a [`config::Config`]; it is the only
//! concurrent code. Extraction and discovery are pure functions of
//! `(html, base_url, rules, now)`, so tests and benches call them directly.

/// A `&'static Selector` compiled once, on first use. Only for selectors written in
/// the source, which are known to be valid.
macro_rules! selector {
    ($s:expr) => {{
        static SEL: ::std::sync::LazyLock<::scraper::Selector> = ::std::sync::LazyLock::new(|| {
            ::scraper::Selector::parse($s).expect("selector written in the source is valid")
        });
        &*SEL
    }};
}

pub mod appstate;
pub mod cli;
pub mod commands;
pub mod config;
pub mod credentials;
pub mod daemon;
pub mod date;
pub mod discover;
pub mod extract;
pub mod fetch;
pub mod filter;
pub mod fuzzing;
pub mod html;
pub mod model;
pub mod pipeline;
pub mod readability;
pub mod reconcile;
pub mod render;
pub mod schedule;
pub mod store;
pub mod sys;
pub mod text;
pub mod work;
pub mod write;

pub use config::Config;
pub use pipeline::{run, RunOptions, RunReport};

/// Process exit codes, the interface cron jobs and scripts rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Everything succeeded.
    Ok = 0,
    /// An unexpected error.
    Unexpected = 1,
    /// Some feeds failed; the others were published.
    FeedsFailed = 2,
    /// The config is invalid; nothing was done.
    Config = 3,
}
