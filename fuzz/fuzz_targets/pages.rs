//! Arbitrary bytes as a fetched page, through everything a run does with a page:
//! charset decoding, parsing, discovery (listing, sitemap, source feed), metadata
//! extraction and main content. Any panic, abort, stack overflow or hang is a find.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    pagefeed::fuzzing::analyse_page(bytes);
});
