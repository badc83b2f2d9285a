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

use std::borrow::Cow;
use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html, Node};
use url::Url;

use super::{canonical_link, ListedItem};
use crate::date::{find_date, parse_date, DateContext, ParsedDate};
use crate::html::site::{host_allowed, registrable};
use crate::html::vocab::{self, Match, Readers};
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

/// One kind of evidence that a link is not one of the page's items. None decides
/// alone: each takes its weight off the per-item quality of the group the link is in,
/// so a list whose structure speaks for it still wins (a blog whose posts live under
/// `/category/…`, permalinks in each note's footer, a list inside a `<header>`), and
/// only what is never an item is dropped outright (see [`hard_url_exclusion`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Against {
    /// Inside `nav`, `aside`, `menu`, `dialog` or an ARIA navigation/search region.
    NavZone,
    /// Inside the site's header or footer (outside any item).
    SiteChrome,
    /// Inside a hidden element.
    Hidden,
    /// Inside an element whose class or id names a zone (sidebar, related, share, …).
    ZoneClass,
    /// The same, inside an item: the item's own meta bar or footer.
    ItemZoneClass,
    /// In a box titled like a rail ("Most read", "Related").
    Rail,
    /// `rel="tag"`, `"category"` or `"author"`.
    RelTaxonomy,
    /// A taxonomy or profile page: `/tag/x`, `/category/x`, `/author/x`.
    TaxonomyUrl,
    /// Site furniture: `/about`, `/contact`, `/privacy`, …
    FurnitureUrl,
    /// A sibling section of the listing: `/category/sports` beside `/category/world/`.
    SiblingSection,
}

const AGAINST_KINDS: [Against; 10] = [
    Against::NavZone,
    Against::SiteChrome,
    Against::Hidden,
    Against::ZoneClass,
    Against::ItemZoneClass,
    Against::Rail,
    Against::RelTaxonomy,
    Against::TaxonomyUrl,
    Against::FurnitureUrl,
    Against::SiblingSection,
];

impl Against {
    /// What this evidence takes off one item's quality (roughly 0–12, see
    /// [`Analysis::terms`]). Tuned so that a menu, a rail or a tag cloud loses to the
    /// page's list, while a list with real titles, dates and item URLs survives one
    /// piece of evidence against it.
    fn weight(self) -> f32 {
        match self {
            Against::NavZone => 3.5,
            Against::SiteChrome => 3.0,
            Against::Hidden => 4.0,
            Against::ZoneClass => 2.5,
            Against::ItemZoneClass => 1.0,
            Against::Rail => 3.0,
            Against::RelTaxonomy => 2.5,
            Against::TaxonomyUrl => 2.5,
            Against::FurnitureUrl => 2.5,
            Against::SiblingSection => 1.5,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Against::NavZone => "in navigation or a sidebar (nav/aside/menu, ARIA role)",
            Against::SiteChrome => "in the site's header or footer",
            Against::Hidden => "hidden",
            Against::ZoneClass => "class or id names a zone (menu, sidebar, related, share…)",
            Against::ItemZoneClass => "in an item's own meta/footer box",
            Against::Rail => "in a box titled like a rail (most read, related…)",
            Against::RelTaxonomy => "rel=tag/category/author",
            Against::TaxonomyUrl => "URL of a tag, category or author page",
            Against::FurnitureUrl => "URL of site furniture (about, contact, privacy…)",
            Against::SiblingSection => "URL of a sibling section of the listing",
        }
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A set of [`Against`] evidence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Evidence(u16);

/// Most a link's evidence against it can weigh: beyond it, more evidence adds nothing.
const MAX_AGAINST: f32 = 6.0;

impl Evidence {
    fn add(&mut self, a: Against) {
        self.0 |= a.bit();
    }

    fn union(self, other: Evidence) -> Evidence {
        Evidence(self.0 | other.0)
    }

    fn has(self, a: Against) -> bool {
        self.0 & a.bit() != 0
    }

    fn kinds(self) -> impl Iterator<Item = Against> {
        AGAINST_KINDS.into_iter().filter(move |a| self.has(*a))
    }

    fn weight(self) -> f32 {
        self.kinds()
            .map(Against::weight)
            .sum::<f32>()
            .min(MAX_AGAINST)
    }
}

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
    detect_listing(html, base, base, ctx, allow_hosts)
}

/// [`detect_allowing`] for a listing fetched from `listing` (the page's own URL, whose
/// path is evidence: links below it are likely items, its sibling sections likely
/// navigation). Links resolve against `base`.
pub fn detect_listing(
    html: &Html,
    base: &Url,
    listing: &Url,
    ctx: &DateContext,
    allow_hosts: &[String],
) -> Detected {
    Page::analyse(html, base, listing, ctx, allow_hosts, |page, analysis| {
        page.combine(analysis).0
    })
}

/// Everything detection computes about one page but the analysis (which borrows it).
struct Page<'h, 'c> {
    html: &'h Html,
    base: &'h Url,
    ctx: DateContext<'c>,
    site: Site,
}

impl<'h, 'c> Page<'h, 'c> {
    /// Indexes the page, scores its links and hands the analysis to `then`.
    fn analyse<R>(
        html: &'h Html,
        base: &'h Url,
        listing: &Url,
        ctx: &DateContext<'c>,
        allow_hosts: &[String],
        then: impl FnOnce(&Page<'h, 'c>, &Analysed) -> R,
    ) -> R
    where
        'h: 'c,
    {
        let page_lang = html.root_element().value().attr("lang");
        let ctx = DateContext {
            lang: ctx.lang.or(page_lang),
            ..*ctx
        };
        let mut site = Site::new(html, base);
        site.allowed = allow_hosts.to_vec();
        // A listing served from elsewhere than its links (a saved page with `<base>`)
        // is judged by the address its links resolve against.
        let listing = if listing.origin() == base.origin() {
            listing
        } else {
            base
        };
        let dom = Dom::build(html);
        let links = candidates(&dom, base, listing, &site);
        let analysis = Analysis::run(&dom, base, &site, &links.cands);
        let choice = analysis.choose();
        let page = Page {
            html,
            base,
            ctx,
            site: site.clone(),
        };
        then(
            &page,
            &Analysed {
                analysis: &analysis,
                choice: choice.as_ref(),
                dropped: &links.dropped,
            },
        )
    }

