//! Placements as built (no browser): where bars, click-to-open dialogs and
//! the placements script end up, the errors for bad placement keys, and
//! `lander check`'s `popup-priority` warning. The browser side is in
//! `placements_browser`.

use crate::common::{lander, TestSite};
use crate::placements_browser::fixture;

fn popups_script(html: &str) -> bool {
    html.contains("/assets/popups.") && html.contains(".js\" defer></script>")
}

#[test]
fn bars_dialogs_and_their_script_are_only_where_they_apply() {
    let site = fixture();
    site.build(&[]).assert_ok();

    // The bar of /blog/**: on the posts and the journal, nowhere else.
    for rel in ["blog/first-harvest/index.html", "blog/index.html"] {
        let page = site.html(rel);
        assert_eq!(page.all("[data-lander-bar=\"ship-bar\"]").len(), 1, "{rel}");
        assert_eq!(
            page.attr("[data-lander-bar=\"ship-bar\"]", "data-frequency-days"),
            "7"
        );
        assert!(
            popups_script(&site.read(rel)),
            "{rel} has a bar but no popups.js"
        );
    }
    let home = site.read("index.html");
    assert!(!home.contains("data-lander-bar"), "a bar outside its pages");
    assert!(
        !popups_script(&home),
        "popups.js on a page without popup or bar"
    );
    assert!(
        home.contains("/assets/lander."),
        "lander.js is on every page"
    );

    // The top bar comes before the header: its space is in the page as built.
    let post = site.read("blog/first-harvest/index.html");
    let bar_at = post.find("data-lander-bar=").unwrap();
    assert!(bar_at < post.find("<header").unwrap());
    assert!(
        post[bar_at..].contains("data-lander-countdown"),
        "no countdown in the flash bar"
    );

    // The bottom bar is after the content, and the body keeps room for it.
    let two_step = site.html("two-step/index.html");
    assert_eq!(
        two_step.attr("[data-lander-bar]", "class"),
        "lander-bar lander-bar-bottom"
    );
    assert!(two_step.attr("body", "class").contains("has-bar-bottom"));

    // Click-to-open: a link to the offer page that names its dialog, and
    // the dialog, which has no trigger of its own.
    let cta = "main a[data-lander-open=\"newsletter\"]";
    assert_eq!(two_step.attr(cta, "href"), "/offers/newsletter/");
    assert_eq!(two_step.attr(cta, "aria-haspopup"), "dialog");
    let dialog = "[data-lander-popup=\"newsletter\"]";
    assert_eq!(two_step.all(dialog).len(), 1);
    assert!(two_step.attrs(dialog, "data-trigger").is_empty());
    assert_eq!(
        two_step
            .all(&format!("{dialog} form[data-lander-form]"))
            .len(),
        1
    );

    // Priorities and the cap are written on each popup.
    let capped = site.html("capped/a/index.html");
    assert_eq!(
        capped.attr("[data-lander-popup=\"cap-high\"]", "data-priority"),
        "2"
    );
    assert_eq!(
        capped.attr("[data-lander-popup=\"cap-low\"]", "data-priority"),
        "1"
    );
    assert_eq!(
        capped.attr("[data-lander-popup=\"cap-low\"]", "data-per-session"),
        "1"
    );
    // Exit intent turns into a fast scroll up on phones unless told otherwise.
    let long = site.html("long/index.html");
    let phone = "[data-lander-popup=\"phone-popup\"]";
    assert_eq!(long.attr(phone, "data-trigger"), "exit-intent");
    assert_eq!(long.attr(phone, "data-mobile-trigger"), "scroll-up");
}

#[test]
fn front_matter_offer_open_popup_makes_the_page_banner_a_two_step_opt_in() {
    let site = fixture().file(
        "content/letter.md",
        "---\ntitle: \"Letter\"\noffer: newsletter\noffer_open: popup\n---\nText.\n",
    );
    site.build(&[]).assert_ok();
    let page = site.html("letter/index.html");
    assert_eq!(
        page.attr(".offer-cta a[data-lander-cta]", "data-lander-open"),
        "newsletter"
    );
    assert_eq!(page.all("[data-lander-popup=\"newsletter\"]").len(), 1);
}

