//! Taxonomies named in site.yaml (tags by default): list and term pages with
//! pagination, per language, feeds, sitemap, BlogPosting authors, strict
//! front matter keys. And pages' `publish_date` / `expiry_date`, with
//! `--now` before and after, and the notices of `lander check`.

use crate::common::{lander, Page, TestSite};
use serde_json::Value;

const CONFIG: &str = "title: Shop\nbase_url: https://shop.test\nauthor: Site Author\ntaxonomies:\n  - name: tags\n    feed: true\n  - name: categories\n    paginate_by: 2\n    feed: true\n  - name: authors\n";

fn post(title: &str, date: &str, extra: &str) -> String {
    format!("---\ntitle: {title}\ndescription: A post about olive oil written for the taxonomy tests of lander.\ndate: {date}\n{extra}---\nText of {title}.\n")
}

fn site() -> TestSite {
    TestSite::minimal()
        .file("site.yaml", CONFIG)
        .file(
            "content/blog/a.md",
            &post(
                "Post A",
                "2026-01-01",
                "categories: [Guides, News]\ntags: [oil]\nauthors: [Ada Lovelace]\n",
            ),
        )
        .file(
            "content/blog/b.md",
            &post("Post B", "2026-01-02", "categories: guides\n"),
        )
        .file(
            "content/blog/c.md",
            &post("Post C", "2026-01-03", "categories: [Guides]\n"),
        )
        .file("content/blog/d.md", &post("Post D", "2026-01-04", ""))
}

fn titles(page: &Page, css: &str) -> Vec<String> {
    page.all(css)
        .iter()
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// The first JSON-LD block of `@type` `kind`.
fn json_ld(page: &Page, kind: &str) -> Value {
    page.all("script[type=\"application/ld+json\"]")
        .iter()
        .map(|s| serde_json::from_str::<Value>(&s.text().collect::<String>()).unwrap())
        .find(|v| v["@type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} JSON-LD"))
}

#[test]
fn named_taxonomies_have_list_and_paginated_term_pages() {
    let site = site();
    site.build(&[]).assert_ok();

    let list = site.html("categories/index.html");
    assert_eq!(list.text("h1"), "Categories");
    assert_eq!(
        list.attrs("ul.tag-cloud a", "href"),
        ["/categories/guides/", "/categories/news/"]
    );
    assert_eq!(titles(&list, "ul.tag-cloud .count"), ["(3)", "(1)"]);

    // Three guides, two per page, newest first.
    let first = site.html("categories/guides/index.html");
    assert_eq!(first.text("h1"), "Categories: Guides");
    assert_eq!(titles(&first, ".grid .card-title"), ["Post C", "Post B"]);
    assert_eq!(
        first.attr("a[rel=next]", "href"),
        "/categories/guides/page/2/"
    );
    let second = site.html("categories/guides/page/2/index.html");
    assert_eq!(titles(&second, ".grid .card-title"), ["Post A"]);
    assert_eq!(second.attr("a[rel=prev]", "href"), "/categories/guides/");

    // The post shows its categories and links its author; tags stay.
    let a = site.html("blog/a/index.html");
    assert_eq!(
        a.attrs(".terms a", "href"),
        ["/categories/guides/", "/categories/news/"]
    );
    assert_eq!(a.attr("a[rel=author]", "href"), "/authors/ada-lovelace/");
    assert_eq!(a.attr("ul.tags a", "href"), "/tags/oil/");
    assert_eq!(
        site.html("authors/ada-lovelace/index.html").text("h1"),
        "Authors: Ada Lovelace"
    );

    // Feeds where asked: categories and tags, not authors.
    let feed = site.read("categories/guides/atom.xml");
    assert_eq!(feed.matches("<entry>").count(), 3, "{feed}");
    assert!(site.exists("tags/oil/atom.xml"));
    assert!(!site.exists("authors/ada-lovelace/atom.xml"));
    assert_eq!(
        first.attr("link[type=\"application/atom+xml\"]", "href"),
        "/categories/guides/atom.xml"
    );

    let sitemap = site.read("sitemap.xml");
    for url in [
        "/categories/",
        "/categories/guides/",
        "/categories/guides/page/2/",
        "/categories/news/",
        "/authors/ada-lovelace/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>https://shop.test{url}</loc>")),
            "{url} not in the sitemap"
        );
    }
}

