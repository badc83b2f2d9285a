//! Golden tests for main-content extraction (`content = "full"`): hand-written article
//! pages with realistic boilerplate around the body. Each test asserts that the body
//! paragraphs survive, that images and links come out absolute with lazy loading
//! resolved, and that none of the page chrome does.

use pagefeed::readability::main_content;
use scraper::Html;
use url::Url;

fn content(name: &str, url: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/content/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let page = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let html = Html::parse_document(&page);
    main_content(&html, &Url::parse(url).unwrap())
        .unwrap_or_else(|| panic!("{name}: no content found"))
}

fn assert_has(out: &str, wanted: &[&str]) {
    for w in wanted {
        assert!(out.contains(w), "missing {w:?} in\n{out}");
    }
}

fn assert_lacks(out: &str, unwanted: &[&str]) {
    for w in unwanted {
        assert!(!out.contains(w), "unexpected {w:?} in\n{out}");
    }
}

/// Every one of `wanted` is there, in this order.
fn assert_in_order(out: &str, wanted: &[&str]) {
    assert_has(out, wanted);
    let at: Vec<usize> = wanted.iter().map(|s| out.find(s).unwrap_or(0)).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "out of order: {out}");
}

/// Nothing unsafe or unsanitized gets through, whatever the page.
fn assert_clean(out: &str) {
    assert_lacks(
        out,
        &[
            "<script",
            "<style",
            "<iframe",
            "<form",
            "<input",
            "<button",
            "<nav",
            "<aside",
            "<footer",
            "<header",
            "<noscript",
            "onclick",
            "style=",
            "class=",
            "data:",
        ],
    );
    // Every link and image is absolute.
    for attr in ["href=\"", "src=\""] {
        for (i, _) in out.match_indices(attr) {
            let v = &out[i + attr.len()..];
            assert!(
                v.starts_with("https://") || v.starts_with("http://") || v.starts_with("mailto:"),
                "relative URL at {:?}",
                &v[..v.len().min(60)]
            );
        }
    }
    assert!(out.len() <= pagefeed::readability::MAX_CONTENT_BYTES);
}

/// WordPress: lazysizes images with `<noscript>` fallbacks, Jetpack share buttons and
/// related posts inside `entry-content`, comments and a widget sidebar beside it.
#[test]
fn wordpress_blog_post() {
    let out = content(
        "blog-wordpress.html",
        "https://workbench.example/2024/02/repairing-a-tape-deck/",
    );
    assert_clean(&out);
    assert_has(
        &out,
        &[
            "The deck arrived in a cardboard box",
            "Every belt in a machine of this age",
            "Cleaning the old rubber off the pulleys",
            "With the belts in place the deck played",
            "The stuck counter turned out to be a cracked gear",
            // The largest `data-srcset` candidate, not the placeholder or the noscript copy.
            r#"<img src="https://workbench.example/wp-content/uploads/2024/02/deck-open-2048x1536.jpg" alt="The deck with its top cover removed">"#,
            // A placeholder with no lazy attribute: the `<noscript>` image stands in.
            r#"src="https://workbench.example/wp-content/uploads/2024/02/counter-gears.jpg""#,
            r#"<a href="https://workbench.example/2023/11/finding-service-manuals/" rel="noopener noreferrer">my notes on finding service manuals</a>"#,
        ],
    );
    assert_eq!(
        out.matches("deck-open").count(),
        1,
        "image duplicated: {out}"
    );
    assert_lacks(
        &out,
        &[
            "Repairing a 1970s tape deck, one belt at a time", // headline and comments title
            "The transport after the first clean-up.",         // the figure's caption
            "Posted on",
            "Ines Varga",
            "Share this",
            "Share on",
            "Related",
            "The radio that hummed",
            "Tagged",
            "Previous: A box of valves",
            "Great write-up",
            "Which belt kit",
            "Leave a Reply",
            "Recent Posts",
            "I repair old audio gear",
            "Proudly powered",
            "Skip to content",
            "About me",
        ],
    );
}

/// A news site: `<base href>`, `<picture>` with lazy `data-srcset`, an ad slot, an
/// inline "Read more" promo and a newsletter box inside the body, story cards and a
/// recommendation widget after it.
#[test]
fn news_article_with_inline_boilerplate() {
    let out = content(
        "news-magazine.html",
        "https://cdn.harbourtimes.example/amp/news/local/night-bus-trial",
    );
    assert_clean(&out);
    assert_has(
        &out,
        &[
            "Councillors voted 31 to 12 on Wednesday evening",
            "The three routes will link the ferry terminal",
            "People who keep this city running at night",
            "Passenger numbers will be published monthly",
            "<h2>Late shifts, long walks</h2>",
            "For many hospitality staff the alternative",
            // Relative to `<base href>`, not to the page URL.
            r#"href="https://www.harbourtimes.example/news/local/2019/night-service-cut""#,
            r#"src="https://www.harbourtimes.example/img/2025/05/survey-chart@2x.png""#,
        ],
    );
    assert_lacks(
        &out,
        &[
            "cookies",
            "Business",
            "City council approves night-bus trial", // the headline
            "Advertisement",
            "Read more",
            "Ferry timetable changes",
            "morning briefing",
            "Sign up",
            "More from Local",
            "Market hall",
            "You May Like",
            "Doctors stunned",
            "All rights reserved",
            "Tweet",
            "Copy link",
            "placeholder",
            "cdn.harbourtimes",
        ],
    );
}

