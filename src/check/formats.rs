//! The findings for CI: GitHub workflow annotations, SARIF 2.1.0 for code
//! scanning, and JUnit XML for the test reports of GitLab, Jenkins and
//! others. Returns strings; `main` prints them.
//!
//! CI tools want paths relative to the repository, not to the site: a site
//! in `site/` of its repository reports `site/content/blog/x.md`. The caller
//! finds that prefix (see `cmd::check::repo_prefix`); here it is only put in
//! front of each file.

use std::fmt::Write;
use std::path::{Component, Path};

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde_json::{json, Value};

use super::report::plural;
use super::{CheckReport, Finding, Rule};
use crate::base::escape::escape_into as xml_escape_into;
use crate::error::Severity;

/// The SARIF schema GitHub code scanning and other tools validate against.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// `prefix/file` with `/` separators: a finding's file as the repository
/// sees it. Findings without a file (command-line problems) are reported on
/// the site's `site.yaml`, since CI annotations need a file.
fn repo_path(prefix: &Path, file: Option<&Path>) -> String {
    let file = file.unwrap_or(Path::new(crate::config::CONFIG_FILE));
    prefix
        .join(file)
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The level of a GitHub annotation (`notice` for notices).
fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Notice => "notice",
    }
}

/// SARIF's name of a level: `note` for notices.
fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Notice => "note",
        s => level(s),
    }
}

/// The message and, when there is one, the hint on a line of its own.
fn message_with_help(f: &Finding) -> String {
    match &f.help {
        Some(help) => format!("{}\nhelp: {help}", f.message),
        None => f.message.clone(),
    }
}

/// The summary line of every format: `1 error and 2 warnings (4 pages checked)`.
fn summary(report: &CheckReport) -> String {
    format!(
        "lander check: {} and {} ({} checked)",
        plural(report.errors(), "error"),
        plural(report.warnings(), "warning"),
        plural(report.pages, "page"),
    )
}

// ---------------------------------------------------------------- GitHub

/// One workflow command per finding, which GitHub Actions shows as an
/// annotation on the file and line, then the summary as a plain line:
///
/// ```text
/// ::error file=content/a.md,line=12,col=5,title=lander broken-link::broken link `/x/`%0Ahelp: did you mean `/y/`?
/// ```
pub fn github(report: &CheckReport, prefix: &Path) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let mut props = vec![format!(
            "file={}",
            gh_property(&repo_path(prefix, f.file.as_deref()))
        )];
        if let Some(line) = f.line {
            props.push(format!("line={line}"));
        }
        if let Some(col) = f.column {
            props.push(format!("col={col}"));
        }
        props.push(format!(
            "title={}",
            gh_property(&format!("lander {}", f.rule.id()))
        ));
        let _ = writeln!(
            out,
            "::{} {}::{}",
            level(f.severity),
            props.join(","),
            gh_data(&message_with_help(f))
        );
    }
    let _ = writeln!(out, "{}", summary(report));
    out
}

/// Escapes the message of a workflow command (GitHub's `escapeData`).
fn gh_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command (GitHub's `escapeProperty`).
fn gh_property(text: &str) -> String {
    gh_data(text).replace(':', "%3A").replace(',', "%2C")
}

// ---------------------------------------------------------------- SARIF

/// What a URI reference may not hold as is (RFC 3986), besides `/`.
const URI_PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b']')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// One SARIF 2.1.0 log with one run: lander as the tool with every rule,
/// and a result per finding located in the repository. Findings known by
/// file only point at its first line, as code scanning needs a line.
pub fn sarif(report: &CheckReport, prefix: &Path) -> String {
    let rules: Vec<Value> = Rule::EVERY
        .iter()
        .map(|r| {
            json!({
                "id": r.id(),
                "name": r.id(),
                "shortDescription": { "text": r.description() },
                "defaultConfiguration": { "level": sarif_level(r.severity()) },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let uri =
                utf8_percent_encode(&repo_path(prefix, f.file.as_deref()), URI_PATH).to_string();
            let mut region = json!({ "startLine": f.line.unwrap_or(1) });
            if let (Some(_), Some(col)) = (f.line, f.column) {
                region["startColumn"] = json!(col);
            }
            json!({
                "ruleId": f.rule.id(),
                "ruleIndex": Rule::EVERY.iter().position(|r| *r == f.rule),
                "level": sarif_level(f.severity),
                "message": { "text": message_with_help(f) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri },
                        "region": region,
                    }
                }],
            })
        })
        .collect();
    let log = json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "lander",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            // lander counts columns in characters.
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}

// ---------------------------------------------------------------- JUnit