    /// The markup's choice and a declared `ItemList`, made one list. A declared list
    /// the markup's list mostly shows is merged into it (page order, the declared
    /// items the markup missed after them); a declared list the markup does not show is
    /// taken over a smaller or low-confidence markup list, and never over a clear list
    /// with more items (it is then another list, such as "most popular").
    fn combine(&self, a: &Analysed) -> (Detected, Vec<Url>) {
        let analysis = a.analysis;
        let ctx = &self.ctx;
        let from_markup = |c: &Choice| -> Vec<ListedItem> {
            c.members.iter().map(|m| analysis.extract(m, ctx)).collect()
        };
        let declared = declared_list(self.html, self.base, &self.site);
        let detected = match (a.choice, declared) {
            (None, None) => Detected {
                items: Vec::new(),
                method: "auto: nothing looks like a list".into(),
            },
            (Some(c), None) => Detected {
                items: from_markup(c),
                method: c.method.clone(),
            },
            (None, Some(d)) => from_declared(d, analysis, ctx),
            (Some(c), Some((list, kind))) => {
                let mut items = from_markup(c);
                let urls: HashSet<Url> = items.iter().map(|i| i.link.clone()).collect();
                let covered = list.iter().filter(|(u, _)| urls.contains(u)).count();
                if covered * 2 >= list.len() {
                    let names: HashMap<&Url, &String> = list
                        .iter()
                        .filter_map(|(u, n)| Some((u, n.as_ref()?)))
                        .collect();
                    for item in &mut items {
                        if item.title.is_none() {
                            item.title = names.get(&item.link).map(|n| n.to_string());
                        }
                    }
                    let missing: Vec<(Url, Option<String>)> = list
                        .into_iter()
                        .filter(|(u, _)| !urls.contains(u))
                        .collect();
                    let mut method = c.method.clone();
                    if missing.is_empty() {
                        method.push_str(&format!(" (the page's {kind} ItemList agrees)"));
                    } else {
                        method.push_str(&format!(
                            " + {} more from the page's {kind} ItemList",
                            missing.len()
                        ));
                        items.extend(from_declared((missing, kind), analysis, ctx).items);
                    }
                    Detected { items, method }
                } else if c.confidence == Confidence::Clear && items.len() >= list.len() {
                    Detected {
                        items,
                        method: c.method.clone(),
                    }
                } else {
                    from_declared((list, kind), analysis, ctx)
                }
            }
        };
        let links = detected.items.iter().map(|i| i.link.clone()).collect();
        (detected, links)
    }
}

/// What [`Page::analyse`] hands on.
struct Analysed<'x, 'd, 'a> {
    analysis: &'x Analysis<'d, 'a>,
    choice: Option<&'x Choice>,
    dropped: &'x [(usize, Url, &'static str)],
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
                    media: Default::default(),
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
    /// The quality's terms that speak for the group (name, value), largest first.
    pub evidence_for: Vec<(&'static str, f32)>,
    /// The terms that speak against it (name, value < 0), largest first.
    pub evidence_against: Vec<(&'static str, f32)>,
    /// What the links of the group have against them: (what, how many links).
    pub against_links: Vec<(&'static str, usize)>,
    /// Whether the group is the list, joined it, or why not.
    pub verdict: String,
}

/// A link of the chosen list's region that is not an item, with the rule that left it
/// out.
#[derive(Debug, Clone)]
pub struct DroppedLink {
    /// The link, absolute.
    pub url: Url,
    /// Its text.
    pub text: String,
    /// Why it is not an item.
    pub rule: String,
}

/// Why detection chose what it chose: for `pagefeed check --explain`.
#[derive(Debug, Clone)]
pub struct Explanation {
    /// How the items were found (as in the feed's `check` line).
    pub method: String,
    /// The items' links, in order.
    pub items: Vec<Url>,
    /// The best-scoring groups, best first.
    pub groups: Vec<CandidateGroup>,
    /// Links inside the chosen list's container that are not items.
    pub dropped: Vec<DroppedLink>,
}

/// The page's groups of repeated links, best first (at most `limit`), to show why
/// detection chose what it chose or found nothing.
pub fn explain(html: &Html, base: &Url, ctx: &DateContext, limit: usize) -> Vec<CandidateGroup> {
    explain_listing(html, base, base, ctx, &[], limit).groups
}

/// Everything `pagefeed check --explain` shows: the top `limit` groups with the
/// evidence for and against each, the verdict on each, and every link of the chosen
/// list's container that was left out, with the rule that left it out.
pub fn explain_listing(
    html: &Html,
    base: &Url,
    listing: &Url,
    ctx: &DateContext,
    allow_hosts: &[String],
    limit: usize,
) -> Explanation {
    Page::analyse(html, base, listing, ctx, allow_hosts, |page, a| {
        let (detected, items) = page.combine(a);
        let analysis = a.analysis;
        let mut order: Vec<usize> = (0..analysis.groups.len()).collect();
        order.sort_by(|&x, &y| {
            analysis.groups[y]
                .score
                .total_cmp(&analysis.groups[x].score)
        });
        let verdict = |gi: usize| -> String {
            match a.choice {
                Some(c) if !c.verdicts[gi].is_empty() => c.verdicts[gi].clone(),
                _ => {
                    let g = &analysis.groups[gi];
                    if g.members.len() < 2 {
                        "not a list: a single link".to_string()
                    } else {
                        format!("below the quality floor ({MIN_QUALITY:.1})")
                    }
                }
            }
        };
        let groups = order
            .iter()
            .take(limit)
            .map(|&gi| {
                let g = &analysis.groups[gi];
                let mut evidence_for: Vec<(&'static str, f32)> = Vec::new();
                let mut evidence_against = Vec::new();
                for (name, v) in terms(&g.stats) {
                    if v > 0.005 {
                        evidence_for.push((name, v));
                    } else if v < -0.005 {
                        evidence_against.push((name, v));
                    }
                }
                evidence_for.sort_by(|x, y| y.1.total_cmp(&x.1));
                evidence_against.sort_by(|x, y| x.1.total_cmp(&y.1));
                let against_links = AGAINST_KINDS
                    .iter()
                    .map(|&k| {
                        let n = g
                            .members
                            .iter()
                            .filter(|m| analysis.cands[m.cand].against.has(k))
                            .count();
                        (k.label(), n)
                    })
                    .filter(|(_, n)| *n > 0)
                    .collect();
                CandidateGroup {
                    block: analysis.block_signature(&g.members),
                    items: g.members.len(),
                    quality: g.quality,
                    score: g.score,
                    sample: g
                        .members
                        .iter()
                        .take(3)
                        .map(|m| (analysis.cands[m.cand].url.clone(), m.title.clone()))
                        .collect(),
                    evidence_for,
                    evidence_against,
                    against_links,
                    verdict: verdict(gi),
                }
            })
            .collect();
        let dropped = match a.choice {
            Some(c) => dropped_links(a, c, &items, &verdict),
            None => Vec::new(),
        };
        Explanation {
            method: detected.method,
            items,
            groups,
            dropped,
        }
    })
}

/// Every link inside the chosen list's container that is not an item, with its rule.
fn dropped_links(
    a: &Analysed,
    c: &Choice,
    items: &[Url],
    verdict: &dyn Fn(usize) -> String,
) -> Vec<DroppedLink> {
    let analysis = a.analysis;
    let dom = analysis.dom;
    let Some(region) = analysis.common_ancestor(c.members.iter().map(|m| m.block)) else {
        return Vec::new();
    };
    let end = dom.els[region].end;
    let chosen: HashSet<&Url> = items.iter().collect();
    let mut rules: HashMap<usize, (Url, String)> = HashMap::new();
    for (node, url, rule) in a.dropped.iter().filter(|d| (region..end).contains(&d.0)) {
        rules.insert(*node, (url.clone(), (*rule).to_string()));
    }
    for (ci, cand) in analysis.cands.iter().enumerate() {
        if (region..end).contains(&cand.node) && !chosen.contains(&cand.url) {
            let gi = analysis.group_of[ci];
            let sig = analysis.block_signature(&analysis.groups[gi].members);
            let rule = format!(
                "in the `{sig}` group (score {:.1}): {}",
                analysis.groups[gi].score,
                verdict(gi)
            );
            rules.insert(cand.node, (cand.url.clone(), rule));
        }
    }
    let mut out: Vec<(usize, DroppedLink)> = rules
        .into_iter()
        .map(|(node, (url, rule))| {
            let text = link_text(dom.els[node].el);
            (node, DroppedLink { url, text, rule })
        })
        .collect();
    out.sort_by_key(|(n, _)| *n);
    out.into_iter().map(|(_, d)| d).collect()
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
    /// What the element's tag, role or visibility says against the links inside it:
    /// nav, aside, the site's header or footer, hidden.
    hard: Evidence,
    /// What its class or id (or a rail heading above it) says: sidebar, related, share…
    soft: Evidence,
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
            crate::work::check();
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
                    els[p].soft.add(Against::Rail);
                }
                rail_headings.push(idx);
            }
            let mut soft = Evidence::default();
            if is_soft_zone(el) {
                // A zone class inside an item (a note's `note-footer` holding its
                // permalink, a card's `meta` bar) is the item's own furniture.
                soft.add(if in_item {
                    Against::ItemZoneClass
                } else {
                    Against::ZoneClass
                });
            }
            els.push(El {
                el,
                parent,
                end: idx + 1,
                prev: None,
                path: h.finish(),
                in_item,
                hard: hard_zone(el, in_item),
                soft,
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
                dom.els[next].soft.add(Against::Rail);
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

/// What an element's tag, role and visibility say against the links inside it.
fn hard_zone(el: ElementRef, in_item: bool) -> Evidence {
    let mut ev = Evidence::default();
    let v = el.value();
    let name = v.name();
    if matches!(name, "nav" | "aside" | "dialog" | "menu") {
        ev.add(Against::NavZone);
    }
    // A header or footer inside an article is the item's own; outside it is the site's.
    if matches!(name, "header" | "footer") && !in_item {
        ev.add(Against::SiteChrome);
    }
    if let Some(role) = v.attr("role") {
        let role = role.to_ascii_lowercase();
        if matches!(
            role.as_str(),
            "navigation" | "complementary" | "search" | "menu" | "menubar"
        ) {
            ev.add(Against::NavZone);
        }
        if matches!(role.as_str(), "banner" | "contentinfo") && !in_item {
            ev.add(Against::SiteChrome);
        }
    }
    let hidden_style = v.attr("style").is_some_and(|s| {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    });
    if v.attr("hidden").is_some() || v.attr("aria-hidden") == Some("true") || hidden_style {
        ev.add(Against::Hidden);
    }
    ev
}

/// The boilerplate vocabulary's words for discovery ([`vocab`]): a zone which never
/// holds the page's items has one as the first or last word of a class or id name.
static ZONE_WORDS: LazyLock<vocab::Lookup> = LazyLock::new(|| {
    vocab::Lookup::new(
        vocab::words(Readers::DISCOVER, Match::Inside)
            .chain(vocab::words(Readers::DISCOVER, Match::Whole)),
    )
});

/// Words that name a zone only as the first word of a class ([`Match::Leading`]).
static ZONE_FIRST_WORDS: LazyLock<vocab::Lookup> =
    LazyLock::new(|| vocab::Lookup::new(vocab::words(Readers::DISCOVER, Match::Leading)));

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
            .any(|w| matches!(&**w, "has" | "with" | "no" | "without" | "is"))
        {
            continue;
        }
        let compound = if words.len() == 1 {
            ZONE_COMPOUNDS.contains(&&*words[0])
        } else {
            ZONE_COMPOUNDS.contains(&words.concat().as_str())
        };
        if compound {
            return true;
        }
        let first = words.first().map(|w| &**w).unwrap_or("");
        let last = words.last().map(|w| &**w).unwrap_or("");
        if ZONE_WORDS.contains(first)
            || ZONE_WORDS.contains(last)
            || ZONE_FIRST_WORDS.contains(first)
        {
            return true;
        }
    }
    false
}

/// Splits a class or id name into lowercase words at `-`, `_`, `:` and camelCase.
fn token_words(token: &str) -> Vec<Cow<'_, str>> {
    if is_plain_token(token) {
        return plain_words(token).map(Cow::Borrowed).collect();
    }
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in token.chars() {
        if matches!(c, '-' | '_' | ':' | '.' | '/') {
            if !cur.is_empty() {
                words.push(Cow::Owned(std::mem::take(&mut cur)));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            words.push(Cow::Owned(std::mem::take(&mut cur)));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        words.push(Cow::Owned(cur));
    }
    words
}

/// The words of a [plain](is_plain_token) class or id name: its pieces between
/// separators, as they are.
fn plain_words(token: &str) -> impl Iterator<Item = &str> {
    token
        .split(['-', '_', ':', '.', '/'])
        .filter(|w| !w.is_empty())
}

/// A class or id name of lower-case ASCII, digits and separators, whose words need no
/// lower-casing nor camelCase split.
fn is_plain_token(token: &str) -> bool {
    token
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_:./".contains(&b))
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
                && !token_words(c).iter().any(|w| STATE_WORDS.contains(&&**w))
        })
}

/// `tag.class` of an element, for messages.
fn signature(el: ElementRef) -> String {
    match stable_class(el) {
        Some(c) => format!("{}.{c}", el.value().name()),
        None => el.value().name().to_string(),
    }
}

/// Whether any word of the element's class and `itemprop` names (split as
/// [`token_words`] splits them) satisfies `f`, without building the words when the
/// names are plain lower-case ASCII (nearly all of them).
fn class_any(el: ElementRef, mut f: impl FnMut(&str) -> bool) -> bool {
    let v = el.value();
    for token in v.classes().chain(v.attr("itemprop")) {
        if is_plain_token(token) {
            if plain_words(token).any(&mut f) {
                return true;
            }
        } else if token_words(token).iter().any(|w| f(w)) {
            return true;
        }
    }
    false
}

// ---------------------------------------------------------------------------------
// Stage 2: candidate links.

/// Which hosts count as the page's own site.
#[derive(Clone)]
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
                self.domains.contains(&registrable(h)) || host_allowed(h, &self.allowed)
            }),
            _ => false,
        }
    }
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
    /// What speaks against this link being an item.
    against: Evidence,
    /// The link lies below the listing's own path (`/category/world/` →
    /// `/category/world/<slug>`).
    below: bool,
}

