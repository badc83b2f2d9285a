//! The date engine: turns the date strings real pages carry into timestamps.
//!
//! Contract: [`parse_date`] reads one date string (an attribute value or a short text
//! such as a dateline), [`find_date`] looks for a date inside a longer text and
//! [`date_from_url`] reads the date many sites put in article paths. All are pure: the
//! fetch time and the feed's time zone come in a [`DateContext`]; nothing here reads the
//! clock or does I/O. A time with no zone is read in `ctx.tz`; the result keeps the
//! page's own UTC offset, because a page's date is its local calendar date. Dates after
//! `ctx.now` (plus a small tolerance) or before 1995 are rejected: no date beats a wrong
//! one, so wherever a text can be read two ways the engine returns `None`.
//!
//! What is understood:
//! - ISO 8601 / RFC 3339 in its common shapes (`T` or space, with or without seconds and
//!   fraction, `Z`, `+09:00`, `+0900`, `+09`, date only, `2025/12/22`, `2025.12.22`,
//!   basic `20251222T101500Z`), RFC 2822/1123 (also with zone names), and, for a whole
//!   string of digits only, Unix seconds (10 digits), milliseconds (13), `yyyymmdd` and
//!   `yyyymmddHHMMSS`.
//! - Written dates in English, German, French, Spanish, Italian, Portuguese, Dutch and
//!   Russian (full, abbreviated with or without a dot, genitive), with weekdays,
//!   ordinals and the little words between parts ("22 de diciembre de 2025",
//!   "22. Dezember 2025", "le 1er janvier", "22 декабря 2025 г."); Japanese, Chinese and
//!   Korean `年月日` / `년월일` dates; numeric day/month/year dates.
//! - Times after the date (or, "10:15 AM · Dec 22, 2025", just before it): `10:15`,
//!   `10:15:30.5`, `10:15 pm`, `10.15 Uhr`, `10h15`, `午後3時15分`, `오후 3:15`,
//!   `下午3点`, followed by a zone: an offset (`+09:00`, `GMT+9`, `UTC+05:30`) or an
//!   abbreviation (see `zone_abbr`; `ET`/`CT`/`MT`/`PT` follow US daylight saving).
//! - Relative dates in those languages ("3 hours ago", "vor 2 Tagen", "il y a une heure",
//!   "hace 2 días", "3時間前", "3小时前", "3시간 전", "yesterday 10:15", "hier", "今天"),
//!   resolved against `ctx.now` in `ctx.tz`. Seconds to hours give an instant; days and
//!   weeks give a local calendar date without time; months and years are too vague and
//!   give `None`.
//!
//! How ambiguity is settled:
//! - Numeric `a/b/yyyy`: `ctx.lang` decides day-first (most languages, `en-GB`) or
//!   month-first (`en-US`); a reading that is no valid date is dropped; when the language
//!   is unknown (or plain `en`) and both readings are valid and differ, `None`. Two-digit
//!   years only as `dd.mm.yy` or `d.mm.yy` on German-style (dotted date) pages, read as
//!   20yy.
//! - A date without a year ("Dec 22", "12月22日") takes the latest such date not after
//!   tomorrow; month words that are also ordinary words ("may", "mar", "set") need a year
//!   or a capital letter.
//! - A local time that does not exist (daylight-saving gap) becomes the first valid time
//!   after the gap; an ambiguous one (the repeated hour) takes the earlier instant.
//! - `find_date` takes the first date in the text, except that a date labelled
//!   "updated"/"modified" gives way to a later one labelled "published"/"posted".
//!   Bare "today"/"yesterday" count only with a time or as the whole text (after a
//!   label), so "Subscribe today" is no date.
//!
//! What it must not do: guess. Versions (`2.10.3`), prices, phone numbers, times alone,
//! month-and-year alone ("Mär 2025") and impossible dates ("31 February") give `None`;
//! values are never rolled over into valid ones.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{
    DateTime, Datelike, Days, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta,
    TimeZone, Timelike, Utc,
};
use chrono_tz::Tz;
use regex::{Captures, Regex};

/// What the date engine needs to know besides the text.
#[derive(Debug, Clone, Copy)]
pub struct DateContext<'a> {
    /// The fetch time: relative dates resolve against it; later dates are rejected.
    pub now: DateTime<Utc>,
    /// Zone for times given without one (the feed's `timezone`).
    pub tz: Tz,
    /// The page's language (`<html lang>`, e.g. `"de"`, `"en-US"`), guiding
    /// day/month order and month names; `None` when unknown.
    pub lang: Option<&'a str>,
}

/// A date found in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedDate {
    /// The instant, with the offset the text gave (or `ctx.tz`'s offset at that time).
    pub value: DateTime<FixedOffset>,
    /// Whether the text gave a time of day (else the time is midnight local).
    pub has_time: bool,
    /// Whether the text was relative ("3 hours ago", "yesterday").
    pub relative: bool,
}

/// How far past `ctx.now` a date may lie before it is rejected: clock skew and pages
/// whose zone is slightly off should not lose their date.
const FUTURE_TOLERANCE_HOURS: i64 = 2;
/// The earliest year accepted; older numbers on a page are rarely its date.
const MIN_YEAR: i32 = 1995;
/// The largest count accepted in "N units ago"; keeps the arithmetic far from overflow
/// (anything that old is rejected anyway).
const MAX_AGO: i64 = 100_000;
/// How many characters before a date are searched for a label or a leading time.
const LOOKBEHIND_CHARS: usize = 48;

/// Parses a string that is (mostly) just a date: an attribute value, a `<time>` text or
/// a dateline. Also accepts what [`find_date`] accepts, plus all-digit timestamps.
pub fn parse_date(text: &str, ctx: &DateContext) -> Option<ParsedDate> {
    let text = normalize(text);
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if t.bytes().all(|b| b.is_ascii_digit()) {
        return from_digits(t, ctx);
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return accept(d, true, false, ctx);
    }
    scan(t, ctx).or_else(|| from_rfc2822(t, ctx))
}

/// Looks for a date inside a longer text such as "Published 22 December 2025, 10:15".
///
/// Takes the first date, unless it is labelled as an update and a later one is labelled
/// as the publication. Numbers that are not dates (prices, versions, phone numbers,
/// times alone) are skipped.
pub fn find_date(text: &str, ctx: &DateContext) -> Option<ParsedDate> {
    scan(&normalize(text), ctx)
}

/// Reads the date in a URL path: `/2025/12/22/`, `/2025-12-22-slug`, `/20251222/`,
/// `/2025/dec/22/`. The result is a date without time (midnight in `ctx.tz`).
pub fn date_from_url(url_path: &str, ctx: &DateContext) -> Option<ParsedDate> {
    for caps in RE_URL_DATE.captures_iter(url_path) {
        let ymd = if let Some(y) = caps.name("y") {
            if caps.name("s1").map(|m| m.as_str()) != caps.name("s2").map(|m| m.as_str()) {
                continue;
            }
            let Some(m) = caps.name("m") else { continue };
            let month = match m.as_str().parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => month_number(m.as_str()).map(|(n, _)| n),
            };
            (y.as_str().parse().ok(), month, parse_u32(&caps, "d"))
        } else {
            (
                caps.name("cy").and_then(|m| m.as_str().parse().ok()),
                parse_u32(&caps, "cm"),
                parse_u32(&caps, "cd"),
            )
        };
        let (Some(y), Some(m), Some(d)) = ymd else {
            continue;
        };
        let Some(date) = NaiveDate::from_ymd_opt(y, m, d) else {
            continue;
        };
        if let Some(p) = midnight(date, false, ctx) {
            return Some(p);
        }
    }
    None
}

fn accept(
    value: DateTime<FixedOffset>,
    has_time: bool,
    relative: bool,
    ctx: &DateContext,
) -> Option<ParsedDate> {
    if value.year() < MIN_YEAR
        || value.with_timezone(&Utc) > ctx.now + TimeDelta::hours(FUTURE_TOLERANCE_HOURS)
    {
        return None;
    }
    Some(ParsedDate {
        value,
        has_time,
        relative,
    })
}

// ---------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------

/// Month names and abbreviations (lowercase) of the supported languages. Russian has
/// the nominative and the genitive ("декабря") that dates use.
const MONTHS: &[(&str, u32)] = &[
    // January
    ("january", 1),
    ("jan", 1),
    ("januar", 1),
    ("jänner", 1),
    ("jän", 1),
    ("janvier", 1),
    ("janv", 1),
    ("enero", 1),
    ("ene", 1),
    ("gennaio", 1),
    ("gen", 1),
    ("janeiro", 1),
    ("januari", 1),
    ("январь", 1),
    ("января", 1),
    ("янв", 1),
    // February
    ("february", 2),
    ("feb", 2),
    ("febr", 2),
    ("februar", 2),
    ("février", 2),
    ("fevrier", 2),
    ("févr", 2),
    ("fevr", 2),
    ("fév", 2),
    ("febrero", 2),
    ("febbraio", 2),
    ("fevereiro", 2),
    ("fev", 2),
    ("februari", 2),
    ("февраль", 2),
    ("февраля", 2),
    ("фев", 2),
    ("февр", 2),
    // March
    ("march", 3),
    ("mar", 3),
    ("märz", 3),
    ("maerz", 3),
    ("mär", 3),
    ("mrz", 3),
    ("mars", 3),
    ("marzo", 3),
    ("março", 3),
    ("marco", 3),
    ("maart", 3),
    ("mrt", 3),
    ("март", 3),
    ("марта", 3),
    // April
    ("april", 4),
    ("apr", 4),
    ("avril", 4),
    ("avr", 4),
    ("abril", 4),
    ("abr", 4),
    ("aprile", 4),
    ("апрель", 4),
    ("апреля", 4),
    ("апр", 4),
    // May
    ("may", 5),
    ("mai", 5),
    ("mayo", 5),
    ("maggio", 5),
    ("mag", 5),
    ("maio", 5),
    ("mei", 5),
    ("май", 5),
    ("мая", 5),
    // June
    ("june", 6),
    ("jun", 6),
    ("juni", 6),
    ("juin", 6),
    ("junio", 6),
    ("giugno", 6),
    ("giu", 6),
    ("junho", 6),
    ("июнь", 6),
    ("июня", 6),
    ("июн", 6),
    // July
    ("july", 7),
    ("jul", 7),
    ("juli", 7),
    ("juillet", 7),
    ("juil", 7),
    ("juill", 7),
    ("julio", 7),
    ("luglio", 7),
    ("lug", 7),
    ("julho", 7),
    ("июль", 7),
    ("июля", 7),
    ("июл", 7),
    // August
    ("august", 8),
    ("aug", 8),
    ("août", 8),
    ("aout", 8),
    ("agosto", 8),
    ("ago", 8),
    ("augustus", 8),
    ("август", 8),
    ("августа", 8),
    ("авг", 8),
    // September
    ("september", 9),
    ("sep", 9),
    ("sept", 9),
    ("septembre", 9),
    ("septiembre", 9),
    ("setiembre", 9),
    ("set", 9),
    ("settembre", 9),
    ("setembro", 9),
    ("сентябрь", 9),
    ("сентября", 9),
    ("сен", 9),
    ("сент", 9),
    // October
    ("october", 10),
    ("oct", 10),
    ("oktober", 10),
    ("okt", 10),
    ("octobre", 10),
    ("octubre", 10),
    ("ottobre", 10),
    ("ott", 10),
    ("outubro", 10),
    ("out", 10),
    ("октябрь", 10),
    ("октября", 10),
    ("окт", 10),
    // November
    ("november", 11),
    ("nov", 11),
    ("novembre", 11),
    ("noviembre", 11),
    ("novembro", 11),
    ("ноябрь", 11),
    ("ноября", 11),
    ("ноя", 11),
    ("нояб", 11),
    // December
    ("december", 12),
    ("dec", 12),
    ("dezember", 12),
    ("dez", 12),
    ("décembre", 12),
    ("decembre", 12),
    ("déc", 12),
    ("diciembre", 12),
    ("dic", 12),
    ("dicembre", 12),
    ("dezembro", 12),
    ("декабрь", 12),
    ("декабря", 12),
    ("дек", 12),
];

/// Month words that are also ordinary words ("you may 3…", "mar" = sea, "set", "out",
/// "ago"): without a year they count only when capitalised.
const WEAK_MONTHS: &[&str] = &[
    "may", "mar", "mars", "marco", "mag", "gen", "ago", "set", "out",
];

/// Units of "N units ago".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
}

/// Unit words of the Latin- and Cyrillic-script languages (lowercase, no dot).
const UNITS: &[(&str, Unit)] = &[
    ("s", Unit::Second),
    ("sec", Unit::Second),
    ("secs", Unit::Second),
    ("second", Unit::Second),
    ("seconds", Unit::Second),
    ("sek", Unit::Second),
    ("sekunde", Unit::Second),
    ("sekunden", Unit::Second),
    ("seconde", Unit::Second),
    ("secondes", Unit::Second),
    ("seg", Unit::Second),
    ("segundo", Unit::Second),
    ("segundos", Unit::Second),
    ("secondo", Unit::Second),
    ("secondi", Unit::Second),
    ("seconden", Unit::Second),
    ("сек", Unit::Second),
    ("секунду", Unit::Second),
    ("секунды", Unit::Second),
    ("секунд", Unit::Second),
    ("m", Unit::Minute),
    ("min", Unit::Minute),
    ("mins", Unit::Minute),
    ("minute", Unit::Minute),
    ("minutes", Unit::Minute),
    ("minuten", Unit::Minute),
    ("minuto", Unit::Minute),
    ("minutos", Unit::Minute),
    ("minuti", Unit::Minute),
    ("minuut", Unit::Minute),
    ("мин", Unit::Minute),
    ("минуту", Unit::Minute),
    ("минуты", Unit::Minute),
    ("минут", Unit::Minute),
    ("h", Unit::Hour),
    ("hr", Unit::Hour),
    ("hrs", Unit::Hour),
    ("hour", Unit::Hour),
    ("hours", Unit::Hour),
    ("std", Unit::Hour),
    ("stunde", Unit::Hour),
    ("stunden", Unit::Hour),
    ("heure", Unit::Hour),
    ("heures", Unit::Hour),
    ("hora", Unit::Hour),
    ("horas", Unit::Hour),
    ("ora", Unit::Hour),
    ("ore", Unit::Hour),
    ("uur", Unit::Hour),
    ("час", Unit::Hour),
    ("часа", Unit::Hour),
    ("часов", Unit::Hour),
    ("d", Unit::Day),
    ("day", Unit::Day),
    ("days", Unit::Day),
    ("tag", Unit::Day),
    ("tage", Unit::Day),
    ("tagen", Unit::Day),
    ("j", Unit::Day),
    ("jour", Unit::Day),
    ("jours", Unit::Day),
    ("día", Unit::Day),
    ("días", Unit::Day),
    ("dia", Unit::Day),
    ("dias", Unit::Day),
    ("giorno", Unit::Day),
    ("giorni", Unit::Day),
    ("dag", Unit::Day),
    ("dagen", Unit::Day),
    ("день", Unit::Day),
    ("дня", Unit::Day),
    ("дней", Unit::Day),
    ("w", Unit::Week),
    ("wk", Unit::Week),
    ("wks", Unit::Week),
    ("week", Unit::Week),
    ("weeks", Unit::Week),
    ("woche", Unit::Week),
    ("wochen", Unit::Week),
    ("semaine", Unit::Week),
    ("semaines", Unit::Week),
    ("semana", Unit::Week),
    ("semanas", Unit::Week),
    ("settimana", Unit::Week),
    ("settimane", Unit::Week),
    ("weken", Unit::Week),
    ("неделю", Unit::Week),
    ("недели", Unit::Week),
    ("недель", Unit::Week),
    ("mo", Unit::Month),
    ("mos", Unit::Month),
    ("month", Unit::Month),
    ("months", Unit::Month),
    ("monat", Unit::Month),
    ("monate", Unit::Month),
    ("monaten", Unit::Month),
    ("mois", Unit::Month),
    ("mes", Unit::Month),
    ("meses", Unit::Month),
    ("mês", Unit::Month),
    ("mese", Unit::Month),
    ("mesi", Unit::Month),
    ("maand", Unit::Month),
    ("maanden", Unit::Month),
    ("месяц", Unit::Month),
    ("месяца", Unit::Month),
    ("месяцев", Unit::Month),
    ("y", Unit::Year),
    ("yr", Unit::Year),
    ("yrs", Unit::Year),
    ("year", Unit::Year),
    ("years", Unit::Year),
    ("jahr", Unit::Year),
    ("jahre", Unit::Year),
    ("jahren", Unit::Year),
    ("an", Unit::Year),
    ("ans", Unit::Year),
    ("année", Unit::Year),
    ("années", Unit::Year),
    ("año", Unit::Year),
    ("años", Unit::Year),
    ("ano", Unit::Year),
    ("anos", Unit::Year),
    ("anno", Unit::Year),
    ("anni", Unit::Year),
    ("jaar", Unit::Year),
    ("jaren", Unit::Year),
    ("год", Unit::Year),
    ("года", Unit::Year),
    ("лет", Unit::Year),
];

/// Unit words of Japanese, Chinese and Korean "N units ago".
const CJK_UNITS: &[(&str, Unit)] = &[
    ("秒", Unit::Second),
    ("秒钟", Unit::Second),
    ("秒鐘", Unit::Second),
    ("초", Unit::Second),
    ("分", Unit::Minute),
    ("分钟", Unit::Minute),
    ("分鐘", Unit::Minute),
    ("분", Unit::Minute),
    ("時間", Unit::Hour),
    ("小时", Unit::Hour),
    ("小時", Unit::Hour),
    ("个小时", Unit::Hour),
    ("個小時", Unit::Hour),
    ("시간", Unit::Hour),
    ("日", Unit::Day),
    ("天", Unit::Day),
    ("일", Unit::Day),
    ("週間", Unit::Week),
    ("周", Unit::Week),
    ("週", Unit::Week),
    ("星期", Unit::Week),
    ("个星期", Unit::Week),
    ("주", Unit::Week),
    ("か月", Unit::Month),
    ("ヶ月", Unit::Month),
    ("ヵ月", Unit::Month),
    ("カ月", Unit::Month),
    ("ケ月", Unit::Month),
    ("个月", Unit::Month),
    ("個月", Unit::Month),
    ("개월", Unit::Month),
    ("달", Unit::Month),
    ("年", Unit::Year),
    ("년", Unit::Year),
];

