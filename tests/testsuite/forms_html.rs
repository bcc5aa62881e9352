//! The HTML of offers and forms, as a browser with JavaScript off (or a
//! provider's bot) sees it: every provider's conventions, segmentation
//! fields, shortcodes, schedules, popups and variants.

use crate::common;

use crate::common::TestSite;

const POST: &str = "---\ntitle: Tasting notes\ndate: 2025-01-01\n---\nIntro.\n\n{{ form(offer=\"news\") }}\n\nMore text.\n";

fn site_with(provider_yaml: &str, offer_yaml: &str) -> TestSite {
    TestSite::empty()
        .file(
            "site.yaml",
            &format!("title: Shop\nbase_url: https://shop.test\nforms:\n{provider_yaml}"),
        )
        .file("content/blog/notes.md", POST)
        .file("offers/news.yaml", offer_yaml)
}

const NEWS: &str = "headline: Get the guide\nstage: tofu\nkind: guide\nform:\n  fields:\n    - { name: email, type: email, label: Email, required: true }\n    - { name: first_name, type: text, label: First name }\nthank_you: { title: Thanks }\n";

fn hidden(page: &common::Page, name: &str) -> Option<String> {
    page.all(&format!("form input[type=hidden][name=\"{name}\"]"))
        .first()
        .map(|e| e.value().attr("value").unwrap_or("").to_string())
}

#[test]
fn generic_form_posts_everything_needed_without_javascript() {
    let site = site_with("  endpoint: https://forms.test/leads\n", NEWS);
    site.build(&[]).assert_ok();
    let page = site.html("blog/notes/index.html");
    let form = "form.lander-form";
    assert_eq!(page.attr(form, "method"), "post");
    assert_eq!(page.attr(form, "action"), "https://forms.test/leads");
    assert_eq!(page.attr(form, "data-provider"), "generic");
    assert_eq!(hidden(&page, "offer").as_deref(), Some("news"));
    assert_eq!(hidden(&page, "stage").as_deref(), Some("awareness"));
    assert_eq!(hidden(&page, "page").as_deref(), Some("/blog/notes/"));
    assert_eq!(hidden(&page, "lang").as_deref(), Some("en"));
    assert_eq!(
        hidden(&page, "_redirect").as_deref(),
        Some("https://shop.test/offers/news/thanks/")
    );
    for utm in [
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "utm_term",
        "utm_content",
        "referrer",
    ] {
        assert_eq!(hidden(&page, utm).as_deref(), Some(""), "{utm}");
    }
    // Honeypot present, labels tied to inputs, required email.
    assert_eq!(page.all("input[name=_honey]").len(), 1);
    let email = page.attr("input[name=email]", "id");
    assert_eq!(page.all(&format!("label[for=\"{email}\"]")).len(), 1);
    assert_eq!(page.attr("input[name=email]", "type"), "email");
    assert!(page.all("input[name=email][required]").len() == 1);
    // The shortcode replaced its paragraph: no form inside a <p>.
    assert!(page.all("p form").is_empty());
}

#[test]
fn netlify_attributes_survive_minification() {
    let site = site_with("  provider: netlify\n", NEWS);
    site.build(&[]).assert_ok();
    let raw = site.read("blog/notes/index.html");
    let page = site.html("blog/notes/index.html");
    assert_eq!(page.attr("form.lander-form", "data-netlify"), "true");
    assert_eq!(
        page.attr("form.lander-form", "netlify-honeypot"),
        "bot-field"
    );
    assert_eq!(page.attr("form.lander-form", "name"), "news");
    assert_eq!(
        page.attr("form.lander-form", "action"),
        "/offers/news/thanks/"
    );
    assert_eq!(hidden(&page, "form-name").as_deref(), Some("news"));
    assert_eq!(page.all("input[name=bot-field]").len(), 1);
    // Netlify's build bot scans the raw HTML: the attribute must be there verbatim.
    assert!(
        raw.contains("data-netlify=true") || raw.contains("data-netlify=\"true\""),
        "{raw}"
    );
}

