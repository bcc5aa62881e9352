//! `lander serve`: the real binary on a free port against a temp copy of a
//! site (edits show up, a broken file keeps the last good page and shows
//! the error, traversal is refused, live reload, form capture, Ctrl-C),
//! and the incremental dev build compared with full builds.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use crate::common::TestSite;
use lander::serve::site::{DevOptions, DevSite};
use lander::serve::watch::{Batch, ChangeKind};

/// Long enough for a debug build on a busy machine.
const WAIT: Duration = Duration::from_secs(30);

/// A running `lander serve`, killed when dropped (also when a test panics).
struct Serve {
    child: Child,
    /// `127.0.0.1:PORT`
    addr: String,
    lines: Receiver<String>,
}

impl Serve {
    fn start(site: &TestSite, extra: &[&str]) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lander"))
            .args(["serve", "--root"])
            .arg(site.path())
            .args(["--port", "0"])
            .args(extra)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start lander serve");
        let (tx, lines) = channel();
        let out = child.stdout.take().unwrap();
        let err = child.stderr.take().unwrap();
        let tx2 = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx2.send(line);
            }
        });
        let mut serve = Serve {
            child,
            addr: String::new(),
            lines,
        };
        let line = serve.wait_line(|l| l.contains("Serving at http://"));
        let url = line.split("http://").nth(1).unwrap();
        serve.addr = url.split('/').next().unwrap().to_string();
        serve
    }

    /// Waits for a line of output that `pred` accepts.
    #[track_caller]
    fn wait_line(&self, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) if pred(&line) => return line,
                Ok(line) => seen.push(line),
                Err(_) => break,
            }
        }
        panic!("no such line; output:\n{}", seen.join("\n"));
    }

    fn request(&self, raw: &str) -> Response {
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        s.set_read_timeout(Some(WAIT)).unwrap();
        s.write_all(raw.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        s.read_to_end(&mut bytes).unwrap();
        Response::parse(&bytes)
    }

    fn get(&self, path: &str) -> Response {
        self.request(&format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        ))
    }

    fn post(&self, path: &str, content_type: &str, accept: &str, body: &str) -> Response {
        self.request(&format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: {content_type}\r\nAccept: {accept}\r\nContent-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        ))
    }

    /// Polls `path` until its body satisfies `pred`.
    #[track_caller]
    fn wait_for(&self, path: &str, pred: impl Fn(&str) -> bool) -> Response {
        let deadline = Instant::now() + WAIT;
        loop {
            let r = self.get(path);
            if pred(&r.body) {
                return r;
            }
            assert!(
                Instant::now() < deadline,
                "{path} never matched; last body:\n{}",
                r.body
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    headers: String,
    body: String,
}

impl Response {
    fn parse(bytes: &[u8]) -> Response {
        let text = String::from_utf8_lossy(bytes);
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let chunked = head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked");
        Response {
            status,
            headers: head.to_string(),
            body: if chunked {
                dechunk(body)
            } else {
                body.to_string()
            },
        }
    }

    fn header(&self, name: &str) -> Option<String> {
        self.headers.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].trim_start_matches("\r\n");
    }
    out
}

fn site() -> TestSite {
    TestSite::copy_of("site-example")
}

fn edit(site: &TestSite, rel: &str, from: &str, to: &str) {
    let path = site.path().join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} lacks {from:?}");
    site.write(rel, text.replacen(from, to, 1).as_bytes());
}

