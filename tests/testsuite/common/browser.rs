//! Browser-test helpers: a loopback HTTP server that serves a built site and
//! records form submissions (the "sink"), and a headless Chromium launcher
//! with small helpers to drive a tab (navigate, evaluate JS, type, click).
//!
//! Everything stays on 127.0.0.1; nothing is fetched from the network.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::{Emulation, Input, DOM};
use headless_chrome::{Browser, LaunchOptions, Tab};
use tiny_http::{Header, Method, Response, Server};

/// How long helpers wait for something to happen in the page or the sink.
pub const WAIT: Duration = Duration::from_secs(5);
/// Upper bound for any single browser operation (navigation, element lookup).
/// Generous: on a 2-core machine that builds beside the tests, a page with
/// its photos has been seen to take more than 10 s to fire `load`.
pub const TAB_TIMEOUT: Duration = Duration::from_secs(30);

// ---------------------------------------------------------------------------
// The sink: static file server + form submission recorder
// ---------------------------------------------------------------------------

/// One POST received on /submit or /submit-json.
#[derive(Clone, Debug)]
pub struct Submission {
    pub method: String,
    pub path: String,
    /// The query string, without `?` ("" when none).
    pub query: String,
    /// Every request header, as (lower-case name, value).
    pub headers: Vec<(String, String)>,
    pub content_type: String,
    pub accept: String,
    pub body: String,
    /// Fields decoded from the body (url-encoded or a JSON object), in order.
    pub fields: Vec<(String, String)>,
}

impl Submission {
    /// Value of the first field called `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Value of field `name`, panicking with the whole submission if absent.
    #[track_caller]
    pub fn field(&self, name: &str) -> &str {
        self.get(name)
            .unwrap_or_else(|| panic!("submission has no field {name:?}: {self:#?}"))
    }

    /// The set of field names.
    pub fn names(&self) -> BTreeSet<String> {
        self.fields.iter().map(|(k, _)| k.clone()).collect()
    }

    /// The value of request header `name` (any case), "" when absent.
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map_or("", |(_, v)| v.as_str())
    }

    /// The body parsed as JSON, panicking with the submission if it is not.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("the body is not JSON ({e}): {self:#?}"))
    }

    /// Every value of field `name`, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// How many times a field name occurs (to catch duplicated inputs).
    pub fn count(&self, name: &str) -> usize {
        self.fields.iter().filter(|(k, _)| k == name).count()
    }
}

#[derive(Default)]
struct SinkState {
    submissions: Mutex<Vec<Submission>>,
    arrived: Condvar,
    /// Every request line seen ("GET /blog/x/ -> 200"), for failure messages.
    log: Mutex<Vec<String>>,
    /// Artificial delay before answering a submission, in milliseconds.
    delay_ms: AtomicU64,
    stop: AtomicBool,
}

/// A loopback HTTP server on 127.0.0.1:<random port> serving `root` as static
/// files and recording every POST to /submit and /submit-json.
///
/// Submissions are answered `200 {"ok":true}`; a submission carrying a
/// `_redirect` field whose Accept header does not include application/json
/// (a plain HTML form post) is answered `303 See Other` to that URL, the
/// way a generic form backend does.
pub struct Sink {
    pub port: u16,
    root: PathBuf,
    state: Arc<SinkState>,
    server: Arc<Server>,
    thread: Option<JoinHandle<()>>,
}

