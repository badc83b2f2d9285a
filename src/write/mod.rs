//! Writing: the format-neutral [`Feed`] as RSS 2.0, Atom 1.0 and JSON Feed 1.1 files.
//!
//! Contract: [`write_feed`] renders each requested format and writes each file whole
//! through the [`Output`] (a folder: temp file in the same folder, fsync, rename; a
//! bucket: one object per file), and only when the bytes differ, so an unchanged feed
//! keeps its mtime (or object) and the static host keeps its validators. Output never
//! leaves the output folder or key prefix: file names come from validated feed ids.
//! Format details (RFC 2822 dates, `dc:creator`, Atom's required fields) live only
//! here.

mod atom;
pub mod atomic;
mod json_feed;
pub mod output;
mod rss;
pub mod site;

use std::collections::HashMap;
use std::path::PathBuf;

use crate::config::Format;
use crate::model::Feed;

pub use atomic::{remove_stale_temp_files, write_if_changed};
pub use output::Output;

/// Why writing failed.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A file or folder could not be written.
    #[error("write: {}: {cause}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error (in the message: the operating system's reason, such as "No
        /// space left on device", is what the operator needs).
        cause: std::io::Error,
    },
    /// An object could not be written to or read from a bucket.
    #[error("write: {url}: {message}")]
    Bucket {
        /// The object's (or bucket's) `s3://` URL.
        url: String,
        /// What the object store said (never a credential).
        message: String,
    },
    /// A feed could not be serialised.
    #[error("write: feed `{feed}` as {format}: {message}")]
    Render {
        /// The feed id.
        feed: String,
        /// The format.
        format: &'static str,
        /// What went wrong.
        message: String,
    },
}

/// The Media RSS namespace, for item images in RSS and Atom.
pub(crate) const MEDIA_RSS_NS: &str = "http://search.yahoo.com/mrss/";

/// Renders a feed in one format.
pub fn render(feed: &Feed, format: Format) -> Result<Vec<u8>, WriteError> {
    let xml = match format {
        Format::Rss => rss::render(feed)?,
        Format::Atom => atom::render(feed)?,
        Format::Json => return json_feed::render(feed),
    };
    Ok(match &feed.stylesheet {
        Some(href) => site::with_stylesheet(xml, href),
        None => xml,
    })
}

/// The self URL of a feed file, when `base_url` is set.
pub(crate) fn self_url(feed: &Feed, format: Format) -> Option<String> {
    feed.base_url
        .as_ref()
        .and_then(|b| b.join(&format.file_name(&feed.id)).ok())
        .map(|u| crate::credentials::public_url(&u))
}

/// Writes the feed in each format through `output`; `recorded`: the hashes the state
/// has of its files (see [`Output::put`]). Returns the files written, with the hash of
/// each (to record when [`Output::uses_recorded`]).
pub async fn write_feed(
    feed: &Feed,
    formats: &[Format],
    output: &Output,
    recorded: &HashMap<String, String>,
) -> Result<Vec<(String, String)>, WriteError> {
    // Render everything first, so a rendering failure leaves every old file in place.
    let mut rendered = Vec::new();
    for &f in formats {
        rendered.push((f.file_name(&feed.id), render(feed, f)?));
    }
    put_all(output, rendered, recorded).await
}

/// Writes each `(name, bytes)` that changed through `output`; `recorded`: hashes by
/// the file's URL ([`Output::show`]). Returns the URL and hash of each file written.
pub async fn put_all(
    output: &Output,
    files: Vec<(String, Vec<u8>)>,
    recorded: &HashMap<String, String>,
) -> Result<Vec<(String, String)>, WriteError> {
    let mut changed = Vec::new();
    for (name, bytes) in files {
        let (url, h) = (output.show(&name), output::hash(&bytes));
        if output
            .put(&name, bytes, recorded.get(&url).map(String::as_str))
            .await?
        {
            changed.push((url, h));
        }
    }
    Ok(changed)
}

/// A feed's written files read back in `order`: each one that exists (its path or
/// URL), with what feed-rs makes of it or why it could not be read ("cannot read …",
/// "… is not a feed pagefeed can read back: …"). Stops at the first file `take` accepts.
pub async fn read_back<T>(
    output: &Output,
    id: &str,
    order: &[Format],
    mut take: impl FnMut(String, Result<feed_rs::model::Feed, String>) -> Option<T>,
) -> Option<T> {
    for f in order {
        let name = f.file_name(id);
        let Some(bytes) = output.read(&name).await else {
            continue;
        };
        let shown = output.show(&name);
        let parsed = bytes.and_then(|bytes| {
            feed_rs::parser::parse(&bytes[..])
                .map_err(|e| format!("{shown} is not a feed pagefeed can read back: {e}"))
        });
        if let Some(t) = take(shown, parsed) {
            return Some(t);
        }
    }
    None
}
