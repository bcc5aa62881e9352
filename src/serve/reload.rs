//! Live reload, for `lander serve` only: the server-sent events at
//! [`EVENTS_PATH`], and the snippet (plus the error overlay and draft
//! badges) put into HTML responses as they are served. `lander build`
//! output never contains any of it.

use std::io::Write;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::Mutex;
use std::time::Duration;

use super::site::Badge;
use crate::error::Diagnostics;

pub const EVENTS_PATH: &str = "/__lander/events";

/// What connected browsers are told after a build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The site changed: reload the page.
    Reload,
    /// Only stylesheets changed: fetch them again, no reload.
    Css,
    /// The build failed: show the overlay (the text of the errors).
    Error(String),
    /// Not sent: checks that a listener is still there.
    Ping,
}

impl Event {
    /// The event in the text/event-stream format.
    pub fn to_sse(&self) -> String {
        let (name, data) = match self {
            Event::Reload => ("reload", String::new()),
            Event::Css => ("css", String::new()),
            Event::Error(text) => (
                "build-error",
                serde_json::to_string(text).unwrap_or_default(),
            ),
            Event::Ping => return ": ping\n\n".into(),
        };
        format!("event: {name}\ndata: {data}\n\n")
    }
}

/// The browsers listening for events.
#[derive(Default)]
pub struct Hub {
    clients: Mutex<Vec<Sender<Event>>>,
}

impl Hub {
    /// A new listener.
    pub fn subscribe(&self) -> Receiver<Event> {
        let (tx, rx) = channel();
        self.lock().push(tx);
        rx
    }

    /// Tells every listener; forgets the ones that went away.
    pub fn send(&self, event: &Event) {
        self.lock().retain(|c| c.send(event.clone()).is_ok());
    }

