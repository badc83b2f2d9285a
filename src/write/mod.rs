//! Writing: the format-neutral [`Feed`] as RSS 2.0, Atom 1.0 and JSON Feed 1.1 files.
//!
//! Contract: [`write_feed`] renders each requested format and replaces the file
//! atomically (temp file in the same folder, fsync, rename), and only when the bytes
//! differ, so an unchanged feed keeps its mtime and the static host keeps its
//! validators. Output never leaves the output folder: file names come from validated
//! feed ids. Format details (RFC 2822 dates, `dc:creator`, Atom's required fields)
//! live only here.

mod atom;
pub mod atomic;
mod json_feed;
mod rss;
pub mod site;

use std::path::{Path, PathBuf};

use crate::config::Format;
use crate::model::Feed;

pub use atomic::{remove_stale_temp_files, write_if_changed};

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

/// Writes the feed in each format into `dir`; returns the files that changed.
pub fn write_feed(feed: &Feed, formats: &[Format], dir: &Path) -> Result<Vec<PathBuf>, WriteError> {
    std::fs::create_dir_all(dir).map_err(|cause| WriteError::Io {
        path: dir.to_path_buf(),
        cause,
    })?;
    // Render everything first, so a rendering failure leaves every old file in place.
    let mut rendered = Vec::new();
    for &f in formats {
        rendered.push((dir.join(f.file_name(&feed.id)), render(feed, f)?));
    }
    let mut changed = Vec::new();
    for (path, bytes) in rendered {
        if write_if_changed(&path, &bytes)? {
            changed.push(path);
        }
    }
    Ok(changed)
}

/// A feed's written files read back in `order`: each one that exists, with what feed-rs
/// makes of it or why it could not be read ("cannot read …", "… is not a feed pagefeed
/// can read back: …"). Lazy: a caller that takes the first readable file reads no other.
pub fn read_back<'a>(
    dir: &'a Path,
    id: &'a str,
    order: &'a [Format],
) -> impl Iterator<Item = (PathBuf, Result<feed_rs::model::Feed, String>)> + 'a {
    order
        .iter()
        .map(move |f| dir.join(f.file_name(id)))
        .filter(|p| p.is_file())
        .map(|p| {
            let parsed = std::fs::read(&p)
                .map_err(|e| format!("cannot read {}: {e}", p.display()))
                .and_then(|bytes| {
                    feed_rs::parser::parse(&bytes[..]).map_err(|e| {
                        format!("{} is not a feed pagefeed can read back: {e}", p.display())
                    })
                });
            (p, parsed)
        })
}