/// Words that stand for "one" before a unit ("an hour ago", "vor einer Stunde").
const ONE_WORDS: &[&str] = &[
    "a", "an", "one", "ein", "eine", "einer", "einem", "einen", "un", "une", "una", "uno", "um",
    "uma", "een", "один", "одну", "одна",
];

/// Words between a date and its time ("at", "à", "um" …), and whether they make a
/// dotted time ("um 10.15") unambiguous.
const CONNECTORS: &[(&str, bool)] = &[
    ("alle ore", true),
    ("a las", false),
    ("a la", false),
    ("alle", false),
    ("ore", true),
    ("klo", true),
    ("kl.", true),
    ("kl", true),
    ("um", true),
    ("at", false),
    ("às", false),
    ("as", false),
    ("à", false),
    ("om", false),
    ("в", false),
    ("o", false),
];

// ---------------------------------------------------------------------------------
// Patterns (compiled once)
//
// The scanning patterns (`P_*`) use no `\b`: a Unicode word boundary makes the regex
// crate leave its fast DFA on any non-ASCII text, which measured several hundred times
// slower on a French or Japanese page. Word edges are checked after a match instead
// (`glued_word`, `resolve`). The small regexes run on a few dozen characters only and
// may use `\b`.
// ---------------------------------------------------------------------------------

/// `年月日` / `년월일` dates, the year optional.
const P_CJK: &str = r"(?:(?P<cy>[0-9]{4})\s*[年년]\s*)?(?P<cm>[0-9]{1,2})\s*[月월]\s*(?P<cd>[0-9]{1,2})\s*[日일号號]";
/// Year-first numeric dates: `2025-12-22`, `2025/12/22`, `2025.12.22`, `2025. 12. 22`.
const P_ISO: &str =
    r"(?P<iy>[0-9]{4})(?P<is1>[-/.])\s?(?P<im>[0-9]{1,2})(?P<is2>[-/.])\s?(?P<id>[0-9]{1,2})";
/// ISO 8601 basic format with a time: `20251222T101500`.
const P_COMPACT: &str = r"(?P<xy>[0-9]{4})(?P<xm>[0-9]{2})(?P<xd>[0-9]{2})T(?P<xh>[0-9]{2}):?(?P<xi>[0-9]{2})(?::?(?P<xs>[0-9]{2}))?";
/// Day/month or month/day first numeric dates: `22.12.2025`, `12/22/2025`, `22.12.25`.
const P_NUM: &str = r"(?P<na>[0-9]{1,2})(?P<ns1>[./-])\s?(?P<nb>[0-9]{1,2})(?P<ns2>[./-])\s?(?P<ny>[0-9]{4}|[0-9]{2})";
/// Day before month name: `22 December 2025`, `22. Dez.`, `1er janvier`,
/// `22 de diciembre de 2025`, `22nd of December`, `22-Dec-25`, `22 декабря 2025 г.`.
const P_DMY: &str = r"(?P<dd>[0-9]{1,2})(?:st|nd|rd|th|er|re|e|º|°|ª|\.)?(?:\s*(?:of|de|di))?[\s./-]*(?P<dmon>MONTHS)\.?(?:(?:,\s*|[\s/-]+)(?:(?:de|del|of)\s+)?(?P<dy>[0-9]{4})(?:\s*(?:г\.|года|г))?|-(?P<dy2>[0-9]{2}))?";
/// Month name before day: `December 22, 2025`, `Dec. 22nd`, `diciembre 22 de 2025`.
const P_MDY: &str = r"(?P<mmon>MONTHS)\.?,?\s*(?P<md>[0-9]{1,2})(?P<mdo>st|nd|rd|th)?(?:,?\s*(?:de\s+)?(?P<my>[0-9]{4}))?";
/// "N units ago" in its prefix ("vor", "il y a", "hace", "há") and suffix ("ago",
/// "geleden", "fa", "atrás", "назад") forms, and Russian "час назад" without a number.
const P_AGO: &str = r"(?:vor|il\s+y\s+a|hace|há)\s+(?:(?P<pn>[0-9]+)\s*|(?P<pw>ONES)\s+|(?P<pw2>un['’]))(?P<pu>UNITS)|(?:(?P<an>[0-9]+)\s*|(?P<aw>ONES)\s+|(?P<aw2>un['’]))(?P<au>UNITS)\.?\s+(?:ago|geleden|fa|atrás|atras|назад)|(?P<ru1>час|минуту|секунду|день|неделю)\s+назад";
/// "N units ago" in Japanese, Chinese and Korean: `3時間前`, `3小时前`, `3시간 전`.
const P_CJK_AGO: &str =
    r"(?P<cn>[0-9]+|[一二两兩三四五六七八九十半]{1,3})\s*(?P<cu>CJKUNITS)\s*(?:以前|之前|前|전)";
/// Words for now, today, yesterday and the day before.
const P_DAY: &str = r"(?P<dw>yesterday|today|just\s+now|moments?\s+ago|a\s+few\s+seconds\s+ago|vorgestern|gestern|heute|gerade\s+eben|soeben|avant-hier|hier|aujourd['’]hui|à\s+l['’]instant|anteayer|ayer|hoy|ahora\s+mismo|hace\s+un\s+momento|l['’]altro\s+ieri|ieri|oggi|poco\s+fa|anteontem|ontem|hoje|agora\s+mesmo|há\s+pouco|eergisteren|gisteren|vandaag|zojuist|позавчера|вчера|сегодня|только\s+что)|(?P<dwc>一昨日|昨日|今日|本日|前天|昨天|今天|刚刚|剛剛|刚才|剛才|그저께|그제|어제|오늘|방금)";

/// Every date shape, in the order preferred when two start at the same place.
static RE_FULL: LazyLock<Regex> = LazyLock::new(|| {
    let parts = [
        P_CJK, P_ISO, P_COMPACT, P_NUM, P_DMY, P_MDY, P_AGO, P_CJK_AGO, P_DAY,
    ];
    build(&format!("(?i){}", parts.join("|")))
});

/// The shapes that need no digit, for texts without any: the fast path.
static RE_WORDY: LazyLock<Regex> =
    LazyLock::new(|| build(&format!("(?i){P_AGO}|{P_CJK_AGO}|{P_DAY}")));

/// Labels before a date: publication or update.
static RE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?P<upd>\b(?:updated?|last\s+modified|modified|edited|aktualisiert|geändert|",
        r"mis\s+à\s+jour|modifié|modifiée|actualizado|actualizada|aggiornato|aggiornata|",
        r"atualizado|atualizada|bijgewerkt|gewijzigd|обновлено|изменено)\b|更新|修改|수정|업데이트)",
        r"|(?P<pub>\b(?:published|posted|released|created|erschienen|veröffentlicht|erstellt|",
        r"publié|publiée|publicado|publicada|pubblicato|pubblicata|gepubliceerd|geplaatst|",
        r"опубликовано|опубликован|создано)\b|公開|投稿|掲載|発行|配信|作成|发布|發佈|發布|发表|發表|게시|등록|작성)",
    ))
    .expect("label pattern compiles")
});

/// A colon time right before a date: "10:15 AM · Dec 22, 2025".
static RE_TIME_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:^|[^0-9:.])(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})(?::(?P<s>[0-9]{2}))?",
        r"(?:\s*(?P<ap>(?i:[ap]\.?\s?m\.?)))?(?:\s*(?i:uhr|h))?(?:\s+(?P<z>[A-Z]{2,5}))?",
        r"\s*(?:[,·•|@–—-]\s*)?(?:(?i:on|am|le|el)\s+)?$",
    ))
    .expect("leading time pattern compiles")
});

/// The first part of a compound span ("2 hours, 30 minutes ago"), which a single
/// "N units ago" would misread.
static RE_AGO_COMPOUND: LazyLock<Regex> = LazyLock::new(|| {
    build(r"(?i)[0-9]+\s*(?:UNITS)\.?\s*,?\s*(?:and\s+|und\s+|et\s+|y\s+|e\s+|en\s+|и\s+)?$")
});

/// Words right before a number that make it a version, not a date.
static RE_VERSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\bversion|\bver\.?|\bv\.?|\brelease|\bbuild|\brev\.?|\bfirmware)\s*$")
        .expect("version pattern compiles")
});

/// Dates in URL paths.
static RE_URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:^|[/_-])(?P<y>(?:19|20)[0-9]{2})(?P<s1>[/_-])",
        r"(?P<m>[0-9]{1,2}|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
        r"(?P<s2>[/_-])(?P<d>[0-9]{1,2})(?:[/_.?#-]|$)",
        r"|(?:^|[/_-])(?P<cy>(?:19|20)[0-9]{2})(?P<cm>[0-9]{2})(?P<cd>[0-9]{2})(?:[/_.?#-]|$)",
    ))
    .expect("url date pattern compiles")
});

static MONTH_INDEX: LazyLock<HashMap<&'static str, u32>> =
    LazyLock::new(|| MONTHS.iter().copied().collect());
static UNIT_INDEX: LazyLock<HashMap<&'static str, Unit>> =
    LazyLock::new(|| UNITS.iter().chain(CJK_UNITS).copied().collect());

/// Fills the word lists into a pattern and compiles it.
fn build(pattern: &str) -> Regex {
    let pattern = pattern
        .replace("CJKUNITS", &alternation(CJK_UNITS.iter().map(|(w, _)| *w)))
        .replace("MONTHS", &alternation(MONTHS.iter().map(|(w, _)| *w)))
        .replace("UNITS", &alternation(UNITS.iter().map(|(w, _)| *w)))
        .replace("ONES", &alternation(ONE_WORDS.iter().copied()));
    Regex::new(&pattern).expect("date pattern compiles")
}

/// `a|b|c`, longest first so that no word stops at a shorter one's end.
fn alternation<'a>(words: impl Iterator<Item = &'a str>) -> String {
    let mut words: Vec<&str> = words.collect();
    words.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    words.dedup();
    words
        .iter()
        .map(|w| regex::escape(w))
        .collect::<Vec<_>>()
        .join("|")
}

// ---------------------------------------------------------------------------------
// Scanning
// ---------------------------------------------------------------------------------

/// Full-width ASCII (`２０２５`, `：`) as plain ASCII; borrowed when there is none.
fn normalize(text: &str) -> Cow<'_, str> {
    let wide = |c: char| ('\u{FF01}'..='\u{FF5E}').contains(&c);
    if !text.chars().any(wide) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if wide(c) {
                    char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
                } else {
                    c
                }
            })
            .collect(),
    )
}

/// What a match turned out to be.
enum Outcome {
    /// A date, and where its text (with any time and zone) ends.
    Found(ParsedDate, usize),
    /// Not a date; nothing inside the match is one either.
    Reject,
    /// Not a date because of its surroundings (a digit or letter glued to it); a date
    /// may still start inside the match, so scanning resumes after the word or number
    /// the match starts in rather than after the whole match.
    Skip,
}

/// What a label before a date says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    None,
    Published,
    Updated,
}

/// The first date in `text` (a later "published" one beats an "updated" one).
fn scan(text: &str, ctx: &DateContext) -> Option<ParsedDate> {
    let re: &Regex = if text.bytes().any(|b| b.is_ascii_digit()) {
        &RE_FULL
    } else {
        &RE_WORDY
    };
    let mut updated: Option<ParsedDate> = None;
    let mut pos = 0;
    while pos < text.len() {
        // Finding a match is cheap, resolving its groups is not: words glued to other
        // words ("hierarchy", "Marketing") are skipped before the groups are read.
        let Some(found) = re.find_at(text, pos) else {
            break;
        };
        let start = found.start();
        let next_char = start + text[start..].chars().next().map_or(1, char::len_utf8);
        let outcome = if glued_word(text, start, found.end()) {
            Outcome::Skip
        } else if let Some(meaning) = (!found.as_str().starts_with(|c: char| c.is_ascii_digit()))
            .then(|| day_word_meaning(found.as_str()))
            .flatten()
        {
            // A day word needs no groups; most of them in running text are no date.
            day_word(meaning, found.as_str(), start, found.end(), text, ctx)
        } else {
            match re.captures_at(text, start) {
                Some(caps) => resolve(&caps, text, ctx),
                None => break,
            }
        };
        match outcome {
            Outcome::Found(date, end) => {
                let label = label_before(text, start);
                match updated {
                    None if label != Label::Updated => return Some(date),
                    Some(_) if label == Label::Published => return Some(date),
                    None => updated = Some(date),
                    Some(_) => {}
                }
                pos = end.max(next_char);
            }
            Outcome::Reject => pos = found.end().max(next_char),
            // Nothing starts inside the rest of an ASCII word or number ("hierarchy",
            // "v2025-01-15"), so the search resumes after it.
            Outcome::Skip => {
                let run = text[start..]
                    .bytes()
                    .take_while(u8::is_ascii_alphanumeric)
                    .count();
                pos = (start + run).max(next_char);
            }
        }
    }
    updated
}

/// Whether a match that starts or ends with a letter of a spaced script (Latin,
/// Greek, Cyrillic: two UTF-8 bytes at most) runs into a neighbouring letter. The
/// same edges are checked again, per shape, in [`resolve`]; this is the cheap early
/// exit. Japanese, Chinese and Korean words have no spaces to check.
fn glued_word(text: &str, start: usize, end: usize) -> bool {
    let spaced = |c: char| c.is_alphabetic() && c.len_utf8() <= 2;
    let m = &text[start..end];
    (m.chars().next().is_some_and(spaced) && word_before(text, start))
        || (m.chars().next_back().is_some_and(spaced) && letter_at(text, end))
}

/// Turns one match into a date.
fn resolve(caps: &Captures, text: &str, ctx: &DateContext) -> Outcome {
    let Some(whole) = caps.get(0) else {
        return Outcome::Reject;
    };
    let (start, end) = (whole.start(), whole.end());
    if caps.name("cm").is_some() {
        if !clean_before(text, start) {
            return Outcome::Skip;
        }
        let y = caps.name("cy").and_then(|m| m.as_str().parse().ok());
        let (Some(m), Some(d)) = (parse_u32(caps, "cm"), parse_u32(caps, "cd")) else {
            return Outcome::Reject;
        };
        return absolute(&[Ymd { y, m, d }], start, end, text, ctx);
    }
    if caps.name("iy").is_some() {
        return iso_date(caps, text, start, end, ctx);
    }
    if caps.name("xy").is_some() {
        return compact(caps, text, start, end, ctx);
    }
    if caps.name("na").is_some() {
        return numeric(caps, text, start, end, ctx);
    }
    if let Some(mon) = caps.name("dmon") {
        let year_end = caps
            .name("dy")
            .or_else(|| caps.name("dy2"))
            .map(|y| y.end());
        if !clean_before(text, start)
            || letter_at(text, mon.end())
            || year_end.is_some_and(|e| alnum_at(text, e))
        {
            return Outcome::Skip;
        }
        let y = match (caps.name("dy"), caps.name("dy2")) {
            (Some(y), _) => y.as_str().parse().ok(),
            (None, Some(y)) => y.as_str().parse::<i32>().ok().map(|y| 2000 + y),
            (None, None) => None,
        };
        return named(
            mon.as_str(),
            parse_u32(caps, "dd"),
            y,
            start,
            end,
            text,
            ctx,
        );
    }
    if let Some(mon) = caps.name("mmon") {
        let day_end = caps
            .name("mdo")
            .or_else(|| caps.name("md"))
            .map_or(end, |m| m.end());
        if word_before(text, start)
            || letter_at(text, mon.end())
            || alnum_at(text, day_end)
            || caps.name("my").is_some_and(|y| alnum_at(text, y.end()))
        {
            return Outcome::Skip;
        }
        let y = caps.name("my").and_then(|m| m.as_str().parse().ok());
        return named(
            mon.as_str(),
            parse_u32(caps, "md"),
            y,
            start,
            end,
            text,
            ctx,
        );
    }
    if let Some((n, unit)) = ago_parts(caps) {
        let latin = caps.name("cu").is_none();
        if !clean_before(text, start)
            || (latin && (word_before(text, start) || letter_at(text, end)))
        {
            return Outcome::Skip;
        }
        if latin && RE_AGO_COMPOUND.is_match(tail(&text[..start], 24)) {
            return Outcome::Reject;
        }
        return match ago(n, unit, ctx) {
            Some(p) => Outcome::Found(p, end),
            None => Outcome::Reject,
        };
    }
    if caps.name("dw").is_some() && (word_before(text, start) || letter_at(text, end)) {
        return Outcome::Skip;
    }
    if let Some(w) = caps.name("dw").or_else(|| caps.name("dwc")) {
        if let Some(meaning) = day_word_meaning(w.as_str()) {
            return day_word(meaning, w.as_str(), start, end, text, ctx);
        }
    }
    Outcome::Reject
}

/// A calendar date as read from the text; the year may be missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ymd {
    y: Option<i32>,
    m: u32,
    d: u32,
}

fn parse_u32(caps: &Captures, name: &str) -> Option<u32> {
    caps.name(name)?.as_str().parse().ok()
}

/// `2025-12-22`, `2025/12/22`, `2025.12.22`. (A version written like this, "release
/// 2025.12.22", is a date too, so no version check here.)
fn iso_date(caps: &Captures, text: &str, start: usize, end: usize, ctx: &DateContext) -> Outcome {
    if !clean_before(text, start) || !clean_after(text, end) {
        return Outcome::Skip;
    }
    let sep = caps.name("is1").map(|m| m.as_str());
    if sep != caps.name("is2").map(|m| m.as_str()) {
        return Outcome::Reject;
    }
    let y = caps.name("iy").and_then(|m| m.as_str().parse().ok());
    let (Some(m), Some(d)) = (parse_u32(caps, "im"), parse_u32(caps, "id")) else {
        return Outcome::Reject;
    };
    // Korean writes a closing dot: "2025. 12. 22. 오후 3:15".
    let mut end = end;
    if sep == Some(".") && text[end..].starts_with('.') {
        end += 1;
    }
    absolute(&[Ymd { y, m, d }], start, end, text, ctx)
}