/// The page's links, sorted out: the candidates, and those dropped outright with why.
struct Links<'a> {
    cands: Vec<Cand<'a>>,
    /// Links never taken as items (element index, URL, rule), for `check --explain`.
    dropped: Vec<(usize, Url, &'static str)>,
}

fn candidates<'a>(dom: &Dom<'a>, base: &Url, listing: &Url, site: &Site) -> Links<'a> {
    // Same-site links, to weigh zones by their share of links.
    let mut raw: Vec<(usize, Url)> = Vec::new();
    let mut dropped = Vec::new();
    for (i, e) in dom.els.iter().enumerate() {
        crate::work::check();
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
        } else {
            dropped.push((i, url, "another site (see allow_hosts)"));
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
    // What each element's zones say against the links inside it, inherited. A zone
    // class on an element holding most of the page's links, or the main content, is a
    // layout wrapper ("content-sidebar-wrap"), not a sidebar.
    let total = raw.len();
    let mut zone = vec![Evidence::default(); n];
    for i in 0..n {
        let e = &dom.els[i];
        let mut z = e.parent.map(|p| zone[p]).unwrap_or_default().union(e.hard);
        if !holds_main[i] && links_under[i] * 2 <= total {
            z = z.union(e.soft);
        }
        zone[i] = z;
    }

    let page = page_key(base);
    let listing_segs = path_segments(listing);
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut cands = Vec::new();
    for (i, url) in raw {
        let el = dom.els[i].el;
        let key = page_key(&url);
        let hard = if key == page || key == page_key(listing) {
            Some("the listing page itself")
        } else if url.path() == "/" && url.query().is_none() {
            Some("the site's home page")
        } else if rel_excludes(el) {
            Some("rel=next/prev/alternate/license/me/search")
        } else {
            hard_url_exclusion(&url)
        };
        if let Some(rule) = hard {
            dropped.push((i, url, rule));
            continue;
        }
        let text = link_text(el);
        if is_boilerplate_text(&text) {
            dropped.push((
                i,
                url,
                "link text is page furniture (next, log in, share, …)",
            ));
            continue;
        }
        let weak = is_weak_text(&text) || is_date_text(&text);
        let (url_against, below) = url_evidence(&url, &listing_segs);
        let mut against = zone[i].union(url_against);
        if rel_taxonomy(el) {
            against.add(Against::RelTaxonomy);
        }
        let next = ids.len();
        let url_id = *ids.entry(url.as_str().to_string()).or_insert(next);
        cands.push(Cand {
            node: i,
            shape: Shape::of(&url),
            url,
            url_id,
            text,
            weak,
            el,
            against,
            below,
        });
    }
    dropped.sort_by_key(|d| d.0);
    Links { cands, dropped }
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

/// `rel` values of links that are never items: pagination, alternates, licences.
fn rel_excludes(el: ElementRef) -> bool {
    rel_has(
        el,
        &[
            "next",
            "prev",
            "previous",
            "me",
            "license",
            "help",
            "search",
            "alternate",
        ],
    )
}

/// `rel` values of taxonomy links: evidence against, not a verdict (some themes put
/// `rel="tag"` on every post link).
fn rel_taxonomy(el: ElementRef) -> bool {
    rel_has(el, &["tag", "category", "author"])
}

fn rel_has(el: ElementRef, values: &[&str]) -> bool {
    el.value().attr("rel").is_some_and(|rel| {
        rel.split_ascii_whitespace()
            .any(|r| values.iter().any(|v| r.eq_ignore_ascii_case(v)))
    })
}

/// Path segments of login, account and shop-furniture endpoints: never items.
#[rustfmt::skip]
const ACCOUNT_SEGMENTS: &[&str] = &[
    "login", "logout", "signin", "sign-in", "signout", "sign-out", "register", "signup",
    "sign-up", "wp-login.php", "wp-admin", "cdn-cgi", "cart", "checkout", "my-account",
];

/// Segments of feed endpoints.
const FEED_SEGMENTS: &[&str] = &["feed", "feeds", "rss", "atom", "rss.xml", "atom.xml"];

/// Segments that introduce a taxonomy or profile page (`/tag/rust`, `/blog/author/jo`).
#[rustfmt::skip]
const TAXONOMY_SEGMENTS: &[&str] = &[
    "tag", "tags", "category", "categories", "author", "authors", "user", "users", "u",
    "member", "members", "profile", "profiles", "label", "labels", "topic", "topics",
];

/// First segments of site furniture pages.
#[rustfmt::skip]
const FURNITURE_SEGMENTS: &[&str] = &[
    "contact", "privacy", "terms", "cookies", "cookie-policy", "imprint", "impressum",
    "about", "about-us", "legal", "sitemap", "search", "subscribe", "newsletter", "share",
    "print", "help", "faq", "join", "account", "accounts", "admin",
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

/// A URL's non-empty path segments, lowercased.
fn path_segments(url: &Url) -> Vec<String> {
    url.path_segments()
        .map(|s| {
            s.filter(|p| !p.is_empty())
                .map(|p| p.to_ascii_lowercase())
                .collect()
        })
        .unwrap_or_default()
}

/// Why a same-site URL is never an item, if it is one of those: a login or account
/// endpoint, a feed, a file download, a page of the list itself (`/page/2`, `?page=2`).
fn hard_url_exclusion(url: &Url) -> Option<&'static str> {
    let segs = path_segments(url);
    if segs.iter().any(|s| ACCOUNT_SEGMENTS.contains(&s.as_str())) {
        return Some("login, account or cart page");
    }
    if segs
        .last()
        .is_some_and(|s| FEED_SEGMENTS.contains(&s.as_str()))
        || segs
            .first()
            .is_some_and(|s| FEED_SEGMENTS.contains(&s.as_str()))
    {
        return Some("feed link");
    }
    for (i, s) in segs.iter().enumerate() {
        if s == "page"
            && segs
                .get(i + 1)
                .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
        {
            return Some("pagination");
        }
    }
    if let Some((_, ext)) = segs.last().and_then(|l| l.rsplit_once('.')) {
        if FILE_EXTENSIONS.contains(&ext) {
            return Some("file download");
        }
    }
    if url
        .query_pairs()
        .any(|(k, _)| LIST_QUERY_KEYS.contains(&k.to_ascii_lowercase().as_str()))
    {
        return Some("pagination, sort or action parameter");
    }
    None
}

/// A path segment that names one item by itself: a number, a version, a date, a long
/// slug or a page file.
fn item_like_segment(seg: &str) -> bool {
    let (stem, ext) = match seg.rsplit_once('.') {
        Some((s, e)) if e.chars().all(|c| c.is_ascii_alphabetic()) => (s, true),
        _ => (seg, false),
    };
    let digits = stem.chars().filter(|c| c.is_ascii_digit()).count();
    let words = stem
        .split(['-', '_', '+'])
        .filter(|w| !w.is_empty())
        .count();
    ext || digits >= 3 || (digits > 0 && stem.contains('.')) || words >= 3
}

/// What a URL's path says against it being an item, and whether it lies below the
/// listing's own path (`listing` = the listing's segments).
fn url_evidence(url: &Url, listing: &[String]) -> (Evidence, bool) {
    let segs = path_segments(url);
    let mut ev = Evidence::default();
    if let Some(i) = segs
        .iter()
        .position(|s| TAXONOMY_SEGMENTS.contains(&s.as_str()))
    {
        // `/tag/rust` is a tag page; `/category/world/<slug>` and
        // `/releases/tag/v2.10.2` are items filed under one.
        let rest = &segs[i + 1..];
        if rest.len() <= 1 && rest.first().is_none_or(|r| !item_like_segment(r)) {
            ev.add(Against::TaxonomyUrl);
        }
    }
    if segs.len() <= 2 {
        if let Some(first) = segs.first() {
            let stem = first.split('.').next().unwrap_or(first);
            if FURNITURE_SEGMENTS.contains(&stem) {
                ev.add(Against::FurnitureUrl);
            }
        }
    }
    let below = !listing.is_empty() && segs.len() > listing.len() && segs.starts_with(listing);
    if let (Some((last, parent)), Some((l_last, l_parent))) =
        (segs.split_last(), listing.split_last())
    {
        let section_like = |s: &str| !s.contains('.') && !item_like_segment(s);
        // Only below the top level: `/category/sports` beside `/category/world/` is a
        // menu, but `/on-keeping` beside `/essays` may be a post of a small site.
        if !l_parent.is_empty()
            && parent == l_parent
            && last != l_last
            && section_like(last)
            && section_like(l_last)
        {
            ev.add(Against::SiblingSection);
        }
    }
    (ev, below)
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
/// Whether [`DATE_RE`] can match: every date it knows has a digit but "today" and
/// "yesterday". Most texts have neither, and the check costs far less than the regex.
fn may_hold_date(t: &str) -> bool {
    let has = |w: &[u8]| {
        t.as_bytes()
            .windows(w.len())
            .any(|x| x.eq_ignore_ascii_case(w))
    };
    t.chars().any(char::is_numeric) || has(b"today") || has(b"yesterday")
}

fn is_date_text(t: &str) -> bool {
    let n = t.chars().count();
    n > 0
        && may_hold_date(t)
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
    /// One short word deep (not a page file): a section or menu link.
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
        let mut any_page_ext = false;
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
            any_page_ext |= page_ext;
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
            // `/world/` is a section; `/essay.html` is a page.
            nav_like: segs.len() <= 1 && !item_like && !any_page_ext,
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
    /// Distinct candidate URLs in the block: 1 in a clean list (one link per item).
    urls_in_block: usize,
}

/// Per-item means of what a group's members show.
#[derive(Debug, Clone, Copy, Default)]
struct Stats {
    title_len: f32,
    title_words: f32,
    headline: f32,
    date: f32,
    article: f32,
    url_item: f32,
    agree: f32,
    summary: f32,
    below: f32,
    weak: f32,
    inline: f32,
    nav: f32,
    uniq: f32,
    one_link: f32,
    against: f32,
}

struct Group {
    members: Vec<Member>,
    stats: Stats,
    quality: f32,
    score: f32,
}

struct Analysis<'d, 'a> {
    dom: &'d Dom<'a>,
    base: &'d Url,
    site: &'d Site,
    cands: &'d [Cand<'a>],
    groups: Vec<Group>,
    /// The group of each candidate.
    group_of: Vec<usize>,
}

/// How sure detection is that its list is the page's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Confidence {
    /// A group passed the quality floor.
    Clear,
    /// No group did; the best clean repeated list was taken (a plain list of titles).
    Guess,
}

