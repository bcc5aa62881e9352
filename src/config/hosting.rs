//! `redirects:` and `hosting:` of site.yaml: what static hosts need beside
//! the pages (`_redirects`, `_headers`, `vercel.json`) and which static
//! files to leave out. Strict like the rest of the config, and checked
//! with the line of each bad value.

use std::collections::BTreeMap;
use std::path::Path;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};

use super::Config;
use crate::error::{Diagnostic, Diagnostics};

/// Statuses a redirect may have: permanent (301, 308) or temporary (302, 307).
pub const REDIRECT_STATUSES: [u16; 4] = [301, 302, 307, 308];

/// One entry of `redirects:`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RedirectRule {
    /// A site path (`/old/`), or a prefix with a splat (`/old/*`).
    pub from: String,
    /// A site path or an absolute URL; `:splat` takes what `*` matched.
    pub to: String,
    #[serde(default = "default_status")]
    pub status: u16,
    /// Line of the entry in site.yaml (found after parsing).
    #[serde(skip)]
    pub line: usize,
}

fn default_status() -> u16 {
    301
}

/// Headers of the site's own for the paths matching `for`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct HeaderRule {
    /// A site path, `*` matching anything: `/*`, `/downloads/*`.
    #[serde(rename = "for")]
    pub path: String,
    /// Header name → value; a name lander writes too replaces lander's.
    pub values: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct HostingConfig {
    /// Globs of files of `static/` (by output path, such as
    /// `.well-known/old/**` or `**/*.psd`) not to copy.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Write `_headers` (Netlify and Cloudflare Pages).
    #[serde(default = "yes")]
    pub headers_file: bool,
    /// Write `_redirects` (Netlify and Cloudflare Pages).
    #[serde(default = "yes")]
    pub redirects_file: bool,
    /// Write an HTML redirect page at every alias and redirect (any host).
    #[serde(default = "yes")]
    pub redirect_pages: bool,
    /// Write `vercel.json` with the redirects and headers.
    #[serde(default)]
    pub vercel_json: bool,
    /// Sources added to directives of the Content-Security-Policy:
    /// `script-src: ["https://widgets.example"]`.
    #[serde(default)]
    pub csp: BTreeMap<String, Vec<String>>,
    /// Headers of the site's own.
    #[serde(default)]
    pub headers: Vec<HeaderRule>,
}

impl Default for HostingConfig {
    fn default() -> Self {
        HostingConfig {
            exclude: Vec::new(),
            headers_file: true,
            redirects_file: true,
            redirect_pages: true,
            vercel_json: false,
            csp: BTreeMap::new(),
            headers: Vec::new(),
        }
    }
}

fn yes() -> bool {
    true
}

/// CSP directives a site may add sources to.
pub const CSP_DIRECTIVES: [&str; 14] = [
    "default-src",
    "script-src",
    "style-src",
    "img-src",
    "font-src",
    "connect-src",
    "media-src",
    "frame-src",
    "child-src",
    "worker-src",
    "manifest-src",
    "form-action",
    "frame-ancestors",
    "object-src",
];

impl HostingConfig {
    /// The `exclude` globs (invalid ones are refused by `validate`).
    pub fn exclude_set(&self) -> GlobSet {
        let mut b = GlobSetBuilder::new();
        for g in &self.exclude {
            if let Ok(glob) = Glob::new(g.trim_start_matches('/')) {
                b.add(glob);
            }
        }
        b.build().unwrap_or_else(|_| GlobSet::empty())
    }
}

/// Puts the site.yaml line of each `redirects:` entry on it.
pub fn locate_redirects(config: &mut Config, text: &str) {
    let lines = item_lines(text, "redirects");
    // A flow list (`redirects: [{…}, {…}]`) has no item lines: its key's line.
    let key = text
        .lines()
        .position(|l| l.starts_with("redirects:"))
        .map_or(1, |i| i + 1);
    for (i, r) in config.redirects.iter_mut().enumerate() {
        r.line = lines.get(i).copied().unwrap_or(key);
    }
}

