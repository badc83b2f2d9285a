//! The class and id vocabulary of the metadata sources, and how it is matched.
//!
//! Contract: word lists shared by more than one source file (and by the page index in
//! `dom`, which prefilters elements with them), and the matchers [`WordSet`],
//! [`has_word`] and [`contains_ci`]: ASCII case-insensitive substring tests on class
//! and id tokens. Pure; no DOM access.

use std::sync::OnceLock;

/// Class and id words that mark a dateline (matched inside tokens, any case).
pub(crate) const DATE_HINTS: &[&str] = &[
    "date",
    "publish",
    "timestamp",
    "posted",
    "meta",
    "datum",
    "fecha",
];

pub(crate) const DEK_WORDS: &[&str] = &[
    "dek",
    "standfirst",
    "subtitle",
    "subhead",
    "sub-head",
    "summary",
    "lede",
    "excerpt",
    "intro",
    "deck",
    "strapline",
    "abstract",
    "teaser-text",
    "description",
];

/// A cheap necessary condition for a byline text: the first byte after ASCII
/// whitespace can start a separator or a byline word ([`super::author::starts_with_by`]
/// looks further). Most text nodes of a page fail here.
pub(crate) fn may_start_with_by(t: &str) -> bool {
    // Vertical tab is Unicode whitespace, not ASCII whitespace: it goes the long way.
    match t
        .bytes()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'))
    {
        None => false,
        Some(b) => b >= 0x80 || b"bvpdwtaesBVPDWTAES|-/\x0b".contains(&b),
    }
}

/// A word list matched in one pass: [`WordSet::any`] is [`has_word`] with one
/// Aho-Corasick scan of the attribute instead of one substring search per word, for
/// the lists read on every class and id of a page (a regular expression cost more per
/// call on these short strings).
pub struct WordSet {
    words: &'static [&'static str],
    re: OnceLock<aho_corasick::AhoCorasick>,
}

impl WordSet {
    /// A set of lower-case ASCII words.
    pub const fn new(words: &'static [&'static str]) -> WordSet {
        WordSet {
            words,
            re: OnceLock::new(),
        }
    }

    /// Whether `attr` contains one of the words, ASCII case-insensitively.
    pub fn any(&self, attr: Option<&str>) -> bool {
        let Some(attr) = attr else { return false };
        let ac = self.re.get_or_init(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(self.words)
                .expect("word list makes an automaton")
        });
        ac.is_match(attr)
    }
}

/// Whether any class/id token contains one of `words` (ASCII case-insensitive;
/// `words` are lower-case). Allocates nothing: it runs on every ancestor of many nodes.
pub fn has_word(attr: Option<&str>, words: &[&str]) -> bool {
    let Some(attr) = attr else { return false };
    words.iter().any(|w| contains_ci(attr, w))
}

/// ASCII case-insensitive substring test; `needle` is lower-case.
pub fn contains_ci(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = n.split_first() else {
        return true;
    };
    if n.len() > h.len() {
        return false;
    }
    // Compare the rest only where the first byte matches: it runs on every class of
    // every ancestor of many nodes.
    let upper = first.to_ascii_uppercase();
    (0..=h.len() - n.len()).any(|i| {
        (h[i] == first || h[i] == upper) && h[i + 1..i + n.len()].eq_ignore_ascii_case(rest)
    })
}
