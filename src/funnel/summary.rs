//! The funnel as a few lines of text (what `lander funnel` prints without
//! `--output`), and as an HTML page (the dev server's `/__lander/funnel`).

use std::fmt::Write;

use super::{Funnel, Gap};
use crate::base::words::plural;

/// Per-stage counts, then the gaps as `file:line  rule  message`.
///
/// ```text
/// awareness        3 pages   1 offer    4 CTAs
/// ...
///
/// 1 gap
///   content/about.md  no-cta  the page offers no next step (no call-to-action)
/// ```
pub fn text(f: &Funnel) -> String {
    let mut out = String::new();
    for c in &f.stages {
        let _ = writeln!(
            out,
            "{:<14} {:>9}  {:>9}  {:>8}",
            c.name,
            plural(c.pages, "page"),
            plural(c.offers, "offer"),
            plural(c.ctas, "CTA"),
        );
    }
    out.push('\n');
    let outcomes: Vec<&super::Edge> = f
        .edges
        .iter()
        .filter(|e| e.kind == super::EdgeKind::Outcome)
        .collect();
    if !outcomes.is_empty() {
        let _ = writeln!(out, "Quiz outcomes");
        let width = outcomes.iter().map(|e| e.from.len()).max().unwrap_or(0);
        for e in outcomes {
            let _ = writeln!(out, "  {:<width$}  -> {}", e.from, e.to);
        }
        out.push('\n');
    }
    if !f.tests.is_empty() {
        let _ = writeln!(out, "A/B tests (from the report)");
        let width = f.tests.keys().map(String::len).max().unwrap_or(0);
        for (url, t) in &f.tests {
            let _ = writeln!(out, "  {url:<width$}  {}", t.verdict);
        }
        out.push('\n');
    }
    if f.gaps.is_empty() {
        out.push_str("ok: no gaps in the funnel\n");
        return out;
    }
    let _ = writeln!(out, "{}", plural(f.gaps.len(), "gap"));
    let width = f.gaps.iter().map(|g| location(g).len()).max().unwrap_or(0);
    for g in &f.gaps {
        let _ = writeln!(
            out,
            "  {:<width$}  {}  {}",
            location(g),
            g.kind.id(),
            g.message
        );
    }
    out
}

/// `file:line:column` as far as known; `-` for a stage.
pub fn location(g: &Gap) -> String {
    let Some(file) = &g.file else {
        return "-".into();
    };
    match (g.line, g.column) {
        (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
        (Some(l), None) => format!("{file}:{l}"),
        _ => file.clone(),
    }
}

/// A page with the map and the gap list, for the dev server.
pub fn html(f: &Funnel) -> String {
    let esc = super::svg::escape;
    let mut gaps = String::new();
    for g in &f.gaps {
        let _ = write!(
            gaps,
            "<li><code>{}</code> <strong>{}</strong> {}<br><small>{}</small></li>",
            esc(&location(g)),
            g.kind.id(),
            esc(&g.message),
            esc(&g.help)
        );
    }
    if gaps.is_empty() {
        gaps.push_str("<li>No gaps in the funnel.</li>");
    }
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Funnel | lander serve</title>\
         <style>body{{font:15px/1.5 system-ui,sans-serif;margin:1.5rem}}\
         .map{{overflow:auto;border:1px solid #ddd}}li{{margin:.4rem 0}}</style></head>\
         <body><h1>Funnel</h1><p>As of the last good build. \
         <code>lander funnel --output DIR</code> writes it as SVG and JSON.</p>\
         <div class=\"map\">{}</div><h2>Gaps ({})</h2><ul>{gaps}</ul></body></html>",
        super::svg::draw(f),
        f.gaps.len()
    )
}
