//! Requests: the site from memory (static files from disk), the events of
//! live reload, and form capture. Paths are decoded once and any `..`
//! (encoded or not) or backslash is refused: only files of the site exist.

use std::io::{Cursor, Read};
use std::sync::Arc;

use percent_encoding::percent_decode_str;
use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::capture::Submission;
use super::funnel::FUNNEL_PATH;
use super::reload::{self, EVENTS_PATH};
use super::site::FORMS_PATH;
use super::{Shared, Snapshot};

/// Largest form body accepted.
const MAX_BODY: u64 = 1 << 20;

/// What a request path names in the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An output file, relative to the output folder (`blog/a/index.html`),
    /// and the same + `/index.html` when it could be a folder.
    File(String, Option<String>),
    /// Outside the base path: send the browser there.
    Redirect(String),
    /// No such file, or a path that tries to leave the site.
    NotFound,
}

/// Maps a request path (with its query) to the file it names. Percent
/// escapes are decoded first, so `%2e%2e` is `..` and refused like it.
pub fn resolve(url: &str, base_path: &str) -> Target {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let Ok(decoded) = percent_decode_str(path).decode_utf8() else {
        return Target::NotFound;
    };
    if !decoded.starts_with('/')
        || decoded.contains('\\')
        || decoded.contains('\0')
        || decoded.split('/').any(|s| s == ".." || s == ".")
    {
        return Target::NotFound;
    }
    let inner = if base_path.is_empty() {
        &decoded[..]
    } else if let Some(rest) = decoded.strip_prefix(base_path) {
        if rest.is_empty() {
            return Target::Redirect(format!("{base_path}/"));
        }
        if !rest.starts_with('/') {
            return Target::NotFound;
        }
        rest
    } else if decoded == "/" {
        return Target::Redirect(format!("{base_path}/"));
    } else {
        return Target::NotFound;
    };
    let rel = &inner[1..];
    let segments: Vec<&str> = rel.split('/').collect();
    if segments[..segments.len() - 1].iter().any(|s| s.is_empty()) {
        return Target::NotFound;
    }
    if rel.is_empty() || rel.ends_with('/') {
        Target::File(format!("{rel}index.html"), None)
    } else {
        Target::File(rel.to_string(), Some(format!("{rel}/index.html")))
    }
}

/// The `Content-Type` of a file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml",
        "xsl" => "text/xsl",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

type Reply = Response<Box<dyn Read + Send>>;

fn reply(status: u16, kind: &str, body: Vec<u8>) -> Reply {
    let len = body.len();
    Response::new(
        StatusCode(status),
        vec![
            header("Content-Type", kind),
            header("Cache-Control", "no-store"),
        ],
        Box::new(Cursor::new(body)) as Box<dyn Read + Send>,
        Some(len),
        None,
    )
}

fn text(status: u16, body: &str) -> Reply {
    reply(
        status,
        "text/plain; charset=utf-8",
        body.as_bytes().to_vec(),
    )
}

fn redirect(status: u16, to: &str) -> Reply {
    let mut r = text(status, "");
    r.add_header(header("Location", to));
    r
}

/// Answers one request. Event streams are handed to a thread of their own.
pub fn handle(shared: &Arc<Shared>, mut request: Request) {
    let url = request.url().to_string();
    let path = url.split('?').next().unwrap_or_default().to_string();
    let method = request.method().clone();
    let site = shared.snapshot();

    if path == EVENTS_PATH {
        let events = shared.hub.subscribe();
        let error = shared.error_text();
        std::thread::spawn(move || {
            let head = Response::empty(200)
                .with_header(header("Content-Type", "text/event-stream"))
                .with_header(header("Cache-Control", "no-store"));
            let mut stream = request.upgrade("lander-events", head);
            reload::stream(&mut stream, events, error);
        });
        return;
    }
    if path == FORMS_PATH || path == format!("{}{FORMS_PATH}", site.base_path) {
        let response = if method == Method::Post {
            capture(shared, &site, &mut request)
        } else {
            text(405, "POST a form here")
        };
        let _ = request.respond(response);
        return;
    }
    if path == FUNNEL_PATH || path == format!("{}{FUNNEL_PATH}", site.base_path) {
        let page = shared.funnel.html();
        let error = shared.error_text();
        let body = reload::inject(page.as_bytes(), error.as_deref(), None);
        let _ = request.respond(reply(200, "text/html; charset=utf-8", body));
        return;
    }
    let response = match method {
        Method::Get | Method::Head => serve_file(shared, &site, &url),
        _ => text(405, "lander serve only answers GET and HEAD here"),
    };
    let _ = request.respond(response);
}

fn serve_file(shared: &Shared, site: &Snapshot, url: &str) -> Reply {
    match resolve(url, &site.base_path) {
        Target::Redirect(to) => redirect(302, &to),
        Target::NotFound => not_found(shared, site),
        Target::File(rel, folder) => {
            if let Some(r) = file(shared, site, &rel, 200) {
                return r;
            }
            if let Some(index) = folder {
                if site.has(&index) {
                    let to = url.split('?').next().unwrap_or_default();
                    return redirect(301, &format!("{to}/"));
                }
            }
            not_found(shared, site)
        }
    }
}