/// `20251222T101500Z`.
fn compact(caps: &Captures, text: &str, start: usize, end: usize, ctx: &DateContext) -> Outcome {
    if !clean_before(text, start) {
        return Outcome::Skip;
    }
    let field = |name| parse_u32(caps, name);
    let date = caps
        .name("xy")
        .and_then(|m| m.as_str().parse().ok())
        .zip(field("xm").zip(field("xd")))
        .and_then(|(y, (m, d))| NaiveDate::from_ymd_opt(y, m, d));
    let time = field("xh")
        .zip(field("xi"))
        .and_then(|(h, mi)| NaiveTime::from_hms_opt(h, mi, field("xs").unwrap_or(0)));
    let (Some(date), Some(time)) = (date, time) else {
        return Outcome::Reject;
    };
    let mut c = Cur::new(&text[end..]);
    let zone = parse_zone(&mut c, ctx.lang, true);
    if c.peek().is_some_and(|ch| ch.is_ascii_digit()) {
        return Outcome::Skip;
    }
    let end = end + c.i;
    match localize(date.and_time(time), zone, ctx.tz).and_then(|v| accept(v, true, false, ctx)) {
        Some(p) => Outcome::Found(p, end),
        None => Outcome::Reject,
    }
}

/// `22.12.2025`, `12/22/2025`, `22.12.25`: the language and the calendar decide the
/// order of day and month.
fn numeric(caps: &Captures, text: &str, start: usize, end: usize, ctx: &DateContext) -> Outcome {
    if !clean_before(text, start) || !clean_after(text, end) || version_before(text, start) {
        return Outcome::Skip;
    }
    let sep = caps.name("ns1").map(|m| m.as_str());
    if sep != caps.name("ns2").map(|m| m.as_str()) {
        return Outcome::Reject;
    }
    let (Some(a), Some(b), Some(ys)) = (caps.name("na"), caps.name("nb"), caps.name("ny")) else {
        return Outcome::Reject;
    };
    let (Ok(an), Ok(bn), Ok(yn)) = (
        a.as_str().parse::<u32>(),
        b.as_str().parse::<u32>(),
        ys.as_str().parse::<i32>(),
    ) else {
        return Outcome::Reject;
    };
    let y = if ys.len() == 4 {
        yn
    } else if sep == Some(".") && b.len() == 2 && two_digit_years(ctx.lang) {
        // `d.mm.yy` as well as `dd.mm.yy` ("Kultur, 2.11.22"); the two-digit month keeps
        // version numbers ("2.1.23") out.
        2000 + yn
    } else {
        return Outcome::Reject;
    };
    let day_first = Ymd {
        y: Some(y),
        m: bn,
        d: an,
    };
    let month_first = Ymd {
        y: Some(y),
        m: an,
        d: bn,
    };
    let valid = |r: &Ymd| {
        r.y.and_then(|y| NaiveDate::from_ymd_opt(y, r.m, r.d))
            .is_some()
    };
    let readings: &[Ymd] = match (valid(&day_first), valid(&month_first)) {
        (false, false) => return Outcome::Reject,
        (true, false) => &[day_first],
        (false, true) => &[month_first],
        (true, true) if an == bn => &[day_first],
        (true, true) => match numeric_order(ctx.lang) {
            Order::DayFirst => &[day_first],
            Order::MonthFirst => &[month_first],
            Order::Unknown => &[day_first, month_first],
        },
    };
    absolute(readings, start, end, text, ctx)
}

/// A date with a month name, day first or month first.
fn named(
    month: &str,
    day: Option<u32>,
    y: Option<i32>,
    start: usize,
    end: usize,
    text: &str,
    ctx: &DateContext,
) -> Outcome {
    let (Some((m, weak)), Some(d)) = (month_number(month), day) else {
        return Outcome::Reject;
    };
    if y.is_none() && weak && !month.starts_with(char::is_uppercase) {
        return Outcome::Reject;
    }
    absolute(&[Ymd { y, m, d }], start, end, text, ctx)
}

/// Month number of a month word, and whether the word is also an ordinary word.
fn month_number(word: &str) -> Option<(u32, bool)> {
    let lower = word.trim_end_matches('.').to_lowercase();
    let m = *MONTH_INDEX.get(lower.as_str())?;
    Some((m, WEAK_MONTHS.contains(&lower.as_str())))
}

/// Completes a calendar date with the time (and zone) around it. With two readings
/// (an undecided `a/b/yyyy`), the date counts only when exactly one survives or both
/// give the same instant.
fn absolute(readings: &[Ymd], start: usize, end: usize, text: &str, ctx: &DateContext) -> Outcome {
    let mut end = end;
    let time = match parse_time(&text[end..], ctx.lang) {
        TimeParse::Time(t, zone, used) => {
            end += used;
            Some((t, zone))
        }
        TimeParse::Invalid => return Outcome::Reject,
        TimeParse::None => time_before(text, start, ctx.lang),
    };
    let mut year_after = None;
    if readings.iter().any(|r| r.y.is_none()) {
        // `date` prints "Mon Dec 22 10:15:00 UTC 2025".
        if time.is_some() {
            if let Some((y, used)) = trailing_year(&text[end..]) {
                year_after = Some(y);
                end += used;
            }
        }
        // "22 December 20251", "22 Dec 25 …": a number we could not read follows.
        if year_after.is_none() && time.is_none() && digit_follows(&text[end..]) {
            return Outcome::Reject;
        }
    }
    let mut results = readings
        .iter()
        .filter_map(|r| complete(*r, year_after, time, ctx));
    let Some(first) = results.next() else {
        return Outcome::Reject;
    };
    if results.any(|other| other.value != first.value) {
        return Outcome::Reject;
    }
    Outcome::Found(first, end)
}

/// One reading of a date, with its time, as an accepted instant.
fn complete(
    r: Ymd,
    year_after: Option<i32>,
    time: Option<(NaiveTime, Option<Zone>)>,
    ctx: &DateContext,
) -> Option<ParsedDate> {
    let zone = time.and_then(|(_, z)| z);
    let y = match r.y.or(year_after) {
        Some(y) => y,
        None => infer_year(r.m, r.d, today(ctx.now, zone, ctx.tz)),
    };
    let date = NaiveDate::from_ymd_opt(y, r.m, r.d)?;
    match time {
        Some((t, zone)) => {
            let value = localize(date.and_time(t), zone, ctx.tz)?;
            accept(value, true, false, ctx)
        }
        None => midnight(date, false, ctx),
    }
}

/// The year of a date given without one: the latest such date not after tomorrow
/// (tomorrow because the page's zone may be ahead of ours).
fn infer_year(m: u32, d: u32, today: NaiveDate) -> i32 {
    let y = today.year();
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) if date <= today + Days::new(1) => y,
        _ => y - 1,
    }
}

/// Midnight of `date` in `ctx.tz`, as a date without time.
fn midnight(date: NaiveDate, relative: bool, ctx: &DateContext) -> Option<ParsedDate> {
    let value = in_zone(date.and_hms_opt(0, 0, 0)?, ctx.tz)?;
    accept(value, false, relative, ctx)
}

// ---------------------------------------------------------------------------------
// Relative dates
// ---------------------------------------------------------------------------------

/// The count and unit of an "N units ago" match.
fn ago_parts(caps: &Captures) -> Option<(i64, Unit)> {
    if let Some(u) = caps.name("pu") {
        let word = caps.name("pw").or_else(|| caps.name("pw2"));
        return Some((amount(caps.name("pn"), word)?, unit_of(u.as_str())?));
    }
    if let Some(u) = caps.name("au") {
        let word = caps.name("aw").or_else(|| caps.name("aw2"));
        return Some((amount(caps.name("an"), word)?, unit_of(u.as_str())?));
    }
    if let Some(u) = caps.name("ru1") {
        return Some((1, unit_of(u.as_str())?));
    }
    let u = caps.name("cu")?;
    let unit = unit_of(u.as_str())?;
    let n = caps.name("cn")?.as_str();
    if n == "半" {
        // "半小时前": half an hour ago; half of anything else is too vague.
        return (unit == Unit::Hour).then_some((30, Unit::Minute));
    }
    Some((cjk_number(n)?, unit))
}

fn amount(digits: Option<regex::Match>, word: Option<regex::Match>) -> Option<i64> {
    match (digits, word) {
        (Some(d), _) => d.as_str().parse().ok(),
        (None, Some(_)) => Some(1),
        (None, None) => None,
    }
}

fn unit_of(word: &str) -> Option<Unit> {
    let lower = word.trim_end_matches('.').to_lowercase();
    UNIT_INDEX.get(lower.as_str()).copied()
}

/// `3`, `三`, `十五`, `二十三`, `两`.
fn cjk_number(s: &str) -> Option<i64> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let digit = |c: char| -> Option<i64> {
        Some(match c {
            '一' => 1,
            '二' | '两' | '兩' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        })
    };
    match s.split_once('十') {
        None => {
            let mut chars = s.chars();
            let n = digit(chars.next()?)?;
            chars.next().is_none().then_some(n)
        }
        Some((tens, ones)) => {
            let tens = if tens.is_empty() {
                1
            } else {
                cjk_number(tens)?
            };
            let ones = if ones.is_empty() {
                0
            } else {
                cjk_number(ones)?
            };
            (tens < 10 && ones < 10).then_some(tens * 10 + ones)
        }
    }
}

/// "N units ago": an instant for seconds to hours, a local date for days and weeks,
/// nothing for months and years (too vague).
fn ago(n: i64, unit: Unit, ctx: &DateContext) -> Option<ParsedDate> {
    if !(0..=MAX_AGO).contains(&n) {
        return None;
    }
    let seconds = match unit {
        Unit::Second => n,
        Unit::Minute => n * 60,
        Unit::Hour => n * 3600,
        Unit::Day | Unit::Week => {
            let days = if unit == Unit::Week { n * 7 } else { n };
            let today = ctx.now.with_timezone(&ctx.tz).date_naive();
            let date = today.checked_sub_days(Days::new(u64::try_from(days).ok()?))?;
            return midnight(date, true, ctx);
        }
        Unit::Month | Unit::Year => return None,
    };
    let instant = ctx
        .now
        .checked_sub_signed(TimeDelta::try_seconds(seconds)?)?;
    accept(
        instant.with_timezone(&ctx.tz).fixed_offset(),
        true,
        true,
        ctx,
    )
}

/// What a day word means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DayWord {
    Now,
    DaysBack(u64),
}

fn day_word_meaning(word: &str) -> Option<DayWord> {
    let mut key = word.to_lowercase();
    let odd_space = |c: char| c.is_whitespace() && c != ' ';
    if key.contains('’') || key.contains(odd_space) || key.contains("  ") {
        key = key
            .replace('’', "'")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
    }
    Some(match key.as_str() {
        "today" | "heute" | "aujourd'hui" | "hoy" | "oggi" | "hoje" | "vandaag" | "сегодня"
        | "今日" | "本日" | "今天" | "오늘" => DayWord::DaysBack(0),
        "yesterday" | "gestern" | "hier" | "ayer" | "ieri" | "ontem" | "gisteren" | "вчера"
        | "昨日" | "昨天" | "어제" => DayWord::DaysBack(1),
        "vorgestern" | "avant-hier" | "anteayer" | "l'altro ieri" | "anteontem" | "eergisteren"
        | "позавчера" | "一昨日" | "前天" | "그저께" | "그제" => {
            DayWord::DaysBack(2)
        }
        "just now"
        | "moment ago"
        | "moments ago"
        | "a few seconds ago"
        | "gerade eben"
        | "soeben"
        | "à l'instant"
        | "ahora mismo"
        | "hace un momento"
        | "poco fa"
        | "agora mesmo"
        | "há pouco"
        | "zojuist"
        | "только что"
        | "刚刚"
        | "剛剛"
        | "刚才"
        | "剛才"
        | "방금" => DayWord::Now,
        _ => return None,
    })
}

/// "yesterday", "Yesterday 10:15", "Today 06:42 am JST", "just now". Without a time the
/// word must be the whole text (after a label): "Subscribe today" is no date.
fn day_word(
    meaning: DayWord,
    word: &str,
    start: usize,
    end: usize,
    text: &str,
    ctx: &DateContext,
) -> Outcome {
    // "hier" is "here" in German and Dutch.
    if word.eq_ignore_ascii_case("hier") && matches!(lang_primary(ctx.lang), Some("de" | "nl")) {
        return Outcome::Reject;
    }
    // Checked first: most day words in running text are no date, and this is cheap.
    let time = parse_time(&text[end..], ctx.lang);
    let alone = matches!(time, TimeParse::None) && standalone(text, start, end);
    if !alone && !matches!(time, TimeParse::Time(..)) {
        return Outcome::Reject;
    }
    let result = match (meaning, time) {
        (DayWord::Now, _) if alone => {
            let now = ctx.now.with_timezone(&ctx.tz).fixed_offset();
            accept(now, true, true, ctx).map(|p| (p, end))
        }
        (DayWord::Now, _) => None,
        (DayWord::DaysBack(n), TimeParse::Time(t, zone, used)) => today(ctx.now, zone, ctx.tz)
            .checked_sub_days(Days::new(n))
            .and_then(|d| localize(d.and_time(t), zone, ctx.tz))
            .and_then(|v| accept(v, true, true, ctx))
            .map(|p| (p, end + used)),
        (DayWord::DaysBack(n), _) => ctx
            .now
            .with_timezone(&ctx.tz)
            .date_naive()
            .checked_sub_days(Days::new(n))
            .and_then(|d| midnight(d, true, ctx))
            .map(|p| (p, end)),
    };
    match result {
        Some((p, end)) => Outcome::Found(p, end),
        None => Outcome::Reject,
    }
}

/// Whether the match at `start..end` is the whole text but for a label before it (and,
/// after a label, anything after it: "Posted yesterday by Jane").
fn standalone(text: &str, start: usize, end: usize) -> bool {
    let before = trim_punct(&text[..start]);
    if before.is_empty() {
        return trim_punct(&text[end..]).is_empty();
    }
    // A label and a word or two at most; keeps the label search off long texts.
    if before.chars().nth(LOOKBEHIND_CHARS).is_some() {
        return false;
    }
    let Some(label) = RE_LABEL.find_iter(before).last() else {
        return false;
    };
    let lead = trim_punct(&before[..label.start()]);
    let tail = trim_punct(&before[label.end()..]);
    let short =
        |s: &str, n: usize| s.chars().count() <= n && !s.bytes().any(|b| b.is_ascii_digit());
    short(lead, 12) && short(tail, 8)
}

fn trim_punct(s: &str) -> &str {
    s.trim_matches(|c: char| {
        c.is_whitespace() || c.is_ascii_punctuation() || "·•–—：、。「」【】".contains(c)
    })
}

// ---------------------------------------------------------------------------------
// Times and zones
// ---------------------------------------------------------------------------------

/// A zone named next to a time.
#[derive(Debug, Clone, Copy)]
enum Zone {
    Fixed(FixedOffset),
    /// A zone with daylight saving ("ET"): the offset depends on the date.
    Named(Tz),
}

/// The result of reading a time after a date.
enum TimeParse {
    /// No time there.
    None,
    /// Something that is clearly a time but an impossible one ("25:10", "T24:00").
    Invalid,
    /// A time, its zone, and the bytes it took.
    Time(NaiveTime, Option<Zone>, usize),
}

/// Morning or afternoon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meridiem {
    Am,
    Pm,
}

/// Reads a time (and zone) at the start of `s`, after the words and signs that may stand
/// between a date and its time.
fn parse_time(s: &str, lang: Option<&str>) -> TimeParse {
    let mut c = Cur::new(s);
    let gap = skip_gap(&mut c);
    let before = cjk_meridiem(&mut c);
    if before.is_some() {
        c.skip_ws();
    }
    let Some(mut h) = c.digits(1, 2) else {
        return TimeParse::None;
    };
    let (mut m, mut sec, mut nano) = (0, 0, 0);
    let mut with_seconds = false;
    // A colon, an "h" or a 時 makes the number a time by itself; a dotted time needs a
    // confirming word ("Uhr", "pm", "um …").
    let mut marked = false;
    let mut dotted = false;
    if c.eat(':') {
        let Some(mi) = c.digits(2, 2) else {
            return TimeParse::None;
        };
        m = mi;
        marked = true;
        let save = c.i;
        if c.eat(':') {
            match c.digits(2, 2) {
                Some(x) => {
                    sec = x;
                    nano = c.fraction();
                    with_seconds = true;
                }
                None => c.i = save,
            }
        }
    } else if c.eat_any(&["時", "时", "시", "点", "點"]) {
        marked = true;
        let save = c.i;
        c.skip_ws();
        if c.eat_any(&["半", "반"]) {
            m = 30;
        } else if let Some(x) = c.digits(1, 2) {
            m = x;
            c.skip_ws();
            if c.eat_any(&["分", "분"]) {
                let save = c.i;
                c.skip_ws();
                let seconds = c.digits(1, 2);
                c.skip_ws();
                match seconds {
                    Some(x) if c.eat_any(&["秒", "초"]) => sec = x,
                    _ => c.i = save,
                }
            }
        } else {
            c.i = save;
        }
    } else if let Some(mi) = french_h(&mut c) {
        marked = true;
        m = mi;
    } else if c.peek() == Some('.') {
        let save = c.i;
        c.bump();
        match c.digits(2, 2) {
            Some(x) => {
                m = x;
                dotted = true;
            }
            None => c.i = save,
        }
    }
    let save = c.i;
    c.skip_ws();
    let after = ampm(&mut c, lang);
    if after.is_none() {
        c.i = save;
    }
    let save = c.i;
    c.skip_ws();
    let suffix = c.eat_word("uhr")
        || ((marked || dotted) && (c.eat_word("hrs") || c.eat_word("hs") || c.eat_word("h")));
    if !suffix {
        c.i = save;
    }
    if dotted && !(gap.dot_ok || suffix || after.is_some()) {
        return TimeParse::None;
    }
    if !marked && !dotted && !suffix && after.is_none() {
        return TimeParse::None;
    }
    if let Some(mer) = before.or(after) {
        h = match (mer, h) {
            (Meridiem::Am, 12) => 0,
            (Meridiem::Am, 0..=11) => h,
            (Meridiem::Pm, 0..=11) => h + 12,
            (Meridiem::Pm, 12..=23) => h,
            _ => return TimeParse::Invalid,
        };
    }
    // A leap second is kept as the second before it.
    let Some(time) = NaiveTime::from_hms_nano_opt(h, m, sec.min(59), nano) else {
        return TimeParse::Invalid;
    };
    // An offset glued to the time is trusted after an ISO "T" or with seconds; after
    // "10:15" it is more likely the end of a range ("10:15-11:30").
    let zone = parse_zone(&mut c, lang, gap.iso || with_seconds);
    TimeParse::Time(time, zone, c.i)
}

