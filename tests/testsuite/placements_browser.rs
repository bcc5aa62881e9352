//! Placements in a real browser: the announcement bar (shown without JS,
//! dismissed and remembered with it, no layout shift, mirrored in RTL),
//! click-to-open popups (two-step opt-in), the popup cap with priorities,
//! and a phone trigger under touch emulation. The forms fixture is built
//! with a few offers and pages added, served on 127.0.0.1 by the sink, and
//! driven with headless Chromium; popups.js loads only where it is needed.
//!
//! Without Chromium these tests print a loud SKIPPED message and pass,
//! unless the CI variable is set (then they fail).

use std::time::Duration;

use crate::common::browser::{
    click, current_path, fill, goto, js, js_await, js_bool, js_lit, visible_expr, wait_js, Chrome,
    Js, Sink, WAIT,
};
use crate::common::TestSite;
use headless_chrome::protocol::cdp::Emulation;
use headless_chrome::Tab;

const BAR: &str = r#"[data-lander-bar="ship-bar"]"#;
const BAR_CLOSE: &str = r#"[data-lander-bar="ship-bar"] [data-lander-dismiss]"#;
const TWO_STEP: &str = "/two-step/";
const OPENER: &str = r#"main [data-lander-open="newsletter"]"#;
const DIALOG: &str = r#"[data-lander-popup="newsletter"]"#;

/// A free-shipping bar with a countdown on the journal, a bottom bar and a
/// click-to-open newsletter on /two-step/, two capped popups of different
/// priority on /capped/*, and a phone popup on a long page.
pub(crate) fn fixture() -> TestSite {
    let long: String = (1..=60)
        .map(|n| format!("Paragraph {n} of a long read about the grove, the mill and the oil.\n\n"))
        .collect();
    let capped = |priority: u32| {
        format!(
            "headline: \"Capped offer {priority}\"\nstage: purchase\nkind: discount\nincentive: {{ type: percent, value: {priority}0 }}\ncta: {{ text: \"Claim\" }}\npopup: {{ trigger: delay, delay: 0, pages: [\"/capped/**\"], frequency_days: 7, priority: {priority} }}\nthank_you: {{ title: \"Thanks\", next: {{ text: \"Journal\", url: \"/blog/\" }} }}\n"
        )
    };
    TestSite::copy_of("tests/fixtures/forms-site")
        .file(
            "offers/ship-bar.yaml",
            "headline: \"Free shipping on orders over $50\"\nstage: purchase\nkind: discount\nincentive: { type: free_shipping }\ncta: { text: \"Shop now\", url: \"/blog/\" }\nschedule: { ends: 2099-12-31T23:59:00Z, countdown: true }\nbar: { position: top, pages: [\"/blog/**\"], frequency_days: 7 }\nthank_you: { title: \"Thanks\", next: { text: \"Journal\", url: \"/blog/\" } }\n",
        )
        .file(
            "offers/bottom-bar.yaml",
            "headline: \"Free samples with every order this week\"\nstage: purchase\nkind: sample\ncta: { text: \"See the journal\", url: \"/blog/\" }\nbar: { position: bottom, pages: [\"/two-step/\"], frequency_days: 0 }\nthank_you: { title: \"Thanks\", next: { text: \"Journal\", url: \"/blog/\" } }\n",
        )
        .file("offers/cap-high.yaml", &capped(2))
        .file("offers/cap-low.yaml", &capped(1))
        .file(
            "offers/phone-popup.yaml",
            "headline: \"Before you go: the grove letter\"\nstage: awareness\nkind: newsletter\ncta: { text: \"Subscribe\" }\npopup: { trigger: exit-intent, pages: [\"/long/\"], frequency_days: 7 }\nthank_you: { title: \"Thanks\", next: { text: \"Journal\", url: \"/blog/\" } }\n",
        )
        .file(
            "offers/idle-popup.yaml",
            "headline: \"Still there? The grove letter\"\nstage: awareness\nkind: newsletter\ncta: { text: \"Subscribe\" }\npopup: { trigger: scroll, scroll: 90, mobile: idle, idle: 1, pages: [\"/idle/\"], frequency_days: 7 }\nthank_you: { title: \"Thanks\", next: { text: \"Journal\", url: \"/blog/\" } }\n",
        )
        .file(
            "content/idle.md",
            "---\ntitle: \"A short page\"\n---\nShort.\n",
        )
        .file(
            "content/two-step.md",
            "---\ntitle: \"The grove letter\"\ndescription: \"One short email a month from the grove.\"\n---\nOne short email a month, with harvest news and recipes.\n\n{{ cta(offer=\"newsletter\", open=\"popup\") }}\n",
        )
        .file(
            "content/capped/a.md",
            "---\ntitle: \"Capped A\"\n---\nA page with two popups.\n",
        )
        .file(
            "content/capped/b.md",
            "---\ntitle: \"Capped B\"\n---\nAnother page with two popups.\n",
        )
        .file(
            "content/long.md",
            &format!("---\ntitle: \"A long read\"\n---\n{long}"),
        )
}

