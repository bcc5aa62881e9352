//! Highlighted code in a real browser: the HTML snippet on site-example's
//! about page, loaded in headless Chromium in the light and in the dark
//! colour scheme. Each scheme has its own panel, and every coloured span
//! (and the plain text) is at least 4.5:1 against it, as axe and Lighthouse
//! ask.
//!
//! Without Chromium these tests print a loud SKIPPED message and pass,
//! unless the CI variable is set (then they fail).

use headless_chrome::protocol::cdp::Emulation;
use headless_chrome::Tab;
use serde_json::Value;

use crate::common::browser::{goto, js, Chrome, Js, Sink};
use crate::common::TestSite;

/// The panel's background, the lowest contrast of its text and spans
/// against it, how many span classes it shows, and a tag's colour.
const MEASURE: &str = r#"(() => {
  const lum = c => {
    const v = c.match(/[\d.]+/g).slice(0, 3).map(Number).map(x => {
      x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
  };
  const pre = document.querySelector('pre > code.language-html').parentElement;
  const bg = getComputedStyle(pre).backgroundColor;
  const ratio = el => {
    const a = lum(getComputedStyle(el).color), b = lum(bg);
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  };
  const spans = [...pre.querySelectorAll('span[class^="hl-"]')];
  const min = Math.min(ratio(pre), ...spans.map(ratio));
  const classes = new Set(spans.map(s => s.className)).size;
  return [bg, min, classes, getComputedStyle(pre.querySelector('.hl-g')).color];
})()"#;

fn scheme(tab: &Tab, value: &str) {
    let media: Emulation::SetEmulatedMedia = serde_json::from_value(serde_json::json!({
        "features": [{"name": "prefers-color-scheme", "value": value}]
    }))
    .expect("emulated media");
    tab.call_method(media).expect("Emulation.setEmulatedMedia");
}

#[test]
fn code_is_readable_in_the_light_and_the_dark_scheme() {
    let Some(chrome) = Chrome::launch(Js::On) else {
        return;
    };
    let site = TestSite::copy_of("site-example");
    let sink = Sink::start(&site.out());
    site.build(&["--base-url", &sink.base_url()]).assert_ok();
    let tab = chrome.tab();
    let mut seen: Vec<Value> = Vec::new();
    for value in ["light", "dark"] {
        scheme(&tab, value);
        goto(&tab, &sink.url("/about/"));
        let m = js(&tab, MEASURE);
        let min = m[1].as_f64().unwrap_or_else(|| panic!("{value}: {m}"));
        assert!(min >= 4.5, "{value}: contrast {min:.2} under 4.5: {m}");
        assert!(m[2].as_u64().unwrap_or(0) >= 4, "{value}: few classes: {m}");
        seen.push(m);
    }
    assert_ne!(
        seen[0][0], seen[1][0],
        "one panel for both schemes: {seen:?}"
    );
    assert_ne!(seen[0][3], seen[1][3], "one tag colour for both: {seen:?}");
}
