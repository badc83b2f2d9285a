//! A bound on the CPU time one page's analysis may take (`page_work_limit`).
//!
//! Contract: [`within`] runs a page's parse, discovery or extraction with a deadline;
//! the walkers call [`check`] as they go (per token of the parse, per element of the
//! DOM walks, per candidate link), and once the deadline has passed the work stops
//! there and [`within`] returns [`Exceeded`]. Without [`within`] (tests, the
//! `extract` command, benches) [`check`] does nothing.
//!
//! Why cooperative and why an unwind: the analysis is pure synchronous code on a parser
//! thread; it cannot be cancelled from outside, and threading a `Result` through every
//! walker would touch hundreds of functions for one rare case. [`check`] therefore
//! leaves with `std::panic::resume_unwind` (which runs no panic hook, so nothing is
//! printed) carrying a private marker, and [`within`] catches exactly that marker; the
//! DOM and everything else the work built are dropped on the way out. Discovery and
//! extraction are linear in the page (see `src/html/parse.rs` for deep nesting), so the
//! limit is a backstop against what is still slow, not the common path.

use std::cell::Cell;
use std::time::{Duration, Instant};

/// The analysis of one page took longer than the limit it ran under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exceeded {
    /// The limit (`page_work_limit`).
    pub limit: Duration,
}

impl std::fmt::Display for Exceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "analysing the page took longer than page_work_limit ({}), so it was stopped",
            humantime::format_duration(self.limit)
        )
    }
}

/// The unwind payload of a passed deadline; private, so no other panic matches it.
struct Stop;

thread_local! {
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
    static TICKS: Cell<u32> = const { Cell::new(0) };
}

/// How many [`check`] calls share one reading of the clock.
const TICKS_PER_CLOCK: u32 = 256;

/// Runs `f` with a deadline `limit` from now. Other panics pass through unchanged.
pub fn within<T>(limit: Duration, f: impl FnOnce() -> T) -> Result<T, Exceeded> {
    struct Restore(Option<Instant>);
    impl Drop for Restore {
        fn drop(&mut self) {
            DEADLINE.with(|d| d.set(self.0));
        }
    }
    let deadline = Instant::now().checked_add(limit);
    let _restore = Restore(DEADLINE.with(|d| d.replace(deadline)));
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(v) => Ok(v),
        Err(payload) if payload.is::<Stop>() => Err(Exceeded { limit }),
        Err(payload) => std::panic::resume_unwind(payload),
    }
}

/// Stops the work of the current [`within`] once its deadline has passed. Cheap: the
/// clock is read once every [`TICKS_PER_CLOCK`] calls.
#[inline]
pub fn check() {
    let n = TICKS.with(|t| {
        let n = t.get().wrapping_add(1);
        t.set(n);
        n
    });
    if n.is_multiple_of(TICKS_PER_CLOCK) {
        check_clock();
    }
}

#[cold]
fn check_clock() {
    let Some(deadline) = DEADLINE.with(Cell::get) else {
        return;
    };
    if Instant::now() > deadline {
        std::panic::resume_unwind(Box::new(Stop));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_past_the_deadline_stops_and_work_within_it_finishes() {
        let limit = Duration::from_millis(20);
        let endless = within(limit, || loop {
            check();
        });
        assert_eq!(endless, Err(Exceeded { limit }));
        assert_eq!(within(limit, || 7), Ok(7));
        // Outside `within`, checks never stop anything.
        for _ in 0..10_000 {
            check();
        }
        let other = std::panic::catch_unwind(|| within(limit, || panic!("a bug")));
        assert!(other.is_err(), "other panics pass through");
    }
}
