//! End-to-end browser tests of offers, forms and the enhancement script
//! (lander.js): the fixture site `tests/fixtures/forms-site` is built into a
//! temp dir, served on 127.0.0.1 by a sink that records form submissions, and
//! driven with headless Chromium (with and without JavaScript).
//!
//! Without Chromium these tests print a loud SKIPPED message and pass,
//! unless the CI variable is set (then they fail).

use std::collections::BTreeSet;
use std::time::Duration;

use crate::common::browser::{
    click, current_path, double_click, fill, goto, js, js_await, js_bool, js_lit, js_str,
    visible_expr, wait_js, wait_until, Chrome, Js, Sink, Submission, WAIT,
};
use crate::common::{Run, TestSite};
use headless_chrome::Tab;
use serde_json::json;

/// The blog post that embeds `{{ form(offer="newsletter") }}`.
const POST: &str = "/blog/first-harvest/";
const NEWSLETTER: &str = r#"form[data-lander-form][data-offer="newsletter"]"#;
const QUIZ: &str = r#"form[data-lander-form][data-offer="quiz"]"#;
const POPUP_SALE: &str = r#"form[data-lander-form][data-offer="popup-sale"]"#;
const JSON_OFFER: &str = r#"form[data-lander-form][data-offer="json-offer"]"#;
const UTM: [&str; 5] = [
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
];

/// A built copy of the fixture, the sink serving it and a browser.
/// Fields drop in order: browser first, then the server, then the files.
struct Env {
    chrome: Chrome,
    sink: Sink,
    site: TestSite,
}

/// Copies the fixture into a temp dir, starts the sink on its output folder
/// and builds with `--base-url http://127.0.0.1:PORT` (so the absolute
/// thank-you URLs in `_redirect` point back at the sink).
fn build_fixture() -> (TestSite, Sink, Run) {
    let site = TestSite::copy_of("tests/fixtures/forms-site");
    let sink = Sink::start(&site.out());
    let run = site.build(&["--base-url", &sink.base_url()]);
    run.assert_ok();
    (site, sink, run)
}

/// A fresh browser (fresh profile) and a fresh build; None when Chromium
/// is missing (outside CI).
fn setup(js: Js) -> Option<Env> {
    let chrome = Chrome::launch(js)?;
    let (site, sink, _build) = build_fixture();
    Some(Env { chrome, sink, site })
}

impl Env {
    /// Where the tab is and what the server saw, for failure messages.
    fn diag(&self, tab: &Tab) -> String {
        let log = self.sink.log();
        let tail = &log[log.len().saturating_sub(30)..];
        format!(
            "\n  tab at: {}\n  requests (last {}):\n    {}",
            tab.get_url(),
            tail.len(),
            tail.join("\n    ")
        )
    }
}

/// The form's submit button. The contract writes `<button type="submit">`,
/// but a minifier may drop the default `type`, so match any button that is
/// not a plain or reset button.
fn submit_button(form: &str) -> String {
    format!("{form} button:not([type=button]):not([type=reset])")
}

/// `document.querySelector(css)` as a JS expression.
fn q(css: &str) -> String {
    format!("document.querySelector({})", js_lit(css))
}

/// The dataLayer events called `event` (empty when there is no dataLayer).
fn data_layer_events(tab: &Tab, event: &str) -> Vec<serde_json::Value> {
    let v = js(
        tab,
        &format!(
            "(window.dataLayer || []).filter(e => e && e.event === {})",
            js_lit(event)
        ),
    );
    v.as_array().cloned().unwrap_or_default()
}

#[track_caller]
fn assert_utm_empty(s: &Submission) {
    for name in UTM {
        assert_eq!(
            s.get(name),
            Some(""),
            "{name} should be present and empty: {s:#?}"
        );
    }
}

