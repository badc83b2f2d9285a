//! A page's `<meta>` tags, read once.
//!
//! Contract: [`Metas`] maps each lower-cased `name`, `property`, `itemprop` or
//! `http-equiv` key to its values in document order; it reads the parsed page only.

use std::collections::HashMap;

use scraper::{ElementRef, Html};

/// Meta tags by lower-cased `name`, `property` or `itemprop`, in document order.
pub struct Metas(HashMap<String, Vec<String>>);

impl Metas {
    /// Reads every `<meta>` with content once. Some pages (and pages saved by some
    /// tools) carry the value in a `value` attribute instead of `content`.
    pub fn read(html: &Html) -> Metas {
        // The attached `<meta>` elements in the tree's creation order, as
        // `Html::select` (and `extract::dom::Dom`) visit them.
        Metas::from_elements(html.tree.nodes().filter_map(|node| {
            crate::work::check();
            ElementRef::wrap(node).filter(|e| e.value().name() == "meta" && e.parent().is_some())
        }))
    }

    /// [`Metas::read`] from the page's `<meta>` elements, in document order.
    pub fn from_elements<'a>(metas: impl Iterator<Item = ElementRef<'a>>) -> Metas {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        // The selector `meta[content], meta[value]`.
        for m in metas {
            let el = m.value();
            let Some(content) = el.attr("content").or_else(|| el.attr("value")) else {
                continue;
            };
            for key in ["name", "property", "itemprop", "http-equiv"] {
                if let Some(k) = el.attr(key) {
                    // A property attribute may carry several space-separated names.
                    for k in k.split_ascii_whitespace() {
                        map.entry(k.to_ascii_lowercase())
                            .or_default()
                            .push(content.to_string());
                    }
                }
            }
        }
        Metas(map)
    }

    /// First value for a key.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .get(key)?
            .iter()
            .map(String::as_str)
            .find(|v| !v.trim().is_empty())
    }

    /// All values for a key.
    pub fn all(&self, key: &str) -> &[String] {
        self.0.get(key).map(Vec::as_slice).unwrap_or(&[])
    }
}
