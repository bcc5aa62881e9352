//! Syntax highlighting at build time: code blocks with a language get
//! spans with classes that the theme's stylesheet colours (light and
//! dark), plain blocks stay plain, code stays escaped, unknown languages
//! get a warning naming file:line, and `markdown.highlight: false` turns
//! it off.

use std::collections::BTreeSet;

use crate::common::{Page, TestSite};

const POST: &str = r#"---
title: Code
date: 2025-03-01
---
Some code.

```rust
pub fn price(cents: u32) -> String { format!("{}", cents) } // euros
```

```yaml
title: "Oliva & Co" # the name
paginate_by: 10
```

```html
<p class="note">Hi</p><script>const n = 1;</script>
```

```js
if (a < b && c) { el.textContent = "</script>"; }
```

```sh
# build the site
lander build --base-url "https://oliva.example"
```

```
<b>plain & simple</b>
```

```text
no colours here
```
"#;

fn site(config: &str) -> TestSite {
    TestSite::empty()
        .file(
            "site.yaml",
            &format!("title: Test Shop\nbase_url: https://shop.test\n{config}"),
        )
        .file("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n")
        .file("content/blog/code.md", POST)
}

/// The `<code>` elements of the page, in order.
fn blocks(page: &Page) -> Vec<scraper::ElementRef<'_>> {
    page.all("pre > code")
}

/// The classes of the spans inside `code`.
fn span_classes(code: &scraper::ElementRef) -> BTreeSet<String> {
    let sel = scraper::Selector::parse("span[class]").unwrap();
    code.select(&sel)
        .flat_map(|s| s.value().classes().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

/// The text of the spans of class `class` inside `code`.
fn spans(code: &scraper::ElementRef, class: &str) -> Vec<String> {
    let sel = scraper::Selector::parse(&format!("span.{class}")).unwrap();
    code.select(&sel).map(|s| s.text().collect()).collect()
}

#[test]
fn languages_get_classes_and_plain_blocks_stay_plain() {
    let site = site("");
    let run = site.build(&[]);
    run.assert_ok();
    let page = site.html("blog/code/index.html");
    let b = blocks(&page);
    assert_eq!(b.len(), 7);
    let lang: Vec<Option<&str>> = b.iter().map(|c| c.value().attr("class")).collect();
    assert_eq!(
        lang,
        [
            Some("language-rust"),
            Some("language-yaml"),
            Some("language-html"),
            Some("language-js"),
            Some("language-sh"),
            None,
            Some("language-text")
        ]
    );
    // Rust
    assert_eq!(spans(&b[0], "hl-k")[0], "pub fn");
    assert!(spans(&b[0], "hl-f").contains(&"price".to_string()));
    assert!(spans(&b[0], "hl-t").contains(&"u32".to_string()));
    assert_eq!(spans(&b[0], "hl-c"), ["// euros"]);
    // YAML
    assert_eq!(spans(&b[1], "hl-p"), ["title", "paginate_by"]);
    assert_eq!(spans(&b[1], "hl-s"), ["\"Oliva & Co\""]);
    assert_eq!(spans(&b[1], "hl-n"), ["10"]);
    assert_eq!(spans(&b[1], "hl-c"), ["# the name"]);
    // HTML, with its script highlighted as JavaScript
    assert_eq!(spans(&b[2], "hl-g"), ["p", "p", "script", "script"]);
    assert_eq!(spans(&b[2], "hl-a"), ["class"]);
    assert!(spans(&b[2], "hl-k").contains(&"const".to_string()));
    // JavaScript
    assert_eq!(spans(&b[3], "hl-k")[0], "if");
    assert_eq!(spans(&b[3], "hl-s"), ["\"</script>\""]);
    // Shell
    assert_eq!(spans(&b[4], "hl-c"), ["# build the site"]);
    assert_eq!(spans(&b[4], "hl-f"), ["lander"]);
    // The code reads as written.
    let text: String = b[0].text().collect();
    assert_eq!(
        text,
        "pub fn price(cents: u32) -> String { format!(\"{}\", cents) } // euros\n"
    );
    // Plain blocks: no spans.
    assert!(span_classes(&b[5]).is_empty());
    assert_eq!(b[5].text().collect::<String>(), "<b>plain & simple</b>\n");
    assert!(span_classes(&b[6]).is_empty());
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

#[test]
fn code_stays_escaped() {
    let site = site("minify: false\n");
    site.build(&[]).assert_ok();
    let html = site.read("blog/code/index.html");
    // The only `</script>` tags are the page's own scripts, never code.
    assert!(!html.contains("\"</script>\""), "{html}");
    assert!(html.contains("&lt;/script&gt;"));
    assert!(html.contains("a &lt; b &amp;&amp; c"), "{html}");
    assert!(html.contains("&lt;b&gt;plain &amp; simple&lt;/b&gt;"));
    assert!(html.contains("&quot;Oliva &amp; Co&quot;") || html.contains("\"Oliva &amp; Co\""));
}

#[test]
fn every_class_used_is_in_the_linked_stylesheet() {
    let site = site("");
    site.build(&[]).assert_ok();
    let page = site.html("blog/code/index.html");
    let used: BTreeSet<String> = blocks(&page).iter().flat_map(span_classes).collect();
    assert!(used.len() >= 8, "{used:?}");
    let href = page.attr("link[rel=stylesheet]", "href");
    let css = site.read(href.trim_start_matches('/'));
    for class in &used {
        assert!(css.contains(&format!(".{class}")), "{class} is not styled");
    }
    // Light and dark.
    assert!(
        css.contains("prefers-color-scheme:dark") || css.contains("prefers-color-scheme: dark")
    );
}

#[test]
fn unknown_languages_are_plain_with_a_warning_naming_the_line() {
    let site = site("").file(
        "content/legacy.md",
        "---\ntitle: Legacy\n---\nIntro.\n\n```cobol\nDISPLAY 'HI'.\n```\n",
    );
    let run = site.build(&[]);
    run.assert_ok();
    run.assert_stderr_has("content/legacy.md:6:1")
        .assert_stderr_has("`cobol`");
    let page = site.html("legacy/index.html");
    let b = blocks(&page);
    assert_eq!(b[0].value().attr("class"), Some("language-cobol"));
    assert!(span_classes(&b[0]).is_empty());
}

#[test]
fn the_setting_turns_it_off() {
    let site = site("markdown:\n  highlight: false\n").file(
        "content/legacy.md",
        "---\ntitle: Legacy\n---\n```cobol\nDISPLAY 'HI'.\n```\n",
    );
    let run = site.build(&[]);
    run.assert_ok();
    assert!(!run.stderr.contains("cobol"), "{}", run.stderr);
    let page = site.html("blog/code/index.html");
    for code in blocks(&page) {
        assert!(span_classes(&code).is_empty());
    }
    assert_eq!(
        blocks(&page)[0].value().attr("class"),
        Some("language-rust")
    );
}

#[test]
fn a_misspelt_setting_is_an_error() {
    let site = site("markdown:\n  highlite: false\n");
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("site.yaml")
        .assert_stderr_has("highlite");
}
