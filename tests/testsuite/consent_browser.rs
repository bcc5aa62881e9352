//! The consent banner of site-example in headless Chromium. Every request
//! of the tab goes through DevTools' Fetch domain: the loopback site is let
//! through, anything else (Google's and Meta's hosts) is recorded and
//! failed, as it would on this offline machine anyway, so that the tests
//! see exactly which tags the page tried to load and when.

use std::sync::{Arc, Mutex};

use headless_chrome::browser::tab::{ModifierKey, RequestPausedDecision};
use headless_chrome::browser::transport::{SessionId, Transport};
use headless_chrome::protocol::cdp::Fetch::events::RequestPausedEvent;
use headless_chrome::protocol::cdp::Fetch::{FailRequest, RequestPattern, RequestStage};
use headless_chrome::protocol::cdp::Network::ErrorReason;
use headless_chrome::Tab;
use serde_json::Value;

use crate::common::browser::{
    click, goto, js, js_await, js_bool, visible_expr, wait_js, Chrome, Js, Sink, WAIT,
};
use crate::common::TestSite;

const BANNER: &str = "[data-lander-consent]";
const GA4: &str = "https://www.googletagmanager.com/gtag/js?id=G-OLIVA2026X";
const PIXEL: &str = "https://connect.facebook.net/en_US/fbevents.js";

struct Env {
    chrome: Chrome,
    sink: Sink,
    _site: TestSite,
}

fn setup(js: Js) -> Option<Env> {
    setup_site(js, TestSite::copy_of("site-example"))
}

fn setup_site(js: Js, site: TestSite) -> Option<Env> {
    let chrome = Chrome::launch(js)?;
    let sink = Sink::start(&site.out());
    site.build(&["--base-url", &sink.base_url()]).assert_ok();
    Some(Env {
        chrome,
        sink,
        _site: site,
    })
}

/// A tab whose requests to other hosts than 127.0.0.1 are recorded and
/// failed; the returned list fills as the pages load.
fn recording_tab(env: &Env) -> (Arc<Tab>, Arc<Mutex<Vec<String>>>) {
    let tab = env.chrome.tab();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let pattern = RequestPattern {
        url_pattern: None,
        resource_Type: None,
        request_stage: Some(RequestStage::Request),
    };
    tab.enable_fetch(Some(&[pattern]), None)
        .expect("Fetch.enable");
    let log = Arc::clone(&seen);
    tab.enable_request_interception(Arc::new(
        move |_: Arc<Transport>, _: SessionId, ev: RequestPausedEvent| {
            let url = ev.params.request.url;
            if url.starts_with("http://127.0.0.1:") {
                return RequestPausedDecision::Continue(None);
            }
            log.lock().unwrap().push(url);
            RequestPausedDecision::Fail(FailRequest {
                request_id: ev.params.request_id,
                error_reason: ErrorReason::InternetDisconnected,
            })
        },
    ))
    .expect("request interception");
    (tab, seen)
}

/// The keys of localStorage and of sessionStorage.
fn stored(tab: &Tab) -> (Vec<String>, Vec<String>) {
    let v = js(
        tab,
        "[Object.keys(localStorage).sort(), Object.keys(sessionStorage).sort()]",
    );
    let keys = |i: usize| -> Vec<String> {
        v[i].as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap().to_string())
            .collect()
    };
    (keys(0), keys(1))
}

/// `dataLayer` entries pushed by gtag('consent', kind, …): their parameters.
fn consent_calls(tab: &Tab, kind: &str) -> Vec<Value> {
    let v = js(
        tab,
        &format!(
            "(window.dataLayer || []).filter(e => e[0] === 'consent' && e[1] === '{kind}').map(e => e[2])"
        ),
    );
    v.as_array().cloned().unwrap_or_default()
}

/// Total layout shift of the page so far, without shifts caused by input.
fn layout_shift(tab: &Tab) -> f64 {
    js_await(
        tab,
        "new Promise(done => { let sum = 0; new PerformanceObserver(list => { \
           for (const e of list.getEntries()) if (!e.hadRecentInput) sum += e.value; \
         }).observe({ type: 'layout-shift', buffered: true }); setTimeout(() => done(sum), 300); })",
    )
    .as_f64()
    .expect("a number")
}

