//! The head of a big RSS or Atom feed: the document cut after its first entries, so
//! that feed-rs builds only those.
//!
//! Contract: [`head`] returns the text up to the end of the `keep`-th entry (`<item>`
//! or `<entry>` directly under `<channel>`, `<rdf:RDF>` or `<feed>`) with the elements
//! still open closed, plus the number of entries in the whole document; or `None` when
//! cutting would change what the feed says: fewer entries than `keep`, feed-level
//! elements after the cut (a channel title written after the items), JSON, or text
//! that is not well-formed XML (feed-rs then reads the whole text and names the error).
//! Pure; it never allocates per entry.
//!
//! Why: a source feed is published as its first `max_items` entries, yet feed-rs reads
//! every entry with its full text into memory (a 17 MB feed of 60,000 short items took
//! 7 times its size). Reading the head is what a run needs and costs a scan of the rest.

use quick_xml::events::Event;
use quick_xml::Reader;

/// The cut document and the number of entries of the whole one.
pub struct Head {
    /// The text up to the end of the `keep`-th entry, with open elements closed.
    pub text: String,
    /// How many entries the whole document has.
    pub entries: usize,
}

/// Whether `local` names a feed's entry / the element that holds the entries.
fn is_entry(local: &[u8]) -> bool {
    matches!(local, b"item" | b"entry")
}
fn is_container(local: &[u8]) -> bool {
    matches!(local, b"channel" | b"RDF" | b"feed")
}

/// See the module docs.
pub fn head(text: &str, keep: usize) -> Option<Head> {
    if text.trim_start().starts_with('{') {
        return None;
    }
    let mut reader = Reader::from_str(text);
    // Qualified names of the open elements, and whether each one holds entries.
    let mut open: Vec<(String, bool)> = Vec::new();
    let mut entries = 0usize;
    let mut cut: Option<(usize, Vec<String>)> = None;
    loop {
        let event = reader.read_event().ok()?;
        let in_container = open.last().is_some_and(|(_, c)| *c);
        match event {
            Event::Start(e) => {
                let local = e.local_name();
                if in_container && cut.is_some() && !is_entry(local.as_ref()) {
                    return None;
                }
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                open.push((name, is_container(local.as_ref())));
            }
            Event::Empty(e) if in_container => {
                if is_entry(e.local_name().as_ref()) {
                    entries += 1;
                } else if cut.is_some() {
                    return None;
                }
            }
            Event::End(e) => {
                open.pop();
                let parent_holds = open.last().is_some_and(|(_, c)| *c);
                if parent_holds && is_entry(e.local_name().as_ref()) {
                    entries += 1;
                    if entries == keep && cut.is_none() {
                        let at = usize::try_from(reader.buffer_position()).ok()?;
                        let names = open.iter().rev().map(|(n, _)| n.clone()).collect();
                        cut = Some((at, names));
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let (at, closing) = cut?;
    if entries <= keep {
        return None;
    }
    let mut out = String::with_capacity(at + closing.iter().map(|n| n.len() + 3).sum::<usize>());
    out.push_str(text.get(..at)?);
    for name in closing {
        out.push_str("</");
        out.push_str(&name);
        out.push('>');
    }
    Some(Head { text: out, entries })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rss(n: usize, tail: &str) -> String {
        let items: String = (0..n)
            .map(|i| format!("<item><title>T{i}</title><link>https://e.com/{i}</link></item>"))
            .collect();
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>C</title>{items}{tail}\
             </channel></rss>"
        )
    }

    #[test]
    fn rss_atom_and_rdf_cut_after_the_kept_entries_and_closed() {
        let h = head(&rss(10, ""), 3).unwrap();
        assert_eq!(h.entries, 10);
        assert!(h
            .text
            .ends_with("<link>https://e.com/2</link></item></channel></rss>"));
        assert!(!h.text.contains("T3"));

        let atom: String = (0..5)
            .map(|i| format!("<entry><id>{i}</id><link href=\"https://e.com/{i}\"/></entry>"))
            .collect();
        let atom =
            format!("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>A</title>{atom}</feed>");
        let h = head(&atom, 2).unwrap();
        assert_eq!(h.entries, 5);
        assert!(h
            .text
            .ends_with("<id>1</id><link href=\"https://e.com/1\"/></entry></feed>"));

        let rdf = "<rdf:RDF xmlns:rdf=\"r\"><channel><title>R</title></channel>\
                   <item><link>a</link></item><item><link>b</link></item></rdf:RDF>";
        let h = head(rdf, 1).unwrap();
        assert_eq!(h.entries, 2);
        assert!(h.text.ends_with("<item><link>a</link></item></rdf:RDF>"));
    }

    #[test]
    fn no_cut_when_it_would_change_the_feed() {
        // Not more entries than kept.
        assert!(head(&rss(3, ""), 3).is_none());
        // Channel metadata after the items.
        assert!(head(&rss(10, "<description>late</description>"), 3).is_none());
        assert!(head(&rss(10, "<image/>"), 3).is_none());
        // JSON Feed and broken XML.
        assert!(head("{\"version\":\"https://jsonfeed.org/version/1.1\"}", 1).is_none());
        assert!(head("<rss><channel><item></channel></rss>", 1).is_none());
    }
}