/// What [`skip_gap`] saw.
struct Gap {
    /// A word that makes a dotted time unambiguous ("um 10.15").
    dot_ok: bool,
    /// The ISO `T` separator.
    iso: bool,
}

/// Skips what may stand between a date and its time: spaces, a weekday in brackets,
/// one separator sign, one connecting word.
fn skip_gap(c: &mut Cur) -> Gap {
    if matches!(c.peek(), Some('T' | 't')) && c.peek2().is_some_and(|ch| ch.is_ascii_digit()) {
        c.bump();
        return Gap {
            dot_ok: false,
            iso: true,
        };
    }
    c.skip_ws();
    skip_bracketed_weekday(c);
    c.skip_ws();
    skip_cjk_weekday(c);
    c.skip_ws();
    if matches!(
        c.peek(),
        Some(',' | ':' | '|' | '·' | '•' | '@' | '-' | '–' | '—' | '/' | '、')
    ) {
        c.bump();
        c.skip_ws();
    }
    let mut dot_ok = false;
    for &(word, dot) in CONNECTORS {
        let save = c.i;
        if c.eat_ci(word) && c.skip_ws() {
            dot_ok = dot;
            break;
        }
        c.i = save;
    }
    Gap { dot_ok, iso: false }
}

/// "(Mon)", "(月)", "（화）".
fn skip_bracketed_weekday(c: &mut Cur) {
    let save = c.i;
    if !(c.eat('(') || c.eat('（')) {
        return;
    }
    for _ in 0..=12 {
        match c.bump() {
            Some(')' | '）') => return,
            Some(ch) if !ch.is_ascii_digit() && ch != '(' && ch != '（' => {}
            _ => break,
        }
    }
    c.i = save;
}

/// "星期一", "周一", "月曜日", "월요일".
fn skip_cjk_weekday(c: &mut Cur) {
    let save = c.i;
    if c.eat_any(&["星期", "礼拜", "禮拜", "周", "週"]) {
        if c.peek().is_some_and(|ch| "一二三四五六日天".contains(ch)) {
            c.bump();
            return;
        }
        c.i = save;
        return;
    }
    if c.peek().is_some_and(|ch| "月火水木金土日".contains(ch)) {
        c.bump();
        if c.eat('曜') {
            c.eat('日');
            return;
        }
    } else if c.peek().is_some_and(|ch| "월화수목금토일".contains(ch)) {
        c.bump();
        if c.eat_ci("요일") {
            return;
        }
    }
    c.i = save;
}

/// "10h15", "10 h 15", "10h": the minutes (0 for none).
fn french_h(c: &mut Cur) -> Option<u32> {
    let save = c.i;
    c.eat(' ');
    if !(c.eat('h') || c.eat('H')) || c.letter_next() {
        c.i = save;
        return None;
    }
    let after_h = c.i;
    c.eat(' ');
    match c.digits(2, 2) {
        Some(m) => Some(m),
        None => {
            c.i = after_h;
            Some(0)
        }
    }
}

/// "午後", "오후", "下午" before a time.
fn cjk_meridiem(c: &mut Cur) -> Option<Meridiem> {
    if c.eat_any(&["午前", "오전", "上午", "早上", "凌晨"]) {
        Some(Meridiem::Am)
    } else if c.eat_any(&["午後", "오후", "下午", "中午", "晚上", "傍晚"]) {
        Some(Meridiem::Pm)
    } else {
        None
    }
}

/// "am", "p.m.", "a. m." after a time. German "am" means "on", so on German pages only
/// the upper-case or dotted forms count.
fn ampm(c: &mut Cur, lang: Option<&str>) -> Option<Meridiem> {
    let german = lang_primary(lang) == Some("de");
    for (word, mer) in [
        ("a.m.", Meridiem::Am),
        ("p.m.", Meridiem::Pm),
        ("a. m.", Meridiem::Am),
        ("p. m.", Meridiem::Pm),
        ("a.m", Meridiem::Am),
        ("p.m", Meridiem::Pm),
        ("am", Meridiem::Am),
        ("pm", Meridiem::Pm),
    ] {
        if german && word == "am" && c.rest().starts_with("am") {
            continue;
        }
        if c.eat_word(word) {
            return Some(mer);
        }
    }
    None
}

/// A zone after a time: `Z`, an offset, `GMT+9`, an abbreviation; optionally in
/// brackets. `glued_ok` allows any offset right after the time (`10:15:00-05`);
/// otherwise only `+hh:mm`/`+hhmm` may be glued, as `10:15-11:30` is a range.
fn parse_zone(c: &mut Cur, lang: Option<&str>, glued_ok: bool) -> Option<Zone> {
    let save = c.i;
    if c.peek() == Some('Z') {
        c.bump();
        if !c.letter_next() {
            return Some(Zone::Fixed(FixedOffset::east_opt(0)?));
        }
        c.i = save;
    }
    if glued_ok {
        if let Some(off) = offset(c, true) {
            return Some(Zone::Fixed(off));
        }
    } else if c.peek() == Some('+') {
        // "+" is never a range: "10:15+09:00" has a zone even without ISO's "T".
        if let Some(off) = offset(c, false) {
            return Some(Zone::Fixed(off));
        }
    }
    // Apart from the glued forms above, a zone stands apart: "10:15-11:30" is a range.
    let spaced = c.skip_ws();
    let bracket = c.eat('(');
    if !spaced && !bracket {
        c.i = save;
        return None;
    }
    match zone_token(c, lang) {
        Some(z) => {
            if bracket {
                c.eat(')');
            }
            Some(z)
        }
        None => {
            c.i = save;
            None
        }
    }
}

/// `GMT+9`, `UTC`, `+0900`, `JST` at the cursor.
fn zone_token(c: &mut Cur, lang: Option<&str>) -> Option<Zone> {
    for name in ["UTC", "GMT", "UT"] {
        if c.rest().starts_with(name) {
            let at = c.i;
            c.i += name.len();
            if c.letter_next() {
                c.i = at;
                continue;
            }
            let off = match offset(c, true) {
                Some(off) => off,
                None => FixedOffset::east_opt(0)?,
            };
            return Some(Zone::Fixed(off));
        }
    }
    if let Some(off) = offset(c, false) {
        return Some(Zone::Fixed(off));
    }
    let run = c.rest().bytes().take_while(u8::is_ascii_uppercase).count();
    if !(2..=5).contains(&run) {
        return None;
    }
    let at = c.i;
    let abbr = &c.rest()[..run];
    c.i += run;
    match zone_abbr(abbr, lang) {
        Some(z) if !c.letter_next() => Some(z),
        _ => {
            c.i = at;
            None
        }
    }
}

/// `+09:00`, `+0900`, `-05` (the short forms only when `short_ok`), `+9` after GMT.
/// Consumes nothing when there is no offset.
fn offset(c: &mut Cur, short_ok: bool) -> Option<FixedOffset> {
    let save = c.i;
    let result = read_offset(c, short_ok);
    if result.is_none() {
        c.i = save;
    }
    result
}

fn read_offset(c: &mut Cur, short_ok: bool) -> Option<FixedOffset> {
    let negative = match c.bump()? {
        '+' => false,
        '-' | '−' => true,
        _ => return None,
    };
    let (h, m) = match c.digit_run() {
        4 => {
            let v = c.digits(4, 4)?;
            (v / 100, v % 100)
        }
        1 | 2 => {
            let h = c.digits(1, 2)?;
            if c.eat(':') {
                (h, c.digits(2, 2)?)
            } else if short_ok {
                (h, 0)
            } else {
                return None;
            }
        }
        _ => return None,
    };
    if h > 14 || m > 59 {
        return None;
    }
    let secs = i32::try_from(h * 3600 + m * 60).ok()?;
    FixedOffset::east_opt(if negative { -secs } else { secs })
}

/// The time zone nearly every page in a language is written in, from its `lang` tag
/// ("de", "de-AT", "fr-FR", "ja"): where a UTC timestamp is all a page gives, the
/// publication's local calendar day is the day in this zone. Languages spoken across
/// many zones (English, Spanish, Portuguese, Russian, Arabic) name one only with a
/// region that has a single zone ("en-GB", "es-ES", "pt-PT"); a region elsewhere
/// ("fr-CA", "de-US") names none.
pub fn language_zone(lang: &str) -> Option<Tz> {
    use chrono_tz::{Asia, Europe};
    let lang = lang.trim().to_ascii_lowercase().replace('_', "-");
    let mut parts = lang.split('-');
    let primary = parts.next().unwrap_or("");
    let region = parts.find(|p| p.len() == 2);
    // Regions that settle the zone whatever the language.
    let by_region = |r: &str| match r {
        "de" | "at" | "ch" | "li" | "nl" | "be" | "lu" | "fr" | "mc" | "it" | "sm" | "va"
        | "es" | "ad" | "pl" | "cz" | "sk" | "hu" | "dk" | "se" | "no" | "si" | "hr" | "ba"
        | "rs" | "me" | "mk" | "al" | "mt" => Some(Europe::Berlin),
        "fi" | "ee" | "lv" | "lt" | "gr" | "cy" | "ro" | "bg" | "ua" => Some(Europe::Helsinki),
        "gb" | "uk" | "ie" => Some(Europe::London),
        "pt" => Some(Europe::Lisbon),
        "tr" => Some(Europe::Istanbul),
        "jp" => Some(Asia::Tokyo),
        "kr" => Some(Asia::Seoul),
        "cn" | "tw" | "hk" | "sg" => Some(Asia::Shanghai),
        _ => None,
    };
    if let Some(r) = region {
        return by_region(r);
    }
    match primary {
        "de" | "nl" | "it" | "pl" | "cs" | "sk" | "hu" | "da" | "sv" | "nb" | "nn" | "no"
        | "sl" | "hr" | "bs" | "sr" | "lb" => Some(Europe::Berlin),
        "fi" | "et" | "lv" | "lt" | "el" | "ro" | "bg" | "uk" => Some(Europe::Helsinki),
        "tr" => Some(Europe::Istanbul),
        "ja" => Some(Asia::Tokyo),
        "ko" => Some(Asia::Seoul),
        "zh" => Some(Asia::Shanghai),
        _ => None,
    }
}

/// Zone abbreviations. `CST` is US Central unless the page is Chinese; `IST` is India;
/// `BST` is British Summer Time; `ET`/`CT`/`MT`/`PT` follow US daylight saving.
fn zone_abbr(abbr: &str, lang: Option<&str>) -> Option<Zone> {
    use chrono_tz::America;
    let fixed = |h: i32, m: i32| {
        let secs = h.abs() * 3600 + m * 60;
        FixedOffset::east_opt(if h < 0 { -secs } else { secs }).map(Zone::Fixed)
    };
    match abbr {
        "UTC" | "GMT" | "UT" | "WET" => fixed(0, 0),
        "BST" | "CET" | "MEZ" | "WEST" | "WAT" => fixed(1, 0),
        "CEST" | "MESZ" | "EET" | "OEZ" | "SAST" | "CAT" => fixed(2, 0),
        "EEST" | "OESZ" | "MSK" | "EAT" | "TRT" => fixed(3, 0),
        "IST" => fixed(5, 30),
        "ICT" | "WIB" => fixed(7, 0),
        "HKT" | "SGT" | "AWST" | "PHT" | "MYT" => fixed(8, 0),
        "CST" if lang_primary(lang) == Some("zh") => fixed(8, 0),
        "JST" | "KST" => fixed(9, 0),
        "ACST" => fixed(9, 30),
        "AEST" => fixed(10, 0),
        "ACDT" => fixed(10, 30),
        "AEDT" => fixed(11, 0),
        "NZST" => fixed(12, 0),
        "NZDT" => fixed(13, 0),
        "NDT" => fixed(-2, 30),
        "NST" => fixed(-3, 30),
        "BRT" | "ART" => fixed(-3, 0),
        "EDT" => fixed(-4, 0),
        "EST" | "CDT" => fixed(-5, 0),
        "CST" | "MDT" => fixed(-6, 0),
        "MST" | "PDT" => fixed(-7, 0),
        "PST" | "AKDT" => fixed(-8, 0),
        "AKST" => fixed(-9, 0),
        "HST" => fixed(-10, 0),
        "ET" => Some(Zone::Named(America::New_York)),
        "CT" => Some(Zone::Named(America::Chicago)),
        "MT" => Some(Zone::Named(America::Denver)),
        "PT" => Some(Zone::Named(America::Los_Angeles)),
        _ => None,
    }
}

/// A colon time (with am/pm and zone) ending right before the date at `start`.
fn time_before(text: &str, start: usize, lang: Option<&str>) -> Option<(NaiveTime, Option<Zone>)> {
    let window = tail(&text[..start], LOOKBEHIND_CHARS);
    let caps = RE_TIME_BEFORE.captures(window)?;
    let mut h = parse_u32(&caps, "h")?;
    let m = parse_u32(&caps, "m")?;
    let s = parse_u32(&caps, "s").unwrap_or(0);
    let german = lang_primary(lang) == Some("de");
    let mer = caps.name("ap").and_then(|ap| {
        let ap = ap.as_str();
        if german && ap == "am" {
            return None;
        }
        Some(if ap.starts_with(['a', 'A']) {
            Meridiem::Am
        } else {
            Meridiem::Pm
        })
    });
    if let Some(mer) = mer {
        h = match (mer, h) {
            (Meridiem::Am, 12) => 0,
            (Meridiem::Am, 0..=11) => h,
            (Meridiem::Pm, 0..=11) => h + 12,
            (Meridiem::Pm, 12..=23) => h,
            _ => return None,
        };
    }
    let zone = match caps.name("z") {
        Some(z) => Some(zone_abbr(z.as_str(), lang)?),
        None => None,
    };
    Some((NaiveTime::from_hms_opt(h, m, s.min(59))?, zone))
}

/// The local date now, in the zone the text named (or `tz`).
fn today(now: DateTime<Utc>, zone: Option<Zone>, tz: Tz) -> NaiveDate {
    match zone {
        Some(Zone::Fixed(off)) => now.with_timezone(&off).date_naive(),
        Some(Zone::Named(z)) => now.with_timezone(&z).date_naive(),
        None => now.with_timezone(&tz).date_naive(),
    }
}

/// A local date-time in the zone the text named, or else in `tz`.
fn localize(naive: NaiveDateTime, zone: Option<Zone>, tz: Tz) -> Option<DateTime<FixedOffset>> {
    match zone {
        Some(Zone::Fixed(off)) => off.from_local_datetime(&naive).single(),
        Some(Zone::Named(z)) => in_zone(naive, z),
        None => in_zone(naive, tz),
    }
}

/// A local date-time in `tz`: the earlier instant when the clock repeats an hour, the
/// first valid time after the gap when the clock skips it.
fn in_zone(naive: NaiveDateTime, tz: Tz) -> Option<DateTime<FixedOffset>> {
    if let Some(d) = tz.from_local_datetime(&naive).earliest() {
        return Some(d.fixed_offset());
    }
    // Gaps start and end on whole minutes; the longest ever skipped a whole day.
    let mut t = naive.date().and_hms_opt(naive.hour(), naive.minute(), 0)?;
    for _ in 0..(25 * 60) {
        t += TimeDelta::minutes(1);
        if let Some(d) = tz.from_local_datetime(&t).earliest() {
            return Some(d.fixed_offset());
        }
    }
    None
}

// ---------------------------------------------------------------------------------
// Whole-string formats
// ---------------------------------------------------------------------------------

/// All digits: Unix seconds (10) or milliseconds (13), `yyyymmdd`, `yyyymmddHHMMSS`.
fn from_digits(t: &str, ctx: &DateContext) -> Option<ParsedDate> {
    let field = |r: std::ops::Range<usize>| t.get(r)?.parse::<u32>().ok();
    match t.len() {
        10 => {
            let utc = DateTime::from_timestamp(t.parse().ok()?, 0)?;
            accept(utc.with_timezone(&ctx.tz).fixed_offset(), true, false, ctx)
        }
        13 => {
            let utc = DateTime::from_timestamp_millis(t.parse().ok()?)?;
            accept(utc.with_timezone(&ctx.tz).fixed_offset(), true, false, ctx)
        }
        8 => {
            let date = NaiveDate::from_ymd_opt(t[..4].parse().ok()?, field(4..6)?, field(6..8)?)?;
            midnight(date, false, ctx)
        }
        14 => {
            let date = NaiveDate::from_ymd_opt(t[..4].parse().ok()?, field(4..6)?, field(6..8)?)?;
            let time = NaiveTime::from_hms_opt(field(8..10)?, field(10..12)?, field(12..14)?)?;
            accept(in_zone(date.and_time(time), ctx.tz)?, true, false, ctx)
        }
        _ => None,
    }
}

/// RFC 2822 shapes the scanner leaves, such as two-digit years ("22 Dec 25 10:15 GMT").
/// chrono reads unknown zone names as UTC, so only known zones are let through.
fn from_rfc2822(t: &str, ctx: &DateContext) -> Option<ParsedDate> {
    let zone = t.rsplit(char::is_whitespace).next()?;
    let known = matches!(
        zone,
        "UT" | "GMT" | "Z" | "EST" | "EDT" | "CDT" | "MST" | "MDT" | "PST" | "PDT"
    ) || (zone == "CST" && lang_primary(ctx.lang) != Some("zh"))
        || (zone.starts_with(['+', '-']) && zone[1..].bytes().all(|b| b.is_ascii_digit()));
    if !known {
        return None;
    }
    accept(DateTime::parse_from_rfc2822(t).ok()?, true, false, ctx)
}

