//! The listing's "next page" link, for `pages = N`.
//!
//! Contract: given a parsed listing page and its URL, return the URL of the page that
//! continues the list (older items), or `None`. Pure: no I/O. It must not return the
//! page itself, a link to another site, or a "previous"/"newer" link.
//!
//! Signals, strongest first: `<link rel="next">`, `<a rel="next">`, then a link whose
//! whole text (or `aria-label`, or `title`) is a "next"/"older" phrase in one of the
//! languages below, arrows aside ("Older posts »", "Next page", "Ältere Beiträge",
//! "次へ"), then a link that is only a forward arrow ("›", "»", "→"). Within a signal
//! the first link in the document wins. "Load more" buttons are not links to a page and
//! are left alone.

use scraper::{ElementRef, Html};
use url::Url;

use super::{base_url, canonical_link};

/// Link texts (lower-case, arrows and punctuation stripped) that mean "the next page of
/// this list". Phrases naming a single article ("next post", "next article") are left
/// out: on an article page they lead sideways, not down the list.
const NEXT_PHRASES: &[&str] = &[
    // English
    "next",
    "next page",
    "next ›",
    "older",
    "older posts",
    "older entries",
    "older articles",
    "older stories",
    "older news",
    "older items",
    "more posts",
    "more stories",
    "more articles",
    "see older posts",
    "previous posts",
    "previous entries",
    // German
    "weiter",
    "nächste",
    "nächste seite",
    "ältere",
    "ältere beiträge",
    "ältere einträge",
    "ältere artikel",
    "ältere nachrichten",
    "vorherige beiträge",
    // French, Spanish, Italian, Portuguese, Dutch
    "suivant",
    "page suivante",
    "articles plus anciens",
    "plus anciens",
    "siguiente",
    "página siguiente",
    "entradas anteriores",
    "successivo",
    "pagina successiva",
    "articoli precedenti",
    "próxima",
    "próximo",
    "próxima página",
    "posts anteriores",
    "volgende",
    "volgende pagina",
    "oudere berichten",
    // Japanese, Chinese, Korean, Russian
    "次へ",
    "次",
    "次のページ",
    "次ページ",
    "次の記事一覧",
    "もっと見る",
    "下一页",
    "下一頁",
    "下页",
    "다음",
    "다음 페이지",
    "следующая",
    "следующая страница",
    "дальше",
    "далее",
];

/// Characters dropped from a link text before it is compared: arrows, quotes and
/// punctuation around "Next »".
fn is_decoration(c: char) -> bool {
    matches!(
        c,
        '›' | '»'
            | '→'
            | '⟶'
            | '⇒'
            | '>'
            | '⟩'
            | '〉'
            | '▶'
            | '►'
            | '▸'
            | '…'
            | '.'
            | ':'
            | '-'
            | '–'
            | '—'
            | '|'
            | '('
            | ')'
            | '['
            | ']'
    ) || c.is_whitespace()
}

/// Forward arrows that, alone, label a next-page link.
fn is_forward_arrow(c: char) -> bool {
    matches!(
        c,
        '›' | '»' | '→' | '⟶' | '>' | '▶' | '►' | '▸' | '⟩' | '〉'
    )
}

/// The URL of the listing's next page, if the page links one.
pub fn next_page(html: &Html, page_url: &Url) -> Option<Url> {
    let base = base_url(html, page_url);
    let usable = |href: Option<&str>| -> Option<Url> {
        let url = canonical_link(&base, href?)?;
        let same_site = match url.scheme() {
            "file" => page_url.scheme() == "file",
            _ => url.host_str() == page_url.host_str(),
        };
        let mut page = page_url.clone();
        page.set_fragment(None);
        (same_site && url != page).then_some(url)
    };
    let has_rel = |el: &ElementRef, want: &str| {
        el.value().attr("rel").is_some_and(|r| {
            r.split_ascii_whitespace()
                .any(|t| t.eq_ignore_ascii_case(want))
        })
    };
    for el in html.select(selector!("link[rel][href], a[rel][href]")) {
        if has_rel(&el, "next") {
            if let Some(u) = usable(el.value().attr("href")) {
                return Some(u);
            }
        }
    }
    let mut arrow: Option<Url> = None;
    for el in html.select(selector!("a[href]")) {
        if has_rel(&el, "prev") || has_rel(&el, "previous") {
            continue;
        }
        let text: String = el.text().collect();
        let labels = [
            Some(text.as_str()),
            el.value().attr("aria-label"),
            el.value().attr("title"),
        ];
        let mut is_next = false;
        let mut is_arrow = false;
        for label in labels.into_iter().flatten() {
            let norm = normalize(label);
            if NEXT_PHRASES.contains(&norm.as_str()) {
                is_next = true;
                break;
            }
            let t = label.trim();
            if norm.is_empty()
                && !t.is_empty()
                && t.chars().all(|c| is_forward_arrow(c) || c.is_whitespace())
            {
                is_arrow = true;
            }
        }
        if is_next {
            if let Some(u) = usable(el.value().attr("href")) {
                return Some(u);
            }
        } else if is_arrow && arrow.is_none() {
            arrow = usable(el.value().attr("href"));
        }
    }
    arrow
}

/// Lower-case, decoration stripped from both ends, inner whitespace collapsed.
fn normalize(s: &str) -> String {
    let t = s.trim_matches(is_decoration).to_lowercase();
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn next(html: &str) -> Option<String> {
        let page = Url::parse("https://example.com/blog/").unwrap();
        next_page(&Html::parse_document(html), &page).map(|u| u.to_string())
    }

    #[test]
    fn rel_next_wins_over_text() {
        assert_eq!(
            next(r#"<head><link rel="next" href="/blog/page/2"></head><a href="/x">Next</a>"#)
                .as_deref(),
            Some("https://example.com/blog/page/2")
        );
        assert_eq!(
            next(r#"<a rel="prev" href="/p0">‹</a> <a rel="next nofollow" href="?page=2">2</a>"#)
                .as_deref(),
            Some("https://example.com/blog/?page=2")
        );
    }

    #[test]
    fn next_phrases_in_several_languages() {
        for (html, want) in [
            (
                r#"<a href="/blog/">Home</a><a href="/blog/page/2/">Older posts »</a>"#,
                "/blog/page/2/",
            ),
            (r#"<a href="/s/2">Next page</a>"#, "/s/2"),
            (r#"<a href="/s/2">Ältere Beiträge</a>"#, "/s/2"),
            (r#"<a href="/s/2">次へ</a>"#, "/s/2"),
            (
                r#"<a href="/s/2" aria-label="Next page"><svg></svg></a>"#,
                "/s/2",
            ),
            (r#"<a href="/s/9">»</a><a href="/s/2">Next →</a>"#, "/s/2"),
            (r#"<a href="/s/1">«</a><a href="/s/3">›</a>"#, "/s/3"),
        ] {
            assert_eq!(
                next(html).as_deref(),
                Some(format!("https://example.com{want}").as_str()),
                "{html}"
            );
        }
    }

    #[test]
    fn no_next_for_previous_other_sites_self_or_article_links() {
        for html in [
            r#"<a href="/s/0">« Newer posts</a><a href="/s/0">Previous</a>"#,
            r#"<a href="https://other.example/2">Next</a>"#,
            r##"<a href="#top">Next</a><a href="/blog/">Next</a>"##,
            r#"<a href="/post/2">Next post</a><a href="/a">Read more »</a>"#,
            r#"<button>Load more</button>"#,
        ] {
            assert_eq!(next(html), None, "{html}");
        }
    }
}