/// Every built HTML file, relative to the output folder, with its text.
fn built_pages(site: &TestSite) -> Vec<(String, String)> {
    let out = site.out();
    let mut pages: Vec<(String, String)> = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension() == Some("html".as_ref()))
        .map(|e| {
            let rel = e.path().strip_prefix(&out).unwrap();
            (
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect();
    pages.sort();
    pages
}

// ---------------------------------------------------------------------------

/// The harness itself: the sink serves the build with the right content
/// types, Chromium loads it, and POSTs are recorded and answered (JSON,
/// url-encoded, `_redirect` -> 303 only for non-JSON requests).
#[test]
fn harness_serves_the_build_and_records_submissions() {
    let Some(env) = setup(Js::On) else { return };
    let tab = env.chrome.tab();
    goto(&tab, &env.sink.url("/"));
    assert_eq!(current_path(&tab), "/");
    assert!(
        js_bool(&tab, "document.title.includes('Grove Forms Test')"),
        "home page not loaded: {}",
        env.diag(&tab)
    );

    // Content types of what the page links to.
    let types = js_await(
        &tab,
        "Promise.all([location.pathname, ...[...document.querySelectorAll('link[rel=stylesheet], script[src]')]
           .map(e => e.href || e.src)].map(u => fetch(u).then(r => [new URL(u, location.href).pathname, r.status, r.headers.get('content-type')])))",
    );
    let types = types.as_array().unwrap();
    assert!(types.len() >= 2, "expected a stylesheet: {types:?}");
    for t in types {
        let path = t[0].as_str().unwrap();
        let ct = t[2].as_str().unwrap_or("");
        assert_eq!(t[1], 200, "{t:?}");
        let want = if path.ends_with(".css") {
            "text/css"
        } else if path.ends_with(".js") {
            "text/javascript"
        } else {
            "text/html"
        };
        assert!(ct.starts_with(want), "{path}: {ct}");
    }
    let missing = js_await(&tab, "fetch('/no/such/page/').then(r => r.status)");
    assert_eq!(missing, 404);

    // double_click really delivers two clicks to an element that lets them.
    js(
        &tab,
        "(() => { const b = document.createElement('button'); b.id = 'probe'; b.textContent = 'probe'; \
         b.style.cssText = 'position:fixed;top:10px;left:10px;width:80px;height:30px;z-index:99999'; \
         window.__clicks = 0; b.addEventListener('click', () => window.__clicks++); \
         document.body.append(b); })()",
    );
    double_click(&tab, "#probe");
    assert!(
        wait_js(&tab, "window.__clicks === 2", WAIT),
        "{}",
        js(&tab, "window.__clicks")
    );

    // JSON post.
    let r = js_await(
        &tab,
        r#"fetch('/submit-json', {method: 'POST', headers: {'Content-Type': 'application/json', 'Accept': 'application/json'},
             body: JSON.stringify({email: 'a@b.c', n: 3, tags: ['x', 'y']})}).then(r => r.json())"#,
    );
    assert_eq!(r, json!({"ok": true}));
    // Url-encoded post with _redirect but Accept JSON: 200, no redirect.
    let r = js_await(
        &tab,
        r#"fetch('/submit', {method: 'POST', headers: {'Accept': 'application/json'},
             body: new URLSearchParams({email: 'a+b@c.d', note: 'x y&z', _redirect: location.origin + '/'})}).then(r => r.status)"#,
    );
    assert_eq!(r, 200);
    // ... and without Accept JSON: 303 (seen as an opaque redirect).
    let r = js_await(
        &tab,
        r#"fetch('/submit', {method: 'POST', redirect: 'manual',
             body: new URLSearchParams({email: 'a@b.c', _redirect: location.origin + '/offers/newsletter/thanks/'})}).then(r => r.type)"#,
    );
    assert_eq!(r, "opaqueredirect");

    let subs = env.sink.expect(3, Duration::from_millis(200));
    assert_eq!(subs[0].path, "/submit-json");
    assert!(subs[0].content_type.starts_with("application/json"));
    assert_eq!(subs[0].field("email"), "a@b.c");
    assert_eq!(subs[0].field("n"), "3");
    assert_eq!(subs[0].count("tags"), 2);
    assert_eq!(subs[1].path, "/submit");
    assert!(subs[1]
        .content_type
        .starts_with("application/x-www-form-urlencoded"));
    assert_eq!(subs[1].field("email"), "a+b@c.d");
    assert_eq!(subs[1].field("note"), "x y&z");
    assert!(subs[1].accept.contains("application/json"));
    assert!(env
        .sink
        .log()
        .iter()
        .any(|l| l.starts_with("POST /submit -> 303 http://127.0.0.1:")));
}

