//! Right-to-left layout in a real browser: the Arabic pages of site-example
//! are built, served on 127.0.0.1 and loaded in headless Chromium, which
//! takes a screenshot (kept under target/ for a look) and measures boxes:
//! the form, the offer banner and the popup mirror the English layout.
//!
//! Without Chromium these tests print a loud SKIPPED message and pass,
//! unless the CI variable is set (then they fail).

use std::path::PathBuf;

use crate::common::browser::{goto, js, wait_js, Chrome, Js, Sink, WAIT};
use crate::common::TestSite;
use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
use headless_chrome::Tab;
use serde_json::Value;

/// The left and right edges of the first element matching `css`.
fn edges(tab: &Tab, css: &str) -> (f64, f64) {
    let v = js(
        tab,
        &format!(
            "(() => {{ const r = document.querySelector({}).getBoundingClientRect(); return [r.left, r.right]; }})()",
            serde_json::to_string(css).unwrap()
        ),
    );
    let n = |i: usize| {
        v[i].as_f64()
            .unwrap_or_else(|| panic!("no box for {css}: {v}"))
    };
    (n(0), n(1))
}

/// Saves a PNG screenshot under target/ and checks it is a real picture.
fn screenshot(tab: &Tab, name: &str) -> PathBuf {
    let png = tab
        .capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true)
        .expect("screenshot");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert!(
        png.len() > 10_000,
        "a blank screenshot: {} bytes",
        png.len()
    );
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, png).unwrap();
    path
}

#[test]
fn arabic_landing_page_form_and_popup_are_laid_out_right_to_left() {
    let Some(chrome) = Chrome::launch(Js::On) else {
        return;
    };
    let site = TestSite::copy_of("site-example");
    let sink = Sink::start(&site.out());
    site.build(&[
        "--base-url",
        &sink.base_url(),
        "--now",
        "2026-11-25T12:00:00Z",
    ])
    .assert_ok();
    let tab = chrome.tab();

    // The Arabic landing page of the tasting guide: a form with the email,
    // the first name and the button.
    goto(&tab, &sink.url("/ar/offers/tasting-guide/"));
    assert_eq!(js(&tab, "document.dir"), Value::from("rtl"));
    assert_eq!(js(&tab, "document.documentElement.lang"), Value::from("ar"));
    let form = "form[data-lander-form]";
    let email = format!("{form} input[type=email]");
    let submit = format!("{form} .lander-submit");
    let (form_l, form_r) = edges(&tab, form);
    let (email_l, email_r) = edges(&tab, &email);
    let (submit_l, submit_r) = edges(&tab, &submit);
    let path = screenshot(&tab, "rtl-landing-ar.png");
    let at = format!("see {}", path.display());
    // The first field starts at the right edge of the form…
    assert!(
        (form_r - email_r).abs() < 2.0,
        "email {email_l}-{email_r} in form {form_l}-{form_r}; {at}"
    );
    assert!(email_l > form_l + 20.0, "email fills the form; {at}");
    // …and the button sits to its left (on the same line or below, never to its right).
    assert!(
        submit_l < email_l,
        "submit {submit_l}-{submit_r} not left of email {email_l}-{email_r}; {at}"
    );
    let label_align = js(
        &tab,
        &format!("getComputedStyle(document.querySelector('{form} label')).direction"),
    );
    assert_eq!(label_align, Value::from("rtl"));

    // The same page in English mirrors it.
    goto(&tab, &sink.url("/offers/tasting-guide/"));
    let (en_form_l, _) = edges(&tab, form);
    let (en_email_l, en_email_r) = edges(&tab, &email);
    let (_, en_submit_r) = edges(&tab, &submit);
    assert!(
        (en_email_l - en_form_l).abs() < 2.0,
        "English email starts at the left"
    );
    assert!(
        en_submit_r > en_email_r,
        "English submit is right of the email"
    );
    screenshot(&tab, "ltr-landing-en.png");

    // The exit-intent popup of an Arabic post: its close button on the left,
    // the offer's accent border on the right.
    goto(&tab, &sink.url("/ar/blog/how-to-taste-olive-oil/"));
    let popup = "[data-lander-popup=\"welcome-popup\"]";
    assert!(
        wait_js(&tab, &format!("!!document.querySelector('{popup}')"), WAIT),
        "no popup on the Arabic post"
    );
    js(
        &tab,
        "document.documentElement.dispatchEvent(new MouseEvent('mouseout', { clientY: 0, bubbles: true }))",
    );
    assert!(
        wait_js(
            &tab,
            &format!("!document.querySelector('{popup}').hidden"),
            WAIT
        ),
        "popup not shown"
    );
    let (box_l, box_r) = edges(&tab, &format!("{popup} .lander-popup-box"));
    let (close_l, close_r) = edges(&tab, &format!("{popup} .lander-popup-close"));
    let path = screenshot(&tab, "rtl-popup-ar.png");
    assert!(
        close_l - box_l < box_r - close_r,
        "close button {close_l}-{close_r} not on the left of {box_l}-{box_r}; see {}",
        path.display()
    );
    let (p_email_l, p_email_r) = edges(&tab, &format!("{popup} input[type=email]"));
    let (p_submit_l, _) = edges(&tab, &format!("{popup} .lander-submit"));
    assert!(
        p_submit_l < p_email_l,
        "popup submit {p_submit_l} not left of email {p_email_l}-{p_email_r}"
    );
    assert_eq!(
        js(&tab, &format!("document.querySelector('{popup} .lander-close, {popup} [data-lander-close]').getAttribute('aria-label')")),
        Value::from("إغلاق")
    );
}
