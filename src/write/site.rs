//! The files that describe the whole output folder: `index.html` (a readable page
//! listing every feed, with `<link rel="alternate">` tags so pasting the host's URL into
//! a reader finds the feeds), `feeds.opml` (a subscription list to import in one step)
//! and the optional XSLT stylesheet that makes a feed readable in a browser.

use chrono::{DateTime, Utc};
use std::fmt::Write as _;

use crate::config::Format;
use crate::credentials::{public_url, public_url_str};

/// One feed as the index and the OPML list show it.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedEntry {
    /// The feed id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The site it is made from.
    pub home_page: Option<String>,
    /// When its content last changed.
    pub updated: Option<DateTime<Utc>>,
    /// Items in its files.
    pub items: usize,
    /// Formats written.
    pub formats: Vec<Format>,
}

/// File name of the index page.
pub const INDEX_FILE: &str = "index.html";
/// File name of the OPML subscription list.
pub const OPML_FILE: &str = "feeds.opml";
/// File name of the shipped XSLT stylesheet.
pub const STYLESHEET_FILE: &str = "pagefeed.xsl";
/// The stylesheet's content.
pub const STYLESHEET: &str = include_str!("pagefeed.xsl");

fn esc(s: &str) -> String {
    crate::text::escape_html(&crate::text::clean(s))
}

fn mime(f: Format) -> &'static str {
    match f {
        Format::Rss => "application/rss+xml",
        Format::Atom => "application/atom+xml",
        Format::Json => "application/feed+json",
    }
}

fn label(f: Format) -> &'static str {
    match f {
        Format::Rss => "RSS",
        Format::Atom => "Atom",
        Format::Json => "JSON Feed",
    }
}

/// Renders `index.html`. Links are relative, so the folder can be served anywhere.
pub fn index_html(feeds: &[FeedEntry]) -> String {
    let mut head = String::new();
    let mut rows = String::new();
    for f in feeds {
        for &fmt in &f.formats {
            let _ = writeln!(
                head,
                "<link rel=\"alternate\" type=\"{}\" title=\"{} ({})\" href=\"{}\">",
                mime(fmt),
                esc(&f.title),
                label(fmt),
                esc(&fmt.file_name(&f.id))
            );
        }
        let links: Vec<String> = f
            .formats
            .iter()
            .map(|&fmt| {
                format!(
                    "<a href=\"{}\">{}</a>",
                    esc(&fmt.file_name(&f.id)),
                    label(fmt)
                )
            })
            .collect();
        let source = f
            .home_page
            .as_deref()
            .map(public_url_str)
            .map(|h| format!("<a href=\"{}\">{}</a>", esc(&h), esc(&host_of(&h))))
            .unwrap_or_else(|| "–".into());
        let updated = f
            .updated
            .map(|u| {
                format!(
                    "<time datetime=\"{}\">{}</time>",
                    u.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    u.format("%Y-%m-%d %H:%M UTC")
                )
            })
            .unwrap_or_else(|| "never".into());
        let _ = writeln!(
            rows,
            "<tr id=\"{id}\"><td class=\"title\">{title}</td><td>{source}</td><td>{updated}</td><td class=\"n\">{items}</td><td>{links}</td></tr>",
            id = esc(&f.id),
            title = esc(&f.title),
            items = f.items,
            links = links.join(" · ")
        );
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Feeds</title>\n{head}\
<style>\nbody{{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}}\n\
table{{border-collapse:collapse;width:100%}}th,td{{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #ddd;vertical-align:top}}\n\
td.n{{text-align:right}}td.title{{font-weight:600}}p.help{{color:#555}}\n</style>\n</head>\n<body>\n<h1>Feeds</h1>\n\
<p class=\"help\">Copy a feed's link into your feed reader to subscribe, or import <a href=\"{OPML_FILE}\">all feeds as OPML</a>.</p>\n\
<table>\n<thead><tr><th>Feed</th><th>Source</th><th>Last update</th><th>Items</th><th>Subscribe</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n\
<p class=\"help\">Made by pagefeed.</p>\n</body>\n</html>\n"
    )
}

fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str()
                .map(|h| h.trim_start_matches("www.").to_string())
        })
        .unwrap_or_else(|| url.to_string())
}

/// Renders `feeds.opml` (OPML 2.0). Feed URLs are absolute when `base_url` is known.
pub fn opml(
    feeds: &[FeedEntry],
    base_url: Option<&url::Url>,
    updated: Option<DateTime<Utc>>,
) -> String {
    let mut body = String::new();
    for f in feeds {
        // One subscription per feed: Atom when written, else the first format.
        let Some(&fmt) = f
            .formats
            .iter()
            .find(|&&x| x == Format::Atom)
            .or(f.formats.first())
        else {
            continue;
        };
        let file = fmt.file_name(&f.id);
        let xml_url = base_url
            .and_then(|b| b.join(&file).ok())
            .map(|u| public_url(&u))
            .unwrap_or(file);
        let html = f
            .home_page
            .as_deref()
            .map(|h| format!(" htmlUrl=\"{}\"", esc(&public_url_str(h))))
            .unwrap_or_default();
        let ty = if fmt == Format::Atom { "atom" } else { "rss" };
        let _ = writeln!(
            body,
            "    <outline type=\"{ty}\" text=\"{t}\" title=\"{t}\" xmlUrl=\"{}\"{html}/>",
            esc(&xml_url),
            t = esc(&f.title)
        );
    }
    let date = updated
        .map(|u| format!("    <dateModified>{}</dateModified>\n", u.to_rfc2822()))
        .unwrap_or_default();
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<opml version=\"2.0\">\n  <head>\n    <title>Feeds</title>\n{date}  </head>\n  <body>\n{body}  </body>\n</opml>\n"
    )
}

