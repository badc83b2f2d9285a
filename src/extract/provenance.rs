//! Where a candidate value came from.
//!
//! Contract: [`Provenance`] names the source of one [`super::candidates::Candidate`];
//! code that treats a source specially (the `<h1>`, the first paragraph, a guessed
//! year, the machine-written metadata) matches on it instead of comparing strings.
//! Its `Display` is the text users and the history see (`pagefeed extract --explain`,
//! the stored field sources, e.g. `meta og:title`, `json-ld datePublished`); `Debug`
//! prints the same text, quoted like a string, so debug dumps read as before. It
//! depends on nothing and decides nothing.

use std::fmt;

/// The source of one candidate value.
#[derive(Clone, PartialEq, Eq)]
pub enum Provenance {
    /// A `<meta>` tag, by name or property (`og:title`, `description`).
    Meta(&'static str),
    /// A JSON-LD field (`headline`, `datePublished`, `image`).
    JsonLd(&'static str),
    /// A JSON-LD author that is an organisation, read when no person is named.
    JsonLdOrganisation,
    /// A schema.org microdata property outside `<meta>` (`headline`, `author`).
    Microdata(&'static str),
    /// A microformats `h-entry` property (`p-name`, `dt-published`).
    HEntry(&'static str),
    /// A `<time>` element's `datetime` attribute.
    TimeDatetime,
    /// A `<time>` element's text.
    TimeText,
    /// An element whose class or id names a date.
    ClassDate,
    /// The page's visible headline.
    H1,
    /// The `<title>` element.
    Title,
    /// A date that is a whole segment of the `<title>`.
    TitleDate,
    /// A date stated after an update label ("Stand:", "Aktualisiert:").
    LabelledUpdate,
    /// A date stated after a publication label ("Erschienen am").
    LabelledPublication,
    /// A date in the URL path.
    UrlPath,
    /// A short text block after the headline that holds a date.
    DatelineAfterHeadline,
    /// A short text block before the headline that holds a date.
    DatelineBeforeHeadline,
    /// The holder named in the footer's copyright line.
    CopyrightHolder,
    /// An element classed as a byline or author.
    BylineClass,
    /// The date in a byline element's text.
    BylineText,
    /// A link to an author page.
    AuthorLink,
    /// A short text starting with a byline word ("By Jane Doe").
    ByLine,
    /// A summary box found by its class.
    DekClassHint,
    /// The standfirst right after the headline.
    DekAfterHeadline,
    /// The article's first paragraph, cut at a sentence.
    FirstParagraph,
    /// `<link rel=image_src>`.
    LinkImageSrc,
    /// The first large image in the article body.
    BodyImage,
    /// A `rel=tag` link in the article.
    LinkTag,
    /// The `<html lang>` attribute.
    HtmlLang,
    /// An audio or video player, or a link to a media file, in the article.
    ArticleMedia,
    /// A date whose text gave no year, read in the fetch time's year.
    YearGuessed(Box<Provenance>),
}

/// Sources that are copies of one statement: a CMS writes the same description into
/// several meta tags, so their agreement counts once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Every `<meta>` tag.
    Meta,
    /// Every JSON-LD field.
    JsonLd,
    /// Every microdata property.
    Microdata,
    /// Every `h-entry` property.
    HEntry,
    /// Both ways of finding the dek.
    Dek,
    /// Any other source, which is its own family.
    Own,
}

impl Provenance {
    /// The family this source belongs to (a guessed year does not change it).
    pub fn family(&self) -> Family {
        match self {
            Provenance::Meta(_) => Family::Meta,
            Provenance::JsonLd(_) | Provenance::JsonLdOrganisation => Family::JsonLd,
            Provenance::Microdata(_) => Family::Microdata,
            Provenance::HEntry(_) => Family::HEntry,
            Provenance::DekClassHint | Provenance::DekAfterHeadline => Family::Dek,
            Provenance::YearGuessed(p) => p.family(),
            _ => Family::Own,
        }
    }

    /// Whether the page's author or CMS wrote it for machines (meta tags, JSON-LD,
    /// microdata), as opposed to text shown to the reader.
    pub fn is_metadata(&self) -> bool {
        matches!(
            self.family(),
            Family::Meta | Family::JsonLd | Family::Microdata
        )
    }

    /// Whether the candidate's year was guessed from the fetch time.
    pub fn year_guessed(&self) -> bool {
        matches!(self, Provenance::YearGuessed(_))
    }

    /// Whether two sources count as one statement: the same source, or for summaries
    /// (`by_family`) the same family.
    pub fn same_statement(&self, other: &Provenance, by_family: bool) -> bool {
        if by_family {
            let f = self.family();
            if f == Family::Own {
                self == other
            } else {
                f == other.family()
            }
        } else {
            self == other
        }
    }
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fixed = match self {
            Provenance::Meta(k) => return write!(f, "meta {k}"),
            Provenance::JsonLd(k) => return write!(f, "json-ld {k}"),
            Provenance::Microdata(k) => return write!(f, "microdata {k}"),
            Provenance::HEntry(k) => return write!(f, "h-entry {k}"),
            Provenance::YearGuessed(p) => return write!(f, "{p} (year guessed)"),
            Provenance::JsonLdOrganisation => "json-ld author (organisation)",
            Provenance::TimeDatetime => "<time datetime>",
            Provenance::TimeText => "<time> text",
            Provenance::ClassDate => "class date",
            Provenance::H1 => "<h1>",
            Provenance::Title => "<title>",
            Provenance::TitleDate => "<title> date",
            Provenance::LabelledUpdate => "labelled update date",
            Provenance::LabelledPublication => "labelled publication date",
            Provenance::UrlPath => "url path",
            Provenance::DatelineAfterHeadline => "dateline after headline",
            Provenance::DatelineBeforeHeadline => "dateline before headline",
            Provenance::CopyrightHolder => "copyright holder",
            Provenance::BylineClass => "class byline/author",
            Provenance::BylineText => "byline text",
            Provenance::AuthorLink => "author link",
            Provenance::ByLine => "\"by\" line",
            Provenance::DekClassHint => "dek (class hint)",
            Provenance::DekAfterHeadline => "dek after headline",
            Provenance::FirstParagraph => "first paragraph",
            Provenance::LinkImageSrc => "link rel=image_src",
            Provenance::BodyImage => "first large image of the article",
            Provenance::LinkTag => "link rel=tag in the article",
            Provenance::HtmlLang => "html lang",
            Provenance::ArticleMedia => "audio/video element or media link in the article",
        };
        f.write_str(fixed)
    }
}

/// The same text as `Display`, quoted and escaped as a string's `Debug` is.
impl fmt::Debug for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_string(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_debug_give_the_source_text() {
        let cases = [
            (Provenance::Meta("og:title"), "meta og:title"),
            (Provenance::JsonLd("datePublished"), "json-ld datePublished"),
            (
                Provenance::JsonLdOrganisation,
                "json-ld author (organisation)",
            ),
            (Provenance::H1, "<h1>"),
            (Provenance::ByLine, "\"by\" line"),
            (
                Provenance::YearGuessed(Box::new(Provenance::ClassDate)),
                "class date (year guessed)",
            ),
        ];
        for (p, text) in cases {
            assert_eq!(p.to_string(), text);
            assert_eq!(format!("{p:?}"), format!("{text:?}"));
            assert_eq!(format!("{p:#?}"), format!("{text:#?}"));
        }
    }

    #[test]
    fn summary_sources_of_one_family_are_one_statement() {
        let og = Provenance::Meta("og:description");
        let desc = Provenance::Meta("description");
        assert!(og.same_statement(&desc, true));
        assert!(!og.same_statement(&desc, false));
        assert!(Provenance::DekClassHint.same_statement(&Provenance::DekAfterHeadline, true));
        assert!(!Provenance::FirstParagraph.same_statement(&Provenance::DekAfterHeadline, true));
        assert!(!og.same_statement(&Provenance::JsonLd("description"), true));
    }

    #[test]
    fn a_guessed_year_keeps_the_family_but_not_the_identity() {
        let guessed = Provenance::YearGuessed(Box::new(Provenance::Meta("date")));
        assert!(guessed.year_guessed());
        assert!(guessed.is_metadata());
        assert_ne!(guessed, Provenance::Meta("date"));
        assert!(!Provenance::TimeDatetime.is_metadata());
    }
}
