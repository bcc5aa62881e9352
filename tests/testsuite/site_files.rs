//! sitemap.xml, robots.txt and the Atom feeds, parsed back as XML.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use crate::common::TestSite;
use roxmltree::{Document, Node};

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";
const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// One `<url>` of a sitemap.
#[derive(Debug, Clone, PartialEq)]
struct SitemapUrl {
    loc: String,
    lastmod: Option<String>,
    /// hreflang → href.
    alternates: BTreeMap<String, String>,
}

fn parse(xml: &str) -> Document<'_> {
    Document::parse(xml).unwrap_or_else(|e| panic!("not XML ({e}):\n{xml}"))
}

fn children<'a, 'i>(node: Node<'a, 'i>, ns: &str, name: &str) -> Vec<Node<'a, 'i>> {
    node.children()
        .filter(|c| c.is_element() && c.tag_name().name() == name)
        .inspect(|c| assert_eq!(c.tag_name().namespace(), Some(ns), "namespace of <{name}>"))
        .collect()
}

fn child_text(node: Node, ns: &str, name: &str) -> Option<String> {
    let found = children(node, ns, name);
    assert!(found.len() <= 1, "more than one <{name}>");
    found
        .first()
        .map(|n| n.text().unwrap_or_default().to_string())
}

/// The URLs of a `<urlset>` sitemap.
fn urlset(xml: &str) -> Vec<SitemapUrl> {
    let doc = parse(xml);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "urlset", "{xml}");
    assert_eq!(root.tag_name().namespace(), Some(SITEMAP_NS));
    children(root, SITEMAP_NS, "url")
        .into_iter()
        .map(|url| SitemapUrl {
            loc: child_text(url, SITEMAP_NS, "loc").expect("<loc>"),
            lastmod: child_text(url, SITEMAP_NS, "lastmod"),
            alternates: children(url, XHTML_NS, "link")
                .into_iter()
                .map(|l| {
                    assert_eq!(l.attribute("rel"), Some("alternate"));
                    (
                        l.attribute("hreflang").expect("hreflang").to_string(),
                        l.attribute("href").expect("href").to_string(),
                    )
                })
                .collect(),
        })
        .collect()
}

fn locs(urls: &[SitemapUrl]) -> Vec<&str> {
    urls.iter().map(|u| u.loc.as_str()).collect()
}

fn find<'a>(urls: &'a [SitemapUrl], loc: &str) -> &'a SitemapUrl {
    urls.iter()
        .find(|u| u.loc == loc)
        .unwrap_or_else(|| panic!("{loc} is not in the sitemap: {:#?}", locs(urls)))
}

/// An Atom entry.
#[derive(Debug)]
struct Entry {
    title: String,
    link: String,
    id: String,
    published: Option<String>,
    updated: String,
    author: Option<String>,
    categories: Vec<String>,
    summary: Option<(String, String)>,
    lang: Option<String>,
}

/// An Atom feed: its own elements, and its entries in order.
#[derive(Debug)]
struct Feed {
    title: String,
    id: String,
    updated: String,
    self_link: String,
    alternate: String,
    author: Option<String>,
    entries: Vec<Entry>,
}

fn link_href(node: Node, rel: &str) -> String {
    let links: Vec<Node> = children(node, ATOM_NS, "link")
        .into_iter()
        .filter(|l| l.attribute("rel").unwrap_or("alternate") == rel)
        .collect();
    assert_eq!(links.len(), 1, "one link rel={rel}");
    links[0].attribute("href").expect("href").to_string()
}

fn author(node: Node) -> Option<String> {
    children(node, ATOM_NS, "author")
        .first()
        .map(|a| child_text(*a, ATOM_NS, "name").expect("author name"))
}