/// A hand-made page from the table-layout era: the text is loose in a `<td>`,
/// paragraphs separated by `<br><br>`, a link column beside it and a counter below.
#[test]
fn table_layout_with_br_paragraphs() {
    let out = content(
        "table-layout-brs.html",
        "http://trailpages.example/hank/trips/ridgeway.html",
    );
    assert_clean(&out);
    assert_has(
        &out,
        &[
            "We set off from Overton Hill on a grey Saturday morning",
            "By lunchtime we had reached Barbury Castle",
            "The second day was the best of the trip",
            "Practical notes: water taps are marked",
            r#"src="http://trailpages.example/hank/trips/photos/ridgeway-barbury.jpg""#,
            r#"href="http://trailpages.example/hank/trips/ridgeway-route.html""#,
            "Barbury Castle, just before the rain.",
        ],
    );
    assert_lacks(
        &out,
        &[
            "Hiking the Ridgeway in April",
            "All trails",
            "My gear list",
            "webring",
            "counter.pl",
        ],
    );
}

/// A Japanese news page: a loading-GIF placeholder with `data-original`, SNS buttons,
/// an ad label, a related-articles list and an access ranking.
#[test]
fn japanese_news_article() {
    let out = content(
        "jp-news.html",
        "https://www.minato-shimpo.example/local/2025/0520/shotengai.html",
    );
    assert_clean(&out);
    assert_has(
        &out,
        &[
            "港町の中心部にある本町商店街で",
            "商店街では、この１０年間で店舗数が約４割減った",
            "補助を受けるには、市が開く創業セミナーを受講し",
            "すでにパン店とコーヒー店の２件が出店を決めた",
            r#"src="https://www.minato-shimpo.example/photo/2025/05/20/shotengai_l.jpg""#,
            r#"href="https://www.minato-shimpo.example/local/2025/0520/support.html""#,
        ],
    );
    assert_lacks(
        &out,
        &[
            "loading.gif",
            "LINEで送る",
            "はてな",
            "広告",
            "関連記事",
            "港湾地区の再開発計画",
            "アクセスランキング",
            "熱中症",
            "Copyright",
            "スポーツ",
        ],
    );
}

/// Issue 19, class 1: a gallery at the top of the body. The pictures stay; their
/// captions (and the truncated "… more" copies), the photo credits, the slide counter,
/// the caption and close toggles, "Back to Gallery" and the hidden overlay (the headline
/// and the caption again) are gallery furniture. A figure keeps its picture, not its
/// caption or credit: the article's text is the paragraphs.
#[test]
fn gallery_captions_credits_and_controls() {
    let out = content(
        "gallery-captions.html",
        "https://www.lakeside-courier.example/news/ferry-rescue-tour-boat",
    );
    assert_clean(&out);
    assert_has(
        &out,
        &[
            "Crews from two passenger ferries pulled 14 people",
            "The harbour office said it would review",
            r#"<img src="https://www.lakeside-courier.example/photos/2024/06/rescue-1.jpg""#,
            r#"<img src="https://www.lakeside-courier.example/photos/2024/06/rescue-2.jpg""#,
            r#"<figure><img src="https://www.lakeside-courier.example/photos/2024/06/skipper.jpg" alt="The ferry's skipper"></figure>"#,
        ],
    );
    assert_eq!(out.matches("<p>").count(), 6, "{out}");
    assert_lacks(
        &out,
        &[
            "Passengers wrapped in blankets wait",
            "The tour boat Marigold rests",
            "Skipper Ana Llorente brought the Heron alongside",
            "<figcaption",
            "... more",
            "Photo: Dana Whitfield",
            "Photograph by Tom Berwick",
            "1 of 2",
            "<p>Caption</p>",
            "<p>Close</p>",
            "Back to Gallery",
            "Ferry crews rescue 14 from stranded tour boat",
            "Lakeside Courier</p>",
        ],
    );
}

/// Issue 19, class 2: the body cut into chunks of the same kind in separate grid rows,
/// with ads between them, and a summary paragraph beside the grid: every chunk is kept
/// in order, the summary too, the ads and promos are not.
#[test]
fn article_split_over_grid_rows() {
    let out = content(
        "split-body.html",
        "https://www.hillcrest-record.example/local/community-solar-farm",
    );
    assert_clean(&out);
    let order = [
        "A cooperative of 612 households paid for the 9,400 panels",
        "The county's first community solar farm began feeding the grid",
        "The third site belonged to Walt Hennessy",
        "I wanted my grandchildren to be able to walk on it",
        "Membership remains open, the board said",
    ];
    assert_in_order(&out, &order);
    assert_eq!(out.matches("<p>").count(), 17, "{out}");
    assert_lacks(
        &out,
        &[
            "Advertisement",
            "Subscribe for $1 a week",
            "By Tom Okafor",
            "Energy",
            "More local news",
            "Library extends its opening hours",
        ],
    );
}

