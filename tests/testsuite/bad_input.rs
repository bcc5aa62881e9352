//! Bad input: every broken file is reported as `error: FILE:LINE:COL: message`
//! with a `help:` line, the build exits 1, and the output of the previous
//! good build is left exactly as it was.
//!
//! Each test builds a valid site once, snapshots `public/`, breaks one thing,
//! builds again and checks the report and the untouched output. Expected
//! lines and columns are counted by hand from the files written here
//! (1-based, columns in characters).

use std::fs;
use std::path::PathBuf;

use crate::common::{snapshot, Run, TestSite};

type Snapshot = Vec<(PathBuf, Vec<u8>)>;

/// A post that builds.
const GOOD_POST: &str = "---\ntitle: A post\ndate: 2025-03-01\n---\nBody.\n";

/// An offer that builds.
const GOOD_OFFER: &str = "headline: Spring sale\ncta:\n  text: Go\n  url: /offers/spring/\n";

/// Builds `site` (it must succeed) and returns its output as it is then.
#[track_caller]
fn good_build(site: &TestSite) -> Snapshot {
    site.build(&[]).assert_ok();
    assert!(
        site.exists("index.html"),
        "the good build wrote no index.html"
    );
    let snap = snapshot(&site.out());
    assert!(!snap.is_empty());
    snap
}

/// Builds the broken site with `extra` arguments: exit code 1, no panic, no
/// "Built" line, and `public/` exactly as the good build left it.
#[track_caller]
fn broken_build_with(site: &TestSite, before: &Snapshot, extra: &[&str]) -> Run {
    let run = site.build(extra);
    run.assert_fails();
    assert!(
        !run.stdout.contains("Built "),
        "a failed build claims success:\n{}",
        run.stdout
    );
    assert_output_unchanged(site, before);
    run
}

#[track_caller]
fn broken_build(site: &TestSite, before: &Snapshot) -> Run {
    broken_build_with(site, before, &[])
}

#[track_caller]
fn assert_output_unchanged(site: &TestSite, before: &Snapshot) {
    let after = snapshot(&site.out());
    if &after != before {
        let paths = |s: &Snapshot| s.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
        let changed: Vec<&PathBuf> = before
            .iter()
            .filter(|(p, b)| after.iter().find(|(q, _)| q == p).map(|(_, a)| a) != Some(b))
            .map(|(p, _)| p)
            .collect();
        panic!(
            "the previous output changed\nbefore: {:?}\nafter: {:?}\nchanged or removed: {changed:?}",
            paths(before),
            paths(&after)
        );
    }
    // No temporary folder of the atomic write is left beside the output.
    for entry in fs::read_dir(site.path()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            !name.contains("lander-tmp") && !name.contains("lander-old"),
            "leftover {name}"
        );
    }
}

/// The error reported at `location` (`file:line:col`): its message and the
/// text of its `help:` line.
#[track_caller]
fn diagnostic(run: &Run, location: &str) -> (String, String) {
    let prefix = format!("error: {location}: ");
    let lines: Vec<&str> = run.stderr.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no error at {location} in stderr:\n{}", run.stderr));
    let message = lines[i][prefix.len()..].to_string();
    let help = lines[i + 1..]
        .iter()
        .take_while(|l| !l.starts_with("error: "))
        .find_map(|l| l.strip_prefix("  help: "))
        .unwrap_or_else(|| panic!("the error at {location} has no help line:\n{}", run.stderr));
    assert!(!help.trim().is_empty(), "empty help for {location}");
    (message, help.to_string())
}

/// The `error: ` lines about problems (the final "stopped with" line aside).
fn error_lines(run: &Run) -> Vec<&str> {
    run.stderr
        .lines()
        .filter(|l| l.starts_with("error: ") && !l.starts_with("error: stopped with"))
        .collect()
}

/// The last line of stderr is the summary with the number of errors.
#[track_caller]
fn assert_summary(run: &Run, n: usize) {
    let last = run.stderr.lines().last().unwrap_or_default();
    let expected = if n == 1 {
        "error: stopped with 1 error;".to_string()
    } else {
        format!("error: stopped with {n} errors;")
    };
    assert!(
        last.starts_with(&expected),
        "summary line {last:?}, expected {expected:?}"
    );
}

