//! `lander init`, `lander new` and the command line itself: the starter site
//! builds, new files land where the contract says and build into pages at
//! their URLs, nothing is overwritten by accident, and usage errors exit 2.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{lander, Page, TestSite};

/// The value of a top-level `key:` in a YAML text (front matter or offer),
/// without quotes.
#[track_caller]
fn yaml_value(text: &str, key: &str) -> String {
    let prefix = format!("{key}:");
    let line = text
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no `{key}:` in\n{text}"));
    unquote(&line[prefix.len()..])
}

/// The value of `key:` nested under the top-level `parent:`.
#[track_caller]
fn nested_value(text: &str, parent: &str, key: &str) -> String {
    let prefix = format!("{key}:");
    let line = text
        .lines()
        .skip_while(|l| !l.starts_with(&format!("{parent}:")))
        .skip(1)
        .take_while(|l| l.starts_with(' '))
        .map(str::trim_start)
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no `{parent}.{key}` in\n{text}"));
    unquote(&line[prefix.len()..])
}

fn unquote(value: &str) -> String {
    // Drop a trailing comment, then the quotes.
    let value = value.split(" #").next().unwrap_or_default().trim();
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(value)
        .to_string()
}

/// The only file with extension `ext` directly in `dir`.
#[track_caller]
fn only_file(dir: &Path, ext: &str) -> PathBuf {
    let files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext) && !p.ends_with("_index.md"))
        .collect();
    assert_eq!(
        files.len(),
        1,
        "expected one .{ext} in {}: {files:?}",
        dir.display()
    );
    files.into_iter().next().unwrap()
}

fn stem(p: &Path) -> String {
    p.file_stem().unwrap().to_string_lossy().into_owned()
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
}

/// The text of the only `h1` of a page.
#[track_caller]
fn h1(site: &TestSite, rel: &str) -> String {
    let page: Page = site.html(rel);
    page.text("h1")
}

/// `lander init` into the (empty) site folder.
fn init_site() -> TestSite {
    let site = TestSite::empty();
    let dir = site.path().to_string_lossy().into_owned();
    let run = lander(site.path(), &["init", &dir]);
    run.assert_ok();
    assert!(run.stdout.contains("Created"), "{}", run.stdout);
    site
}

#[test]
fn init_then_build_writes_every_starter_page() {
    let site = init_site();
    let root = site.path();
    assert!(root.join("site.yaml").is_file());
    let home_md = root.join("content/_index.md");
    let post_md = only_file(&root.join("content/blog"), "md");
    let product_md = only_file(&root.join("content/products"), "md");
    let offer_yaml = only_file(&root.join("offers"), "yaml");

    let run = site.build(&[]);
    run.assert_ok();
    assert!(run.stdout.starts_with("Built "), "{}", run.stdout);

    assert_eq!(
        h1(&site, "index.html"),
        yaml_value(&read(&home_md), "title")
    );
    let post = format!("blog/{}/index.html", stem(&post_md));
    assert_eq!(h1(&site, &post), yaml_value(&read(&post_md), "title"));
    let product = format!("products/{}/index.html", stem(&product_md));
    assert_eq!(h1(&site, &product), yaml_value(&read(&product_md), "title"));

    let offer = read(&offer_yaml);
    let id = stem(&offer_yaml);
    assert_eq!(
        h1(&site, &format!("offers/{id}/index.html")),
        yaml_value(&offer, "headline")
    );
    assert_eq!(
        h1(&site, &format!("offers/{id}/thanks/index.html")),
        nested_value(&offer, "thank_you", "title")
    );
    assert!(site.exists("404.html"));
    assert!(site.exists("blog/index.html") && site.exists("products/index.html"));
}

#[test]
fn init_into_a_new_relative_folder() {
    let tmp = TestSite::empty();
    lander(tmp.path(), &["init", "my-site"]).assert_ok();
    assert!(tmp.path().join("my-site/site.yaml").is_file());
    lander(tmp.path(), &["build", "--root", "my-site"]).assert_ok();
    assert!(tmp.path().join("my-site/public/index.html").is_file());
}

#[test]
fn init_refuses_a_non_empty_folder_unless_forced() {
    let site = TestSite::empty().file("keep.txt", "mine");
    let dir = site.path().to_string_lossy().into_owned();

    let run = lander(site.path(), &["init", &dir]);
    run.assert_fails()
        .assert_stderr_has("not empty")
        .assert_stderr_has("--force")
        .assert_stderr_has("\n  help: ");
    assert!(
        !site.path().join("site.yaml").exists(),
        "wrote files anyway"
    );
    assert!(!site.path().join("content").exists(), "wrote files anyway");

    lander(site.path(), &["init", &dir, "--force"]).assert_ok();
    assert!(site.path().join("site.yaml").is_file());
    assert_eq!(read(&site.path().join("keep.txt")), "mine");
    site.build(&[]).assert_ok();
    assert!(site.exists("index.html"));
}

