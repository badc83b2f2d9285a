//! The `pagefeed` binary: argument parsing, logging, outcome → exit code. No logic.

use std::io::IsTerminal;
use std::process::ExitCode as ProcessExit;
use std::sync::Arc;

use clap::Parser;
use pagefeed::cli::{CheckArgs, Cli, Command, ExtractArgs, LogFormat, RunArgs, StateAction};
use pagefeed::commands;
use pagefeed::config::{Config, FeedConfig, Settings};
use pagefeed::ExitCode;

fn main() -> ProcessExit {
    pagefeed::sys::tune_allocator();
    let cli = Cli::parse();
    init_logging(&cli);
    let code = match &cli.command {
        Command::Run(args) => run(&cli, args),
        Command::Extract(args) => extract_cmd(args),
        Command::Status { action: None } => status(&cli),
        Command::Status {
            action: Some(StateAction::Migrate { to }),
        } => migrate(&cli, to),
        Command::Check(args) => check(&cli, args),
        Command::Daemon => daemon(&cli),
        Command::Validate => match load_config(&cli) {
            Ok(c) => {
                println!("{}: ok, {} feeds", cli.config.display(), c.feeds.len());
                ExitCode::Ok
            }
            Err(code) => code,
        },
    };
    ProcessExit::from(code as u8)
}

fn init_logging(cli: &Cli) {
    let default = match (cli.quiet, cli.verbose) {
        (true, _) => "error",
        (_, 0) => "warn",
        (_, 1) => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(format!("pagefeed={default}")));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false);
    match cli.log_format {
        LogFormat::Json => builder.json().init(),
        // Colours only on a terminal; cron mails and log files get plain text.
        LogFormat::Text => builder
            .without_time()
            .with_ansi(std::io::stderr().is_terminal())
            .init(),
    }
}

/// The async runtime, or the exit code when it cannot start.
fn runtime() -> Result<tokio::runtime::Runtime, ExitCode> {
    commands::runtime().map_err(|e| {
        eprintln!("pagefeed: cannot start the async runtime: {e}");
        ExitCode::Unexpected
    })
}