/// The `data-consent` (or the text) of the focused element.
fn focused(tab: &Tab) -> String {
    js(
        tab,
        "document.activeElement.dataset.consent || document.activeElement.textContent.trim()",
    )
    .as_str()
    .unwrap_or_default()
    .to_string()
}

fn press(tab: &Tab, key: &str) {
    tab.press_key(key).expect("key press");
}

#[test]
fn before_a_choice_nothing_loads_or_is_stored_and_reject_keeps_it_so() {
    let Some(env) = setup(Js::On) else { return };
    let (tab, seen) = recording_tab(&env);
    // UTM values, an A/B test (the welcome popup's variants), a bottom bar
    // and an exit-intent popup: everything lander.js would store.
    goto(
        &tab,
        &env.sink
            .url("/blog/?utm_source=newsletter&utm_campaign=harvest-newsletter"),
    );
    assert!(wait_js(&tab, &visible_expr(BANNER), WAIT), "no banner");
    assert!(wait_js(
        &tab,
        "window.lander && document.documentElement.classList.contains('js')",
        WAIT
    ));
    let shift = layout_shift(&tab);
    eprintln!("layout shift with the banner on /blog/: {shift}");
    assert!(shift < 0.01, "layout shift {shift} with the banner");
    // The visitor leaves the page (exit intent: the popup shows and is
    // counted) and dismisses the bar.
    js(
        &tab,
        "document.dispatchEvent(new MouseEvent('mouseout', { clientY: -1, bubbles: true })), \
         document.querySelector('[data-lander-bar] [data-lander-dismiss]').click()",
    );
    assert!(
        wait_js(&tab, &visible_expr("[data-lander-popup]"), WAIT),
        "the exit-intent popup did not show"
    );
    js(&tab, "document.querySelector('[data-lander-popup] [data-lander-close], [data-lander-popup] .lander-popup-close').click()");
    assert_eq!(
        stored(&tab),
        (vec![], vec![]),
        "lander stored something before consent"
    );
    // Consent Mode's defaults are set, and denied.
    let defaults = consent_calls(&tab, "default");
    assert_eq!(defaults.len(), 1, "{defaults:?}");
    for k in [
        "ad_storage",
        "analytics_storage",
        "ad_user_data",
        "ad_personalization",
    ] {
        assert_eq!(defaults[0][k], "denied", "{defaults:?}");
    }
    assert!(defaults[0]["wait_for_update"].is_number());

    // The keyboard: from the top, Tab reaches the banner's buttons right
    // after the skip link.
    js(&tab, "document.activeElement.blur(), window.scrollTo(0, 0)");
    let mut order = Vec::new();
    for _ in 0..5 {
        press(&tab, "Tab");
        order.push(focused(&tab));
    }
    assert_eq!(
        order,
        ["Skip to content", "Privacy policy", "all", "none", "choose"]
    );
    // "Reject all" with the keyboard.
    tab.press_key_with_modifiers("Tab", Some(&[ModifierKey::Shift]))
        .expect("Shift+Tab");
    assert_eq!(focused(&tab), "none");
    press(&tab, "Enter");
    assert!(wait_js(&tab, &format!("!({})", visible_expr(BANNER)), WAIT));
    let (local, session) = stored(&tab);
    assert_eq!(
        (local, session),
        (vec!["lander_consent".to_string()], vec![])
    );
    let record: Value = serde_json::from_str(
        js(&tab, "localStorage.getItem('lander_consent')")
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(record["v"], 1);
    assert_eq!(record["analytics"], false);
    assert_eq!(record["marketing"], false);
    assert!(
        record["date"].as_str().unwrap().starts_with("20"),
        "{record}"
    );
    assert_eq!(
        consent_calls(&tab, "update")[0]["analytics_storage"],
        "denied"
    );

    // The choice is remembered: no banner on the next page, still nothing.
    goto(&tab, &env.sink.url("/products/?utm_source=again"));
    assert!(wait_js(
        &tab,
        "document.documentElement.classList.contains('js')",
        WAIT
    ));
    assert!(!js_bool(&tab, &visible_expr(BANNER)));
    assert_eq!(stored(&tab).1, Vec::<String>::new());
    assert!(
        seen.lock().unwrap().is_empty(),
        "requests left for other hosts: {:?}",
        seen.lock().unwrap()
    );

    // "Cookie settings" in the footer reopens it, focus on "Accept all".
    js(
        &tab,
        "document.querySelector('[data-lander-consent-open]').focus()",
    );
    press(&tab, "Enter");
    assert!(wait_js(&tab, &visible_expr(BANNER), WAIT), "not reopened");
    assert_eq!(focused(&tab), "all");
    // Escape closes it again, back on the footer link.
    press(&tab, "Escape");
    assert!(wait_js(&tab, &format!("!({})", visible_expr(BANNER)), WAIT));
    assert!(js_bool(
        &tab,
        "document.activeElement.matches('[data-lander-consent-open]')"
    ));
}

#[test]
fn accept_loads_ga4_and_the_pixel_and_choose_takes_analytics_back() {
    let Some(env) = setup(Js::On) else { return };
    let (tab, seen) = recording_tab(&env);
    goto(&tab, &env.sink.url("/?utm_source=newsletter"));
    assert!(wait_js(&tab, &visible_expr(BANNER), WAIT), "no banner");
    assert!(seen.lock().unwrap().is_empty());
    click(&tab, "[data-consent=all]");
    let requested = |url: &str| seen.lock().unwrap().iter().any(|u| u == url);
    assert!(
        crate::common::browser::wait_until(WAIT, || requested(GA4) && requested(PIXEL)),
        "GA4 and the pixel not requested: {:?}",
        seen.lock().unwrap()
    );
    let update = consent_calls(&tab, "update");
    assert_eq!(update.len(), 1, "{update:?}");
    for k in [
        "ad_storage",
        "analytics_storage",
        "ad_user_data",
        "ad_personalization",
    ] {
        assert_eq!(update[0][k], "granted", "{update:?}");
    }
    // The default came first, then the update, then GA4's config.
    let order = js(
        &tab,
        "dataLayer.map(e => e[0] === 'consent' ? e[1] : e[0] || e.event)",
    );
    let order: Vec<&str> = order
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let at = |k: &str| {
        order
            .iter()
            .position(|o| *o == k)
            .unwrap_or_else(|| panic!("no {k} in {order:?}"))
    };
    assert!(
        at("default") < at("update") && at("update") < at("config"),
        "{order:?}"
    );
    assert!(js_bool(
        &tab,
        "fbq.queue.some(a => a[0] === 'init' && a[1] === '1234567890123456')"
    ));
    // With consent, lander keeps the visit's UTM values again.
    goto(&tab, &env.sink.url("/blog/?utm_source=newsletter"));
    assert!(wait_js(
        &tab,
        "sessionStorage.getItem('lander:utm') !== null",
        WAIT
    ));
    assert!(!js_bool(&tab, &visible_expr(BANNER)));

    // "Choose": the boxes show the stored choice; analytics is unticked.
    js(
        &tab,
        "document.querySelector('[data-lander-consent-open]').click()",
    );
    assert!(wait_js(&tab, &visible_expr(BANNER), WAIT));
    click(&tab, "[data-consent=choose]");
    assert!(wait_js(
        &tab,
        &visible_expr("[data-consent-category=analytics]"),
        WAIT
    ));
    assert!(js_bool(
        &tab,
        "document.querySelector('[data-consent-category=analytics]').checked"
    ));
    click(&tab, "[data-consent-category=analytics]");
    click(&tab, "[data-consent=save]");
    assert!(wait_js(&tab, &format!("!({})", visible_expr(BANNER)), WAIT));
    let record: Value = serde_json::from_str(
        js(&tab, "localStorage.getItem('lander_consent')")
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        (record["analytics"].clone(), record["marketing"].clone()),
        (Value::from(false), Value::from(true))
    );
    assert_eq!(
        consent_calls(&tab, "update").last().unwrap()["analytics_storage"],
        "denied"
    );
    // What lander kept under analytics is forgotten.
    assert_eq!(stored(&tab), (vec!["lander_consent".to_string()], vec![]));
}

#[test]
fn the_arabic_banner_reads_right_to_left() {
    let Some(env) = setup(Js::On) else { return };
    let (tab, _) = recording_tab(&env);
    goto(&tab, &env.sink.url("/ar/"));
    assert!(wait_js(&tab, &visible_expr(BANNER), WAIT), "no banner");
    assert_eq!(
        js(
            &tab,
            &format!("getComputedStyle(document.querySelector('{BANNER}')).direction")
        ),
        "rtl"
    );
    let right = |css: &str| {
        js(
            &tab,
            &format!("document.querySelector('{css}').getBoundingClientRect().right"),
        )
        .as_f64()
        .unwrap()
    };
    // "Accept all" comes first, at the right.
    assert!(right("[data-consent=all]") > right("[data-consent=none]"));
    assert_eq!(
        js(
            &tab,
            "document.querySelector('[data-consent=all]').textContent"
        ),
        "قبول الكل"
    );
}

#[test]
fn without_javascript_there_is_no_banner_and_no_tag() {
    let Some(env) = setup(Js::Off) else { return };
    let (tab, seen) = recording_tab(&env);
    goto(&tab, &env.sink.url("/"));
    tab.wait_for_element("footer").expect("the page");
    let banner = tab.find_element(BANNER).expect("the banner's markup");
    assert!(
        banner.get_box_model().is_err(),
        "the banner has a box without JavaScript"
    );
    // DevTools still evaluates with the page's scripts off.
    assert_eq!(
        js(
            &tab,
            "getComputedStyle(document.querySelector('[data-lander-consent-open]')).visibility"
        ),
        "hidden",
        "the settings button, which needs JavaScript, shows"
    );
    assert!(!js_bool(
        &tab,
        "'landerKeep' in window || 'dataLayer' in window"
    ));
    assert!(
        seen.lock().unwrap().is_empty(),
        "requests left for other hosts: {:?}",
        seen.lock().unwrap()
    );
}

#[test]
fn a_cookieless_plausible_may_load_before_the_choice_tag_manager_waits() {
    let site = TestSite::minimal().file(
        "site.yaml",
        "title: Test Shop\nbase_url: https://shop.test\nanalytics:\n  gtm: GTM-ABC1234\n  \
         plausible: { domain: shop.test, consent: false }\nconsent: {}\n",
    );
    let Some(env) = setup_site(Js::On, site) else {
        return;
    };
    let (tab, seen) = recording_tab(&env);
    goto(&tab, &env.sink.url("/"));
    assert!(wait_js(&tab, &visible_expr(BANNER), WAIT), "no banner");
    let requested = |url: &str| seen.lock().unwrap().iter().any(|u| u == url);
    let plausible = "https://plausible.io/js/script.js";
    let gtm = "https://www.googletagmanager.com/gtm.js?id=GTM-ABC1234";
    assert!(
        crate::common::browser::wait_until(WAIT, || requested(plausible)),
        "Plausible not loaded: {:?}",
        seen.lock().unwrap()
    );
    assert_eq!(
        js(
            &tab,
            "document.querySelector('script[data-domain]').dataset.domain"
        ),
        "shop.test"
    );
    assert!(!requested(gtm), "Tag Manager loaded before consent");
    // Only the analytics category: nothing here needs marketing.
    assert_eq!(
        js(
            &tab,
            "[...document.querySelectorAll('[data-consent-category]')].map(b => b.name)"
        ),
        serde_json::json!(["analytics"])
    );
    click(&tab, "[data-consent=all]");
    assert!(
        crate::common::browser::wait_until(WAIT, || requested(gtm)),
        "Tag Manager not loaded after Accept: {:?}",
        seen.lock().unwrap()
    );
    assert!(js_bool(&tab, "dataLayer.some(e => e.event === 'gtm.js')"));
}

#[test]
fn what_the_site_declares_necessary_is_kept_before_the_choice() {
    let example = TestSite::copy_of("site-example");
    let config = std::fs::read_to_string(example.path().join("site.yaml")).unwrap();
    let config = config.replace("  policy:", "  necessary: [ab_test]\n  policy:");
    assert!(config.contains("necessary: [ab_test]"));
    let Some(env) = setup_site(Js::On, example.file("site.yaml", &config)) else {
        return;
    };
    let (tab, seen) = recording_tab(&env);
    goto(&tab, &env.sink.url("/blog/?utm_source=newsletter"));
    assert!(wait_js(&tab, &visible_expr(BANNER), WAIT), "no banner");
    assert!(wait_js(
        &tab,
        "localStorage.getItem('lander:variant:welcome-popup') !== null",
        WAIT
    ));
    // The A/B variant only: no UTM values, no tag.
    assert_eq!(
        stored(&tab),
        (vec!["lander:variant:welcome-popup".to_string()], vec![])
    );
    assert!(seen.lock().unwrap().is_empty());
}

/// After "Accept", a lead is counted once: the form (the spring sale's,
/// `on_success: page`) posts to the sink, the visitor lands on the offer's
/// thank-you page, and that page pushes GA4's `generate_lead` and queues
/// the pixel's `Lead` once, with GA4 and the pixel loading there too.
#[test]
fn after_accept_a_lead_is_counted_once_by_ga4_and_the_pixel() {
    let Some(chrome) = Chrome::launch(Js::On) else {
        return;
    };
    let site = TestSite::copy_of("site-example");
    let sink = Sink::start(&site.out());
    let endpoint = sink.url("/submit");
    site.build(&["--base-url", &sink.base_url(), "--form-endpoint", &endpoint])
        .assert_ok();
    let env = Env {
        chrome,
        sink,
        _site: site,
    };
    let (tab, seen) = recording_tab(&env);
    goto(&tab, &env.sink.url("/offers/spring-sale/"));
    assert!(wait_js(&tab, &visible_expr(BANNER), WAIT), "no banner");
    click(&tab, "[data-consent=all]");
    let requested = |url: &str| seen.lock().unwrap().iter().any(|u| u == url);
    assert!(crate::common::browser::wait_until(WAIT, || requested(GA4) && requested(PIXEL)));

    // The site's time trap is 3 s: a person takes longer than that.
    std::thread::sleep(std::time::Duration::from_millis(3200));
    let form = r#"main form[data-lander-form][data-offer="spring-sale"]"#;
    crate::common::browser::fill(
        &tab,
        &format!("{form} input[type=email]"),
        "ada@example.com",
    );
    let consent = format!("{form} .lander-field-consent input");
    if js_bool(&tab, &format!("!!document.querySelector({consent:?})")) {
        click(&tab, &consent);
    }
    click(&tab, &format!("{form} button[type=submit]"));
    let subs = env.sink.expect(1, std::time::Duration::from_millis(300));
    assert_eq!(subs.len(), 1, "{subs:#?}");
    let thanks = "/offers/spring-sale/thanks/";
    assert!(
        crate::common::browser::wait_until(WAIT, || {
            crate::common::browser::current_path(&tab) == thanks
        }),
        "not on the thank-you page: {}",
        tab.get_url()
    );
    assert!(wait_js(&tab, "location.hash === '#lead-counted'", WAIT));
    let leads = js(
        &tab,
        "dataLayer.filter(e => e && e.event === 'generate_lead').map(e => e.offer)",
    );
    assert_eq!(leads, serde_json::json!(["spring-sale"]));
    let pixel_leads = js(
        &tab,
        "fbq.queue.filter(a => a[0] === 'track' && a[1] === 'Lead').map(a => a[2].content_name)",
    );
    assert_eq!(pixel_leads, serde_json::json!(["spring-sale"]));
    // The thank-you page loaded the tags as well: the choice is remembered.
    assert!(!js_bool(&tab, &visible_expr(BANNER)));
    assert!(
        seen.lock().unwrap().iter().filter(|u| *u == GA4).count() >= 2,
        "{:?}",
        seen.lock().unwrap()
    );
}