/// Issue 19, class 4: posts the article quotes (a tweet inside a `social-media-embed`
/// wrapper, an Instagram post inside a `share-embed` one) are kept as quoted text with
/// their links; the share bar and the sidebar are not.
#[test]
fn embedded_posts_kept_as_quotes() {
    let out = content(
        "embedded-posts.html",
        "https://www.valleypost.example/2024/03/slogan-joke",
    );
    assert_clean(&out);
    assert_has(
        &out,
        &[
            "Within hours the phrase, painted on a banner",
            r#"<blockquote><p>Millbrook paid a consultant for this and honestly? Worth it. <a href="https://t.co/aB3xYz" rel="noopener noreferrer">https://t.co/aB3xYz</a></p>— Corinne Vale (@corinnevale) <a href="https://twitter.com/corinnevale/status/1771234567890" rel="noopener noreferrer">March 18, 2024</a></blockquote>"#,
            r#"<a href="https://www.instagram.com/p/C4xyz123/" rel="noopener noreferrer">We drove two hours to stand under the banner. No regrets.</a>"#,
            "A post shared by Road Trip Ruth (@roadtripruth)",
            "The board will keep the banner up until the summer festival",
        ],
    );
    assert_eq!(out.matches("<blockquote>").count(), 2, "{out}");
    assert_lacks(
        &out,
        &[
            "Share on X",
            "Share on Facebook",
            "Most read",
            "Road works on the bypass",
            "By Priya Natarajan",
            "platform.twitter.com",
        ],
    );
}

/// Issue 19, class 1 (the wrong block): a short post followed by a box of teasers for
/// other posts whose wrapper carries the same article classes as the post and which only
/// its heading names (`related-heading`). The teasers hold more prose than the post; the
/// post is the content, the box, its heading and its thumbnails are not.
#[test]
fn related_box_named_by_its_heading() {
    let out = content(
        "related-teasers.html",
        "https://greenway-notes.example/allotment-list/",
    );
    assert_clean(&out);
    assert_eq!(
        out,
        "<p>The parish council split eleven of its full-size plots in half over the winter, \
         so the forty-two people on the waiting list in January are down to nineteen, and \
         the newest of them should have a plot by June.</p><p>Half plots suit most \
         newcomers better anyway: a full plot is a lot of digging for a first year, and the \
         committee says nearly a third of new tenants gave up before their second \
         summer.</p>"
    );
}

/// Issue 19, class 2: the article's opening three paragraphs sit in an intro block in
/// the row above the body's column, beside the headline, with an ad row between: they
/// are written first, then the body; the kicker, headline and dateline around the intro,
/// the author's bio, the ad and the sidebar are not.
#[test]
fn lead_block_apart_from_the_body() {
    let out = content(
        "lead-apart.html",
        "https://www.northern-review.example/people/last-ferryman",
    );
    assert_clean(&out);
    let order = [
        "For thirty-one years, Donald Ross rowed anyone who asked",
        "He charged a pound for adults",
        "This spring, with the new footbridge open",
        "The crossing takes eleven minutes on a calm day",
        "Ross plans to walk across the new bridge every morning",
    ];
    assert_in_order(&out, &order);
    assert_eq!(out.matches("<p>").count(), 10, "{out}");
    assert_lacks(
        &out,
        &[
            "People",
            "The last ferryman of Kessock Narrows",
            "12 May 2024",
            "Advertisement",
            "Morag Lennox",
            "Most read",
            "Harbour fees",
        ],
    );
}

/// Issue 19, class 3: a CMS that writes the body as styled `<span>`s between `<br><br>`
/// (no `<p>` at all), beside a byline block, a picture credit and a footer with the
/// publisher's address and copyright, each a comma-rich paragraph of its own. The body
/// is nine paragraphs, not one block those outweigh: it is the content, alone.
#[test]
fn styled_span_paragraphs_between_line_breaks() {
    let out = content(
        "styled-spans.html",
        "https://www.millford-gazette.example/news/pool-reopens",
    );
    assert_clean(&out);
    assert_has(
        &out,
        &[
            "The town's swimming pool opened its doors again on Saturday morning",
            "More than two hundred people queued in the rain",
            "The learner pool will follow in July",
        ],
    );
    assert_eq!(out.matches("<br><br>").count(), 8, "{out}");
    assert_lacks(
        &out,
        &[
            "Pool reopens after six-month repair",
            "Written by Harriet Oduya",
            "Picture courtesy",
            "12 Bridge Street",
            "Copyright 2024",
            "Home",
        ],
    );
}