    pub fn count(&self) -> usize {
        let mut clients = self.lock();
        clients.retain(|c| c.send(Event::Ping).is_ok());
        clients.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Sender<Event>>> {
        self.clients.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Writes events to one browser (after the response head) until it goes
/// away. A comment every 15 s finds out when it has.
pub fn stream(out: &mut dyn Write, events: Receiver<Event>, current_error: Option<String>) {
    // `retry` makes a browser reconnect soon after a restart of the server.
    let mut first = String::from("retry: 500\n\n");
    if let Some(text) = current_error {
        first.push_str(&Event::Error(text).to_sse());
    }
    if out
        .write_all(first.as_bytes())
        .and_then(|_| out.flush())
        .is_err()
    {
        return;
    }
    loop {
        let text = match events.recv_timeout(Duration::from_secs(15)) {
            Ok(Event::Ping) => continue,
            Ok(event) => event.to_sse(),
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if out
            .write_all(text.as_bytes())
            .and_then(|_| out.flush())
            .is_err()
        {
            return;
        }
    }
}

/// The text of a failed build for the overlay: one `file:line:col: message`
/// per error, with its help.
pub fn error_text(errs: &Diagnostics) -> String {
    let mut out = String::new();
    for d in errs.errors() {
        if !out.is_empty() {
            out.push('\n');
        }
        match d.location() {
            Some(loc) => out.push_str(&format!("{loc}: {}", d.message)),
            None => out.push_str(&d.message),
        }
        if let Some(help) = &d.help {
            out.push_str(&format!("\n  help: {help}"));
        }
    }
    out
}

/// Escapes text for HTML content and attributes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

/// The overlay that shows a failed build over the last good page.
pub fn overlay(text: &str) -> String {
    format!(
        "<div id=\"lander-dev-overlay\" role=\"alert\" style=\"{OVERLAY_STYLE}\">\
         <p style=\"margin:0 0 .75rem;font:700 1rem system-ui,sans-serif;color:#ffb4b4\">\
         lander: the build failed; this is the last good version of the page</p>\
         <pre style=\"margin:0;white-space:pre-wrap;font:.9rem/1.5 ui-monospace,monospace\">{}</pre>\
         <p style=\"margin:.75rem 0 0;font:.85rem system-ui,sans-serif;color:#ccc\">\
         Fix the file and save: this goes away with the next good build.</p></div>",
        escape(text)
    )
}

const OVERLAY_STYLE: &str = "position:fixed;inset:0;z-index:2147483647;overflow:auto;\
    background:rgba(20,20,24,.94);color:#f4f4f4;padding:2rem;box-sizing:border-box";

const BADGE_STYLE: &str = "position:fixed;top:.5rem;right:.5rem;z-index:2147483646;\
    background:#b3261e;color:#fff;font:700 .8rem/1.2 system-ui,sans-serif;\
    padding:.35rem .6rem;border-radius:.25rem;text-transform:uppercase;letter-spacing:.04em";

fn badge(b: &Badge) -> String {
    let (text, title) = match b {
        Badge::Draft => (
            "draft".to_string(),
            "draft: true; lander build leaves it out unless --drafts".to_string(),
        ),
        Badge::Future(date) => (
            format!("draft: dated {date}"),
            "dated in the future; shown here so that it can be reviewed".to_string(),
        ),
    };
    format!(
        "<div id=\"lander-dev-badge\" title=\"{}\" style=\"{BADGE_STYLE}\">{}</div>",
        escape(&title),
        escape(&text)
    )
}

/// The script: listens for events; reloads, swaps stylesheets, or shows
/// and hides the overlay.
const SCRIPT: &str = r#"<script>(()=>{const O="lander-dev-overlay";
const show=t=>{let o=document.getElementById(O);if(!o){o=document.createElement("div");o.id=O;o.setAttribute("role","alert");o.style.cssText=%STYLE%;o.innerHTML='<p style="margin:0 0 .75rem;font:700 1rem system-ui,sans-serif;color:#ffb4b4">lander: the build failed; this is the last good version of the page</p><pre style="margin:0;white-space:pre-wrap;font:.9rem/1.5 ui-monospace,monospace"></pre>';document.body.appendChild(o);}o.querySelector("pre").textContent=t;};
let failed=!!document.getElementById(O);
const es=new EventSource("/__lander/events");
es.addEventListener("reload",()=>location.reload());
es.addEventListener("css",()=>{if(failed){location.reload();return;}document.querySelectorAll('link[rel~="stylesheet"]').forEach(l=>{const u=new URL(l.href);u.searchParams.set("lander-reload",Date.now());const n=l.cloneNode();n.href=u.href;n.onload=()=>l.remove();l.after(n);});});
es.addEventListener("build-error",e=>{failed=true;show(JSON.parse(e.data));});
})();</script>"#;

/// Puts the live-reload script (and the overlay of a failed build, and a
/// page's badge) before `</body>`, or at the end when there is none.
pub fn inject(html: &[u8], error: Option<&str>, badge_of: Option<&Badge>) -> Vec<u8> {
    let mut extra = String::new();
    if let Some(b) = badge_of {
        extra.push_str(&badge(b));
    }
    if let Some(text) = error {
        extra.push_str(&overlay(text));
    }
    extra.push_str(&SCRIPT.replace(
        "%STYLE%",
        &serde_json::to_string(OVERLAY_STYLE).unwrap_or_default(),
    ));
    let at = find_body_end(html).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + extra.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// Where the last `</body>` starts (any case).
fn find_body_end(html: &[u8]) -> Option<usize> {
    let needle = b"</body";
    (0..html.len().saturating_sub(needle.len() - 1))
        .rev()
        .find(|&i| html[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Diagnostic;

    #[test]
    fn the_snippet_goes_before_body_end() {
        let out = inject(b"<html><body><p>x</p></BODY></html>", None, None);
        let out = String::from_utf8(out).unwrap();
        let script = out.find("EventSource(\"/__lander/events\")").unwrap();
        assert!(script < out.find("</BODY>").unwrap());
        assert!(out.starts_with("<html><body><p>x</p>"));
        assert!(!out.contains("lander-dev-overlay\" role"));
    }

    #[test]
    fn pages_without_body_get_it_at_the_end() {
        let out = String::from_utf8(inject(b"<p>x</p>", None, None)).unwrap();
        assert!(out.starts_with("<p>x</p><script>"));
    }

    #[test]
    fn a_failed_build_shows_its_errors_escaped() {
        let errs = Diagnostics::from(
            Diagnostic::error("unknown key `<titel>`")
                .in_file("content/blog/a.md")
                .at(2, 1)
                .with_help("did you mean `title`?"),
        );
        let text = error_text(&errs);
        assert_eq!(
            text,
            "content/blog/a.md:2:1: unknown key `<titel>`\n  help: did you mean `title`?"
        );
        let out = String::from_utf8(inject(b"<body></body>", Some(&text), None)).unwrap();
        assert!(out.contains("content/blog/a.md:2:1: unknown key `&lt;titel&gt;`"));
        assert!(!out.contains("<titel>"));
    }

    #[test]
    fn drafts_get_a_badge() {
        let out = String::from_utf8(inject(b"<body></body>", None, Some(&Badge::Draft))).unwrap();
        assert!(out.contains(">draft</div>"));
    }

    #[test]
    fn events_are_server_sent_events() {
        assert_eq!(Event::Reload.to_sse(), "event: reload\ndata: \n\n");
        assert_eq!(
            Event::Error("a\nb".into()).to_sse(),
            "event: build-error\ndata: \"a\\nb\"\n\n"
        );
    }

    #[test]
    fn the_hub_forgets_listeners_that_left() {
        let hub = Hub::default();
        let a = hub.subscribe();
        let b = hub.subscribe();
        drop(b);
        hub.send(&Event::Reload);
        assert_eq!(a.try_recv().unwrap(), Event::Reload);
        assert_eq!(hub.count(), 1);
    }
}
