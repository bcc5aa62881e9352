//! Quiz outcomes without a browser: strict parsing with file:line, the
//! references `lander build` and `lander check` refuse (a missing product,
//! an offer that has ended at `--now`), the result sections and no-JS
//! buttons of the form, the per-outcome thank-you pages, and the funnel's
//! outcome edges. (In Chromium: quiz_browser.rs.)

use scraper::{Html, Selector};
use serde_json::Value;

use crate::common::{lander, TestSite};

/// A quiz whose answers lead to two products, or to the `expired` offer.
pub const MATCH: &str = r#"headline: "Find your oil"
stage: consideration
kind: quiz
form:
  submit: "Show my match"
  steps:
    - title: "Your email"
      fields:
        - { name: email, type: email, label: "Email", required: true }
    - title: "What do you cook?"
      fields:
        - { name: intent, type: radio, label: "I cook", options: ["Salads", "Roasts", "Sales"], required: true }
    - title: "Anything else?"
      optional: true
      fields:
        - { name: extra, type: radio, label: "Also", options: ["Gifts", "Nothing"] }
thank_you:
  title: "Thanks"
  next: { text: "Back to the blog", url: "/blog/" }
outcomes:
  - id: tin
    product: tin
    title: "Your match: the <Tin>"
    body: "For a **busy** kitchen."
    when: { intent: Roasts }
  - id: sale
    offer: OFFER
    title: "Your match: the sale"
    when: { intent: Sales }
  - id: oil
    product: oil
    default: true
    title: "Your match: Early Harvest"
    body: "To pour raw."
"#;

/// The forms fixture with two products and the quiz `match` (its `sale`
/// outcome recommending `offer`).
pub fn quiz_site(offer: &str) -> TestSite {
    let site = TestSite::copy_of("tests/fixtures/forms-site");
    site.write(
        "content/products/oil.md",
        b"---\ntitle: \"Early Harvest oil\"\ndescription: \"Our green and peppery oil, picked early.\"\nprice: 18.5\ncurrency: EUR\nbuy: { url: \"https://pay.test/oil\", text: \"Buy a bottle\" }\n---\nGreen and peppery.\n",
    );
    site.write(
        "content/products/tin.md",
        b"---\ntitle: \"Family tin\"\ndescription: \"Three litres of everyday oil.\"\nprice: 62\ncurrency: EUR\n---\nFor every day.\n",
    );
    site.write(
        "offers/match.yaml",
        MATCH.replace("OFFER", offer).as_bytes(),
    );
    site
}

fn run(site: &TestSite, cmd: &str, extra: &[&str]) -> crate::common::Run {
    let root = site.path().to_string_lossy().into_owned();
    let mut args = vec![cmd, "--root", root.as_str()];
    args.extend_from_slice(extra);
    lander(site.path(), &args)
}

/// Whether `lander check`'s report (grouped by file, then `LINE:COL`)
/// has a finding with `needle` in `file` at `line`.
fn finding_at(report: &str, file: &str, line: usize, needle: &str) -> bool {
    let mut current = "";
    report.lines().any(|l| {
        if !l.starts_with(' ') {
            current = l.trim();
        }
        current == file && l.trim_start().starts_with(&format!("{line}:1 ")) && l.contains(needle)
    })
}