/// (1) JavaScript off: the plain HTML form posts every contract field to the
/// generic endpoint, and the `_redirect` answer lands on the thank-you page.
#[test]
fn without_javascript_the_newsletter_form_posts_all_fields_and_lands_on_thanks() {
    let Some(env) = setup(Js::Off) else { return };
    let tab = env.chrome.tab();
    goto(&tab, &env.sink.url(POST));
    tab.wait_for_element(NEWSLETTER)
        .unwrap_or_else(|e| panic!("no newsletter form on {POST}: {e:#}{}", env.diag(&tab)));

    fill(
        &tab,
        &format!("{NEWSLETTER} input[name=email]"),
        "ada@example.com",
    );
    fill(&tab, &format!("{NEWSLETTER} input[name=first_name]"), "Ada");
    click(&tab, &format!("{NEWSLETTER} input[name=consent]"));
    click(&tab, &submit_button(NEWSLETTER));

    let subs = env.sink.expect(1, Duration::from_millis(300));
    let s = &subs[0];
    assert_eq!(s.method, "POST");
    assert_eq!(s.path, "/submit", "{s:#?}");
    assert!(
        s.content_type
            .starts_with("application/x-www-form-urlencoded"),
        "{s:#?}"
    );
    assert!(
        !s.accept.contains("application/json"),
        "expected a native (no-JS) form post, got Accept {:?}",
        s.accept
    );

    let expected: BTreeSet<String> = [
        "email",
        "first_name",
        "consent",
        "offer",
        "variant",
        "stage",
        "page",
        "lang",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "utm_term",
        "utm_content",
        "referrer",
        "_honey",
        "_redirect",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(s.names(), expected, "field names differ: {s:#?}");
    for name in &expected {
        assert_eq!(s.count(name), 1, "{name} sent more than once: {s:#?}");
    }
    assert_eq!(s.field("email"), "ada@example.com");
    assert_eq!(s.field("first_name"), "Ada");
    assert!(!s.field("consent").is_empty(), "consent must be checked");
    assert_eq!(s.field("offer"), "newsletter");
    assert_eq!(s.field("stage"), "awareness");
    assert_eq!(s.field("page"), POST);
    assert_eq!(s.field("lang"), "en");
    assert_eq!(s.field("variant"), "", "newsletter has no variants");
    assert_utm_empty(s);
    assert_eq!(s.field("referrer"), "");
    assert_eq!(s.field("_honey"), "");
    assert_eq!(
        s.field("_redirect"),
        env.sink.url("/offers/newsletter/thanks/")
    );

    assert!(
        wait_until(WAIT, || current_path(&tab) == "/offers/newsletter/thanks/"),
        "did not land on the thank-you page{}",
        env.diag(&tab)
    );
    let _ = tab.wait_until_navigated();
    let html = tab.get_content().expect("page content");
    assert!(
        html.contains("on the list"),
        "thank-you title missing from:\n{html}"
    );
}

/// (2) JavaScript on: UTM parameters captured on the landing page travel to
/// a form on another page; the newsletter (`on_success: inline`) shows its
/// thank-you text and next step in place (no navigation), counts the lead
/// once, and a double click sends exactly one request.
#[test]
fn with_javascript_landing_utm_is_sent_from_a_later_page_inline_and_only_once() {
    let Some(env) = setup(Js::On) else { return };
    // Keep the request in flight long enough for the second click to land.
    env.sink.set_response_delay(Duration::from_millis(800));
    let tab = env.chrome.tab();
    goto(
        &tab,
        &env.sink.url(&format!(
            "{POST}?utm_source=news&utm_medium=email&utm_campaign=spring"
        )),
    );
    assert!(
        wait_js(&tab, "sessionStorage.getItem('lander:utm') !== null", WAIT),
        "lander.js did not store sessionStorage lander:utm{}",
        env.diag(&tab)
    );
    let stored: serde_json::Value =
        serde_json::from_str(&js_str(&tab, "sessionStorage.getItem('lander:utm')"))
            .expect("lander:utm is JSON");
    assert_eq!(
        stored,
        json!({"utm_source": "news", "utm_medium": "email", "utm_campaign": "spring", "utm_term": "", "utm_content": ""})
    );

    let page = "/offers/newsletter/";
    goto(&tab, &env.sink.url(page));
    tab.wait_for_element(NEWSLETTER)
        .unwrap_or_else(|e| panic!("no newsletter form on {page}: {e:#}{}", env.diag(&tab)));
    let utm_input = q(&format!("{NEWSLETTER} input[name=utm_source]"));
    assert!(
        wait_js(
            &tab,
            &format!("{utm_input} && {utm_input}.value === 'news'"),
            WAIT
        ),
        "hidden utm_source not filled from storage (value {:?})",
        js_str(&tab, &format!("{utm_input} && {utm_input}.value"))
    );

    fill(
        &tab,
        &format!("{NEWSLETTER} input[name=email]"),
        "grace@example.com",
    );
    fill(
        &tab,
        &format!("{NEWSLETTER} input[name=first_name]"),
        "Grace",
    );
    click(&tab, &format!("{NEWSLETTER} input[name=consent]"));
    js(&tab, "window.__landerMarker = 42");
    // A stand-in for the Meta pixel: its calls are recorded.
    js(
        &tab,
        "window.fbq = (...a) => (window.__fbq = window.__fbq || []).push(a), 0",
    );
    double_click(&tab, &submit_button(NEWSLETTER));

    // Settle longer than the response delay: a second request would show up.
    let subs = env.sink.expect(1, Duration::from_millis(1500));
    let s = &subs[0];
    assert_eq!(s.path, "/submit");
    assert!(
        s.content_type
            .starts_with("application/x-www-form-urlencoded"),
        "{s:#?}"
    );
    assert!(
        s.accept.contains("application/json"),
        "script should send Accept: application/json: {s:#?}"
    );
    assert_eq!(s.field("email"), "grace@example.com");
    assert_eq!(s.field("first_name"), "Grace");
    assert_eq!(s.field("offer"), "newsletter");
    assert_eq!(s.field("page"), page);
    assert_eq!(s.field("lang"), "en");
    assert_eq!(s.field("utm_source"), "news");
    assert_eq!(s.field("utm_medium"), "email");
    assert_eq!(s.field("utm_campaign"), "spring");
    assert_eq!(s.field("utm_term"), "");
    assert_eq!(s.field("utm_content"), "");
    assert_eq!(s.field("_honey"), "");

    let thanks = format!("{NEWSLETTER} .lander-thanks");
    assert!(
        wait_js(&tab, &visible_expr(&thanks), WAIT),
        "the inline thank-you text did not show{}",
        env.diag(&tab)
    );
    assert_eq!(
        js_str(
            &tab,
            &format!("{}.textContent.trim()", q(&format!("{thanks} h2")))
        ),
        "You're on the list"
    );
    // The next step is never lost: the thank-you page's link, in place.
    assert_eq!(
        js(
            &tab,
            &format!(
                "(a => [a.textContent.trim(), a.getAttribute('href')])({})",
                q(&format!("{thanks} a.button"))
            )
        ),
        json!(["Read the journal", "/blog/"])
    );
    assert!(
        js_bool(&tab, &format!("document.activeElement === {}", q(&thanks))),
        "focus did not move to the thank-you text"
    );
    assert!(
        !js_bool(
            &tab,
            &visible_expr(&format!("{NEWSLETTER} input[name=email]"))
        ),
        "the fields still show"
    );
    assert_eq!(current_path(&tab), page, "the page navigated");
    assert!(
        js_bool(&tab, "window.__landerMarker === 42"),
        "the page was reloaded/navigated"
    );
    assert!(
        !env.sink.log().iter().any(|l| l.contains("/thanks/")),
        "thank-you page was requested: {:?}",
        env.sink.log()
    );

    // Analytics is on in site.yaml: exactly one form_submit event, and the
    // lead counted here (not on a thank-you page) exactly once.
    let events = data_layer_events(&tab, "form_submit");
    assert_eq!(events.len(), 1, "form_submit events: {events:?}");
    assert_eq!(events[0]["offer"], "newsletter", "{events:?}");
    let leads = data_layer_events(&tab, "generate_lead");
    assert_eq!(leads.len(), 1, "generate_lead events: {leads:?}");
    assert_eq!(leads[0]["offer"], "newsletter");
    assert_eq!(leads[0]["stage"], "awareness");
    assert_eq!(leads[0]["variant"], "");
    assert!(leads[0].get("value").is_none(), "no value: {leads:?}");
    assert_eq!(
        js(&tab, "window.__fbq"),
        json!([["track", "Lead", {"content_name": "newsletter"}]])
    );
}

/// (3) A quiz walked step by step: a partial lead after step 1, Next
/// validates, the optional step can be skipped, and the final submission
/// carries every answer.
#[test]
fn quiz_sends_a_partial_lead_after_step_one_and_all_answers_at_the_end() {
    let Some(env) = setup(Js::On) else { return };
    let tab = env.chrome.tab();
    goto(&tab, &env.sink.url("/offers/quiz/"));
    tab.wait_for_element(&format!("{QUIZ}[data-lander-quiz]"))
        .unwrap_or_else(|e| panic!("no quiz form: {e:#}{}", env.diag(&tab)));
    let step = |n: u32| format!(r#"{QUIZ} fieldset.lander-step[data-step="{n}"]"#);

    assert!(
        wait_js(&tab, &visible_expr(&step(1)), WAIT),
        "step 1 not shown{}",
        env.diag(&tab)
    );
    for n in 2..=4 {
        assert!(
            !js_bool(&tab, &visible_expr(&step(n))),
            "step {n} visible while on step 1: only one step at a time"
        );
    }
    // The final submit button belongs to the last step only (a minifier
    // once dropped its type="submit" and the script could not find it).
    let submit = format!("{QUIZ} > button[type=submit]");
    assert!(
        js_bool(
            &tab,
            &format!("document.querySelector({submit:?}) !== null")
        ),
        "the quiz has no button[type=submit]"
    );
    assert!(
        !js_bool(&tab, &visible_expr(&submit)),
        "the final submit button shows on step 1{}",
        env.diag(&tab)
    );

    // Next with an empty required email does not advance or submit.
    click(&tab, &format!("{} [data-lander-next]", step(1)));
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        js_bool(&tab, &visible_expr(&step(1))),
        "left an invalid step 1"
    );
    assert!(!js_bool(&tab, &visible_expr(&step(2))));
    assert!(env.sink.submissions().is_empty());

    fill(
        &tab,
        &format!("{} input[name=email]", step(1)),
        "quiz@example.com",
    );
    click(&tab, &format!("{} [data-lander-next]", step(1)));
    let subs = env.sink.wait_for(1, WAIT);
    assert_eq!(
        subs.len(),
        1,
        "no partial submission after step 1{}",
        env.diag(&tab)
    );
    let partial = &subs[0];
    assert_eq!(partial.path, "/submit");
    assert_eq!(partial.field("email"), "quiz@example.com");
    assert_eq!(partial.field("quiz_step"), "1");
    assert_eq!(partial.field("partial"), "1");
    assert_eq!(partial.field("offer"), "quiz");
    assert_eq!(partial.field("page"), "/offers/quiz/");
    for later in ["intent", "product", "readiness"] {
        assert!(
            partial.get(later).is_none(),
            "partial submission has later field {later}: {partial:#?}"
        );
    }

    // Step 2: required radio.
    assert!(
        wait_js(&tab, &visible_expr(&step(2)), WAIT),
        "step 2 not shown"
    );
    assert!(!js_bool(&tab, &visible_expr(&step(1))));
    click(&tab, &format!("{} [data-lander-next]", step(2)));
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        js_bool(&tab, &visible_expr(&step(2))) && !js_bool(&tab, &visible_expr(&step(3))),
        "Next advanced past step 2 without an answer"
    );
    let intent = js_str(
        &tab,
        &format!(
            "document.querySelectorAll({})[1].value",
            js_lit(&format!("{QUIZ} input[name=intent]"))
        ),
    );
    click(
        &tab,
        &format!("{QUIZ} input[name=intent][value={}]", js_lit(&intent)),
    );
    click(&tab, &format!("{} [data-lander-next]", step(2)));

    // Step 3 is optional: skip it.
    assert!(
        wait_js(&tab, &visible_expr(&step(3)), WAIT),
        "step 3 not shown"
    );
    assert!(
        js_bool(
            &tab,
            &format!("{}.hasAttribute('data-optional')", q(&step(3)))
        ),
        "step 3 should be marked data-optional"
    );
    click(&tab, &format!("{} [data-lander-skip]", step(3)));

    // Step 4: last one, submit.
    assert!(
        wait_js(&tab, &visible_expr(&step(4)), WAIT),
        "Skip did not move to step 4"
    );
    let readiness = js_str(
        &tab,
        &format!(
            "document.querySelectorAll({})[0].value",
            js_lit(&format!("{QUIZ} input[name=readiness]"))
        ),
    );
    click(
        &tab,
        &format!("{QUIZ} input[name=readiness][value={}]", js_lit(&readiness)),
    );
    click(&tab, &submit_button(QUIZ));

    let subs = env.sink.expect(2, Duration::from_millis(500));
    let last = &subs[1];
    assert_eq!(last.field("quiz_step"), "final", "{last:#?}");
    assert_ne!(last.get("partial"), Some("1"), "final marked partial");
    assert_eq!(last.field("email"), "quiz@example.com");
    assert_eq!(last.field("intent"), intent);
    assert_eq!(last.field("readiness"), readiness);
    assert_eq!(
        last.get("product").unwrap_or(""),
        "",
        "skipped step sent an answer"
    );
    assert_eq!(last.field("offer"), "quiz");
    assert_eq!(last.field("_honey"), "");
    // `on_success: page` (the default): the thank-you page follows.
    assert!(
        wait_until(WAIT, || current_path(&tab) == "/offers/quiz/thanks/"),
        "the quiz did not lead to its thank-you page{}",
        env.diag(&tab)
    );
}

