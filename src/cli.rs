//! Command-line arguments (clap derive only; no logic).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Turns web pages that have no feed into RSS, Atom and JSON Feed files.
#[derive(Debug, Parser)]
#[command(name = "pagefeed", version, about)]
pub struct Cli {
    /// Config file.
    #[arg(long, short = 'c', global = true, default_value = crate::config::DEFAULT_CONFIG_PATH)]
    pub config: PathBuf,
    /// More output (-v: per-feed progress, -vv: debug).
    #[arg(long, short = 'v', global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only errors.
    #[arg(long, short = 'q', global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Log format on stderr: `text`, or `json` (one object a line) for log collectors.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Log output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object a line.
    Json,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run feeds once and write their files (for cron).
    Run(RunArgs),
    /// Print what the extractor finds on article pages.
    Extract(ExtractArgs),
    /// Run every feed on its own `interval` until stopped (SIGHUP reloads the config).
    Daemon,
    /// Check the config without touching the network; list every problem.
    Validate,
    /// Try a page (or a configured feed): fetch, discover, extract and print the items
    /// it would give, without writing anything.
    Check(CheckArgs),
    /// Show each feed's state: items, last success, last failure and why, field coverage.
    #[command(alias = "state")]
    Status {
        /// `pagefeed state migrate --to URL`: copy the state elsewhere.
        #[command(subcommand)]
        action: Option<StateAction>,
    },
}

/// `pagefeed state …`.
#[derive(Debug, Subcommand)]
pub enum StateAction {
    /// Copy the whole state (item history, validators, feed status, the hashes of the
    /// files written to a bucket) into another store: a `postgres://` URL (or a SQLite file path).
    Migrate {
        /// Where to copy it.
        #[arg(long)]
        to: String,
    },
}

/// `pagefeed run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Feed ids to run (default: all).
    pub feeds: Vec<String>,
    /// Run every feed.
    #[arg(long)]
    pub all: bool,
    /// Print the items each feed would add, change and drop; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// If another run is busy, wait for it instead of exiting.
    #[arg(long)]
    pub wait: bool,
    /// Run the feeds even if their `interval` has not passed.
    #[arg(long)]
    pub force: bool,
}

/// `pagefeed extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Files or URLs of article pages.
    #[arg(required_unless_present = "batch")]
    pub inputs: Vec<String>,
    /// The page's URL, for files saved from the web (resolves relative links).
    #[arg(long)]
    pub url: Option<String>,
    /// One JSON object per line.
    #[arg(long)]
    pub json: bool,
    /// Print every candidate per field and why the winner won.
    #[arg(long, conflicts_with = "batch")]
    pub explain: bool,
    /// Read `id<TAB>path<TAB>url` lines from this file; print one JSON line per page.
    #[arg(long, value_name = "MANIFEST")]
    pub batch: Option<PathBuf>,
    /// Also print `content_html`: the main content exactly as `content = "full"`
    /// publishes it (`null` when the page has none).
    #[arg(long, conflicts_with = "explain")]
    pub content: bool,
    /// Time zone for times a page gives without one (IANA name).
    #[arg(long, default_value = "UTC")]
    pub timezone: String,
}

/// `pagefeed check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// A page URL (no config needed) or the id of a feed in the config.
    pub target: String,
    /// Listing pages to read, following "next" links (overrides the feed's `pages`).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=crate::config::MAX_PAGES as i64))]
    pub pages: Option<u16>,
    /// Also show why discovery chose its list: the best candidate blocks with the
    /// evidence for and against each, and the links of the list left out, with why.
    #[arg(long)]
    pub explain: bool,
}