// ---------------------------------------------------------------------------------
// Context helpers
// ---------------------------------------------------------------------------------

/// The order of day and month in numeric dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    DayFirst,
    MonthFirst,
    Unknown,
}

/// Languages known to write numeric dates day first.
const DAY_FIRST_LANGS: &[&str] = &[
    "af", "ar", "be", "bg", "bn", "bs", "ca", "cs", "cy", "da", "de", "el", "es", "et", "eu", "fa",
    "fi", "fr", "ga", "gl", "he", "hi", "hr", "id", "is", "it", "mk", "ms", "nb", "nl", "nn", "no",
    "pl", "pt", "ro", "ru", "sk", "sl", "sq", "sr", "sv", "sw", "ta", "th", "tr", "uk", "ur", "vi",
];
/// Languages whose pages write `dd.mm.yy`, where a two-digit year is safe to read.
const TWO_DIGIT_YEAR_LANGS: &[&str] = &[
    "cs", "da", "de", "fi", "nb", "nn", "no", "pl", "ru", "sk", "uk",
];
/// English regions that write month first.
const MONTH_FIRST_REGIONS: &[&str] = &["us", "ph", "um", "as", "gu", "pr", "vi", "mp"];

fn numeric_order(lang: Option<&str>) -> Order {
    let Some((primary, region)) = lang.map(split_lang) else {
        return Order::Unknown;
    };
    if primary.eq_ignore_ascii_case("en") {
        return match region {
            Some(r)
                if MONTH_FIRST_REGIONS
                    .iter()
                    .any(|x| r.eq_ignore_ascii_case(x)) =>
            {
                Order::MonthFirst
            }
            // Canada writes both; plain "en" is as often American as not.
            Some(r) if r.eq_ignore_ascii_case("ca") => Order::Unknown,
            Some(_) => Order::DayFirst,
            None => Order::Unknown,
        };
    }
    if primary.eq_ignore_ascii_case("fil") {
        return Order::MonthFirst;
    }
    if DAY_FIRST_LANGS
        .iter()
        .any(|l| primary.eq_ignore_ascii_case(l))
    {
        Order::DayFirst
    } else {
        Order::Unknown
    }
}

fn two_digit_years(lang: Option<&str>) -> bool {
    lang.map(split_lang).is_some_and(|(p, _)| {
        TWO_DIGIT_YEAR_LANGS
            .iter()
            .any(|l| p.eq_ignore_ascii_case(l))
    })
}

/// The primary language subtag, lowercased when it is one we know.
fn lang_primary(lang: Option<&str>) -> Option<&'static str> {
    let (primary, _) = split_lang(lang?);
    ["de", "nl", "zh", "fr", "ja", "ko"]
        .into_iter()
        .find(|l| primary.eq_ignore_ascii_case(l))
}

/// `"en-US"` → `("en", Some("US"))`.
fn split_lang(lang: &str) -> (&str, Option<&str>) {
    let mut parts = lang.trim().split(['-', '_']);
    let primary = parts.next().unwrap_or("");
    (primary, parts.next())
}

/// The label (publication or update) right before `start`, if any.
fn label_before(text: &str, start: usize) -> Label {
    let window = tail(&text[..start], LOOKBEHIND_CHARS);
    let Some(caps) = RE_LABEL.captures_iter(window).last() else {
        return Label::None;
    };
    let Some(whole) = caps.get(0) else {
        return Label::None;
    };
    let gap = &window[whole.end()..];
    if gap.chars().count() > 32 || gap.bytes().any(|b| b.is_ascii_digit()) {
        return Label::None;
    }
    if caps.name("pub").is_some() {
        Label::Published
    } else {
        Label::Updated
    }
}

/// The last `n` characters of `s`.
fn tail(s: &str, n: usize) -> &str {
    match s.char_indices().rev().nth(n.saturating_sub(1)) {
        Some((i, _)) => &s[i..],
        None => s,
    }
}

/// No letter or digit glued to the front of a number, and no "1." of a longer
/// dotted number ("1.22.12.2025").
fn clean_before(text: &str, start: usize) -> bool {
    let mut before = text[..start].chars().rev();
    match before.next() {
        Some(c) if c.is_ascii_alphanumeric() => false,
        Some('.' | '/' | '-' | ':') => !before.next().is_some_and(|c| c.is_ascii_digit()),
        _ => true,
    }
}

/// No digit glued to the end of a number, and no ".5" of a longer dotted number.
fn clean_after(text: &str, end: usize) -> bool {
    let mut after = text[end..].chars();
    match after.next() {
        Some(c) if c.is_ascii_digit() => false,
        Some('.' | '/' | '-') => !after.next().is_some_and(|c| c.is_ascii_digit()),
        _ => true,
    }
}

/// Whether a letter or digit ends right before `i` (so no word starts at `i`).
fn word_before(text: &str, i: usize) -> bool {
    text[..i]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
}

/// Whether a letter starts at `i` (so no word ends there).
fn letter_at(text: &str, i: usize) -> bool {
    text[i..].chars().next().is_some_and(char::is_alphabetic)
}

/// Whether a letter or digit starts at `i`.
fn alnum_at(text: &str, i: usize) -> bool {
    text[i..].chars().next().is_some_and(char::is_alphanumeric)
}

/// "version 2.10.2023", "v2025.01.15".
fn version_before(text: &str, start: usize) -> bool {
    RE_VERSION.is_match(tail(&text[..start], 16))
}

/// Whether a digit comes next (after spaces and a comma).
fn digit_follows(s: &str) -> bool {
    s.trim_start_matches(|c: char| c.is_whitespace() || c == ',')
        .starts_with(|c: char| c.is_ascii_digit())
}

/// A four-digit year after whitespace: "… UTC 2025".
fn trailing_year(s: &str) -> Option<(i32, usize)> {
    let trimmed = s.trim_start();
    let skipped = s.len() - trimmed.len();
    let run = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    if skipped == 0 || run != 4 {
        return None;
    }
    Some((trimmed[..4].parse().ok()?, skipped + 4))
}