/// A minimal site plus one post at content/blog/a.md.
fn site_with_post() -> TestSite {
    TestSite::minimal().file("content/blog/a.md", GOOD_POST)
}

#[test]
fn malformed_yaml_unclosed_sequence_points_at_the_bracket() {
    let site = site_with_post();
    let before = good_build(&site);
    // Line 2 `title: [unclosed`: the `[` is column 8.
    site.write("content/blog/a.md", b"---\ntitle: [unclosed\n---\nBody.\n");
    let run = broken_build(&site, &before);
    diagnostic(&run, "content/blog/a.md:2:8");
    assert_eq!(error_lines(&run).len(), 1, "{}", run.stderr);
    assert_summary(&run, 1);
}

#[test]
fn malformed_yaml_bad_indentation_points_at_the_colon() {
    let site = site_with_post();
    let before = good_build(&site);
    // Line 3 `  description: oops`: two spaces and `description` (11 chars),
    // so the `:` YAML refuses is column 14.
    site.write(
        "content/blog/a.md",
        b"---\ntitle: A post\n  description: oops\n---\nBody.\n",
    );
    let run = broken_build(&site, &before);
    let (message, _) = diagnostic(&run, "content/blog/a.md:3:14");
    assert!(
        message.contains("mapping values are not allowed"),
        "{message}"
    );
    assert_summary(&run, 1);
}

#[test]
fn unclosed_front_matter_is_reported_at_line_one() {
    let site = site_with_post();
    let before = good_build(&site);
    site.write(
        "content/blog/a.md",
        b"---\ntitle: A post\ndate: 2025-03-01\nBody.\n",
    );
    let run = broken_build(&site, &before);
    let (message, help) = diagnostic(&run, "content/blog/a.md:1:1");
    assert!(message.contains("never closed"), "{message}");
    assert!(help.contains("---"), "{help}");
}

#[test]
fn invalid_utf8_is_located_at_the_bad_byte() {
    let site = site_with_post();
    let before = good_build(&site);
    // Line 4 is `Olive ` (6 chars), `é` (1 char, 2 bytes), `t`, then the lone
    // byte 0xe9 (Latin-1 é): column 9, counted in characters.
    site.write(
        "content/blog/a.md",
        b"---\ntitle: A post\n---\nOlive \xc3\xa9t\xe9.\n",
    );
    let run = broken_build(&site, &before);
    let (message, help) = diagnostic(&run, "content/blog/a.md:4:9");
    assert!(
        message.contains("UTF-8") && message.contains("0xe9"),
        "{message}"
    );
    assert!(help.contains("UTF-8"), "{help}");
}

#[test]

fn invalid_utf8_after_a_bom_is_located_without_counting_the_bom() {
    let site = TestSite::minimal();
    let before = good_build(&site);
    // The BOM is invisible in editors; `title: Caf` is 10 characters, so the
    // lone 0xe9 is column 11 of line 1.
    site.write(
        "site.yaml",
        b"\xef\xbb\xbftitle: Caf\xe9\r\nbase_url: https://shop.test\r\n",
    );
    let run = broken_build(&site, &before);
    diagnostic(&run, "site.yaml:1:11");
}

#[test]
fn impossible_date_points_at_the_value() {
    let site = site_with_post();
    let before = good_build(&site);
    // Line 3 `date: 2025-02-30`: the value starts at column 7.
    site.write(
        "content/blog/a.md",
        b"---\ntitle: A post\ndate: 2025-02-30\n---\nBody.\n",
    );
    let run = broken_build(&site, &before);
    let (message, help) = diagnostic(&run, "content/blog/a.md:3:7");
    assert!(message.contains("2025-02-30"), "{message}");
    assert!(help.contains("YYYY-MM-DD"), "{help}");
}

#[test]
fn unknown_front_matter_key_suggests_the_right_one() {
    let site = site_with_post();
    let before = good_build(&site);
    site.write(
        "content/blog/a.md",
        b"---\ntitel: A post\ndate: 2025-03-01\n---\nBody.\n",
    );
    let run = broken_build(&site, &before);
    let (message, help) = diagnostic(&run, "content/blog/a.md:2:1");
    assert_eq!(message, "unknown key `titel`");
    assert_eq!(help, "did you mean `title`?");
}