#[test]
fn new_creates_each_kind_and_the_pages_build() {
    let site = init_site();
    let root = site.path();
    let dir = root.to_string_lossy().into_owned();
    let cases = [
        ("post", "spring-harvest", "content/blog/spring-harvest.md"),
        ("product", "olive-tin", "content/products/olive-tin.md"),
        ("page", "about-us", "content/about-us.md"),
        ("offer", "spring-sale", "offers/spring-sale.yaml"),
    ];
    for (kind, name, rel) in cases {
        let run = lander(root, &["new", kind, name, "--root", &dir]);
        run.assert_ok();
        assert!(
            root.join(rel).is_file(),
            "`lander new {kind} {name}` did not create {rel}"
        );
        assert!(run.stdout.contains(rel), "{}", run.stdout);
    }

    site.build(&[]).assert_ok();
    let title = |rel: &str| yaml_value(&read(&root.join(rel)), "title");
    assert_eq!(
        h1(&site, "blog/spring-harvest/index.html"),
        title("content/blog/spring-harvest.md")
    );
    assert_eq!(
        h1(&site, "products/olive-tin/index.html"),
        title("content/products/olive-tin.md")
    );
    assert_eq!(
        h1(&site, "about-us/index.html"),
        title("content/about-us.md")
    );
    let offer = read(&root.join("offers/spring-sale.yaml"));
    assert_eq!(
        h1(&site, "offers/spring-sale/index.html"),
        yaml_value(&offer, "headline")
    );
    assert_eq!(
        h1(&site, "offers/spring-sale/thanks/index.html"),
        nested_value(&offer, "thank_you", "title")
    );

    // The new post and product are listed on their index pages.
    let blog = site.html("blog/index.html");
    assert!(
        blog.attrs("a", "href")
            .iter()
            .any(|h| h.ends_with("/blog/spring-harvest/")),
        "the blog index does not link the new post"
    );
    let products = site.html("products/index.html");
    assert!(
        products
            .attrs("a", "href")
            .iter()
            .any(|h| h.ends_with("/products/olive-tin/")),
        "the products index does not link the new product"
    );
}

#[test]
fn new_defaults_to_the_current_folder() {
    let site = init_site();
    lander(site.path(), &["new", "page", "contact"]).assert_ok();
    assert!(site.path().join("content/contact.md").is_file());
    site.build(&[]).assert_ok();
    assert!(site.exists("contact/index.html"));
}

#[test]
fn new_refuses_to_overwrite_an_existing_file() {
    let site = init_site();
    let root = site.path();
    let dir = root.to_string_lossy().into_owned();
    lander(root, &["new", "post", "spring-harvest", "--root", &dir]).assert_ok();
    let rel = "content/blog/spring-harvest.md";
    let mine = "---\ntitle: My own words\n---\nDo not lose me.\n";
    fs::write(root.join(rel), mine).unwrap();

    let run = lander(root, &["new", "post", "spring-harvest", "--root", &dir]);
    run.assert_fails()
        .assert_stderr_has("already exists")
        .assert_stderr_has("\n  help: ");
    assert_eq!(read(&root.join(rel)), mine);

    // Same for an offer written by hand before `lander new`.
    fs::write(root.join("offers/spring-sale.yaml"), "headline: Mine\n").unwrap();
    let run = lander(root, &["new", "offer", "spring-sale", "--root", &dir]);
    run.assert_fails().assert_stderr_has("already exists");
    assert_eq!(
        read(&root.join("offers/spring-sale.yaml")),
        "headline: Mine\n"
    );
}

#[test]
fn new_refuses_to_overwrite_starter_files() {
    let site = init_site();
    let root = site.path();
    let dir = root.to_string_lossy().into_owned();
    let product_md = only_file(&root.join("content/products"), "md");
    let before = read(&product_md);
    let run = lander(
        root,
        &["new", "product", &stem(&product_md), "--root", &dir],
    );
    run.assert_fails().assert_stderr_has("already exists");
    assert_eq!(read(&product_md), before);
}

#[test]
fn new_outside_a_site_fails_and_writes_nothing() {
    let tmp = TestSite::empty();
    let dir = tmp.path().to_string_lossy().into_owned();
    let run = lander(tmp.path(), &["new", "post", "hello", "--root", &dir]);
    run.assert_fails()
        .assert_stderr_has("site.yaml")
        .assert_stderr_has("lander init");
    assert_eq!(
        fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "wrote files outside a site"
    );
}

#[test]
fn help_mentions_the_commands_and_flags() {
    let tmp = TestSite::empty();
    let run = lander(tmp.path(), &["--help"]);
    run.assert_ok();
    for word in ["init", "new", "build"] {
        assert!(
            run.stdout.contains(word),
            "`lander --help` lacks {word}:\n{}",
            run.stdout
        );
    }

    let run = lander(tmp.path(), &["build", "--help"]);
    run.assert_ok();
    for flag in ["--root", "--output", "--base-url", "--drafts"] {
        assert!(
            run.stdout.contains(flag),
            "`lander build --help` lacks {flag}:\n{}",
            run.stdout
        );
    }

    let run = lander(tmp.path(), &["init", "--help"]);
    run.assert_ok();
    assert!(run.stdout.contains("--force"), "{}", run.stdout);

    let run = lander(tmp.path(), &["new", "--help"]);
    run.assert_ok();
    for word in ["--root", "post", "product", "page", "offer"] {
        assert!(
            run.stdout.contains(word),
            "`lander new --help` lacks {word}:\n{}",
            run.stdout
        );
    }
    // Help writes nothing.
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
}

#[test]
fn wrong_usage_exits_2() {
    let site = TestSite::minimal();
    let cases: [&[&str]; 5] = [
        &["build", "--nope"],
        &["--nope"],
        &["new", "widget", "x"],
        &["new", "post"],
        &[],
    ];
    for args in cases {
        let run = lander(site.path(), args);
        assert_eq!(
            run.code,
            Some(2),
            "`lander {}` should exit 2\nstdout:\n{}\nstderr:\n{}",
            args.join(" "),
            run.stdout,
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
    let run = lander(site.path(), &["build", "--nope"]);
    run.assert_stderr_has("--nope");
    assert!(!site.exists("index.html"), "a usage error built the site");
}
