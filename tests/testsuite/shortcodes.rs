//! Site shortcodes: `templates/shortcodes/NAME.html` called inline or with a
//! Markdown body, typed arguments, `page` and `site` in the template, the
//! built-in four overridable, and unknown names or arguments reported at
//! their file:line:column with a suggestion.

use crate::common::{snapshot, TestSite};

const BADGE: &str = "<span class=\"badge\" data-n=\"{{ n + 1 }}\" data-on=\"{{ on }}\">{{ label | upper }}{% for t in tags %}<i>{{ t }}</i>{% endfor %} {{ page.title }} / {{ site.title }}</span>";

const NOTE: &str = "<aside class=\"note note-{{ kind }}\">{{ body | safe }}</aside>";

/// A site with two shortcodes of its own and a post that calls them.
fn site(post_body: &str) -> TestSite {
    TestSite::minimal()
        .file("templates/shortcodes/badge.html", BADGE)
        .file("templates/shortcodes/note.html", NOTE)
        .file(
            "content/blog/a.md",
            &format!("---\ntitle: A post\ndate: 2025-03-01\n---\n{post_body}"),
        )
}

#[test]
fn inline_shortcodes_get_typed_arguments_page_and_site() {
    let site = site(
        "Intro {{ badge(label=\"new <b>\", n=41, on=true, tags=[\"a\", 2]) }} here.\n\n`{{ badge(label=\"x\") }}`\n\n```\n{{ nope() }}\n```\n",
    );
    site.build(&[]).assert_ok();
    let page = site.html("blog/a/index.html");
    let badge = page.all(".prose span.badge, span.badge");
    assert_eq!(badge.len(), 1, "one call outside code");
    assert_eq!(
        page.attr("span.badge", "data-n"),
        "42",
        "a number stays a number"
    );
    assert_eq!(page.attr("span.badge", "data-on"), "true");
    assert_eq!(page.text("span.badge"), "NEW <B>a2 A post / Test Shop");
    assert_eq!(
        page.all("span.badge b").len(),
        0,
        "an argument is escaped like any text"
    );
    let code: Vec<String> = page
        .all("code")
        .iter()
        .map(|c| c.text().collect())
        .collect();
    assert!(
        code.iter().any(|c| c == "{{ badge(label=\"x\") }}"),
        "{code:?}"
    );
    assert!(code.iter().any(|c| c.contains("{{ nope() }}")), "{code:?}");
}

#[test]
fn a_body_is_rendered_as_markdown_and_given_as_body() {
    let site = site(
        "Before.\n\n{% note(kind=\"tip\") %}\nPress **firmly**, then [read on](/about/).\n\n- one\n- two\n{% end %}\n\nAfter.\n",
    );
    site.build(&[]).assert_ok();
    let page = site.html("blog/a/index.html");
    assert_eq!(page.all("aside.note-tip").len(), 1);
    assert_eq!(page.text("aside.note-tip strong"), "firmly");
    assert_eq!(page.all("aside.note-tip li").len(), 2);
    assert_eq!(
        page.all("p aside").len(),
        0,
        "a block is not inside a paragraph"
    );
    assert!(!site.read("blog/a/index.html").contains("{% end %}"));
}

#[test]
fn the_site_overrides_a_built_in_shortcode() {
    let site = site("{{ cta(offer=\"spring\", tone=\"quiet\") }}\n")
        .file(
            "offers/spring.yaml",
            "headline: Spring sale\ncta:\n  text: Shop the sale\n  url: /offers/spring/\n",
        )
        .file(
            "templates/shortcodes/cta.html",
            "<a class=\"my-cta my-cta-{{ tone }}\" href=\"{{ offer.path }}\">{{ offer.headline }}</a>",
        );
    site.build(&[]).assert_ok();
    let page = site.html("blog/a/index.html");
    assert_eq!(page.all("a.my-cta-quiet").len(), 1);
    assert!(page.text("a.my-cta").contains("Spring sale"));
}

#[test]
fn an_unknown_shortcode_is_an_error_with_a_suggestion() {
    let site = site("Fine.\n");
    site.build(&[]).assert_ok();
    let before = snapshot(&site.out());
    site.write(
        "content/blog/a.md",
        b"---\ntitle: A post\ndate: 2025-03-01\n---\nText.\n\nSee {{ bagde(label=\"x\") }}.\n",
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("content/blog/a.md:7:5: unknown shortcode `bagde`")
        .assert_stderr_has("did you mean `badge`?");
    assert_eq!(snapshot(&site.out()), before, "the last good output stays");
}

#[test]
fn an_unknown_argument_is_an_error_at_its_column() {
    let site = site(
        "Text.\n\n{{ badge(label=\"x\", lable=\"y\") }}\n{% note(knd=\"tip\") %}\nx\n{% end %}\n",
    );
    let run = site.build(&[]);
    run.assert_fails()
        .assert_stderr_has("content/blog/a.md:7:21: the shortcode `badge` has no argument `lable`")
        .assert_stderr_has("did you mean `label`?")
        .assert_stderr_has("content/blog/a.md:8:9: the shortcode `note` has no argument `knd`")
        .assert_stderr_has("did you mean `kind`?");
}

#[test]
fn what_lander_sets_cannot_be_an_argument() {
    site("{{ badge(label=\"x\", page=\"home\") }}\n")
        .build(&[])
        .assert_fails()
        .assert_stderr_has(
            "content/blog/a.md:5:21: `page` cannot be an argument of the shortcode `badge`",
        );
}

#[test]
fn a_template_error_names_the_call() {
    site("Text.\n\n{{ badge(label=\"x\", n=\"not a number\") }}\n")
        .build(&[])
        .assert_fails()
        .assert_stderr_has("templates/shortcodes/badge.html:1:")
        .assert_stderr_has("while rendering the shortcode `badge` at content/blog/a.md:7:1");
}

#[test]
fn malformed_calls_and_unclosed_bodies_are_errors() {
    let site = site("{{ badge(label=new) }}\n\n{% note(kind=\"tip\") %}\nnever closed\n");
    site.build(&[])
        .assert_fails()
        .assert_stderr_has(
            "content/blog/a.md:5:1: malformed shortcode `badge`: `label=new` is not a value",
        )
        .assert_stderr_has("content/blog/a.md:7:1: the body of the shortcode `note` is not closed");
}
