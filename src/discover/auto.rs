//! Automatic item detection on a listing page with no selectors.
//!
//! Contract: given a parsed listing page, return its items in page order, the way a
//! person looking at the page would list them: every item once, with an absolute link
//! on the page's own site and whatever title, date, author and summary the list shows.
//! Pure and bounded: one walk over the elements, grouping through hash maps, no I/O.
//! It must not follow links, must not key any rule to one site's class names or URLs,
//! and returns an empty list (not a guess) when nothing looks like a list.
//!
//! How it works, in stages:
//!
//! 1. **Index.** One depth-first walk numbers the elements in document order and gives
//!    each a *structural path*: a hash of the tag and first stable class of the element
//!    and of all its ancestors. Elements in navigation, site headers and footers,
//!    sidebars, pagination, share bars, comment sections and similar zones are marked.
//! 2. **Candidates.** Every `a[href]` outside those zones that resolves to a page of the
//!    same site (registrable host; `file:` pages see `canonical`/`og:url`) and is not a
//!    login, tag, author, pagination, feed or download link.
//! 3. **Groups.** Candidate links with the same structural path are the repeated
//!    siblings of one list. Each link gets a *block*: the largest ancestor that holds no
//!    other link of its group and stays small (it stops at `article`, `li`, `tr`).
//! 4. **Score.** Per group: title length, headline tags, dates near the link,
//!    `<article>`/h-entry/schema.org markup, URLs that look like items (date paths,
//!    numeric ids, long slugs) and agree on one shape; minus links inside running text,
//!    navigation-like links and repeated link texts. Score = quality × ln(1 + items).
//! 5. **Combine.** The best group, plus the groups of similar quality whose URLs share
//!    its shape (a lead story and a grid are different structures of one list), in
//!    document order. A JSON-LD or microdata `ItemList` naming the items wins over the
//!    markup unless the markup shows a clear superset.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html, Node};
use url::Url;

use super::{canonical_link, ListedItem};
use crate::extract::date::{find_date, parse_date, DateContext, ParsedDate};
use crate::text::{clean, clean_opt, is_cjk, word_count};

/// What automatic detection found.
pub struct Detected {
    /// Items in page order.
    pub items: Vec<ListedItem>,
    /// How they were found.
    pub method: String,
}

/// Smallest quality a group must reach to count as a list at all.
const MIN_QUALITY: f32 = 4.0;
/// Quality a two-item group needs; three or more items need [`MIN_QUALITY`].
const MIN_QUALITY_PAIR: f32 = 6.5;
/// A further group joins the best one when its quality is at least this share of the
/// best's (and its URLs share the best's shape).
const MERGE_QUALITY_SHARE: f32 = 0.65;
/// A block holds at most this many distinct candidate URLs (its own, a section link,
/// a few topic links); beyond that it has swallowed neighbouring items.
const MAX_BLOCK_URLS: usize = 5;
/// Text scanned per block for date-like text.
const MAX_SCAN_CHARS: usize = 3000;
/// Shortest summary, in characters (CJK characters count double).
const MIN_SUMMARY_CHARS: usize = 40;
/// A declared `ItemList` needs at least this many same-site URLs to be used.
const MIN_DECLARED: usize = 3;

/// Finds the list of items on a page.
pub fn detect(html: &Html, base: &Url, ctx: &DateContext) -> Detected {
    detect_allowing(html, base, ctx, &[])
}

/// [`detect`], counting links to `allow_hosts` (and their subdomains) as the page's
/// own site too: the config's `allow_hosts`, for a site whose articles live on another
/// host.
pub fn detect_allowing(
    html: &Html,
    base: &Url,
    ctx: &DateContext,
    allow_hosts: &[String],
) -> Detected {
    let page_lang = html.root_element().value().attr("lang");
    let ctx = DateContext {
        lang: ctx.lang.or(page_lang),
        ..*ctx
    };
    let mut site = Site::new(html, base);
    site.allowed = allow_hosts.to_vec();
    let dom = Dom::build(html);
    let cands = candidates(&dom, base, &site);
    let analysis = Analysis::run(&dom, base, &cands);
    let from_dom = analysis.choose();
    if let Some(declared) = declared_list(html, base, &site) {
        if !markup_supersedes(&declared, from_dom.as_ref(), &cands) {
            return from_declared(declared, &analysis, &ctx);
        }
    }
    match from_dom {
        Some(choice) => Detected {
            items: choice
                .members
                .iter()
                .map(|m| analysis.extract(m, &ctx))
                .collect(),
            method: choice.method,
        },
        None => Detected {
            items: Vec::new(),
            method: "auto: nothing looks like a list".into(),
        },
    }
}

/// Whether the markup's list should win over a declared `ItemList`: only when it shows
/// (nearly) every declared item and clearly more, i.e. the declaration is partial (a
/// carousel, the first page of results).
fn markup_supersedes(declared: &Declared, from_dom: Option<&Choice>, cands: &[Cand]) -> bool {
    let Some(choice) = from_dom else {
        return false;
    };
    let dom_urls: HashSet<&str> = choice
        .members
        .iter()
        .map(|m| cands[m.cand].url.as_str())
        .collect();
    let list = &declared.0;
    let covered = list
        .iter()
        .filter(|(u, _)| dom_urls.contains(u.as_str()))
        .count();
    covered * 10 >= list.len() * 9 && dom_urls.len() * 2 >= list.len() * 3
}

/// Items in the declared order, with the fields the markup shows for each link.
fn from_declared(declared: Declared, analysis: &Analysis, ctx: &DateContext) -> Detected {
    let (list, kind) = declared;
    let items: Vec<ListedItem> = list
        .into_iter()
        .map(|(url, name)| {
            let mut item = match analysis.member_for(url.as_str()) {
                Some(m) => analysis.extract(m, ctx),
                None => ListedItem {
                    link: url.clone(),
                    title: None,
                    date: None,
                    author: None,
                    summary: None,
                },
            };
            item.link = url;
            item.title = item.title.or(name);
            item
        })
        .collect();
    let method = format!("auto: {kind} ItemList ({} items)", items.len());
    Detected { items, method }
}

/// One group of repeated links as the detector scored it, for `pagefeed check`.
#[derive(Debug, Clone)]
pub struct CandidateGroup {
    /// `tag.class` of the group's item blocks (the most common one).
    pub block: String,
    /// Distinct links in the group.
    pub items: usize,
    /// Per-item quality (title length, headlines, dates, markup, URL shape, …).
    pub quality: f32,
    /// Quality × ln(1 + items): what the groups are ranked by.
    pub score: f32,
    /// The first few links with their titles.
    pub sample: Vec<(Url, Option<String>)>,
}

/// The page's groups of repeated links, best first (at most `limit`), to show why
/// detection chose what it chose or found nothing.
pub fn explain(html: &Html, base: &Url, limit: usize) -> Vec<CandidateGroup> {
    let site = Site::new(html, base);
    let dom = Dom::build(html);
    let cands = candidates(&dom, base, &site);
    let analysis = Analysis::run(&dom, base, &cands);
    let mut groups: Vec<&Group> = analysis.groups.iter().collect();
    groups.sort_by(|a, b| b.score.total_cmp(&a.score));
    groups
        .into_iter()
        .take(limit)
        .map(|g| CandidateGroup {
            block: analysis.block_signature(&g.members),
            items: g.members.len(),
            quality: g.quality,
            score: g.score,
            sample: g
                .members
                .iter()
                .take(3)
                .map(|m| (cands[m.cand].url.clone(), m.title.clone()))
                .collect(),
        })
        .collect()
}

// ---------------------------------------------------------------------------------
// Stage 1: the element index.

/// One element of the page, numbered in document order.
struct El<'a> {
    el: ElementRef<'a>,
    parent: Option<usize>,
    /// One past the last descendant: the subtree is `index..end`.
    end: usize,
    /// Hash of the tag + stable class of this element and all its ancestors.
    path: u64,
    /// The previous element sibling.
    prev: Option<usize>,
    /// Some strict ancestor is an item-like element (article, li, tr, …).
    in_item: bool,
    /// A tag or role that is never content: nav, aside, site header/footer, hidden.
    zone_hard: bool,
    /// Class or id says navigation, sidebar, footer, share bar, …
    zone_soft: bool,
}

struct Dom<'a> {
    els: Vec<El<'a>>,
}

