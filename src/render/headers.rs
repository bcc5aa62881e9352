//! `_headers` (Netlify and Cloudflare Pages): long immutable caching for
//! the fingerprinted assets, a few security headers, and a
//! Content-Security-Policy that the site as built satisfies.
//!
//! The policy is made from what the pages load, not loosened with
//! `'unsafe-inline'`: the theme's only script and stylesheet are files under
//! `/assets/`, and its only inline `<script>` is JSON-LD, a data block that
//! CSP does not govern. Form endpoints go into `form-action` (plain posts)
//! and `connect-src` (the script's fetch); external images, media and
//! frames written in the Markdown add their origins. Inline code written
//! in the Markdown (a `<script>`, a `style=` or `on…=` attribute) would be
//! blocked: it gets a warning naming the page. A site adds sources with
//! `hosting.csp` and headers of its own with `hosting.headers`.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use super::forms::{form_view, FormContext};
use super::views::Views;
use super::OutputFile;
use crate::error::{Code, Diagnostic, Diagnostics};

/// How browsers may keep a fingerprinted asset: a year, never revalidated.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Headers for the paths matching `path` (a URL path, `*` matching anything).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderRule {
    pub path: String,
    pub headers: Vec<(String, String)>,
}

/// The header rules of the site: lander's, then the site's own merged in
/// (a header the site names replaces lander's for the same path).
pub fn rules(views: &Views, warnings: &mut Diagnostics) -> Vec<HeaderRule> {
    let urls = views.urls;
    let bp = urls.base_path;
    let mut rules = vec![
        HeaderRule {
            path: format!("{bp}/*"),
            headers: vec![
                ("Content-Security-Policy".into(), csp(views, warnings)),
                ("X-Content-Type-Options".into(), "nosniff".into()),
                (
                    "Referrer-Policy".into(),
                    "strict-origin-when-cross-origin".into(),
                ),
            ],
        },
        HeaderRule {
            path: format!("{bp}/assets/*"),
            headers: vec![("Cache-Control".into(), IMMUTABLE.into())],
        },
    ];
    // Resized images carry a hash of their source in their names.
    if !views.site.pictures.by_path.is_empty() {
        rules.push(HeaderRule {
            path: format!("{bp}/_img/*"),
            headers: vec![("Cache-Control".into(), IMMUTABLE.into())],
        });
    }
    for own in &views.site.config.hosting.headers {
        let path = format!("{bp}{}", own.path);
        let at = match rules.iter().position(|r| r.path == path) {
            Some(i) => i,
            None => {
                rules.push(HeaderRule {
                    path,
                    headers: Vec::new(),
                });
                rules.len() - 1
            }
        };
        let headers = &mut rules[at].headers;
        for (name, value) in &own.values {
            headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
            headers.push((name.clone(), value.clone()));
        }
    }
    rules
}

/// `_headers` in the syntax Netlify and Cloudflare Pages share.
pub fn headers_file(rules: &[HeaderRule]) -> OutputFile {
    let mut text = String::from(
        "# HTTP headers for Netlify and Cloudflare Pages, written by lander.\n\
         # Set hosting.headers in site.yaml to add your own.\n",
    );
    for rule in rules {
        text.push_str(&rule.path);
        text.push('\n');
        for (name, value) in &rule.headers {
            text.push_str(&format!("  {name}: {value}\n"));
        }
    }
    OutputFile {
        path: "_headers".into(),
        bytes: text.into_bytes(),
        source: None,
    }
}

/// What to do about inline code the policy blocks.
pub const MOVE_IT: &str =
    "move scripts to a .js file and styles to a .css file of static/ and load them with src= or href=";

/// The message for inline code the policy blocks: `what` is "an inline `<script>`"…
pub fn blocked(what: &str) -> String {
    format!("the page has {what}, which the Content-Security-Policy of _headers blocks")
}

/// The inline code of an HTML page or fragment, described, once each.
pub fn inline_code(html: &str) -> BTreeSet<String> {
    scan(html).inline.into_iter().collect()
}

