//! The HTML of the journey after a submit: `on_success` (the thank-you
//! text built into the form, hidden, with `inline`), the data of the
//! conversion events (offer, stage, value), the time trap's field and the
//! captcha widgets (markup, their script only on pages with a form, the
//! Content-Security-Policy), and the errors for bad values.

use crate::common::TestSite;

const POST: &str =
    "---\ntitle: Tasting notes\ndate: 2025-01-01\n---\nIntro.\n\n{{ form(offer=\"news\") }}\n";
const ABOUT: &str = "---\ntitle: About\n---\nNo form here.\n";
const NEWS: &str = "headline: Get the guide\nstage: tofu\nkind: guide\nthank_you:\n  title: \"You're in\"\n  body: \"The **guide** is on its way.\"\n  next: { text: \"Join the club\", url: \"/about/\" }\n";

fn site(forms_yaml: &str, offer_yaml: &str) -> TestSite {
    TestSite::empty()
        .file(
            "site.yaml",
            &format!("title: Shop\nbase_url: https://shop.test\nforms:\n  endpoint: https://forms.test/leads\n{forms_yaml}"),
        )
        .file("content/blog/notes.md", POST)
        .file("content/about.md", ABOUT)
        .file("offers/news.yaml", offer_yaml)
}

#[test]
fn inline_builds_the_thank_you_text_into_the_form_hidden() {
    let s = site("", &format!("{NEWS}on_success: inline\n"));
    s.build(&[]).assert_ok();
    let page = s.html("blog/notes/index.html");
    let form = "form.lander-form";
    assert_eq!(page.attr(form, "data-on-success"), "inline");
    assert_eq!(page.attr(form, "data-thanks"), "/offers/news/thanks/");
    let thanks = page.all("form.lander-form > section.lander-thanks");
    assert_eq!(thanks.len(), 1);
    assert!(
        thanks[0].value().attr("hidden").is_some(),
        "shown without JS"
    );
    let title_id = thanks[0].value().attr("aria-labelledby").unwrap();
    assert_eq!(
        page.text(&format!("section.lander-thanks h2#{title_id}")),
        "You're in"
    );
    assert_eq!(page.text("section.lander-thanks strong"), "guide");
    assert_eq!(
        page.attr("section.lander-thanks a.button", "href"),
        "/about/"
    );
    assert_eq!(page.text("section.lander-thanks a.button"), "Join the club");
    // The thank-you page is still there for visitors without JavaScript.
    let ty = s.html("offers/news/thanks/index.html");
    assert_eq!(ty.text("main h1"), "You're in");
}

#[test]
fn page_is_the_default_and_has_no_hidden_copy() {
    let s = site("", NEWS);
    s.build(&[]).assert_ok();
    let page = s.html("blog/notes/index.html");
    assert_eq!(page.attr("form.lander-form", "data-on-success"), "page");
    assert!(page.all(".lander-thanks").is_empty());
}

#[test]
fn an_unknown_on_success_is_located() {
    let s = site("", &format!("{NEWS}on_success: popup\n"));
    let run = s.build(&[]);
    run.assert_fails()
        .assert_stderr_has("offers/news.yaml:8")
        .assert_stderr_has("`popup`")
        .assert_stderr_has("page")
        .assert_stderr_has("inline");
}

#[test]
fn thank_you_pages_carry_the_lead_and_load_their_script_alone() {
    let s = site(
        "",
        &format!("{NEWS}lead_value: {{ value: 25, currency: eur }}\n"),
    );
    s.build(&[]).assert_ok();
    let ty = s.html("offers/news/thanks/index.html");
    let lead = "[data-lander-thanks]";
    assert_eq!(ty.attr(lead, "data-lander-thanks"), "news");
    assert_eq!(ty.attr(lead, "data-stage"), "awareness");
    assert_eq!(ty.attr(lead, "data-value"), "25");
    assert_eq!(ty.attr(lead, "data-currency"), "EUR");
    let scripts = |p: &crate::common::Page| p.attrs("script[src]", "src");
    assert!(
        scripts(&ty).iter().any(|s| s.contains("/assets/thanks.")),
        "{:?}",
        scripts(&ty)
    );
    let post = s.html("blog/notes/index.html");
    assert!(!scripts(&post).iter().any(|s| s.contains("thanks.")));
    assert_eq!(post.attr("form.lander-form", "data-value"), "25");
    assert_eq!(post.attr("form.lander-form", "data-currency"), "EUR");
}

#[test]
fn without_a_lead_value_the_offers_product_price_is_the_value() {
    let s = site("", NEWS).file(
        "content/products/oil.md",
        "---\ntitle: Oil\nprice: 12.5\ncurrency: EUR\noffer: news\n---\nGood oil.\n",
    );
    s.build(&[]).assert_ok();
    let ty = s.html("offers/news/thanks/index.html");
    assert_eq!(ty.attr("[data-lander-thanks]", "data-value"), "12.5");
    assert_eq!(ty.attr("[data-lander-thanks]", "data-currency"), "EUR");
    // No product, no value: the events carry none.
    let s = site("", NEWS);
    s.build(&[]).assert_ok();
    let ty = s.html("offers/news/thanks/index.html");
    assert!(ty.all("[data-lander-thanks][data-value]").is_empty());
}