/// The chosen members, in page order, and how they were chosen.
struct Choice {
    members: Vec<Member>,
    method: String,
    confidence: Confidence,
    /// Per group: why it is, joined or did not join the list.
    verdicts: Vec<String>,
}

/// A group's URL family: the shapes of at least a tenth of its URLs, and the first
/// path segment when they all share one.
struct Family<'g> {
    shapes: HashSet<&'g str>,
    section: Option<&'g str>,
}

/// Evidence against a link (see [`Against::weight`]) that makes it an outlier in a
/// group most of whose links have none.
const OUTLIER_AGAINST: f32 = 2.0;

/// Quality a lead story (one or two links above the list) needs to join it.
const MIN_LEAD_QUALITY: f32 = 4.0;

/// The mean of `f` over the members (0 for none).
fn mean(members: &[Member], f: impl Fn(&Member) -> f32) -> f32 {
    if members.is_empty() {
        return 0.0;
    }
    members.iter().map(f).sum::<f32>() / members.len() as f32
}

impl<'d, 'a> Analysis<'d, 'a> {
    fn run(
        dom: &'d Dom<'a>,
        base: &'d Url,
        site: &'d Site,
        cands: &'d [Cand<'a>],
    ) -> Analysis<'d, 'a> {
        let mut by_path: HashMap<u64, usize> = HashMap::new();
        let mut raw_groups: Vec<Vec<usize>> = Vec::new();
        let mut group_of = Vec::with_capacity(cands.len());
        for (ci, c) in cands.iter().enumerate() {
            let path = dom.els[c.node].path;
            let gi = *by_path.entry(path).or_insert_with(|| {
                raw_groups.push(Vec::new());
                raw_groups.len() - 1
            });
            raw_groups[gi].push(ci);
            group_of.push(gi);
        }
        let cand_nodes: Vec<usize> = cands.iter().map(|c| c.node).collect();
        let mut analysis = Analysis {
            dom,
            base,
            site,
            cands,
            groups: Vec::with_capacity(raw_groups.len()),
            group_of,
        };
        for cis in raw_groups {
            let (members, outliers) = analysis.members(&cis, &cand_nodes);
            let group = analysis.group(members);
            analysis.groups.push(group);
            if !outliers.is_empty() {
                let gi = analysis.groups.len();
                for m in &outliers {
                    analysis.group_of[m.cand] = gi;
                }
                let group = analysis.group(outliers);
                analysis.groups.push(group);
            }
        }
        analysis
    }

    /// The members of one structural group, and the outliers among them: links with
    /// evidence against them (a tag page, a sidebar) in a group most of whose links
    /// have none. Two lists of the same markup (an article list and a tag list, both
    /// bare `ul > li > a`) share a structural path; the evidence tells them apart.
    fn members(&self, cis: &[usize], cand_nodes: &[usize]) -> (Vec<Member>, Vec<Member>) {
        let nodes: Vec<usize> = cis.iter().map(|&ci| self.cands[ci].node).collect();
        let mut seen = HashSet::new();
        let mut members = Vec::new();
        for &ci in cis {
            if !seen.insert(self.cands[ci].url_id) {
                continue;
            }
            members.push(self.member(ci, &nodes, cand_nodes));
        }
        self.align_blocks(&mut members, &nodes, cand_nodes);
        let clean = members
            .iter()
            .filter(|m| self.cands[m.cand].against.weight() < 1.0)
            .count();
        if clean * 2 <= members.len() || clean == members.len() {
            return (members, Vec::new());
        }
        members
            .into_iter()
            .partition(|m| self.cands[m.cand].against.weight() < OUTLIER_AGAINST)
    }

    fn group(&self, members: Vec<Member>) -> Group {
        let stats = self.stats(&members);
        let quality = terms(&stats).iter().map(|t| t.1).sum();
        let score = quality * (1.0 + members.len() as f32).ln();
        Group {
            members,
            stats,
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

    /// Members whose block stopped short of the container their siblings' blocks
    /// share (a release whose notes link more pull requests than the others, a card
    /// with a longer teaser) grow to that container when it still holds no other
    /// member: the item's date and byline sit there.
    fn align_blocks(&self, members: &mut [Member], group_nodes: &[usize], cand_nodes: &[usize]) {
        if members.len() < 3 {
            return;
        }
        let dom = self.dom;
        let sig = |i: usize| signature(dom.els[i].el);
        let mut counts: HashMap<String, usize> = HashMap::new();
        for m in members.iter() {
            *counts.entry(sig(m.block)).or_default() += 1;
        }
        let Some((common, n)) = counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        else {
            return;
        };
        if n * 2 <= members.len() {
            return;
        }
        let holds_one = |j: usize| {
            let end = dom.els[j].end;
            group_nodes.partition_point(|&x| x < end) - group_nodes.partition_point(|&x| x < j) <= 1
        };
        for m in members.iter_mut() {
            if sig(m.block) == common {
                continue;
            }
            let mut cur = dom.els[m.block].parent;
            for _ in 0..3 {
                let Some(p) = cur else { break };
                if !holds_one(p) || matches!(dom.tag(p), "body" | "html" | "main") {
                    break;
                }
                if sig(p) == common {
                    *m = self.member_at(m.cand, p, group_nodes, cand_nodes);
                    break;
                }
                cur = dom.els[p].parent;
            }
        }
    }

    fn member(&self, ci: usize, group_nodes: &[usize], cand_nodes: &[usize]) -> Member {
        crate::work::check();
        let block = self.grow_block(ci, group_nodes, cand_nodes);
        self.member_at(ci, block, group_nodes, cand_nodes)
    }

    /// The block of a candidate: grown from the link while it holds no other link of
    /// the group and no more than a few other item URLs.
    fn grow_block(&self, ci: usize, group_nodes: &[usize], cand_nodes: &[usize]) -> usize {
        let dom = self.dom;
        let c = &self.cands[ci];
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
        cur
    }

    fn member_at(
        &self,
        ci: usize,
        block: usize,
        group_nodes: &[usize],
        cand_nodes: &[usize],
    ) -> Member {
        let dom = self.dom;
        let c = &self.cands[ci];
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
            urls_in_block: self.distinct_urls(block, cand_nodes, MAX_BLOCK_URLS),
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
        // A heading that links to another page of the site titles that page, not this
        // link (a forum row's "2h ago" link to the last post is not the thread). One
        // that links off the site (a link blog's entry about another site's article,
        // its own page being the "★" permalink) titles the entry.
        let links_elsewhere = |h: ElementRef| {
            let own = (h.value().name() == "a").then_some(h);
            own.into_iter()
                .chain(h.select(selector!("a[href]")))
                .any(|a| {
                    a.value()
                        .attr("href")
                        .and_then(|href| canonical_link(self.base, href))
                        .is_some_and(|u| u != c.url && self.site.owns(&u))
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

    fn stats(&self, members: &[Member]) -> Stats {
        let n = members.len();
        if n == 0 {
            return Stats::default();
        }
        let nf = n as f32;
        let cand = |m: &Member| &self.cands[m.cand];
        let words = |m: &Member| m.title.as_deref().map(word_count).unwrap_or(0) as f32;
        let mut shapes: HashMap<&str, usize> = HashMap::new();
        let mut titles: HashSet<&str> = HashSet::new();
        for m in members {
            *shapes.entry(&cand(m).shape.key).or_default() += 1;
            if let Some(t) = &m.title {
                titles.insert(t);
            }
        }
        let flag = |b: bool| f32::from(u8::from(b));
        Stats {
            title_len: mean(members, |m| ((words(m) - 1.0) / 7.0).clamp(0.0, 1.0)),
            title_words: mean(members, words),
            headline: mean(members, |m| flag(m.headline)),
            date: mean(members, |m| flag(m.has_date)),
            article: mean(members, |m| m.article),
            url_item: mean(members, |m| flag(cand(m).shape.item_like)),
            agree: shapes.values().copied().max().unwrap_or(0) as f32 / nf,
            summary: mean(members, |m| flag(m.summary.is_some())),
            below: mean(members, |m| flag(cand(m).below)),
            weak: mean(members, |m| flag(cand(m).weak)),
            inline: mean(members, |m| flag(m.inline)),
            nav: mean(members, |m| flag(cand(m).shape.nav_like && words(m) <= 2.0)),
            uniq: titles.len() as f32 / nf,
            one_link: mean(members, |m| flag(m.urls_in_block <= 1)),
            against: mean(members, |m| cand(m).against.weight()),
        }
    }

    /// A group that passes the quality floor: a list detection is sure of.
    fn is_clear_list(g: &Group) -> bool {
        let n = g.members.len();
        (n >= 3 && g.quality >= MIN_QUALITY) || (n == 2 && g.quality >= MIN_QUALITY_PAIR)
    }

    /// A clean repeated list of same-site links under the floor: three or more items,
    /// one link each, titles of title length and all different, not in a menu, not in
    /// running text, nothing much against it. A plain index of essays or a bare table
    /// of titles looks like this; a menu or tag cloud (one- or two-word links, section
    /// URLs) does not.
    fn is_clean_list(g: &Group) -> bool {
        let s = &g.stats;
        g.members.len() >= 3
            && s.one_link >= 0.8
            && s.title_words >= 2.0
            && s.uniq >= 0.9
            && s.nav <= 0.34
            && s.inline <= 0.34
            && s.weak <= 0.34
            && s.against <= 1.0
    }

    fn family<'g>(&'g self, g: &'g Group) -> Family<'g> {
        let n = g.members.len();
        let mut shapes: HashMap<&str, usize> = HashMap::new();
        let mut firsts: HashSet<Option<&str>> = HashSet::new();
        for m in &g.members {
            let s = &self.cands[m.cand].shape;
            *shapes.entry(&s.key).or_default() += 1;
            firsts.insert(s.first.as_deref());
        }
        let section = if firsts.len() == 1 && n >= 2 {
            firsts.into_iter().next().flatten()
        } else {
            None
        };
        Family {
            shapes: shapes
                .into_iter()
                .filter(|(_, c)| c * 10 >= n)
                .map(|(k, _)| k)
                .collect(),
            section,
        }
    }

    fn fits(&self, family: &Family, m: &Member) -> bool {
        let s = &self.cands[m.cand].shape;
        family.shapes.contains(s.key.as_str())
            && family
                .section
                .is_none_or(|sec| s.first.as_deref() == Some(sec))
    }

    /// The innermost element holding every given block.
    fn common_ancestor(&self, blocks: impl Iterator<Item = usize>) -> Option<usize> {
        let mut lca: Option<usize> = None;
        for b in blocks {
            lca = Some(match lca {
                None => b,
                Some(mut a) => {
                    while !self.dom.contains(a, b) {
                        match self.dom.els[a].parent {
                            Some(p) => a = p,
                            None => break,
                        }
                    }
                    a
                }
            });
        }
        lca
    }

    /// The child of `outer` that holds `inner` (`inner` strictly inside `outer`).
    fn slot(&self, outer: usize, mut inner: usize) -> Option<usize> {
        if inner == outer || !self.dom.contains(outer, inner) {
            return None;
        }
        while let Some(p) = self.dom.els[inner].parent {
            if p == outer {
                return Some(inner);
            }
            inner = p;
        }
        None
    }

    /// The best group and the groups that continue it, members in page order.
    ///
    /// Another group joins when it is the same list (its blocks have the list's item
    /// shape and sit in their own slots of the list's container: a stream mixing
    /// titled posts and untitled notes), more of the same list elsewhere (same item
    /// shape, same URL family, similar quality: a grid split by an ad), or the lead
    /// story above it (one or two links of the list's URL family with a real title).
    /// A list of another shape is another list, however close its score: the feed
    /// keeps one.
    fn choose(&self) -> Option<Choice> {
        let by_score = |a: &(usize, &Group), b: &(usize, &Group)| a.1.score.total_cmp(&b.1.score);
        let clear = self
            .groups
            .iter()
            .enumerate()
            .filter(|(_, g)| Self::is_clear_list(g))
            .max_by(by_score);
        let (bi, best, confidence) = match clear {
            Some((i, g)) => (i, g, Confidence::Clear),
            None => {
                let (i, g) = self
                    .groups
                    .iter()
                    .enumerate()
                    .filter(|(_, g)| Self::is_clean_list(g))
                    .max_by(by_score)?;
                (i, g, Confidence::Guess)
            }
        };
        let family = self.family(best);
        let best_sig = self.block_signature(&best.members);
        let first_node = best
            .members
            .iter()
            .map(|m| self.cands[m.cand].node)
            .min()
            .unwrap_or(0);
        // The list's container and the slots its items occupy.
        let container = self
            .common_ancestor(best.members.iter().map(|m| m.block))
            .filter(|&c| {
                let e = self.dom.els[c].el;
                best.members.len() >= 2
                    && !matches!(e.value().name(), "html" | "body" | "main")
                    && e.value().attr("role") != Some("main")
            });
        let mut slots_taken: HashSet<usize> = HashSet::new();
        let mut slot_sigs: HashSet<String> = HashSet::new();
        if let Some(c) = container {
            for m in &best.members {
                if let Some(s) = self.slot(c, m.block) {
                    slots_taken.insert(s);
                    slot_sigs.insert(signature(self.dom.els[s].el));
                }
            }
        }

        let mut verdicts = vec![String::new(); self.groups.len()];
        verdicts[bi] = match confidence {
            Confidence::Clear => "chosen: the page's main list".to_string(),
            Confidence::Guess => {
                "chosen (low confidence): no list passed the quality floor; this is the best \
                 clean repeated list"
                    .to_string()
            }
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
        for (gi, g) in others {
            let sig = self.block_signature(&g.members);
            let mut take: Vec<&Member> = Vec::new();
            let verdict = if g.stats.against > best.stats.against + 1.0 {
                "not joined: more evidence against it than the list".to_string()
            } else if sig == best_sig
                && container.is_some()
                && g.members.iter().any(|m| {
                    self.same_list_slot(container, &slots_taken, &slot_sigs, m)
                        && self.block_signature(std::slice::from_ref(m)) == best_sig
                })
            {
                for m in &g.members {
                    if m.title.is_some()
                        && self.same_list_slot(container, &slots_taken, &slot_sigs, m)
                    {
                        take.push(m);
                    }
                }
                "joined: more items of the same list (same container, same item shape)".to_string()
            } else if sig == best_sig
                && g.quality >= MERGE_QUALITY_SHARE * best.quality
                && g.quality >= MIN_QUALITY
                && self.mostly_fits(&family, g)
            {
                take.extend(g.members.iter());
                "joined: the same item shape and URL family".to_string()
            } else if g.members.len() <= 2
                && g.quality >= MIN_LEAD_QUALITY
                && g.members.iter().all(|m| {
                    self.cands[m.cand].node < first_node
                        && self.fits_loosely(&family, m)
                        && (m.headline || m.title.as_deref().map(word_count).unwrap_or(0) >= 4)
                })
            {
                take.extend(g.members.iter());
                "joined: the lead story above the list".to_string()
            } else if sig != best_sig
                && g.quality >= MERGE_QUALITY_SHARE * best.quality
                && g.quality >= MIN_QUALITY
                && self.mostly_fits(&family, g)
                && self.same_kind(best, g)
            {
                take.extend(g.members.iter());
                "joined: a list of the same kind (dated or headlined items of the list's URL \
                 family)"
                    .to_string()
            } else if sig != best_sig {
                format!("not joined: another item shape (`{sig}`, the list's is `{best_sig}`)")
            } else if !self.mostly_fits(&family, g) {
                "not joined: URLs of another family than the list's".to_string()
            } else {
                "not joined: quality well below the list's".to_string()
            };
            let mut added = 0;
            for m in take {
                if urls.insert(self.cands[m.cand].url_id) {
                    chosen.push(m);
                    added += 1;
                }
            }
            if added > 0 {
                joined += added;
                joined_groups += 1;
            }
            verdicts[gi] = verdict;
        }
        chosen.sort_by_key(|m| self.cands[m.cand].node);
        let best_urls = best.members.len();
        let mut method = match confidence {
            Confidence::Clear => format!("auto: {best_urls} repeated `{best_sig}` blocks"),
            Confidence::Guess => format!(
                "auto (low confidence): {best_urls} repeated `{best_sig}` blocks with no dates \
                 or headlines — check the items, or write [feed.items] selectors"
            ),
        };
        if joined > 0 {
            let s = if joined_groups == 1 { "" } else { "s" };
            method.push_str(&format!(
                " + {joined} from {joined_groups} similar structure{s}"
            ));
        }
        Some(Choice {
            members: chosen.into_iter().cloned().collect(),
            method,
            confidence,
            verdicts,
        })
    }

    /// Whether a member sits in a slot of the list's container that no list item holds
    /// yet, and the slot has the list's slot shape.
    fn same_list_slot(
        &self,
        container: Option<usize>,
        taken: &HashSet<usize>,
        sigs: &HashSet<String>,
        m: &Member,
    ) -> bool {
        let Some(c) = container else { return false };
        self.slot(c, m.block)
            .is_some_and(|s| !taken.contains(&s) && sigs.contains(&signature(self.dom.els[s].el)))
    }

    /// [`Self::fits`], or as deep as the family's URLs and in its section: one lead
    /// story's URL may differ in a segment's kind (`5-years-of-100-percent-…` reads as
    /// an id where its neighbours read as slugs).
    fn fits_loosely(&self, family: &Family, m: &Member) -> bool {
        let s = &self.cands[m.cand].shape;
        let depth = |k: &str| k.split('?').next().unwrap_or("").split('/').count();
        self.fits(family, m)
            || (family
                .section
                .is_some_and(|sec| s.first.as_deref() == Some(sec))
                && family.shapes.iter().any(|k| depth(k) == depth(&s.key)))
    }

    /// Whether a list of another markup is more of the same kind of list: a front
    /// page's section blocks of dated headlines under its grid. It must show what an
    /// article list shows at each item (a date, or headline markup), the date wherever
    /// the main list has one, and no links inside running text: an intro's bullet list
    /// of help pages (same URL shape, no dates, links in sentences) is another list.
    fn same_kind(&self, best: &Group, g: &Group) -> bool {
        let (b, o) = (&best.stats, &g.stats);
        o.inline <= 0.1 && (o.date >= 0.5 || o.headline >= 0.5) && (b.date < 0.5 || o.date >= 0.5)
    }

    fn mostly_fits(&self, family: &Family, g: &Group) -> bool {
        g.members.iter().filter(|m| self.fits(family, m)).count() * 2 >= g.members.len()
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
            media: crate::html::media::card(&scope, self.base),
        }
    }
}

/// The terms of a group's per-item quality, roughly 0–12 in all. Positive terms are
/// what a reader uses to spot a list of articles: real titles (3), headline markup
/// (2), a date by each link (2), URLs that name one item (2) in one shape (1), article
/// markup (1.5), a teaser (0.5), URLs below the listing's own (1). Negative terms mark
/// the look-alikes: links inside prose (−4, the in-text links of an article page),
/// short section links (−3, menus), the same text on every link (−3, "Read more" with
/// no heading), links with no text of their own (−1, so the title link beats the
/// image or "more" link of one block), and the evidence against the links (zones,
/// `rel`, URL words; up to −6).
fn terms(s: &Stats) -> [(&'static str, f32); 13] {
    [
        ("title length", 3.0 * s.title_len),
        ("headline markup", 2.0 * s.headline),
        ("dates by the links", 2.0 * s.date),
        ("article markup", 1.5 * s.article),
        ("item-like URLs", 2.0 * s.url_item),
        ("URLs of one shape", 1.0 * s.agree),
        ("teasers", 0.5 * s.summary),
        ("URLs below the listing's", 1.0 * s.below),
        ("links without text of their own", -s.weak),
        ("links inside running text", -4.0 * s.inline),
        ("short section links", -3.0 * s.nav),
        ("repeated link texts", -3.0 * (1.0 - s.uniq)),
        ("evidence against the links", -s.against),
    ]
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
    class_any(e, |w| TITLE_WORDS.contains(&w))
        && !class_any(e, |w| {
            matches!(
                w,
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
        if level == 0 && class_any(e, |w| ITEM_CLASS_WORDS.contains(&w)) {
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
    if is_time_element(scope) || scope.select(selector!("time, [datetime]")).next().is_some() {
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
    may_hold_date(&text) && DATE_RE.is_match(&text)
}

/// `<time>`, or any element carrying a machine-readable `datetime` (the custom
/// elements sites use for relative times: `<relative-time>`, `<local-time>`, …).
fn is_time_element(e: ElementRef) -> bool {
    e.value().name() == "time" || e.value().attr("datetime").is_some()
}

/// Date of an item: `<time>`, then date-named elements, then short date-like texts.
fn item_date(scope: &[ElementRef], ctx: &DateContext) -> Option<ParsedDate> {
    let parse = |s: &str| parse_date(s, ctx).or_else(|| find_date(s, ctx));
    for &s in scope {
        for t in std::iter::once(s)
            .filter(|e| is_time_element(*e))
            .chain(s.select(selector!("time, [datetime]")))
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
            if !class_any(e, |w| DATE_WORDS.contains(&w)) {
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
            // The whole short text first: the match alone may leave out the year
            // ("Nov 29" of "Nov 29, 2025").
            if let Some(m) = DATE_RE.find(t) {
                if let Some(d) = find_date(t, ctx).or_else(|| parse_date(&t[m.range()], ctx)) {
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
            let is_p = e.value().name() == "p";
            let named = class_any(e, |w| SUMMARY_WORDS.contains(&w));
            if !(is_p || named) || class_any(e, |w| META_WORDS.contains(&w)) {
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
            let named = class_any(e, |w| matches!(w, "author" | "byline" | "creator"));
            let is_avatar = class_any(e, |w| matches!(w, "avatar" | "image" | "img" | "photo"));
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
            .filter(|(u, _)| {
                site.owns(u)
                    && hard_url_exclusion(u).is_none()
                    && seen.insert(u.as_str().to_string())
            })
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

    /// Dates and titles of the release-notes and link-blog shapes, as a reader of
    /// the feed sees them (the fixture test checks only the links).
    #[test]
    fn release_dates_and_link_blog_titles() {
        let page = |name: &str| {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/discover")
                .join(name);
            std::fs::read_to_string(dir.join("page.html")).expect("fixture page")
        };
        let d = run(
            &page("release-notes"),
            "https://forge.example/quillwork/inkpot/releases",
        );
        let dates: Vec<String> = d
            .items
            .iter()
            .map(|i| i.date.map(|d| d.value.to_rfc3339()).unwrap_or_default())
            .collect();
        // `<relative-time datetime>` read as a time element; the release whose notes
        // link more pages than its siblings' still reaches its date column; "Nov 29,
        // 2025" keeps its year.
        assert_eq!(
            dates,
            [
                "2026-01-12T09:14:00+00:00",
                "2026-01-03T17:40:00+00:00",
                "2025-12-18T11:02:00+00:00",
                "2025-11-29T08:20:00+00:00"
            ]
        );
        let d = run(&page("link-blog"), "https://marginnotes.example/");
        let titles: Vec<&str> = d.items.iter().filter_map(|i| i.title.as_deref()).collect();
        // An entry's headline linking off the site titles its "★" permalink.
        assert_eq!(
            titles,
            [
                "Small satellites, better forecasts",
                "On keeping a commonplace book",
                "The return of the night bus",
                "Designing a typeface for road signs",
                "The year in reading"
            ]
        );
    }

    #[test]
    fn a_short_date_text_keeps_its_year() {
        let html = "<html><body><main>\
            <article><h2><a href='/p/one-long-title-here'>One long title here</a></h2><span>Nov 29, 2024</span></article>\
            <article><h2><a href='/p/two-long-title-here'>Two long title here</a></h2><span>Nov 28, 2024</span></article>\
            <article><h2><a href='/p/three-long-title-here'>Three long title here</a></h2><span>Nov 27, 2024</span></article>\
            </main></body></html>";
        let d = run(html, "https://site.test/p/");
        let dates: Vec<String> = d
            .items
            .iter()
            .map(|i| {
                i.date
                    .map(|d| d.value.date_naive().to_string())
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(dates, ["2024-11-29", "2024-11-28", "2024-11-27"]);
    }

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