struct Env {
    chrome: Chrome,
    sink: Sink,
    _site: TestSite,
}

fn setup(js: Js) -> Option<Env> {
    let chrome = Chrome::launch(js)?;
    let site = fixture();
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

/// Layout shifts of the page so far and for `settle_ms` more: the CLS sum
/// (shifts without recent input, as Lighthouse counts them) and how many
/// `layout-shift` entries there were in all.
fn layout_shift(tab: &Tab, settle_ms: u32) -> (f64, u64) {
    let v = js_await(
        tab,
        &format!(
            "new Promise(r => {{ let cls = 0, n = 0, what = []; const po = new PerformanceObserver(l => l.getEntries().forEach(e => {{ n++; if (!e.hadRecentInput) {{ cls += e.value; what.push(e.sources.map(s => s.node && (s.node.className || s.node.nodeName)).join()); }} }})); po.observe({{ type: 'layout-shift', buffered: true }}); setTimeout(() => {{ po.disconnect(); r([cls, n, what]); }}, {settle_ms}); }})"
        ),
    );
    if v[2].as_array().is_some_and(|a| !a.is_empty()) {
        eprintln!("shifted: {}", v[2]);
    }
    (
        v[0].as_f64().unwrap_or(f64::NAN),
        v[1].as_u64().unwrap_or(u64::MAX),
    )
}

fn top_of(tab: &Tab, css: &str) -> f64 {
    js(tab, &format!("{}.getBoundingClientRect().top", q(css)))
        .as_f64()
        .unwrap_or_else(|| panic!("no box for {css}"))
}

#[test]
fn bar_is_dismissed_remembered_after_reload_and_shifts_nothing() {
    let Some(env) = setup(Js::On) else { return };
    let tab = env.chrome.tab();
    let post = env.sink.url("/blog/first-harvest/");
    goto(&tab, &post);
    assert!(
        wait_js(&tab, &visible_expr(BAR), WAIT),
        "no bar on the post"
    );
    // At the very top, above the header, and counting down.
    assert!(top_of(&tab, BAR).abs() < 0.5, "bar not at the top");
    assert!(top_of(&tab, BAR) < top_of(&tab, ".site-header"));
    assert!(
        wait_js(
            &tab,
            &format!(
                "/\\d/.test({}.textContent)",
                q(&format!("{BAR} [data-lander-countdown]"))
            ),
            WAIT
        ),
        "the bar's countdown does not tick"
    );
    assert!(
        js_bool(
            &tab,
            "[...document.scripts].some(s => /\\/assets\\/popups\\.[0-9a-f]+\\.js$/.test(s.src) && s.defer)"
        ),
        "popups.js is not loaded (deferred) on a page with a bar"
    );
    // Loaded, variant and countdown applied, a few ticks later: nothing moved.
    let (cls, entries) = layout_shift(&tab, 2500);
    eprintln!("bar, first view: CLS {cls}, {entries} layout-shift entries");
    assert_eq!(cls, 0.0, "layout shift with the bar on first view");
    let header_before = top_of(&tab, ".site-header");
    assert!(
        header_before >= 40.0,
        "the bar takes no space: {header_before}"
    );

    // Dismiss: gone, and remembered.
    click(&tab, BAR_CLOSE);
    assert!(
        wait_js(&tab, &format!("!({})", visible_expr(BAR)), WAIT),
        "the close button did not hide the bar"
    );
    assert!(
        js_bool(&tab, "localStorage.getItem('lander:bar:ship-bar') !== null"),
        "dismissal not stored"
    );
    // The shift that follows the click is the visitor's own (hadRecentInput).
    let (cls, entries) = layout_shift(&tab, 300);
    eprintln!("bar, after dismissing: CLS {cls}, {entries} entries in all");
    assert_eq!(cls, 0.0);

    // Reload, and another page of the journal: the bar stays away, and
    // removing it moved nothing the visitor had seen.
    for page in [post.clone(), env.sink.url("/blog/")] {
        goto(&tab, &page);
        tab.wait_for_element(BAR).expect("bar element after reload");
        assert!(
            !js_bool(&tab, &visible_expr(BAR)),
            "dismissed bar shown again on {page}"
        );
        let (cls, entries) = layout_shift(&tab, 1000);
        eprintln!("bar dismissed, {page}: CLS {cls}, {entries} entries");
        assert_eq!(cls, 0.0, "layout shift on {page} with a dismissed bar");
        assert!(top_of(&tab, ".site-header").abs() < 0.5);
    }

    // A fresh visitor (the storage cleared) sees it again.
    js(&tab, "localStorage.clear()");
    goto(&tab, &post);
    assert!(wait_js(&tab, &visible_expr(BAR), WAIT));

    // The bottom bar floats: the page under it does not move, and the body
    // keeps room at its end so the bar never hides the footer for good.
    goto(&tab, &env.sink.url(TWO_STEP));
    let bottom = r#"[data-lander-bar="bottom-bar"]"#;
    assert!(wait_js(&tab, &visible_expr(bottom), WAIT));
    let gap = js(
        &tab,
        &format!("innerHeight - {}.getBoundingClientRect().bottom", q(bottom)),
    );
    assert!(
        gap.as_f64().is_some_and(|g| g.abs() < 0.5),
        "bottom bar not at the bottom: {gap}"
    );
    assert!(js_bool(
        &tab,
        &format!("getComputedStyle({}).position === 'fixed'", q(bottom))
    ));
    let (cls, _) = layout_shift(&tab, 500);
    assert_eq!(cls, 0.0);
    assert_eq!(
        js(
            &tab,
            "document.querySelectorAll('[data-lander-bar]').length"
        ),
        1,
        "only the bottom bar on /two-step/"
    );
}

#[test]
fn without_javascript_the_bar_shows_and_its_close_button_is_out_of_reach() {
    let Some(env) = setup(Js::Off) else { return };
    let tab = env.chrome.tab();
    goto(&tab, &env.sink.url("/blog/first-harvest/"));
    let bar = tab.wait_for_element(BAR).expect("bar element");
    bar.get_midpoint().expect("the bar is laid out and visible");
    let close = tab.wait_for_element(BAR_CLOSE).expect("close button");
    let style = close
        .call_js_fn(
            "function() { return getComputedStyle(this).visibility; }",
            vec![],
            false,
        )
        .expect("computed style");
    assert_eq!(
        style.value,
        Some(serde_json::json!("hidden")),
        "a close button that cannot work without JS must not be offered"
    );
    // The bar's link is a plain link.
    click(&tab, &format!("{BAR} a[data-lander-cta]"));
    assert!(
        crate::common::browser::wait_until(WAIT, || current_path(&tab) == "/blog/"),
        "bar link did not navigate: {}",
        current_path(&tab)
    );
}

#[test]
fn click_to_open_shows_the_form_in_a_dialog_and_submits_to_the_sink() {
    let Some(env) = setup(Js::On) else { return };
    let tab = env.chrome.tab();
    goto(&tab, &env.sink.url(TWO_STEP));
    tab.wait_for_element(OPENER).expect("the two-step CTA");
    assert!(
        !js_bool(&tab, &visible_expr(DIALOG)),
        "dialog open before the click"
    );
    // Waiting does not open it: it has no trigger of its own.
    std::thread::sleep(Duration::from_millis(500));
    assert!(!js_bool(&tab, &visible_expr(DIALOG)));

    click(&tab, OPENER);
    assert!(
        wait_js(&tab, &visible_expr(DIALOG), WAIT),
        "the CTA did not open the dialog"
    );
    assert_eq!(current_path(&tab), TWO_STEP, "the CTA navigated away");
    assert!(
        js_bool(
            &tab,
            &format!("{}.contains(document.activeElement)", q(DIALOG))
        ),
        "focus not in the dialog"
    );
    let form = format!("{DIALOG} form[data-lander-form]");
    fill(
        &tab,
        &format!("{form} input[name=email]"),
        "two.step@example.com",
    );
    click(&tab, &format!("{form} input[name=consent]"));
    click(&tab, &format!("{form} button:not([type=button])"));
    let subs = env.sink.wait_for(1, WAIT);
    assert_eq!(
        subs.len(),
        1,
        "no submission from the dialog: {:?}",
        env.sink.log()
    );
    assert_eq!(subs[0].field("email"), "two.step@example.com");
    assert_eq!(subs[0].field("offer"), "newsletter");
    assert_eq!(subs[0].field("page"), TWO_STEP);
    assert!(
        subs[0].accept.contains("application/json"),
        "not sent by the script"
    );
    // The newsletter is `on_success: inline`: its thank-you text and next
    // step show inside the dialog, and the page stays.
    assert!(
        wait_js(
            &tab,
            &visible_expr(&format!("{form} .lander-thanks a.button")),
            WAIT
        ),
        "no thank-you text in the dialog"
    );
    assert_eq!(current_path(&tab), TWO_STEP);

    // Escape closes it and the focus goes back to the CTA; it opens again.
    tab.press_key("Escape").expect("Escape");
    assert!(wait_js(&tab, &format!("!({})", visible_expr(DIALOG)), WAIT));
    assert!(js_bool(
        &tab,
        &format!("document.activeElement === {}", q(OPENER))
    ));
    click(&tab, OPENER);
    assert!(
        wait_js(&tab, &visible_expr(DIALOG), WAIT),
        "the CTA does not reopen it"
    );
}

#[test]
fn without_javascript_the_two_step_cta_is_a_link_to_the_offer_page() {
    let Some(env) = setup(Js::Off) else { return };
    let tab = env.chrome.tab();
    goto(&tab, &env.sink.url(TWO_STEP));
    click(&tab, OPENER);
    assert!(
        crate::common::browser::wait_until(WAIT, || current_path(&tab) == "/offers/newsletter/"),
        "the CTA did not lead to the offer page: {}",
        current_path(&tab)
    );
    tab.wait_for_element("form[data-lander-form][data-offer=\"newsletter\"]")
        .expect("the offer page has the form");
}

#[test]
fn one_popup_per_page_view_by_priority_and_one_per_session() {
    let Some(env) = setup(Js::On) else { return };
    let high = r#"[data-lander-popup="cap-high"]"#;
    let low = r#"[data-lander-popup="cap-low"]"#;
    let tab = env.chrome.tab();
    goto(&tab, &env.sink.url("/capped/a/"));
    assert!(
        wait_js(&tab, &visible_expr(high), WAIT),
        "the priority 2 popup did not show"
    );
    tab.press_key("Escape").expect("Escape");
    assert!(wait_js(&tab, &format!("!({})", visible_expr(high)), WAIT));
    std::thread::sleep(Duration::from_millis(700));
    assert!(
        !js_bool(&tab, &visible_expr(low)),
        "a second popup in the same page view"
    );

    // Next page, same visit: the cap (one per session) holds.
    goto(&tab, &env.sink.url("/capped/b/"));
    tab.wait_for_element(low).expect("popup element");
    std::thread::sleep(Duration::from_millis(700));
    assert!(
        !js_bool(
            &tab,
            &format!("{} || {}", visible_expr(low), visible_expr(high))
        ),
        "a popup past the per-session cap"
    );
    assert_eq!(js(&tab, "sessionStorage.getItem('lander:popups')"), "1");

    // A new visit (a new tab, a new session): the high one was seen this
    // week (frequency_days), so the next in priority shows.
    let tab = env.chrome.tab();
    goto(&tab, &env.sink.url("/capped/b/"));
    assert!(
        wait_js(&tab, &visible_expr(low), WAIT),
        "the priority 1 popup did not show in a new session"
    );
    assert!(!js_bool(&tab, &visible_expr(high)));
}

/// A phone: a 390×844 mobile viewport with touch (coarse pointer).
fn emulate_phone(tab: &Tab) {
    let metrics: Emulation::SetDeviceMetricsOverride = serde_json::from_value(serde_json::json!({
        "width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": true
    }))
    .expect("device metrics");
    tab.call_method(metrics)
        .expect("Emulation.setDeviceMetricsOverride");
    tab.call_method(Emulation::SetTouchEmulationEnabled {
        enabled: true,
        max_touch_points: Some(5),
    })
    .expect("Emulation.setTouchEmulationEnabled");
}

/// Scrolls to the end, waits, then flicks back up by a window in a few frames.
fn read_then_flick_up(tab: &Tab) {
    js(tab, "scrollTo(0, document.documentElement.scrollHeight)");
    std::thread::sleep(Duration::from_millis(800));
    js_await(
        tab,
        "(async () => { const h = innerHeight; for (let i = 1; i <= 5; i++) { scrollBy(0, -h / 5); await new Promise(r => requestAnimationFrame(r)); } })()",
    );
}

#[test]
fn exit_intent_becomes_a_fast_scroll_up_on_a_phone() {
    let Some(env) = setup(Js::On) else { return };
    let popup = r#"[data-lander-popup="phone-popup"]"#;
    let url = env.sink.url("/long/");

    // Desktop: scrolling back up is not exit intent.
    let desk = env.chrome.tab();
    goto(&desk, &url);
    desk.wait_for_element(popup).expect("popup element");
    assert!(!js_bool(&desk, "matchMedia('(pointer: coarse)').matches"));
    read_then_flick_up(&desk);
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        !js_bool(&desk, &visible_expr(popup)),
        "desktop popup opened on a scroll up"
    );

    // A phone: a slow scroll down does nothing, the flick back up opens it.
    let phone = env.chrome.tab();
    emulate_phone(&phone);
    goto(&phone, &url);
    phone.wait_for_element(popup).expect("popup element");
    assert!(
        js_bool(
            &phone,
            "matchMedia('(pointer: coarse)').matches && innerWidth === 390"
        ),
        "touch emulation is not on"
    );
    assert_eq!(
        js(&phone, &format!("{}.dataset.mobileTrigger", q(popup))),
        "scroll-up"
    );
    js_await(
        &phone,
        "(async () => { for (let i = 0; i < 20; i++) { scrollBy(0, 150); await new Promise(r => setTimeout(r, 40)); } })()",
    );
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !js_bool(&phone, &visible_expr(popup)),
        "opened while reading down"
    );
    read_then_flick_up(&phone);
    assert!(
        wait_js(&phone, &visible_expr(popup), WAIT),
        "the fast scroll up did not open the popup on the phone"
    );
}