/// Lines of the `- ` items of the top-level block `key:`.
fn item_lines(text: &str, key: &str) -> Vec<usize> {
    let mut inside = false;
    let mut indent = None;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if !line.starts_with([' ', '\t', '-']) && !trimmed.is_empty() && !trimmed.starts_with('#') {
            inside = line.starts_with(&format!("{key}:"));
            continue;
        }
        if inside && (trimmed.starts_with("- ") || trimmed == "-") {
            // Only the block's own items, not lists nested in them.
            let here = line.len() - trimmed.len();
            if *indent.get_or_insert(here) == here {
                out.push(i + 1);
            }
        }
    }
    out
}

/// Line of `  name:` inside the top-level block `hosting:`.
fn hosting_key_line(text: &str, name: &str) -> Option<usize> {
    let mut inside = false;
    for (i, line) in text.lines().enumerate() {
        if !line.starts_with([' ', '\t']) && !line.trim().is_empty() {
            inside = line.starts_with("hosting:");
            continue;
        }
        if inside && line.trim_start().starts_with(&format!("{name}:")) {
            return Some(i + 1);
        }
    }
    None
}

/// A site path a redirect may start from: `/old/`, `/old.html`, `/old/*`.
pub fn check_from(from: &str) -> Result<(), String> {
    if !from.starts_with('/') {
        return Err(format!(
            "`{from}` is not a site path; start it with `/`, e.g. /old-page/"
        ));
    }
    if from.contains(['?', '#', ' ', '\t', '\\']) || from.split('/').any(|s| s == "..") {
        return Err(format!(
            "`{from}` cannot be redirected from; use a plain path such as /old-page/"
        ));
    }
    if from.contains('*') && !(from.ends_with("/*") && from.matches('*').count() == 1) {
        return Err(format!(
            "`{from}` has a `*` that is not its last segment; write a splat as /old/*"
        ));
    }
    Ok(())
}

/// A target: a site path or an absolute http(s) URL.
pub fn check_to(to: &str) -> Result<(), String> {
    let external = to.starts_with("https://") || to.starts_with("http://");
    if !(to.starts_with('/') || external) || to.contains([' ', '\t', '\n']) {
        return Err(format!(
            "`{to}` is not a site path or an http(s) URL; e.g. /new-page/ or https://example.com/"
        ));
    }
    Ok(())
}