#[test]
fn an_author_taxonomy_gives_blog_posting_its_people() {
    let site = site();
    site.build(&[]).assert_ok();
    let a = json_ld(&site.html("blog/a/index.html"), "BlogPosting");
    assert_eq!(
        a["author"],
        serde_json::json!({"@type": "Person", "name": "Ada Lovelace", "url": "https://shop.test/authors/ada-lovelace/"})
    );
    // Without authors: the site's author, as before.
    let b = json_ld(&site.html("blog/b/index.html"), "BlogPosting");
    assert_eq!(
        b["author"],
        serde_json::json!({"@type": "Person", "name": "Site Author"})
    );
}

#[test]
fn each_language_has_its_own_terms() {
    let site = TestSite::minimal()
        .file(
            "site.yaml",
            "title: Shop\nbase_url: https://shop.test\nlanguages: { ar: {} }\ntaxonomies: [{ name: categories }]\n",
        )
        .file("content/_index.ar.md", "---\ntitle: الرئيسية\n---\nأهلا.\n")
        .file(
            "content/blog/a.md",
            &post("Post A", "2026-01-01", "categories: [Guides]\n"),
        )
        .file(
            "content/blog/a.ar.md",
            &post("مقال", "2026-01-01", "categories: [أدلة]\n"),
        )
        .file("i18n/ar.yaml", "categories: \"التصنيفات\"\n");
    site.build(&[]).assert_ok();
    let en = site.html("categories/index.html");
    assert_eq!(en.attrs("ul.tag-cloud a", "href"), ["/categories/guides/"]);
    let ar = site.html("ar/categories/index.html");
    assert_eq!(ar.text("h1"), "التصنيفات");
    let hrefs = ar.attrs("ul.tag-cloud a", "href");
    assert_eq!(hrefs.len(), 1);
    assert!(hrefs[0].starts_with("/ar/categories/"), "{hrefs:?}");
    let term = site.html(&format!("{}index.html", hrefs[0].trim_start_matches('/')));
    assert_eq!(titles(&term, ".grid .card-title"), ["مقال"]);
    // The Arabic post links its Arabic term.
    let post = site.html("ar/blog/a/index.html");
    assert_eq!(post.attrs(".terms a", "href"), hrefs);
}

#[test]
fn an_unknown_taxonomy_key_names_the_known_ones() {
    let site = TestSite::minimal().file(
        "content/blog/a.md",
        "---\ntitle: A\ncategories: [guides]\n---\nText.\n",
    );
    let run = site.build(&[]);
    run.assert_fails()
        .assert_stderr_has("content/blog/a.md:3")
        .assert_stderr_has("unknown key `categories`")
        .assert_stderr_has("the site's taxonomies are tags")
        .assert_stderr_has("add `- name: categories` under `taxonomies:`");
    assert!(!site.exists("index.html"));

    let typo = TestSite::minimal().file("site.yaml", CONFIG).file(
        "content/blog/a.md",
        "---\ntitle: A\ncategorie: [guides]\n---\nText.\n",
    );
    typo.build(&[])
        .assert_fails()
        .assert_stderr_has("did you mean `categories`?");

    let bad = TestSite::minimal().file("site.yaml", "title: Shop\ntaxonomies:\n  - name: author\n");
    bad.build(&[])
        .assert_fails()
        .assert_stderr_has("site.yaml:2")
        .assert_stderr_has("the taxonomy name `author` is a front matter key");
}

