//! Hosting files: `static/` copies dotfiles and `.well-known/` (minus what
//! `hosting.exclude` leaves out), `_headers` caches fingerprinted assets for
//! good and carries a Content-Security-Policy made from what the site loads,
//! and a site can turn it off or add its own headers.

use crate::common;

use crate::common::TestSite;

/// `_headers` as rules: a path and its `Name: value` lines.
fn header_rules(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut rules: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        if line.starts_with(' ') {
            let (k, v) = line.trim().split_once(": ").expect("Name: value");
            rules.last_mut().unwrap().1.push((k.into(), v.into()));
        } else {
            rules.push((line.into(), Vec::new()));
        }
    }
    rules
}

fn header<'a>(
    rules: &'a [(String, Vec<(String, String)>)],
    path: &str,
    name: &str,
) -> Option<&'a str> {
    rules
        .iter()
        .filter(|(p, _)| p == path)
        .flat_map(|(_, h)| h.iter())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The sources of one directive of a policy.
fn directive<'a>(csp: &'a str, name: &str) -> Vec<&'a str> {
    csp.split(';')
        .map(str::trim)
        .find_map(|d| d.strip_prefix(&format!("{name} ")))
        .map(|s| s.split(' ').collect())
        .unwrap_or_default()
}

fn site() -> TestSite {
    TestSite::minimal()
        .file(
            "site.yaml",
            "title: Shop\nbase_url: https://shop.test\nforms:\n  endpoint: https://forms.example:8443/leads\n",
        )
        .file(
            "offers/news.yaml",
            "headline: News\nform:\n  endpoint: https://hooks.other.example/x\n",
        )
        .file(
            "content/about.md",
            "---\ntitle: About\n---\n![Grove](https://img.cdn.example/grove.jpg)\n\n<iframe src=\"https://www.youtube-nocookie.com/embed/abc\" title=\"Tour\"></iframe>\n\n{{ form(offer=\"news\") }}\n\n| a | b |\n|:-:|--:|\n| 1 | 2 |\n",
        )
}

#[test]
fn static_copies_dotfiles_and_well_known_but_not_junk_or_excluded() {
    let site = site()
        .file("static/.well-known/security.txt", "Contact: mailto:security@shop.test\n")
        .file("static/.nojekyll", "")
        .file("static/.DS_Store", "junk")
        .file("static/.git/config", "junk")
        .file("static/drafts/plan.txt", "secret")
        .file("static/images/logo.psd", "big")
        .file("static/images/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        .file(
            "site.yaml",
            "title: Shop\nbase_url: https://shop.test\nhosting:\n  exclude: [\"drafts/**\", \"**/*.psd\"]\n",
        );
    site.build(&[]).assert_ok();
    assert_eq!(
        site.read(".well-known/security.txt"),
        "Contact: mailto:security@shop.test\n"
    );
    assert!(site.exists(".nojekyll"));
    assert!(site.exists("images/logo.svg"));
    for gone in [
        ".DS_Store",
        ".git/config",
        "drafts/plan.txt",
        "images/logo.psd",
    ] {
        assert!(!site.exists(gone), "{gone} was copied");
    }
}

