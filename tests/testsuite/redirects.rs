//! Redirects: `aliases:` of pages and `redirects:` of site.yaml give a
//! redirect page at each old URL (any static host), `_redirects` (Netlify,
//! Cloudflare Pages) and, when asked, `vercel.json`. An alias that takes a
//! page's URL, or redirects that loop, stop the build with file:line, and
//! the previous output stays.

use crate::common;

use crate::common::{snapshot, TestSite};
use serde_json::Value;

const POST: &str = "---\ntitle: New name\ndescription: A post that moved from its old address to a new one.\naliases:\n  - /blog/old-name/\n  - /2019/old.html\n---\nThe text.\n";

fn site() -> TestSite {
    TestSite::minimal()
        .file(
            "site.yaml",
            "title: Shop\nbase_url: https://shop.test\nredirects:\n  - { from: \"/old-shop/*\", to: \"/products/:splat\" }\n  - from: /summer/\n    to: https://sale.example/summer\n    status: 307\n",
        )
        .file("content/blog/new-name.md", POST)
        .file("content/about.md", "---\ntitle: About\n---\nUs.\n")
}

/// `_redirects` as (from, to, status) lines, comments left out.
fn rules(text: &str) -> Vec<(String, String, String)> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let parts: Vec<&str> = l.split_whitespace().collect();
            assert_eq!(parts.len(), 3, "FROM TO STATUS: {l}");
            (parts[0].into(), parts[1].into(), parts[2].into())
        })
        .collect()
}

#[test]
fn aliases_and_redirects_give_pages_and_host_rules() {
    let site = site();
    site.build(&[]).assert_ok();
    assert_eq!(
        rules(&site.read("_redirects")),
        [
            ("/blog/old-name/", "/blog/new-name/", "301"),
            ("/2019/old.html", "/blog/new-name/", "301"),
            ("/old-shop/*", "/products/:splat", "301"),
            ("/summer/", "https://sale.example/summer", "307"),
        ]
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    );

    // A page at each old URL that any host serves.
    for (file, to, canonical) in [
        (
            "blog/old-name/index.html",
            "/blog/new-name/",
            "https://shop.test/blog/new-name/",
        ),
        (
            "2019/old.html",
            "/blog/new-name/",
            "https://shop.test/blog/new-name/",
        ),
        (
            "summer/index.html",
            "https://sale.example/summer",
            "https://sale.example/summer",
        ),
    ] {
        let text = site.read(file);
        assert!(
            text.to_ascii_lowercase().starts_with("<!doctype html>"),
            "{text}"
        );
        let page = site.html(file);
        assert_eq!(page.attr("html", "lang"), "en");
        assert!(!page.text("title").is_empty());
        assert_eq!(page.all("meta[charset]").len(), 1);
        assert_eq!(
            page.attr("meta[http-equiv=refresh]", "content"),
            format!("0; url={to}")
        );
        assert_eq!(page.attr("link[rel=canonical]", "href"), canonical);
        assert_eq!(page.attr("meta[name=robots]", "content"), "noindex");
        assert_eq!(page.attr("body a", "href"), to);
    }
    // No page for a splat, and none of them in the sitemap.
    assert!(!site.exists("old-shop/index.html"));
    let sitemap = site.read("sitemap.xml");
    for old in ["old-name", "2019", "summer"] {
        assert!(!sitemap.contains(old), "{old} in the sitemap:\n{sitemap}");
    }
    assert!(sitemap.contains("https://shop.test/blog/new-name/"));
    assert!(!site.exists("vercel.json"));
}

#[test]
fn redirect_pages_follow_the_base_path_and_can_be_turned_off() {
    let site = site().file(
        "site.yaml",
        "title: Shop\nbase_url: https://shop.test/store\nhosting:\n  redirect_pages: false\n  vercel_json: true\nredirects:\n  - { from: \"/old-shop/*\", to: \"/products/:splat\", status: 308 }\n",
    );
    site.build(&[]).assert_ok();
    assert!(!site.exists("blog/old-name/index.html"));
    assert_eq!(
        rules(&site.read("_redirects"))[0],
        (
            "/store/blog/old-name/".into(),
            "/store/blog/new-name/".into(),
            "301".into()
        )
    );
    let vercel: Value = serde_json::from_str(&site.read("vercel.json")).unwrap();
    let redirects = vercel["redirects"].as_array().unwrap();
    assert_eq!(redirects.len(), 3);
    assert_eq!(redirects[0]["source"], "/store/blog/old-name/");
    assert_eq!(redirects[0]["destination"], "/store/blog/new-name/");
    assert_eq!(redirects[0]["statusCode"], 301);
    assert_eq!(redirects[2]["source"], "/store/old-shop/:splat*");
    assert_eq!(redirects[2]["destination"], "/store/products/:splat*");
    assert_eq!(redirects[2]["statusCode"], 308);
    let headers = vercel["headers"].as_array().unwrap();
    let assets = headers
        .iter()
        .find(|h| h["source"] == "/store/assets/(.*)")
        .expect("assets headers");
    assert_eq!(assets["headers"][0]["key"], "Cache-Control");
    assert_eq!(
        assets["headers"][0]["value"],
        "public, max-age=31536000, immutable"
    );
}