impl Sink {
    /// Starts serving `root` (which may not exist yet: files are read per request).
    pub fn start(root: &Path) -> Sink {
        let server = Arc::new(Server::http("127.0.0.1:0").expect("bind 127.0.0.1:0"));
        let port = server.server_addr().to_ip().expect("an IP listener").port();
        let state = Arc::new(SinkState::default());
        let thread = {
            let server = Arc::clone(&server);
            let state = Arc::clone(&state);
            let root = root.to_path_buf();
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    if state.stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let state = Arc::clone(&state);
                    let root = root.clone();
                    // One thread per request so a delayed submission does not
                    // hold up the page's other requests.
                    std::thread::spawn(move || handle(request, &root, &state));
                }
            })
        };
        Sink {
            port,
            root: root.to_path_buf(),
            state,
            server,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT` (no trailing slash): pass it to `--base-url`.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Absolute URL of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url())
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Delays every submission's answer (to keep a request in flight).
    pub fn set_response_delay(&self, delay: Duration) {
        self.state
            .delay_ms
            .store(delay.as_millis() as u64, Ordering::SeqCst);
    }

    /// The submissions received so far.
    pub fn submissions(&self) -> Vec<Submission> {
        self.state.submissions.lock().unwrap().clone()
    }

    /// The request log so far (one line per request).
    pub fn log(&self) -> Vec<String> {
        self.state.log.lock().unwrap().clone()
    }

    /// Waits up to `timeout` until at least `n` submissions have arrived and
    /// returns all of them (fewer than `n` on timeout: the caller asserts).
    pub fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Submission> {
        let deadline = Instant::now() + timeout;
        let mut subs = self.state.submissions.lock().unwrap();
        while subs.len() < n {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            subs = self
                .state
                .arrived
                .wait_timeout(subs, deadline - now)
                .unwrap()
                .0;
        }
        subs.clone()
    }

    /// Waits (bounded by [`WAIT`]) for `n` submissions, then `settle` more to
    /// catch extra ones, and asserts exactly `n` arrived.
    #[track_caller]
    pub fn expect(&self, n: usize, settle: Duration) -> Vec<Submission> {
        let got = self.wait_for(n, WAIT);
        assert!(
            got.len() >= n,
            "expected {n} submission(s) within {WAIT:?}, got {}: {got:#?}\nrequests:\n{}",
            got.len(),
            self.log().join("\n")
        );
        std::thread::sleep(settle);
        let got = self.submissions();
        assert_eq!(
            got.len(),
            n,
            "expected exactly {n} submission(s), got {}: {got:#?}",
            got.len()
        );
        got
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::SeqCst);
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn request_header(request: &tiny_http::Request, name: &str) -> String {
    request
        .headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str().to_string())
        .unwrap_or_default()
}

fn handle(mut request: tiny_http::Request, root: &Path, state: &SinkState) {
    let method = request.method().clone();
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("/").to_string();

    if method == Method::Post && (path == "/submit" || path == "/submit-json") {
        let content_type = request_header(&request, "Content-Type");
        let accept = request_header(&request, "Accept");
        let mut body = String::new();
        let _ = request.as_reader().read_to_string(&mut body);
        let fields = parse_fields(&content_type, &body);
        let headers = request
            .headers()
            .iter()
            .map(|h| {
                (
                    h.field.as_str().as_str().to_ascii_lowercase(),
                    h.value.as_str().to_string(),
                )
            })
            .collect();
        let sub = Submission {
            method: method.to_string(),
            path: path.clone(),
            query: url.split_once('?').map_or("", |(_, q)| q).to_string(),
            headers,
            content_type,
            accept,
            body,
            fields,
        };
        let redirect = sub
            .get("_redirect")
            .filter(|r| !r.is_empty() && !sub.accept.contains("application/json"))
            .map(str::to_string);

        let delay = state.delay_ms.load(Ordering::SeqCst);
        {
            // Shown with `cargo test --test forms_browser -- --nocapture`.
            eprintln!(
                "sink received: {} {} [{}] {:?}",
                sub.method, sub.path, sub.content_type, sub.fields
            );
            let mut subs = state.submissions.lock().unwrap();
            subs.push(sub);
            state.arrived.notify_all();
        }
        if delay > 0 {
            std::thread::sleep(Duration::from_millis(delay));
        }
        let response = match redirect {
            Some(to) => {
                state
                    .log
                    .lock()
                    .unwrap()
                    .push(format!("POST {url} -> 303 {to}"));
                Response::from_string("")
                    .with_status_code(303)
                    .with_header(header("Location", &to))
            }
            None => {
                state.log.lock().unwrap().push(format!("POST {url} -> 200"));
                Response::from_string(r#"{"ok":true}"#)
                    .with_header(header("Content-Type", "application/json"))
            }
        };
        let _ = request.respond(response);
        return;
    }

    if method != Method::Get && method != Method::Head {
        state
            .log
            .lock()
            .unwrap()
            .push(format!("{method} {url} -> 405"));
        let _ = request.respond(Response::from_string("method not allowed").with_status_code(405));
        return;
    }

    let rel = percent_decode(path.trim_start_matches('/'));
    if rel.split('/').any(|seg| seg == "..") {
        let _ = request.respond(Response::from_string("bad path").with_status_code(400));
        return;
    }
    let mut file = root.join(&rel);
    if file.is_dir() {
        if !path.ends_with('/') {
            state.log.lock().unwrap().push(format!("GET {url} -> 301"));
            let to = format!("{path}/");
            let _ = request.respond(
                Response::from_string("")
                    .with_status_code(301)
                    .with_header(header("Location", &to)),
            );
            return;
        }
        file = file.join("index.html");
    }
    let (status, file) = if file.is_file() {
        (200, file)
    } else {
        (404, root.join("404.html"))
    };
    state
        .log
        .lock()
        .unwrap()
        .push(format!("{method} {url} -> {status}"));
    let bytes = fs::read(&file).unwrap_or_else(|_| b"not found".to_vec());
    let response = Response::from_data(bytes)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type_of(&file)))
        .with_header(header("Cache-Control", "no-store"));
    let _ = request.respond(response);
}

/// Content-Type for a served file, by extension.
pub fn content_type_of(path: &Path) -> &'static str {
    match path.extension().and_then(OsStr::to_str).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Fields of a submission body: url-encoded pairs, or the members of a JSON
/// object (strings as is, null as "", arrays as one pair per element, other
/// values as JSON text). Other encodings yield no fields.
pub fn parse_fields(content_type: &str, body: &str) -> Vec<(String, String)> {
    let ct = content_type.to_ascii_lowercase();
    if ct.starts_with("application/json") || ct.starts_with("application/vnd.api+json") {
        let Ok(serde_json::Value::Object(map)) = serde_json::from_str(body) else {
            return Vec::new();
        };
        let text = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        };
        let mut out = Vec::new();
        for (k, v) in map {
            match &v {
                serde_json::Value::Array(items) => {
                    out.extend(items.iter().map(|i| (k.clone(), text(i))));
                }
                _ => out.push((k, text(&v))),
            }
        }
        out
    } else if ct.starts_with("application/x-www-form-urlencoded") || ct.is_empty() {
        parse_urlencoded(body)
    } else {
        Vec::new()
    }
}

pub fn parse_urlencoded(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (
                percent_decode(&k.replace('+', " ")),
                percent_decode(&v.replace('+', " ")),
            )
        })
        .collect()
}

pub fn percent_decode(s: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

// ---------------------------------------------------------------------------
// Chromium
// ---------------------------------------------------------------------------

/// Whether pages may run JavaScript.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Js {
    On,
    Off,
}

/// Finds a Chromium binary: /usr/bin/chromium, else `chromium` or
/// `chromium-browser` on PATH.
pub fn find_chromium() -> Option<PathBuf> {
    let fixed = PathBuf::from("/usr/bin/chromium");
    if fixed.is_file() {
        return Some(fixed);
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// A headless Chromium with a fresh profile, killed (and its profile
/// removed) on drop.
pub struct Chrome {
    pub browser: Browser,
    pub js: Js,
    // Declared after `browser` so the process is gone before the folder is removed.
    _profile: tempfile::TempDir,
}

/// The flags every test browser gets (headless_chrome adds its own
/// defaults, `--headless`, `--disable-gpu` and `--no-sandbox` too).
pub const CHROME_ARGS: [&str; 7] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
];

impl Chrome {
    /// Launches headless Chromium. Returns None (after a loud message) when
    /// no Chromium is installed, unless the CI variable is set: CI must run
    /// the browser tests, so there it panics.
    pub fn launch(js: Js) -> Option<Chrome> {
        let Some(path) = find_chromium() else {
            if std::env::var_os("CI").is_some() {
                panic!("chromium not found (looked for /usr/bin/chromium, chromium, chromium-browser on PATH) and CI is set: the browser tests must run in CI");
            }
            eprintln!(
                "\n\n=====================================================================\n\
                 SKIPPED: chromium not found (/usr/bin/chromium, chromium, chromium-browser on PATH);\n\
                 the forms browser tests did NOT run. Install chromium to run them.\n\
                 =====================================================================\n"
            );
            return None;
        };
        let profile = tempfile::Builder::new()
            .prefix("lander-chrome-profile")
            .tempdir()
            .expect("temp profile dir");
        let args: Vec<&OsStr> = CHROME_ARGS.iter().map(OsStr::new).collect();
        let options = LaunchOptions::default_builder()
            .path(Some(path.clone()))
            .headless(true)
            .sandbox(false)
            .window_size(Some((1280, 900)))
            .user_data_dir(Some(profile.path().to_path_buf()))
            .idle_browser_timeout(Duration::from_secs(60))
            .args(args)
            .build()
            .expect("launch options");
        let browser = Browser::new(options)
            .unwrap_or_else(|e| panic!("launching {} failed: {e:#}", path.display()));
        Some(Chrome {
            browser,
            js,
            _profile: profile,
        })
    }

    /// A new tab with a 10 s default timeout; scripts disabled when the
    /// browser was launched with [`Js::Off`].
    pub fn tab(&self) -> Arc<Tab> {
        let tab = self.browser.new_tab().expect("new tab");
        tab.set_default_timeout(TAB_TIMEOUT);
        if self.js == Js::Off {
            tab.call_method(Emulation::SetScriptExecutionDisabled { value: true })
                .expect("Emulation.setScriptExecutionDisabled");
        }
        tab
    }
}

// ---------------------------------------------------------------------------
// Tab helpers
// ---------------------------------------------------------------------------

/// Navigates and waits until the page has loaded (bounded by [`TAB_TIMEOUT`]).
#[track_caller]
pub fn goto(tab: &Tab, url: &str) {
    // headless_chrome can miss the end of a navigation on a busy run (seen
    // on /blog/ of site-example, a page that loads fine by hand): the page
    // has loaded when its document says so, and a navigation that never
    // ends is tried once more before the test fails.
    let base = url.split('#').next().unwrap_or(url);
    let loaded = format!(
        "document.readyState === 'complete' && location.href.startsWith({})",
        js_lit(base)
    );
    let mut last = String::new();
    for _ in 0..2 {
        tab.navigate_to(url)
            .unwrap_or_else(|e| panic!("navigate to {url}: {e:#}"));
        match tab.wait_until_navigated() {
            Ok(_) => return,
            Err(e) => last = format!("{e:#}"),
        }
        if wait_js(tab, &loaded, WAIT) {
            return;
        }
    }
    panic!("waiting for {url} to load: {last}");
}

/// The path part of the tab's current URL.
pub fn current_path(tab: &Tab) -> String {
    let url = tab.get_url();
    let after_scheme = url.split_once("://").map(|(_, r)| r).unwrap_or(&url);
    let path = after_scheme
        .find('/')
        .map(|i| &after_scheme[i..])
        .unwrap_or("/");
    path.split(['?', '#']).next().unwrap_or("/").to_string()
}

/// Evaluates a JS expression in the page and returns its value as JSON
/// (through JSON.stringify, so return plain data). Panics on a JS exception.
#[track_caller]
pub fn js(tab: &Tab, expr: &str) -> serde_json::Value {
    evaluate(tab, expr, false)
}

/// Like [`js`] but awaits the expression (a promise) first.
#[track_caller]
pub fn js_await(tab: &Tab, expr: &str) -> serde_json::Value {
    evaluate(tab, expr, true)
}

#[track_caller]
fn evaluate(tab: &Tab, expr: &str, asynchronous: bool) -> serde_json::Value {
    let (head, value) = if asynchronous {
        ("async ", format!("await ({expr})"))
    } else {
        ("", format!("({expr})"))
    };
    let wrapped = format!(
        "({head}() => {{ try {{ const v = {value}; return JSON.stringify({{ ok: v === undefined ? null : v }}); }} \
         catch (e) {{ return JSON.stringify({{ err: String(e && e.stack || e) }}); }} }})()"
    );
    let result = tab
        .evaluate(&wrapped, asynchronous)
        .unwrap_or_else(|e| panic!("evaluate {expr}: {e:#}"));
    let text = result
        .value
        .as_ref()
        .and_then(|v| v.as_str())
        .unwrap_or_else(|| panic!("evaluate {expr}: no string result: {result:?}"))
        .to_string();
    let mut value: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("evaluate {expr}: {e}: {text}"));
    if let Some(err) = value.get("err") {
        panic!("JS error in {expr}: {err}");
    }
    value["ok"].take()
}

/// [`js`] for an expression yielding a string ("" for null/undefined).
#[track_caller]
pub fn js_str(tab: &Tab, expr: &str) -> String {
    match js(tab, expr) {
        serde_json::Value::String(s) => s,
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Truthiness of a JS expression.
#[track_caller]
pub fn js_bool(tab: &Tab, expr: &str) -> bool {
    match js(tab, expr) {
        serde_json::Value::Bool(b) => b,
        serde_json::Value::Null => false,
        serde_json::Value::Number(n) => n.as_f64() != Some(0.0),
        serde_json::Value::String(s) => !s.is_empty(),
        _ => true,
    }
}

/// Polls a JS expression until it is truthy, up to `timeout`; returns
/// whether it became truthy.
pub fn wait_js(tab: &Tab, expr: &str, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if js_bool(tab, expr) {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Polls a Rust condition until true, up to `timeout`.
pub fn wait_until(timeout: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if cond() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A JS string literal for `s` (to splice selectors into expressions).
pub fn js_lit(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// JS expression: is the first element matching `css` rendered and visible?
pub fn visible_expr(css: &str) -> String {
    format!(
        "(() => {{ const e = document.querySelector({}); return !!e && e.checkVisibility(); }})()",
        js_lit(css)
    )
}

/// Midpoint of the element matching `css`, scrolled into view, using only
/// DevTools (no page JavaScript), so it works with scripts disabled.
#[track_caller]
pub fn point_of(tab: &Tab, css: &str) -> headless_chrome::browser::tab::point::Point {
    let el = tab
        .wait_for_element(css)
        .unwrap_or_else(|e| panic!("no element {css}: {e:#}"));
    let _ = tab.call_method(DOM::ScrollIntoViewIfNeeded {
        node_id: None,
        backend_node_id: Some(el.backend_node_id),
        object_id: None,
        rect: None,
    });
    el.get_midpoint()
        .unwrap_or_else(|e| panic!("{css} is not visible/clickable: {e:#}"))
}

/// Clicks the element matching `css` with real mouse events.
#[track_caller]
pub fn click(tab: &Tab, css: &str) {
    let p = point_of(tab, css);
    tab.click_point(p)
        .unwrap_or_else(|e| panic!("click {css}: {e:#}"));
}

/// Double-clicks the element matching `css` (two press/release pairs,
/// click counts 1 and 2, as a real double click sends).
#[track_caller]
pub fn double_click(tab: &Tab, css: &str) {
    let p = point_of(tab, css);
    tab.move_mouse_to_point(p).expect("move mouse");
    for count in [1, 2] {
        for kind in [
            Input::DispatchMouseEventTypeOption::MousePressed,
            Input::DispatchMouseEventTypeOption::MouseReleased,
        ] {
            tab.call_method(Input::DispatchMouseEvent {
                Type: kind,
                x: p.x,
                y: p.y,
                button: Some(Input::MouseButton::Left),
                click_count: Some(count),
                modifiers: None,
                timestamp: None,
                buttons: None,
                force: None,
                tangential_pressure: None,
                tilt_x: None,
                tilt_y: None,
                twist: None,
                delta_x: None,
                delta_y: None,
                pointer_Type: None,
            })
            .unwrap_or_else(|e| panic!("double click {css}: {e:#}"));
        }
    }
}

/// Clicks into the field matching `css` and enters `text` as one
/// `Input.insertText`, as Playwright's `fill` does: the page gets a real
/// `input` event. Typing key by key cost headless Chromium about 0.27 s a
/// character here (a down and an up event each), and no form reads keystrokes.
#[track_caller]
pub fn fill(tab: &Tab, css: &str, text: &str) {
    click(tab, css);
    tab.send_character(text)
        .unwrap_or_else(|e| panic!("type into {css}: {e:#}"));
}
