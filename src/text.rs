//! Text utilities shared by extraction, discovery and the writers.
//!
//! Everything here is pure and works on `&str`; nothing allocates more than the result.

/// True for characters XML 1.0 allows in a document.
pub fn is_xml_char(c: char) -> bool {
    matches!(c,
        '\u{9}' | '\u{A}' | '\u{D}'
        | '\u{20}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
}

/// Collapses runs of whitespace to one space, trims, and drops characters XML 1.0
/// forbids, zero-width spaces and soft hyphens, so the result is safe in any feed.
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if !is_xml_char(c) || matches!(c, '\u{AD}' | '\u{200B}' | '\u{FEFF}') {
            continue;
        }
        if c.is_control() {
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// Escapes text for HTML (`&`, `<`, `>`, `"`, `'`), so plain text put in an
/// attribute or an HTML page (`index.html`) shows as the same text and never becomes
/// markup.
pub fn escape_html(s: &str) -> String {
    escape(s, true)
}

/// Escapes text for an HTML element's content (`&`, `<`, `>`): what RSS descriptions
/// need. Quotes stay as they are, so "Tokyo's" reads the same in a reader that shows
/// the raw value; for attributes use [`escape_html`].
pub fn escape_html_text(s: &str) -> String {
    escape(s, false)
}

fn escape(s: &str, quotes: bool) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if quotes => out.push_str("&quot;"),
            '\'' if quotes => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Like [`clean`] but `None` when nothing is left.
pub fn clean_opt(s: &str) -> Option<String> {
    let c = clean(s);
    (!c.is_empty()).then_some(c)
}

/// Cuts `s` to at most `max` characters at a character boundary, preferring a word
/// boundary, and appends "…" when anything was cut.
pub fn truncate_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max.saturating_sub(1)).collect();
    let trimmed = match cut.rfind(char::is_whitespace) {
        Some(i) if i > cut.len() / 2 => cut[..i].trim_end().to_string(),
        _ => cut,
    };
    format!("{trimmed}…")
}

/// Cuts a paragraph near `target` characters at a sentence end; falls back to a word
/// boundary with "…" when no sentence ends in a sensible window.
pub fn cut_at_sentence(s: &str, target: usize) -> String {
    let n = s.chars().count();
    if n <= target + target / 3 {
        return s.to_string();
    }
    // Sentence ends between 40% and 133% of the target, the last one wins.
    let lo = target * 2 / 5;
    let hi = target + target / 3;
    let mut best: Option<usize> = None;
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    for (ci, &(bi, c)) in chars.iter().enumerate() {
        if ci > hi {
            break;
        }
        let is_end = match c {
            '.' | '!' | '?' => chars
                .get(ci + 1)
                .map(|&(_, n)| n.is_whitespace())
                .unwrap_or(true),
            '。' | '！' | '？' => true,
            _ => false,
        };
        if is_end && ci >= lo && ci <= hi {
            best = Some(bi + c.len_utf8());
        }
    }
    match best {
        Some(end) => s[..end].to_string(),
        None => truncate_chars(s, target),
    }
}

/// Number of "word" units: whitespace-separated words, each CJK character counting one.
pub fn word_count(s: &str) -> usize {
    let mut n = 0;
    let mut in_word = false;
    for c in s.chars() {
        if is_cjk(c) {
            n += 1;
            in_word = false;
        } else if c.is_alphanumeric() {
            if !in_word {
                n += 1;
                in_word = true;
            }
        } else {
            in_word = false;
        }
    }
    n
}

/// Chinese, Japanese and Korean characters (ideographs, kana, hangul).
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11FF}' | '\u{2E80}'..='\u{2FDF}' | '\u{3040}'..='\u{30FF}'
        | '\u{3100}'..='\u{312F}' | '\u{3130}'..='\u{318F}' | '\u{31A0}'..='\u{31FF}'
        | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}'
        | '\u{F900}'..='\u{FAFF}' | '\u{FF66}'..='\u{FF9F}')
}

/// Joins names as a byline: "A", "A and B", "A, B and C".
pub fn join_authors(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_collapses_space_and_drops_illegal_chars() {
        assert_eq!(clean("  a\u{0}\u{1}b \n\t c\u{FFFE}\u{B}d  "), "ab c d");
        assert_eq!(clean("x\u{200B}y\u{AD}z"), "xyz");
        assert_eq!(
            clean("emoji 😀 and \u{200F}rtl"),
            "emoji 😀 and \u{200F}rtl"
        );
    }

    #[test]
    fn truncate_keeps_char_boundaries() {
        let s = "日本語のテキスト".repeat(300);
        let t = truncate_chars(&s, 100);
        assert_eq!(t.chars().count(), 100);
        assert!(t.ends_with('…'));
        assert_eq!(truncate_chars("short", 10), "short");
    }

    #[test]
    fn cut_at_sentence_prefers_sentence_end() {
        let s = format!(
            "{} Second sentence here. {}",
            "a ".repeat(150).trim(),
            "b ".repeat(200)
        );
        let cut = cut_at_sentence(&s, 300);
        assert!(cut.ends_with("here."), "{cut}");
        assert_eq!(cut_at_sentence("One. Two.", 300), "One. Two.");
    }

    #[test]
    fn word_count_counts_cjk_per_char() {
        assert_eq!(word_count("hello big world"), 3);
        assert_eq!(word_count("日本語 ok"), 4);
    }
}