#[test]
fn an_alias_that_takes_a_page_url_stops_the_build_and_keeps_the_output() {
    let site = site();
    site.build(&[]).assert_ok();
    let before = snapshot(&site.out());
    let text = POST.replace("  - /2019/old.html\n", "  - /about/\n");
    let line = text.lines().position(|l| l == "  - /about/").unwrap() + 1;
    let site = site.file("content/blog/new-name.md", &text);
    site.build(&[]).assert_fails().assert_stderr_has(&format!(
        "error: content/blog/new-name.md:{line}:1: the alias /about/ is the URL of the page content/about.md"
    ));
    assert_eq!(snapshot(&site.out()), before, "the last good output stays");
}

#[test]
fn a_redirect_loop_is_an_error_at_its_line() {
    let site = site().file(
        "site.yaml",
        "title: Shop\nbase_url: https://shop.test\nredirects:\n  - { from: /a/, to: /b/ }\n  - { from: /b/, to: /blog/old-name/ }\n  - { from: /c/, to: /d/ }\n  - { from: /d/, to: /c }\n",
    );
    let run = site.build(&[]);
    run.assert_fails()
        .assert_stderr_has("error: site.yaml:6:1: redirect loop: /c/ → /d/ → /c");
    // A chain through an alias is fine, and reported once.
    assert_eq!(
        run.stderr.matches("redirect loop").count(),
        1,
        "{}",
        run.stderr
    );
    let looping = site.file(
        "site.yaml",
        "title: Shop\nbase_url: https://shop.test\nredirects:\n  - { from: \"/x/*\", to: \"/y/:splat\" }\n  - { from: \"/y/*\", to: \"/x/:splat\" }\n",
    );
    looping
        .build(&[])
        .assert_fails()
        .assert_stderr_has("error: site.yaml:4:1: redirect loop: /x/lander-probe/ → /y/lander-probe/ → /x/lander-probe/");
}

#[test]
fn bad_redirects_and_aliases_are_located() {
    let site = TestSite::minimal()
        .file(
            "site.yaml",
            "title: Shop\nredirects:\n  - { from: /a/, to: /b/ }\n  - { from: /c/, to: /d/, stauts: 301 }\n",
        );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("unknown key `stauts`")
        .assert_stderr_has("did you mean `status`?");
    let site =
        TestSite::minimal().file("content/x.md", "---\ntitle: X\naliasses: [/old/]\n---\nx\n");
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("content/x.md:3:1: unknown key `aliasses`")
        .assert_stderr_has("did you mean `aliases`?");
    let site = TestSite::minimal().file(
        "content/x.md",
        "---\ntitle: X\naliases:\n  - /fine/\n  - old-page\n---\nx\n",
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("content/x.md:5:1: alias `old-page` is not a site path");
}

#[test]
fn check_skips_redirect_pages_and_reports_broken_targets() {
    let site = site();
    let root = site.path().to_string_lossy().into_owned();
    let run = common::lander(site.path(), &["check", "--root", &root, "--format", "json"]);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    for f in report["findings"].as_array().unwrap() {
        let message = f["message"].as_str().unwrap();
        assert!(
            !message.contains("old-name") && !message.contains("This page has moved"),
            "a redirect page was checked as a page: {f}"
        );
    }
    let broken = site.file(
        "site.yaml",
        "title: Shop\nbase_url: https://shop.test\nredirects:\n  - { from: /a/, to: /nowhere/ }\n",
    );
    let run = common::lander(
        broken.path(),
        &["check", "--root", &root, "--format", "json"],
    );
    run.assert_fails();
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let found = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "broken-link")
        .unwrap_or_else(|| panic!("no broken-link: {}", run.stdout));
    assert_eq!(found["file"], "site.yaml");
    assert_eq!(found["line"], 4);
    assert!(found["message"]
        .as_str()
        .unwrap()
        .contains("leads to /nowhere/"));
}

#[test]
fn site_example_redirects_its_renamed_post_and_publishes_security_txt() {
    let site = TestSite::copy_of("site-example");
    site.build(&[]).assert_ok();
    // The aliases the renamed post declares, read from its front matter.
    let source =
        std::fs::read_to_string(site.path().join("content/blog/harvest-2025-notes.md")).unwrap();
    let aliases: Vec<&str> = source
        .lines()
        .skip_while(|l| *l != "aliases:")
        .skip(1)
        .take_while(|l| l.starts_with("  - "))
        .map(|l| l.trim_start_matches("  - "))
        .collect();
    assert!(!aliases.is_empty(), "site-example shows an alias");
    let lines = rules(&site.read("_redirects"));
    for alias in &aliases {
        assert!(
            lines.contains(&(
                alias.to_string(),
                "/blog/harvest-2025-notes/".into(),
                "301".into()
            )),
            "{alias}: {lines:?}"
        );
        let page = site.html(&format!("{}index.html", alias.trim_start_matches('/')));
        assert_eq!(page.attr("body a", "href"), "/blog/harvest-2025-notes/");
    }
    assert!(lines
        .iter()
        .any(|(from, to, _)| from.ends_with("/*") && to.contains(":splat")));
    assert_eq!(
        site.read(".well-known/security.txt"),
        std::fs::read_to_string(site.path().join("static/.well-known/security.txt")).unwrap()
    );
}