impl<'a> Dom<'a> {
    fn build(html: &'a Html) -> Dom<'a> {
        let mut els: Vec<El<'a>> = Vec::new();
        let mut stack: Vec<(ElementRef<'a>, Option<usize>)> = vec![(html.root_element(), None)];
        let mut rail_headings = Vec::new();
        while let Some((el, parent)) = stack.pop() {
            let idx = els.len();
            let name = el.value().name();
            let (ppath, p_in_item, p_itemish) = match parent.and_then(|p| els.get(p)) {
                Some(p) => (p.path, p.in_item, is_itemish(p.el)),
                None => (0, false, false),
            };
            let in_item = p_in_item || p_itemish;
            let mut h = DefaultHasher::new();
            ppath.hash(&mut h);
            name.hash(&mut h);
            stable_class(el).hash(&mut h);
            if is_heading(el) && is_rail_heading(el) {
                // The box this heading titles ("Most read", "Related") is a rail, and
                // so is the list right after it in flat markup.
                if let Some(p) = parent
                    .filter(|&p| !matches!(els[p].el.value().name(), "body" | "main" | "html"))
                {
                    els[p].zone_soft = true;
                }
                rail_headings.push(idx);
            }
            els.push(El {
                el,
                parent,
                end: idx + 1,
                prev: None,
                path: h.finish(),
                in_item,
                zone_hard: is_hard_zone(el, in_item),
                zone_soft: is_soft_zone(el),
            });
            if matches!(name, "script" | "style" | "template" | "noscript" | "svg") {
                continue;
            }
            let children: Vec<ElementRef<'a>> =
                el.children().filter_map(ElementRef::wrap).collect();
            for c in children.into_iter().rev() {
                stack.push((c, Some(idx)));
            }
        }
        for i in (0..els.len()).rev() {
            if let Some(p) = els[i].parent {
                let e = els[i].end;
                if e > els[p].end {
                    els[p].end = e;
                }
            }
        }
        for i in 0..els.len() {
            if let Some(p) = els[i].parent {
                let j = els[i].end;
                if j < els[p].end {
                    els[j].prev = Some(i);
                }
            }
        }
        let mut dom = Dom { els };
        for h in rail_headings {
            if let Some(next) = dom.next_sibling(h) {
                dom.els[next].zone_soft = true;
            }
        }
        dom
    }

    fn tag(&self, i: usize) -> &str {
        self.els[i].el.value().name()
    }

    /// The next element sibling: in document order it starts where this subtree ends.
    fn next_sibling(&self, i: usize) -> Option<usize> {
        let p = self.els[i].parent?;
        let j = self.els[i].end;
        (j < self.els[p].end).then_some(j)
    }

    fn prev_sibling(&self, i: usize) -> Option<usize> {
        self.els[i].prev
    }

    /// Whether `inner` is `outer` or inside it.
    fn contains(&self, outer: usize, inner: usize) -> bool {
        outer <= inner && inner < self.els[outer].end
    }
}

/// Elements that hold one item each in common list markup.
fn is_itemish(el: ElementRef) -> bool {
    matches!(el.value().name(), "article" | "li" | "tr" | "td" | "dd")
        || el
            .value()
            .classes()
            .any(|c| c.eq_ignore_ascii_case("h-entry") || c.eq_ignore_ascii_case("hentry"))
}

/// Where a block stops growing: one item's natural container.
fn is_boundary(el: ElementRef) -> bool {
    let v = el.value();
    matches!(v.name(), "article" | "li" | "tr")
        || v.classes()
            .any(|c| c.eq_ignore_ascii_case("h-entry") || c.eq_ignore_ascii_case("hentry"))
        || (v.attr("itemscope").is_some()
            && v.attr("itemtype").is_some_and(|t| !t.contains("ItemList")))
}

fn is_hard_zone(el: ElementRef, in_item: bool) -> bool {
    let v = el.value();
    let name = v.name();
    if matches!(name, "nav" | "aside" | "dialog" | "menu") {
        return true;
    }
    // A header or footer inside an article is the item's own; outside it is the site's.
    if matches!(name, "header" | "footer") && !in_item {
        return true;
    }
    if let Some(role) = v.attr("role") {
        let role = role.to_ascii_lowercase();
        if matches!(
            role.as_str(),
            "navigation"
                | "complementary"
                | "banner"
                | "contentinfo"
                | "search"
                | "menu"
                | "menubar"
        ) {
            return true;
        }
    }
    if v.attr("hidden").is_some() || v.attr("aria-hidden") == Some("true") {
        return true;
    }
    v.attr("style").is_some_and(|s| {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

/// Words of class and id names that mark a zone which never holds the page's items.
#[rustfmt::skip]
const ZONE_WORDS: &[&str] = &[
    "nav", "navbar", "navigation", "gnav", "menu", "menus", "megamenu", "submenu",
    "dropdown", "breadcrumb", "breadcrumbs", "crumbs", "footer", "masthead", "topbar",
    "toolbar", "sidebar", "pagination", "pager", "paging", "share", "sharing", "social",
    "sns", "tagcloud", "tags", "comments", "comment", "login", "signin", "account",
    "popular", "trending", "ranking", "related", "recommended", "recommend", "newsletter",
    "subscribe", "skip", "cookie", "cookies", "consent", "ad", "ads", "advert",
    "advertisement", "sponsor", "sponsored", "promo", "language", "languages", "search",
    "filter", "filters", "toc",
];

/// Words that name a zone only as the first word of a class: a WordPress sidebar's
/// `widget_recent_entries`, but not a page builder's `elementor-widget` around
/// everything.
const ZONE_FIRST_WORDS: &[&str] = &["widget", "widgets"];

static RAIL_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
          (?:the\s+)?most\s+(?:read|popular|viewed|shared|commented|emailed|recent\s+comments)\b
        | (?:popular|trending|recommended|related|featured\s+partners|sponsored)\b
        | (?:editor|editors)\W*s?\W*(?:picks|choice)\b | (?:our\s+)?picks\b
        | (?:you\s+(?:may|might)\s+also\s+like|read\s+next|don\W?t\s+miss|around\s+the\s+web)\b
        | (?:recent\s+comments|archives|tags|categories|tag\s+cloud|follow\s+us|share\s+this)\b
        | meistgelesen | beliebt | empfohlen | les\s+plus\s+lus | lo\s+m[aá]s\s+le[ií]do | m[aá]s\s+le[ií]dos
        | .*(?:ランキング|人気|関連|おすすめ|よく読まれ)
        )",
    )
    .expect("static regex")
});

fn is_rail_heading(el: ElementRef) -> bool {
    let text: String = el.text().collect::<String>();
    let text = clean(&text);
    !text.is_empty() && text.chars().count() <= 60 && RAIL_HEADING.is_match(&text)
}

/// Class and id tokens that name such a zone once their separators are dropped.
#[rustfmt::skip]
const ZONE_COMPOUNDS: &[&str] = &[
    "mostread", "mostpopular", "mostviewed", "mostshared", "mostcommented", "readnext",
    "tagcloud", "sitemap",
];

fn is_soft_zone(el: ElementRef) -> bool {
    if matches!(el.value().name(), "html" | "body" | "main") {
        return false;
    }
    let v = el.value();
    let tokens = v.classes().chain(v.id());
    for token in tokens {
        let words = token_words(token);
        if words.is_empty() {
            continue;
        }
        // "has-sidebar", "layout-with-sidebar", "no-comments" describe a layout, not
        // the element itself.
        if words
            .iter()
            .any(|w| matches!(w.as_str(), "has" | "with" | "no" | "without" | "is"))
        {
            continue;
        }
        let joined: String = words.concat();
        if ZONE_COMPOUNDS.contains(&joined.as_str()) {
            return true;
        }
        let first = words.first().map(String::as_str).unwrap_or("");
        let last = words.last().map(String::as_str).unwrap_or("");
        if ZONE_WORDS.contains(&first)
            || ZONE_WORDS.contains(&last)
            || ZONE_FIRST_WORDS.contains(&first)
        {
            return true;
        }
    }
    false
}

/// Splits a class or id name into lowercase words at `-`, `_`, `:` and camelCase.
fn token_words(token: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in token.chars() {
        if matches!(c, '-' | '_' | ':' | '.' | '/') {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// Words that say what state an element is in, not what it is.
#[rustfmt::skip]
const STATE_WORDS: &[&str] = &[
    "active", "current", "selected", "first", "last", "odd", "even", "alt", "hidden",
    "visible", "open", "closed", "new", "sticky", "pinned", "featured", "read", "unread",
    "clearfix", "js", "is", "has",
];

/// The first class that names what the element is: no digits (ids, grid columns), no
/// BEM modifier, no state word. Items of one list share it even when their other
/// classes differ (WordPress adds `post-123 category-news` to each post).
fn stable_class<'e>(el: ElementRef<'e>) -> Option<&'e str> {
    // `Element::classes()` is sorted; the author's first class is the telling one.
    el.value()
        .attr("class")?
        .split_ascii_whitespace()
        .find(|c| {
            !c.chars().any(|ch| ch.is_ascii_digit())
                && !c.contains("--")
                && !token_words(c)
                    .iter()
                    .any(|w| STATE_WORDS.contains(&w.as_str()))
        })
}

/// `tag.class` of an element, for messages.
fn signature(el: ElementRef) -> String {
    match stable_class(el) {
        Some(c) => format!("{}.{c}", el.value().name()),
        None => el.value().name().to_string(),
    }
}

fn class_words(el: ElementRef) -> Vec<String> {
    let v = el.value();
    v.classes()
        .chain(v.attr("itemprop"))
        .flat_map(token_words)
        .collect()
}

// ---------------------------------------------------------------------------------
// Stage 2: candidate links.

/// Which hosts count as the page's own site.
struct Site {
    /// The page is a `file:` URL: file links are its own.
    file: bool,
    /// Registrable domains of the page and of its canonical URL.
    domains: Vec<String>,
    /// Further hosts the config allows (`allow_hosts`), with their subdomains.
    allowed: Vec<String>,
}

impl Site {
    fn new(html: &Html, base: &Url) -> Site {
        let mut domains = Vec::new();
        if let Some(h) = base.host_str() {
            domains.push(registrable(h));
        }
        let declared = html
            .select(selector!(
                r#"link[rel~="canonical"][href], meta[property="og:url"][content]"#
            ))
            .filter_map(|e| e.value().attr("href").or_else(|| e.value().attr("content")))
            .filter_map(|h| Url::parse(h.trim()).ok());
        for u in declared {
            if let Some(h) = u.host_str() {
                let d = registrable(h);
                if !domains.contains(&d) {
                    domains.push(d);
                }
            }
        }
        Site {
            file: base.scheme() == "file",
            domains,
            allowed: Vec::new(),
        }
    }

    fn owns(&self, url: &Url) -> bool {
        match url.scheme() {
            "file" => self.file,
            "http" | "https" => url.host_str().is_some_and(|h| {
                self.domains.contains(&registrable(h))
                    || self.allowed.iter().any(|a| {
                        let h = h.trim_end_matches('.').to_ascii_lowercase();
                        h == *a || h.strip_suffix(a.as_str()).is_some_and(|p| p.ends_with('.'))
                    })
            }),
            _ => false,
        }
    }
}

/// Second-level labels under which country domains register names (`example.co.uk`).
#[rustfmt::skip]
const SECOND_LEVELS: &[&str] = &[
    "co", "com", "net", "org", "ac", "gov", "edu", "or", "ne", "go", "gr", "lg", "ed", "ad",
    "nic", "mil", "ltd", "plc", "sch", "gob", "gouv", "nom", "info",
];

/// Hosting domains where every subdomain is a different site.
#[rustfmt::skip]
const SHARED_HOSTS: &[&str] = &[
    "github.io", "gitlab.io", "blogspot.com", "wordpress.com", "tumblr.com", "substack.com",
    "netlify.app", "vercel.app", "pages.dev", "herokuapp.com", "neocities.org",
];

/// The registrable part of a host: `www.example.co.uk` → `example.co.uk`. An
/// approximation of the public suffix list that covers `www.` vs bare domains and
/// subdomains of one site.
fn registrable(host: &str) -> String {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') {
        return host;
    }
    let labels: Vec<&str> = host.split('.').collect();
    let n = labels.len();
    if n <= 2 {
        return host;
    }
    let last_two = labels[n - 2..].join(".");
    let keep = if SHARED_HOSTS.contains(&last_two.as_str())
        || (labels[n - 1].len() == 2 && SECOND_LEVELS.contains(&labels[n - 2]))
    {
        3
    } else {
        2
    };
    labels[n - keep..].join(".")
}

/// A link that may be an item's.
struct Cand<'a> {
    node: usize,
    url: Url,
    url_id: usize,
    /// Visible text (or image alt, aria-label, title), cleaned.
    text: String,
    /// "Read more", an arrow, an image without alt: a link that needs the block's title.
    weak: bool,
    shape: Shape,
    el: ElementRef<'a>,
}