#[test]
fn a_bad_exclude_glob_is_an_error_on_its_line() {
    let site = TestSite::minimal().file(
        "site.yaml",
        "title: Shop\nhosting:\n  exclude:\n    - \"a/[b\"\n",
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("site.yaml:3:1: `a/[b` in hosting.exclude is not a glob");
}

#[test]
fn headers_cache_assets_for_good_and_allow_what_the_site_loads() {
    let site = site();
    let run = site.build(&[]);
    run.assert_ok();
    let rules = header_rules(&site.read("_headers"));
    assert_eq!(
        header(&rules, "/assets/*", "Cache-Control"),
        Some("public, max-age=31536000, immutable")
    );
    // Every asset the pages load is fingerprinted, under /assets/.
    let home = site.html("index.html");
    let loaded: Vec<String> = home
        .attrs("link[rel=stylesheet]", "href")
        .into_iter()
        .chain(home.attrs("script[src]", "src"))
        .collect();
    assert!(!loaded.is_empty());
    for url in &loaded {
        let name = url
            .strip_prefix("/assets/")
            .unwrap_or_else(|| panic!("{url}"));
        assert!(name.split('.').count() >= 3, "{url} has no fingerprint");
        assert!(site.exists(&format!("assets/{name}")));
    }
    let csp = header(&rules, "/*", "Content-Security-Policy").expect("a policy");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(directive(csp, "script-src"), ["'self'"]);
    assert_eq!(directive(csp, "style-src"), ["'self'"]);
    assert_eq!(directive(csp, "object-src"), ["'none'"]);
    assert_eq!(
        directive(csp, "form-action"),
        [
            "'self'",
            "https://forms.example:8443",
            "https://hooks.other.example"
        ]
    );
    assert_eq!(directive(csp, "connect-src"), directive(csp, "form-action"));
    assert_eq!(
        directive(csp, "img-src"),
        ["'self'", "https://img.cdn.example"]
    );
    assert_eq!(
        directive(csp, "frame-src"),
        ["'self'", "https://www.youtube-nocookie.com"]
    );
    assert_eq!(
        header(&rules, "/*", "X-Content-Type-Options"),
        Some("nosniff")
    );
    // The aligned table needs no inline style.
    let about = site.read("about/index.html");
    assert!(!about.contains("style="), "{about}");
    assert!(about.contains("align-center"), "{about}");
    assert!(
        !run.stderr.contains("Content-Security-Policy"),
        "{}",
        run.stderr
    );
}

#[test]
fn inline_code_in_markdown_gets_a_warning_not_a_looser_policy() {
    let site = site().file(
        "content/widget.md",
        "---\ntitle: Widget\n---\n<script>alert(1)</script>\n\n<p style=\"color: red\">Red</p>\n\n<script src=\"https://widgets.example/w.js\"></script>\n",
    );
    let run = site.build(&[]);
    run.assert_ok();
    run.assert_stderr_has("warning: content/widget.md: the page has an inline <script>, which the Content-Security-Policy of _headers blocks")
        .assert_stderr_has("warning: content/widget.md: the page has a style= attribute on <p>")
        .assert_stderr_has("warning: content/widget.md: the page loads a script from https://widgets.example");
    let rules = header_rules(&site.read("_headers"));
    let csp = header(&rules, "/*", "Content-Security-Policy").unwrap();
    assert_eq!(directive(csp, "script-src"), ["'self'"]);
    assert!(!csp.contains("unsafe-inline"));
}

#[test]
fn a_site_adds_sources_and_headers_or_turns_the_file_off() {
    let site = site().file(
        "site.yaml",
        "title: Shop\nbase_url: https://shop.test/store\nhosting:\n  csp:\n    script-src: [\"https://widgets.example\"]\n    object-src: [\"https://pdf.example\"]\n  headers:\n    - for: \"/*\"\n      values:\n        X-Frame-Options: DENY\n        Referrer-Policy: no-referrer\n    - for: \"/downloads/*\"\n      values: { Content-Disposition: attachment }\n",
    );
    site.build(&[]).assert_ok();
    let rules = header_rules(&site.read("_headers"));
    // The base path is in every rule.
    assert_eq!(
        header(&rules, "/store/assets/*", "Cache-Control"),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(header(&rules, "/store/*", "X-Frame-Options"), Some("DENY"));
    assert_eq!(
        header(&rules, "/store/*", "Referrer-Policy"),
        Some("no-referrer")
    );
    let referrers = rules
        .iter()
        .flat_map(|(_, h)| h)
        .filter(|(k, _)| k == "Referrer-Policy")
        .count();
    assert_eq!(referrers, 1, "the site's header replaces lander's");
    assert_eq!(
        header(&rules, "/store/downloads/*", "Content-Disposition"),
        Some("attachment")
    );
    let csp = header(&rules, "/store/*", "Content-Security-Policy").unwrap();
    assert_eq!(
        directive(csp, "script-src"),
        ["'self'", "https://widgets.example"]
    );
    assert_eq!(directive(csp, "object-src"), ["https://pdf.example"]);

    let off = site.file(
        "site.yaml",
        "title: Shop\nbase_url: https://shop.test\nhosting:\n  headers_file: false\n",
    );
    off.build(&[]).assert_ok();
    assert!(!off.exists("_headers"));
}

#[test]
fn a_static_headers_file_replaces_the_generated_one() {
    let site = site().file("static/_headers", "/*\n  X-Mine: yes\n");
    site.build(&[]).assert_ok();
    assert_eq!(site.read("_headers"), "/*\n  X-Mine: yes\n");
}

#[test]
fn unknown_hosting_settings_are_errors_with_a_suggestion() {
    let site = TestSite::minimal().file(
        "site.yaml",
        "title: Shop\nhosting:\n  csp:\n    img-scr: [\"https://a.example\"]\n",
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("site.yaml:4:1: unknown Content-Security-Policy directive `img-scr`")
        .assert_stderr_has("did you mean `img-src`?");
}

#[test]
fn check_reports_inline_code_of_markdown_and_templates_once() {
    let site = site()
        .file(
            "content/widget.md",
            "---\ntitle: Widget\n---\n<p style=\"color: red\">Red</p>\n",
        )
        .file(
            "templates/partials/footer.html",
            "<footer><p onclick=\"alert(1)\">Footer</p><script>console.log(1)</script></footer>\n",
        );
    let root = site.path().to_string_lossy().into_owned();
    let run = common::lander(site.path(), &["check", "--root", &root, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    let csp: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "csp-blocked")
        .collect();
    let messages: Vec<(String, String)> = csp
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap_or("-").to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        messages.contains(&(
            "content/widget.md".into(),
            "the page has a style= attribute on <p>, which the Content-Security-Policy of _headers blocks".into()
        )),
        "{messages:#?}"
    );
    for what in ["an inline <script>", "an onclick= handler on <p>"] {
        let from_footer: Vec<_> = csp
            .iter()
            .filter(|f| f["message"].as_str().unwrap().contains(what))
            .collect();
        assert_eq!(from_footer.len(), 1, "once for every page: {messages:#?}");
        assert!(
            from_footer[0]["help"]
                .as_str()
                .unwrap()
                .contains("it comes from a template"),
            "{:?}",
            from_footer[0]
        );
        assert_eq!(from_footer[0]["severity"], "warning");
    }
    assert_eq!(csp.len(), 3, "{messages:#?}");
    // Off with the rest of the hosting files' headers.
    let off = site.file(
        "site.yaml",
        "title: Shop\nbase_url: https://shop.test\nforms:\n  endpoint: https://forms.example:8443/leads\nhosting:\n  headers_file: false\n",
    );
    let run = common::lander(off.path(), &["check", "--root", &root, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let left = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "csp-blocked")
        .count();
    assert_eq!(left, 0);
}