/// (4) Exit-intent popup: only on /blog/**, shown on a mouseout to the top,
/// closed with Esc, and not shown again within frequency_days.
#[test]
fn exit_intent_popup_shows_once_closes_on_escape_and_is_capped() {
    let Some(env) = setup(Js::On) else { return };

    // Statically: exactly one popup on the post, none outside /blog/.
    for (rel, _) in built_pages(&env.site) {
        let n = env.site.html(&rel).all("[data-lander-popup]").len();
        if rel == "blog/first-harvest/index.html" {
            assert_eq!(n, 1, "{rel} should have the popup-sale popup");
        } else if !rel.starts_with("blog/") {
            assert_eq!(n, 0, "{rel} is outside /blog/** but has a popup");
        }
    }

    let tab = env.chrome.tab();
    let popup = r#"[data-lander-popup="popup-sale"]"#;
    let trigger = "document.documentElement.dispatchEvent(new MouseEvent('mouseout', \
                   {bubbles: true, cancelable: true, view: window, clientX: 400, clientY: 0, relatedTarget: null})), true";
    goto(&tab, &env.sink.url(POST));
    tab.wait_for_element(popup)
        .unwrap_or_else(|e| panic!("no popup on {POST}: {e:#}{}", env.diag(&tab)));
    assert_eq!(
        js(
            &tab,
            &format!(
                "[{p}.getAttribute('data-trigger'), {p}.getAttribute('data-frequency-days'), {p}.getAttribute('role')]",
                p = q(popup)
            )
        ),
        json!(["exit-intent", "7", "dialog"])
    );
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !js_bool(&tab, &visible_expr(popup)),
        "popup visible before any trigger"
    );

    js(&tab, trigger);
    assert!(
        wait_js(&tab, &visible_expr(popup), WAIT),
        "popup not shown after exit intent{}",
        env.diag(&tab)
    );
    assert!(
        js_bool(
            &tab,
            &format!("{}.contains(document.activeElement)", q(popup))
        ),
        "focus not moved into the popup (active: {})",
        js_str(
            &tab,
            "document.activeElement && document.activeElement.outerHTML.slice(0, 120)"
        )
    );
    assert!(
        js_bool(
            &tab,
            "localStorage.getItem('lander:popup:popup-sale') !== null"
        ),
        "show time not stored in localStorage lander:popup:popup-sale"
    );

    tab.press_key("Escape").expect("press Escape");
    assert!(
        wait_js(&tab, &format!("!({})", visible_expr(popup)), WAIT),
        "Esc did not close the popup"
    );

    // Reload: within 7 days, the popup stays hidden.
    goto(&tab, &env.sink.url(POST));
    tab.wait_for_element(popup)
        .expect("popup element after reload");
    std::thread::sleep(Duration::from_millis(300));
    js(&tab, trigger);
    std::thread::sleep(Duration::from_millis(1000));
    assert!(
        !js_bool(&tab, &visible_expr(popup)),
        "popup shown again within frequency_days"
    );

    // Outside /blog/**, even after the script ran: no popup element.
    for page in ["/", "/offers/newsletter/"] {
        goto(&tab, &env.sink.url(page));
        assert_eq!(
            js(
                &tab,
                "document.querySelectorAll('[data-lander-popup]').length"
            ),
            0,
            "popup element on {page}"
        );
    }
}

