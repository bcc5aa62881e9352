//! `lander check`: a fixture with one of each problem gives exactly those
//! findings; the bundled site-example gives no errors; rules can be
//! turned off; exit codes and output formats.

use crate::common;

use crate::common::{lander, TestSite};
use serde_json::Value;

/// `lander check --root SITE ARGS` in the site folder.
fn check(site: &TestSite, extra: &[&str]) -> common::Run {
    let root = site.path().to_string_lossy().into_owned();
    let mut args = vec!["check", "--root", root.as_str()];
    args.extend_from_slice(extra);
    lander(site.path(), &args)
}

/// The JSON report of a run.
fn json(run: &common::Run) -> Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", run.stdout, run.stderr))
}

/// Each finding as `severity rule file:line:column message`.
fn findings(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let mut loc = f["file"].as_str().unwrap_or("-").to_string();
            if let Some(line) = f["line"].as_u64() {
                loc = format!("{loc}:{line}:{}", f["column"].as_u64().unwrap_or(0));
            }
            format!(
                "{} {} {loc} {}",
                f["severity"].as_str().unwrap(),
                f["rule"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn fixture_gives_one_finding_per_problem() {
    let site = TestSite::copy_of("tests/fixtures/check-site");
    let run = check(&site, &["--now", "2025-06-01", "--format", "json"]);
    run.assert_fails();
    let report = json(&run);
    let expected = [
        "error missing-title content/bare.md the page has no <title>",
        "warning missing-og-image content/bare.md the page has no og:image: a shared link shows no picture",
        "warning missing-structured-data content/bare.md the page has no JSON-LD saying what it is (WebPage, BlogPosting, Product…)",
        "error broken-link content/blog/broken-links.md:7:21 broken link `/blog/nope/`: the site has nothing at /blog/nope/",
        "error broken-anchor content/blog/broken-links.md:9:24 the anchor `#nowhere` is not on this page",
        "error expired-offer content/expired.md:4:1 the offer `expired-deal` is not running on 2025-06-01 and has no running fallback: its call-to-action is left out",
        "error missing-alt content/images.md:8:1 the image `/images/photo.png` has no alt text",
        "warning image-dimensions content/images.md:10:11 the image https://cdn.shop.test/press.jpg has no width and height: the page shifts when it loads",
        "error invalid-json-ld content/json-ld.md invalid JSON-LD: Product has no `offers`, `review` or `aggregateRating` (Google needs one of them)",
        "warning title-length content/long-title.md:2:1 the title “A page whose title goes on and on far past what search shows | Check Shop” is 73 characters; search results show about 60",
        "warning no-cta content/no-cta.md the page offers no next step (no call-to-action)",
        "error missing-description content/no-description.md the page has no meta description",
        "error duplicate-title content/same-a.md:2:1 the title “Same Title | Check Shop” is also the title of /same-b/",
        "warning duplicate-description content/same-a.md:3:1 the meta description is the same as on /same-b/",
        "error duplicate-title content/same-b.md:2:1 the title “Same Title | Check Shop” is also the title of /same-a/",
        "warning duplicate-description content/same-b.md:3:1 the meta description is the same as on /same-a/",
        "warning description-length content/short-description.md:3:1 the meta description is 22 characters, outside 50-160",
        "warning thin-content content/thin.md the page has 20 words, fewer than 300",
        "error multiple-h1 content/two-h1.md:8:1 the page has 2 <h1> headings; it should have one",
        "warning insecure-endpoint offers/insecure.yaml:3:1 the form endpoint `http://forms.shop.test/leads` is not https: visitors' emails would travel unencrypted",
        "warning orphan-offer offers/lonely.yaml the offer `lonely` runs, but no page shows it or links to it",
        "warning thanks-without-next offers/lonely.yaml:5:1 the thank-you page of `lonely` offers no next step: the visitor's journey ends there",
        "error form-without-endpoint offers/nowhere.yaml:3:1 the form of offer `nowhere` has no endpoint: submissions would go nowhere",
        "warning image-size static/images/big.gif the image is 3.8 KiB, over the budget of 1 KiB",
    ];
    assert_eq!(findings(&report), expected);
    assert_eq!(report["errors"], 11);
    assert_eq!(report["warnings"], 13);
    // Every finding says how to fix it.
    for f in report["findings"].as_array().unwrap() {
        assert!(f["help"].as_str().is_some_and(|h| !h.is_empty()), "{f}");
    }
    // Checking never writes the output folder.
    assert!(!site.out().exists());
}

#[test]
fn fixture_text_report_is_grouped_by_file() {
    let site = TestSite::copy_of("tests/fixtures/check-site");
    let run = check(&site, &["--now", "2025-06-01"]);
    run.assert_fails();
    let out = &run.stdout;
    assert!(
        out.contains(
            "content/blog/broken-links.md\n  7:21  error    broken-link  broken link `/blog/nope/`"
        ),
        "{out}"
    );
    assert!(
        out.contains("        help: did you mean `/blog/`?\n"),
        "{out}"
    );
    assert!(
        out.ends_with("error: 11 errors and 13 warnings in 17 files (26 pages checked)\n"),
        "{out}"
    );
    // NO_COLOR is set by the harness, and stdout is not a terminal.
    assert!(!out.contains('\x1b'));
}

#[test]
fn site_example_has_no_errors() {
    let site = TestSite::copy_of("site-example");
    let run = check(&site, &["--format", "json"]);
    let report = json(&run);
    let errors: Vec<String> = findings(&report)
        .into_iter()
        .filter(|f| f.starts_with("error"))
        .collect();
    assert_eq!(errors, Vec::<String>::new());
    run.assert_ok();
    assert!(report["pages"].as_u64().unwrap() > 20);
    // The showcase passes the gate with warnings counted too, now and after
    // its flash sale has ended.
    check(&site, &["--strict"]).assert_ok();
    check(&site, &["--strict", "--now", "2027-01-15"]).assert_ok();
}

/// A clean one-page site, plus what each test adds.
fn small_site() -> TestSite {
    let words = "Olive oil from the grove, pressed the same day. ".repeat(40);
    let site = TestSite::empty();
    // A real picture: the build resizes and checks every raster image.
    site.write(
        "static/social.png",
        &std::fs::read(crate::common::repo().join("tests/fixtures/check-site/static/social.png"))
            .unwrap(),
    );
    site
        .file(
            "site.yaml",
            "title: Small Shop\nbase_url: https://small.test\nforms:\n  endpoint: https://forms.small.test/x\nseo:\n  image: /social.png\n",
        )
        .file(
            "content/_index.md",
            "---\ntitle: Home\ndescription: \"The home page of a small shop that sells olive oil by the bottle.\"\n---\nWelcome.\n",
        )
        .file(
            "offers/news.yaml",
            "headline: Our newsletter\nsubheadline: \"News from the grove once a month, with recipes and harvest notes.\"\n\
             thank_you: { title: Thanks, next: { text: \"Read about us\", url: /about/ } }\n",
        )
        .file(
            "content/about.md",
            &format!(
                "---\ntitle: About us\ndescription: \"Who we are: a family that has pressed olive oil in the hills for four generations.\"\noffer: news\n---\n{words}\n"
            ),
        )
}

#[test]
fn clean_site_passes_even_strict() {
    let site = small_site();
    let run = check(&site, &["--strict"]);
    run.assert_ok();
    assert_eq!(run.stdout, "ok: no problems in 5 pages\n");
}

#[test]
fn an_insecure_site_endpoint_is_reported_once() {
    let site = small_site().file(
        "site.yaml",
        "title: Small Shop\nbase_url: https://small.test\nforms:\n  endpoint: http://forms.small.test/x\n",
    );
    let report = json(&check(&site, &["--format", "json"]));
    let insecure: Vec<String> = findings(&report)
        .into_iter()
        .filter(|f| f.contains("insecure-endpoint"))
        .collect();
    assert_eq!(insecure.len(), 1, "{insecure:?}");
    assert!(insecure[0].contains("site.yaml"), "{insecure:?}");
}

#[test]
fn warnings_fail_only_with_strict() {
    let site = small_site().file(
        "content/short.md",
        "---\ntitle: Short\ndescription: \"A short page of the small shop, with too few words to rank.\"\noffer: news\n---\nToo short.\n",
    );
    check(&site, &[]).assert_ok();
    let run = check(&site, &["--strict", "--format", "json"]);
    run.assert_fails();
    assert_eq!(
        findings(&json(&run)),
        ["warning thin-content content/short.md the page has 2 words, fewer than 300"]
    );
}

#[test]
fn rules_can_be_disabled_per_page_and_per_site() {
    let page = "---\ntitle: Short\ndescription: \"A short page of the small shop, with too few words to rank.\"\ncheck:\n  disable: [thin-content, no-cta]\n---\nToo short, see [this](/nope/).\n";
    let site = small_site().file("content/short.md", page);
    let report = json(&check(&site, &["--format", "json"]));
    assert_eq!(
        findings(&report),
        ["error broken-link content/short.md:7:23 broken link `/nope/`: the site has nothing at /nope/"]
    );

    let site = small_site()
        .file("content/short.md", page)
        .file(
            "site.yaml",
            "title: Small Shop\nbase_url: https://small.test\nforms:\n  endpoint: https://forms.small.test/x\nseo:\n  image: /social.png\ncheck:\n  disable: [broken-link]\n",
        );
    let run = check(&site, &[]);
    run.assert_ok();
    assert!(run.stdout.starts_with("ok: "), "{}", run.stdout);
}

#[test]
fn unknown_rule_ids_are_errors_with_a_suggestion() {
    let site = small_site().file(
        "content/about.md",
        &format!(
            "---\ntitle: About us\ndescription: \"Who we are: a family that has pressed olive oil in the hills for four generations.\"\noffer: news\ncheck:\n  disable: [thin-contnet]\n---\n{}\n",
            "Olive oil from the grove, pressed the same day. ".repeat(40)
        ),
    );
    let run = check(&site, &["--format", "json"]);
    run.assert_fails();
    let report = json(&run);
    assert_eq!(
        findings(&report),
        ["error unknown-rule content/about.md:5:1 unknown check rule `thin-contnet`"]
    );
    assert_eq!(
        report["findings"][0]["help"],
        "did you mean `thin-content`?"
    );
}

#[test]
fn theme_anchors_and_links_between_pages_are_found() {
    // #main (skip link), heading ids, footnotes and ids on other pages.
    let words = "Olive oil from the grove, pressed the same day. ".repeat(40);
    let site = small_site().file(
        "content/links.md",
        &format!(
            "---\ntitle: Links\ndescription: \"A page of links to the anchors the theme and the Markdown add to pages.\"\noffer: news\n---\n\
             ## Intro\n\n[skip](#main) [intro](#intro) [note][^1] [about](/about/#main) \
             [rel](../about/) [home](/) [no slash](/about) [thanks](/offers/news/thanks/) \
             [mail](mailto:a@b.c) [out](https://example.com/x/#y)\n\n{words}\n\n[^1]: A note.\n"
        ),
    );
    let run = check(&site, &["--format", "json"]);
    assert_eq!(findings(&json(&run)), Vec::<String>::new());
    run.assert_ok();
}

#[test]
fn a_site_that_does_not_build_is_reported_as_findings() {
    let site = small_site().file("content/bad.md", "---\ntitel: x\n---\n");
    let run = check(&site, &["--format", "json"]);
    run.assert_fails();
    let report = json(&run);
    let all = findings(&report);
    assert!(
        all.iter()
            .any(|f| f.starts_with("error build content/bad.md:2:1 unknown key `titel`")),
        "{all:?}"
    );
}

#[test]
fn docs_page_lists_every_rule() {
    let docs = std::fs::read_to_string(common::repo().join("content/check.md")).unwrap();
    for rule in lander::check::Rule::ALL.iter().copied() {
        assert!(
            docs.contains(&format!("| `{}` |", rule.id())),
            "content/check.md does not document `{}`",
            rule.id()
        );
    }
}

/// What a crawler's audit reports, `lander check` reports first: a
/// thank-you page whose template drops the theme's `<head>` is indexable,
/// missing from the sitemap, without og:image and without JSON-LD.
#[test]
fn a_template_that_drops_the_head_is_caught_like_an_audit_would() {
    let site = small_site().file(
        "templates/thanks.html",
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ page.title }} | thanks</title>\n\
         <meta name=\"description\" content=\"Thank you for signing up to the newsletter of the small shop.\">\n\
         <link rel=\"canonical\" href=\"{{ page.canonical }}\"></head>\n\
         <body><main><h1>{{ page.title }}</h1><a href=\"/about/\">Read about us</a></main></body></html>\n",
    );
    let report = json(&check(&site, &["--format", "json"]));
    let audit: Vec<String> = findings(&report)
        .into_iter()
        .filter(|f| {
            [
                "missing-og-image",
                "not-in-sitemap",
                "missing-structured-data",
            ]
            .iter()
            .any(|r| f.contains(&format!(" {r} ")))
        })
        .collect();
    assert_eq!(
        audit,
        [
            "warning missing-og-image offers/news.yaml the page has no og:image: a shared link shows no picture",
            "warning not-in-sitemap offers/news.yaml https://small.test/offers/news/thanks/ is indexable but sitemap.xml does not list it",
            "warning missing-structured-data offers/news.yaml the page has no JSON-LD saying what it is (WebPage, BlogPosting, Product…)",
        ]
    );
}