#[test]
fn an_edit_is_served_with_the_live_reload_snippet() {
    let site = site();
    let serve = Serve::start(&site, &[]);
    let page = serve.get("/blog/how-to-taste-olive-oil/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("new EventSource(\"/__lander/events\")"));
    assert_eq!(
        page.header("Content-Type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    edit(
        &site,
        "content/blog/how-to-taste-olive-oil.md",
        "\n## ",
        "\nA sentence added while serving.\n\n## ",
    );
    serve.wait_for("/blog/how-to-taste-olive-oil/", |b| {
        b.contains("A sentence added while serving.")
    });
    // Drafts are served, with a badge.
    let draft = serve.get("/blog/pruning-season/");
    assert_eq!(draft.status, 200);
    assert!(draft.body.contains("id=\"lander-dev-badge\""));
    // The snippet is only in serve mode.
    site.build(&[]).assert_ok();
    assert!(!site.read("index.html").contains("__lander"));
}

#[test]
fn a_data_file_or_shortcode_template_saved_while_serving_shows_on_its_pages() {
    let site = site();
    let serve = Serve::start(&site, &[]);
    assert!(serve.get("/about/").body.contains("Jonas Weber"));
    edit(
        &site,
        "data/testimonials.yaml",
        "Jonas Weber",
        "Jonas Weber-Roth",
    );
    serve.wait_for("/about/", |b| b.contains("Jonas Weber-Roth"));
    edit(
        &site,
        "templates/shortcodes/testimonial.html",
        "<figure class=\"testimonial\">",
        "<figure class=\"testimonial quote\">",
    );
    serve.wait_for("/about/", |b| b.contains("class=\"testimonial quote\""));
}

#[test]
fn a_broken_file_keeps_the_last_good_page_and_shows_the_error() {
    let site = site();
    let serve = Serve::start(&site, &[]);
    let good = serve.get("/about/");
    assert_eq!(good.status, 200);
    let title = good
        .body
        .split("<title>")
        .nth(1)
        .unwrap()
        .split("</title>")
        .next()
        .unwrap();
    let original = std::fs::read_to_string(site.path().join("content/about.md")).unwrap();
    site.write(
        "content/about.md",
        original
            .replacen("---\n", "---\ntitel: typo\n", 1)
            .as_bytes(),
    );
    serve.wait_line(|l| l.contains("error: content/about.md:2:1"));
    let page = serve.wait_for("/about/", |b| b.contains("lander-dev-overlay\" role"));
    assert_eq!(page.status, 200);
    assert!(page
        .body
        .contains("content/about.md:2:1: unknown key `titel`"));
    assert!(
        page.body.contains(title),
        "the last good page is still served"
    );
    // Other pages show the overlay too, and the server is still up.
    assert!(serve.get("/").body.contains("lander-dev-overlay\" role"));
    site.write("content/about.md", original.as_bytes());
    serve.wait_for("/about/", |b| !b.contains("lander-dev-overlay\" role"));
}

#[test]
fn paths_outside_the_site_are_refused() {
    let site = site();
    let serve = Serve::start(&site, &[]);
    for path in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/%2E%2E%2Fsite.yaml",
        "/blog/..%2f..%2fsite.yaml",
        "/static/..%5c..%5csite.yaml",
        "/content/about.md",
        "/site.yaml",
        "/.lander/submissions.jsonl",
    ] {
        let r = serve.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("base_url"), "{path} leaked site.yaml");
    }
    assert_eq!(serve.get("/images/bottle.svg").status, 200);
    let r = serve.get("/blog");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("Location").as_deref(), Some("/blog/"));
}

#[test]
fn a_live_reload_client_gets_an_event_after_a_rebuild() {
    let site = site();
    let serve = Serve::start(&site, &[]);
    let mut stream = TcpStream::connect(&serve.addr).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        stream,
        "GET /__lander/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
        serve.addr
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    reader.read_line(&mut head).unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let mut seen = String::new();
    // Headers, then the `retry` line: the stream is open.
    while !seen.contains("retry:") {
        let mut line = String::new();
        assert!(reader.read_line(&mut line).unwrap() > 0, "closed: {seen}");
        seen.push_str(&line);
    }
    assert!(seen.to_ascii_lowercase().contains("text/event-stream"));
    edit(
        &site,
        "content/about.md",
        "\n\n",
        "\n\nLive reload test.\n\n",
    );
    let mut events = String::new();
    while !events.contains("event: reload") {
        let mut line = String::new();
        assert!(reader.read_line(&mut line).unwrap() > 0, "closed: {events}");
        events.push_str(&line);
    }
}