/// (5) The A/B variant picked for a visitor is sticky across reloads, is the
/// one shown, and is the one a submission sends.
#[test]
fn chosen_variant_is_sticky_across_reloads_and_is_submitted() {
    let Some(env) = setup(Js::On) else { return };
    let tab = env.chrome.tab();
    let page = "/offers/popup-sale/";
    let state = format!(
        "({{ stored: localStorage.getItem('lander:variant:popup-sale'), \
           input: ({input} || {{}}).value, \
           shown: [...document.querySelectorAll('[data-lander-offer=\"popup-sale\"] [data-lander-variant]')] \
                  .filter(e => e.checkVisibility()).map(e => e.getAttribute('data-lander-variant')) }})",
        input = q(&format!("{POPUP_SALE} input[name=variant]"))
    );

    let mut chosen: Option<String> = None;
    for round in 0..4 {
        goto(&tab, &env.sink.url(page));
        tab.wait_for_element(POPUP_SALE)
            .unwrap_or_else(|e| panic!("no popup-sale form on {page}: {e:#}{}", env.diag(&tab)));
        assert!(
            wait_js(
                &tab,
                "localStorage.getItem('lander:variant:popup-sale') !== null",
                WAIT
            ),
            "no variant stored in localStorage (round {round}){}",
            env.diag(&tab)
        );
        let s = js(&tab, &state);
        let stored = s["stored"].as_str().unwrap().to_string();
        assert!(
            stored == "percent" || stored == "amount",
            "unexpected variant {s}"
        );
        assert_eq!(s["input"], stored.as_str(), "hidden input differs: {s}");
        let shown = s["shown"].as_array().unwrap();
        assert!(!shown.is_empty(), "no visible variant: {s}");
        assert!(
            shown.iter().all(|v| v == stored.as_str()),
            "visible variants differ from the chosen one: {s}"
        );
        match &chosen {
            None => chosen = Some(stored),
            Some(c) => assert_eq!(&stored, c, "variant changed on reload {round}"),
        }
    }
    let chosen = chosen.unwrap();

    fill(
        &tab,
        &format!("{POPUP_SALE} input[name=email]"),
        "ab@example.com",
    );
    // The stored choice changes after the page read it: the lead is
    // counted on the thank-you page with the variant the visitor saw,
    // which the script hands over in the address.
    let other = if chosen == "percent" {
        "amount"
    } else {
        "percent"
    };
    js(
        &tab,
        &format!(
            "localStorage.setItem('lander:variant:popup-sale', {}), 0",
            js_lit(other)
        ),
    );
    click(&tab, &submit_button(POPUP_SALE));
    let subs = env.sink.expect(1, Duration::from_millis(300));
    assert_eq!(subs[0].field("variant"), chosen, "{:#?}", subs[0]);
    assert_eq!(subs[0].field("offer"), "popup-sale");
    assert_eq!(subs[0].field("stage"), "purchase");
    assert!(
        wait_until(WAIT, || current_path(&tab) == "/offers/popup-sale/thanks/"),
        "no thank-you page{}",
        env.diag(&tab)
    );
    assert!(wait_js(&tab, "location.hash === '#lead-counted'", WAIT));
    let leads = data_layer_events(&tab, "generate_lead");
    assert_eq!(leads.len(), 1, "{leads:?}");
    assert_eq!(leads[0]["variant"], chosen.as_str(), "{leads:?}");
    assert_eq!(leads[0]["stage"], "purchase");

    // A stored (valid) choice is reused: force the other variant.
    js(
        &tab,
        &format!(
            "localStorage.setItem('lander:variant:popup-sale', {})",
            js_lit(other)
        ),
    );
    goto(&tab, &env.sink.url(page));
    assert!(
        wait_js(
            &tab,
            &format!("({state}).input === {}", js_lit(other)),
            WAIT
        ),
        "stored variant {other} not reused: {}",
        js(&tab, &state)
    );
    let s = js(&tab, &state);
    assert!(
        s["shown"]
            .as_array()
            .is_some_and(|a| !a.is_empty() && a.iter().all(|v| v == other)),
        "{s}"
    );
}

