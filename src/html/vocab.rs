//! The boilerplate vocabulary: the class and id words that name page furniture, read
//! by every reader of a page.
//!
//! Contract: one table, [`BOILERPLATE`], of lower-case ASCII words that mark a region
//! whose links, dates, names and text are not the page's own (navigation, comments,
//! related lists, share bars, ads, consent banners). Each word says how it may be
//! matched ([`Match`]) and which readers take it ([`Readers`]); [`words`] lists the
//! words of one reader and one kind. Every reader matches them its own way:
//!
//! - discovery (`discover::auto`) splits a class or id name into words (at `-`, `_`,
//!   `:`, `.`, `/` and camelCase) and compares its first or last word with the words;
//! - extraction (`extract::boilerplate`) and main content (`readability`) look for the
//!   [`Match::Inside`] and [`Match::Leading`] words inside a token and for the
//!   [`Match::Whole`] words as a whole part of one.
//!
//! A word a reader does not take is left out of that reader on measurement: adding it
//! alone changed that reader's output on the shared evaluation pages (scores, fields,
//! main content or the candidates `extract --explain` lists) for the worse or with no
//! measurable gain (`docs/architecture.md` names the commands).
//! A new word goes here, for every reader whose output stays the same or gets better.
//!
//! Pure data and a filter; no DOM access. Readers keep what is theirs alone beside it:
//! main content its words for the article's own furniture (byline, dateline), which
//! extraction reads and discovery keeps.

/// How a word of [`BOILERPLATE`] may be matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// Long or distinctive enough to match inside a class token ("comment" in
    /// "commentList"); discovery compares it as a whole word. A word with a hyphen or a
    /// stem ("subscri") never equals one word of a split name, so only the readers that
    /// match inside a token take it.
    Inside,
    /// Too short to match inside a token ("ad" in "header", "nav" in "canvas",
    /// "search" in "research"): only a whole word or part of one counts.
    Whole,
    /// Like [`Match::Inside`] for extraction and main content; discovery counts it only
    /// as the first word of a name (a WordPress sidebar's `widget_recent_entries`, not a
    /// page builder's `elementor-widget` around everything).
    Leading,
}

/// A set of readers, as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Readers(u8);

impl Readers {
    /// Automatic discovery of a listing's items (`discover::auto`).
    pub const DISCOVER: Readers = Readers(1);
    /// Metadata extraction (`extract::boilerplate`).
    pub const EXTRACT: Readers = Readers(2);
    /// Main content (`readability`).
    pub const CONTENT: Readers = Readers(4);
    /// Every reader.
    pub const ALL: Readers = Readers(7);

    /// Both sets together.
    pub const fn and(self, other: Readers) -> Readers {
        Readers(self.0 | other.0)
    }

    /// Whether `reader` is in the set.
    pub const fn has(self, reader: Readers) -> bool {
        self.0 & reader.0 == reader.0
    }
}

/// One word of the vocabulary.
#[derive(Debug, Clone, Copy)]
pub struct Word {
    /// The word, lower-case ASCII.
    pub word: &'static str,
    /// How it may be matched.
    pub how: Match,
    /// Who takes it.
    pub readers: Readers,
}

const fn w(word: &'static str, how: Match, readers: Readers) -> Word {
    Word { word, how, readers }
}

use Match::{Inside, Leading, Whole};
const ALL: Readers = Readers::ALL;
const D: Readers = Readers::DISCOVER;
const E: Readers = Readers::EXTRACT;
const C: Readers = Readers::CONTENT;

