//! Daemon mode: each feed on its own `interval`, spread with jitter, for as long as the
//! process lives.
//!
//! The config is re-read on SIGHUP (a config with errors is reported and the old one
//! kept). On SIGTERM or SIGINT the daemon stops scheduling and exits; a run in flight is
//! dropped at its next await point, which is safe because every file write is a
//! synchronous atomic rename and every state change one transaction, so nothing is
//! ever left half-written. Failing feeds back off by doubling their interval (see
//! [`crate::schedule::next_due`]) and recover on their own.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::signal::unix::{signal, SignalKind};

use crate::config::{Config, ConfigError};
use crate::pipeline::{self, RunOptions};
use crate::schedule::{jitter, next_due};
use crate::store::{StateLocation, Store, StoreError};

/// Longest the daemon sleeps before looking at the clock again.
const MAX_SLEEP: Duration = Duration::from_secs(60);

/// How long a feed that another process holds waits before this one asks again (its
/// lease may lapse if that process died).
const LEASED_RETRY: Duration = Duration::from_secs(1);

/// Why the daemon could not start.
#[derive(Debug, thiserror::Error)]
pub enum DaemonError {
    /// The config could not be loaded at start.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The state file could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Signal handlers could not be installed.
    #[error("daemon: cannot install signal handlers: {0}")]
    Signals(std::io::Error),
}

/// When each feed should next run; a feed never run is due at `start` (plus jitter).
fn schedule(
    config: &Config,
    start: DateTime<Utc>,
) -> Result<Vec<(String, DateTime<Utc>)>, StoreError> {
    let location = StateLocation::of(&config.settings)?;
    // The store may block (a database round trip): not on an async worker's own stack.
    let statuses =
        tokio::task::block_in_place(|| Store::open(&location).and_then(|mut s| s.statuses()))?;
    Ok(config
        .feeds
        .iter()
        .map(|f| {
            let due = next_due(f, statuses.get(&f.id)).unwrap_or(start);
            let due = due + chrono::Duration::from_std(jitter(f)).unwrap_or_default();
            (f.id.clone(), due)
        })
        .collect())
}

/// Runs until SIGTERM or SIGINT.
pub async fn run(config_path: &Path) -> Result<(), DaemonError> {
    let mut config = Config::load(config_path)?;
    let mut hup = signal(SignalKind::hangup()).map_err(DaemonError::Signals)?;
    let mut term = signal(SignalKind::terminate()).map_err(DaemonError::Signals)?;
    let mut int = signal(SignalKind::interrupt()).map_err(DaemonError::Signals)?;
    tracing::info!(
        "daemon: started with {} feeds from {}",
        config.feeds.len(),
        config_path.display()
    );
    let start = Utc::now();
    // Feeds another process held at the last try (a shared state): not asked for again
    // before these times, so a lease held elsewhere is not polled in a tight loop.
    let mut deferred: HashMap<String, DateTime<Utc>> = HashMap::new();
    loop {
        let now = Utc::now();
        let mut plan = schedule(&config, start)?;
        for (id, t) in &mut plan {
            if let Some(d) = deferred.get(id) {
                *t = (*t).max(*d);
            }
        }
        let due: Vec<String> = plan
            .iter()
            .filter(|(_, t)| *t <= now)
            .map(|(id, _)| id.clone())
            .collect();
        if !due.is_empty() {
            // Not forced: the run reads the statuses again and leaves out a feed that
            // another process (sharing the state) ran since `schedule` read them; its
            // lease claim then checks once more, under the row's lock. A feed due here
            // is due there (the run's slack, a tenth of the interval, covers the jitter
            // added here).
            let opts = RunOptions {
                feeds: due,
                wait: true,
                ..RunOptions::default()
            };
            tokio::select! {
                r = pipeline::run(&config, &opts, now) => match r {
                    Ok(report) => {
                        let retry = now + chrono::Duration::from_std(LEASED_RETRY).unwrap_or_default();
                        deferred.retain(|_, d| *d > now);
                        deferred.extend(report.skipped.into_iter().map(|id| (id, retry)));
                        for f in report.feeds.iter().filter(|f| f.result.is_err()) {
                            tracing::debug!("daemon: feed `{}` failed; it backs off", f.id);
                        }
                    }
                    Err(e) => tracing::error!("daemon: {e}"),
                },
                _ = term.recv() => return stop("SIGTERM"),
                _ = int.recv() => return stop("SIGINT"),
            }
            continue;
        }
        let next = plan.iter().map(|(_, t)| *t).min();
        let sleep = next
            .and_then(|t| (t - now).to_std().ok())
            .unwrap_or(MAX_SLEEP)
            .min(MAX_SLEEP);
        tokio::select! {
            _ = tokio::time::sleep(sleep) => {}
            _ = hup.recv() => config = reload(config_path, config),
            _ = term.recv() => return stop("SIGTERM"),
            _ = int.recv() => return stop("SIGINT"),
        }
    }
}

fn stop(signal: &str) -> Result<(), DaemonError> {
    tracing::info!("daemon: {signal} received; exiting");
    Ok(())
}

/// Loads the config again; on error keeps the running one.
fn reload(path: &Path, old: Config) -> Config {
    match Config::load(path) {
        Ok(c) => {
            tracing::info!(
                "daemon: SIGHUP: reloaded {} ({} feeds)",
                path.display(),
                c.feeds.len()
            );
            c
        }
        Err(e) => {
            tracing::error!("daemon: SIGHUP: keeping the running config: {e}");
            old
        }
    }
}