/// (6) The json provider posts a JSON body to its own endpoint.
#[test]
fn json_provider_posts_a_json_body() {
    let Some(env) = setup(Js::On) else { return };
    let tab = env.chrome.tab();
    let page = "/offers/json-offer/";
    goto(&tab, &env.sink.url(page));
    tab.wait_for_element(JSON_OFFER)
        .unwrap_or_else(|e| panic!("no json-offer form on {page}: {e:#}{}", env.diag(&tab)));
    assert_eq!(
        js(
            &tab,
            &format!(
                "[{f}.getAttribute('data-provider'), new URL({f}.getAttribute('action'), location.href).pathname]",
                f = q(JSON_OFFER)
            )
        ),
        json!(["json", "/submit-json"])
    );

    fill(
        &tab,
        &format!("{JSON_OFFER} input[name=email]"),
        "json@example.com",
    );
    fill(
        &tab,
        &format!("{JSON_OFFER} textarea[name=message]"),
        "Is the oil filtered?",
    );
    click(&tab, &submit_button(JSON_OFFER));

    let subs = env.sink.expect(1, Duration::from_millis(300));
    let s = &subs[0];
    assert_eq!(s.path, "/submit-json", "{s:#?}");
    assert!(s.content_type.starts_with("application/json"), "{s:#?}");
    assert!(s.accept.contains("application/json"), "{s:#?}");
    let body: serde_json::Value = serde_json::from_str(&s.body).expect("body is JSON");
    assert!(body.is_object(), "body is not a JSON object: {}", s.body);
    assert_eq!(s.field("email"), "json@example.com");
    assert_eq!(s.field("message"), "Is the oil filtered?");
    assert_eq!(s.field("offer"), "json-offer");
    assert_eq!(s.field("stage"), "consideration");
    assert_eq!(s.field("page"), page);
    assert_eq!(s.field("lang"), "en");
    assert_eq!(s.field("_honey"), "");
    assert_utm_empty(s);
    // `on_success: page`: the script goes on to the thank-you page, which
    // counts the lead once, with the offer's `lead_value`.
    let thanks = "/offers/json-offer/thanks/";
    assert!(
        wait_until(WAIT, || current_path(&tab) == thanks),
        "did not go on to the thank-you page{}",
        env.diag(&tab)
    );
    assert!(wait_js(&tab, "location.hash === '#lead-counted'", WAIT));
    let leads = data_layer_events(&tab, "generate_lead");
    assert_eq!(leads.len(), 1, "generate_lead events: {leads:?}");
    assert_eq!(
        leads[0],
        json!({"event": "generate_lead", "offer": "json-offer", "variant": "", "stage": "consideration", "value": 40, "currency": "EUR"})
    );
    assert!(js_bool(
        &tab,
        "document.body.textContent.includes('Question received')"
    ));
    // A reload of the thank-you page is not a second lead.
    tab.reload(false, None).expect("reload");
    assert!(wait_js(&tab, "document.readyState === 'complete'", WAIT));
    assert_eq!(current_path(&tab), thanks);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(data_layer_events(&tab, "generate_lead").len(), 0);
}

