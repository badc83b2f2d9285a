//! Character sets: bytes → text, the way browsers decide.
//!
//! Order: byte-order mark; the HTTP header's `charset` (unless the bytes contradict it);
//! `<meta charset>` / `http-equiv` in the first 4 KiB; else a statistical guess
//! (`chardetng`). A header that claims UTF-8 for bytes that are not UTF-8 is treated as
//! a lie, since that is the commonest misconfiguration.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8};
use regex::bytes::Regex;
use std::sync::LazyLock;

static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)"#).expect("valid regex")
});

/// The charset named in a `Content-Type` header value.
pub fn charset_from_content_type(ct: &str) -> Option<&'static Encoding> {
    ct.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        if k.trim().eq_ignore_ascii_case("charset") {
            Encoding::for_label(v.trim().trim_matches(['"', '\'']).as_bytes())
        } else {
            None
        }
    })
}

/// The charset a `<meta>` tag declares in the first 4 KiB.
pub fn charset_from_meta(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let caps = META_CHARSET.captures(head)?;
    let enc = Encoding::for_label(caps.get(1)?.as_bytes())?;
    // A page that is decoded at all is ASCII-compatible here; UTF-16 labels in a meta
    // tag are a known lie (the tag itself was readable as ASCII).
    Some(
        if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
            UTF_8
        } else {
            enc
        },
    )
}

/// Decodes a body. `content_type` is the HTTP header value, if any. Returns the text
/// and the encoding used.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> (String, &'static Encoding) {
    let (text, enc) = decode_cow(bytes, content_type);
    (text.into_owned(), enc)
}

/// Like [`decode`], but reuses the buffer when the bytes are already the text (UTF-8,
/// or ASCII in an ASCII-compatible encoding): a body near `max_body_size` is then held
/// once, not twice.
pub fn decode_owned(bytes: Vec<u8>, content_type: Option<&str>) -> (String, &'static Encoding) {
    let (range, enc) = match decode_cow(&bytes, content_type) {
        (Cow::Borrowed(s), enc) => {
            let start = s.as_ptr() as usize - bytes.as_ptr() as usize;
            (start..start + s.len(), enc)
        }
        (Cow::Owned(s), enc) => return (s, enc),
    };
    let mut bytes = bytes;
    bytes.truncate(range.end);
    bytes.drain(..range.start);
    match String::from_utf8(bytes) {
        Ok(s) => (s, enc),
        // Unreachable: the range was borrowed as a `str`; decode again rather than panic.
        Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), enc),
    }
}

fn decode_cow<'a>(
    bytes: &'a [u8],
    content_type: Option<&str>,
) -> (Cow<'a, str>, &'static Encoding) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text, enc);
    }
    let mut header = content_type.and_then(charset_from_content_type);
    let meta = charset_from_meta(bytes);
    // A `<meta>` naming another charset over bytes that are valid UTF-8 with non-ASCII
    // in them is a template left unchanged: text in a legacy charset almost never
    // forms valid UTF-8 sequences, so when no header decides, the bytes are UTF-8.
    if header.is_none()
        && meta.is_some_and(|m| m != UTF_8)
        && !bytes.is_ascii()
        && std::str::from_utf8(bytes).is_ok()
    {
        return (String::from_utf8_lossy(bytes), UTF_8);
    }
    if header == Some(encoding_rs::WINDOWS_1252) {
        // Latin-1 decodes any bytes without error, so it can never be caught lying the
        // way UTF-8 can, and it is the default charset of many servers whatever the
        // page holds. Believe it only when nothing contradicts it: not valid non-ASCII
        // UTF-8, not a `<meta>` naming another charset, not bytes that read as a
        // non-Latin script.
        if !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok() {
            return (String::from_utf8_lossy(bytes), UTF_8);
        }
        if meta.is_some_and(|m| m != encoding_rs::WINDOWS_1252) {
            header = None;
        } else if let Some(enc) = non_latin_guess(bytes) {
            let (text, had_errors) = enc.decode_without_bom_handling(bytes);
            if !had_errors {
                return (text, enc);
            }
        }
    }
    let mut tried: Vec<&'static Encoding> = Vec::new();
    for enc in [header, meta].into_iter().flatten() {
        if tried.contains(&enc) {
            continue;
        }
        tried.push(enc);
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if !had_errors {
            return (text, enc);
        }
    }
    if tried.is_empty() {
        if let Ok(text) = std::str::from_utf8(bytes) {
            return (Cow::Borrowed(text), UTF_8);
        }
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let guess = det.guess(None, chardetng::Utf8Detection::Allow);
    // When every declared charset produced errors, the bytes decide; a guess of a
    // single-byte Western encoding over a declared multi-byte one would be worse than
    // the declaration with a few replacement characters, so keep the first declaration
    // if the guess is only windows-1252.
    let enc = match tried.first() {
        Some(&declared) if guess == encoding_rs::WINDOWS_1252 && declared != UTF_8 => declared,
        _ => guess,
    };
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (text, enc)
}

