//! The journey after a submit, in headless Chromium against the loopback
//! sink: the conversion event of a lead that was posted without the script
//! (counted on the thank-you page, once, not again on a reload), the time
//! trap (a fast submit dropped by the script, a form posted around it
//! flagged for the endpoint, a slow one sent) and a captcha's response
//! field reaching the endpoint. The fixture is `tests/fixtures/forms-site`
//! (the newsletter offer has `on_success: inline`, json-offer the default
//! `page` and a `lead_value`).

use std::time::Duration;

use crate::common::browser::{
    click, current_path, fill, goto, js, js_bool, js_lit, js_str, visible_expr, wait_js,
    wait_until, Chrome, Js, Sink, WAIT,
};
use crate::common::TestSite;
use headless_chrome::protocol::cdp::Page as CdpPage;
use headless_chrome::Tab;
use serde_json::json;

const NEWSLETTER: &str = r#"form[data-lander-form][data-offer="newsletter"]"#;
const JSON_OFFER: &str = r#"form[data-lander-form][data-offer="json-offer"]"#;
const FIXTURE: &str = "tests/fixtures/forms-site";

/// Fields drop in order: browser first, then the server, then the files.
struct Env {
    chrome: Chrome,
    sink: Sink,
    _site: TestSite,
}

/// The fixture, changed by `edit`, built for a sink on loopback.
fn setup(edit: impl FnOnce(TestSite) -> TestSite) -> Option<Env> {
    let chrome = Chrome::launch(Js::On)?;
    let site = edit(TestSite::copy_of(FIXTURE));
    let sink = Sink::start(&site.out());
    site.build(&["--base-url", &sink.base_url()]).assert_ok();
    Some(Env {
        chrome,
        sink,
        _site: site,
    })
}

fn q(css: &str) -> String {
    format!("document.querySelector({})", js_lit(css))
}

fn leads(tab: &Tab) -> Vec<serde_json::Value> {
    let v = js(
        tab,
        "(window.dataLayer || []).filter(e => e && e.event === 'generate_lead')",
    );
    v.as_array().cloned().unwrap_or_default()
}

/// Posts `form` as the browser does without lander.js (JavaScript off on
/// submit, or the script failed): no submit event, no validation.
fn post_without_script(tab: &Tab, form: &str) {
    js(
        tab,
        &format!("HTMLFormElement.prototype.submit.call({}), 0", q(form)),
    );
}

/// A stand-in for the Meta pixel on every page the tab loads: `fbq(…)`
/// calls are recorded in `window.__fbq`.
fn stub_pixel(tab: &Tab) {
    tab.call_method(CdpPage::AddScriptToEvaluateOnNewDocument {
        source: "window.fbq = (...a) => (window.__fbq = window.__fbq || []).push(a);".into(),
        world_name: None,
        include_command_line_api: None,
        run_immediately: None,
    })
    .expect("Page.addScriptToEvaluateOnNewDocument");
}

fn pixel_calls(tab: &Tab) -> serde_json::Value {
    js(tab, "window.__fbq || []")
}

fn fill_newsletter(tab: &Tab) {
    fill(
        tab,
        &format!("{NEWSLETTER} input[name=email]"),
        "ada@example.com",
    );
    click(tab, &format!("{NEWSLETTER} input[name=consent]"));
}

/// The case "form posted without the script, thank-you page with it": the
/// endpoint redirects to the thank-you page, which counts the lead on load
/// (the script could not), once; a reload does not count it again. The
/// offer is `on_success: inline`: without the script it still has its page.
#[test]
fn a_lead_posted_without_the_script_is_counted_once_on_the_thank_you_page() {
    let Some(env) = setup(|s| s) else { return };
    let tab = env.chrome.tab();
    stub_pixel(&tab);
    goto(&tab, &env.sink.url("/offers/newsletter/"));
    tab.wait_for_element(NEWSLETTER)
        .expect("the newsletter form");
    fill_newsletter(&tab);
    post_without_script(&tab, NEWSLETTER);

    let subs = env.sink.expect(1, Duration::from_millis(300));
    assert!(
        !subs[0].accept.contains("application/json"),
        "not a plain post: {:#?}",
        subs[0]
    );
    let thanks = "/offers/newsletter/thanks/";
    assert!(
        wait_until(WAIT, || current_path(&tab) == thanks),
        "the endpoint's redirect did not land on the thank-you page: {}",
        tab.get_url()
    );
    assert!(wait_js(&tab, "location.hash === '#lead-counted'", WAIT));
    let got = leads(&tab);
    assert_eq!(
        got,
        [
            json!({"event": "generate_lead", "offer": "newsletter", "variant": "", "stage": "awareness"})
        ]
    );
    assert_eq!(
        pixel_calls(&tab),
        json!([["track", "Lead", {"content_name": "newsletter"}]])
    );
    // Its next step is there, as for every thank-you page.
    assert!(js_bool(
        &tab,
        "[...document.querySelectorAll('main a')].some(a => a.textContent.includes('Read the journal'))"
    ));

    tab.reload(false, None).expect("reload");
    assert!(wait_js(&tab, "document.readyState === 'complete'", WAIT));
    assert!(js_bool(
        &tab,
        "document.documentElement.classList.contains('js')"
    ));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(current_path(&tab), thanks);
    assert_eq!(
        leads(&tab),
        Vec::<serde_json::Value>::new(),
        "counted again"
    );
    assert_eq!(pixel_calls(&tab), json!([]), "the pixel counted again");
}