/// A file of the site (HTML with the live-reload snippet), or `None`.
fn file(shared: &Shared, site: &Snapshot, rel: &str, status: u16) -> Option<Reply> {
    let fresh = shared.fresh(rel);
    if let Some(bytes) = fresh.as_ref().or_else(|| site.files.get(rel)) {
        let kind = content_type(rel);
        let body = if kind.starts_with("text/html") {
            let error = shared.error_text();
            reload::inject(bytes, error.as_deref(), site.badges.get(rel))
        } else {
            bytes.to_vec()
        };
        return Some(reply(status, kind, body));
    }
    let from = site.statics.get(rel)?;
    let bytes = std::fs::read(from).ok()?;
    Some(reply(status, content_type(rel), bytes))
}

/// The site's 404 page; before any good build, a bare one (which still
/// shows the errors and reloads when they are fixed).
fn not_found(shared: &Shared, site: &Snapshot) -> Reply {
    file(shared, site, "404.html", 404).unwrap_or_else(|| {
        let page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head><body><h1>Not found</h1><p>lander serve has no page here.</p></body></html>";
        let error = shared.error_text();
        reply(
            404,
            "text/html; charset=utf-8",
            reload::inject(page.as_bytes(), error.as_deref(), None),
        )
    })
}

fn capture(shared: &Shared, site: &Snapshot, request: &mut Request) -> Reply {
    let Some(sink) = &shared.capture else {
        return text(404, "form capture is off (--no-capture-forms)");
    };
    let get = |name: &str| {
        request
            .headers()
            .iter()
            .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str().to_string())
    };
    let content_type = get("Content-Type").unwrap_or_default();
    let wants_json = get("Accept").is_some_and(|a| a.contains("application/json"));
    let referer = get("Referer");
    let mut body = Vec::new();
    if request
        .as_reader()
        .take(MAX_BODY + 1)
        .read_to_end(&mut body)
        .is_err()
        || body.len() as u64 > MAX_BODY
    {
        return text(413, "the form body is too large");
    }
    let submission = match Submission::parse(&content_type, &body) {
        Ok(s) => s,
        Err(e) => {
            shared.log(&format!("form: refused a submission: {e}"));
            return if wants_json {
                reply(
                    400,
                    "application/json",
                    serde_json::json!({"ok": false, "error": e})
                        .to_string()
                        .into_bytes(),
                )
            } else {
                text(400, &e)
            };
        }
    };
    let page = referer
        .as_deref()
        .and_then(|r| url::Url::parse(r).ok())
        .map(|u| u.path().to_string());
    let received = chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
    let record = submission.record(&received, page.as_deref());
    let stored = sink.append(&record);
    match &stored {
        Ok(()) => shared.log(&format!(
            "form: {}{} {} -> {}",
            submission.offer().unwrap_or("(no offer)"),
            if submission.is_spam() { " [spam]" } else { "" },
            submission.summary(),
            super::capture::CAPTURE_FILE
        )),
        Err(e) => shared.log(&format!(
            "form: could not write {}: {e}",
            sink.path().display()
        )),
    }
    if stored.is_err() {
        return text(500, "could not store the submission");
    }
    if wants_json {
        return reply(200, "application/json", b"{\"ok\":true}".to_vec());
    }
    let fallback = page.unwrap_or_else(|| format!("{}/", site.base_path));
    redirect(303, &submission.redirect(&site.base_path, &fallback))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(p: &str) -> Target {
        resolve(p, "")
    }

    #[test]
    fn pretty_urls_map_to_index_files() {
        assert_eq!(file("/"), Target::File("index.html".into(), None));
        assert_eq!(
            file("/blog/a/?x=1#top"),
            Target::File("blog/a/index.html".into(), None)
        );
        assert_eq!(
            file("/blog/a"),
            Target::File("blog/a".into(), Some("blog/a/index.html".into()))
        );
        assert_eq!(
            file("/assets/style.1a.css"),
            Target::File(
                "assets/style.1a.css".into(),
                Some("assets/style.1a.css/index.html".into())
            )
        );
        assert_eq!(
            file("/caf%C3%A9/"),
            Target::File("café/index.html".into(), None)
        );
    }

    #[test]
    fn traversal_is_refused_encoded_or_not() {
        for p in [
            "/../site.yaml",
            "/blog/../../etc/passwd",
            "/%2e%2e/site.yaml",
            "/%2E%2E%2Fsite.yaml",
            "/..%2fsite.yaml",
            "/blog/%2e%2e%5c%2e%2e%5csite.yaml",
            "/a\\..\\b",
            "/./index.html",
            "/%00",
            "/%ff",
            "//etc/passwd",
            "relative",
        ] {
            assert_eq!(file(p), Target::NotFound, "{p}");
        }
    }

    #[test]
    fn the_base_path_is_required() {
        assert_eq!(resolve("/", "/shop"), Target::Redirect("/shop/".into()));
        assert_eq!(resolve("/shop", "/shop"), Target::Redirect("/shop/".into()));
        assert_eq!(
            resolve("/shop/blog/", "/shop"),
            Target::File("blog/index.html".into(), None)
        );
        assert_eq!(resolve("/blog/", "/shop"), Target::NotFound);
        assert_eq!(resolve("/shopping/", "/shop"), Target::NotFound);
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("sitemap.xml"), "application/xml");
        assert_eq!(content_type("x.SVG"), "image/svg+xml");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