/// The sources of each directive, in the order they are written.
#[derive(Debug, Default)]
struct Policy(BTreeMap<&'static str, BTreeSet<String>>);

impl Policy {
    fn add(&mut self, directive: &'static str, source: impl Into<String>) {
        self.0.entry(directive).or_default().insert(source.into());
    }
}

/// The order directives are written in: the order site.yaml may name them in.
const ORDER: [&str; 14] = crate::config::hosting::CSP_DIRECTIVES;

/// The Content-Security-Policy of the site.
pub fn csp(views: &Views, warnings: &mut Diagnostics) -> String {
    let site = views.site;
    let mut p = Policy::default();
    for d in [
        "default-src",
        "script-src",
        "style-src",
        "img-src",
        "font-src",
        "connect-src",
        "form-action",
        "frame-ancestors",
    ] {
        p.add(d, "'self'");
    }
    p.add("object-src", "'none'");
    for (directive, source) in analytics_sources(&site.config.analytics) {
        p.add(directive, source);
    }
    for origin in form_origins(views) {
        p.add("connect-src", origin.clone());
        p.add("form-action", origin);
    }
    for (directive, source) in captcha_sources(site) {
        // Frames of the site itself stay allowed, as without `frame-src`.
        p.add(directive, "'self'");
        p.add(directive, source);
    }
    let scanned: Vec<Scanned> = views.markdown.par_iter().map(|md| scan(&md.html)).collect();
    for (page, found) in site.pages.iter().zip(scanned) {
        for image in page.meta.image.iter().chain(&page.meta.images) {
            if let Some(o) = origin(image) {
                p.add("img-src", o);
            }
        }
        for (directive, o) in found.sources {
            if directive == "script-src" {
                warnings.push(
                    Diagnostic::warning(format!(
                        "the page loads a script from {o}, which the Content-Security-Policy of _headers blocks"
                    ))
                    .in_file(&page.source)
                    .with_code(Code::CspBlocked)
                    .with_help(format!(
                        "if you trust it, allow it in site.yaml: hosting: {{ csp: {{ script-src: [\"{o}\"] }} }}"
                    )),
                );
                continue;
            }
            if directive == "media-src" || directive == "frame-src" {
                p.add(directive, "'self'");
            }
            p.add(directive, o);
        }
        let inline: BTreeSet<String> = found.inline.into_iter().collect();
        for what in inline {
            warnings.push(
                Diagnostic::warning(blocked(&what))
                    .in_file(&page.source)
                    .with_code(Code::CspBlocked)
                    .with_help(MOVE_IT),
            );
        }
    }
    for o in &site.offers {
        if let Some(o) = o.def.image.as_deref().and_then(origin) {
            p.add("img-src", o);
        }
    }
    for (directive, sources) in &site.config.hosting.csp {
        let Some(&d) = ORDER.iter().find(|d| **d == directive.as_str()) else {
            continue;
        };
        if d == "object-src" {
            // `'none'` stands alone.
            p.0.remove(d);
        } else {
            p.add(d, "'self'");
        }
        for s in sources {
            p.add(d, s.clone());
        }
    }
    ORDER
        .iter()
        .filter_map(|d| {
            let sources = p.0.get(d)?;
            // `'self'` first, then the origins in order.
            let mut list: Vec<&str> = sources.iter().map(String::as_str).collect();
            list.sort_by_key(|s| (!s.starts_with('\''), *s));
            Some(format!("{d} {}", list.join(" ")))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// What the analytics tags of site.yaml load and send to, as their vendors
/// document it for a Content-Security-Policy (Google's "Use Content
/// Security Policy with Google tag", Meta's pixel guide). They need no
/// inline script: consent.js, a file, injects them.
fn analytics_sources(a: &crate::config::AnalyticsConfig) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let mut add = |d: &'static str, s: &str| out.push((d, s.to_string()));
    if a.ga4.is_some() || a.gtm.is_some() {
        add("script-src", "https://*.googletagmanager.com");
        for d in ["img-src", "connect-src"] {
            add(d, "https://*.google-analytics.com");
            add(d, "https://*.googletagmanager.com");
        }
        add("connect-src", "https://*.analytics.google.com");
    }
    if let Some(o) = a.plausible.as_ref().and_then(|p| origin(&p.src)) {
        add("script-src", &o);
        add("connect-src", &o);
    }
    if a.meta_pixel.is_some() {
        add("script-src", "https://connect.facebook.net");
        add("img-src", "https://www.facebook.com");
        add("connect-src", "https://www.facebook.com");
    }
    out
}

/// What the captcha widgets of the site's forms load (site-wide or per offer).
fn captcha_sources(site: &crate::content::Site) -> Vec<(&'static str, &'static str)> {
    let captchas = site
        .offers
        .iter()
        .filter_map(|o| o.def.form.captcha.as_ref())
        .chain(site.config.forms.captcha.as_ref());
    let mut out: Vec<_> = captchas
        .flat_map(|c| c.provider.csp().iter().copied())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The origins of every absolute form action of the site, in every
/// language (`--form-endpoint` included: it replaces the others).
fn form_origins(views: &Views) -> BTreeSet<String> {
    let site = views.site;
    let mut out = BTreeSet::new();
    for offer in &site.offers {
        for loc in views.locales {
            let form = form_view(
                offer,
                &FormContext {
                    config: &site.config,
                    urls: views.urls,
                    page_path: "/",
                    loc,
                    instance: "page",
                    site,
                    card: &|_| serde_json::Value::Null,
                },
            );
            if let Some(o) = origin(&form.action) {
                out.insert(o);
            }
        }
    }
    for url in [
        site.config.forms.endpoint.as_ref(),
        site.config.forms.endpoint_override.as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        if let Some(o) = origin(&url.0) {
            out.insert(o);
        }
    }
    out
}

/// `https://forms.example:8443` of an absolute http(s) URL (or `//host/…`).
fn origin(url: &str) -> Option<String> {
    let absolute = if url.starts_with("//") {
        format!("https:{url}")
    } else {
        url.to_string()
    };
    let parsed = url::Url::parse(&absolute).ok()?;
    matches!(parsed.scheme(), "http" | "https").then(|| parsed.origin().ascii_serialization())
}

/// What a fragment of HTML loads from other origins, and its inline code.
#[derive(Debug, Default, PartialEq)]
struct Scanned {
    /// (directive, origin)
    sources: Vec<(&'static str, String)>,
    /// Inline code, described: "an inline <script>".
    inline: Vec<String>,
}

/// A quick scan of Markdown output (raw HTML written by authors included):
/// only the tags that can load something or hold code are parsed.
fn scan(html: &str) -> Scanned {
    let mut out = Scanned::default();
    let mut starts: Vec<usize> = Vec::new();
    for needle in [
        "<script", "<style", " style=", " src=", " srcset=", " poster=",
    ] {
        starts.extend(
            html.match_indices(needle)
                .filter_map(|(at, _)| tag_start(html, at)),
        );
    }
    for (at, _) in html.match_indices(" on") {
        let name_end = html[at + 3..]
            .find(|c: char| !c.is_ascii_alphabetic())
            .map_or(html.len(), |e| at + 3 + e);
        if name_end > at + 3 && html[name_end..].starts_with('=') {
            starts.extend(tag_start(html, at));
        }
    }
    starts.sort_unstable();
    starts.dedup();
    for start in starts {
        let tag_text = &html[start + 1..];
        let end = tag_text.find('>').unwrap_or(tag_text.len());
        scan_tag(&tag_text[..end], &mut out);
    }
    out
}

/// The `<` of the tag that holds byte `at`, if `at` is inside a tag.
fn tag_start(html: &str, at: usize) -> Option<usize> {
    if html[at..].starts_with('<') {
        return Some(at);
    }
    let lt = html[..at].rfind('<')?;
    (!html[lt..at].contains('>')).then_some(lt)
}

/// What one tag (its text between `<` and `>`) loads or runs.
fn scan_tag(tag: &str, out: &mut Scanned) {
    let name: String = tag
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if name.is_empty() {
        return;
    }
    let attrs = attributes(tag);
    let get = |n: &str| attrs.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
    if name == "script" {
        let kind = get("type").unwrap_or("").to_ascii_lowercase();
        let data = kind.contains("json") || kind == "text/plain" || kind == "text/template";
        match get("src") {
            Some(src) => {
                if let Some(o) = origin(src) {
                    out.sources.push(("script-src", o));
                }
            }
            None if !data => out.inline.push("an inline <script>".into()),
            None => {}
        }
    }
    if name == "style" {
        out.inline.push("an inline <style> element".into());
    }
    for (k, _) in &attrs {
        if k == "style" {
            out.inline.push(format!("a style= attribute on <{name}>"));
        } else if k.len() > 2 && k.starts_with("on") {
            out.inline.push(format!("an {k}= handler on <{name}>"));
        }
    }
    let directives: &[&'static str] = match name.as_str() {
        "img" => &["img-src"],
        "source" => &["img-src", "media-src"],
        "video" | "audio" | "track" => &["media-src"],
        "iframe" | "frame" | "embed" => &["frame-src"],
        _ => &[],
    };
    for (k, v) in &attrs {
        let urls: Vec<&str> = match k.as_str() {
            "src" => vec![v.as_str()],
            "srcset" => v
                .split(',')
                .filter_map(|c| c.split_whitespace().next())
                .collect(),
            "poster" => {
                if let Some(o) = origin(v) {
                    out.sources.push(("img-src", o));
                }
                continue;
            }
            _ => continue,
        };
        for u in urls {
            if let Some(o) = origin(u) {
                for d in directives {
                    out.sources.push((d, o.clone()));
                }
            }
        }
    }
}

/// The attributes of a tag's text (`img src="a" alt=b`), names lowercased.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let bytes = tag.as_bytes();
    let mut i = tag
        .find(|c: char| c.is_whitespace() || c == '/')
        .unwrap_or(tag.len());
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let name_start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !b"=/>".contains(&bytes[i]) {
            i += 1;
        }
        let name = tag[name_start..i].to_ascii_lowercase();
        if name.is_empty() {
            i += 1;
            continue;
        }
        let mut value = String::new();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = tag[i + 1..]
                        .find(q as char)
                        .map_or(tag.len(), |e| i + 1 + e);
                    value = tag[i + 1..end].to_string();
                    i = end + 1;
                }
                _ => {
                    let end = tag[i..]
                        .find(char::is_whitespace)
                        .map_or(tag.len(), |e| i + e);
                    value = tag[i..end].to_string();
                    i = end;
                }
            }
        }
        out.push((name, value));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_finds_external_origins_and_inline_code() {
        let s = scan(
            r#"<p><img src="https://img.example/a.png" alt="a"> <img src="/local.png" alt=""></p>
<iframe src="https://www.youtube-nocookie.com/embed/x" title="v"></iframe>
<video poster="https://cdn.example/p.jpg"><source src="https://media.example/v.mp4"></video>
<img srcset="https://a.example/1.png 1x, https://b.example/2.png 2x" alt="">
<script type="application/ld+json">{}</script>
<script>alert(1)</script><p style="color:red" onclick='x()'>hi</p>
<script src="https://widgets.example/w.js"></script>"#,
        );
        let has = |d: &str, o: &str| s.sources.iter().any(|(dd, oo)| *dd == d && oo == o);
        assert!(has("img-src", "https://img.example"));
        assert!(has("frame-src", "https://www.youtube-nocookie.com"));
        assert!(has("img-src", "https://cdn.example"));
        assert!(has("media-src", "https://media.example"));
        assert!(has("img-src", "https://a.example") && has("img-src", "https://b.example"));
        assert!(has("script-src", "https://widgets.example"));
        assert!(!s.sources.iter().any(|(_, o)| o.contains("local")));
        assert_eq!(
            s.inline,
            [
                "an inline <script>",
                "a style= attribute on <p>",
                "an onclick= handler on <p>"
            ]
        );
    }

    #[test]
    fn origins_of_urls() {
        assert_eq!(
            origin("https://forms.example:8443/leads?x=1").as_deref(),
            Some("https://forms.example:8443")
        );
        assert_eq!(
            origin("//cdn.example/a.png").as_deref(),
            Some("https://cdn.example")
        );
        assert_eq!(origin("/offers/x/thanks/"), None);
        assert_eq!(origin("mailto:a@b.c"), None);
    }

    #[test]
    fn headers_file_syntax() {
        let f = headers_file(&[HeaderRule {
            path: "/assets/*".into(),
            headers: vec![("Cache-Control".into(), IMMUTABLE.into())],
        }]);
        let text = String::from_utf8(f.bytes).unwrap();
        assert!(text.ends_with("/assets/*\n  Cache-Control: public, max-age=31536000, immutable\n"));
    }
}