/// JUnit XML: a `<testsuite>` per rule that found something, a
/// `<testcase>` with a `<failure>` (its `type` the severity) per finding.
/// A clean site is one suite with one passing test, so that the report is
/// never empty. Notices are no failures: they are left out.
pub fn junit(report: &CheckReport, prefix: &Path) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let findings: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Notice)
        .collect();
    let total = findings.len().max(1);
    let _ = writeln!(
        out,
        "<testsuites name=\"lander check\" tests=\"{total}\" failures=\"{}\" errors=\"0\">",
        findings.len()
    );
    if findings.is_empty() {
        out.push_str("  <testsuite name=\"lander check\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\">\n");
        let _ = writeln!(
            out,
            "    <testcase name=\"{}\" classname=\"lander\"/>",
            esc(&format!("{} checked", plural(report.pages, "page")))
        );
        out.push_str("  </testsuite>\n");
    }
    for rule in Rule::EVERY {
        let found: Vec<&Finding> = findings
            .iter()
            .copied()
            .filter(|f| f.rule == rule)
            .collect();
        if found.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{n}\" failures=\"{n}\" errors=\"0\" skipped=\"0\">",
            rule.id(),
            n = found.len()
        );
        for f in found {
            let file = repo_path(prefix, f.file.as_deref());
            let name = match (f.line, f.column) {
                (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
                (Some(l), None) => format!("{file}:{l}"),
                _ => file.clone(),
            };
            let line = f.line.map(|l| format!(" line=\"{l}\"")).unwrap_or_default();
            let _ = writeln!(
                out,
                "    <testcase name=\"{}\" classname=\"lander.{}\" file=\"{}\"{line}>",
                esc(&name),
                rule.id(),
                esc(&file)
            );
            let _ = writeln!(
                out,
                "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                level(f.severity),
                esc(&f.message),
                esc(&format!("{}\n{name}", message_with_help(f)))
            );
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    xml_escape_into(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn report() -> CheckReport {
        CheckReport {
            findings: vec![
                Finding::new(Rule::BrokenLink, "broken link `/x/`, 100%: <a & b>")
                    .in_file("content/a b.md")
                    .at(12, 5)
                    .with_help("did you mean `/y/`?"),
                Finding::new(Rule::ThinContent, "the page has 3 words").in_file("content/a b.md"),
                Finding::new(Rule::Build, "--base-url must be absolute"),
            ],
            pages: 4,
        }
    }

    #[test]
    fn github_escapes_data_and_properties() {
        let out = github(&report(), Path::new("site"));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "::error file=site/content/a b.md,line=12,col=5,title=lander broken-link::broken link `/x/`, 100%25: <a & b>%0Ahelp: did you mean `/y/`?"
        );
        assert_eq!(
            lines[1],
            "::warning file=site/content/a b.md,title=lander thin-content::the page has 3 words"
        );
        assert_eq!(
            lines[2],
            "::error file=site/site.yaml,title=lander build::--base-url must be absolute"
        );
        assert_eq!(
            lines[3],
            "lander check: 2 errors and 1 warning (4 pages checked)"
        );
        assert_eq!(gh_property("a,b:c\nd"), "a%2Cb%3Ac%0Ad");
    }

    #[test]
    fn sarif_locates_results_in_the_repository() {
        let v: Value = serde_json::from_str(&sarif(&report(), &PathBuf::new())).unwrap();
        assert_eq!(v["version"], "2.1.0");
        let run = &v["runs"][0];
        assert_eq!(
            run["tool"]["driver"]["rules"].as_array().unwrap().len(),
            Rule::EVERY.len()
        );
        let r = &run["results"][0];
        assert_eq!(r["ruleId"], "broken-link");
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(run["tool"]["driver"]["rules"][idx]["id"], "broken-link");
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "content/a%20b.md");
        assert_eq!(loc["region"]["startLine"], 12);
        assert_eq!(loc["region"]["startColumn"], 5);
        let file_only = &run["results"][1]["locations"][0]["physicalLocation"]["region"];
        assert_eq!(file_only["startLine"], 1);
        assert!(file_only.get("startColumn").is_none());
        assert_eq!(run["results"][1]["level"], "warning");
    }

    #[test]
    fn junit_is_escaped_xml_with_a_suite_per_rule() {
        let xml = junit(&report(), Path::new("site"));
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let suites: Vec<_> = doc
            .root_element()
            .children()
            .filter(|n| n.has_tag_name("testsuite"))
            .collect();
        let names: Vec<_> = suites
            .iter()
            .map(|s| s.attribute("name").unwrap())
            .collect();
        assert_eq!(names, ["broken-link", "thin-content", "build"]);
        let failure = suites[0]
            .descendants()
            .find(|n| n.has_tag_name("failure"))
            .unwrap();
        assert_eq!(
            failure.attribute("message"),
            Some("broken link `/x/`, 100%: <a & b>")
        );
        assert_eq!(failure.attribute("type"), Some("error"));
    }

    #[test]
    fn clean_junit_has_one_passing_test() {
        let xml = junit(
            &CheckReport {
                findings: vec![],
                pages: 3,
            },
            Path::new(""),
        );
        let doc = roxmltree::Document::parse(&xml).unwrap();
        assert_eq!(doc.root_element().attribute("failures"), Some("0"));
        assert_eq!(
            doc.descendants()
                .filter(|n| n.has_tag_name("testcase"))
                .count(),
            1
        );
        assert!(!xml.contains("<failure"));
    }
}