fn run(cli: &Cli, args: &RunArgs) -> ExitCode {
    let config = match load_config(cli) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let opts = pagefeed::RunOptions {
        feeds: if args.all {
            Vec::new()
        } else {
            args.feeds.clone()
        },
        dry_run: args.dry_run,
        wait: args.wait,
        force: args.force,
        progress: progress_bar(cli),
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    match rt.block_on(pagefeed::render::until_sigterm(pagefeed::run(
        &config,
        &opts,
        chrono::Utc::now(),
    ))) {
        Ok(report) => {
            if args.dry_run {
                print_dry_run(&report);
            }
            tracing::info!("{}", summary_line(&report));
            let failed: Vec<&str> = report
                .feeds
                .iter()
                .filter(|f| f.result.is_err())
                .map(|f| f.id.as_str())
                .collect();
            if failed.is_empty() {
                ExitCode::Ok
            } else {
                eprintln!(
                    "pagefeed: {} of {} feeds failed: {}",
                    failed.len(),
                    report.feeds.len(),
                    failed.join(", ")
                );
                ExitCode::FeedsFailed
            }
        }
        Err(e @ pagefeed::pipeline::RunError::UnknownFeed { .. }) => {
            eprintln!("pagefeed: {e}");
            ExitCode::Config
        }
        Err(e) => {
            eprintln!("pagefeed: {e}");
            ExitCode::Unexpected
        }
    }
}

fn load_config(cli: &Cli) -> Result<Config, ExitCode> {
    Config::load(&cli.config).map_err(|e| {
        eprintln!("pagefeed: {e}");
        ExitCode::Config
    })
}

fn daemon(cli: &Cli) -> ExitCode {
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    match rt.block_on(pagefeed::daemon::run(&cli.config)) {
        Ok(()) => ExitCode::Ok,
        Err(e @ pagefeed::daemon::DaemonError::Config(_)) => {
            eprintln!("pagefeed: {e}");
            ExitCode::Config
        }
        Err(e) => {
            eprintln!("pagefeed: {e}");
            ExitCode::Unexpected
        }
    }
}

fn check(cli: &Cli, args: &CheckArgs) -> ExitCode {
    let (mut feed, settings) = match commands::CheckTarget::parse(&args.target) {
        commands::CheckTarget::Url(url) => {
            let settings = Settings::default();
            (FeedConfig::for_url(url, &settings), settings)
        }
        commands::CheckTarget::Feed(id) => {
            let config = match load_config(cli) {
                Ok(c) => c,
                Err(code) => return code,
            };
            let Some(feed) = config.feed(&id).cloned() else {
                eprintln!(
                    "pagefeed: check: {:?} is neither a URL nor a feed id in {}; \
                     give a page URL (https://…) or one of the config's feed ids",
                    pagefeed::credentials::redact_userinfo_str(&id),
                    cli.config.display()
                );
                return ExitCode::Config;
            };
            (feed, config.settings)
        }
    };
    if let Some(p) = args.pages {
        feed.pages = usize::from(p);
    }
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let report = rt.block_on(pagefeed::render::until_sigterm(commands::check(
        &feed,
        &settings,
        chrono::Utc::now(),
        args.explain,
    )));
    print!("{}", report.output);
    if let Some(e) = &report.error {
        eprintln!("pagefeed: {e}");
    }
    if report.found {
        ExitCode::Ok
    } else {
        ExitCode::FeedsFailed
    }
}

fn status(cli: &Cli) -> ExitCode {
    let config = match load_config(cli) {
        Ok(c) => c,
        Err(code) => return code,
    };
    match commands::status(&config) {
        Ok(status) => {
            print!("{}", commands::format_status(&status));
            ExitCode::Ok
        }
        Err(e) => {
            eprintln!("pagefeed: {e}");
            ExitCode::Unexpected
        }
    }
}

/// `pagefeed state migrate --to URL`: prints what was copied.
fn migrate(cli: &Cli, to: &str) -> ExitCode {
    use pagefeed::store::StateLocation;
    let config = match load_config(cli) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let copied = StateLocation::of(&config.settings)
        .and_then(|from| Ok((from, StateLocation::parse(to, "--to")?)))
        .and_then(|(from, to)| {
            let n = pagefeed::store::migrate::copy(&from, &to)?;
            Ok((from, to, n))
        });
    match copied {
        Ok((from, to, n)) => {
            // The file hashes only matter with a bucket: a folder's state has none.
            let what = if n.files > 0 {
                format!(
                    "{} feeds, {} items, {} URLs and {} file hashes",
                    n.feeds, n.items, n.urls, n.files
                )
            } else {
                format!("{} feeds, {} items and {} URLs", n.feeds, n.items, n.urls)
            };
            println!(
                "copied {what} from {} to {}",
                from.describe(),
                to.describe()
            );
            ExitCode::Ok
        }
        Err(e) => {
            eprintln!("pagefeed: {e}");
            ExitCode::Unexpected
        }
    }
}

fn extract_cmd(args: &ExtractArgs) -> ExitCode {
    let tz = match commands::parse_tz(&args.timezone) {
        Ok(tz) => tz,
        Err(e) => {
            eprintln!("pagefeed: {e}");
            return ExitCode::Config;
        }
    };
    let now = chrono::Utc::now();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if let Some(manifest) = &args.batch {
        return match commands::extract_batch(manifest, tz, now, args.content, &mut out) {
            Ok(_) => ExitCode::Ok,
            Err(e) => {
                eprintln!("pagefeed: {e}");
                ExitCode::Unexpected
            }
        };
    }
    let mut code = ExitCode::Ok;
    for input in &args.inputs {
        let loaded = commands::load_input(input, args.url.as_deref());
        let (text, url) = match loaded {
            Ok(x) => x,
            Err(e) => {
                eprintln!("pagefeed: {e}");
                code = ExitCode::FeedsFailed;
                continue;
            }
        };
        let e = if args.content {
            commands::extract_text_with_content(&text, &url, tz, now)
        } else {
            commands::extract_text(&text, &url, tz, now)
        };
        let _ = commands::write_extracted(&mut out, input, &e, &url, args);
    }
    code
}

fn print_dry_run(report: &pagefeed::RunReport) {
    for f in &report.feeds {
        let Ok(s) = &f.result else { continue };
        println!(
            "feed `{}`: {} added, {} changed, {} dropped",
            f.id,
            s.added.len(),
            s.changed.len(),
            s.dropped.len()
        );
        for (mark, list) in [("+", &s.added), ("~", &s.changed), ("-", &s.dropped)] {
            for (link, title) in list {
                println!(
                    "  {mark} {}  {link}",
                    title.as_deref().unwrap_or("(untitled)")
                );
            }
        }
        if !s.filtered.is_empty() {
            println!("  {} filtered out by [feed.filter]:", s.filtered.len());
        }
        for (link, title, why) in &s.filtered {
            println!(
                "  x {}  {link}  ({why})",
                title.as_deref().unwrap_or("(untitled)")
            );
        }
    }
}

fn summary_line(r: &pagefeed::RunReport) -> String {
    let ok = r.feeds.iter().filter(|f| f.result.is_ok()).count();
    let new: usize = r
        .feeds
        .iter()
        .filter_map(|f| f.result.as_ref().ok())
        .map(|s| s.added.len())
        .sum();
    let restored: usize = r
        .feeds
        .iter()
        .filter_map(|f| f.result.as_ref().ok())
        .map(|s| s.restored)
        .sum();
    let restored = if restored > 0 {
        format!(" ({restored} rebuilt from feed files: the state file had lost them)")
    } else {
        String::new()
    };
    format!(
        "run: {ok} feeds ok, {} failed, {} not due; {new} new items{restored}; {} requests ({} not modified), {:.1} KiB in {:.1} s",
        r.feeds.len() - ok,
        r.skipped.len(),
        r.requests,
        r.not_modified,
        r.bytes as f64 / 1024.0,
        r.seconds
    )
}

/// A progress bar on stderr, only when it is a terminal and nobody asked for quiet or
/// machine-readable logs (never under cron).
fn progress_bar(cli: &Cli) -> Option<Arc<dyn pagefeed::pipeline::Progress>> {
    if cli.quiet || cli.log_format == LogFormat::Json || !std::io::stderr().is_terminal() {
        return None;
    }
    Some(Arc::new(Bar::new()))
}

struct Bar {
    bar: indicatif::ProgressBar,
    pages: std::sync::atomic::AtomicU64,
}

impl Bar {
    fn new() -> Bar {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} feeds, {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Bar {
            bar,
            pages: std::sync::atomic::AtomicU64::new(0),
        }
    }
}

impl pagefeed::pipeline::Progress for Bar {
    fn feeds_total(&self, n: usize) {
        self.bar.set_length(n as u64);
        self.bar.set_message("0 pages");
    }

    fn page_done(&self) {
        let n = self
            .pages
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            + 1;
        self.bar.set_message(format!("{n} pages"));
    }

    fn feed_done(&self, _id: &str, _ok: bool) {
        self.bar.inc(1);
        if self.bar.position() >= self.bar.length().unwrap_or(0) {
            self.bar.finish_and_clear();
        }
    }
}
