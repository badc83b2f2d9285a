//! `pagefeed state migrate --to URL`: copies a whole state (item history, validators
//! and retry times, feed status, the hashes of the files written to a bucket) from one
//! store into another, so moving from the SQLite file to PostgreSQL (or back) loses
//! nothing and the first run on the new store uploads nothing unchanged.
//!
//! Contract: the source is only read; the target gets every feed of the source in one
//! transaction (PostgreSQL), each feed's rows replaced by the source's, and is
//! migrated to the current schema first. Leases are not copied. Ids, guids and
//! first-seen dates are copied as they are.

use super::{StateLocation, Store, StoreError};

/// What a migration copied.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Copied {
    /// Feed status rows.
    pub feeds: usize,
    /// Items of the history.
    pub items: usize,
    /// URLs with validators or a retry time.
    pub urls: usize,
    /// Recorded hashes of files written to a bucket.
    pub files: usize,
}

/// Copies the state at `from` into `to`.
pub fn copy(from: &StateLocation, to: &StateLocation) -> Result<Copied, StoreError> {
    if from == to {
        return Err(StoreError::StateUrl {
            key: "--to".into(),
            message: format!("{} is already the state", to.describe()),
        });
    }
    let snapshot = Store::open(from)?.export()?;
    Store::open(to)?.import(&snapshot)?;
    Ok(Copied {
        feeds: snapshot.feeds.len(),
        items: snapshot.items.len(),
        urls: snapshot.http.len(),
        files: snapshot.published.len(),
    })
}
