//! The HTML layer shared by discovery, extraction and main content: what every reader
//! of a page needs and none of them owns.
//!
//! Contract: [`parse`] builds the DOM with a bound on nesting (every page is parsed
//! there); [`links`] resolves a page's base and canonical URLs; [`meta`] reads its
//! `<meta>` tags once; [`media`] reads images, enclosures and category labels; [`site`] says which hosts are one site (the registrable domain by
//! the Public Suffix List); [`vocab`] is the one boilerplate vocabulary of class and id
//! words. All of it is pure: a parsed page and URLs in, values out; no
//! I/O, no clock. This layer imports nothing from `discover`, `extract` or
//! `readability` (they build on it, never the other way round).

pub mod links;
pub mod media;
pub mod meta;
pub mod parse;
pub mod site;
pub mod text;
pub mod vocab;

pub use links::{base_url, canonical_url};
pub use meta::Metas;
pub use parse::{flatten_below, parse_document, parse_fragment, HARD_DEPTH, MAX_DEPTH};