fn feed(xml: &str) -> Feed {
    let doc = parse(xml);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "feed", "{xml}");
    assert_eq!(root.tag_name().namespace(), Some(ATOM_NS));
    let entries = children(root, ATOM_NS, "entry")
        .into_iter()
        .map(|e| Entry {
            title: child_text(e, ATOM_NS, "title").expect("entry title"),
            link: link_href(e, "alternate"),
            id: child_text(e, ATOM_NS, "id").expect("entry id"),
            published: child_text(e, ATOM_NS, "published"),
            updated: child_text(e, ATOM_NS, "updated").expect("entry updated"),
            author: author(e),
            categories: children(e, ATOM_NS, "category")
                .iter()
                .map(|c| c.attribute("term").expect("term").to_string())
                .collect(),
            summary: children(e, ATOM_NS, "summary").first().map(|s| {
                (
                    s.attribute("type").unwrap_or("text").to_string(),
                    s.text().unwrap_or_default().to_string(),
                )
            }),
            lang: e.attribute((XML_NS, "lang")).map(str::to_string),
        })
        .collect();
    Feed {
        title: child_text(root, ATOM_NS, "title").expect("feed title"),
        id: child_text(root, ATOM_NS, "id").expect("feed id"),
        updated: child_text(root, ATOM_NS, "updated").expect("feed updated"),
        self_link: link_href(root, "self"),
        alternate: link_href(root, "alternate"),
        author: author(root),
        entries,
    }
}

/// site-example as of a day when the flash sale runs.
fn example() -> TestSite {
    let site = TestSite::copy_of("site-example");
    site.build(&["--now", "2026-11-25"]).assert_ok();
    site
}

const OLIVA: &str = "https://oliva.example";

#[test]
fn sitemap_lists_every_indexable_page_of_site_example() {
    let site = example();
    let urls = urlset(&site.read("sitemap.xml"));
    let locs = locs(&urls);
    for path in [
        "/",
        "/about/",
        "/shipping/",
        "/harvest-club/",
        "/flash-sale/",
        "/quiz/",
        "/blog/",
        "/blog/cooking-with-extra-virgin/",
        "/blog/harvest-2025-notes/",
        "/blog/how-to-taste-olive-oil/",
        "/blog/olive-oil-labels-explained/",
        "/blog/which-oil-should-you-buy/",
        "/products/",
        "/products/early-harvest-500ml/",
        "/products/family-tin-3l/",
        "/products/grove-gift-box/",
        "/products/tasting-set/",
        "/legal/",
        "/legal/terms/",
        "/tags/",
        "/tags/guides/",
        "/tags/recipes/",
        "/offers/flash-sale/",
        "/offers/tasting-guide/",
    ] {
        let loc = format!("{OLIVA}{path}");
        assert!(locs.contains(&loc.as_str()), "{loc} missing: {locs:#?}");
    }
    for loc in &locs {
        assert!(loc.starts_with("https://oliva.example/"), "{loc}");
        for excluded in ["/thanks/", "404", "pruning-season"] {
            assert!(!loc.contains(excluded), "{loc} should not be listed");
        }
    }
    for noindex in ["/unsubscribe/", "/legal/privacy/"] {
        assert!(
            !locs.contains(&format!("{OLIVA}{noindex}").as_str()),
            "{noindex}"
        );
    }
    assert!(site.exists("blog/page/2/index.html"), "the blog paginates");
    assert!(
        locs.contains(&format!("{OLIVA}/blog/page/2/").as_str()),
        "page 2 of the blog has its own title and description: it is listed"
    );
    let mut sorted = locs.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(locs, sorted, "sorted by path, each URL once");

    let lastmod = |path: &str| find(&urls, &format!("{OLIVA}{path}")).lastmod.clone();
    assert_eq!(
        lastmod("/blog/cooking-with-extra-virgin/").as_deref(),
        Some("2025-10-21")
    );
    assert_eq!(
        lastmod("/blog/olive-oil-labels-explained/").as_deref(),
        Some("2026-02-03T08:30:00Z")
    );
    // `updated` stands for pages without a date.
    assert_eq!(lastmod("/legal/terms/").as_deref(), Some("2026-01-05"));
    // A list changed when its newest item did.
    assert_eq!(lastmod("/blog/").as_deref(), Some("2026-02-03T08:30:00Z"));
    assert_eq!(lastmod("/tags/harvest/").as_deref(), Some("2025-11-08"));
    // Unknown: left out rather than invented.
    assert_eq!(lastmod("/products/tasting-set/"), None);
    // Since the Arabic translation: translated pages list both languages.
    let alts = &find(&urls, &format!("{OLIVA}/blog/cooking-with-extra-virgin/")).alternates;
    assert_eq!(
        alts.get("ar").map(String::as_str),
        Some("https://oliva.example/ar/blog/cooking-with-extra-virgin/")
    );
    assert_eq!(
        alts.get("x-default").map(String::as_str),
        Some("https://oliva.example/blog/cooking-with-extra-virgin/")
    );
    assert!(find(&urls, &format!("{OLIVA}/legal/terms/"))
        .alternates
        .is_empty());
}