/// The time trap of site.yaml (30 s: surely not yet passed) drops a fast
/// submit with a fake success and no event; a post around the script
/// carries `lander_fast=1`; an offer's own short trap (1 s) lets a submit
/// through after it, with `lander_fast` empty and the captcha's response.
#[test]
fn the_time_trap_drops_fast_submits_and_flags_them_for_the_endpoint() {
    let Some(env) = setup(|s| {
        let offer = std::fs::read_to_string(s.path().join("offers/json-offer.yaml"))
            .unwrap()
            .replace("  submit:", "  time_trap: 1\n  submit:");
        s.file(
            "site.yaml",
            &std::fs::read_to_string(crate::common::repo().join(FIXTURE).join("site.yaml"))
                .unwrap()
                .replace("time_trap: 0", "time_trap: 30, captcha: { provider: turnstile, site_key: \"1x00000000000000000000AA\" }"),
        )
        .file("offers/json-offer.yaml", &offer)
    }) else {
        return;
    };
    let tab = env.chrome.tab();
    let fast = format!("{NEWSLETTER} input[name=lander_fast]");

    // A fast submit through the script: dropped, a fake success.
    goto(&tab, &env.sink.url("/offers/newsletter/"));
    tab.wait_for_element(NEWSLETTER)
        .expect("the newsletter form");
    fill_newsletter(&tab);
    assert_eq!(js_str(&tab, &format!("{}.value", q(&fast))), "1");
    click(&tab, &format!("{NEWSLETTER} button.lander-submit"));
    assert!(
        wait_js(
            &tab,
            &visible_expr(&format!("{NEWSLETTER} .lander-thanks")),
            WAIT
        ),
        "no fake success"
    );
    std::thread::sleep(Duration::from_millis(500));
    assert!(env.sink.submissions().is_empty(), "a fast submit was sent");
    assert_eq!(js_str(&tab, &format!("{}.value", q(&fast))), "1");
    assert!(leads(&tab).is_empty(), "a dropped submit counted as a lead");

    // Posted around the script, as a bot driving the page would: flagged.
    goto(&tab, &env.sink.url("/offers/newsletter/"));
    tab.wait_for_element(NEWSLETTER)
        .expect("the newsletter form");
    fill_newsletter(&tab);
    post_without_script(&tab, NEWSLETTER);
    let subs = env.sink.expect(1, Duration::from_millis(300));
    assert_eq!(subs[0].field("lander_fast"), "1", "{:#?}", subs[0]);

    // An offer with its own 1 s trap, submitted after it: sent, with the
    // widget's response (faked: the widget needs Cloudflare's servers).
    goto(&tab, &env.sink.url("/offers/json-offer/"));
    tab.wait_for_element(JSON_OFFER)
        .expect("the json-offer form");
    let widget = format!("{JSON_OFFER} .cf-turnstile");
    js(
        &tab,
        &format!(
            "{}.innerHTML = '<input type=hidden name=cf-turnstile-response value=token-1>'",
            q(&widget)
        ),
    );
    fill(
        &tab,
        &format!("{JSON_OFFER} input[name=email]"),
        "slow@example.com",
    );
    let flag = q(&format!("{JSON_OFFER} input[name=lander_fast]"));
    assert!(
        wait_js(&tab, &format!("{flag}.value === ''"), WAIT),
        "the trap did not open after 1 s"
    );
    click(&tab, &format!("{JSON_OFFER} button.lander-submit"));
    let subs = env.sink.wait_for(2, WAIT);
    assert_eq!(subs.len(), 2, "the slow submit was not sent");
    let s = &subs[1];
    assert!(s.content_type.starts_with("application/json"), "{s:#?}");
    assert_eq!(s.field("email"), "slow@example.com");
    assert_eq!(s.field("lander_fast"), "");
    assert_eq!(s.field("cf-turnstile-response"), "token-1");
    assert!(
        wait_until(WAIT, || current_path(&tab) == "/offers/json-offer/thanks/"),
        "no thank-you page after the slow submit"
    );
}