fn candidates<'a>(dom: &Dom<'a>, base: &Url, site: &Site) -> Vec<Cand<'a>> {
    // Same-site links before zone filtering, to weigh zones by their share of links.
    let mut raw: Vec<(usize, Url)> = Vec::new();
    for (i, e) in dom.els.iter().enumerate() {
        if e.el.value().name() != "a" {
            continue;
        }
        let Some(href) = e.el.value().attr("href") else {
            continue;
        };
        let Some(url) = canonical_link(base, href) else {
            continue;
        };
        if site.owns(&url) {
            raw.push((i, url));
        }
    }
    let n = dom.els.len();
    let mut links_under = vec![0usize; n];
    let mut holds_main = vec![false; n];
    for &(i, _) in &raw {
        links_under[i] += 1;
    }
    for (i, e) in dom.els.iter().enumerate() {
        let v = e.el.value();
        if v.name() == "main" || v.attr("role") == Some("main") {
            holds_main[i] = true;
        }
    }
    for i in (0..n).rev() {
        if let Some(p) = dom.els[i].parent {
            links_under[p] += links_under[i];
            holds_main[p] |= holds_main[i];
        }
    }
    // A "zone" class on an element holding most of the page's links, or the main
    // content, is a layout wrapper ("content-sidebar-wrap"), not a sidebar.
    let total = raw.len();
    let mut excluded = vec![false; n];
    for i in 0..n {
        let e = &dom.els[i];
        let inherited = e.parent.is_some_and(|p| excluded[p]);
        let soft = e.zone_soft && !holds_main[i] && links_under[i] * 2 <= total;
        excluded[i] = inherited || e.zone_hard || soft;
    }

    let page = page_key(base);
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, url) in raw {
        if excluded[i] {
            continue;
        }
        let el = dom.els[i].el;
        if rel_excludes(el) || !is_item_url(&url) {
            continue;
        }
        let key = page_key(&url);
        if key == page || (url.path() == "/" && url.query().is_none()) {
            continue;
        }
        let text = link_text(el);
        if is_boilerplate_text(&text) {
            continue;
        }
        let weak = is_weak_text(&text) || is_date_text(&text);
        let next = ids.len();
        let url_id = *ids.entry(url.as_str().to_string()).or_insert(next);
        out.push(Cand {
            node: i,
            shape: Shape::of(&url),
            url,
            url_id,
            text,
            weak,
            el,
        });
    }
    out
}

/// A URL compared loosely: no scheme, no `www.`, no trailing slash.
fn page_key(u: &Url) -> String {
    let host = u.host_str().unwrap_or("");
    let host = host.strip_prefix("www.").unwrap_or(host);
    let path = u.path().trim_end_matches('/');
    match u.query() {
        Some(q) => format!("{host}{path}?{q}"),
        None => format!("{host}{path}"),
    }
}

fn rel_excludes(el: ElementRef) -> bool {
    el.value().attr("rel").is_some_and(|rel| {
        rel.split_ascii_whitespace().any(|r| {
            matches!(
                r.to_ascii_lowercase().as_str(),
                "tag"
                    | "category"
                    | "author"
                    | "next"
                    | "prev"
                    | "previous"
                    | "me"
                    | "license"
                    | "help"
                    | "search"
                    | "alternate"
            )
        })
    })
}

/// First path segments of pages that are never items: accounts, taxonomies, feeds,
/// site furniture.
#[rustfmt::skip]
const NON_ITEM_SECTIONS: &[&str] = &[
    "tag", "tags", "category", "categories", "author", "authors", "user", "users", "u",
    "member", "members", "profile", "profiles", "login", "signin", "sign-in", "logout",
    "signout", "register", "signup", "sign-up", "join", "account", "accounts", "my-account",
    "search", "feed", "feeds", "rss", "atom", "cart", "checkout", "subscribe", "newsletter",
    "wp-login.php", "wp-admin", "admin", "cdn-cgi", "share", "print", "contact", "privacy",
    "terms", "cookies", "cookie-policy", "imprint", "impressum", "about", "legal",
    "sitemap", "label", "labels",
];

/// Path segments that, anywhere below the first, mark a taxonomy or account page.
#[rustfmt::skip]
const NON_ITEM_INNER: &[&str] = &[
    "tag", "tags", "category", "categories", "author", "authors", "label", "login", "feed",
];

/// Query keys that select a page of a list, a sort order or an action, never an item.
#[rustfmt::skip]
const LIST_QUERY_KEYS: &[&str] = &[
    "page", "paged", "pg", "start", "offset", "cursor", "after", "before", "sort", "order",
    "orderby", "filter", "replytocom", "share", "action", "redirect", "return", "returnto",
    "lang", "view",
];

/// File extensions that are not web pages.
#[rustfmt::skip]
const FILE_EXTENSIONS: &[&str] = &[
    "pdf", "jpg", "jpeg", "png", "gif", "webp", "svg", "avif", "zip", "gz", "tgz", "tar",
    "7z", "rar", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "mp3", "mp4",
    "m4a", "mov", "avi", "webm", "ogg", "wav", "csv", "xml", "json", "txt", "ics", "epub",
    "exe", "dmg", "apk", "rss", "atom",
];