/// A cursor for the small hand-written time grammar.
struct Cur<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Cur<'a> {
    fn new(s: &'a str) -> Self {
        Cur { s, i: 0 }
    }

    fn rest(&self) -> &'a str {
        &self.s[self.i..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn peek2(&self) -> Option<char> {
        self.rest().chars().nth(1)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.i += c.len_utf8();
        Some(c)
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.i += c.len_utf8();
            true
        } else {
            false
        }
    }

    /// Eats `lit`, ASCII letters compared without case.
    fn eat_ci(&mut self, lit: &str) -> bool {
        match self.rest().get(..lit.len()) {
            Some(p) if p.eq_ignore_ascii_case(lit) => {
                self.i += lit.len();
                true
            }
            _ => false,
        }
    }

    fn eat_any(&mut self, lits: &[&str]) -> bool {
        lits.iter().any(|l| self.eat_ci(l))
    }

    /// Eats `word` only when no letter follows it.
    fn eat_word(&mut self, word: &str) -> bool {
        let save = self.i;
        if self.eat_ci(word) && !self.letter_next() {
            return true;
        }
        self.i = save;
        false
    }

    fn letter_next(&self) -> bool {
        self.peek().is_some_and(char::is_alphabetic)
    }

    fn skip_ws(&mut self) -> bool {
        let start = self.i;
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
        self.i > start
    }

    fn digit_run(&self) -> usize {
        self.rest().bytes().take_while(u8::is_ascii_digit).count()
    }

    /// Eats a whole run of `min..=max` ASCII digits, or nothing.
    fn digits(&mut self, min: usize, max: usize) -> Option<u32> {
        let n = self.digit_run();
        if n < min || n > max {
            return None;
        }
        let v = self.rest()[..n].parse().ok()?;
        self.i += n;
        Some(v)
    }

    /// A decimal fraction of a second (`.5`, `,123456`) as nanoseconds.
    fn fraction(&mut self) -> u32 {
        let save = self.i;
        if self.eat('.') || self.eat(',') {
            let n = self.digit_run();
            if n > 0 {
                let digits = &self.rest()[..n.min(9)];
                self.i += n;
                let value: u32 = digits.parse().unwrap_or(0);
                return value * 10u32.pow(9 - digits.len() as u32);
            }
        }
        self.i = save;
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{America, Asia, Europe, UTC};

    /// The fetch time of every test: 2025-12-23 12:00 UTC (21:00 in Tokyo).
    const NOW: &str = "2025-12-23T12:00:00Z";

    fn ctx(tz: Tz, lang: Option<&str>) -> DateContext<'_> {
        DateContext {
            now: DateTime::parse_from_rfc3339(NOW)
                .unwrap()
                .with_timezone(&Utc),
            tz,
            lang,
        }
    }

    /// Input and the expected RFC 3339 value (`None`: no date).
    type Case<'a> = (&'a str, Option<&'a str>);

    /// Runs every case and reports all failures at once.
    fn check(
        what: &str,
        f: fn(&str, &DateContext) -> Option<ParsedDate>,
        ctx: &DateContext,
        cases: &[Case],
    ) {
        let failures: Vec<String> = cases
            .iter()
            .filter_map(|(input, want)| {
                let got = f(input, ctx).map(|p| p.value.to_rfc3339());
                (got.as_deref() != *want)
                    .then(|| format!("  {what}({input:?}) = {got:?}, want {want:?}"))
            })
            .collect();
        assert!(
            failures.is_empty(),
            "{} of {} cases failed (tz {}, lang {:?}):\n{}",
            failures.len(),
            cases.len(),
            ctx.tz,
            ctx.lang,
            failures.join("\n")
        );
    }

    fn parse(ctx: &DateContext, cases: &[Case]) {
        check("parse_date", parse_date, ctx, cases);
    }

    fn find(ctx: &DateContext, cases: &[Case]) {
        check("find_date", find_date, ctx, cases);
    }

    fn url(ctx: &DateContext, cases: &[Case]) {
        check("date_from_url", date_from_url, ctx, cases);
    }

    /// Flags of one parse: (has_time, relative).
    fn flags(input: &str, ctx: &DateContext) -> Option<(bool, bool)> {
        parse_date(input, ctx).map(|p| (p.has_time, p.relative))
    }

    #[test]
    fn iso_8601_shapes() {
        parse(
            &ctx(UTC, None),
            &[
                ("2025-12-22T10:15:00Z", Some("2025-12-22T10:15:00+00:00")),
                (
                    "2025-12-22T10:15:00+09:00",
                    Some("2025-12-22T10:15:00+09:00"),
                ),
                (
                    "2025-12-22T23:30:00+09:00",
                    Some("2025-12-22T23:30:00+09:00"),
                ),
                (
                    "2025-12-22T10:15:00.123Z",
                    Some("2025-12-22T10:15:00.123+00:00"),
                ),
                (
                    "2025-12-22T10:15:00,5+01:00",
                    Some("2025-12-22T10:15:00.500+01:00"),
                ),
                (
                    "2025-12-22T10:15:00.123456789Z",
                    Some("2025-12-22T10:15:00.123456789+00:00"),
                ),
                ("2025-12-22T10:15Z", Some("2025-12-22T10:15:00+00:00")),
                ("2025-12-22T10:15+0900", Some("2025-12-22T10:15:00+09:00")),
                ("2025-12-22T10:15+09:00", Some("2025-12-22T10:15:00+09:00")),
                (
                    "2025-12-22T10:15:00+0530",
                    Some("2025-12-22T10:15:00+05:30"),
                ),
                ("2025-12-22T10:15:00-05", Some("2025-12-22T10:15:00-05:00")),
                (
                    "2025-12-22T10:15:00-0800",
                    Some("2025-12-22T10:15:00-08:00"),
                ),
                (
                    "2025-12-22T10:15:00−05:00",
                    Some("2025-12-22T10:15:00-05:00"),
                ),
                ("2025-12-22t10:15:00z", Some("2025-12-22T10:15:00+00:00")),
                ("2025-12-22 10:15:00Z", Some("2025-12-22T10:15:00+00:00")),
                (
                    "2025-12-22 10:15:00+09:00",
                    Some("2025-12-22T10:15:00+09:00"),
                ),
                (
                    "2025-12-22 10:15:00 +09:00",
                    Some("2025-12-22T10:15:00+09:00"),
                ),
                (
                    "2025-12-22 10:15:00 +0900",
                    Some("2025-12-22T10:15:00+09:00"),
                ),
                ("2025-12-22 10:15+09:00", Some("2025-12-22T10:15:00+09:00")),
                ("2025-12-22 10:15+0530", Some("2025-12-22T10:15:00+05:30")),
                ("2025-12-22 10:15-11:30", Some("2025-12-22T10:15:00+00:00")),
                ("2025-12-22 10:15:00", Some("2025-12-22T10:15:00+00:00")),
                ("2025-12-22 10:15", Some("2025-12-22T10:15:00+00:00")),
                ("2025-12-22 10:15:00 UTC", Some("2025-12-22T10:15:00+00:00")),
                ("2025-12-22", Some("2025-12-22T00:00:00+00:00")),
                ("2025/12/22", Some("2025-12-22T00:00:00+00:00")),
                ("2025.12.22", Some("2025-12-22T00:00:00+00:00")),
                ("2025-1-5", Some("2025-01-05T00:00:00+00:00")),
                ("2025/12/22 10:15", Some("2025-12-22T10:15:00+00:00")),
                ("20251222T101500Z", Some("2025-12-22T10:15:00+00:00")),
                ("20251222T1015+0900", Some("2025-12-22T10:15:00+09:00")),
                ("20251222T10:15:00Z", Some("2025-12-22T10:15:00+00:00")),
                ("20251222T101500", Some("2025-12-22T10:15:00+00:00")),
                (
                    "  2025-12-22T10:15:00Z  ",
                    Some("2025-12-22T10:15:00+00:00"),
                ),
                ("2025-12-22T10:15:60Z", Some("2025-12-22T10:15:60+00:00")),
                ("2025-12-22 10:15:60", Some("2025-12-22T10:15:59+00:00")),
            ],
        );
    }

    #[test]
    fn iso_without_zone_reads_in_the_feed_zone() {
        parse(
            &ctx(Asia::Tokyo, None),
            &[
                ("2025-12-22 10:15", Some("2025-12-22T10:15:00+09:00")),
                ("2025-12-22T10:15:00", Some("2025-12-22T10:15:00+09:00")),
                ("2025-12-22", Some("2025-12-22T00:00:00+09:00")),
                ("2025-12-22T10:15:00Z", Some("2025-12-22T10:15:00+00:00")),
                (
                    "2025-12-22T10:15:00-05:00",
                    Some("2025-12-22T10:15:00-05:00"),
                ),
            ],
        );
        parse(
            &ctx(America::New_York, None),
            &[
                ("2025-07-01 10:00", Some("2025-07-01T10:00:00-04:00")),
                ("2025-01-01 10:00", Some("2025-01-01T10:00:00-05:00")),
                ("2025-07-01", Some("2025-07-01T00:00:00-04:00")),
            ],
        );
    }

    #[test]
    fn rfc_2822_and_1123() {
        parse(
            &ctx(UTC, None),
            &[
                (
                    "Mon, 22 Dec 2025 10:15:00 +0000",
                    Some("2025-12-22T10:15:00+00:00"),
                ),
                (
                    "Mon, 22 Dec 2025 10:15:00 GMT",
                    Some("2025-12-22T10:15:00+00:00"),
                ),
                (
                    "Mon, 22 Dec 2025 10:15:00 UT",
                    Some("2025-12-22T10:15:00+00:00"),
                ),
                (
                    "Mon, 22 Dec 2025 10:15:00 EST",
                    Some("2025-12-22T10:15:00-05:00"),
                ),
                (
                    "Mon, 22 Dec 2025 10:15:00 PST",
                    Some("2025-12-22T10:15:00-08:00"),
                ),
                (
                    "Mon, 22 Dec 2025 10:15:00 -0800",
                    Some("2025-12-22T10:15:00-08:00"),
                ),
                (
                    "Mon, 22 Dec 2025 10:15:00 +0900",
                    Some("2025-12-22T10:15:00+09:00"),
                ),
                (
                    "Mon, 22 Dec 2025 10:15:00 JST",
                    Some("2025-12-22T10:15:00+09:00"),
                ),
                ("22 Dec 2025 10:15 +0100", Some("2025-12-22T10:15:00+01:00")),
                (
                    "Mon, 22 Dec 2025 10:15 GMT",
                    Some("2025-12-22T10:15:00+00:00"),
                ),
                (
                    "Mon, 22 Dec 25 10:15:00 GMT",
                    Some("2025-12-22T10:15:00+00:00"),
                ),
                (
                    "Monday, 22-Dec-25 10:15:00 GMT",
                    Some("2025-12-22T10:15:00+00:00"),
                ),
                (
                    "22/Dec/2025:10:15:00 +0000",
                    Some("2025-12-22T10:15:00+00:00"),
                ),
                (
                    "Mon Dec 22 10:15:00 UTC 2025",
                    Some("2025-12-22T10:15:00+00:00"),
                ),
                (
                    "Mon Dec 22 2025 10:15:00 GMT+0900 (Japan Standard Time)",
                    Some("2025-12-22T10:15:00+09:00"),
                ),
            ],
        );
    }

    #[test]
    fn unix_timestamps_only_as_whole_plausible_numbers() {
        parse(
            &ctx(UTC, None),
            &[
                ("1766398500", Some("2025-12-22T10:15:00+00:00")),
                ("1766398500000", Some("2025-12-22T10:15:00+00:00")),
                ("1766398500123", Some("2025-12-22T10:15:00.123+00:00")),
                ("0946684800", Some("2000-01-01T00:00:00+00:00")),
                ("20251222", Some("2025-12-22T00:00:00+00:00")),
                ("20251222101500", Some("2025-12-22T10:15:00+00:00")),
                ("9999999999", None),
                ("788918399", None),
                ("17663985000", None),
                ("176639850", None),
                ("123", None),
                ("0", None),
                ("20251340", None),
                ("19941231", None),
            ],
        );
        parse(
            &ctx(Asia::Tokyo, None),
            &[("1766398500", Some("2025-12-22T19:15:00+09:00"))],
        );
        find(
            &ctx(UTC, None),
            &[("id 1766398500", None), ("ref 20251222", None)],
        );
    }

    #[test]
    fn english() {
        parse(
            &ctx(UTC, Some("en")),
            &[
                ("December 22, 2025", Some("2025-12-22T00:00:00+00:00")),
                ("Dec 22, 2025", Some("2025-12-22T00:00:00+00:00")),
                ("Dec. 22, 2025", Some("2025-12-22T00:00:00+00:00")),
                ("DEC 22 2025", Some("2025-12-22T00:00:00+00:00")),
                ("22 Dec 2025", Some("2025-12-22T00:00:00+00:00")),
                ("22 December 2025", Some("2025-12-22T00:00:00+00:00")),
                ("22 December, 2025", Some("2025-12-22T00:00:00+00:00")),
                ("22-Dec-2025", Some("2025-12-22T00:00:00+00:00")),
                (
                    "Monday, December 22, 2025",
                    Some("2025-12-22T00:00:00+00:00"),
                ),
                ("Mon, Dec 22, 2025", Some("2025-12-22T00:00:00+00:00")),
                ("22nd December 2025", Some("2025-12-22T00:00:00+00:00")),
                ("22nd of December 2025", Some("2025-12-22T00:00:00+00:00")),
                ("December 22nd, 2025", Some("2025-12-22T00:00:00+00:00")),
                ("December 1st, 2025", Some("2025-12-01T00:00:00+00:00")),
                ("March 3rd 2025", Some("2025-03-03T00:00:00+00:00")),
                ("Sept. 3, 2024", Some("2024-09-03T00:00:00+00:00")),
                ("Sep 3, 2024", Some("2024-09-03T00:00:00+00:00")),
                ("3rd of September 2024", Some("2024-09-03T00:00:00+00:00")),
                ("May 5, 2025", Some("2025-05-05T00:00:00+00:00")),
                ("may 5, 2025", Some("2025-05-05T00:00:00+00:00")),
                ("Feb 28, 2025", Some("2025-02-28T00:00:00+00:00")),
                ("Feb 29, 2024", Some("2024-02-29T00:00:00+00:00")),
                (
                    "December 22, 2025 at 10:15 am",
                    Some("2025-12-22T10:15:00+00:00"),
                ),
                (
                    "December 22, 2025 3:15 PM",
                    Some("2025-12-22T15:15:00+00:00"),
                ),
                (
                    "December 22, 2025, 12:00 am",
                    Some("2025-12-22T00:00:00+00:00"),
                ),
                (
                    "December 22, 2025, 12:30 p.m.",
                    Some("2025-12-22T12:30:00+00:00"),
                ),
                ("December 22, 2025 3 pm", Some("2025-12-22T15:00:00+00:00")),
                ("Dec 22, 2025 10:15:30", Some("2025-12-22T10:15:30+00:00")),
                ("Dec 22, 2025 | 10:15", Some("2025-12-22T10:15:00+00:00")),
                ("Dec 22, 2025 - 10:15 AM", Some("2025-12-22T10:15:00+00:00")),
                (
                    "Dec 22, 2025 · 10:15\u{202f}AM",
                    Some("2025-12-22T10:15:00+00:00"),
                ),
                (
                    "22 December 2025 10:15 GMT",
                    Some("2025-12-22T10:15:00+00:00"),
                ),
                ("10:15 AM · Dec 22, 2025", Some("2025-12-22T10:15:00+00:00")),
                ("3:15 PM - 22 Dec 2025", Some("2025-12-22T15:15:00+00:00")),
                (
                    "10:15 PM EST, Dec 22, 2025",
                    Some("2025-12-22T22:15:00-05:00"),
                ),
                ("December 22nd", Some("2025-12-22T00:00:00+00:00")),
                ("Dec 22", Some("2025-12-22T00:00:00+00:00")),
                ("Dec 22 10:15", Some("2025-12-22T10:15:00+00:00")),
                ("22 Dec", Some("2025-12-22T00:00:00+00:00")),
                ("Dec 23", Some("2025-12-23T00:00:00+00:00")),
                ("Jan 5", Some("2025-01-05T00:00:00+00:00")),
                ("Dec 25", Some("2024-12-25T00:00:00+00:00")),
                ("May 3", Some("2025-05-03T00:00:00+00:00")),
                ("may 3", None),
                ("Dec 24", None),
            ],
        );
    }

    #[test]
    fn german() {
        let c = ctx(Europe::Berlin, Some("de"));
        parse(
            &c,
            &[
                ("22. Dezember 2025", Some("2025-12-22T00:00:00+01:00")),
                ("22. Dez. 2025", Some("2025-12-22T00:00:00+01:00")),
                ("22. Dez 2025", Some("2025-12-22T00:00:00+01:00")),
                ("22.Dezember 2025", Some("2025-12-22T00:00:00+01:00")),
                (
                    "Montag, 22. Dezember 2025",
                    Some("2025-12-22T00:00:00+01:00"),
                ),
                (
                    "Montag, 22. Dezember 2025, 10:15 Uhr",
                    Some("2025-12-22T10:15:00+01:00"),
                ),
                (
                    "22. Dezember 2025 um 10:15 Uhr",
                    Some("2025-12-22T10:15:00+01:00"),
                ),
                (
                    "22. Juli 2025, 10:15 Uhr",
                    Some("2025-07-22T10:15:00+02:00"),
                ),
                ("1. März 2025", Some("2025-03-01T00:00:00+01:00")),
                ("3. Mär 2025", Some("2025-03-03T00:00:00+01:00")),
                ("3. Mär. 2025", Some("2025-03-03T00:00:00+01:00")),
                ("3. Mai 2025", Some("2025-05-03T00:00:00+02:00")),
                ("15. Jänner 2025", Some("2025-01-15T00:00:00+01:00")),
                ("1. Okt. 2025", Some("2025-10-01T00:00:00+02:00")),
                ("22.12.2025", Some("2025-12-22T00:00:00+01:00")),
                ("22. 12. 2025", Some("2025-12-22T00:00:00+01:00")),
                ("03.04.2025", Some("2025-04-03T00:00:00+02:00")),
                ("22.12.2025 10:15", Some("2025-12-22T10:15:00+01:00")),
                ("22.12.2025, 10:15 Uhr", Some("2025-12-22T10:15:00+01:00")),
                ("22.12.2025 um 10.15 Uhr", Some("2025-12-22T10:15:00+01:00")),
                ("22.12.2025, 10.15 Uhr", Some("2025-12-22T10:15:00+01:00")),
                ("22.12.2025 um 10 Uhr", Some("2025-12-22T10:00:00+01:00")),
                ("22.12.2025 10:15 MEZ", Some("2025-12-22T10:15:00+01:00")),
                ("22.12.25", Some("2025-12-22T00:00:00+01:00")),
                ("22.12.25 10:15", Some("2025-12-22T10:15:00+01:00")),
                ("22.12.2025, 10.15", Some("2025-12-22T00:00:00+01:00")),
                ("10:15 am 22.12.2025", Some("2025-12-22T10:15:00+01:00")),
                ("Kultur, 2.11.22", Some("2022-11-02T00:00:00+01:00")),
                ("1.2.25", None),
                ("Version 2.1.23", None),
            ],
        );
    }

    #[test]
    fn french() {
        parse(
            &ctx(Europe::Paris, Some("fr")),
            &[
                ("22 décembre 2025", Some("2025-12-22T00:00:00+01:00")),
                ("22 decembre 2025", Some("2025-12-22T00:00:00+01:00")),
                ("22 DÉCEMBRE 2025", Some("2025-12-22T00:00:00+01:00")),
                (
                    "le 22 décembre 2025 à 10h15",
                    Some("2025-12-22T10:15:00+01:00"),
                ),
                (
                    "lundi 22 décembre 2025 à 10 h 15",
                    Some("2025-12-22T10:15:00+01:00"),
                ),
                ("22 décembre 2025 à 10h", Some("2025-12-22T10:00:00+01:00")),
                (
                    "22 décembre 2025 à 10:15",
                    Some("2025-12-22T10:15:00+01:00"),
                ),
                ("1er janvier 2025", Some("2025-01-01T00:00:00+01:00")),
                ("22 déc. 2025", Some("2025-12-22T00:00:00+01:00")),
                ("3 févr. 2025", Some("2025-02-03T00:00:00+01:00")),
                ("3 janv. 2025", Some("2025-01-03T00:00:00+01:00")),
                ("14 juil. 2025", Some("2025-07-14T00:00:00+02:00")),
                ("15 août 2025", Some("2025-08-15T00:00:00+02:00")),
                ("22/12/2025 à 10:15", Some("2025-12-22T10:15:00+01:00")),
                ("03/04/2025", Some("2025-04-03T00:00:00+02:00")),
                ("22.12.25", None),
            ],
        );
    }

    #[test]
    fn spanish_italian_portuguese_dutch() {
        parse(
            &ctx(Europe::Madrid, Some("es")),
            &[
                ("22 de diciembre de 2025", Some("2025-12-22T00:00:00+01:00")),
                (
                    "lunes, 22 de diciembre de 2025 a las 10:15",
                    Some("2025-12-22T10:15:00+01:00"),
                ),
                ("22 dic. 2025", Some("2025-12-22T00:00:00+01:00")),
                ("3 de septiembre de 2024", Some("2024-09-03T00:00:00+02:00")),
                ("3 de setiembre de 2024", Some("2024-09-03T00:00:00+02:00")),
                ("1 ene 2025", Some("2025-01-01T00:00:00+01:00")),
                ("22/12/2025", Some("2025-12-22T00:00:00+01:00")),
                ("22/12/2025 10:15 hs", Some("2025-12-22T10:15:00+01:00")),
                ("diciembre 22 de 2025", Some("2025-12-22T00:00:00+01:00")),
                (
                    "22 dic. 2025 10:15 a. m.",
                    Some("2025-12-22T10:15:00+01:00"),
                ),
            ],
        );
        parse(
            &ctx(Europe::Rome, Some("it")),
            &[
                ("22 dicembre 2025", Some("2025-12-22T00:00:00+01:00")),
                (
                    "22 dicembre 2025 alle 10:15",
                    Some("2025-12-22T10:15:00+01:00"),
                ),
                ("22 dic 2025 ore 10.15", Some("2025-12-22T10:15:00+01:00")),
                ("1 gennaio 2025", Some("2025-01-01T00:00:00+01:00")),
                ("3 maggio 2025", Some("2025-05-03T00:00:00+02:00")),
                ("3 set 2025", Some("2025-09-03T00:00:00+02:00")),
            ],
        );
        parse(
            &ctx(America::Sao_Paulo, Some("pt-BR")),
            &[
                ("22 de dezembro de 2025", Some("2025-12-22T00:00:00-03:00")),
                (
                    "22 de dezembro de 2025 às 10h15",
                    Some("2025-12-22T10:15:00-03:00"),
                ),
                (
                    "22 de dezembro de 2025 as 10:15",
                    Some("2025-12-22T10:15:00-03:00"),
                ),
                ("3 de março de 2025", Some("2025-03-03T00:00:00-03:00")),
                ("3 de marco de 2025", Some("2025-03-03T00:00:00-03:00")),
                ("22 dez 2025", Some("2025-12-22T00:00:00-03:00")),
                ("1 out 2025", Some("2025-10-01T00:00:00-03:00")),
                ("22/12/2025 10:15", Some("2025-12-22T10:15:00-03:00")),
            ],
        );
        parse(
            &ctx(Europe::Amsterdam, Some("nl")),
            &[
                ("22 december 2025", Some("2025-12-22T00:00:00+01:00")),
                (
                    "22 december 2025 om 10:15",
                    Some("2025-12-22T10:15:00+01:00"),
                ),
                ("3 maart 2025", Some("2025-03-03T00:00:00+01:00")),
                ("3 mrt 2025", Some("2025-03-03T00:00:00+01:00")),
                ("1 mei 2025", Some("2025-05-01T00:00:00+02:00")),
                ("22-12-2025", Some("2025-12-22T00:00:00+01:00")),
                (
                    "maandag 22 december 2025, 10:15",
                    Some("2025-12-22T10:15:00+01:00"),
                ),
            ],
        );
    }

    #[test]
    fn russian() {
        parse(
            &ctx(Europe::Moscow, Some("ru")),
            &[
                ("22 декабря 2025", Some("2025-12-22T00:00:00+03:00")),
                ("22 декабря 2025 г.", Some("2025-12-22T00:00:00+03:00")),
                (
                    "22 декабря 2025 года в 10:15",
                    Some("2025-12-22T10:15:00+03:00"),
                ),
                (
                    "22 декабря 2025 г. в 10:15",
                    Some("2025-12-22T10:15:00+03:00"),
                ),
                ("22 декабря 2025, 10:15", Some("2025-12-22T10:15:00+03:00")),
                ("3 марта 2025 г.", Some("2025-03-03T00:00:00+03:00")),
                ("1 мая 2025", Some("2025-05-01T00:00:00+03:00")),
                ("22 дек 2025", Some("2025-12-22T00:00:00+03:00")),
                ("22 ДЕКАБРЯ 2025", Some("2025-12-22T00:00:00+03:00")),
                ("22.12.2025 в 10:15", Some("2025-12-22T10:15:00+03:00")),
                ("22.12.25", Some("2025-12-22T00:00:00+03:00")),
                ("22 декабря", Some("2025-12-22T00:00:00+03:00")),
            ],
        );
    }

    #[test]
    fn japanese() {
        parse(
            &ctx(Asia::Tokyo, Some("ja")),
            &[
                ("2025年12月22日", Some("2025-12-22T00:00:00+09:00")),
                ("2025年12月22日 10時15分", Some("2025-12-22T10:15:00+09:00")),
                ("2025年12月22日 10時", Some("2025-12-22T10:00:00+09:00")),
                ("2025年12月22日 午後3時", Some("2025-12-22T15:00:00+09:00")),
                (
                    "2025年12月22日 午後3時15分",
                    Some("2025-12-22T15:15:00+09:00"),
                ),
                (
                    "2025年12月22日 午前10時15分30秒",
                    Some("2025-12-22T10:15:30+09:00"),
                ),
                (
                    "2025年12月22日 午後3時半",
                    Some("2025-12-22T15:30:00+09:00"),
                ),
                (
                    "2025年12月22日(月) 10:15",
                    Some("2025-12-22T10:15:00+09:00"),
                ),
                (
                    "2025年12月22日（月）10:15",
                    Some("2025-12-22T10:15:00+09:00"),
                ),
                (
                    "2025年12月22日 月曜日 10:15",
                    Some("2025-12-22T10:15:00+09:00"),
                ),
                ("2025年 12月 22日", Some("2025-12-22T00:00:00+09:00")),
                ("2025/12/22 10:15", Some("2025-12-22T10:15:00+09:00")),
                ("2025/12/22(月) 10:15", Some("2025-12-22T10:15:00+09:00")),
                ("２０２５年１２月２２日", Some("2025-12-22T00:00:00+09:00")),
                (
                    "２０２５年１２月２２日 １０：１５",
                    Some("2025-12-22T10:15:00+09:00"),
                ),
                ("12月22日", Some("2025-12-22T00:00:00+09:00")),
                ("12月22日 10:15", Some("2025-12-22T10:15:00+09:00")),
                (
                    "2025年12月22日 10:15 JST",
                    Some("2025-12-22T10:15:00+09:00"),
                ),
            ],
        );
    }

    #[test]
    fn chinese() {
        let c = ctx(Asia::Shanghai, Some("zh-CN"));
        parse(
            &c,
            &[
                ("2025年12月22日", Some("2025-12-22T00:00:00+08:00")),
                ("2025-12-22 10:15", Some("2025-12-22T10:15:00+08:00")),
                ("2025年12月22日 10:15", Some("2025-12-22T10:15:00+08:00")),
                (
                    "2025年12月22日 下午3点15分",
                    Some("2025-12-22T15:15:00+08:00"),
                ),
                ("2025年12月22日 下午3点", Some("2025-12-22T15:00:00+08:00")),
                (
                    "2025年12月22日 上午10点半",
                    Some("2025-12-22T10:30:00+08:00"),
                ),
                (
                    "2025年12月22日 星期一 10:15",
                    Some("2025-12-22T10:15:00+08:00"),
                ),
                (
                    "2025年12月22日 周一 10:15",
                    Some("2025-12-22T10:15:00+08:00"),
                ),
                ("2025年12月22号", Some("2025-12-22T00:00:00+08:00")),
                (
                    "2025年12月22日 10:15 CST",
                    Some("2025-12-22T10:15:00+08:00"),
                ),
                ("发布于2025-12-22 10:15", Some("2025-12-22T10:15:00+08:00")),
                (
                    "发布时间：2025年12月22日",
                    Some("2025-12-22T00:00:00+08:00"),
                ),
            ],
        );
    }

    #[test]
    fn korean() {
        parse(
            &ctx(Asia::Seoul, Some("ko")),
            &[
                ("2025년 12월 22일", Some("2025-12-22T00:00:00+09:00")),
                (
                    "2025년 12월 22일 오후 3:15",
                    Some("2025-12-22T15:15:00+09:00"),
                ),
                (
                    "2025년 12월 22일 오전 10시 15분",
                    Some("2025-12-22T10:15:00+09:00"),
                ),
                (
                    "2025년 12월 22일 (월) 오후 3:15",
                    Some("2025-12-22T15:15:00+09:00"),
                ),
                ("2025년 12월 22일 월요일", Some("2025-12-22T00:00:00+09:00")),
                ("2025. 12. 22. 오후 3:15", Some("2025-12-22T15:15:00+09:00")),
                ("2025. 12. 22.", Some("2025-12-22T00:00:00+09:00")),
                ("2025.12.22 10:15", Some("2025-12-22T10:15:00+09:00")),
                ("2025-12-22 오후 3:15", Some("2025-12-22T15:15:00+09:00")),
                ("12월 22일", Some("2025-12-22T00:00:00+09:00")),
                ("12월 22일 오후 3시", Some("2025-12-22T15:00:00+09:00")),
            ],
        );
    }

    #[test]
    fn numeric_day_month_order() {
        let cases_unknown: &[Case] = &[
            ("12/22/2025", Some("2025-12-22T00:00:00+00:00")),
            ("22/12/2025", Some("2025-12-22T00:00:00+00:00")),
            ("12-22-2025", Some("2025-12-22T00:00:00+00:00")),
            ("22.12.2025", Some("2025-12-22T00:00:00+00:00")),
            ("05/05/2025", Some("2025-05-05T00:00:00+00:00")),
            ("05/06/2025", None),
            ("12.11.2025", None),
            ("12/11/2025", None),
            ("22.12.25", None),
            ("12/22/25", None),
            ("13/13/2025", None),
            ("2025-22-12", None),
        ];
        parse(&ctx(UTC, None), cases_unknown);
        parse(&ctx(UTC, Some("en")), cases_unknown);
        parse(&ctx(UTC, Some("ja")), cases_unknown);
        parse(
            &ctx(UTC, Some("en-US")),
            &[
                ("05/06/2025", Some("2025-05-06T00:00:00+00:00")),
                ("12/11/2025", Some("2025-12-11T00:00:00+00:00")),
                ("12/22/2025", Some("2025-12-22T00:00:00+00:00")),
                ("22/12/2025", Some("2025-12-22T00:00:00+00:00")),
                ("12/22/2025 3:15 PM", Some("2025-12-22T15:15:00+00:00")),
                ("12/22/25", None),
            ],
        );
        for lang in [
            "en-GB", "en_AU", "de", "de-AT", "fr-FR", "es", "it", "pt", "nl", "ru",
        ] {
            parse(
                &ctx(UTC, Some(lang)),
                &[
                    ("05/06/2025", Some("2025-06-05T00:00:00+00:00")),
                    ("12.11.2025", Some("2025-11-12T00:00:00+00:00")),
                    ("12/22/2025", Some("2025-12-22T00:00:00+00:00")),
                    ("31/04/2025", None),
                ],
            );
        }
        parse(
            &ctx(UTC, Some("en-CA")),
            &[
                ("05/06/2025", None),
                ("22/12/2025", Some("2025-12-22T00:00:00+00:00")),
            ],
        );
    }

    #[test]
    fn numeric_reading_in_the_future_is_impossible() {
        // On 2025-03-10, "05/03/2025" can only be 5 March (3 May is still to come).
        let c = DateContext {
            now: DateTime::parse_from_rfc3339("2025-03-10T00:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
            tz: UTC,
            lang: None,
        };
        parse(
            &c,
            &[
                ("05/03/2025", Some("2025-03-05T00:00:00+00:00")),
                ("03/05/2025", Some("2025-03-05T00:00:00+00:00")),
                ("02/03/2025", None),
            ],
        );
    }

    #[test]
    fn zone_abbreviations() {
        let c = ctx(UTC, None);
        let cases: Vec<(String, String)> = [
            ("UTC", "+00:00"),
            ("GMT", "+00:00"),
            ("UT", "+00:00"),
            ("JST", "+09:00"),
            ("KST", "+09:00"),
            ("CST", "-06:00"),
            ("CDT", "-05:00"),
            ("CET", "+01:00"),
            ("CEST", "+02:00"),
            ("MEZ", "+01:00"),
            ("MESZ", "+02:00"),
            ("EET", "+02:00"),
            ("EEST", "+03:00"),
            ("WET", "+00:00"),
            ("WEST", "+01:00"),
            ("BST", "+01:00"),
            ("IST", "+05:30"),
            ("EST", "-05:00"),
            ("EDT", "-04:00"),
            ("MST", "-07:00"),
            ("MDT", "-06:00"),
            ("PST", "-08:00"),
            ("PDT", "-07:00"),
            ("AKST", "-09:00"),
            ("HST", "-10:00"),
            ("NST", "-03:30"),
            ("AEST", "+10:00"),
            ("AEDT", "+11:00"),
            ("ACST", "+09:30"),
            ("AWST", "+08:00"),
            ("NZST", "+12:00"),
            ("NZDT", "+13:00"),
            ("HKT", "+08:00"),
            ("SGT", "+08:00"),
            ("MSK", "+03:00"),
            ("ET", "-05:00"),
            ("CT", "-06:00"),
            ("MT", "-07:00"),
            ("PT", "-08:00"),
            ("(JST)", "+09:00"),
            ("GMT+9", "+09:00"),
            ("GMT+09:00", "+09:00"),
            ("GMT+0900", "+09:00"),
            ("(GMT+09:00)", "+09:00"),
            ("UTC+05:30", "+05:30"),
            ("UTC-3", "-03:00"),
            ("GMT-03:00", "-03:00"),
            ("+0900", "+09:00"),
            ("-0330", "-03:30"),
            ("+09:00", "+09:00"),
        ]
        .iter()
        .map(|(z, off)| {
            (
                format!("2025-12-22 10:15 {z}"),
                format!("2025-12-22T10:15:00{off}"),
            )
        })
        .collect();
        let cases: Vec<Case> = cases
            .iter()
            .map(|(i, o)| (i.as_str(), Some(o.as_str())))
            .collect();
        parse(&c, &cases);
        // Unknown upper-case words are not zones; the time stays in the feed zone.
        parse(
            &c,
            &[
                ("2025-12-22 10:15 XYZ", Some("2025-12-22T10:15:00+00:00")),
                ("2025-12-22 10:15 CESTX", Some("2025-12-22T10:15:00+00:00")),
                (
                    "2025-12-22 10:15 +1 comment",
                    Some("2025-12-22T10:15:00+00:00"),
                ),
                ("2025-12-22 10:15 GMT+15", Some("2025-12-22T10:15:00+00:00")),
            ],
        );
        // CST is China Standard Time on Chinese pages.
        parse(
            &ctx(UTC, Some("zh-TW")),
            &[("2025-12-22 10:15 CST", Some("2025-12-22T10:15:00+08:00"))],
        );
    }

    #[test]
    fn us_zones_follow_daylight_saving() {
        parse(
            &ctx(UTC, Some("en-US")),
            &[
                ("Jul 4, 2025 10:15 ET", Some("2025-07-04T10:15:00-04:00")),
                ("Jan 4, 2025 10:15 ET", Some("2025-01-04T10:15:00-05:00")),
                ("Jul 4, 2025 10:15 PT", Some("2025-07-04T10:15:00-07:00")),
                ("Jan 4, 2025 10:15 PT", Some("2025-01-04T10:15:00-08:00")),
                ("Jul 4, 2025 10:15 CT", Some("2025-07-04T10:15:00-05:00")),
                ("Jul 4, 2025 10:15 MT", Some("2025-07-04T10:15:00-06:00")),
                (
                    "Dec 22, 2025, 10:15 a.m. ET",
                    Some("2025-12-22T10:15:00-05:00"),
                ),
                (
                    "March 9, 2025 3:30 AM ET",
                    Some("2025-03-09T03:30:00-04:00"),
                ),
                (
                    "March 9, 2025 1:30 AM ET",
                    Some("2025-03-09T01:30:00-05:00"),
                ),
                // Literal abbreviations are taken at their word.
                ("Jul 4, 2025 10:15 EST", Some("2025-07-04T10:15:00-05:00")),
            ],
        );
    }

    #[test]
    fn daylight_saving_gaps_and_repeats() {
        parse(
            &ctx(America::New_York, None),
            &[
                // 02:30 does not exist: the first valid time after the gap.
                ("2025-03-09 02:30", Some("2025-03-09T03:00:00-04:00")),
                ("2025-03-09 02:00", Some("2025-03-09T03:00:00-04:00")),
                ("2025-03-09 01:59", Some("2025-03-09T01:59:00-05:00")),
                ("2025-03-09 03:00", Some("2025-03-09T03:00:00-04:00")),
                // 01:30 happens twice: the earlier one.
                ("2025-11-02 01:30", Some("2025-11-02T01:30:00-04:00")),
                ("2025-11-02 02:30", Some("2025-11-02T02:30:00-05:00")),
                ("2025-03-09", Some("2025-03-09T00:00:00-05:00")),
                ("2025-11-02", Some("2025-11-02T00:00:00-04:00")),
                // An explicit offset is kept as given.
                (
                    "2025-03-09T02:30:00-05:00",
                    Some("2025-03-09T02:30:00-05:00"),
                ),
            ],
        );
        parse(
            &ctx(Europe::Berlin, None),
            &[
                ("2025-03-30 02:30", Some("2025-03-30T03:00:00+02:00")),
                ("2025-10-26 02:30", Some("2025-10-26T02:30:00+02:00")),
                ("2025-10-26 03:30", Some("2025-10-26T03:30:00+01:00")),
            ],
        );
        parse(
            &ctx(Australia_Sydney(), None),
            &[
                ("2025-10-05 02:30", Some("2025-10-05T03:00:00+11:00")),
                ("2025-04-06 02:30", Some("2025-04-06T02:30:00+11:00")),
                ("2025-12-22 10:15", Some("2025-12-22T10:15:00+11:00")),
            ],
        );
    }

    #[allow(non_snake_case)]
    fn Australia_Sydney() -> Tz {
        chrono_tz::Australia::Sydney
    }

    #[test]
    fn language_zones() {
        assert_eq!(language_zone("de"), Some(Europe::Berlin));
        assert_eq!(language_zone("de-AT"), Some(Europe::Berlin));
        assert_eq!(language_zone("ja"), Some(Asia::Tokyo));
        assert_eq!(language_zone("en-GB"), Some(Europe::London));
        assert_eq!(language_zone("fr_FR"), Some(Europe::Berlin));
        assert_eq!(language_zone("en"), None);
        assert_eq!(language_zone("fr-CA"), None);
        assert_eq!(language_zone("es"), None);
    }

    #[test]
    fn relative_english_utc() {
        parse(
            &ctx(UTC, Some("en")),
            &[
                ("3 hours ago", Some("2025-12-23T09:00:00+00:00")),
                ("3 Hours Ago", Some("2025-12-23T09:00:00+00:00")),
                ("3h ago", Some("2025-12-23T09:00:00+00:00")),
                ("3 hrs ago", Some("2025-12-23T09:00:00+00:00")),
                ("5 minutes ago", Some("2025-12-23T11:55:00+00:00")),
                ("5 mins ago", Some("2025-12-23T11:55:00+00:00")),
                ("5m ago", Some("2025-12-23T11:55:00+00:00")),
                ("1 minute ago", Some("2025-12-23T11:59:00+00:00")),
                ("a minute ago", Some("2025-12-23T11:59:00+00:00")),
                ("an hour ago", Some("2025-12-23T11:00:00+00:00")),
                ("about an hour ago", Some("2025-12-23T11:00:00+00:00")),
                ("one hour ago", Some("2025-12-23T11:00:00+00:00")),
                ("30 seconds ago", Some("2025-12-23T11:59:30+00:00")),
                ("2 days ago", Some("2025-12-21T00:00:00+00:00")),
                ("a day ago", Some("2025-12-22T00:00:00+00:00")),
                ("2d ago", Some("2025-12-21T00:00:00+00:00")),
                ("1 week ago", Some("2025-12-16T00:00:00+00:00")),
                ("2 weeks ago", Some("2025-12-09T00:00:00+00:00")),
                ("yesterday", Some("2025-12-22T00:00:00+00:00")),
                ("Yesterday", Some("2025-12-22T00:00:00+00:00")),
                ("Yesterday 10:15", Some("2025-12-22T10:15:00+00:00")),
                ("Yesterday at 3:15 pm", Some("2025-12-22T15:15:00+00:00")),
                ("Yesterday, 10:15 AM", Some("2025-12-22T10:15:00+00:00")),
                ("today", Some("2025-12-23T00:00:00+00:00")),
                ("Today 06:42", Some("2025-12-23T06:42:00+00:00")),
                ("Today 06:42 am JST", Some("2025-12-23T06:42:00+09:00")),
                ("Today 23:00", None),
                ("just now", Some("2025-12-23T12:00:00+00:00")),
                ("Just now", Some("2025-12-23T12:00:00+00:00")),
                ("moments ago", Some("2025-12-23T12:00:00+00:00")),
                ("3 months ago", None),
                ("2 years ago", None),
                ("1 year ago", None),
                ("3 mo ago", None),
                ("100000000 days ago", None),
                ("11000 days ago", Some("1995-11-11T00:00:00+00:00")),
                ("20000 days ago", None),
            ],
        );
    }

    #[test]
    fn relative_flags() {
        let c = ctx(UTC, None);
        assert_eq!(flags("3 hours ago", &c), Some((true, true)));
        assert_eq!(flags("2 days ago", &c), Some((false, true)));
        assert_eq!(flags("yesterday", &c), Some((false, true)));
        assert_eq!(flags("Yesterday 10:15", &c), Some((true, true)));
        assert_eq!(flags("just now", &c), Some((true, true)));
        assert_eq!(flags("2025-12-22", &c), Some((false, false)));
        assert_eq!(flags("2025-12-22T10:15:00Z", &c), Some((true, false)));
        assert_eq!(flags("22 Dec 2025 10:15", &c), Some((true, false)));
        assert_eq!(flags("1766398500", &c), Some((true, false)));
        let u = date_from_url("/2025/12/22/story", &c).map(|p| (p.has_time, p.relative));
        assert_eq!(u, Some((false, false)));
    }

    #[test]
    fn relative_in_tokyo() {
        // 12:00 UTC is 21:00 on 23 December in Tokyo.
        parse(
            &ctx(Asia::Tokyo, Some("ja")),
            &[
                ("3 hours ago", Some("2025-12-23T18:00:00+09:00")),
                ("yesterday", Some("2025-12-22T00:00:00+09:00")),
                ("2 days ago", Some("2025-12-21T00:00:00+09:00")),
                ("3時間前", Some("2025-12-23T18:00:00+09:00")),
                ("5分前", Some("2025-12-23T20:55:00+09:00")),
                ("30秒前", Some("2025-12-23T20:59:30+09:00")),
                ("2日前", Some("2025-12-21T00:00:00+09:00")),
                ("1週間前", Some("2025-12-16T00:00:00+09:00")),
                ("3ヶ月前", None),
                ("1年前", None),
                ("昨日", Some("2025-12-22T00:00:00+09:00")),
                ("今日", Some("2025-12-23T00:00:00+09:00")),
                ("本日", Some("2025-12-23T00:00:00+09:00")),
                ("一昨日", Some("2025-12-21T00:00:00+09:00")),
                ("昨日 10:15", Some("2025-12-22T10:15:00+09:00")),
                ("昨日 午後3時", Some("2025-12-22T15:00:00+09:00")),
                ("今日 06:42", Some("2025-12-23T06:42:00+09:00")),
            ],
        );
    }

    #[test]
    fn relative_european_languages() {
        parse(
            &ctx(Europe::Berlin, Some("de")),
            &[
                ("vor 2 Tagen", Some("2025-12-21T00:00:00+01:00")),
                ("vor 3 Stunden", Some("2025-12-23T10:00:00+01:00")),
                ("vor 1 Stunde", Some("2025-12-23T12:00:00+01:00")),
                ("vor einer Stunde", Some("2025-12-23T12:00:00+01:00")),
                ("vor einem Tag", Some("2025-12-22T00:00:00+01:00")),
                ("vor 5 Minuten", Some("2025-12-23T12:55:00+01:00")),
                ("vor 5 Min.", Some("2025-12-23T12:55:00+01:00")),
                ("vor 2 Wochen", Some("2025-12-09T00:00:00+01:00")),
                ("vor 3 Monaten", None),
                ("gestern", Some("2025-12-22T00:00:00+01:00")),
                ("Gestern, 10:15 Uhr", Some("2025-12-22T10:15:00+01:00")),
                ("heute", Some("2025-12-23T00:00:00+01:00")),
                ("Heute, 09:30", Some("2025-12-23T09:30:00+01:00")),
                ("vorgestern", Some("2025-12-21T00:00:00+01:00")),
                ("gerade eben", Some("2025-12-23T13:00:00+01:00")),
                ("hier", None),
            ],
        );
        parse(
            &ctx(Europe::Paris, Some("fr")),
            &[
                ("il y a 3 heures", Some("2025-12-23T10:00:00+01:00")),
                ("Il y a 3 h", Some("2025-12-23T10:00:00+01:00")),
                ("il y a une heure", Some("2025-12-23T12:00:00+01:00")),
                ("il y a 2 jours", Some("2025-12-21T00:00:00+01:00")),
                ("il y a 10 min", Some("2025-12-23T12:50:00+01:00")),
                ("il y a 2 ans", None),
                ("hier", Some("2025-12-22T00:00:00+01:00")),
                ("hier à 10h15", Some("2025-12-22T10:15:00+01:00")),
                ("aujourd'hui", Some("2025-12-23T00:00:00+01:00")),
                ("aujourd’hui à 08:00", Some("2025-12-23T08:00:00+01:00")),
                ("avant-hier", Some("2025-12-21T00:00:00+01:00")),
            ],
        );
        parse(
            &ctx(Europe::Madrid, Some("es")),
            &[
                ("hace 2 días", Some("2025-12-21T00:00:00+01:00")),
                ("hace 3 horas", Some("2025-12-23T10:00:00+01:00")),
                ("hace una hora", Some("2025-12-23T12:00:00+01:00")),
                ("hace 5 minutos", Some("2025-12-23T12:55:00+01:00")),
                ("hace 2 meses", None),
                ("ayer", Some("2025-12-22T00:00:00+01:00")),
                ("Ayer a las 10:15", Some("2025-12-22T10:15:00+01:00")),
                ("hoy", Some("2025-12-23T00:00:00+01:00")),
                ("anteayer", Some("2025-12-21T00:00:00+01:00")),
            ],
        );
        parse(
            &ctx(Europe::Rome, Some("it")),
            &[
                ("3 ore fa", Some("2025-12-23T10:00:00+01:00")),
                ("un'ora fa", Some("2025-12-23T12:00:00+01:00")),
                ("2 giorni fa", Some("2025-12-21T00:00:00+01:00")),
                ("ieri", Some("2025-12-22T00:00:00+01:00")),
                ("oggi", Some("2025-12-23T00:00:00+01:00")),
            ],
        );
        parse(
            &ctx(Europe::Lisbon, Some("pt")),
            &[
                ("há 2 dias", Some("2025-12-21T00:00:00+00:00")),
                ("há 3 horas", Some("2025-12-23T09:00:00+00:00")),
                ("2 horas atrás", Some("2025-12-23T10:00:00+00:00")),
                ("ontem", Some("2025-12-22T00:00:00+00:00")),
                ("hoje", Some("2025-12-23T00:00:00+00:00")),
            ],
        );
        parse(
            &ctx(Europe::Amsterdam, Some("nl")),
            &[
                ("2 uur geleden", Some("2025-12-23T11:00:00+01:00")),
                ("3 dagen geleden", Some("2025-12-20T00:00:00+01:00")),
                ("een uur geleden", Some("2025-12-23T12:00:00+01:00")),
                ("gisteren", Some("2025-12-22T00:00:00+01:00")),
                ("vandaag", Some("2025-12-23T00:00:00+01:00")),
                ("hier", None),
            ],
        );
        parse(
            &ctx(Europe::Moscow, Some("ru")),
            &[
                ("3 часа назад", Some("2025-12-23T12:00:00+03:00")),
                ("час назад", Some("2025-12-23T14:00:00+03:00")),
                ("5 минут назад", Some("2025-12-23T14:55:00+03:00")),
                ("минуту назад", Some("2025-12-23T14:59:00+03:00")),
                ("2 дня назад", Some("2025-12-21T00:00:00+03:00")),
                ("5 дней назад", Some("2025-12-18T00:00:00+03:00")),
                ("вчера", Some("2025-12-22T00:00:00+03:00")),
                ("вчера в 10:15", Some("2025-12-22T10:15:00+03:00")),
                ("сегодня", Some("2025-12-23T00:00:00+03:00")),
                ("3 года назад", None),
            ],
        );
    }

    #[test]
    fn relative_chinese_and_korean() {
        parse(
            &ctx(Asia::Shanghai, Some("zh")),
            &[
                ("3小时前", Some("2025-12-23T17:00:00+08:00")),
                ("3个小时前", Some("2025-12-23T17:00:00+08:00")),
                ("三小时前", Some("2025-12-23T17:00:00+08:00")),
                ("半小时前", Some("2025-12-23T19:30:00+08:00")),
                ("5分钟前", Some("2025-12-23T19:55:00+08:00")),
                ("十五分钟前", Some("2025-12-23T19:45:00+08:00")),
                ("三天前", Some("2025-12-20T00:00:00+08:00")),
                ("2周前", Some("2025-12-09T00:00:00+08:00")),
                ("3个月前", None),
                ("昨天", Some("2025-12-22T00:00:00+08:00")),
                ("今天", Some("2025-12-23T00:00:00+08:00")),
                ("前天", Some("2025-12-21T00:00:00+08:00")),
                ("昨天 10:15", Some("2025-12-22T10:15:00+08:00")),
                ("今天 下午3点", Some("2025-12-23T15:00:00+08:00")),
                ("刚刚", Some("2025-12-23T20:00:00+08:00")),
                ("3 小時前", Some("2025-12-23T17:00:00+08:00")),
            ],
        );
        parse(
            &ctx(Asia::Seoul, Some("ko")),
            &[
                ("3시간 전", Some("2025-12-23T18:00:00+09:00")),
                ("5분 전", Some("2025-12-23T20:55:00+09:00")),
                ("2일 전", Some("2025-12-21T00:00:00+09:00")),
                ("1주 전", Some("2025-12-16T00:00:00+09:00")),
                ("3개월 전", None),
                ("어제", Some("2025-12-22T00:00:00+09:00")),
                ("오늘", Some("2025-12-23T00:00:00+09:00")),
                ("어제 오후 3:15", Some("2025-12-22T15:15:00+09:00")),
                ("방금", Some("2025-12-23T21:00:00+09:00")),
            ],
        );
    }

    #[test]
    fn rejects_impossible_and_out_of_range_dates() {
        let cases: &[Case] = &[
            ("2025-12-24", None),
            ("2025-12-23T13:59:00Z", Some("2025-12-23T13:59:00+00:00")),
            ("2025-12-23T14:00:00Z", Some("2025-12-23T14:00:00+00:00")),
            ("2025-12-23T14:01:00Z", None),
            ("2026-01-01", None),
            ("2099-01-01", None),
            ("9999-12-31", None),
            ("1994-12-31", None),
            ("1995-01-01", Some("1995-01-01T00:00:00+00:00")),
            ("0000-01-01", None),
            ("0000-01-01T00:00:00Z", None),
            ("31 February 2025", None),
            ("February 31, 2025", None),
            ("30.02.2025", None),
            ("2025-02-29", None),
            ("2024-02-29", Some("2024-02-29T00:00:00+00:00")),
            ("2025-13-01", None),
            ("2025-12-32", None),
            ("2025-00-10", None),
            ("2025-12-00", None),
            ("0 December 2025", None),
            ("32 December 2025", None),
            ("2025-12-22T24:00:00Z", None),
            ("2025-12-22 25:10", None),
            ("2025-12-22 10:61", None),
            ("Dec 22, 2025 13:00 am", None),
            ("31 Feb", None),
            ("12月32日", None),
            ("2025年13月1日", None),
        ];
        parse(&ctx(UTC, None), cases);
        find(&ctx(UTC, None), cases);
    }

    #[test]
    fn not_dates() {
        let cases: &[Case] = &[
            ("", None),
            ("   ", None),
            ("No date here", None),
            ("version 2.10.3", None),
            ("Version 2.10.2023", None),
            ("v2.10.2023", None),
            ("v2025.01.15", None),
            ("release 1.12.2024", None),
            ("1.2.3", None),
            ("192.168.1.1", None),
            ("10.0.12.2025", None),
            ("call 555-1234", None),
            ("+1 555-123-4567", None),
            ("(03) 1234-5678", None),
            ("+49 30 12345678", None),
            ("Tel. 01.23.45.67.89", None),
            ("$12.50", None),
            ("€ 1.234,56", None),
            ("12.5%", None),
            ("3.5 stars", None),
            ("10:15", None),
            ("10:15:30", None),
            ("open 9:00–17:00", None),
            ("12/22", None),
            ("22.12.", None),
            ("2025", None),
            ("© 2025 Example Inc.", None),
            ("December 2025", None),
            ("Mär 2025", None),
            ("Page 3 of 12", None),
            ("ISBN 978-3-16-148410-0", None),
            ("1920x1080", None),
            ("Order #20251222", None),
            ("12345678901234567890", None),
            ("22 December 20251", None),
            ("3 days", None),
            ("hours ago", None),
            ("3 ago", None),
            ("Subscribe today!", None),
            ("I was there yesterday with friends", None),
            ("今日は良い天気です", None),
            ("Top 10 stories of the day", None),
            ("5 may be enough", None),
            ("we may 22 times", None),
        ];
        parse(&ctx(UTC, None), cases);
        find(&ctx(UTC, None), cases);
        find(
            &ctx(UTC, Some("de")),
            &[("Klicken Sie hier", None), ("Mehr dazu hier.", None)],
        );
    }

    #[test]
    fn find_date_in_sentences() {
        find(
            &ctx(UTC, Some("en")),
            &[
                (
                    "Published 22 December 2025, 10:15 — updated 23 December 2025",
                    Some("2025-12-22T10:15:00+00:00"),
                ),
                (
                    "Updated: 23 Dec 2025 | Published: 22 Dec 2025",
                    Some("2025-12-22T00:00:00+00:00"),
                ),
                (
                    "Last updated 23 Dec 2025 (first posted 20 Dec 2025)",
                    Some("2025-12-20T00:00:00+00:00"),
                ),
                ("Updated 23 Dec 2025", Some("2025-12-23T00:00:00+00:00")),
                (
                    "Updated 23 Dec 2025. The 2020-01-05 report said so.",
                    Some("2025-12-23T00:00:00+00:00"),
                ),
                (
                    "Posted on Monday, December 22, 2025 by admin",
                    Some("2025-12-22T00:00:00+00:00"),
                ),
                (
                    "By Jane Doe · 3 hours ago",
                    Some("2025-12-23T09:00:00+00:00"),
                ),
                (
                    "Last updated 2 hours ago",
                    Some("2025-12-23T10:00:00+00:00"),
                ),
                ("Posted yesterday", Some("2025-12-22T00:00:00+00:00")),
                (
                    "Posted yesterday by Jane",
                    Some("2025-12-22T00:00:00+00:00"),
                ),
                (
                    "Published today by the editors",
                    Some("2025-12-23T00:00:00+00:00"),
                ),
                ("Posted just now", Some("2025-12-23T12:00:00+00:00")),
                (
                    "Price: $12.50 — sale ended 22 December 2025",
                    Some("2025-12-22T00:00:00+00:00"),
                ),
                (
                    "Version 2.10.3 released on 2025-12-20",
                    Some("2025-12-20T00:00:00+00:00"),
                ),
                ("Release 2025-12-20", Some("2025-12-20T00:00:00+00:00")),
                (
                    "Call 555-1234 before 22.12.2025",
                    Some("2025-12-22T00:00:00+00:00"),
                ),
                ("Event on 12/05/2025 and more", None),
                (
                    "At 10:15 AM · Dec 22, 2025",
                    Some("2025-12-22T10:15:00+00:00"),
                ),
                ("10:15 May 22, 2025", Some("2025-05-22T10:15:00+00:00")),
                (
                    "Posted 22 Dec 2025 10:15-11:30",
                    Some("2025-12-22T10:15:00+00:00"),
                ),
                (
                    "<time>2025-12-22T10:15:00+09:00</time> 3 comments",
                    Some("2025-12-22T10:15:00+09:00"),
                ),
                (
                    "Written by John Smith on 22 December 2025 at 10:15 in News",
                    Some("2025-12-22T10:15:00+00:00"),
                ),
                (
                    "Chapter 12 (22 Dec 2025)",
                    Some("2025-12-22T00:00:00+00:00"),
                ),
                (
                    "Posted 31 February 2025, corrected 1 March 2025",
                    Some("2025-03-01T00:00:00+00:00"),
                ),
                (
                    "Dec 22, 2025 - Dec 28, 2025",
                    Some("2025-12-22T00:00:00+00:00"),
                ),
            ],
        );
        find(
            &ctx(Europe::Berlin, Some("de")),
            &[
                (
                    "Veröffentlicht am 22.12.2025 um 10:15 Uhr",
                    Some("2025-12-22T10:15:00+01:00"),
                ),
                (
                    "Aktualisiert am 23.12.2025, veröffentlicht am 22.12.2025",
                    Some("2025-12-22T00:00:00+01:00"),
                ),
                (
                    "Erschienen: 22. Dezember 2025",
                    Some("2025-12-22T00:00:00+01:00"),
                ),
                (
                    "Stand: 22.12.2025 10:15 Uhr",
                    Some("2025-12-22T10:15:00+01:00"),
                ),
            ],
        );
        find(
            &ctx(Asia::Tokyo, Some("ja")),
            &[
                (
                    "公開日：2025年12月22日 更新日：2025年12月23日",
                    Some("2025-12-22T00:00:00+09:00"),
                ),
                (
                    "更新日：2025年12月23日 公開日：2025年12月22日",
                    Some("2025-12-22T00:00:00+09:00"),
                ),
                (
                    "投稿日時 2025/12/22 10:15",
                    Some("2025-12-22T10:15:00+09:00"),
                ),
                ("価格は1,980円です", None),
            ],
        );
        find(
            &ctx(Europe::Paris, Some("fr")),
            &[
                (
                    "Publié le 22 décembre 2025 à 10h15",
                    Some("2025-12-22T10:15:00+01:00"),
                ),
                (
                    "Mis à jour le 23/12/2025, publié le 22/12/2025",
                    Some("2025-12-22T00:00:00+01:00"),
                ),
                ("Publié hier", Some("2025-12-22T00:00:00+01:00")),
            ],
        );
    }

    #[test]
    fn awkward_shapes() {
        find(
            &ctx(UTC, Some("en")),
            &[
                ("2 hours, 30 minutes ago", None),
                ("2 hours 30 minutes ago", None),
                ("1 day and 3 hours ago", None),
                ("1.5 hours ago", None),
                (
                    "22\u{a0}December\u{a0}2025",
                    Some("2025-12-22T00:00:00+00:00"),
                ),
                (
                    r#"{"datePublished":"2025-12-22T10:15:00+09:00"}"#,
                    Some("2025-12-22T10:15:00+09:00"),
                ),
                (
                    "2025-12-22T10:15:00+09:00[Asia/Tokyo]",
                    Some("2025-12-22T10:15:00+09:00"),
                ),
                (
                    "Dec 22, 2025 10:15 AM GMT+9",
                    Some("2025-12-22T10:15:00+09:00"),
                ),
                (
                    "22 Dec 2025 10:15:00 +0000 (UTC)",
                    Some("2025-12-22T10:15:00+00:00"),
                ),
                (
                    "2025-12-22T10:15:00.000+09:00",
                    Some("2025-12-22T10:15:00+09:00"),
                ),
                ("22.12.2025\n10:15", Some("2025-12-22T10:15:00+00:00")),
                ("Yesterday 10 am", Some("2025-12-22T10:00:00+00:00")),
                ("10:15h, 22 Dec 2025", Some("2025-12-22T10:15:00+00:00")),
                ("22 Dec 2025 10h15min", Some("2025-12-22T10:15:00+00:00")),
                (
                    "22 Dec 2025 10 hours later",
                    Some("2025-12-22T00:00:00+00:00"),
                ),
                ("In 22 Marketing 2025 tips", None),
                ("hierarchy of needs", None),
                ("todays", None),
                (
                    "see https://example.com/2025/12/22/story",
                    Some("2025-12-22T00:00:00+00:00"),
                ),
            ],
        );
        parse(
            &ctx(UTC, None),
            &[
                (
                    "Published: 22 December 2025",
                    Some("2025-12-22T00:00:00+00:00"),
                ),
                ("Updated: 2025-12-22", Some("2025-12-22T00:00:00+00:00")),
                ("Date: 12/22/2025", Some("2025-12-22T00:00:00+00:00")),
                ("<b>22 Dec 2025</b>", Some("2025-12-22T00:00:00+00:00")),
            ],
        );
    }

    #[test]
    fn urls() {
        url(
            &ctx(UTC, None),
            &[
                ("/2025/12/22/some-story", Some("2025-12-22T00:00:00+00:00")),
                ("/2025/12/22", Some("2025-12-22T00:00:00+00:00")),
                (
                    "/news/2025-12-22-some-story",
                    Some("2025-12-22T00:00:00+00:00"),
                ),
                (
                    "/news/2025-12-22/some-story",
                    Some("2025-12-22T00:00:00+00:00"),
                ),
                ("/blog/20251222/story", Some("2025-12-22T00:00:00+00:00")),
                (
                    "/blog/20251222-story.html",
                    Some("2025-12-22T00:00:00+00:00"),
                ),
                (
                    "https://example.com/2025/12/22/story.html",
                    Some("2025-12-22T00:00:00+00:00"),
                ),
                ("/world/2025/dec/22/slug", Some("2025-12-22T00:00:00+00:00")),
                ("/p/2025_12_22_title", Some("2025-12-22T00:00:00+00:00")),
                ("/2025/1/5/", Some("2025-01-05T00:00:00+00:00")),
                ("/a/b/2024/02/29/x", Some("2024-02-29T00:00:00+00:00")),
                ("/2025/12/story", None),
                ("/2025/13/40/", None),
                ("/2025/02/30/", None),
                ("/products/12345678/", None),
                ("/1920/1080/22/", None),
                ("/2025/12/24/", None),
                ("/2025-12/22/", None),
                ("/id/2025122212/", None),
                ("/v2025-12-22/", None),
                ("/story-123", None),
                ("", None),
            ],
        );
        url(
            &ctx(Asia::Tokyo, None),
            &[("/2025/12/22/x", Some("2025-12-22T00:00:00+09:00"))],
        );
    }

    #[test]
    fn first_date_wins_without_labels() {
        find(
            &ctx(UTC, None),
            &[
                (
                    "2025-12-20 and 2025-12-21",
                    Some("2025-12-20T00:00:00+00:00"),
                ),
                ("3 hours ago, 2025-12-01", Some("2025-12-23T09:00:00+00:00")),
                (
                    "2026-01-01 then 2025-12-01",
                    Some("2025-12-01T00:00:00+00:00"),
                ),
            ],
        );
    }

    #[test]
    fn long_texts_without_dates_are_cheap_and_empty() {
        let words = "lorem ipsum dolor sit amet consectetur ".repeat(2000);
        assert_eq!(find_date(&words, &ctx(UTC, None)), None);
        let numbers = "item 12.50 qty 3 ref 555-1234 v1.2.3 ".repeat(1000);
        assert_eq!(find_date(&numbers, &ctx(UTC, None)), None);
        let tail = format!("{numbers} published 22 Dec 2025");
        assert_eq!(
            find_date(&tail, &ctx(UTC, None)).map(|p| p.value.to_rfc3339()),
            Some("2025-12-22T00:00:00+00:00".to_string())
        );
    }

    #[test]
    fn helpers() {
        assert_eq!(cjk_number("三"), Some(3));
        assert_eq!(cjk_number("十"), Some(10));
        assert_eq!(cjk_number("十五"), Some(15));
        assert_eq!(cjk_number("二十三"), Some(23));
        assert_eq!(cjk_number("两"), Some(2));
        assert_eq!(cjk_number("三三"), None);
        assert_eq!(numeric_order(Some("en-US")), Order::MonthFirst);
        assert_eq!(numeric_order(Some("en_us")), Order::MonthFirst);
        assert_eq!(numeric_order(Some("en-GB")), Order::DayFirst);
        assert_eq!(numeric_order(Some("en")), Order::Unknown);
        assert_eq!(numeric_order(Some("de-CH")), Order::DayFirst);
        assert_eq!(numeric_order(Some("ja")), Order::Unknown);
        assert_eq!(numeric_order(Some("xx")), Order::Unknown);
        assert_eq!(numeric_order(None), Order::Unknown);
        assert_eq!(tail("abcdef", 3), "def");
        assert_eq!(tail("ab", 3), "ab");
        assert_eq!(tail("日本語です", 2), "です");
        assert_eq!(normalize("２０２５：ａ"), "2025:a");
        assert!(matches!(normalize("2025"), Cow::Borrowed(_)));
    }
}