#[test]
fn formspree_gets_gotcha_next_and_subject() {
    let site = site_with(
        "  provider: formspree\n  endpoint: https://formspree.io/f/abcd\n",
        NEWS,
    );
    site.build(&[]).assert_ok();
    let page = site.html("blog/notes/index.html");
    assert_eq!(
        page.attr("form.lander-form", "action"),
        "https://formspree.io/f/abcd"
    );
    assert_eq!(page.all("input[name=_gotcha]").len(), 1);
    assert_eq!(
        hidden(&page, "_next").as_deref(),
        Some("https://shop.test/offers/news/thanks/")
    );
    assert_eq!(
        hidden(&page, "_subject").as_deref(),
        Some("New lead: Get the guide")
    );
}

#[test]
fn mailchimp_uses_merge_tags_and_its_bot_field() {
    let site = site_with(
        "  provider: mailchimp\n  endpoint: \"https://shop.us21.list-manage.com/subscribe/post?u=abc&id=123\"\n",
        NEWS,
    );
    site.build(&[]).assert_ok();
    let page = site.html("blog/notes/index.html");
    assert_eq!(page.all("input[name=EMAIL][type=email]").len(), 1);
    assert_eq!(page.all("input[name=FNAME]").len(), 1);
    assert_eq!(page.all("input[name=b_abc_123][tabindex=\"-1\"]").len(), 1);
}