/// Checks `redirects:` and `hosting:`.
pub fn validate(config: &Config, path: &Path, text: &str, errs: &mut Diagnostics) {
    let at = |line: usize| move |d: Diagnostic| d.in_file(path).at(line, 1);
    for r in &config.redirects {
        let here = at(r.line);
        if let Err(msg) = check_from(&r.from) {
            errs.push(here(Diagnostic::error(format!("redirect from: {msg}"))));
        }
        if let Err(msg) = check_to(&r.to) {
            errs.push(here(Diagnostic::error(format!("redirect to: {msg}"))));
        }
        if r.to.contains(":splat") && !r.from.ends_with('*') {
            errs.push(here(
                Diagnostic::error(format!(
                    "the redirect to `{}` uses :splat but `{}` has no `*`",
                    r.to, r.from
                ))
                .with_help("end `from` with /* (e.g. from: /old/*), or drop :splat"),
            ));
        }
        if !REDIRECT_STATUSES.contains(&r.status) {
            errs.push(here(
                Diagnostic::error(format!("a redirect cannot have status {}", r.status))
                    .with_help("use 301 or 308 (moved for good), 302 or 307 (for now)"),
            ));
        }
    }
    let hosting = &config.hosting;
    let line_of = |key: &str| hosting_key_line(text, key).unwrap_or(1);
    for g in &hosting.exclude {
        if let Err(e) = Glob::new(g.trim_start_matches('/')) {
            errs.push(
                Diagnostic::error(format!(
                    "`{g}` in hosting.exclude is not a glob: {}",
                    e.kind()
                ))
                .in_file(path)
                .at(line_of("exclude"), 1)
                .with_help("use globs such as `**/*.psd` or `drafts/**`"),
            );
        }
    }
    let known: Vec<String> = CSP_DIRECTIVES.iter().map(|d| d.to_string()).collect();
    for (directive, sources) in &hosting.csp {
        if !known.contains(directive) {
            let help = match crate::base::text::closest(directive, &known) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("known directives: {}", known.join(", ")),
            };
            errs.push(
                Diagnostic::error(format!(
                    "unknown Content-Security-Policy directive `{directive}`"
                ))
                .in_file(path)
                .at(
                    hosting_key_line(text, directive).unwrap_or(line_of("csp")),
                    1,
                )
                .with_help(help),
            );
        }
        for s in sources {
            if s.is_empty() || s.contains([';', ',', '\n', '\r', ' ']) {
                errs.push(
                    Diagnostic::error(format!("`{s}` is not one source of `{directive}`"))
                        .in_file(path)
                        .at(
                            hosting_key_line(text, directive).unwrap_or(line_of("csp")),
                            1,
                        )
                        .with_help(
                            "list each source on its own: [\"https://a.example\", \"'self'\"]",
                        ),
                );
            }
        }
    }
    for h in &hosting.headers {
        let line = line_of("headers");
        if !h.path.starts_with('/') || h.path.contains(char::is_whitespace) {
            errs.push(
                Diagnostic::error(format!("headers for `{}`: not a site path", h.path))
                    .in_file(path)
                    .at(line, 1)
                    .with_help("start it with `/`, e.g. for: \"/downloads/*\""),
            );
        }
        for (name, value) in &h.values {
            let token = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c));
            if !token || value.contains(['\n', '\r']) {
                errs.push(
                    Diagnostic::error(format!("`{name}: {value}` is not an HTTP header"))
                        .in_file(path)
                        .at(line, 1)
                        .with_help(
                            "use a header name such as X-Frame-Options and a one-line value",
                        ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostics> {
        Config::parse(text, Path::new("site.yaml"))
    }

    #[test]
    fn redirects_get_their_lines_and_defaults() {
        let c = parse(
            "title: S\nredirects:\n  - from: /a/\n    to: /b/\n  - { from: /old/*, to: /new/:splat, status: 302 }\n",
        )
        .unwrap();
        assert_eq!(c.redirects[0].line, 3);
        assert_eq!(c.redirects[0].status, 301);
        assert_eq!(c.redirects[1].line, 5);
        assert_eq!(c.redirects[1].status, 302);
        let c = parse("title: S\n\nredirects: [{ from: /a/, to: /b/ }]\n").unwrap();
        assert_eq!(c.redirects[0].line, 3);
        assert!(c.hosting.headers_file && c.hosting.redirects_file && !c.hosting.vercel_json);
    }

    #[test]
    fn bad_redirects_are_located() {
        let err = parse(
            "title: S\nredirects:\n  - { from: /a/, to: /b/ }\n  - { from: old, to: /b/:splat, status: 200 }\n",
        )
        .unwrap_err();
        assert_eq!(err.0.len(), 3, "{err}");
        assert!(err.0.iter().all(|d| d.line == Some(4)), "{err}");
    }

    #[test]
    fn unknown_hosting_keys_and_directives_suggest() {
        let err = parse("title: S\nhosting:\n  header_file: false\n").unwrap_err();
        assert_eq!(
            err.0[0].help.as_deref(),
            Some("did you mean `headers_file`?")
        );
        let err = parse("title: S\nhosting:\n  csp:\n    scrpit-src: [\"https://a.example\"]\n")
            .unwrap_err();
        assert_eq!(err.0[0].line, Some(4));
        assert_eq!(err.0[0].help.as_deref(), Some("did you mean `script-src`?"));
    }

    #[test]
    fn exclude_globs_match_output_paths() {
        let c = parse("title: S\nhosting:\n  exclude: [\"**/*.psd\", \"/drafts/**\"]\n").unwrap();
        let set = c.hosting.exclude_set();
        assert!(set.is_match("images/a.psd"));
        assert!(set.is_match("drafts/x/y.txt"));
        assert!(!set.is_match(".well-known/security.txt"));
        let err = parse("title: S\nhosting:\n  exclude: [\"a/[b\"]\n").unwrap_err();
        assert_eq!(err.0[0].line, Some(3));
    }
}