#[test]
fn a_form_post_lands_in_the_capture_file() {
    let site = site();
    let serve = Serve::start(&site, &[]);
    let home = serve.get("/offers/tasting-guide/");
    assert!(
        home.body
            .replace("&#x2F;", "/")
            .contains("action=\"/__lander/forms\""),
        "forms point at the dev server"
    );
    let r = serve.post(
        "/__lander/forms",
        "application/x-www-form-urlencoded",
        "text/html",
        "email=ada%40example.com&offer=tasting-guide&page=%2Foffers%2Ftasting-guide%2F&_honey=",
    );
    assert_eq!(r.status, 303);
    assert_eq!(
        r.header("Location").as_deref(),
        Some("/offers/tasting-guide/thanks/")
    );
    serve.wait_line(|l| l.contains("form: tasting-guide") && l.contains("ada@example.com"));
    let r = serve.post(
        "/__lander/forms",
        "application/json",
        "application/json",
        r#"{"email":"bo@example.com","offer":"flavour-quiz","taste":["green","peppery"]}"#,
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.body, "{\"ok\":true}");
    let text = std::fs::read_to_string(site.path().join(".lander/submissions.jsonl")).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["fields"]["email"], "ada@example.com");
    assert_eq!(lines[0]["offer"], "tasting-guide");
    assert_eq!(lines[1]["fields"]["taste"][1], "peppery");
    // The capture file does not trigger a rebuild, and is not served.
    assert_eq!(serve.get("/.lander/submissions.jsonl").status, 404);
}