#[test]
fn the_time_trap_field_follows_the_settings() {
    let s = site("", NEWS);
    s.build(&[]).assert_ok();
    let page = s.html("blog/notes/index.html");
    assert_eq!(page.attr("form.lander-form", "data-time-trap"), "3");
    assert_eq!(
        page.attr("form input[type=hidden][name=lander_fast]", "value"),
        ""
    );
    let s = site("  time_trap: 0\n", NEWS);
    s.build(&[]).assert_ok();
    let page = s.html("blog/notes/index.html");
    assert!(page.all("form[data-time-trap]").is_empty());
    assert!(page.all("input[name=lander_fast]").is_empty());
    let s = site(
        "  time_trap: 0\n",
        &format!("{NEWS}form:\n  time_trap: 5.5\n"),
    );
    s.build(&[]).assert_ok();
    let page = s.html("blog/notes/index.html");
    assert_eq!(page.attr("form.lander-form", "data-time-trap"), "5.5");

    let run = site("  time_trap: -1\n", NEWS).build(&[]);
    run.assert_fails()
        .assert_stderr_has("site.yaml:5")
        .assert_stderr_has("from 0 (off) to 60");
}

#[test]
fn turnstile_markup_and_script_only_where_a_form_is() {
    let key = "0x4AAAAAAABkMYinukE8nzY";
    let s = site(
        &format!("  captcha: {{ provider: turnstile, site_key: \"{key}\" }}\n"),
        NEWS,
    );
    s.build(&[]).assert_ok();
    let api = "https://challenges.cloudflare.com/turnstile/v0/api.js";
    let post = s.html("blog/notes/index.html");
    assert_eq!(
        post.attr("form.lander-form div.cf-turnstile", "data-sitekey"),
        key
    );
    // Inside the form, before the button: its token is posted with the fields.
    assert_eq!(
        post.all("form.lander-form div.cf-turnstile + button[type=submit]")
            .len(),
        1
    );
    assert_eq!(
        post.attrs("script[src]", "src")
            .iter()
            .filter(|s| *s == api)
            .count(),
        1
    );
    let offer = s.html("offers/news/index.html");
    assert!(offer.attrs("script[src]", "src").iter().any(|s| s == api));
    for page in [
        "about/index.html",
        "index.html",
        "offers/news/thanks/index.html",
    ] {
        let p = s.html(page);
        assert!(
            !p.attrs("script[src]", "src")
                .iter()
                .any(|s| s.contains("cloudflare")),
            "{page} loads the widget without a form"
        );
    }
    let headers = s.read("_headers");
    let csp = headers
        .lines()
        .find(|l| l.contains("Content-Security-Policy"))
        .unwrap();
    for d in ["script-src", "frame-src"] {
        let directive = csp
            .split(';')
            .find(|p| p.trim_start().starts_with(d))
            .unwrap_or("");
        assert!(
            directive.contains("https://challenges.cloudflare.com"),
            "{d} misses Turnstile: {csp}"
        );
    }
}

#[test]
fn hcaptcha_per_offer_and_bad_captchas_are_located() {
    let key = "10000000-ffff-ffff-ffff-000000000001";
    let s = site(
        "",
        &format!("{NEWS}form:\n  captcha: {{ provider: hcaptcha, site_key: \"{key}\" }}\n"),
    );
    s.build(&[]).assert_ok();
    let post = s.html("blog/notes/index.html");
    assert_eq!(
        post.attr("form.lander-form div.h-captcha", "data-sitekey"),
        key
    );
    assert!(post
        .attrs("script[src]", "src")
        .iter()
        .any(|s| s == "https://js.hcaptcha.com/1/api.js"));
    let csp = s.read("_headers");
    assert!(csp.contains("https://*.hcaptcha.com"), "{csp}");

    let run = site(
        "",
        &format!("{NEWS}form:\n  captcha: {{ provider: recaptcha, site_key: k }}\n"),
    )
    .build(&[]);
    run.assert_fails()
        .assert_stderr_has("offers/news.yaml:")
        .assert_stderr_has("`recaptcha`")
        .assert_stderr_has("turnstile");
    let run = site(
        "  captcha: { provider: turnstile, site_key: \"a b\" }\n",
        NEWS,
    )
    .build(&[]);
    run.assert_fails()
        .assert_stderr_has("site.yaml:5")
        .assert_stderr_has("site key");
}

/// site-example: the tasting guide is `on_success: inline`; its Arabic
/// page carries the Arabic thank-you text and next step, hidden.
#[test]
fn site_example_shows_the_thank_you_text_inline_in_each_language() {
    let s = TestSite::copy_of("site-example");
    s.build(&[]).assert_ok();
    for (page, title, next) in [
        (
            "offers/tasting-guide/index.html",
            "Check your inbox",
            "/harvest-club/",
        ),
        (
            "ar/offers/tasting-guide/index.html",
            "تفقّد بريدك الوارد",
            "/ar/harvest-club/",
        ),
    ] {
        let p = s.html(page);
        assert_eq!(
            p.attr("form.lander-form", "data-on-success"),
            "inline",
            "{page}"
        );
        assert_eq!(p.text("form .lander-thanks[hidden] h2"), title, "{page}");
        assert_eq!(
            p.attr("form .lander-thanks a.button", "href"),
            next,
            "{page}"
        );
    }
}