#[test]
fn unknown_site_yaml_key_suggests_the_right_one() {
    let site = TestSite::minimal();
    let before = good_build(&site);
    site.write(
        "site.yaml",
        b"title: Test Shop\npaginateby: 5\nbase_url: https://shop.test\n",
    );
    let run = broken_build(&site, &before);
    let (message, help) = diagnostic(&run, "site.yaml:2:1");
    assert_eq!(message, "unknown key `paginateby`");
    assert_eq!(help, "did you mean `paginate_by`?");
}

/// A site whose plain page content/about.md renders with templates/page.html.
fn site_with_page_template() -> TestSite {
    TestSite::minimal()
        .file("content/about.md", "---\ntitle: About us\n---\nWho we are.\n")
        .file(
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n{% endblock content %}\n",
        )
}

#[test]
fn template_syntax_error_names_the_site_template() {
    let site = site_with_page_template();
    let before = good_build(&site);
    assert_eq!(site.html("about/index.html").text("h1"), "About us");
    // Line 2: `{% block content %}` (19 chars), `<h1>` (4), `{{ page.title `
    // (13): the lone `}` that should be `}}` is column 38.
    site.write(
        "templates/page.html",
        b"{% extends \"base.html\" %}\n{% block content %}<h1>{{ page.title }</h1>{% endblock content %}\n",
    );
    let run = broken_build(&site, &before);
    let (message, _) = diagnostic(&run, "templates/page.html:2:38");
    assert!(message.starts_with("template error"), "{message}");
    assert_summary(&run, 1);
}

#[test]
fn template_syntax_error_at_line_start() {
    let site = site_with_page_template();
    let before = good_build(&site);
    // Line 2 `{{ page.title }`: the `}` is column 15.
    site.write(
        "templates/page.html",
        b"{% extends \"base.html\" %}\n{{ page.title }\n",
    );
    let run = broken_build(&site, &before);
    diagnostic(&run, "templates/page.html:2:15");
}

#[test]
fn template_unknown_variable_names_template_and_line() {
    let site = site_with_page_template();
    let before = good_build(&site);
    // Line 3 `<h1>{{ page.nope }}</h1>`: `page.nope` starts at column 8.
    site.write(
        "templates/page.html",
        b"{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.nope }}</h1>\n{% endblock content %}\n",
    );
    let run = broken_build(&site, &before);
    let (message, help) = diagnostic(&run, "templates/page.html:3:8");
    assert!(message.contains("page.nope"), "{message}");
    // The help names the page being rendered and its source.
    assert!(
        help.contains("/about/") && help.contains("content/about.md"),
        "{help}"
    );
    assert_eq!(error_lines(&run).len(), 1, "{}", run.stderr);
}

#[test]
fn duplicate_slug_names_both_files() {
    let site = TestSite::minimal()
        .file("content/blog/first.md", "---\ntitle: First\n---\nOne.\n")
        .file("content/blog/second.md", "---\ntitle: Second\n---\nTwo.\n");
    let before = good_build(&site);
    assert!(site.exists("blog/first/index.html") && site.exists("blog/second/index.html"));
    // The `slug:` of the second file is line 3.
    site.write(
        "content/blog/second.md",
        b"---\ntitle: Second\nslug: first\n---\nTwo.\n",
    );
    let run = broken_build(&site, &before);
    let (message, _) = diagnostic(&run, "content/blog/second.md:3:1");
    assert!(
        message.contains("content/blog/first.md") && message.contains("content/blog/second.md"),
        "{message}"
    );
    assert!(message.contains("/blog/first/"), "{message}");
}

#[test]
fn escaping_slug_is_refused_and_nothing_is_written_outside() {
    let site = site_with_post();
    let before = good_build(&site);
    for slug in ["../../evil", "..\\..\\evil", "../evil", ".."] {
        site.write(
            "content/blog/a.md",
            format!("---\ntitle: A post\nslug: {slug}\n---\nBody.\n").as_bytes(),
        );
        let run = broken_build(&site, &before);
        // `slug:` is line 3.
        diagnostic(&run, "content/blog/a.md:3:1");
        for entry in walkdir::WalkDir::new(site.path()) {
            let entry = entry.unwrap();
            assert!(
                !entry.file_name().to_string_lossy().contains("evil"),
                "slug {slug:?} wrote {}",
                entry.path().display()
            );
        }
    }
}