#[test]
fn bad_placement_keys_are_located_errors() {
    let bar = fixture().file(
        "offers/ship-bar.yaml",
        "headline: \"Free shipping\"\nbar:\n  postion: bottom\n",
    );
    bar.build(&[])
        .assert_fails()
        .assert_stderr_has("offers/ship-bar.yaml:3")
        .assert_stderr_has("unknown key `postion`")
        .assert_stderr_has("did you mean `position`?");

    let trigger = fixture().file(
        "offers/phone-popup.yaml",
        "headline: \"Letter\"\npopup:\n  trigger: exit-intent\n  mobile: flick\n",
    );
    trigger
        .build(&[])
        .assert_fails()
        .assert_stderr_has("offers/phone-popup.yaml:4")
        .assert_stderr_has("scroll-up");

    let open = fixture().file(
        "content/two-step.md",
        "---\ntitle: \"Two\"\n---\nText.\n\n{{ cta(offer=\"newsletter\", open=\"modal\") }}\n",
    );
    open.build(&[])
        .assert_fails()
        .assert_stderr_has("content/two-step.md:6")
        .assert_stderr_has("open=\"modal\"")
        .assert_stderr_has("open=\"popup\"");

    let front = fixture().file(
        "content/two-step.md",
        "---\ntitle: \"Two\"\noffer: newsletter\noffer_open: dialog\n---\nText.\n",
    );
    front
        .build(&[])
        .assert_fails()
        .assert_stderr_has("content/two-step.md:4")
        .assert_stderr_has("popup");
}

fn check_json(site: &TestSite) -> Vec<serde_json::Value> {
    let root = site.path().to_string_lossy().into_owned();
    let run = lander(site.path(), &["check", "--root", &root, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", run.stdout, run.stderr));
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "popup-priority")
        .cloned()
        .collect()
}

#[test]
fn check_warns_when_two_popups_meet_with_nothing_to_choose_between_them() {
    // Different priorities: a choice, no warning.
    assert_eq!(check_json(&fixture()), Vec::<serde_json::Value>::new());

    // The same priority on /capped/*: one warning for the pair, at the
    // second offer's `popup:` line.
    let tied = fixture().file(
        "offers/cap-low.yaml",
        "headline: \"Capped offer 1\"\nstage: purchase\nkind: discount\ncta: { text: \"Claim\" }\npopup: { trigger: delay, delay: 0, pages: [\"/capped/**\"], priority: 2 }\nthank_you: { title: \"Thanks\", next: { text: \"Journal\", url: \"/blog/\" } }\n",
    );
    let found = check_json(&tied);
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["file"], "offers/cap-low.yaml");
    assert_eq!(f["line"], 5);
    let message = f["message"].as_str().unwrap();
    assert!(
        message.contains("`cap-high` and `cap-low`")
            && message.contains("/capped/a/")
            && message.contains("1 other page")
            && message.contains("priority 2"),
        "{message}"
    );
    assert!(f["help"].as_str().unwrap().contains("priority"));

    // The popup on /blog/** and one on every page (no `pages`) meet on the
    // journal too: the rule sees globs, not only equal lists.
    let everywhere = fixture().file(
        "offers/phone-popup.yaml",
        "headline: \"Letter\"\nstage: awareness\nkind: newsletter\ncta: { text: \"Subscribe\" }\npopup: { trigger: delay }\nthank_you: { title: \"Thanks\", next: { text: \"Journal\", url: \"/blog/\" } }\n",
    );
    let found = check_json(&everywhere);
    assert!(
        found.iter().any(|f| f["message"]
            .as_str()
            .unwrap()
            .contains("`phone-popup` and `popup-sale`")),
        "{found:#?}"
    );
}
