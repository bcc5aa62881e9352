//! `consent:` and `analytics:` in the built HTML (parsed) and in `_headers`,
//! and their config errors. The browser behaviour is in consent_browser.rs.

use serde_json::Value;

use crate::common::{Page, TestSite};

const TAGS: &str = "analytics:\n  ga4: G-TEST12345\n  gtm: GTM-ABC1234\n  meta_pixel: \"123456789012\"\n  plausible: { domain: shop.test }\n";

fn site(config: &str) -> TestSite {
    TestSite::minimal().file(
        "site.yaml",
        &format!("title: Test Shop\nbase_url: https://shop.test\n{config}"),
    )
}

/// The JSON consent.js reads, from the page's `data-lander-tags`.
fn tags_of(page: &Page) -> Value {
    serde_json::from_str(&page.attr("script[data-lander-tags]", "data-lander-tags")).unwrap()
}

#[test]
fn the_banner_is_an_accessible_hidden_dialog_with_every_category() {
    let site = site(&format!(
        "{TAGS}consent:\n  policy: /privacy/\n  necessary: [ab_test]\n  version: 2\n"
    ));
    site.build(&[]).assert_ok();
    let home = site.html("index.html");
    let banner = home.all("[data-lander-consent]");
    assert_eq!(banner.len(), 1);
    let b = banner[0].value();
    assert_eq!(b.attr("role"), Some("dialog"));
    assert!(b.attr("hidden").is_some(), "shown without JavaScript");
    let title = b.attr("aria-labelledby").unwrap();
    assert_eq!(home.text(&format!("#{title}")), "Your privacy");
    assert!(home
        .text(&format!("#{}", b.attr("aria-describedby").unwrap()))
        .contains("only with your consent"));
    let buttons: Vec<String> = home
        .all("[data-lander-consent] button")
        .iter()
        .map(|e| e.text().collect::<String>())
        .collect();
    assert_eq!(
        buttons,
        ["Accept all", "Reject all", "Choose", "Save my choice"]
    );
    assert_eq!(
        home.attrs("[data-consent-category]", "name"),
        ["analytics", "marketing"]
    );
    assert_eq!(home.attr("[data-lander-consent] a", "href"), "/privacy/");
    assert_eq!(
        home.text("footer [data-lander-consent-open]"),
        "Cookie settings"
    );
    // consent.js comes before lander.js (defer keeps the order), and no tag
    // is in the HTML: consent.js injects them.
    let scripts = home.attrs("script[src]", "src");
    assert!(scripts[0].starts_with("/assets/consent."), "{scripts:?}");
    assert!(scripts[1].starts_with("/assets/lander."), "{scripts:?}");
    let html = site.read("index.html");
    for host in ["googletagmanager", "facebook", "plausible.io"] {
        assert!(!html
            .replace("data-lander-tags", "")
            .contains(&format!("src=\"https://{host}")));
    }
    let tags = tags_of(&home);
    assert_eq!(tags["ga4"], "G-TEST12345");
    assert_eq!(tags["gtm"], "GTM-ABC1234");
    assert_eq!(tags["pixel"], "123456789012");
    assert_eq!(tags["plausible"]["domain"], "shop.test");
    assert_eq!(
        tags["plausible"]["src"],
        "https://plausible.io/js/script.js"
    );
    assert_eq!(tags["cats"], serde_json::json!(["analytics", "marketing"]));
    assert_eq!(tags["keep"], serde_json::json!(["lander:variant:"]));
    assert_eq!(tags["v"], 2);
}

#[test]
fn the_policy_allows_the_tags_hosts() {
    let site = site(&format!("{TAGS}consent: {{}}\n"));
    site.build(&[]).assert_ok();
    let headers = site.read("_headers");
    let csp = headers
        .lines()
        .find_map(|l| l.trim().strip_prefix("Content-Security-Policy: "))
        .expect("a policy");
    let directive = |d: &str| -> Vec<String> {
        csp.split("; ")
            .find_map(|p| p.strip_prefix(&format!("{d} ")))
            .unwrap_or_default()
            .split(' ')
            .map(str::to_string)
            .collect()
    };
    let script = directive("script-src");
    for s in [
        "'self'",
        "https://*.googletagmanager.com",
        "https://connect.facebook.net",
        "https://plausible.io",
    ] {
        assert!(script.contains(&s.to_string()), "{csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    for s in [
        "https://*.google-analytics.com",
        "https://www.facebook.com",
        "https://plausible.io",
    ] {
        assert!(directive("connect-src").contains(&s.to_string()), "{csp}");
    }
    // Without analytics, nothing is added.
    let plain = self::site("");
    plain.build(&[]).assert_ok();
    assert!(!plain.read("_headers").contains("googletagmanager"));
}

#[test]
fn without_consent_tags_load_directly_and_without_either_no_script() {
    let site = site("analytics:\n  ga4: G-TEST12345\n");
    site.build(&[]).assert_ok();
    let home = site.html("index.html");
    assert!(home.all("[data-lander-consent]").is_empty());
    assert!(home.all("[data-lander-consent-open]").is_empty());
    let tags = tags_of(&home);
    assert_eq!(tags["ga4"], "G-TEST12345");
    assert!(tags.get("cats").is_none(), "gated without consent: {tags}");

    let plain = self::site("");
    plain.build(&[]).assert_ok();
    let home = plain.html("index.html");
    assert!(home.all("script[data-lander-tags]").is_empty());
    assert!(home.all("[data-lander-consent]").is_empty());
}

#[test]
fn the_banner_speaks_each_language_and_the_site_can_reword_it() {
    let site = site("consent: {}\nlanguages:\n  he: {}\n")
        .file("content/_index.he.md", "---\ntitle: בית\n---\nשלום.\n")
        .file("i18n/en.yaml", "consent_title: \"Cookies, briefly\"\n");
    site.build(&[]).assert_ok();
    let en = site.html("index.html");
    assert_eq!(en.text("#lander-consent-title"), "Cookies, briefly");
    // Only analytics without tags that need marketing.
    assert_eq!(en.attrs("[data-consent-category]", "name"), ["analytics"]);
    let he = site.html("he/index.html");
    assert_eq!(he.attr("html", "dir"), "rtl");
    assert_eq!(he.text("#lander-consent-title"), "הפרטיות שלך");
    assert_eq!(he.text("[data-consent=all]"), "לאשר הכול");
}

#[test]
fn bad_ids_are_refused_with_their_line() {
    let site =
        site("analytics:\n  ga4: UA-12345-1\n  gtm: \"gtm-abc\"\n  meta_pixel: \"fb-123\"\n");
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("site.yaml:4:1: `ga4: UA-12345-1` is not a GA4 measurement id")
        .assert_stderr_has("site.yaml:5:1: `gtm: gtm-abc` is not a Google Tag Manager container id")
        .assert_stderr_has("site.yaml:6:1: `meta_pixel: fb-123` is not a Meta pixel id");
    assert!(!site.exists("index.html"));
}

#[test]
fn consent_settings_are_checked() {
    let site = site(
        "analytics:\n  meta_pixel: \"123456789\"\nconsent:\n  categories: [analytics]\n  necessary: [ab_tests]\n",
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("site.yaml:7:")
        .assert_stderr_has("ab_tests");
    let site = self::site(
        "analytics:\n  meta_pixel: \"123456789\"\nconsent:\n  categories: [analytics]\n",
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("site.yaml:6:1: `consent.categories` has no `marketing`");
}