fn is_item_url(url: &Url) -> bool {
    let segs: Vec<String> = url
        .path_segments()
        .map(|s| {
            s.filter(|p| !p.is_empty())
                .map(|p| p.to_ascii_lowercase())
                .collect()
        })
        .unwrap_or_default();
    if let Some(first) = segs.first() {
        if NON_ITEM_SECTIONS.contains(&first.as_str()) {
            return false;
        }
    }
    for (i, s) in segs.iter().enumerate() {
        if i > 0 && i + 1 < segs.len() && NON_ITEM_INNER.contains(&s.as_str()) {
            return false;
        }
        if s == "page"
            && segs
                .get(i + 1)
                .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
        {
            return false;
        }
    }
    if let Some(last) = segs.last() {
        if let Some((_, ext)) = last.rsplit_once('.') {
            if FILE_EXTENSIONS.contains(&ext) {
                return false;
            }
        }
    }
    !url.query_pairs()
        .any(|(k, _)| LIST_QUERY_KEYS.contains(&k.to_ascii_lowercase().as_str()))
}

fn link_text(el: ElementRef) -> String {
    let t = clean(&el.text().collect::<String>());
    if !t.is_empty() {
        return t;
    }
    let v = el.value();
    v.attr("aria-label")
        .or_else(|| v.attr("title"))
        .map(clean)
        .filter(|s| !s.is_empty())
        .or_else(|| {
            el.select(selector!("img[alt]"))
                .filter_map(|i| i.value().attr("alt"))
                .map(clean)
                .find(|s| !s.is_empty())
        })
        .unwrap_or_default()
}

/// Lowercase letters, digits and single spaces: what the lexicons below are matched on.
fn text_core(t: &str) -> String {
    let kept: String = t
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .to_lowercase();
    clean(&kept)
}

static BOILERPLATE_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^(?:
          (?:next|prev|previous|older|newer|first|last)(?:\s+(?:page|posts?|entries|articles|stories|results|news))?
        | (?:load|show|view|see)\s+(?:more|all)(?:\s+\w+){0,2}
        | more\s+(?:posts|stories|articles|news|results)
        | page\s+\d+ | \d+
        | log\s?in | log\s?out | sign\s?(?:in|up|out) | register | subscribe | my\s+account | account
        | create\s+(?:an\s+)?account | join(?:\s+now)?
        | (?:\d+\s+)?(?:comments?|replies|reply|responses?)(?:\s+\d+)? | no\s+comments | leave\s+a\s+(?:comment|reply)
        | share(?:\s+\w+)? | tweet | email | print | skip\s+to\s+(?:main\s+)?content | back\s+to\s+top | top
        | home | rss | feed
        | 次へ | 前へ | 次のページ | 前のページ | 一覧 | 一覧へ | ログイン | ログアウト | 新規登録 | トップ
        )$",
    )
    .expect("static regex")
});

fn is_boilerplate_text(t: &str) -> bool {
    let core = text_core(t);
    !core.is_empty() && BOILERPLATE_TEXT.is_match(&core)
}

static WEAK_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^(?:
          (?:read|keep\s+reading|continue)(?:\s+(?:more|on|reading|the\s+(?:full\s+)?(?:story|article|post)))?
        | continue\s+reading\b.*
        | more | details? | view | view\s+(?:details|post|article|story) | see\s+more | full\s+(?:story|article)
        | learn\s+more | find\s+out\s+more | read\s+article | read\s+story | read\s+post
        | weiterlesen | mehr(?:\s+lesen)? | lire\s+la\s+suite | leer\s+más | leggi\s+tutto | lees\s+meer
        | 続きを読む | 続き | 詳細 | 詳しく | もっと見る
        )$",
    )
    .expect("static regex")
});

fn is_weak_text(t: &str) -> bool {
    let core = text_core(t);
    if core.is_empty() {
        return true;
    }
    if !core.chars().any(is_cjk) && core.chars().filter(|c| c.is_alphanumeric()).count() <= 2 {
        return true;
    }
    WEAK_TEXT.is_match(&core)
}

static DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
          \b(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}\b
        | \b\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)?\d{2}\b
        | (?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?
        | \d{1,2}\s*月\s*\d{1,2}\s*日
        | \b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?\b
        | \b\d{1,2}(?:st|nd|rd|th)?\.?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec
            |januar|februar|märz|mai|juni|juli|oktober|dezember|janvier|février|mars|avril|juin
            |juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo
            |junio|julio|agosto|septiembre|octubre|noviembre|diciembre)\w*\b
        | \b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+(?:19|20)\d{2}\b
        | \b\d+\s*(?:[smhdw]|min|mins|minutes?|hrs?|hours?|days?|weeks?|months?|years?)\s+ago\b
        | \b(?:yesterday|today)\b
        | \d+\s*(?:分|時間|日)前
        ",
    )
    .expect("static regex")
});

/// Text that is a date and little else ("3 hours ago", "14.01.2026").
fn is_date_text(t: &str) -> bool {
    let n = t.chars().count();
    n > 0
        && DATE_RE
            .find_iter(t)
            .map(|m| t[m.range()].chars().count())
            .sum::<usize>()
            * 10
            >= n * 6
}

// ---------------------------------------------------------------------------------
// URL shapes.

/// A URL reduced to its pattern: `/world/2026/01/14/some-slug` → `w/y/n/n/w`.
#[derive(Debug, Clone)]
struct Shape {
    key: String,
    first: Option<String>,
    /// Date path, numeric id, version, long slug or `.html` page: looks like one item.
    item_like: bool,
    /// One short word deep: a section or menu link.
    nav_like: bool,
}

impl Shape {
    fn of(url: &Url) -> Shape {
        let segs: Vec<&str> = url
            .path_segments()
            .map(|s| s.filter(|p| !p.is_empty()).collect())
            .unwrap_or_default();
        let mut classes: Vec<&'static str> = Vec::with_capacity(segs.len());
        let mut item_like = false;
        let mut prev_year = false;
        for (i, seg) in segs.iter().enumerate() {
            let last = i + 1 == segs.len();
            let (stem, page_ext) = match seg.rsplit_once('.') {
                Some((s, e))
                    if matches!(
                        e.to_ascii_lowercase().as_str(),
                        "html" | "htm" | "shtml" | "php" | "asp" | "aspx" | "jsp" | "cfm"
                    ) =>
                {
                    (s, true)
                }
                _ => (*seg, false),
            };
            let digits = stem.chars().filter(|c| c.is_ascii_digit()).count();
            let all_digits = !stem.is_empty() && digits == stem.chars().count();
            let class = if all_digits
                && stem.len() == 4
                && (stem.starts_with("19") || stem.starts_with("20"))
            {
                "y"
            } else if all_digits
                && stem.len() == 8
                && (stem.starts_with("19") || stem.starts_with("20"))
            {
                item_like = true;
                "d"
            } else if all_digits {
                if prev_year || stem.len() >= 3 {
                    item_like = true;
                }
                "n"
            } else if digits > 0 && stem.chars().all(|c| c.is_ascii_digit() || c == '.') {
                item_like = true;
                "v"
            } else if digits >= 3 {
                item_like = true;
                "x"
            } else {
                let words = stem
                    .split(['-', '_', '+'])
                    .filter(|w| !w.is_empty())
                    .count();
                if last && words >= 3 {
                    item_like = true;
                }
                "w"
            };
            if page_ext && segs.len() >= 2 {
                item_like = true;
            }
            prev_year = class == "y";
            classes.push(class);
        }
        let mut keys: Vec<String> = url
            .query_pairs()
            .map(|(k, v)| {
                if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
                    item_like = true;
                }
                k.to_ascii_lowercase()
            })
            .collect();
        keys.sort();
        keys.dedup();
        let mut key = classes.join("/");
        if !keys.is_empty() {
            key.push('?');
            key.push_str(&keys.join("&"));
        }
        Shape {
            key,
            first: segs.first().map(|s| s.to_ascii_lowercase()),
            nav_like: segs.len() <= 1 && !item_like,
            item_like,
        }
    }
}

// ---------------------------------------------------------------------------------
// Stages 3 and 4: groups, blocks, scores.

/// One link of a group with the element it describes.
#[derive(Debug, Clone)]
struct Member {
    cand: usize,
    /// The item's block (an index into the element list).
    block: usize,
    /// Siblings that belong to the block in flat markup (`h2` + `p`, `dt` + `dd`).
    extra: Vec<usize>,
    title: Option<String>,
    /// The title comes from a heading or a title-classed element.
    headline: bool,
    has_date: bool,
    /// 1 for article/h-entry/schema.org markup, ½ for item-like class names.
    article: f32,
    /// The link sits inside running text.
    inline: bool,
    summary: Option<String>,
}

struct Group {
    members: Vec<Member>,
    quality: f32,
    score: f32,
}

struct Analysis<'d, 'a> {
    dom: &'d Dom<'a>,
    base: &'d Url,
    cands: &'d [Cand<'a>],
    groups: Vec<Group>,
}

/// The chosen members, in page order, and how they were chosen.
struct Choice {
    members: Vec<Member>,
    method: String,
}