/// (7) An offer whose schedule ended (2020, no fallback) is not rendered
/// anywhere, and the build warns about the page that references it.
#[test]
fn expired_offer_is_absent_from_the_build_with_a_warning() {
    let (site, sink, build) = build_fixture();
    let stderr = build.stderr.to_lowercase();
    assert!(
        stderr.contains("warning") && stderr.contains("expired"),
        "no build warning about the expired offer; stderr:\n{}",
        build.stderr
    );

    assert!(site.exists("winter-sale/index.html"));
    for (rel, _) in built_pages(&site) {
        let page = site.html(&rel);
        for css in [
            r#"[data-lander-offer="expired"]"#,
            r#"[data-offer="expired"]"#,
            r#"a[href*="/offers/expired/"]"#,
        ] {
            assert!(
                page.all(css).is_empty(),
                "{rel} still renders the expired offer ({css})"
            );
        }
    }

    // And in a browser, after the script ran.
    let Some(chrome) = Chrome::launch(Js::On) else {
        return;
    };
    let tab = chrome.tab();
    goto(&tab, &sink.url("/winter-sale/"));
    assert!(
        js_bool(&tab, "document.title.includes('Winter Sale')"),
        "winter sale page not served"
    );
    assert_eq!(
        js(
            &tab,
            r#"document.querySelectorAll('[data-lander-offer="expired"], [data-offer="expired"]').length"#
        ),
        0
    );
}