/// Class and id words of page furniture. The forms a class name uses ("comment",
/// "comments") are both listed, since discovery compares whole words.
#[rustfmt::skip]
pub const BOILERPLATE: &[Word] = &[
    // Comments and discussion.
    w("comment", Inside, ALL), w("comments", Inside, ALL), w("disqus", Inside, ALL),
    w("reply", Inside, ALL), w("respond", Inside, ALL), w("replies", Whole, ALL),
    w("discussion", Inside, ALL), w("community", Inside, ALL), w("shoutbox", Inside, ALL),
    // Other stories: related, popular, recommended.
    w("related", Inside, ALL), w("recommend", Inside, ALL), w("recommended", Inside, ALL),
    w("popular", Inside, ALL), w("trending", Inside, ALL),
    // Not main content: it changed twelve extraction-corpus pages' main content (all of
    // them German-language pages), which no truth scores.
    w("teaser", Inside, D.and(E)),
    w("outbrain", Inside, ALL), w("taboola", Inside, ALL), w("readmore", Inside, ALL),
    w("read-more", Inside, C), w("more-stories", Inside, E.and(C)),
    w("read-next", Inside, E.and(C)), w("readnext", Inside, E.and(C)),
    // Not main content: it changed one extraction-corpus page's main content, which no
    // truth scores. Not extraction (nor `banner`, `cookie`, `crumbs`, `masthead`,
    // `pagination`, `popup`, `read-more`, `sign-up`, `subscri`, `subscribe`, `toolbar`,
    // `tag`): it changed the candidates `extract --explain` lists, not the values chosen.
    w("ranking", Inside, D),
    // Navigation and the site's own furniture.
    w("nav", Whole, ALL), w("navbar", Inside, ALL), w("navigation", Inside, ALL),
    w("gnav", Inside, ALL), w("menu", Inside, ALL), w("menus", Inside, ALL),
    w("megamenu", Inside, ALL), w("submenu", Inside, ALL),
    // Not main content: it changed one extraction-corpus page's main content, which no
    // truth scores.
    w("dropdown", Inside, D.and(E)),
    w("breadcrumb", Inside, ALL), w("breadcrumbs", Inside, ALL), w("crumbs", Inside, D.and(C)),
    w("footer", Inside, ALL), w("masthead", Inside, D.and(C)), w("topbar", Inside, ALL),
    w("toolbar", Inside, D.and(C)), w("sidebar", Inside, ALL),
    // Not main content: `rail` lowered content recall on one content page (0.935 from
    // 1.0); `toc` changed two extraction-corpus pages' main content, which no truth
    // scores.
    w("rail", Whole, D.and(E)), w("toc", Whole, D.and(E)),
    w("also", Whole, ALL), w("skip", Whole, ALL), w("skip-link", Inside, E.and(C)),
    w("widget", Leading, ALL), w("widgets", Leading, ALL),
    // Pagination, search, filters, languages, tags.
    w("pagination", Inside, D.and(C)), w("pager", Whole, ALL), w("paging", Inside, ALL),
    w("search", Whole, ALL), w("filter", Whole, ALL), w("filters", Whole, ALL),
    // Not main content: it changed one extraction-corpus page's main content, which no
    // truth scores.
    w("language", Whole, D.and(E)), w("languages", Whole, ALL),
    w("tagcloud", Inside, ALL),
    // `tags` not in extraction: it changed four pages' output (one page's author and
    // date among them) with no gain in the scores. `tag` not in discovery: one listing
    // lost an item (recall 0.995).
    w("tags", Whole, D.and(C)), w("tag", Whole, C),
    // Sharing.
    w("share", Inside, ALL), w("social", Inside, ALL), w("sns", Whole, ALL),
    // Not extraction: it changed one page's main content, which no truth scores.
    w("sharing", Inside, D.and(C)),
    // Accounts, newsletters, consent.
    w("login", Whole, ALL), w("signin", Inside, ALL), w("signup", Inside, ALL),
    w("sign-up", Inside, C), w("account", Whole, ALL),
    w("newsletter", Inside, ALL), w("subscribe", Inside, D.and(C)), w("subscri", Inside, C),
    w("cookie", Inside, D.and(C)), w("cookies", Inside, ALL), w("consent", Inside, ALL),
    w("gdpr", Whole, ALL), w("agegate", Inside, ALL), w("banner", Inside, D.and(C)),
    w("popup", Inside, D.and(C)),
    // Not extraction: one page's author became its publisher (author 0.879 from 0.882).
    w("modal", Inside, D.and(C)),
    // Ads and sponsors.
    w("ad", Whole, ALL), w("ads", Whole, ALL), w("adv", Whole, ALL), w("adslot", Whole, ALL),
    w("advert", Inside, ALL), w("advertisement", Inside, ALL), w("sponsor", Inside, ALL),
    w("sponsored", Inside, ALL), w("promo", Inside, ALL), w("skyscraper", Inside, ALL),
];

/// The words of [`BOILERPLATE`] that `reader` takes and that match as `how`.
pub fn words(reader: Readers, how: Match) -> impl Iterator<Item = &'static str> {
    BOILERPLATE
        .iter()
        .filter(move |w| w.readers.has(reader) && w.how == how)
        .map(|w| w.word)
}

/// Exact membership in a word list, for a lookup on every class or id word of a page:
/// the words are kept by length, so most lookups compare with nothing or one or two.
pub struct Lookup(Vec<Vec<&'static str>>);

impl Lookup {
    /// The lookup of `words` (a word listed twice counts once).
    pub fn new(words: impl IntoIterator<Item = &'static str>) -> Lookup {
        let mut by_len: Vec<Vec<&'static str>> = Vec::new();
        for w in words {
            if by_len.len() <= w.len() {
                by_len.resize_with(w.len() + 1, Vec::new);
            }
            if !by_len[w.len()].contains(&w) {
                by_len[w.len()].push(w);
            }
        }
        Lookup(by_len)
    }

    /// Whether `word` is one of the words (exactly, case included).
    pub fn contains(&self, word: &str) -> bool {
        self.0.get(word.len()).is_some_and(|ws| ws.contains(&word))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_case_ascii_and_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for w in BOILERPLATE {
            assert!(
                w.word.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{}",
                w.word
            );
            assert!(seen.insert(w.word), "{} is listed twice", w.word);
        }
    }

    #[test]
    fn short_words_never_match_inside_a_token() {
        let inside: Vec<&str> = words(Readers::EXTRACT, Inside).collect();
        assert!(!inside.contains(&"ad") && !inside.contains(&"nav"));
        assert!(words(Readers::CONTENT, Whole).any(|w| w == "ad"));
        // Measured out of main content, kept by extraction and discovery.
        assert!(!words(Readers::CONTENT, Whole).any(|w| w == "rail"));
        assert!(words(Readers::EXTRACT, Whole).any(|w| w == "rail"));
        assert!(words(Readers::DISCOVER, Whole).any(|w| w == "rail"));
    }

    #[test]
    fn a_lookup_holds_exactly_its_words() {
        let l = Lookup::new(["ad", "nav", "ads", "ad"]);
        assert!(l.contains("ad") && l.contains("ads") && l.contains("nav"));
        assert!(!l.contains("") && !l.contains("a") && !l.contains("AD"));
        assert!(!l.contains("adslot") && !l.contains("na"));
    }
}