/// What a feed's files on disk hold, for the index of a feed whose files may lag its
/// state (a write that failed after the state was committed).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Written {
    /// The title in the file.
    pub title: Option<String>,
    /// Items in the file.
    pub items: usize,
    /// The file's `updated` (Atom) or `lastBuildDate` (RSS); for JSON Feed, which has
    /// none, its newest item date.
    pub updated: Option<DateTime<Utc>>,
}

/// Reads a feed's written files back (Atom first, then RSS, then JSON Feed, the first
/// that can be read). `Written::default()` (no items) when none can be.
pub async fn read_written(output: &super::Output, id: &str, formats: &[Format]) -> Written {
    let order: Vec<Format> = [Format::Atom, Format::Rss, Format::Json]
        .into_iter()
        .filter(|f| formats.contains(f))
        .collect();
    let Some(feed) = super::read_back(output, id, &order, |_, f| f.ok()).await else {
        return Written::default();
    };
    let newest = feed
        .entries
        .iter()
        .filter_map(|e| e.updated.or(e.published))
        .max();
    Written {
        title: feed.title.map(|t| t.content),
        items: feed.entries.len(),
        updated: feed.updated.or(newest),
    }
}

/// Inserts an `<?xml-stylesheet?>` instruction after the XML declaration.
pub fn with_stylesheet(xml: Vec<u8>, href: &str) -> Vec<u8> {
    let pi = format!("<?xml-stylesheet type=\"text/xsl\" href=\"{href}\"?>\n");
    let end = xml
        .windows(2)
        .position(|w| w == b"?>")
        .map(|i| i + 2)
        .filter(|_| xml.starts_with(b"<?xml"))
        .unwrap_or(0);
    let mut out = Vec::with_capacity(xml.len() + pi.len() + 1);
    out.extend_from_slice(&xml[..end]);
    if end > 0 {
        out.push(b'\n');
    }
    out.extend_from_slice(pi.as_bytes());
    out.extend_from_slice(xml[end..].strip_prefix(b"\n").unwrap_or(&xml[end..]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> FeedEntry {
        FeedEntry {
            id: "news".into(),
            title: "News & <Views>".into(),
            home_page: Some("https://www.example.com/news".into()),
            updated: Some("2025-12-22T01:15:00Z".parse().unwrap()),
            items: 12,
            formats: Format::ALL.to_vec(),
        }
    }

    #[test]
    fn index_links_every_format_and_escapes() {
        let html = index_html(&[entry()]);
        assert!(html.contains(r#"<link rel="alternate" type="application/rss+xml" title="News &amp; &lt;Views&gt; (RSS)" href="news.rss.xml">"#));
        assert!(html.contains(r#"<a href="news.atom.xml">Atom</a>"#));
        assert!(html.contains(">example.com</a>"));
        assert!(html.contains("2025-12-22 01:15 UTC"));
    }

    #[test]
    fn opml_uses_absolute_urls_with_a_base() {
        let base = url::Url::parse("https://feeds.example.org/p/").unwrap();
        let o = opml(&[entry()], Some(&base), None);
        assert!(
            o.contains(r#"xmlUrl="https://feeds.example.org/p/news.atom.xml""#),
            "{o}"
        );
        assert!(o.contains(r#"type="atom""#));
    }

    #[test]
    fn stylesheet_goes_after_the_declaration() {
        let x = with_stylesheet(b"<?xml version=\"1.0\"?>\n<rss/>".to_vec(), "pagefeed.xsl");
        assert_eq!(
            String::from_utf8(x).unwrap(),
            "<?xml version=\"1.0\"?>\n<?xml-stylesheet type=\"text/xsl\" href=\"pagefeed.xsl\"?>\n<rss/>"
        );
    }
}
