//! Quiz outcomes in headless Chromium, against the sink on loopback: with
//! JavaScript the answers pick the outcome, the lead carries `outcome=ID`
//! and the result shows in place (the product card); without it the
//! visitor's outcome button posts the form and lands on that outcome's
//! thank-you page.

use std::time::Duration;

use crate::common::browser::{
    click, current_path, fill, goto, js, js_bool, js_str, visible_expr, wait_js, wait_until,
    Chrome, Js, Sink, WAIT,
};
use crate::common::TestSite;
use crate::quiz_outcomes::quiz_site;

const FORM: &str = "form[data-lander-form][data-offer=match]";

/// The quiz site built for the sink (absolute `_redirect` URLs point back
/// at it), the sink and a browser; None without Chromium (outside CI).
fn setup(js: Js) -> Option<(Chrome, Sink, TestSite)> {
    let chrome = Chrome::launch(js)?;
    let site = quiz_site("popup-sale");
    let sink = Sink::start(&site.out());
    site.build(&["--base-url", &sink.base_url()]).assert_ok();
    Some((chrome, sink, site))
}

fn step(n: u32) -> String {
    format!("{FORM} fieldset.lander-step[data-step=\"{n}\"]")
}

#[test]
fn with_javascript_the_answers_pick_the_outcome_sent_and_shown() {
    let Some((chrome, sink, _site)) = setup(Js::On) else {
        return;
    };
    let tab = chrome.tab();
    goto(&tab, &sink.url("/offers/match/"));
    assert!(wait_js(&tab, &visible_expr(&step(1)), WAIT), "no step 1");
    fill(
        &tab,
        &format!("{} input[name=email]", step(1)),
        "quiz@example.com",
    );
    click(&tab, &format!("{} [data-lander-next]", step(1)));
    let partial = sink.wait_for(1, WAIT);
    assert_eq!(partial.len(), 1, "no partial lead: {:?}", sink.log());
    assert_eq!(partial[0].get("outcome"), None, "{:#?}", partial[0]);

    assert!(wait_js(&tab, &visible_expr(&step(2)), WAIT), "no step 2");
    click(&tab, &format!("{FORM} input[name=intent][value=Roasts]"));
    click(&tab, &format!("{} [data-lander-next]", step(2)));
    // The last step is optional: skipping it sends the quiz.
    assert!(wait_js(&tab, &visible_expr(&step(3)), WAIT), "no step 3");
    click(&tab, &format!("{} [data-lander-skip]", step(3)));

    let subs = sink.expect(2, Duration::from_millis(500));
    let last = &subs[1];
    assert_eq!(last.field("quiz_step"), "final", "{last:#?}");
    assert_eq!(last.field("intent"), "Roasts");
    assert_eq!(last.field("outcome"), "tin", "{last:#?}");
    assert_eq!(last.count("outcome"), 1);

    let tin = format!("{FORM} section[data-outcome=tin]");
    assert!(
        wait_js(&tab, &visible_expr(&tin), WAIT),
        "the tin outcome is not shown: {}",
        js_str(&tab, "document.querySelector('main').innerText")
    );
    assert!(!js_bool(
        &tab,
        &visible_expr(&format!("{FORM} section[data-outcome=oil]"))
    ));
    assert!(js_bool(
        &tab,
        &visible_expr(&format!("{tin} .card-title a[href='/products/tin/']"))
    ));
    assert_eq!(
        js_str(&tab, "document.activeElement.textContent"),
        "Your match: the <Tin>"
    );
    let events = js(
        &tab,
        "(window.dataLayer || []).filter(e => e.event === 'quiz_outcome').map(e => e.outcome)",
    );
    assert_eq!(events, serde_json::json!(["tin"]));
}

#[test]
fn with_javascript_no_matching_answer_gives_the_default() {
    let Some((chrome, sink, _site)) = setup(Js::On) else {
        return;
    };
    let tab = chrome.tab();
    goto(&tab, &sink.url("/offers/match/"));
    assert!(wait_js(&tab, &visible_expr(&step(1)), WAIT), "no step 1");
    fill(
        &tab,
        &format!("{} input[name=email]", step(1)),
        "b@example.com",
    );
    click(&tab, &format!("{} [data-lander-next]", step(1)));
    assert!(wait_js(&tab, &visible_expr(&step(2)), WAIT), "no step 2");
    click(&tab, &format!("{FORM} input[name=intent][value=Salads]"));
    click(&tab, &format!("{} [data-lander-next]", step(2)));
    assert!(wait_js(&tab, &visible_expr(&step(3)), WAIT), "no step 3");
    click(&tab, &format!("{FORM} input[name=extra][value=Gifts]"));
    click(&tab, &format!("{FORM} > button.lander-submit"));
    let subs = sink.expect(2, Duration::from_millis(500));
    assert_eq!(subs[1].field("outcome"), "oil", "{:#?}", subs[1]);
    assert_eq!(subs[1].field("extra"), "Gifts");
    let oil = format!("{FORM} section[data-outcome=oil]");
    assert!(
        wait_js(&tab, &visible_expr(&oil), WAIT),
        "the default is not shown"
    );
    assert!(js_bool(
        &tab,
        &visible_expr(&format!("{oil} .buy a[href='https://pay.test/oil']"))
    ));
}

#[test]
fn without_javascript_the_outcome_button_lands_on_its_thank_you_page() {
    let Some((chrome, sink, _site)) = setup(Js::Off) else {
        return;
    };
    let tab = chrome.tab();
    goto(&tab, &sink.url("/offers/match/"));
    tab.wait_for_element(FORM).expect("the quiz form");
    // Every step shows; the script's submit button does not, the outcome
    // buttons do.
    assert!(js_bool(&tab, &visible_expr(&step(3))));
    assert!(!js_bool(
        &tab,
        &visible_expr(&format!("{FORM} > button.lander-submit"))
    ));
    fill(
        &tab,
        &format!("{FORM} input[name=email]"),
        "nojs@example.com",
    );
    click(&tab, &format!("{FORM} input[name=intent][value=Roasts]"));
    click(
        &tab,
        &format!("{FORM} button[name=_redirect][value$='/thanks/tin/']"),
    );

    let subs = sink.expect(1, Duration::from_millis(300));
    let s = &subs[0];
    assert_eq!(s.path, "/submit");
    assert_eq!(s.field("email"), "nojs@example.com");
    assert_eq!(s.field("intent"), "Roasts");
    assert_eq!(s.count("_redirect"), 1, "{s:#?}");
    assert!(
        s.field("_redirect").ends_with("/offers/match/thanks/tin/"),
        "{s:#?}"
    );
    assert!(
        wait_until(WAIT, || current_path(&tab) == "/offers/match/thanks/tin/"),
        "landed on {}",
        current_path(&tab)
    );
    assert_eq!(
        js_str(&tab, "document.querySelector('h1').textContent"),
        "Your match: the <Tin>"
    );
    assert!(js_bool(
        &tab,
        "!!document.querySelector(\".card-title a[href='/products/tin/']\")"
    ));
}
