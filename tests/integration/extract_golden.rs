//! Golden tests for article-metadata extraction: one small hand-written page per
//! failure class fixed in the extractor, with the title, authors, date and summary a
//! careful reader would put in a feed item.

use chrono::{DateTime, TimeZone, Utc};
use pagefeed::commands::extract_text;
use pagefeed::extract::Extracted;
use url::Url;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap()
}

fn extract(name: &str, url: &str) -> Extracted {
    let path = format!(
        "{}/tests/fixtures/extract/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let html = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    extract_text(&html, &Url::parse(url).unwrap(), chrono_tz::UTC, now())
}

fn date(e: &Extracted) -> Option<String> {
    e.published.map(|d| d.format("%Y-%m-%d").to_string())
}

/// Pages (and saving tools) that put meta values in `value=` instead of `content=`.
#[test]
fn meta_tags_with_value_attribute() {
    let e = extract(
        "meta-value-attribute.html",
        "https://coastline.example/ferry",
    );
    assert_eq!(
        e.title.as_deref(),
        Some("Harbour ferry returns after winter repairs")
    );
    assert_eq!(e.authors, ["Maren Holt"]);
    assert_eq!(date(&e).as_deref(), Some("2024-03-18"));
    assert_eq!(
        e.summary.as_deref(),
        Some("The old chain ferry is back in service after four months in dry dock, with a new engine and a wider ramp for bicycles.")
    );
}

/// The visible `<h1>` is the headline even when `og:title`, `twitter:title` and
/// `<title>` agree on a shorter SEO variant of it; wrapper classes such as
/// "above-footer" or "layout-with-rail" do not make the article boilerplate.
#[test]
fn visible_headline_beats_agreeing_social_titles() {
    let e = extract(
        "visible-headline-over-social-title.html",
        "https://riverside.example/news/library",
    );
    assert_eq!(
        e.title.as_deref(),
        Some("Town library opens its doors late on Fridays, thanks to volunteers")
    );
    assert_eq!(date(&e).as_deref(), Some("2024-05-02"));
    assert!(e.authors.is_empty());
}

/// A logo `<h1>` linking home is not the headline, and a kicker in front of the
/// headline ("Verkehr") is dropped when another source gives the bare headline.
#[test]
fn branding_heading_and_kicker_are_not_the_title() {
    let e = extract(
        "kicker-and-branding-headings.html",
        "https://ostheim.example/2023/bruecke",
    );
    assert_eq!(e.title.as_deref(), Some("Neue Brücke für Radfahrer"));
    assert_eq!(date(&e).as_deref(), Some("2023-11-07"));
}

/// A byline in an `<aside>` column inside the article counts, with both authors in
/// order; the site named as JSON-LD author loses to the people; comment authors never
/// count.
#[test]
fn byline_in_article_side_column_with_two_authors() {
    let e = extract(
        "byline-in-article-aside.html",
        "https://valley.example/trains",
    );
    assert_eq!(e.authors, ["Ann Lee", "Bo Chan"]);
    assert_eq!(
        e.title.as_deref(),
        Some("Night trains are coming back to the valley")
    );
    assert_eq!(date(&e).as_deref(), Some("2024-01-15"));
}

/// "By" in its own element, the name as a link to the author's page, a role line and
/// an e-mail link after it: only the name is kept.
#[test]
fn byline_link_with_role_line() {
    let e = extract(
        "byline-link-with-role-line.html",
        "https://meadow.example/bees",
    );
    assert_eq!(e.authors, ["Jane Doe"]);
    assert_eq!(
        e.title.as_deref(),
        Some("Beekeepers count fewer losses after mild winter")
    );
    assert_eq!(date(&e).as_deref(), Some("2024-04-09"));
    assert!(e
        .summary
        .as_deref()
        .is_some_and(|s| s.starts_with("Colonies across the county")));
}

/// A plain "Von …" paragraph with no class hint is a byline.
#[test]
fn plain_by_line_without_class_hints() {
    let e = extract("plain-by-line.html", "https://marktbote.example/markt");
    assert_eq!(e.authors, ["Max Müller"]);
    assert_eq!(
        e.title.as_deref(),
        Some("Wochenmarkt zieht auf den Kirchplatz")
    );
    assert_eq!(date(&e).as_deref(), Some("2022-09-01"));
}

/// UTC timestamps (`Z`, `+00:00`) just after local midnight belong to the page's
/// previous local day when the visible `<time>` says so; a "sidebar__main" column is
/// the main column, not a sidebar.
#[test]
fn utc_timestamp_takes_the_visible_local_day() {
    let e = extract("utc-timestamp-local-day.html", "https://sur.example/puerto");
    assert_eq!(date(&e).as_deref(), Some("2022-05-03"));
    assert_eq!(e.authors, ["Lucía Romero"]);
}

/// A UTC timestamp late in the evening is the next local day when the URL path says so.
#[test]
fn utc_timestamp_takes_the_url_day() {
    let e = extract(
        "utc-timestamp-url-day.html",
        "https://leselampe.example/2019/01/01/ins-neue-jahr/",
    );
    assert_eq!(date(&e).as_deref(), Some("2019-01-01"));
    // The same instant, in an offset that lands on that day.
    assert_eq!(
        e.published.map(|d| d.timestamp()),
        Some(
            chrono::DateTime::parse_from_rfc3339("2018-12-31T23:11:59Z")
                .unwrap()
                .timestamp()
        )
    );
}

/// A bare date paragraph under the headline is the dateline; a date inside the body
/// prose is not.
#[test]
fn dateline_without_class_hint_after_headline() {
    let e = extract(
        "dateline-without-class-hint.html",
        "https://airwaves.example/top-10",
    );
    assert_eq!(date(&e).as_deref(), Some("2014-01-22"));
    assert_eq!(
        e.title.as_deref(),
        Some("Ten voices worth hearing on the radio")
    );
}

/// A dateline in the kicker before the headline counts; a year-less event date in the
/// subtitle ("am 3. Mai") does not.
#[test]
fn dateline_in_kicker_before_headline() {
    let e = extract(
        "dateline-in-kicker-before-headline.html",
        "https://verband.example/presse/titelseite",
    );
    assert_eq!(date(&e).as_deref(), Some("2020-04-24"));
}

/// JSON-LD in a `<script>` without `type` is still JSON-LD.
#[test]
fn json_ld_in_untyped_script() {
    let e = extract(
        "untyped-json-ld-script.html",
        "https://stadtanzeiger.example/news/velowege",
    );
    assert_eq!(date(&e).as_deref(), Some("2022-01-28"));
    assert_eq!(
        e.summary.as_deref(),
        Some("Der Stadtrat hat am Abend drei neue Velowege entlang des Sees bewilligt.")
    );
}

/// An updated page that shows (and marks up) its update day as "published" is dated
/// by its original publication.
#[test]
fn original_publication_beats_update_day() {
    let e = extract(
        "published-then-updated.html",
        "https://madame.example/sante/digerer",
    );
    assert_eq!(date(&e).as_deref(), Some("2017-04-12"));
}

/// A `<time>` on the breadcrumb bar of the article header is the article's; an
/// embedded tweet's time is not.
#[test]
fn dateline_on_breadcrumb_bar() {
    let e = extract(
        "dateline-in-header-bars.html",
        "https://snapfeed.example/edited-photo",
    );
    assert_eq!(date(&e).as_deref(), Some("2016-10-03"));
}

/// An `<aside class="meta">` beside the article holds its dateline; a sidebar's date
/// and a generic `meta name=date` (the page's build time) lose to it.
#[test]
fn dateline_in_meta_aside_outside_article() {
    let e = extract(
        "meta-aside-outside-article.html",
        "https://berg.example/schuh",
    );
    assert_eq!(date(&e).as_deref(), Some("2022-01-21"));
}

/// The visible dek under the headline beats meta descriptions that all copy one SEO
/// field; a byline/dateline line in the same spot is not a dek.
#[test]
fn visible_dek_under_headline() {
    let e = extract("dek-under-headline.html", "https://north.example/homes");
    assert_eq!(
        e.summary.as_deref(),
        Some("Average price of a home that sold in September was $640,479.")
    );
}

/// A byline card indented over many lines is short text, and a BEM modifier on the
/// article ("entry--left-rail") does not make it a side rail.
#[test]
fn indented_byline_card_in_modified_article() {
    let e = extract(
        "byline-card-in-modified-article.html",
        "https://bayside.example/2023/04/11/night-ferry",
    );
    assert_eq!(e.authors, ["Lena Brook"]);
    assert_eq!(date(&e).as_deref(), Some("2023-04-11"));
}

/// The article's own `<footer>` holds its byline and date on many blog themes; the
/// page footer and a sidebar widget do not.
#[test]
fn byline_in_the_articles_own_footer() {
    let e = extract(
        "byline-in-article-footer.html",
        "https://keys.example/blog/rotating-keys/",
    );
    assert_eq!(e.authors, ["Taro Nakamura"]);
    assert_eq!(date(&e).as_deref(), Some("2021-02-03"));
}

/// A generic "widget" box that names itself the article's authors block is the byline,
/// while widgets in the sidebar stay boilerplate.
#[test]
fn authors_in_a_widget_box() {
    let e = extract(
        "authors-in-widget-box.html",
        "https://mesh.example/articles/service-meshes",
    );
    assert_eq!(e.authors, ["Ana Ribeiro"]);
}

/// A teaser-styled lead block that holds the `<h1>` is the article itself: its byline
/// ("Ein Artikel von …") and dateline count; a teaser list below does not.
#[test]
fn teaser_styled_lead_block() {
    let e = extract(
        "teaser-styled-lead-block.html",
        "https://reiterblatt.example/training/trab",
    );
    assert_eq!(
        e.title.as_deref(),
        Some("Vier Übungen für einen ruhigen Sitz im Trab")
    );
    assert_eq!(e.authors, ["Paula Steiner"]);
    assert_eq!(date(&e).as_deref(), Some("2022-01-27"));
}

/// "Politik · A, B": a one-word section label before a middle dot is not an author.
#[test]
fn section_label_before_byline_names() {
    let e = extract(
        "byline-with-section-and-category.html",
        "https://epaper.example/2019/18/gemeinwohl",
    );
    assert_eq!(e.authors, ["Jonas Berger", "Tina Hofmann"]);
}

/// "Written by A in Category on 1 June 2019": the category after "in" is not a
/// co-author.
#[test]
fn category_after_byline_name() {
    let e = extract(
        "byline-with-category-link.html",
        "https://news.example/mesa-21-1",
    );
    assert_eq!(e.authors, ["Paul Adams"]);
}

/// "kicker | By Name | date" with the "By" in a screen-reader span: the kicker before
/// the byline word is not a name.
#[test]
fn screen_reader_by_after_kicker() {
    let e = extract(
        "screen-reader-by-after-kicker.html",
        "https://stories.example/stranger",
    );
    assert_eq!(e.authors, ["Cara Lind"]);
}

/// "Von A und B<br>Place /Country" in a body paragraph: the names, not the place line.
#[test]
fn by_line_followed_by_place_line() {
    let e = extract(
        "by-line-with-place-line.html",
        "https://aussen.example/feuerholz/",
    );
    assert_eq!(e.authors, ["Roland Brenner", "Sebastian Drees"]);
}

/// The site's name as `meta author` is demoted also under a country's second-level
/// domain (riodiario.com.uy), so the visible byline wins.
#[test]
fn site_name_author_under_country_second_level_domain() {
    let e = extract(
        "site-name-author-cctld.html",
        "https://www.riodiario.com.uy/politica/presupuesto",
    );
    assert_eq!(e.authors, ["M. Sosa", "L. Pereira"]);
}

/// With no byline at all, the footer's copyright holder is the author of last resort;
/// a photo credit never is.
#[test]
fn copyright_holder_as_last_resort_author() {
    let e = extract(
        "copyright-holder-only.html",
        "https://verband.example/stellungnahme",
    );
    assert_eq!(e.authors, ["Elektrowerke Verband"]);
}

/// Community posts name their poster by a profile link (`/user/name`); account links
/// under the same path ("/user/register") are not people.
#[test]
fn community_post_user_link() {
    let e = extract(
        "community-user-link.html",
        "https://forum.example/r/radios/comments/1/rebuilt",
    );
    assert_eq!(e.authors, ["u/sparkwright"]);
}

/// A news or events page that gives its day only in the `<title>`
/// ("14.03.2024 | Workshop …"): the date is read from the title's first segment, and
/// the title keeps only the headline.
#[test]
fn date_only_in_the_title() {
    let e = extract(
        "date-in-title.html",
        "https://naturzentrum.example/aktuelles/fruehjahrsworkshop",
    );
    assert_eq!(
        e.title.as_deref(),
        Some("Frühjahrsworkshop zu Wiesenvögeln")
    );
    assert_eq!(date(&e).as_deref(), Some("2024-03-14"));
}

/// "Erschienen am: …" in the footer under the article states the publication date; the
/// "Letzte Änderung" beside it is not taken for it.
#[test]
fn labelled_publication_date_in_footer() {
    let e = extract(
        "labelled-date-in-footer.html",
        "https://rezensionen.example/rand-der-karte,123.html",
    );
    assert_eq!(e.title.as_deref(), Some("Gedichte vom Rand der Karte"));
    assert_eq!(date(&e).as_deref(), Some("2024-02-13"));
}

/// A publication label in another form or language than the usual "Published on"
/// (a review's "Reviewed:", Polish "Opublikowano") dates a page with no date
/// metadata, like the German and French labels do.
#[test]
fn labelled_publication_dates_in_more_languages() {
    let e = extract(
        "labelled-dates-more-languages.html",
        "https://recordnotes.example/reviews/harbour-lights-low-tide-songs",
    );
    assert_eq!(e.title.as_deref(), Some("Low Tide Songs"));
    assert_eq!(date(&e).as_deref(), Some("2024-03-14"));
    let e = extract(
        "labelled-date-polish.html",
        "https://gazeta-powiatowa.example/aktualnosci/nowy-most",
    );
    assert_eq!(e.title.as_deref(), Some("Nowy most nad Wartą otwarty"));
    assert_eq!(date(&e).as_deref(), Some("2024-05-07"));
}

/// Blog engines put the post's categories and tags on its wrapper
/// ("category-popular tag-share-your-run"): they do not make the post a "popular
/// posts" or "share" box, so its headline and dateline count.
#[test]
fn taxonomy_classes_do_not_make_a_post_boilerplate() {
    let e = extract(
        "taxonomy-classes-on-post.html",
        "https://trailnotes.example/five-ways/",
    );
    assert_eq!(e.title.as_deref(), Some("Five Ways to Start Running Again"));
    assert_eq!(date(&e).as_deref(), Some("2023-03-03"));
}

/// `d.mm.yy` ("Kultur, 4.03.24") on a page in a language that writes two-digit years.
#[test]
fn short_year_dotted_date_with_one_digit_day() {
    let e = extract(
        "short-year-dotted-date.html",
        "https://stadtmagazin.example/kultur/konzerte-maerz",
    );
    assert_eq!(date(&e).as_deref(), Some("2024-03-04"));
}

/// A page that declares no language is read in its country domain's language:
/// "07.05.24" on a `.de` site is 7 May 2024.
#[test]
fn undeclared_language_read_from_country_domain() {
    let e = extract(
        "undeclared-language-country-domain.html",
        "https://wohnen.example.de/homestory/altbau-1234",
    );
    assert_eq!(date(&e).as_deref(), Some("2024-05-07"));
    // The page's declared language stays unknown.
    assert_eq!(e.lang, None);
}

/// "right-sidebar" on the block around the main column names the layout, not a
/// sidebar: the headline and the dateline under it count, the comments' and the
/// sidebar's dates do not.
#[test]
fn sidebar_layout_wrapper_is_not_a_sidebar() {
    let e = extract(
        "sidebar-layout-wrapper.html",
        "https://pixeldiary.example/slow-photo-library/",
    );
    assert_eq!(
        e.title.as_deref(),
        Some("Fixing a slow photo library – thanks to the readers")
    );
    assert_eq!(date(&e).as_deref(), Some("2024-04-19"));
}

/// A description that runs on past the visible dek ("… Hier mehr zu Konzerten und
/// Tickets."): the lead both give is the summary.
#[test]
fn description_cut_to_the_lead_the_dek_confirms() {
    let e = extract(
        "description-with-appended-promo.html",
        "https://klangheft.example/musik/nachtfalter-tour",
    );
    assert_eq!(
        e.summary.as_deref(),
        Some("Die Band spielt im Herbst zwölf Konzerte und bringt ihr neues Album mit auf die Bühne.")
    );
}

/// `og:description` that adds a second sentence to the meta description: the shorter
/// one is the summary both state.
#[test]
fn meta_description_is_the_lead_of_og_description() {
    let e = extract(
        "meta-description-shorter-than-og.html",
        "https://coastdaily.example/ferry-winter-timetable",
    );
    assert_eq!(
        e.summary.as_deref(),
        Some("The harbour ferry will switch to its winter timetable on January 15, two weeks later than planned.")
    );
}

/// A summary box under the headline that repeats the description, then a sub-heading
/// classed as the dek: the sub-heading is the dek.
#[test]
fn dek_heading_after_summary_box() {
    let e = extract(
        "dek-heading-after-summary-box.html",
        "https://prairienews.example/business/home-sales-may",
    );
    assert_eq!(
        e.summary.as_deref(),
        Some("Average price of a home sold in May was $412,300")
    );
}

/// "nav-padding" on the section under a fixed menu bar is spacing, not navigation: the
/// headline and the dek in it count.
#[test]
fn spacing_class_is_not_navigation() {
    let e = extract(
        "section-under-fixed-nav.html",
        "https://calmteams.example/blog/thermostat/",
    );
    assert_eq!(e.title.as_deref(), Some("Three habits of calm teams"));
    assert_eq!(
        e.summary.as_deref(),
        Some("Good leads set the temperature, especially when stress is high.")
    );
}

/// A JSON-LD description cut off with an ellipsis is an excerpt of the body; the
/// complete meta description is the summary.
#[test]
fn complete_description_beats_cut_excerpt() {
    let e = extract(
        "cut-excerpt-description.html",
        "https://spiceshelf.example/okra-masala.html",
    );
    assert_eq!(
        e.summary.as_deref(),
        Some("Okra masala is a popular north Indian main course made with okra, tomato, onion and a few spices. It can be made dhaba style.")
    );
}

/// A byline that is only a news agency is the author; a related teaser's staff credit
/// is not read.
#[test]
fn agency_only_byline_is_the_author() {
    let e = extract("agency-byline.html", "https://valleycourier.example/pass");
    assert_eq!(e.authors, ["The Associated Press"]);
    assert_eq!(date(&e).as_deref(), Some("2024-02-11"));
}

/// "By CWN Staff" credits the organisation's staff, as written: not a person "Cwn".
#[test]
fn staff_credit_keeps_the_organisation() {
    let e = extract(
        "staff-credit-byline.html",
        "https://coastweekly.example/lighthouse",
    );
    assert_eq!(e.authors, ["CWN Staff"]);
}

/// The site's own name (with its regional desk) beside a person is the publisher, not
/// a co-author.
#[test]
fn site_name_beside_a_person_is_dropped() {
    let e = extract(
        "site-name-beside-person-byline.html",
        "https://elbtal-rundfunk.example/faehre",
    );
    assert_eq!(e.authors, ["Lena Kraus"]);
    assert_eq!(date(&e).as_deref(), Some("2024-06-03"));
}

/// The dateline's place after the names ("…, Nairobi") is not a co-author.
#[test]
fn dateline_place_is_not_a_co_author() {
    let e = extract(
        "byline-with-dateline-place.html",
        "https://plainsreview.example/rains",
    );
    assert_eq!(e.authors, ["Amina Njoroge", "Tom Ruiz"]);
}

/// A label in a byline box ("Veröffentlicht") is not a name; a byline word glued to
/// the name ("VonRosa Delgado") is dropped.
#[test]
fn byline_labels_and_glued_prefixes() {
    let e = extract(
        "label-and-glued-byline.html",
        "https://stadtkurier.example/tram",
    );
    assert_eq!(e.authors, ["Rosa Delgado"]);
}

/// A page whose `<meta>` says ISO-8859-1 but whose bytes are UTF-8 (a template left
/// unchanged) is read as UTF-8 when no HTTP header names the charset.
#[test]
fn utf8_bytes_under_a_latin1_meta() {
    let path = format!(
        "{}/tests/fixtures/extract/utf8-under-latin1-meta.html",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = pagefeed::commands::read_page(std::path::Path::new(&path))
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    let e = extract_text(
        &text,
        &Url::parse("https://stadtrad.example/gruene-welle").unwrap(),
        chrono_tz::UTC,
        now(),
    );
    assert_eq!(
        e.title.as_deref(),
        Some("Grüne Welle für Radfahrer auf der Hauptstraße")
    );
    assert_eq!(e.authors, ["Jörg Schäfer"]);
    assert!(e
        .summary
        .as_deref()
        .is_some_and(|s| s.starts_with("Ab Montag schalten die Ampeln an der Hauptstraße")));
}

/// A JSON-LD description that is the lead photo's caption and alt text loses to the
/// page's meta description, even one cut with an ellipsis.
#[test]
fn photo_caption_is_not_the_summary() {
    let e = extract(
        "caption-as-description.html",
        "https://reviersport.example/boxen/brenner",
    );
    assert_eq!(
        e.summary.as_deref(),
        Some("Nach zwei Jahren Pause will der frühere Weltmeister im Herbst wieder boxen. Sein Gegner steht noch…")
    );
    assert_eq!(e.authors, ["Mia Kessler"]);
}

/// A description that ends like a photo caption ("(Archivbild)") describes the photo:
/// the first paragraph is the summary.
#[test]
fn archive_photo_description_is_not_the_summary() {
    let e = extract(
        "archive-photo-description.html",
        "https://kleinstadt.example/rathaus-solar",
    );
    assert_eq!(
        e.summary.as_deref(),
        Some("Auf dem Dach des Rathauses werden ab November zweihundert Solarmodule montiert, die rund ein Drittel des Strombedarfs der Verwaltung decken sollen.")
    );
}

/// A small site's only date, an update line below the text ("Stand: 28.04.2023", the
/// label in its own element), dates the page.
#[test]
fn update_label_below_the_text_dates_the_page() {
    let e = extract(
        "update-label-below-text.html",
        "https://faire-schule.example/kakao.html",
    );
    assert_eq!(date(&e).as_deref(), Some("2023-04-28"));
    assert_eq!(
        e.title.as_deref(),
        Some("Kinderarbeit im Kakaoanbau: Was Schulen tun können")
    );
}

/// The site's tagline in the page header ("site-description") is not the article's
/// dek: with no description, the first paragraph is the summary.
#[test]
fn site_tagline_is_not_the_dek() {
    let e = extract(
        "site-tagline-in-header.html",
        "https://summitpost.example/2023/10/yak-herders/",
    );
    assert!(e
        .summary
        .as_deref()
        .is_some_and(|s| s.starts_with("Herders in the upper valleys began moving")));
    assert_eq!(
        e.title.as_deref(),
        Some("Yak herders move to lower pastures early")
    );
}

/// A description that only repeats the headline gives way to the first paragraph.
#[test]
fn description_repeating_the_headline_is_not_the_summary() {
    let e = extract(
        "description-repeats-headline.html",
        "https://islandnews.example/ferry-fares",
    );
    assert!(e
        .summary
        .as_deref()
        .is_some_and(|s| s.starts_with("Tickets for the island ferries will cost")));
}

/// Paragraphs in a dek box and side-by-side spans (a topline styled as its own line)
/// separate words: "Rathaus. Die", "Demo Tausende", never "Rathaus.Die", "DemoTausende".
#[test]
fn blocks_and_line_spans_separate_words() {
    let e = extract(
        "dek-box-paragraphs-and-line-spans.html",
        "https://stadtblatt.example/demo-mieten",
    );
    assert_eq!(
        e.summary.as_deref(),
        Some("Der Zug zog am Samstag vom Bahnhof bis zum Rathaus. Die Veranstalter zählten mehr als zehntausend Menschen.")
    );
    assert_eq!(
        e.title.as_deref(),
        Some("Tausende demonstrieren gegen hohe Mieten")
    );
}

/// A news agency listed as a JSON-LD organisation author beside a person is credited
/// with them; the publisher is not.
#[test]
fn json_ld_agency_beside_a_person_is_a_co_author() {
    let e = extract(
        "json-ld-person-and-agency.html",
        "https://seetal-zeitung.example/seilbahn",
    );
    assert_eq!(e.authors, ["Jana Roth", "SDA"]);
}

/// A date shown without a year ("March 3") on a page whose other dates name an older
/// year is read in that year, not in the year the page was fetched.
#[test]
fn year_less_date_takes_the_pages_year() {
    let e = extract(
        "year-less-date-on-older-page.html",
        "https://kimsgarden.example/first-tomatoes",
    );
    assert_eq!(date(&e).as_deref(), Some("2019-03-03"));
    assert_eq!(
        e.modified
            .map(|d| d.format("%Y-%m-%d").to_string())
            .as_deref(),
        Some("2019-05-10")
    );
}

/// The dateline's place on its own line in the byline box is not a co-author.
#[test]
fn byline_place_on_its_own_line_is_not_a_co_author() {
    let e = extract(
        "byline-place-on-own-line.html",
        "https://rheinpost.example/flughafen-roboter",
    );
    assert_eq!(e.authors, ["Jana Roth"]);
}

/// With no `<h1>`, the `<title>`'s site name and the one-word section before it
/// ("- Lokales - Talbote") are both dropped.
#[test]
fn section_and_site_suffix_without_headline() {
    let e = extract(
        "section-and-site-suffix-no-h1.html",
        "https://talbote.example/lokales/buslinie",
    );
    assert_eq!(
        e.title.as_deref(),
        Some("Neue Buslinie verbindet die Dörfer im Tal")
    );
}

/// A JSON-LD author that is the CMS account ("admin") loses to the visible byline.
#[test]
fn cms_account_loses_to_the_visible_byline() {
    let e = extract(
        "cms-account-as-json-ld-author.html",
        "https://lakerowers.example/2022/07/boathouse/",
    );
    assert_eq!(e.authors, ["Priya Nair"]);
    assert_eq!(date(&e).as_deref(), Some("2022-07-21"));
}

/// On a page saved long ago, "3 hours ago" resolved against the fetch time lands years
/// after the page's own date (here the URL's): the page's date wins.
#[test]
fn relative_date_on_a_saved_page_gives_way() {
    let e = extract(
        "relative-date-on-saved-page.html",
        "https://harbourtimes.example/2020/05/01/night-market/",
    );
    assert_eq!(date(&e).as_deref(), Some("2020-05-01"));
}

/// A related teaser's date under the headline is that article's; the page's own
/// "Datum 28.04.2023" line dates it.
#[test]
fn teaser_date_is_not_the_pages() {
    let e = extract(
        "teaser-date-before-own-date.html",
        "https://stadt-nachrichten.example/spielplaetze",
    );
    assert_eq!(date(&e).as_deref(), Some("2023-04-28"));
}

/// "Von Max Berg" in a related teaser credits that article: the page has no author.
#[test]
fn teaser_byline_is_not_the_pages() {
    let e = extract(
        "teaser-byline-below-article.html",
        "https://stadt-nachrichten.example/spielplaetze",
    );
    assert!(e.authors.is_empty(), "{:?}", e.authors);
    assert_eq!(date(&e).as_deref(), Some("2023-04-28"));
}

/// "Courier staff reporter" credits the paper's staff, as written: not a person
/// "Courier".
#[test]
fn staff_word_before_a_role_keeps_the_credit() {
    let e = extract(
        "staff-reporter-credit.html",
        "https://lakeside-courier.example/ferry-winter",
    );
    assert_eq!(e.authors, ["Courier staff reporter"]);
    assert_eq!(date(&e).as_deref(), Some("2024-10-28"));
}

/// A German page that gives only UTC timestamps ("2024-03-10T23:15:00Z") was published
/// on the 11th at home; an English page, whose readers span many zones, keeps the UTC
/// day.
#[test]
fn utc_timestamp_takes_the_languages_day() {
    let e = extract(
        "utc-timestamp-language-day.html",
        "https://kuestenbote.example/nachtzug",
    );
    assert_eq!(date(&e).as_deref(), Some("2024-03-11"));
    assert_eq!(e.authors, ["Tilda Brandt"]);
    let path = format!(
        "{}/tests/fixtures/extract/utc-timestamp-language-day.html",
        env!("CARGO_MANIFEST_DIR")
    );
    let html = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .replace("lang=\"de\"", "lang=\"en\"");
    let url = Url::parse("https://coastpost.example/night-train").unwrap();
    let e = extract_text(&html, &url, chrono_tz::UTC, now());
    assert_eq!(date(&e).as_deref(), Some("2024-03-10"));
}