impl<'d, 'a> Analysis<'d, 'a> {
    fn run(dom: &'d Dom<'a>, base: &'d Url, cands: &'d [Cand<'a>]) -> Analysis<'d, 'a> {
        let mut by_path: HashMap<u64, usize> = HashMap::new();
        let mut raw_groups: Vec<Vec<usize>> = Vec::new();
        for (ci, c) in cands.iter().enumerate() {
            let path = dom.els[c.node].path;
            let gi = *by_path.entry(path).or_insert_with(|| {
                raw_groups.push(Vec::new());
                raw_groups.len() - 1
            });
            raw_groups[gi].push(ci);
        }
        let cand_nodes: Vec<usize> = cands.iter().map(|c| c.node).collect();
        let mut analysis = Analysis {
            dom,
            base,
            cands,
            groups: Vec::with_capacity(raw_groups.len()),
        };
        for members in raw_groups {
            let group = analysis.group(&members, &cand_nodes);
            analysis.groups.push(group);
        }
        analysis
    }

    fn group(&self, cis: &[usize], cand_nodes: &[usize]) -> Group {
        let nodes: Vec<usize> = cis.iter().map(|&ci| self.cands[ci].node).collect();
        let mut seen = HashSet::new();
        let mut members = Vec::new();
        for &ci in cis {
            if !seen.insert(self.cands[ci].url_id) {
                continue;
            }
            members.push(self.member(ci, &nodes, cand_nodes));
        }
        let quality = self.quality(&members);
        let score = quality * (1.0 + members.len() as f32).ln();
        Group {
            members,
            quality,
            score,
        }
    }

    /// Distinct candidate URLs inside element `i`, counting no further than `cap + 1`.
    fn distinct_urls(&self, i: usize, cand_nodes: &[usize], cap: usize) -> usize {
        let end = self.dom.els[i].end;
        let lo = cand_nodes.partition_point(|&n| n < i);
        let hi = cand_nodes.partition_point(|&n| n < end);
        let mut ids = HashSet::new();
        for c in &self.cands[lo..hi] {
            ids.insert(c.url_id);
            if ids.len() > cap {
                break;
            }
        }
        ids.len()
    }

    fn member(&self, ci: usize, group_nodes: &[usize], cand_nodes: &[usize]) -> Member {
        let dom = self.dom;
        let c = &self.cands[ci];
        // Grow the block from the link while it holds no other link of the group and
        // no more than a few other item URLs.
        let mut cur = c.node;
        loop {
            if cur != c.node && is_boundary(dom.els[cur].el) {
                break;
            }
            let Some(p) = dom.els[cur].parent else { break };
            if matches!(dom.tag(p), "body" | "html" | "main")
                || dom.els[p].el.value().attr("role") == Some("main")
            {
                break;
            }
            let end = dom.els[p].end;
            let in_p =
                group_nodes.partition_point(|&n| n < end) - group_nodes.partition_point(|&n| n < p);
            if in_p > 1 {
                break;
            }
            if self.distinct_urls(p, cand_nodes, MAX_BLOCK_URLS) > MAX_BLOCK_URLS {
                break;
            }
            cur = p;
        }
        let block = cur;
        let extra = self.flat_context(block, group_nodes);
        let scope: Vec<ElementRef> = std::iter::once(dom.els[block].el)
            .chain(extra.iter().map(|&i| dom.els[i].el))
            .collect();

        let (title, headline) = self.title(c, block, &scope);
        let has_date = scope.iter().any(|&e| has_date(e));
        let article = article_signal(dom, block, c.el);
        let inline = is_inline(c.el, &c.text);
        let summary = summary(&scope, title.as_deref());
        Member {
            cand: ci,
            block,
            extra,
            title,
            headline,
            has_date,
            article,
            inline,
            summary,
        }
    }

    /// In flat markup the item's parts are siblings: `h2` then `p`s, `dt` then `dd`, or
    /// a `dd` after its `dt`. Returns those siblings.
    fn flat_context(&self, block: usize, group_nodes: &[usize]) -> Vec<usize> {
        let dom = self.dom;
        let tag = dom.tag(block);
        let holds_member = |j: usize| {
            let end = dom.els[j].end;
            group_nodes.partition_point(|&n| n < end) > group_nodes.partition_point(|&n| n < j)
        };
        let mut out = Vec::new();
        match tag {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "dt" => {
                let mut cur = block;
                while let Some(j) = dom.next_sibling(cur) {
                    let st = dom.tag(j);
                    if out.len() >= 4
                        || st == tag
                        || matches!(st, "h1" | "h2" | "h3" | "hr")
                        || holds_member(j)
                    {
                        break;
                    }
                    out.push(j);
                    cur = j;
                }
            }
            "dd" => {
                if let Some(j) = dom.prev_sibling(block) {
                    if dom.tag(j) == "dt" && !holds_member(j) {
                        out.push(j);
                    }
                }
            }
            _ => {}
        }
        out
    }

    fn title(&self, c: &Cand, block: usize, scope: &[ElementRef]) -> (Option<String>, bool) {
        let dom = self.dom;
        if let Some(h) = first_heading(c.el) {
            if let Some(t) = clean_opt(&h.text().collect::<String>()) {
                return (Some(t), true);
            }
        }
        if let Some(t) =
            first_title_classed(c.el).and_then(|e| clean_opt(&e.text().collect::<String>()))
        {
            return (Some(t), true);
        }
        if !c.weak {
            // Is the link inside a heading or title-classed element within the block?
            let mut headline = false;
            let mut cur = dom.els[c.node].parent;
            while let Some(p) = cur {
                if !dom.contains(block, p) {
                    break;
                }
                let e = dom.els[p].el;
                if is_heading(e) || is_title_classed(e) {
                    headline = true;
                    break;
                }
                cur = dom.els[p].parent;
            }
            return (Some(c.text.clone()), headline);
        }
        // A heading that links elsewhere titles that other link, not this one (a
        // forum row's "2h ago" link to the last post is not the thread).
        let links_elsewhere = |h: ElementRef| {
            let own = (h.value().name() == "a").then_some(h);
            own.into_iter()
                .chain(h.select(selector!("a[href]")))
                .any(|a| {
                    a.value()
                        .attr("href")
                        .and_then(|href| canonical_link(self.base, href))
                        .is_some_and(|u| u != c.url)
                })
        };
        for &s in scope {
            if let Some(t) = first_heading(s)
                .or_else(|| first_title_classed(s))
                .filter(|h| !links_elsewhere(*h))
                .and_then(|h| clean_opt(&h.text().collect::<String>()))
                .filter(|t| !is_weak_text(t))
            {
                return (Some(t), true);
            }
        }
        let alt =
            c.el.select(selector!("img[alt]"))
                .filter_map(|i| i.value().attr("alt"))
                .find_map(clean_opt);
        (
            alt.or_else(|| clean_opt(&c.text).filter(|t| !is_weak_text(t))),
            false,
        )
    }

    /// Per-item quality of a group, roughly 0–12. Positive terms are what a reader uses
    /// to spot a list of articles: real titles (3), headline markup (2), a date by each
    /// link (2), URLs that name one item (2) in one shape (1), article markup (1.5), a
    /// teaser (0.5). Negative terms mark the look-alikes: links inside prose (−4, the
    /// in-text links of an article page), short section links (−3, menus), the same
    /// text on every link (−3, "Read more" with no heading), links with no text of
    /// their own (−1, so the title link beats the image or "more" link of one block).
    fn quality(&self, members: &[Member]) -> f32 {
        let n = members.len();
        if n == 0 {
            return 0.0;
        }
        let nf = n as f32;
        let mean = |f: &dyn Fn(&Member) -> f32| members.iter().map(f).sum::<f32>() / nf;
        let title_len = mean(&|m| {
            let w = m.title.as_deref().map(word_count).unwrap_or(0) as f32;
            ((w - 1.0) / 7.0).clamp(0.0, 1.0)
        });
        let headline = mean(&|m| f32::from(u8::from(m.headline)));
        let date = mean(&|m| f32::from(u8::from(m.has_date)));
        let article = mean(&|m| m.article);
        let url_item = mean(&|m| f32::from(u8::from(self.cands[m.cand].shape.item_like)));
        let summary = mean(&|m| f32::from(u8::from(m.summary.is_some())));
        let inline = mean(&|m| f32::from(u8::from(m.inline)));
        let weak = mean(&|m| f32::from(u8::from(self.cands[m.cand].weak)));
        let nav = mean(&|m| {
            let short = m.title.as_deref().map(word_count).unwrap_or(0) <= 2;
            f32::from(u8::from(self.cands[m.cand].shape.nav_like && short))
        });
        let mut shapes: HashMap<&str, usize> = HashMap::new();
        let mut titles: HashSet<&str> = HashSet::new();
        for m in members {
            *shapes.entry(&self.cands[m.cand].shape.key).or_default() += 1;
            if let Some(t) = &m.title {
                titles.insert(t);
            }
        }
        let agree = shapes.values().copied().max().unwrap_or(0) as f32 / nf;
        let uniq = titles.len() as f32 / nf;
        3.0 * title_len
            + 2.0 * headline
            + 2.0 * date
            + 1.5 * article
            + 2.0 * url_item
            + 1.0 * agree
            + 0.5 * summary
            - 1.0 * weak
            - 4.0 * inline
            - 3.0 * nav
            - 3.0 * (1.0 - uniq)
    }

    /// The best group and the groups that continue it, members in page order.
    fn choose(&self) -> Option<Choice> {
        let (bi, best) = self
            .groups
            .iter()
            .enumerate()
            .filter(|(_, g)| {
                let n = g.members.len();
                (n >= 3 && g.quality >= MIN_QUALITY) || (n == 2 && g.quality >= MIN_QUALITY_PAIR)
            })
            .max_by(|a, b| a.1.score.total_cmp(&b.1.score))?;
        let best_urls = best.members.len();
        // The best group's URL shapes (those of at least a tenth of its items) and its
        // section when all its items share one.
        let mut shapes: HashMap<&str, usize> = HashMap::new();
        let mut firsts: HashSet<Option<&str>> = HashSet::new();
        for m in &best.members {
            let s = &self.cands[m.cand].shape;
            *shapes.entry(&s.key).or_default() += 1;
            firsts.insert(s.first.as_deref());
        }
        let shape_set: HashSet<&str> = shapes
            .iter()
            .filter(|(_, &c)| c * 10 >= best_urls)
            .map(|(k, _)| *k)
            .collect();
        let section = if firsts.len() == 1 && best_urls >= 2 {
            firsts.into_iter().next().flatten()
        } else {
            None
        };
        let mut chosen: Vec<&Member> = best.members.iter().collect();
        let mut urls: HashSet<usize> = best
            .members
            .iter()
            .map(|m| self.cands[m.cand].url_id)
            .collect();
        let mut joined = 0;
        let mut joined_groups = 0;
        let mut others: Vec<(usize, &Group)> = self
            .groups
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != bi)
            .collect();
        others.sort_by(|a, b| b.1.score.total_cmp(&a.1.score));
        for (_, g) in others {
            if g.quality < MERGE_QUALITY_SHARE * best.quality || g.quality < MIN_QUALITY {
                continue;
            }
            let fits = g
                .members
                .iter()
                .filter(|m| {
                    let s = &self.cands[m.cand].shape;
                    shape_set.contains(s.key.as_str())
                        && section.is_none_or(|sec| s.first.as_deref() == Some(sec))
                })
                .count();
            if fits * 2 < g.members.len() {
                continue;
            }
            let mut added = 0;
            for m in &g.members {
                if urls.insert(self.cands[m.cand].url_id) {
                    chosen.push(m);
                    added += 1;
                }
            }
            if added > 0 {
                joined += added;
                joined_groups += 1;
            }
        }
        chosen.sort_by_key(|m| self.cands[m.cand].node);
        let sig = self.block_signature(&best.members);
        let mut method = format!("auto: {best_urls} repeated `{sig}` blocks");
        if joined > 0 {
            let s = if joined_groups == 1 { "" } else { "s" };
            method.push_str(&format!(
                " + {joined} from {joined_groups} similar structure{s}"
            ));
        }
        Some(Choice {
            members: chosen.into_iter().cloned().collect(),
            method,
        })
    }