#[test]
fn an_offer_picks_its_trigger_per_device_class_idle_on_phones() {
    let Some(env) = setup(Js::On) else { return };
    let popup = r#"[data-lander-popup="idle-popup"]"#;
    let url = env.sink.url("/idle/");
    // Desktop: the scroll trigger; sitting still does nothing.
    let desk = env.chrome.tab();
    goto(&desk, &url);
    desk.wait_for_element(popup).expect("popup element");
    std::thread::sleep(Duration::from_millis(2000));
    assert!(
        !js_bool(&desk, &visible_expr(popup)),
        "idle opened it on a desktop"
    );
    // A phone: one second without a touch opens it.
    let phone = env.chrome.tab();
    emulate_phone(&phone);
    goto(&phone, &url);
    assert!(
        wait_js(&phone, &visible_expr(popup), WAIT),
        "idle did not open the popup on the phone"
    );
}

/// The Arabic journal of site-example: the free-shipping bar is mirrored
/// (close button at the left, text from the right).
#[test]
fn the_bar_is_mirrored_right_to_left() {
    let Some(chrome) = Chrome::launch(Js::On) else {
        return;
    };
    let site = TestSite::copy_of("site-example");
    let sink = Sink::start(&site.out());
    site.build(&["--base-url", &sink.base_url()]).assert_ok();
    let bar = r#"[data-lander-bar="free-shipping"]"#;
    let tab = chrome.tab();
    let x = |tab: &Tab, css: &str| {
        js(tab, &format!("{}.getBoundingClientRect().left", q(css)))
            .as_f64()
            .unwrap_or_else(|| panic!("no {css}"))
    };
    let close = format!("{bar} [data-lander-dismiss]");
    let text = format!("{bar} .lander-offer-headline");
    goto(&tab, &sink.url("/blog/"));
    assert!(wait_js(&tab, &visible_expr(bar), WAIT));
    assert!(
        x(&tab, &close) > x(&tab, &text),
        "English: close button not at the right"
    );
    goto(&tab, &sink.url("/ar/blog/"));
    assert!(
        wait_js(&tab, &visible_expr(bar), WAIT),
        "no bar on /ar/blog/"
    );
    assert_eq!(
        js(&tab, &format!("getComputedStyle({}).direction", q(bar))),
        "rtl"
    );
    assert!(
        x(&tab, &close) < x(&tab, &text),
        "Arabic: close button not at the left"
    );
}