#[test]
fn forms_keep_their_endpoints_without_capture() {
    let site = site();
    let serve = Serve::start(&site, &["--no-capture-forms"]);
    let page = serve.get("/offers/tasting-guide/");
    assert!(page
        .body
        .replace("&#x2F;", "/")
        .contains("action=\"https://app.kit.com/forms/7054321/subscriptions\""));
    let r = serve.post(
        "/__lander/forms",
        "application/json",
        "application/json",
        "{}",
    );
    assert_eq!(r.status, 404);
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let site = TestSite::minimal();
    let mut serve = Serve::start(&site, &[]);
    let status = Command::new("kill")
        .args(["-INT", &serve.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(code) = serve.child.try_wait().unwrap() {
            assert_eq!(code.code(), Some(0));
            break;
        }
        assert!(Instant::now() < deadline, "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_broken_site_at_start_still_serves_the_error() {
    let site = TestSite::minimal().file("content/blog/a.md", "---\ntitle: [x\n---\n");
    let serve = Serve::start(&site, &[]);
    let r = serve.get("/");
    assert_eq!(r.status, 404);
    assert!(r.body.contains("content/blog/a.md:2"), "{}", r.body);
    site.write("content/blog/a.md", b"---\ntitle: Fixed\n---\nBody.\n");
    serve.wait_for("/blog/a/", |b| b.contains("Fixed"));
}

// ---- The incremental dev build gives what a full build gives. ----

/// The served files of a dev site after its builds so far.
struct Served {
    dev: DevSite,
    files: HashMap<String, Vec<u8>>,
}

impl Served {
    fn open(root: &Path) -> Served {
        let mut s = Served {
            dev: DevSite::open(DevOptions {
                root: root.to_path_buf(),
                local_url: "http://127.0.0.1:1111".into(),
                capture_forms: true,
            }),
            files: HashMap::new(),
        };
        s.build();
        s
    }

    fn build(&mut self) -> usize {
        let update = self
            .dev
            .build(&|_| {})
            .unwrap_or_else(|e| panic!("build failed:\n{e}"));
        for p in &update.removed {
            self.files.remove(p);
        }
        for f in update.files {
            self.files.insert(f.path, f.bytes);
        }
        update.rendered
    }

    fn change(&mut self, changes: &[(&str, ChangeKind)]) -> usize {
        let mut batch = Batch::default();
        for (p, k) in changes {
            batch.add(p.into(), *k);
        }
        self.dev.apply(&batch);
        self.build()
    }
}

#[track_caller]
fn assert_same_as_full_build(served: &Served, root: &Path, step: &str) {
    let full = Served::open(root);
    let mut missing: Vec<&String> = full
        .files
        .keys()
        .filter(|k| !served.files.contains_key(*k))
        .collect();
    let mut extra: Vec<&String> = served
        .files
        .keys()
        .filter(|k| !full.files.contains_key(*k))
        .collect();
    let mut differ: Vec<&String> = full
        .files
        .iter()
        .filter(|(k, v)| served.files.get(*k).is_some_and(|s| s != *v))
        .map(|(k, _)| k)
        .collect();
    missing.sort();
    extra.sort();
    differ.sort();
    assert!(
        missing.is_empty() && extra.is_empty() && differ.is_empty(),
        "after {step}: missing {missing:?}, extra {extra:?}, different {differ:?}"
    );
}

#[test]
fn incremental_builds_equal_full_builds() {
    use ChangeKind::*;
    let site = site();
    let root = site.path();
    let mut served = Served::open(root);
    let all = served.dev.build(&|_| {}).unwrap().rendered;
    assert_eq!(all, 0, "nothing changed, nothing rendered");

    let post = "content/blog/how-to-taste-olive-oil.md";
    edit(&site, post, "\n## ", "\nOne more paragraph.\n\n## ");
    let n = served.change(&[(post, Page)]);
    assert_same_as_full_build(&served, root, "a post's body");
    assert!(n < 15, "a body edit re-rendered {n} pages");

    set_key(&site, post, "date", "2020-01-01");
    served.change(&[(post, Page)]);
    assert_same_as_full_build(&served, root, "a post's date (order of lists)");

    edit(&site, post, "title: \"", "title: \"Retitled: ");
    edit(&site, post, "tags: [", "tags: [brand-new-tag, ");
    served.change(&[(post, Page)]);
    assert_same_as_full_build(&served, root, "a post's title and tags");

    site.write(
        "content/blog/new-post.md",
        b"---\ntitle: A New Post\ndescription: \"Written while the server runs, to check that new files show up in every list.\"\ndate: 2026-05-01\ntags: [recipes]\n---\nHello.\n",
    );
    served.change(&[("content/blog/new-post.md", Page)]);
    assert_same_as_full_build(&served, root, "a new post");
    assert!(served.files.contains_key("blog/new-post/index.html"));

    // As in a build: a post dated in the future, or a page past its
    // expiry date, is not served.
    site.write(
        "content/blog/future-post.md",
        b"---\ntitle: Later\ndescription: \"A post dated in the future, which the dev server leaves out as builds do.\"\ndate: 2099-01-01\n---\nLater.\n",
    );
    site.write(
        "content/gone.md",
        b"---\ntitle: Gone\ndescription: \"A page past its expiry date, which the dev server leaves out as builds do.\"\nexpiry_date: 2020-01-01\n---\nGone.\n",
    );
    served.change(&[
        ("content/blog/future-post.md", Page),
        ("content/gone.md", Page),
    ]);
    assert_same_as_full_build(&served, root, "a future post and an expired page");
    assert!(!served.files.contains_key("blog/future-post/index.html"));
    assert!(!served.files.contains_key("gone/index.html"));
    site.remove("content/blog/future-post.md");
    site.remove("content/gone.md");
    served.change(&[
        ("content/blog/future-post.md", Page),
        ("content/gone.md", Page),
    ]);

    site.remove("content/blog/new-post.md");
    served.change(&[("content/blog/new-post.md", Page)]);
    assert_same_as_full_build(&served, root, "a removed post");

    let product = "content/products/tasting-set.md";
    edit(&site, product, "title: \"", "title: \"Renamed ");
    served.change(&[(product, Page)]);
    assert_same_as_full_build(&served, root, "a product (home, lists, related)");

    edit(
        &site,
        "content/blog/_index.md",
        "title: \"",
        "title: \"The ",
    );
    served.change(&[("content/blog/_index.md", Page)]);
    assert_same_as_full_build(&served, root, "the blog section (breadcrumbs)");

    edit(
        &site,
        "content/blog/pruning-season.md",
        "draft: true",
        "draft: false",
    );
    served.change(&[("content/blog/pruning-season.md", Page)]);
    assert_same_as_full_build(&served, root, "a draft published");

    let offer = "offers/tasting-guide.yaml";
    edit(&site, offer, "headline: \"", "headline: \"Now: ");
    let n = served.change(&[(offer, Offer)]);
    assert_same_as_full_build(&served, root, "an offer");
    assert!(
        n < all_pages(&served),
        "an offer edit re-rendered everything"
    );

    for offer in ["offers/welcome-popup.yaml", "offers/flash-sale.yaml"] {
        edit(&site, offer, "headline: \"", "headline: \"Edited ");
        served.change(&[(offer, Offer)]);
        assert_same_as_full_build(&served, root, offer);
    }

    let product = "content/products/early-harvest-500ml.md";
    set_key(&site, product, "price", "99.50");
    served.change(&[(product, Page)]);
    assert_same_as_full_build(&served, root, "a product's price");

    site.write(
        "templates/partials/footer.html",
        b"<footer><p>Custom footer</p></footer>\n",
    );
    served.change(&[("templates/partials/footer.html", Template)]);
    assert_same_as_full_build(&served, root, "a template");

    // A template starts to read a front matter key no page had, then one
    // post sets it: only what the post's pages receive tells what changed.
    site.write(
        "templates/partials/footer.html",
        b"<footer><p>Custom footer {{ page.extra.footer_note | default(value='') }}</p></footer>\n",
    );
    served.change(&[("templates/partials/footer.html", Template)]);
    assert_same_as_full_build(&served, root, "a template reading a new key");
    edit(
        &site,
        post,
        "title: \"",
        "extra:\n  footer_note: \"Noted here\"\ntitle: \"",
    );
    served.change(&[(post, Page)]);
    assert_same_as_full_build(&served, root, "a new front matter key a template reads");
    let post_page = served.files.iter().find(|(path, bytes)| {
        path.starts_with("blog/")
            && String::from_utf8_lossy(bytes).contains("Custom footer Noted here")
    });
    assert!(post_page.is_some(), "the post shows the new key");

    let shortcode = "templates/shortcodes/testimonial.html";
    edit(&site, shortcode, "<figcaption>", "<figcaption>— ");
    let n = served.change(&[(shortcode, Template)]);
    assert!(
        n > 0,
        "a site shortcode's template changed: its pages are rendered again"
    );
    assert_same_as_full_build(&served, root, "a site shortcode's template");
    assert!(
        String::from_utf8_lossy(&served.files["about/index.html"]).contains("<figcaption>— "),
        "the page calling the shortcode shows the new template"
    );

    let data = "data/testimonials.yaml";
    edit(&site, data, "Jonas Weber", "Jonas W.");
    served.change(&[(data, Data)]);
    assert_same_as_full_build(&served, root, "a data file");
    assert!(String::from_utf8_lossy(&served.files["about/index.html"]).contains("Jonas W."));

    edit(&site, "site.yaml", "title: \"", "title: \"Dev ");
    served.change(&[("site.yaml", Config)]);
    assert_same_as_full_build(&served, root, "site.yaml");

    // The about page's code block is highlighted, then plain.
    assert!(String::from_utf8_lossy(&served.files["about/index.html"]).contains("hl-g"));
    let config = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        format!("{config}\nmarkdown:\n  highlight: false\n").as_bytes(),
    );
    served.change(&[("site.yaml", Config)]);
    assert_same_as_full_build(&served, root, "highlighting turned off");
    assert!(!String::from_utf8_lossy(&served.files["about/index.html"]).contains("hl-g"));

    site.write(
        "static/images/extra.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>",
    );
    served.change(&[("static/images/extra.svg", Static)]);
    assert_same_as_full_build(&served, root, "a new static file");

    std::fs::rename(root.join("content/legal"), root.join("content/policies")).unwrap();
    served.change(&[("content/legal", Rescan), ("content/policies", Rescan)]);
    assert_same_as_full_build(&served, root, "a folder renamed");
}

/// Replaces the value of a front matter key.
fn set_key(site: &TestSite, rel: &str, key: &str, value: &str) {
    let text = std::fs::read_to_string(site.path().join(rel)).unwrap();
    let prefix = format!("{key}: ");
    assert!(
        text.lines().any(|l| l.starts_with(&prefix)),
        "{rel} has no {key}"
    );
    let text: String = text
        .lines()
        .map(|l| {
            if l.starts_with(&prefix) {
                format!("{prefix}{value}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    site.write(rel, text.as_bytes());
}

fn all_pages(served: &Served) -> usize {
    served.files.keys().filter(|k| k.ends_with(".html")).count()
}

#[test]
fn a_failed_incremental_build_recovers() {
    let site = site();
    let root = site.path();
    let mut served = Served::open(root);
    let post = "content/blog/how-to-taste-olive-oil.md";
    let good = std::fs::read_to_string(root.join(post)).unwrap();
    site.write(post, b"---\ntitle: [\n---\n");
    let mut batch = Batch::default();
    batch.add(post.into(), ChangeKind::Page);
    served.dev.apply(&batch);
    let err = served
        .dev
        .build(&|_| {})
        .err()
        .expect("a broken post fails");
    assert!(err.to_string().contains(post), "{err}");
    site.write(
        post,
        good.replacen("\n## ", "\nFixed.\n\n## ", 1).as_bytes(),
    );
    served.change(&[(post, ChangeKind::Page)]);
    assert_same_as_full_build(&served, root, "a fix after a failure");
}

#[test]
fn the_funnel_page_shows_the_map_and_the_gaps() {
    let site = site();
    let serve = Serve::start(&site, &[]);
    let page = serve.get("/__lander/funnel");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<svg"), "{}", page.body);
    assert!(page.body.contains(">purchase</text>"));
    // Drafts are in: the draft post has no call-to-action yet.
    assert!(
        page.body
            .contains("content/blog/pruning-season.md</code> <strong>no-cta"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("thanks-without-next"));
    // It follows the files: a thank-you page loses its next step.
    edit(
        &site,
        "offers/parting-gift.yaml",
        "  next: { text: \"Read the journal\", url: \"/blog/\" }\n",
        "",
    );
    let page = serve.get("/__lander/funnel");
    assert!(page.body.contains("thanks-without-next"), "{}", page.body);
}

#[test]
fn an_edited_page_is_handed_over_before_the_build_is_done() {
    let site = site();
    let mut served = Served::open(site.path());
    let post = "content/blog/how-to-taste-olive-oil.md";
    edit(&site, post, "\n## ", "\nA sentence typed just now.\n\n## ");
    let mut batch = Batch::default();
    batch.add(post.into(), ChangeKind::Page);
    served.dev.apply(&batch);
    let early = std::sync::Mutex::new(Vec::new());
    let update = served
        .dev
        .build(&|f| {
            early
                .lock()
                .unwrap()
                .push((f.path.clone(), f.bytes.clone()))
        })
        .unwrap();
    let early = early.into_inner().unwrap();
    // The post itself comes first-hand, with the new text; feeds and the
    // sitemap only come with the finished build.
    let (_, bytes) = early
        .iter()
        .find(|(p, _)| p == "blog/how-to-taste-olive-oil/index.html")
        .expect("the edited post is handed over early");
    assert!(String::from_utf8_lossy(bytes).contains("A sentence typed just now."));
    assert!(early.iter().all(|(p, _)| p.ends_with(".html")), "{early:?}");
    assert!(update.files.iter().any(|f| f.path == "sitemap.xml"));
}