    /// The most common `tag.class` of the members' blocks.
    fn block_signature(&self, members: &[Member]) -> String {
        let mut sigs: HashMap<String, usize> = HashMap::new();
        for m in members {
            *sigs.entry(signature(self.dom.els[m.block].el)).or_default() += 1;
        }
        sigs.into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(s, _)| s)
            .unwrap_or_default()
    }

    /// The member to take fields from for a URL named by an `ItemList`: the one in the
    /// best-scoring group.
    fn member_for(&self, url: &str) -> Option<&Member> {
        self.groups
            .iter()
            .flat_map(|g| g.members.iter().map(move |m| (g.score, m)))
            .filter(|(_, m)| self.cands[m.cand].url.as_str() == url)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, m)| m)
    }

    fn extract(&self, m: &Member, ctx: &DateContext) -> ListedItem {
        let dom = self.dom;
        let scope: Vec<ElementRef> = std::iter::once(dom.els[m.block].el)
            .chain(m.extra.iter().map(|&i| dom.els[i].el))
            .collect();
        ListedItem {
            link: self.cands[m.cand].url.clone(),
            title: m.title.clone(),
            date: item_date(&scope, ctx),
            author: author(&scope),
            summary: m.summary.clone(),
        }
    }
}

fn is_heading(e: ElementRef) -> bool {
    matches!(e.value().name(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

fn first_heading(e: ElementRef) -> Option<ElementRef> {
    if is_heading(e) {
        return Some(e);
    }
    e.select(selector!("h1, h2, h3, h4, h5, h6")).next()
}

const TITLE_WORDS: &[&str] = &["title", "headline", "heading", "hed", "name", "subject"];

fn is_title_classed(e: ElementRef) -> bool {
    let words = class_words(e);
    words.iter().any(|w| TITLE_WORDS.contains(&w.as_str()))
        && !words.iter().any(|w| {
            matches!(
                w.as_str(),
                "sub" | "subtitle" | "section" | "site" | "page" | "author"
            )
        })
}

fn first_title_classed(e: ElementRef) -> Option<ElementRef> {
    if is_title_classed(e) {
        return Some(e);
    }
    e.descendants()
        .filter_map(ElementRef::wrap)
        .find(|d| is_title_classed(*d))
}

#[rustfmt::skip]
const ARTICLE_TYPES: &[&str] = &[
    "Article", "Posting", "Report", "Review", "Recipe", "Event", "CreativeWork", "Episode",
    "Question",
];

#[rustfmt::skip]
const ITEM_CLASS_WORDS: &[&str] = &[
    "post", "entry", "story", "article", "teaser", "card", "news", "item", "topic",
    "thread", "release", "episode",
];

fn article_signal(dom: &Dom, block: usize, link: ElementRef) -> f32 {
    if link.value().attr("rel").is_some_and(|r| {
        r.split_ascii_whitespace()
            .any(|t| t.eq_ignore_ascii_case("bookmark"))
    }) {
        return 1.0;
    }
    let mut cur = Some(block);
    let mut weak = false;
    for level in 0..3 {
        let Some(i) = cur else { break };
        let e = dom.els[i].el;
        let v = e.value();
        if v.name() == "article"
            || v.classes()
                .any(|c| c.eq_ignore_ascii_case("h-entry") || c.eq_ignore_ascii_case("hentry"))
            || v.attr("itemtype")
                .is_some_and(|t| ARTICLE_TYPES.iter().any(|a| t.contains(a)))
        {
            return 1.0;
        }
        if level == 0
            && class_words(e)
                .iter()
                .any(|w| ITEM_CLASS_WORDS.contains(&w.as_str()))
        {
            weak = true;
        }
        cur = dom.els[i].parent;
    }
    if weak {
        0.5
    } else {
        0.0
    }
}

/// The link is a phrase inside running text: its parent has more text of its own
/// (dates aside) than the link.
fn is_inline(link: ElementRef, link_text: &str) -> bool {
    let Some(parent) = link.parent().and_then(ElementRef::wrap) else {
        return false;
    };
    if matches!(
        parent.value().name(),
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
    ) {
        return false;
    }
    let own: String = parent
        .children()
        .filter_map(|c| match c.value() {
            Node::Text(t) => Some(&**t),
            _ => None,
        })
        .collect();
    let own = DATE_RE.replace_all(&own, "");
    let own_len = own.chars().filter(|c| c.is_alphanumeric()).count();
    own_len >= 15 && own_len > link_text.chars().filter(|c| c.is_alphanumeric()).count() / 2
}

#[rustfmt::skip]
const DATE_WORDS: &[&str] = &[
    "date", "time", "published", "pubdate", "timestamp", "datetime", "posted", "dateline",
    "updated", "datepublished",
];

fn has_date(scope: ElementRef) -> bool {
    if scope.value().name() == "time" || scope.select(selector!("time")).next().is_some() {
        return true;
    }
    let mut text = String::new();
    for t in scope.text() {
        text.push_str(t);
        text.push(' ');
        if text.len() > MAX_SCAN_CHARS {
            break;
        }
    }
    DATE_RE.is_match(&text)
}

/// Date of an item: `<time>`, then date-named elements, then short date-like texts.
fn item_date(scope: &[ElementRef], ctx: &DateContext) -> Option<ParsedDate> {
    let parse = |s: &str| parse_date(s, ctx).or_else(|| find_date(s, ctx));
    for &s in scope {
        for t in std::iter::once(s)
            .filter(|e| e.value().name() == "time")
            .chain(s.select(selector!("time")))
        {
            if let Some(d) = t.value().attr("datetime").and_then(|v| parse_date(v, ctx)) {
                return Some(d);
            }
            if let Some(d) = clean_opt(&t.text().collect::<String>()).and_then(|v| parse(&v)) {
                return Some(d);
            }
        }
    }
    for &s in scope {
        for e in s.descendants().filter_map(ElementRef::wrap) {
            let words = class_words(e);
            if !words.iter().any(|w| DATE_WORDS.contains(&w.as_str())) {
                continue;
            }
            let v = e.value();
            let attr = v.attr("content").or_else(|| v.attr("datetime"));
            if let Some(d) = attr.and_then(|a| parse_date(a, ctx)) {
                return Some(d);
            }
            if let Some(d) = clean_opt(&e.text().collect::<String>()).and_then(|t| parse(&t)) {
                return Some(d);
            }
        }
    }
    for &s in scope {
        for t in s.text() {
            let t = t.trim();
            if t.is_empty() || t.chars().count() > 120 {
                continue;
            }
            if let Some(m) = DATE_RE.find(t) {
                if let Some(d) = parse_date(&t[m.range()], ctx).or_else(|| find_date(t, ctx)) {
                    return Some(d);
                }
            }
        }
    }
    None
}

#[rustfmt::skip]
const SUMMARY_WORDS: &[&str] = &[
    "summary", "excerpt", "dek", "deck", "standfirst", "description", "desc", "intro",
    "abstract", "snippet", "blurb", "lede", "synopsis", "teaser", "text", "body", "content",
];

#[rustfmt::skip]
const META_WORDS: &[&str] = &[
    "meta", "byline", "author", "date", "time", "tags", "tag", "category", "categories",
    "kicker", "label", "footer", "share", "comments", "stats", "title", "headline",
];

/// The block's teaser text: the first paragraph or excerpt-named element that is not
/// the title, a byline or a date line, long enough to say something.
fn summary(scope: &[ElementRef], title: Option<&str>) -> Option<String> {
    for &s in scope {
        let els = std::iter::once(s).chain(s.descendants().filter_map(ElementRef::wrap).skip(1));
        for e in els {
            let words = class_words(e);
            let is_p = e.value().name() == "p";
            let named = words.iter().any(|w| SUMMARY_WORDS.contains(&w.as_str()));
            if !(is_p || named) || words.iter().any(|w| META_WORDS.contains(&w.as_str())) {
                continue;
            }
            if !is_p && first_heading(e).is_some() {
                continue;
            }
            if e.select(selector!("p")).next().is_some() && !is_p {
                // Let the paragraph inside speak for itself.
                continue;
            }
            let text = text_without_weak_links(e);
            let weight: usize = text.chars().map(|c| if is_cjk(c) { 2 } else { 1 }).sum();
            if weight < MIN_SUMMARY_CHARS || title.is_some_and(|t| t == text) {
                continue;
            }
            if is_date_text(&text) {
                continue;
            }
            return Some(text);
        }
    }
    None
}

/// Text of an element without "Read more" links and buttons.
fn text_without_weak_links(e: ElementRef) -> String {
    let mut out = String::new();
    let mut stack = vec![*e];
    while let Some(n) = stack.pop() {
        match n.value() {
            Node::Text(t) => {
                out.push_str(t);
            }
            Node::Element(el) => {
                if n.id() != e.id() {
                    if el.name() == "button" {
                        continue;
                    }
                    if el.name() == "a" {
                        if let Some(a) = ElementRef::wrap(n) {
                            if is_weak_text(&a.text().collect::<String>()) {
                                continue;
                            }
                        }
                    }
                }
                let kids: Vec<_> = n.children().collect();
                for k in kids.into_iter().rev() {
                    stack.push(k);
                }
            }
            _ => {}
        }
    }
    clean(&out)
}

static BY_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:by|von|par|por|door|di|written\s+by|posted\s+by)\s*:?\s+")
        .expect("static regex")
});

