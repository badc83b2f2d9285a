//! Work kept off the async runtime: the CPU pool that parses and extracts HTML (one
//! thread per core, see [`cpu`]) and tokio's blocking threads for lock and database
//! waits ([`blocking`], [`on_db_thread`]).

use std::sync::{Arc, Mutex};

use crate::store::Store;

/// Runs blocking work (a lock or database wait) on tokio's blocking threads, so the
/// async runtime keeps fetching meanwhile. A panic in it goes on as if it had happened
/// here.
pub(super) async fn blocking<T: Send + 'static>(job: impl FnOnce() -> T + Send + 'static) -> T {
    match tokio::task::spawn_blocking(job).await {
        Ok(v) => v,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// Runs a database job on a blocking thread (see [`blocking`]): SQLite waits up to its
/// busy timeout while another process writes, and that wait must not stall the fetches
/// of every other feed.
pub(super) async fn on_db_thread<T: Send + 'static>(
    store: &Arc<Mutex<Store>>,
    job: impl FnOnce(&mut Store) -> T + Send + 'static,
) -> T {
    let store = store.clone();
    blocking(move || {
        let mut st = store.lock().unwrap_or_else(|e| e.into_inner());
        job(&mut st)
    })
    .await
}

/// followed by the next one at once, whatever the thread that drives the feeds is
/// doing. (Handing out one permit per core from the async side left cores idle while
/// that thread wrote files or committed state: 1.5 of 2 cores busy in the loopback
/// benchmark.)
///
/// Runs CPU-bound work (HTML parsing and extraction) on a pool of one thread per core,
/// so the async side keeps the network busy while every core parses, and memory holds
/// no more DOMs than there are cores.
///
/// The pool's threads take the next job from a queue themselves: a finished job is
/// followed by the next one at once, whatever the thread that drives the feeds is
/// doing. (Handing out one permit per core from the async side left cores idle while
/// that thread wrote files or committed state: 1.5 of 2 cores busy in the loopback
/// benchmark.)
///
/// Each job runs under `limit` (`page_work_limit`, see [`crate::work`]).
pub(super) async fn cpu<T: Send + 'static>(
    limit: std::time::Duration,
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T, CpuError> {
    type Job = Box<dyn FnOnce() + Send>;
    static POOL: std::sync::LazyLock<std::sync::mpsc::Sender<Job>> =
        std::sync::LazyLock::new(|| {
            let (tx, rx) = std::sync::mpsc::channel::<Job>();
            let rx = Arc::new(Mutex::new(rx));
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
            for i in 0..cores {
                let rx = rx.clone();
                let spawned = std::thread::Builder::new()
                    .name(format!("pagefeed-cpu-{i}"))
                    .spawn(move || loop {
                        // The lock is held only to take a job, not to run it.
                        let job = match rx.lock() {
                            Ok(r) => r.recv(),
                            Err(poisoned) => poisoned.into_inner().recv(),
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    });
                if let Err(e) = spawned {
                    tracing::error!("starting a parser thread failed: {e}");
                }
            }
            tx
        });
    let (tx, rx) = tokio::sync::oneshot::channel();
    let wrapped: Job = Box::new(move || {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            crate::work::within(limit, job)
        }));
        let _ = tx.send(result);
    });
    if POOL.send(wrapped).is_err() {
        return Err(CpuError::Failed("the parser threads are gone".into()));
    }
    match rx.await {
        Ok(Ok(Ok(v))) => Ok(v),
        Ok(Ok(Err(exceeded))) => Err(CpuError::TooSlow(exceeded)),
        Ok(Err(panic)) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown cause".into());
            Err(CpuError::Failed(format!("panicked: {msg}")))
        }
        Err(_) => Err(CpuError::Failed("no parser thread took the page".into())),
    }
}

/// A parse or extraction job that did not finish (a panic, caught on its thread).
#[derive(Debug)]
pub(super) enum CpuError {
    /// It ran past `page_work_limit` and was stopped.
    TooSlow(crate::work::Exceeded),
    /// It panicked, or the pool is gone.
    Failed(String),
}

impl std::fmt::Display for CpuError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CpuError::TooSlow(e) => e.fmt(f),
            CpuError::Failed(m) => f.write_str(m),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parser_pool_reports_a_panic_and_keeps_working() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a test runtime starts");
        rt.block_on(async {
            let limit = std::time::Duration::from_secs(60);
            let err = cpu(limit, || -> u32 { panic!("malformed page") })
                .await
                .expect_err("a panicking job is an error");
            assert_eq!(err.to_string(), "panicked: malformed page");
            // Every parser thread still takes jobs, in parallel.
            let jobs = (0..8u32).map(|i| cpu(limit, move || i * 2));
            let results = futures_util::future::join_all(jobs).await;
            let values: Vec<u32> = results.into_iter().map(|r| r.expect("job runs")).collect();
            assert_eq!(values, (0..8).map(|i| i * 2).collect::<Vec<_>>());
        });
    }
}