#[test]
fn unknown_offer_is_reported_at_the_offer_line() {
    let site = TestSite::minimal().file("offers/spring.yaml", GOOD_OFFER);
    let before = good_build(&site);
    assert!(site.exists("offers/spring/index.html"));
    // `offer:` is line 3 of the home page.
    site.write(
        "content/_index.md",
        b"---\ntitle: Home\noffer: nope\n---\nWelcome.\n",
    );
    let run = broken_build(&site, &before);
    let (message, _) = diagnostic(&run, "content/_index.md:3:1");
    assert!(message.contains("`nope`"), "{message}");
}

#[test]
fn javascript_cta_url_is_refused_at_its_line() {
    let site = TestSite::minimal().file("offers/spring.yaml", GOOD_OFFER);
    let before = good_build(&site);
    // Line 4 `  url: javascript:alert(1)`: the value starts at column 8.
    site.write(
        "offers/spring.yaml",
        b"headline: Spring sale\ncta:\n  text: Go\n  url: javascript:alert(1)\n",
    );
    let run = broken_build(&site, &before);
    let (message, help) = diagnostic(&run, "offers/spring.yaml:4:8");
    assert!(message.contains("javascript:"), "{message}");
    assert!(help.contains("https://"), "{help}");
}

#[test]
fn several_errors_in_several_files_are_reported_in_one_run() {
    let site = TestSite::minimal()
        .file("content/blog/a.md", GOOD_POST)
        .file("content/blog/b.md", GOOD_POST)
        .file("content/c.md", "---\ntitle: C\n---\nC.\n")
        .file("offers/spring.yaml", GOOD_OFFER);
    let before = good_build(&site);
    site.write("content/blog/a.md", b"---\ntitel: A\n---\nA.\n");
    site.write(
        "content/blog/b.md",
        b"---\ntitle: B\ndate: 2025-02-30\n---\nB.\n",
    );
    site.write("content/c.md", b"---\ntitle: C\nC.\n");
    // `cta: { text: Go, url: "javascript:x" }`: the URL text starts at
    // column 24 (inside the quotes).
    site.write(
        "offers/spring.yaml",
        b"headline: Spring sale\ncta: { text: Go, url: \"javascript:x\" }\n",
    );
    let run = broken_build(&site, &before);
    let expected = [
        "content/blog/a.md:2:1",
        "content/blog/b.md:3:7",
        "content/c.md:1:1",
        "offers/spring.yaml:2:24",
    ];
    for loc in expected {
        diagnostic(&run, loc);
    }
    assert_eq!(error_lines(&run).len(), expected.len(), "{}", run.stderr);
    assert_summary(&run, expected.len());
}

#[test]

fn errors_found_by_different_stages_are_reported_in_one_run() {
    let site = site_with_page_template()
        .file("content/blog/a.md", GOOD_POST)
        .file("content/blog/b.md", GOOD_POST);
    let before = good_build(&site);
    site.write("content/blog/a.md", b"---\ntitel: A\n---\nA.\n");
    // b.md is valid YAML but names an offer that does not exist (line 3).
    site.write(
        "content/blog/b.md",
        b"---\ntitle: B\noffer: nope\n---\nB.\n",
    );
    // And the page template has a syntax error (line 2 column 15).
    site.write(
        "templates/page.html",
        b"{% extends \"base.html\" %}\n{{ page.title }\n",
    );
    let run = broken_build(&site, &before);
    let expected = [
        "content/blog/a.md:2:1",
        "content/blog/b.md:3:1",
        "templates/page.html:2:15",
    ];
    for loc in expected {
        diagnostic(&run, loc);
    }
    assert_eq!(error_lines(&run).len(), expected.len(), "{}", run.stderr);
    assert_summary(&run, expected.len());
}

