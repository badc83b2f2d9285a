//! The media fields of a stored item (image, categories, language, enclosures with
//! their HEAD lengths) as one JSON column, `items.media`.
//!
//! Contract: [`to_json`] and [`apply`] round-trip those fields exactly; a value that no
//! longer parses (an image URL, an enclosure URL) is dropped, never an error, so an old
//! or hand-edited row still loads.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::model::{Enclosure, Item};

#[derive(Serialize, Deserialize, Default)]
struct Row {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    categories: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    enclosures: Vec<EnclosureRow>,
}

#[derive(Serialize, Deserialize)]
struct EnclosureRow {
    url: String,
    mime_type: String,
    length: u64,
}

/// The item's media fields as the column's JSON.
pub(super) fn to_json(item: &Item) -> String {
    let row = Row {
        image: item.image.as_ref().map(Url::to_string),
        categories: item.categories.clone(),
        language: item.language.clone(),
        enclosures: item
            .enclosures
            .iter()
            .map(|e| EnclosureRow {
                url: e.url.to_string(),
                mime_type: e.mime_type.clone(),
                length: e.length,
            })
            .collect(),
    };
    serde_json::to_string(&row).unwrap_or_else(|_| "{}".into())
}

/// Sets the item's media fields from the column's JSON.
pub(super) fn apply(json: &str, item: &mut Item) {
    let row: Row = serde_json::from_str(json).unwrap_or_default();
    item.image = row.image.and_then(|u| Url::parse(&u).ok());
    item.categories = row.categories;
    item.language = row.language;
    item.enclosures = row
        .enclosures
        .into_iter()
        .filter_map(|e| {
            Some(Enclosure {
                url: Url::parse(&e.url).ok()?,
                mime_type: e.mime_type,
                length: e.length,
            })
        })
        .collect();
}