/// chardetng's guess when it is an encoding of a non-Latin script (CJK, Cyrillic,
/// Greek, Hebrew, Arabic, Thai …): bytes that read as one are not Latin-1 text.
fn non_latin_guess(bytes: &[u8]) -> Option<&'static Encoding> {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let guess = det.guess(None, chardetng::Utf8Detection::Allow);
    let latin = [
        encoding_rs::WINDOWS_1250,
        encoding_rs::WINDOWS_1252,
        encoding_rs::WINDOWS_1254,
        encoding_rs::WINDOWS_1257,
        encoding_rs::WINDOWS_1258,
        encoding_rs::ISO_8859_2,
        encoding_rs::ISO_8859_3,
        encoding_rs::ISO_8859_4,
        encoding_rs::ISO_8859_10,
        encoding_rs::ISO_8859_13,
        encoding_rs::ISO_8859_14,
        encoding_rs::ISO_8859_15,
        encoding_rs::ISO_8859_16,
    ];
    (!latin.contains(&guess)).then_some(guess)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_then_meta_then_sniff() {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS
            .encode("<p>日本語のニュース記事です。東京で地震がありました。</p>");
        let (t, e) = decode(&sjis, Some("text/html; charset=Shift_JIS"));
        assert_eq!(e, encoding_rs::SHIFT_JIS);
        assert!(t.contains("日本語のニュース"));
        let mut with_meta = b"<meta charset=\"shift_jis\">".to_vec();
        with_meta.extend_from_slice(&sjis);
        assert!(decode(&with_meta, None).0.contains("東京で地震"));
        // A header that lies about UTF-8.
        assert!(decode(&with_meta, Some("text/html; charset=utf-8"))
            .0
            .contains("東京で地震"));
        // Neither: sniffed.
        let long: Vec<u8> = sjis.iter().copied().cycle().take(sjis.len() * 4).collect();
        assert!(decode(&long, None).0.contains("東京で地震"));
    }

    #[test]
    fn windows_1252_from_header() {
        let bytes = b"caf\xe9 na\xefve \x93quoted\x94";
        let (t, _) = decode(bytes, Some("text/html; charset=windows-1252"));
        assert_eq!(t, "café naïve \u{201c}quoted\u{201d}");
    }

    #[test]
    fn a_latin1_header_over_other_bytes_is_a_lie() {
        let latin1 = Some("text/html; charset=ISO-8859-1");
        let ru = "Москва готовится к зиме. Городские службы начали подготовку к сезону.";
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(ru);
        assert_eq!(decode(&cp1251, latin1).0, ru);
        // UTF-8 bytes under a Latin-1 header.
        assert_eq!(decode("Zürich café".as_bytes(), latin1).0, "Zürich café");
        // A meta tag that names another charset wins over the Latin-1 header.
        let mut meta = b"<meta charset=\"windows-1251\">".to_vec();
        meta.extend_from_slice(&cp1251);
        assert!(decode(&meta, latin1).0.ends_with(ru));
        // Real Latin-1 text under a Latin-1 header stays Latin-1.
        let fr = b"Le c\xe9l\xe8bre caf\xe9 de la vieille ville a rouvert ses portes apr\xe8s deux ann\xe9es.";
        assert!(decode(fr, latin1).0.starts_with("Le célèbre café"));
    }

    #[test]
    fn utf8_bytes_under_a_latin1_meta_are_utf8() {
        let page = "<meta charset=\"iso-8859-1\"><p>Grüne Welle für Radfahrer</p>";
        let (t, e) = decode(page.as_bytes(), None);
        assert_eq!(e, UTF_8);
        assert!(t.contains("Grüne Welle für"));
        let page = "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-15\"><p>Prix: 5 €</p>";
        assert!(decode(page.as_bytes(), Some("text/html")).0.contains("5 €"));
        // Real Latin-1 bytes still read as Latin-1.
        let (latin, _, _) =
            encoding_rs::WINDOWS_1252.encode("<meta charset=\"iso-8859-1\"><p>für</p>");
        assert!(decode(&latin, None).0.contains("für"));
        // A header that names the charset decides.
        let (t, _) = decode(
            "<p>fÃ¼r</p>".as_bytes(),
            Some("text/html; charset=iso-8859-1"),
        );
        assert!(!t.contains("für"));
    }

    #[test]
    fn bom_wins() {
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice("é".as_bytes());
        assert_eq!(decode(&b, Some("text/html; charset=iso-8859-1")).0, "é");
    }
}