/// The line of `needle` in the quiz's YAML (1-based).
fn line_of(yaml: &str, needle: &str) -> usize {
    yaml.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn outcome_mistakes_are_errors_with_file_and_line() {
    let site = quiz_site("popup-sale");
    let bad = MATCH
        .replace("OFFER", "popup-sale")
        .replace("when: { intent: Roasts }", "when: { intent: Rosts }")
        .replace("    default: true\n", "    colour: green\n");
    site.write("offers/match.yaml", bad.as_bytes());
    let r = site.build(&[]);
    r.assert_fails();
    // serde stops at the unknown key: that comes first, at its line.
    let at = line_of(&bad, "colour: green");
    r.assert_stderr_has(&format!("offers/match.yaml:{at}"))
        .assert_stderr_has("unknown key `colour`");

    let bad = bad.replace("    colour: green\n", "");
    site.write("offers/match.yaml", bad.as_bytes());
    let r = site.build(&[]);
    r.assert_fails();
    let tin = line_of(&bad, "- id: tin");
    r.assert_stderr_has(&format!("offers/match.yaml:{tin}"))
        .assert_stderr_has("\"Rosts\" is not an option of `intent` (did you mean \"Roasts\"?)")
        .assert_stderr_has("no outcome is the `default: true`");
    // The last good output stays: nothing was written.
    assert!(!site.exists("offers/match/index.html"));
}

#[test]
fn a_missing_product_fails_the_build_and_the_check() {
    let site = quiz_site("popup-sale");
    let yaml = MATCH
        .replace("OFFER", "popup-sale")
        .replace("product: oil", "product: oill");
    site.write("offers/match.yaml", yaml.as_bytes());
    let at = line_of(&yaml, "- id: oil");
    for cmd in ["build", "check"] {
        let r = run(&site, cmd, &[]);
        assert_ne!(r.code, Some(0), "{cmd} passed: {}{}", r.stdout, r.stderr);
        let all = format!("{}{}", r.stdout, r.stderr);
        assert!(
            (all.contains(&format!("offers/match.yaml:{at}"))
                || finding_at(&all, "offers/match.yaml", at, "build"))
                && all.contains("points at the product `oill`")
                && all.contains("did you mean `oil`?"),
            "{cmd}: {all}"
        );
    }
}

#[test]
fn a_missing_page_or_offer_fails_the_build() {
    let site = quiz_site("nope");
    let r = site.build(&[]);
    r.assert_fails()
        .assert_stderr_has(&format!(
            "offers/match.yaml:{}",
            line_of(MATCH, "- id: sale")
        ))
        .assert_stderr_has("the outcome `sale` points at the offer `nope`");
    let yaml = MATCH.replace("offer: OFFER", "page: /abut/");
    site.write("offers/match.yaml", yaml.as_bytes());
    site.write("content/about.md", b"---\ntitle: About\n---\nUs.\n");
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("points at the page `/abut/`")
        .assert_stderr_has("did you mean `/about/`?");
    let yaml = MATCH.replace("offer: OFFER", "page: /about/");
    site.write("offers/match.yaml", yaml.as_bytes());
    site.build(&[]).assert_ok();
    let page = site.html("offers/match/index.html");
    let link = "form section[data-outcome=sale] a.button";
    assert_eq!(page.attr(link, "href"), "/about/");
    assert_eq!(page.text(link), "About");
}

#[test]
fn an_outcome_offer_that_ended_fails_the_check_at_now() {
    // `expired` runs in January 2020 only.
    let site = quiz_site("expired");
    let at = line_of(MATCH, "- id: sale");
    let r = run(&site, "check", &["--now", "2026-06-01"]);
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
    let all = format!("{}{}", r.stdout, r.stderr);
    assert!(
        finding_at(
            &all,
            "offers/match.yaml",
            at,
            "expired-offer  the outcome `sale` recommends the offer `expired`"
        ),
        "{all}"
    );

    let r = run(&site, "check", &["--now", "2020-01-15", "--format", "json"]);
    assert!(
        !r.stdout.contains("recommends the offer `expired`"),
        "the offer runs on 2020-01-15: {}",
        r.stdout
    );
}

/// The `<noscript>` of a page parsed as HTML (html5ever keeps it as text).
fn noscript(page: &crate::common::Page) -> Html {
    let inner: String = page
        .all("form[data-outcomes] noscript")
        .iter()
        .map(|n| n.inner_html())
        .collect();
    Html::parse_fragment(&inner.replace("&lt;", "<").replace("&gt;", ">"))
}

#[test]
fn the_form_holds_the_results_and_each_outcome_has_a_thank_you_page() {
    let site = quiz_site("popup-sale");
    site.build(&["--base-url", "https://forms.test"])
        .assert_ok();
    let page = site.html("offers/match/index.html");
    let form = "form[data-offer=match]";
    // The rules the script tries, the default last.
    let rules: Value = serde_json::from_str(&page.attr(form, "data-outcomes")).unwrap();
    assert_eq!(
        rules,
        serde_json::json!([
            {"id": "tin", "when": {"intent": ["Roasts"]}},
            {"id": "sale", "when": {"intent": ["Sales"]}},
            {"id": "oil", "when": {}},
        ])
    );
    assert!(
        page.all(&format!(
            "{form} input[type=hidden][name=outcome][disabled]"
        ))
        .len()
            == 1
    );
    // The form's own redirect gives way to the outcome buttons'.
    assert!(page
        .all(&format!("{form} input[name=_redirect]"))
        .is_empty());
    // Results: hidden sections, escaped titles, the product card, the offer link.
    let tin = format!("{form} .lander-outcomes[hidden] section[data-outcome=tin][hidden]");
    assert_eq!(
        page.text(&format!("{tin} h2[tabindex]")),
        "Your match: the <Tin>"
    );
    assert_eq!(page.text(&format!("{tin} strong")), "busy");
    assert_eq!(
        page.attr(&format!("{tin} .card-title a"), "href"),
        "/products/tin/"
    );
    let oil = format!("{form} section[data-outcome=oil]");
    assert_eq!(
        page.attr(&format!("{oil} .buy a"), "href"),
        "https://pay.test/oil"
    );
    assert_eq!(
        page.attr(
            &format!("{form} section[data-outcome=sale] a.button"),
            "href"
        ),
        "/offers/popup-sale/"
    );
    assert_eq!(page.all("script[src*='/assets/quiz.']").len(), 1);
    assert!(site
        .html("offers/quiz/index.html")
        .all("script[src*='/assets/quiz.']")
        .is_empty());

    // Without JavaScript: one submit button per outcome, the default first,
    // each naming its thank-you page for the generic endpoint.
    let ns = noscript(&page);
    let sel = Selector::parse("button[type=submit][name=_redirect]").unwrap();
    let values: Vec<&str> = ns
        .select(&sel)
        .filter_map(|b| b.value().attr("value"))
        .collect();
    assert_eq!(
        values,
        [
            "https://forms.test/offers/match/thanks/oil/",
            "https://forms.test/offers/match/thanks/tin/",
            "https://forms.test/offers/match/thanks/sale/",
        ]
    );

    // The thank-you page of an outcome: its title, body and card, noindex,
    // and out of the sitemap like every thank-you page.
    let thanks = site.html("offers/match/thanks/tin/index.html");
    assert_eq!(thanks.text("h1"), "Your match: the <Tin>");
    assert_eq!(thanks.attr(".card-title a", "href"), "/products/tin/");
    assert_eq!(
        thanks.attr("meta[name=robots]", "content"),
        "noindex, follow"
    );
    assert_eq!(thanks.attr(".thanks p a.button", "href"), "/blog/");
    assert!(site.exists("offers/match/thanks/oil/index.html"));
    assert!(site.exists("offers/match/thanks/index.html"));
    assert!(!site.read("sitemap.xml").contains("/thanks/"));
}

#[test]
fn netlify_buttons_post_to_the_outcome_page_and_json_gets_a_warning() {
    let site = quiz_site("popup-sale");
    let netlify = MATCH
        .replace("OFFER", "popup-sale")
        .replace("form:\n", "form:\n  provider: netlify\n");
    site.write("offers/match.yaml", netlify.as_bytes());
    site.build(&[]).assert_ok();
    let page = site.html("offers/match/index.html");
    let ns = noscript(&page);
    let sel = Selector::parse("button[name=outcome]").unwrap();
    let pairs: Vec<(&str, &str)> = ns
        .select(&sel)
        .map(|b| {
            (
                b.value().attr("value").unwrap(),
                b.value().attr("formaction").unwrap(),
            )
        })
        .collect();
    assert_eq!(pairs[1], ("tin", "/offers/match/thanks/tin/"));
    let r = run(&site, "check", &[]);
    assert!(!r.stdout.contains("outcome-without-js"), "{}", r.stdout);

    let json = netlify.replace("provider: netlify", "provider: json");
    site.write("offers/match.yaml", json.as_bytes());
    let r = run(&site, "check", &[]);
    let all = format!("{}{}", r.stdout, r.stderr);
    let at = line_of(&json, "outcomes:");
    assert!(
        finding_at(&all, "offers/match.yaml", at, "outcome-without-js"),
        "{all}"
    );
}

#[test]
fn the_funnel_draws_the_outcome_edges() {
    let site = quiz_site("popup-sale");
    let r = run(&site, "funnel", &[]);
    r.assert_ok();
    assert!(
        r.stdout.contains("Quiz outcomes")
            && r.stdout.contains("/offers/match/  -> /products/tin/"),
        "{}",
        r.stdout
    );
    run(&site, "funnel", &["--output", "map"]).assert_ok();
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(site.path().join("map/funnel.json")).unwrap(),
    )
    .unwrap();
    let mut to: Vec<&str> = json["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "outcome")
        .map(|e| {
            assert_eq!(e["from"], "/offers/match/");
            e["to"].as_str().unwrap()
        })
        .collect();
    to.sort();
    assert_eq!(
        to,
        ["/offers/popup-sale/", "/products/oil/", "/products/tin/"]
    );
    let svg = std::fs::read_to_string(site.path().join("map/funnel.svg")).unwrap();
    assert!(
        svg.contains("class=\"edge outcome\""),
        "no outcome arrow in the SVG"
    );
}
