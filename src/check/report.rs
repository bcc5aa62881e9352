//! The findings as text for people (grouped by file, coloured on a
//! terminal) or JSON for tools. Returns strings; `main` prints them.

use std::fmt::Write;

use anstyle::{AnsiColor, Style};
use serde::Serialize;

use super::{CheckReport, Finding};
use crate::error::Severity;

/// Colour when stdout is a terminal and NO_COLOR is unset (anstream's
/// rules, which also honour CLICOLOR and CLICOLOR_FORCE).
pub fn color_wanted() -> bool {
    anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
}

struct Styles {
    file: Style,
    error: Style,
    warning: Style,
    rule: Style,
    help: Style,
    ok: Style,
}

impl Styles {
    fn new(color: bool) -> Styles {
        let fg = |c: AnsiColor| Style::new().fg_color(Some(c.into()));
        if !color {
            let plain = Style::new();
            return Styles {
                file: plain,
                error: plain,
                warning: plain,
                rule: plain,
                help: plain,
                ok: plain,
            };
        }
        Styles {
            file: Style::new().bold().underline(),
            error: fg(AnsiColor::Red).bold(),
            warning: fg(AnsiColor::Yellow).bold(),
            rule: Style::new().dimmed(),
            help: fg(AnsiColor::Cyan),
            ok: fg(AnsiColor::Green).bold(),
        }
    }
}

fn label(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Notice => "notice",
    }
}

/// `1 page`, `2 pages` (kept here for the callers of `check::report`).
pub use crate::base::words::plural;

/// Findings grouped by file, then a summary line.
///
/// ```text
/// content/blog/post.md
///   12:5  error    broken-link  broken link `/nope/`: the site has nothing at /nope/
///                  help: did you mean `/blog/`?
/// ```
pub fn text(report: &CheckReport, color: bool) -> String {
    let st = Styles::new(color);
    let mut out = String::new();
    let mut i = 0;
    let findings = &report.findings;
    while i < findings.len() {
        let file = &findings[i].file;
        let end = i + findings[i..].iter().take_while(|f| &f.file == file).count();
        let group = &findings[i..end];
        let name = file
            .as_ref()
            .map_or_else(|| "(no file)".to_string(), |f| f.display().to_string());
        let _ = writeln!(out, "{}{name}{:#}", st.file, st.file);
        let width = group.iter().map(|f| position(f).len()).max().unwrap_or(0);
        for f in group {
            let (sev_style, sev) = match f.severity {
                Severity::Error => (st.error, "error  "),
                Severity::Warning => (st.warning, "warning"),
                Severity::Notice => (st.help, "notice "),
            };
            let _ = writeln!(
                out,
                "  {:<width$}  {sev_style}{sev}{sev_style:#}  {}{}{:#}  {}",
                position(f),
                st.rule,
                f.rule.id(),
                st.rule,
                f.message,
            );
            if let Some(help) = &f.help {
                let _ = writeln!(
                    out,
                    "  {:<width$}  {}help:{:#} {help}",
                    "", st.help, st.help
                );
            }
        }
        out.push('\n');
        i = end;
    }
    let (errors, warnings) = (report.errors(), report.warnings());
    if errors + warnings == 0 {
        let _ = writeln!(
            out,
            "{}ok:{:#} no problems in {}",
            st.ok,
            st.ok,
            plural(report.pages, "page")
        );
    } else {
        let files = {
            let mut f: Vec<_> = findings.iter().map(|f| &f.file).collect();
            f.dedup();
            f.len()
        };
        let style = if errors > 0 { st.error } else { st.warning };
        let _ = writeln!(
            out,
            "{style}{}:{style:#} {} and {} in {} ({} checked)",
            label(if errors > 0 {
                Severity::Error
            } else {
                Severity::Warning
            }),
            plural(errors, "error"),
            plural(warnings, "warning"),
            plural(files, "file"),
            plural(report.pages, "page"),
        );
    }
    out
}

/// `12:5`, `12` or `-`.
fn position(f: &Finding) -> String {
    match (f.line, f.column) {
        (Some(l), Some(c)) => format!("{l}:{c}"),
        (Some(l), None) => l.to_string(),
        _ => "-".to_string(),
    }
}

/// One JSON document:
/// `{"errors": N, "warnings": N, "notices": N, "pages": N, "findings": [{"rule", "severity",
/// "file", "line", "column", "message", "help"}]}`, absent values as null.
pub fn json(report: &CheckReport) -> String {
    let doc = JsonReport {
        errors: report.errors(),
        warnings: report.warnings(),
        notices: report.notices(),
        pages: report.pages,
        findings: report.findings.iter().map(JsonFinding::from).collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// The JSON shape (structs keep the field order).
#[derive(Serialize)]
struct JsonReport<'a> {
    errors: usize,
    warnings: usize,
    notices: usize,
    pages: usize,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'static str,
    severity: &'static str,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
    help: Option<&'a str>,
}

impl<'a> From<&'a Finding> for JsonFinding<'a> {
    fn from(f: &'a Finding) -> Self {
        JsonFinding {
            rule: f.rule.id(),
            severity: label(f.severity),
            file: f
                .file
                .as_ref()
                .map(|p| p.to_string_lossy().replace('\\', "/")),
            line: f.line,
            column: f.column,
            message: &f.message,
            help: f.help.as_deref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Rule;
    use super::*;
    use serde_json::Value;

    fn report() -> CheckReport {
        CheckReport {
            findings: vec![
                Finding::new(Rule::BrokenLink, "broken link `/x/`")
                    .in_file("content/a.md")
                    .at(12, 5)
                    .with_help("did you mean `/y/`?"),
                Finding::new(Rule::ThinContent, "the page has 3 words").in_file("content/a.md"),
                Finding::new(Rule::OrphanOffer, "lonely").in_file("offers/o.yaml"),
            ],
            pages: 4,
        }
    }

    #[test]
    fn text_groups_by_file() {
        let t = text(&report(), false);
        assert_eq!(
            t,
            "content/a.md\n\
             \x20 12:5  error    broken-link  broken link `/x/`\n\
             \x20       help: did you mean `/y/`?\n\
             \x20 -     warning  thin-content  the page has 3 words\n\
             \n\
             offers/o.yaml\n\
             \x20 -  warning  orphan-offer  lonely\n\
             \n\
             error: 1 error and 2 warnings in 2 files (4 pages checked)\n"
        );
        assert!(!t.contains('\x1b'));
        assert!(text(&report(), true).contains('\x1b'));
    }

    #[test]
    fn clean_report_says_so() {
        let t = text(
            &CheckReport {
                findings: vec![],
                pages: 1,
            },
            false,
        );
        assert_eq!(t, "ok: no problems in 1 page\n");
    }

    #[test]
    fn json_names_every_field() {
        let v: Value = serde_json::from_str(&json(&report())).unwrap();
        assert_eq!(v["errors"], 1);
        assert_eq!(v["warnings"], 2);
        assert_eq!(v["findings"][0]["rule"], "broken-link");
        assert_eq!(v["findings"][0]["severity"], "error");
        assert_eq!(v["findings"][0]["file"], "content/a.md");
        assert_eq!(v["findings"][0]["line"], 12);
        assert_eq!(v["findings"][1]["line"], Value::Null);
    }
}