#[test]
fn drafts_stay_out_of_the_sitemap_and_feeds_even_when_built() {
    let site = TestSite::copy_of("site-example");
    site.build(&["--drafts", "--now", "2026-11-25"]).assert_ok();
    assert!(site.exists("blog/pruning-season/index.html"));
    let sitemap = site.read("sitemap.xml");
    assert!(!sitemap.contains("pruning-season"), "{sitemap}");
    assert!(!site.read("atom.xml").contains("pruning-season"));
    assert!(!site
        .read("tags/harvest/atom.xml")
        .contains("pruning-season"));
}

#[test]
fn offer_pages_are_listed_only_while_the_offer_runs() {
    let site = TestSite::copy_of("site-example");
    site.build(&["--now", "2027-01-10"]).assert_ok();
    let urls = urlset(&site.read("sitemap.xml"));
    let locs = locs(&urls);
    assert!(!locs.contains(&"https://oliva.example/offers/flash-sale/"));
    assert!(locs.contains(&"https://oliva.example/offers/tasting-guide/"));
}

#[test]
fn robots_txt_allows_all_and_names_the_sitemap() {
    let site = example();
    assert_eq!(
        site.read("robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://oliva.example/sitemap.xml\n"
    );
}

#[test]
fn atom_feed_has_the_posts_newest_first_with_absolute_links() {
    let site = example();
    let feed = feed(&site.read("atom.xml"));
    assert_eq!(feed.title, "Oliva & Co");
    assert_eq!(feed.id, "https://oliva.example/atom.xml");
    assert_eq!(feed.self_link, "https://oliva.example/atom.xml");
    assert_eq!(feed.alternate, "https://oliva.example/");
    assert_eq!(feed.updated, "2026-02-03T08:30:00Z");
    assert_eq!(feed.author.as_deref(), Some("Oliva & Co"));

    let links: Vec<&str> = feed.entries.iter().map(|e| e.link.as_str()).collect();
    assert_eq!(
        links,
        [
            "https://oliva.example/blog/olive-oil-labels-explained/",
            "https://oliva.example/blog/which-oil-should-you-buy/",
            "https://oliva.example/blog/harvest-2025-notes/",
            "https://oliva.example/blog/cooking-with-extra-virgin/",
            "https://oliva.example/blog/how-to-taste-olive-oil/",
        ]
    );
    let published: Vec<&str> = feed
        .entries
        .iter()
        .map(|e| e.published.as_deref().expect("published"))
        .collect();
    let mut newest_first = published.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(published, newest_first);

    let first = &feed.entries[0];
    assert_eq!(first.title, "Reading an Olive Oil Label Without Guesswork");
    assert_eq!(first.id, first.link);
    assert_eq!(first.published.as_deref(), Some("2026-02-03T08:30:00Z"));
    assert_eq!(first.updated, "2026-02-03T08:30:00Z");
    assert_eq!(first.author.as_deref(), Some("Elena Marchetti"));
    // Its tags, then its category (every taxonomy's terms).
    assert_eq!(first.categories, ["guides", "tasting", "Guides"]);
    let (kind, summary) = first.summary.clone().expect("summary");
    assert_eq!(kind, "html");
    assert!(summary.starts_with("<p>Standing in front of"), "{summary}");
    // Dates written without a time get midnight UTC, as RFC 3339 requires.
    assert_eq!(
        feed.entries[1].published.as_deref(),
        Some("2026-01-12T00:00:00Z")
    );
    for e in &feed.entries {
        let (_, html) = e.summary.clone().expect("summary");
        assert!(!html.contains("href=\"/"), "relative link in {html}");
        assert!(!html.contains("src=\"/"), "relative image in {html}");
    }
}

#[test]
fn each_tag_has_its_own_feed() {
    let site = example();
    let feed = feed(&site.read("tags/guides/atom.xml"));
    assert_eq!(feed.self_link, "https://oliva.example/tags/guides/atom.xml");
    assert_eq!(feed.id, feed.self_link);
    assert_eq!(feed.alternate, "https://oliva.example/tags/guides/");
    assert!(feed.title.contains("guides"), "{}", feed.title);
    let links: Vec<&str> = feed.entries.iter().map(|e| e.link.as_str()).collect();
    assert_eq!(
        links,
        [
            "https://oliva.example/blog/olive-oil-labels-explained/",
            "https://oliva.example/blog/which-oil-should-you-buy/",
            "https://oliva.example/blog/how-to-taste-olive-oil/",
        ]
    );
    assert!(feed
        .entries
        .iter()
        .all(|e| e.categories.contains(&"guides".to_string())));
    assert_eq!(feed.updated, "2026-02-03T08:30:00Z");
    assert!(site.exists("tags/health/atom.xml"));
}

#[test]
fn translations_get_hreflang_alternates_with_x_default() {
    let site = TestSite::minimal()
        .file(
            "site.yaml",
            "title: Test Shop\nbase_url: https://shop.test\nlanguages: { ar: {}, fr: {} }\n",
        )
        .file(
            "content/about.md",
            "---\ntitle: About us\nlang: en\ntranslation_key: about\n---\nHello.\n",
        )
        .file(
            "content/ar/about.md",
            "---\ntitle: من نحن\nlang: ar\ntranslation_key: about\n---\nمرحبا.\n",
        )
        .file(
            "content/fr/about.md",
            "---\ntitle: À propos\nlang: fr\ntranslation_key: about\nnoindex: true\n---\nBonjour.\n",
        )
        .file(
            "content/contact.md",
            "---\ntitle: Contact\ntranslation_key: contact\n---\nWrite.\n",
        );
    site.build(&[]).assert_ok();
    let xml = site.read("sitemap.xml");
    assert!(xml.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    let urls = urlset(&xml);
    let expected: BTreeMap<String, String> = [
        ("ar", "https://shop.test/ar/about/"),
        ("en", "https://shop.test/about/"),
        ("x-default", "https://shop.test/about/"),
    ]
    .into_iter()
    .map(|(l, h)| (l.to_string(), h.to_string()))
    .collect();
    assert_eq!(find(&urls, "https://shop.test/about/").alternates, expected);
    assert_eq!(
        find(&urls, "https://shop.test/ar/about/").alternates,
        expected
    );
    assert!(
        !locs(&urls).contains(&"https://shop.test/fr/about/"),
        "noindex"
    );
    assert!(find(&urls, "https://shop.test/contact/")
        .alternates
        .is_empty());
    // Every language has a home page, and they translate one another.
    let homes: Vec<&str> = find(&urls, "https://shop.test/")
        .alternates
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(homes, ["ar", "en", "fr", "x-default"]);
}

#[test]
fn a_base_path_is_part_of_every_url() {
    let site = TestSite::empty()
        .file(
            "site.yaml",
            "title: Sub Shop\nbase_url: https://shop.test/sub\nlanguage: en\n",
        )
        .file("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n")
        .file(
            "content/blog/first.md",
            "---\ntitle: First\ndate: 2025-05-01\ntags: [news]\n---\nSee [the terms](terms/) and [more](#more).\n",
        );
    site.build(&[]).assert_ok();
    let urls = urlset(&site.read("sitemap.xml"));
    assert!(locs(&urls).contains(&"https://shop.test/sub/blog/first/"));
    assert!(locs(&urls).contains(&"https://shop.test/sub/tags/news/"));
    assert!(locs(&urls)
        .iter()
        .all(|l| l.starts_with("https://shop.test/sub/")));
    assert!(site
        .read("robots.txt")
        .contains("Sitemap: https://shop.test/sub/sitemap.xml\n"));
    let feed = feed(&site.read("atom.xml"));
    assert_eq!(feed.self_link, "https://shop.test/sub/atom.xml");
    assert_eq!(feed.alternate, "https://shop.test/sub/");
    assert_eq!(feed.entries[0].link, "https://shop.test/sub/blog/first/");
    let (_, html) = feed.entries[0].summary.clone().unwrap();
    assert!(
        html.contains("href=\"https://shop.test/sub/blog/first/terms/\""),
        "{html}"
    );
    assert!(
        html.contains("href=\"https://shop.test/sub/blog/first/#more\""),
        "{html}"
    );
    let tag = feed_of(&site, "tags/news/atom.xml");
    assert_eq!(tag.self_link, "https://shop.test/sub/tags/news/atom.xml");
}

fn feed_of(site: &TestSite, rel: &str) -> Feed {
    feed(&site.read(rel))
}

#[test]
fn noindex_canonical_elsewhere_updated_and_escaping() {
    let site = TestSite::empty()
        .file(
            "site.yaml",
            "title: \"Fish & Chips <Shop>\"\nbase_url: https://shop.test\nlanguage: en\n",
        )
        .file("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n")
        .file(
            "content/blog/edited.md",
            "---\ntitle: \"Salt & <Vinegar> \\\"quoted\\\" 'single'\"\ndate: 2025-01-01\nupdated: 2025-06-01T10:00:00Z\ntags: [R&D]\n---\nA & B < C.\n",
        )
        .file(
            "content/blog/hidden.md",
            "---\ntitle: Hidden\ndate: 2025-07-01\nnoindex: true\n---\nShh.\n",
        )
        .file(
            "content/blog/copy.md",
            "---\ntitle: Syndicated\ndate: 2025-02-01\ncanonical: https://elsewhere.test/original/\n---\nCopy.\n",
        )
        .file(
            "content/guide.md",
            "---\ntitle: Guide\ntags: [evergreen]\n---\nUndated.\n",
        );
    site.build(&[]).assert_ok();
    let urls = urlset(&site.read("sitemap.xml"));
    let locs = locs(&urls);
    assert!(!locs.contains(&"https://shop.test/blog/hidden/"), "noindex");
    assert!(!locs.contains(&"https://shop.test/blog/copy/"), "canonical");
    assert_eq!(
        find(&urls, "https://shop.test/blog/edited/")
            .lastmod
            .as_deref(),
        Some("2025-06-01T10:00:00Z")
    );

    let feed = feed(&site.read("atom.xml"));
    assert_eq!(feed.title, "Fish & Chips <Shop>");
    assert_eq!(feed.author, None, "no site author, none written");
    let titles: Vec<&str> = feed.entries.iter().map(|e| e.title.as_str()).collect();
    // By date, newest first; noindex posts stay out of feeds, a copy
    // published elsewhere stays in.
    assert_eq!(
        titles,
        ["Syndicated", "Salt & <Vinegar> \"quoted\" 'single'"]
    );
    let edited = &feed.entries[1];
    assert_eq!(edited.published.as_deref(), Some("2025-01-01T00:00:00Z"));
    assert_eq!(edited.updated, "2025-06-01T10:00:00Z");
    assert_eq!(edited.author, None);
    assert_eq!(edited.categories, ["R&D"]);
    assert_eq!(edited.lang, None);
    let (_, html) = edited.summary.clone().unwrap();
    assert!(html.contains("A &amp; B &lt; C."), "{html}");
    assert_eq!(feed.updated, "2025-06-01T10:00:00Z");

    // A tag whose pages have no date has a page but no feed.
    assert!(site.exists("tags/evergreen/index.html"));
    assert!(!site.exists("tags/evergreen/atom.xml"));
}

#[test]
fn feeds_keep_the_newest_twenty_and_a_site_without_posts_has_none() {
    let bare = TestSite::minimal();
    bare.build(&[]).assert_ok();
    assert!(!bare.exists("atom.xml"), "no posts, no feed");
    assert!(bare.exists("sitemap.xml") && bare.exists("robots.txt"));
    assert_eq!(
        locs(&urlset(&bare.read("sitemap.xml"))),
        ["https://shop.test/"]
    );

    // A German site: its feeds say so once, on <feed>.
    let site = TestSite::minimal().file(
        "site.yaml",
        "title: Test Shop\nbase_url: https://shop.test\nlanguage: de\n",
    );
    for day in 1..=25 {
        site.write(
            &format!("content/blog/p{day:02}.md"),
            format!(
                "---\ntitle: Post {day}\ndate: 2025-03-{day:02}\ntags: [daily]\nlang: de\n---\nx\n"
            )
            .as_bytes(),
        );
    }
    site.build(&[]).assert_ok();
    for rel in ["atom.xml", "tags/daily/atom.xml"] {
        let feed = feed_of(&site, rel);
        assert_eq!(feed.entries.len(), 20, "{rel}");
        assert_eq!(feed.entries[0].title, "Post 25");
        assert_eq!(feed.entries[19].title, "Post 6");
        assert_eq!(feed.entries[0].lang, None);
        assert!(site
            .read(rel)
            .contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"de\">"));
        assert_eq!(feed.updated, "2025-03-25T00:00:00Z");
    }
    // Every page of a paginated list is listed: each has its own title
    // and description.
    assert!(site.exists("blog/page/2/index.html"));
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://shop.test/blog/page/2/</loc>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("<loc>https://shop.test/tags/daily/page/2/</loc>"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("<loc>https://shop.test/blog/page/3/</loc>"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("/page/4/"), "{sitemap}");
}

#[test]
fn a_static_file_replaces_the_generated_one() {
    let site =
        TestSite::minimal().file("static/robots.txt", "User-agent: *\nDisallow: /private/\n");
    site.build(&[]).assert_ok();
    assert_eq!(
        site.read("robots.txt"),
        "User-agent: *\nDisallow: /private/\n"
    );
    assert!(site.exists("sitemap.xml"));
}

#[test]
fn past_50000_urls_the_sitemap_becomes_an_index() {
    const POSTS: usize = 50_010;
    let site = scratch_site()
        .file(
            "site.yaml",
            // No social cards: 50,000 of them would be most of the test's time.
            "title: Big\nbase_url: https://big.test\npaginate_by: 1000\nseo:\n  cards: false\n",
        )
        .file("content/_index.md", "---\ntitle: Home\n---\nHi.\n")
        // Tiny templates: the test is about the sitemap, not the theme.
        .file(
            "templates/post.html",
            "<!doctype html><title>{{ page.title }}</title>\n",
        )
        .file(
            "templates/blog.html",
            "<!doctype html><title>{{ page.title }}</title>\n",
        );
    let start = Instant::now();
    for n in 0..POSTS {
        site.write(
            &format!("content/blog/p{n}.md"),
            format!("---\ntitle: P{n}\ndate: 2025-01-01\n---\nx\n").as_bytes(),
        );
    }
    let written = start.elapsed();
    let start = Instant::now();
    site.build(&[]).assert_ok();
    eprintln!(
        "wrote {POSTS} posts in {written:?}, built in {:?}",
        start.elapsed()
    );

    let index = site.read("sitemap.xml");
    let doc = parse(&index);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "sitemapindex");
    assert_eq!(root.tag_name().namespace(), Some(SITEMAP_NS));
    let children_locs: Vec<String> = children(root, SITEMAP_NS, "sitemap")
        .into_iter()
        .map(|s| {
            assert_eq!(
                child_text(s, SITEMAP_NS, "lastmod").as_deref(),
                Some("2025-01-01")
            );
            child_text(s, SITEMAP_NS, "loc").unwrap()
        })
        .collect();
    assert_eq!(
        children_locs,
        [
            "https://big.test/sitemap-1.xml",
            "https://big.test/sitemap-2.xml"
        ]
    );

    let mut listed = BTreeSet::new();
    let mut total = 0;
    for (n, _) in children_locs.iter().enumerate() {
        let urls = urlset(&site.read(&format!("sitemap-{}.xml", n + 1)));
        assert!(urls.len() <= 50_000, "sitemap-{} has {}", n + 1, urls.len());
        total += urls.len();
        listed.extend(urls.into_iter().map(|u| u.loc));
    }
    assert_eq!(total, listed.len(), "every URL exactly once");
    let mut expected: BTreeSet<String> = (0..POSTS)
        .map(|n| format!("https://big.test/blog/p{n}/"))
        .collect();
    expected.insert("https://big.test/".into());
    expected.insert("https://big.test/blog/".into());
    // The blog's pager pages (1,000 posts a page) are listed too.
    expected.extend((2..=POSTS.div_ceil(1000)).map(|n| format!("https://big.test/blog/page/{n}/")));
    assert_eq!(listed, expected);
    assert!(site
        .read("robots.txt")
        .ends_with("Sitemap: https://big.test/sitemap.xml\n"));
    let start = Instant::now();
    drop(site);
    eprintln!("removed the site in {:?}", start.elapsed());
}

/// An empty site folder for some 100,000 small files: in memory (tmpfs)
/// where the system has one, so that the test measures lander, not the disk.
fn scratch_site() -> TestSite {
    let shm = std::path::Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm).or_else(|_| tempfile::tempdir())
    } else {
        tempfile::tempdir()
    };
    TestSite {
        dir: dir.expect("temp dir"),
    }
}