#[test]
fn missing_site_yaml_says_how_to_create_one() {
    let site = TestSite::minimal();
    let before = good_build(&site);
    site.remove("site.yaml");
    let run = broken_build(&site, &before);
    run.assert_stderr_has("site.yaml")
        .assert_stderr_has("lander init")
        .assert_stderr_has("\n  help: ");
    assert_summary(&run, 1);
}

#[test]
fn bom_and_crlf_files_are_fine() {
    let site = TestSite::empty()
        .file(
            "site.yaml",
            "\u{feff}title: Crlf Shop\r\nbase_url: https://shop.test\r\n",
        )
        .file(
            "content/_index.md",
            "\u{feff}---\r\ntitle: Home\r\n---\r\nWelcome.\r\n",
        )
        .file(
            "content/blog/crlf.md",
            "\u{feff}---\r\ntitle: Crlf Post\r\ndate: 2025-03-14\r\ntags: [news]\r\n---\r\nBody text.\r\n",
        );
    let run = site.build(&[]);
    run.assert_ok();
    assert!(
        run.stderr.trim().is_empty(),
        "unexpected stderr:\n{}",
        run.stderr
    );
    let post = site.html("blog/crlf/index.html");
    assert_eq!(post.text("h1"), "Crlf Post");
    let title = post.text("title");
    assert!(
        title.contains("Crlf Post") && title.ends_with("Crlf Shop"),
        "{title:?}"
    );
    assert!(site.exists("tags/news/index.html"));
    for rel in ["index.html", "blog/crlf/index.html"] {
        let html = site.read(rel);
        assert!(!html.contains('\u{feff}'), "BOM in {rel}");
        assert!(!html.contains("Crlf Shop\r"), "CR in {rel}");
    }
}

#[test]
fn crlf_file_errors_keep_line_and_column() {
    let site = site_with_post();
    let before = good_build(&site);
    // Same as the LF case: line 3 column 7, the CR and the BOM do not count.
    site.write(
        "content/blog/a.md",
        b"\xef\xbb\xbf---\r\ntitle: A post\r\ndate: 2025-02-30\r\n---\r\nBody.\r\n",
    );
    let run = broken_build(&site, &before);
    diagnostic(&run, "content/blog/a.md:3:7");
}

#[test]
fn bad_base_url_flag_is_refused() {
    let site = TestSite::minimal();
    let before = good_build(&site);
    let run = broken_build_with(&site, &before, &["--base-url", "not-a-url"]);
    run.assert_stderr_has("--base-url")
        .assert_stderr_has("not-a-url")
        .assert_stderr_has("\n  help: ");
    assert_summary(&run, 1);
}

/// 10,000 nested list items or block quotes once overflowed the stack of
/// the minifier (SIGABRT, no message). The nesting is capped: the build
/// succeeds, warns with the file and line, and the HTML stays balanced.
#[test]
fn ten_thousand_nested_lists_and_quotes_build_with_a_warning() {
    let lists = "- ".repeat(10_000);
    let quotes = "> ".repeat(10_000);
    let site = TestSite::minimal()
        .file(
            "content/lists.md",
            &format!("---\ntitle: Lists\n---\nIntro.\n\n{lists}deep\n"),
        )
        .file(
            "content/quotes.md",
            &format!("---\ntitle: Quotes\n---\n{quotes}deep\n"),
        );
    let run = site.build(&[]);
    run.assert_ok();
    assert!(!run.stderr.contains("overflow"), "{}", run.stderr);
    for (file, line) in [("content/lists.md", 6), ("content/quotes.md", 4)] {
        assert!(
            run.stderr.contains(&format!("{file}:{line}:"))
                && run.stderr.contains("nested more than 32 levels"),
            "no warning naming {file}:{line}:\n{}",
            run.stderr
        );
    }
    let lists = site.read("lists/index.html");
    assert_eq!(
        lists.matches("<ul>").count(),
        lists.matches("</ul>").count()
    );
    assert!(lists.matches("<ul>").count() <= 40);
    let quotes = site.html("quotes/index.html");
    assert_eq!(quotes.all("blockquote").len(), 32);
    assert!(quotes
        .all("blockquote p")
        .iter()
        .any(|p| p.text().any(|t| t.contains("deep"))));
}