/// The block's author: a byline, `rel=author`, `itemprop=author`, or an author-named
/// element, without "By " and without a trailing date.
fn author(scope: &[ElementRef]) -> Option<String> {
    for &s in scope {
        for e in s.descendants().filter_map(ElementRef::wrap) {
            let v = e.value();
            let rel = v.attr("rel").is_some_and(|r| {
                r.split_ascii_whitespace()
                    .any(|t| t.eq_ignore_ascii_case("author"))
            });
            let words = class_words(e);
            let named = words
                .iter()
                .any(|w| matches!(w.as_str(), "author" | "byline" | "creator"));
            let is_avatar = words
                .iter()
                .any(|w| matches!(w.as_str(), "avatar" | "image" | "img" | "photo"));
            if !(rel || named) || is_avatar {
                continue;
            }
            let text = clean(&e.text().collect::<String>());
            let text = BY_PREFIX.replace(&text, "");
            let cut = text
                .split([' ', '\u{a0}'])
                .scan(false, |stop, w| {
                    if *stop || matches!(w, "·" | "•" | "|" | "—" | "–" | "-" | "on" | "am" | "le")
                    {
                        *stop = true;
                        return None;
                    }
                    Some(w)
                })
                .collect::<Vec<_>>()
                .join(" ");
            let cut = cut.trim_end_matches([',', ';', ':']).trim();
            let n = cut.chars().count();
            if (2..=80).contains(&n) && !is_date_text(cut) {
                return Some(cut.to_string());
            }
        }
    }
    None
}

// ---------------------------------------------------------------------------------
// Declared lists: JSON-LD and microdata `ItemList`.