#[test]
fn mailchimp_endpoint_must_be_a_list_manage_action() {
    let site = site_with(
        "  provider: mailchimp\n  endpoint: https://example.com/x\n",
        NEWS,
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("is not a Mailchimp form action");
}

#[test]
fn form_endpoint_flag_overrides_every_form_and_http_warns() {
    let offer = NEWS.to_string();
    let site = site_with(
        "  endpoint: https://forms.test/leads\n",
        &offer.replace("form:\n", "form:\n  endpoint: https://offer.test/x\n"),
    );
    let run = site.build(&["--form-endpoint", "https://staging.test/capture"]);
    run.assert_ok();
    let page = site.html("blog/notes/index.html");
    assert_eq!(
        page.attr("form.lander-form", "action"),
        "https://staging.test/capture"
    );

    let insecure = site_with(
        "  endpoint: http://forms.example.com/leads\n",
        &NEWS.replace("form:\n", "form:\n  endpoint: http://forms.example.com/x\n"),
    );
    insecure
        .build(&[])
        .assert_ok()
        .assert_stderr_has("is not https");
    let local = site_with("  endpoint: http://127.0.0.1:9999/x\n", NEWS);
    let run = local.build(&[]);
    run.assert_ok();
    assert!(!run.stderr.contains("is not https"), "{}", run.stderr);
}

#[test]
fn shortcodes_in_code_stay_literal_and_unknown_offers_are_located() {
    let site = site_with("  endpoint: https://forms.test/x\n", NEWS).file(
        "content/blog/code.md",
        "---\ntitle: Code\ndate: 2025-01-02\n---\nUse `{{ cta(offer=\"news\") }}` like this:\n\n```\n{{ form(offer=\"news\") }}\n```\n",
    );
    site.build(&[]).assert_ok();
    let page = site.html("blog/code/index.html");
    assert_eq!(page.text("p code"), "{{ cta(offer=\"news\") }}");
    assert!(page.text("pre code").contains("{{ form(offer=\"news\") }}"));
    assert!(page.all("form").is_empty());

    site.write(
        "content/blog/code.md",
        b"---\ntitle: Code\ndate: 2025-01-02\n---\nLine one.\n\nSee {{ cta(offer=\"newz\") }} now.\n",
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("content/blog/code.md:7:5: unknown offer `newz`")
        .assert_stderr_has("did you mean `news`?");
}

#[test]
fn cta_shortcode_and_front_matter_offer_link_to_the_offer() {
    let site = site_with("  endpoint: https://forms.test/x\n", NEWS).file(
        "content/about.md",
        "---\ntitle: About\noffer: news\n---\n{{ cta(offer=\"news\") }}\n",
    );
    site.build(&[]).assert_ok();
    let page = site.html("about/index.html");
    let links = page.attrs("a[data-lander-cta]", "href");
    assert_eq!(links, vec!["/offers/news/", "/offers/news/"]);
    assert_eq!(
        page.attrs("a[data-lander-cta]", "data-offer"),
        vec!["news", "news"]
    );
}

#[test]
fn quiz_shows_every_step_without_javascript() {
    let quiz = "headline: Find your oil\nstage: mofu\nkind: quiz\nform:\n  steps:\n    - { title: Where shall we send it?, fields: [ { name: email, type: email, required: true } ] }\n    - { title: What do you cook?, fields: [ { name: intent, type: radio, options: [Salads, Fish], required: true } ] }\n    - { title: Favourite?, optional: true, fields: [ { name: pick, type: select, options: [A, B] } ] }\n";
    let site = site_with(
        "  endpoint: https://forms.test/x\n  consent: I agree\n",
        quiz,
    );
    site.build(&[]).assert_ok();
    let page = site.html("blog/notes/index.html");
    let steps = page.all("form[data-lander-quiz] fieldset.lander-step");
    assert_eq!(steps.len(), 3);
    assert!(steps.iter().all(|s| s.value().attr("hidden").is_none()));
    assert_eq!(
        page.attrs("fieldset.lander-step", "data-step"),
        vec!["1", "2", "3"]
    );
    assert_eq!(page.all("fieldset[data-optional]").len(), 1);
    // Consent sits in step 1 so the early lead carries it.
    assert_eq!(
        page.all("fieldset[data-step=\"1\"] input[name=consent][required]")
            .len(),
        1
    );
    assert_eq!(page.all("input[type=radio][name=intent]").len(), 2);
    assert_eq!(
        page.all("button[type=submit], form.lander-form button:not([type])")
            .len(),
        1
    );
}

#[test]
fn quiz_must_ask_the_email_first() {
    let quiz = "headline: Q\nform:\n  steps:\n    - { title: A, fields: [ { name: intent, type: radio, options: [x, y] } ] }\n";
    let site = site_with("  endpoint: https://forms.test/x\n", quiz);
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("offers/news.yaml:2:1")
        .assert_stderr_has("first quiz step must ask for the email");
}

#[test]
fn schedule_fallback_and_now_flag() {
    let sale = "headline: Flash sale\nstage: bofu\nincentive: { type: percent, value: 20 }\nschedule: { starts: 2026-03-01, ends: 2026-03-08, countdown: true, fallback: news }\n";
    let site = site_with("  endpoint: https://forms.test/x\n", NEWS)
        .file("offers/sale.yaml", sale)
        .file("content/sale.md", "---\ntitle: Sale\noffer: sale\n---\n{{ countdown(offer=\"sale\") }}\n\n{{ cta(offer=\"sale\") }}\n");

    site.build(&["--now", "2026-03-05"]).assert_ok();
    let during = site.html("sale/index.html");
    assert_eq!(
        during.attr("[data-lander-countdown]", "data-ends"),
        "2026-03-09T00:00:00+00:00"
    );
    assert!(during
        .attrs("a[data-lander-cta]", "data-offer")
        .iter()
        .all(|o| o == "sale"));
    assert!(site.exists("offers/sale/index.html"));

    // After the end the fallback offer takes the sale's place everywhere.
    site.build(&["--now", "2026-03-09"]).assert_ok();
    let after = site.html("sale/index.html");
    assert!(after.all("[data-lander-offer=\"sale\"]").is_empty());
    assert!(after
        .attrs("a[data-lander-cta]", "data-offer")
        .iter()
        .all(|o| o == "news"));
    assert!(
        !site.exists("offers/sale/index.html"),
        "an ended offer has no landing page"
    );

    // Without a fallback the CTA disappears, with a warning naming the page.
    site.write(
        "offers/sale.yaml",
        sale.replace(", fallback: news", "").as_bytes(),
    );
    site.write(
        "content/sale.md",
        b"---\ntitle: Sale\noffer: sale\n---\n{{ cta(offer=\"sale\") }}\n",
    );
    let run = site.build(&["--now", "2026-03-09"]);
    run.assert_ok()
        .assert_stderr_has("warning: content/sale.md:3:1: the offer `sale` is not running")
        .assert_stderr_has("warning: content/sale.md:5:1");
    let gone = site.html("sale/index.html");
    assert!(gone.all("[data-lander-offer]").is_empty());
}

#[test]
fn popups_only_on_matching_pages_and_hidden_without_javascript() {
    let popup = "headline: Welcome\nstage: bofu\nvariants:\n  - { id: percent, weight: 50, headline: 10% off, incentive: { type: percent, value: 10 } }\n  - { id: amount, weight: 50, headline: €10 off, incentive: { type: amount, value: 10, currency: EUR } }\npopup: { trigger: exit-intent, pages: [\"/blog/**\"], frequency_days: 7 }\n";
    let site = site_with("  endpoint: https://forms.test/x\n", NEWS)
        .file("offers/welcome.yaml", popup)
        .file("content/about.md", "---\ntitle: About\n---\nHi.\n");
    site.build(&[]).assert_ok();
    let post = site.html("blog/notes/index.html");
    let popups = post.all("[data-lander-popup=welcome]");
    assert_eq!(popups.len(), 1);
    assert!(popups[0].value().attr("hidden").is_some());
    assert_eq!(
        post.attr("[data-lander-popup]", "data-trigger"),
        "exit-intent"
    );
    assert_eq!(post.attr("[data-lander-popup]", "data-frequency-days"), "7");
    assert_eq!(post.attr("[data-lander-popup]", "role"), "dialog");
    // Variants: the first is the default, the other hidden until the script picks.
    let variants = post.all("[data-lander-popup] [data-lander-variant]");
    assert_eq!(variants.len(), 2);
    assert!(variants[0].value().attr("hidden").is_none());
    assert!(variants[1].value().attr("hidden").is_some());
    assert_eq!(
        post.attr("[data-lander-popup] .lander-offer", "data-variants"),
        "[{\"id\":\"percent\",\"weight\":50},{\"id\":\"amount\",\"weight\":50}]"
    );
    assert_eq!(hidden(&post, "variant").as_deref(), Some("")); // the inline news form has no variants
    let about = site.html("about/index.html");
    assert!(about.all("[data-lander-popup]").is_empty());
}

#[test]
fn script_is_small_deferred_and_on_every_page() {
    let site = site_with("  endpoint: https://forms.test/x\n", NEWS);
    site.build(&[]).assert_ok();
    let page = site.html("blog/notes/index.html");
    let src = page.attr("script[src]", "src");
    assert!(
        src.starts_with("/assets/lander.") && src.ends_with(".js"),
        "{src}"
    );
    assert_eq!(page.all("script[src][defer]").len(), 1);
    let size = std::fs::metadata(site.out().join(src.trim_start_matches('/')))
        .unwrap()
        .len();
    assert!(size <= 8 * 1024, "script is {size} bytes");
}

#[test]
fn thank_you_page_is_noindex_and_offer_page_has_the_form() {
    let site = site_with("  endpoint: https://forms.test/x\n", NEWS);
    site.build(&[]).assert_ok();
    let offer = site.html("offers/news/index.html");
    assert_eq!(offer.all("form.lander-form").len(), 1);
    assert_eq!(hidden(&offer, "page").as_deref(), Some("/offers/news/"));
    let thanks = site.html("offers/news/thanks/index.html");
    assert_eq!(
        thanks.attr("meta[name=robots]", "content"),
        "noindex, follow"
    );
}