fn scheduled() -> TestSite {
    TestSite::minimal()
        .file("site.yaml", CONFIG)
        .file(
            "content/blog/old.md",
            &post(
                "Old post",
                "2026-11-01",
                "categories: [Guides]\n",
            ),
        )
        // Dated in the future: published on its date.
        .file(
            "content/blog/soon.md",
            &post("Soon post", "2026-12-05", "categories: [Guides]\n"),
        )
        .file(
            "content/launch.md",
            "---\ntitle: Launch\ndescription: The launch page, published on its day and not before it.\npublish_date: 2026-12-20T09:00:00Z\n---\nSoon.\n",
        )
        .file(
            "content/sale.md",
            "---\ntitle: Sale\ndescription: A sale page that leaves the site when the sale is over.\nexpiry_date: 2026-12-06\n---\nSee the [old post](/blog/old/).\n",
        )
        .file(
            "content/about.md",
            "---\ntitle: About\ndescription: About the shop, with a link to the sale page that expires.\n---\nThe [sale](/sale/).\n",
        )
}

#[test]
fn publish_and_expiry_dates_follow_now() {
    let site = scheduled();
    site.build(&["--now", "2026-12-02"]).assert_ok();
    assert!(!site.exists("blog/soon/index.html"));
    assert!(!site.exists("launch/index.html"));
    assert!(site.exists("sale/index.html"));
    let blog = site.html("blog/index.html");
    assert_eq!(titles(&blog, ".grid .card-title"), ["Old post"]);
    let guides = site.html("categories/guides/index.html");
    assert_eq!(titles(&guides, ".grid .card-title"), ["Old post"]);
    assert!(!site.read("atom.xml").contains("Soon post"));
    assert!(!site.read("sitemap.xml").contains("/blog/soon/"));
    assert!(site.read("sitemap.xml").contains("/sale/"));

    // A week later: the post is out, the sale is over.
    site.build(&["--now", "2026-12-10"]).assert_ok();
    assert!(site.exists("blog/soon/index.html"));
    assert!(!site.exists("sale/index.html"));
    assert!(!site.exists("launch/index.html"));
    let guides = site.html("categories/guides/index.html");
    assert_eq!(
        titles(&guides, ".grid .card-title"),
        ["Soon post", "Old post"]
    );
    assert!(site.read("atom.xml").contains("Soon post"));
    assert!(!site.read("sitemap.xml").contains("/sale/"));

    // --drafts builds what is not published yet; expired stays out.
    site.build(&["--now", "2026-12-02", "--drafts"]).assert_ok();
    assert!(site.exists("blog/soon/index.html"));
    assert!(site.exists("launch/index.html"));
    site.build(&["--now", "2026-12-21", "--drafts"]).assert_ok();
    assert!(!site.exists("sale/index.html"));
}

/// `lander check --format json` at `now`: (rule, severity, file, line, message).
fn check_json(site: &TestSite, now: &str) -> Vec<Value> {
    let root = site.path().to_string_lossy().into_owned();
    let run = lander(
        site.path(),
        &["check", "--root", &root, "--now", now, "--format", "json"],
    );
    let report: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}\n{}\n{}", run.stdout, run.stderr));
    report["findings"].as_array().unwrap().clone()
}

#[test]
fn check_lists_the_next_seven_days_and_broken_links_after_expiry() {
    let site = scheduled();
    let findings = check_json(&site, "2026-12-02");
    let notices: Vec<(String, String, u64, String)> = findings
        .iter()
        .filter(|f| f["rule"] == "page-schedule")
        .map(|f| {
            (
                f["severity"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // The launch on the 20th is beyond the week: not listed.
    assert_eq!(
        notices,
        [
            (
                "notice".to_string(),
                "content/blog/soon.md".to_string(),
                4,
                "/blog/soon/ goes live on 2026-12-05".to_string()
            ),
            (
                "notice".to_string(),
                "content/sale.md".to_string(),
                4,
                "/sale/ expires on 2026-12-06".to_string()
            ),
        ]
    );
    assert!(!findings
        .iter()
        .any(|f| f["rule"] == "broken-link" && f["message"].as_str().unwrap().contains("/sale/")));

    // After the sale: the link to it is broken.
    let findings = check_json(&site, "2026-12-07");
    let broken = findings
        .iter()
        .find(|f| f["rule"] == "broken-link")
        .expect("a broken link to the expired page");
    assert_eq!(broken["file"], "content/about.md");
    assert!(broken["message"].as_str().unwrap().contains("/sale/"));
    assert!(!findings
        .iter()
        .any(|f| f["rule"] == "page-schedule" && f["file"] == "content/sale.md"));
}