/// A declared list's same-site URLs with their names, and the markup that declared
/// it ("JSON-LD", "microdata").
type Declared = (Vec<(Url, Option<String>)>, &'static str);

/// Same-site URLs (with names when given) of the page's declared `ItemList`, and which
/// markup declared it.
fn declared_list(html: &Html, base: &Url, site: &Site) -> Option<Declared> {
    let mut best: Option<Declared> = None;
    let mut consider = |list: Vec<(Url, Option<String>)>, kind: &'static str| {
        let mut seen = HashSet::new();
        let list: Vec<_> = list
            .into_iter()
            .filter(|(u, _)| site.owns(u) && is_item_url(u) && seen.insert(u.as_str().to_string()))
            .collect();
        if list.len() >= MIN_DECLARED && best.as_ref().is_none_or(|(b, _)| list.len() > b.len()) {
            best = Some((list, kind));
        }
    };
    for script in html.select(selector!("script[type]")) {
        let ty = script
            .value()
            .attr("type")
            .unwrap_or("")
            .to_ascii_lowercase();
        if !ty.contains("ld+json") {
            continue;
        }
        let text: String = script.text().collect();
        let Ok(value) = serde_json::from_str::<serde_json::Value>(text.trim()) else {
            continue;
        };
        let mut lists = Vec::new();
        find_item_lists(&value, 0, &mut lists);
        for l in lists {
            let urls = json_list_urls(l, base);
            consider(urls, "JSON-LD");
        }
    }
    for list in html.select(selector!("[itemscope][itemtype]")) {
        let is_list = list
            .value()
            .attr("itemtype")
            .is_some_and(|t| t.split_ascii_whitespace().any(|t| t.ends_with("/ItemList")));
        if !is_list {
            continue;
        }
        let urls = list
            .select(selector!(r#"[itemprop~="itemListElement"]"#))
            .filter_map(|el| {
                let href = el
                    .select(selector!(r#"[itemprop~="url"]"#))
                    .next()
                    .and_then(|u| u.value().attr("href").or_else(|| u.value().attr("content")))
                    .or_else(|| el.value().attr("href"))
                    .or_else(|| el.select(selector!("a[href]")).next()?.value().attr("href"))?;
                let url = canonical_link(base, href)?;
                let name = el
                    .select(selector!(r#"[itemprop~="name"]"#))
                    .next()
                    .and_then(|n| {
                        n.value()
                            .attr("content")
                            .map(clean)
                            .or_else(|| clean_opt(&n.text().collect::<String>()))
                    });
                Some((url, name))
            })
            .collect();
        consider(urls, "microdata");
    }
    best
}

fn has_type(v: &serde_json::Value, ty: &str) -> bool {
    match v.get("@type") {
        Some(serde_json::Value::String(s)) => s == ty,
        Some(serde_json::Value::Array(a)) => a.iter().any(|t| t.as_str() == Some(ty)),
        _ => false,
    }
}

fn find_item_lists<'v>(
    v: &'v serde_json::Value,
    depth: usize,
    out: &mut Vec<&'v serde_json::Value>,
) {
    if depth > 8 {
        return;
    }
    match v {
        serde_json::Value::Array(a) => a.iter().for_each(|x| find_item_lists(x, depth + 1, out)),
        serde_json::Value::Object(o) => {
            if has_type(v, "ItemList") {
                out.push(v);
                return;
            }
            for x in o.values() {
                find_item_lists(x, depth + 1, out);
            }
        }
        _ => {}
    }
}

fn json_list_urls(list: &serde_json::Value, base: &Url) -> Vec<(Url, Option<String>)> {
    let elements: Vec<&serde_json::Value> = match list.get("itemListElement") {
        Some(serde_json::Value::Array(a)) => a.iter().collect(),
        Some(v) => vec![v],
        None => Vec::new(),
    };
    let mut entries: Vec<(f64, usize, Url, Option<String>)> = Vec::new();
    for (i, e) in elements.into_iter().enumerate() {
        let str_of = |v: Option<&serde_json::Value>| v.and_then(|s| s.as_str()).map(str::to_string);
        let (href, name) = match e {
            serde_json::Value::String(s) => (Some(s.clone()), None),
            serde_json::Value::Object(_) => {
                let item = e.get("item");
                let href = str_of(e.get("url"))
                    .or_else(|| item.and_then(|i| i.as_str()).map(str::to_string))
                    .or_else(|| {
                        item.and_then(|i| str_of(i.get("url")).or_else(|| str_of(i.get("@id"))))
                    })
                    .or_else(|| str_of(e.get("@id")));
                let name = str_of(e.get("name"))
                    .or_else(|| {
                        item.and_then(|i| {
                            str_of(i.get("name")).or_else(|| str_of(i.get("headline")))
                        })
                    })
                    .or_else(|| str_of(e.get("headline")))
                    .and_then(|n| clean_opt(&n));
                (href, name)
            }
            _ => (None, None),
        };
        let Some(url) = href.and_then(|h| canonical_link(base, &h)) else {
            continue;
        };
        let pos = match e.get("position") {
            Some(serde_json::Value::Number(n)) => n.as_f64(),
            Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        }
        .unwrap_or(i as f64 + 1.0);
        entries.push((pos, i, url, name));
    }
    entries.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    entries.into_iter().map(|(_, _, u, n)| (u, n)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::discover::test_ctx as ctx;

    fn run(html: &str, url: &str) -> Detected {
        let doc = Html::parse_document(html);
        detect(&doc, &Url::parse(url).unwrap(), &ctx())
    }

    #[test]
    fn registrable_domains() {
        assert_eq!(registrable("www.example.com"), "example.com");
        assert_eq!(registrable("news.example.co.uk"), "example.co.uk");
        assert_eq!(registrable("example.com."), "example.com");
        assert_eq!(registrable("alice.github.io"), "alice.github.io");
        assert_eq!(registrable("127.0.0.1"), "127.0.0.1");
    }

    #[test]
    fn url_shapes() {
        let s = Shape::of(&Url::parse("https://x.test/world/2026/01/14/a-b-c").unwrap());
        assert_eq!(s.key, "w/y/n/n/w");
        assert!(s.item_like);
        let s = Shape::of(&Url::parse("https://x.test/world/").unwrap());
        assert!(s.nav_like && !s.item_like);
        let s = Shape::of(&Url::parse("https://x.test/viewtopic.php?t=42").unwrap());
        assert_eq!(s.key, "w?t");
        assert!(s.item_like);
    }

    #[test]
    fn weak_and_boilerplate_texts() {
        assert!(is_weak_text("Read more »"));
        assert!(is_weak_text("Continue reading The Quiet Rivers"));
        assert!(is_weak_text("→"));
        assert!(!is_weak_text("Bridge closure extended"));
        assert!(is_boilerplate_text("« Older posts"));
        assert!(is_boilerplate_text("12 Comments"));
        assert!(is_boilerplate_text("Sign in"));
        assert!(!is_boilerplate_text("Next steps for the harbour plan"));
    }

    #[test]
    fn date_texts() {
        for t in [
            "2h ago",
            "Mar 2024",
            "14.01.2026",
            "3 hours ago",
            "2026年1月14日",
            "Jan 12",
        ] {
            assert!(is_date_text(t), "{t}");
        }
        assert!(!is_date_text("Posting guidelines for this category"));
        assert!(!is_date_text("4.2.0"));
    }

    #[test]
    fn zone_classes_need_a_word_at_an_end() {
        let doc = Html::parse_fragment(
            r#"<div class="site-footer"></div><div class="has-sidebar"></div><div class="elementor-widget-posts"></div>"#,
        );
        let flags: Vec<bool> = doc.select(selector!("div")).map(is_soft_zone).collect();
        assert_eq!(flags, [true, false, false]);
    }

    const LIST: &str = r#"<html><body>
        <nav><a href="/a/">A section</a><a href="/b/">B section</a></nav>
        <main>
          <article><h2><a href="/2026/01/first-post-here">First post here</a></h2><time datetime="2026-01-10T08:00:00Z">10 Jan</time></article>
          <article><h2><a href="/2026/01/second-post-here">Second post here</a></h2><time datetime="2026-01-09T08:00:00Z">9 Jan</time></article>
          <article><h2><a href="/2026/01/third-post-here">Third post here</a></h2><time datetime="2026-01-08T08:00:00Z">8 Jan</time></article>
        </main></body></html>"#;

    #[test]
    fn finds_articles_in_order_with_dates() {
        let d = run(LIST, "https://www.blog.test/");
        let links: Vec<&str> = d.items.iter().map(|i| i.link.as_str()).collect();
        assert_eq!(
            links,
            [
                "https://www.blog.test/2026/01/first-post-here",
                "https://www.blog.test/2026/01/second-post-here",
                "https://www.blog.test/2026/01/third-post-here"
            ]
        );
        assert_eq!(d.items[0].title.as_deref(), Some("First post here"));
        assert!(d.items[0].date.is_some());
        assert!(d.method.contains("article"), "{}", d.method);
    }

    #[test]
    fn other_sites_are_not_items() {
        let abs = LIST.replace("href=\"/2026", "href=\"https://blog.test/2026");
        let d = run(&abs, "https://elsewhere.test/");
        assert!(d.items.is_empty());
    }

    #[test]
    fn file_pages_keep_file_links_and_canonical_host() {
        let html = LIST.replace(
            "<html><body>",
            r#"<html><head><link rel="canonical" href="https://blog.test/"></head><body>"#,
        );
        let abs = html.replace(
            "href=\"/2026/01/third",
            "href=\"https://blog.test/2026/01/third",
        );
        let d = run(&abs, "file:///tmp/page/index.html");
        let links: Vec<&str> = d.items.iter().map(|i| i.link.as_str()).collect();
        assert_eq!(
            links,
            [
                "file:///2026/01/first-post-here",
                "file:///2026/01/second-post-here",
                "https://blog.test/2026/01/third-post-here"
            ]
        );
    }

    /// A large page (2,000 items, a 1,500-link menu, deep wrappers) must stay fast:
    /// nothing in the detector may compare every element with every other.
    #[test]
    fn big_pages_stay_linear() {
        let mut html = String::from("<html><body><div class=menu-wrap><ul class=mega>");
        for i in 0..1500 {
            html.push_str(&format!("<li><a href='/section-{i}/'>Section {i}</a></li>"));
        }
        html.push_str("</ul></div><main>");
        for _ in 0..30 {
            html.push_str("<div class=wrap>");
        }
        for i in 0..2000 {
            html.push_str(&format!(
                "<article class=post><h2><a href='/2025/{:02}/post-number-{i}-title'>Post number {i} has a title</a></h2>\
                 <p>Some teaser text for the post, long enough to count as a summary here.</p>\
                 <a href='/category/c{}/'>C</a></article>",
                i % 12 + 1,
                i % 7
            ));
        }
        for _ in 0..30 {
            html.push_str("</div>");
        }
        html.push_str("</main></body></html>");
        let start = std::time::Instant::now();
        let d = run(&html, "https://big.test/");
        assert_eq!(d.items.len(), 2000);
        // Generous for unoptimised builds on a busy machine; quadratic passes take minutes.
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn json_ld_item_list_is_honoured() {
        let html = r#"<html><head><script type="application/ld+json">
            {"@context":"https://schema.org","@type":"ItemList","itemListElement":[
              {"@type":"ListItem","position":2,"url":"https://shop.test/r/beta-bean-stew"},
              {"@type":"ListItem","position":1,"url":"https://shop.test/r/alpha-pea-soup","name":"Alpha pea soup"},
              {"@type":"ListItem","position":3,"item":{"@id":"https://shop.test/r/gamma-rice-bowl","name":"Gamma"}},
              {"@type":"ListItem","position":4,"url":"https://other.test/r/x"}]}
            </script></head><body><p>Recipes</p></body></html>"#;
        let d = run(html, "https://www.shop.test/r/");
        let links: Vec<&str> = d.items.iter().map(|i| i.link.as_str()).collect();
        assert_eq!(
            links,
            [
                "https://shop.test/r/alpha-pea-soup",
                "https://shop.test/r/beta-bean-stew",
                "https://shop.test/r/gamma-rice-bowl"
            ]
        );
        assert_eq!(d.items[0].title.as_deref(), Some("Alpha pea soup"));
        assert!(d.method.contains("JSON-LD"));
    }
}
