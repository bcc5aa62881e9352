//! `lander check --format github|sarif|junit`: the CI formats of the same
//! findings as `--format json`, one for one, with paths relative to the
//! repository the site lives in.

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::{copy_dir, lander, repo, Run};
use serde_json::Value;

/// A repository (a folder with `.git`) holding the check fixture in
/// `sites/shop/`.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn with_site(fixture: &str) -> Repo {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        copy_dir(&repo().join(fixture), &dir.path().join("sites/shop"));
        Repo { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `lander check --root sites/shop --format FORMAT`, run from the repository.
    fn check(&self, format: &str, extra: &[&str]) -> Run {
        let mut args = vec!["check", "--root", "sites/shop", "--format", format];
        args.extend_from_slice(extra);
        lander(self.path(), &args)
    }
}

/// A finding as the JSON report gives it, with the file as the repository sees it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Seen {
    severity: String,
    rule: String,
    file: String,
    line: Option<u64>,
    column: Option<u64>,
    text: String,
}

fn json_findings(run: &Run, prefix: &str) -> Vec<Seen> {
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let mut text = f["message"].as_str().unwrap().to_string();
            if let Some(help) = f["help"].as_str() {
                text = format!("{text}\nhelp: {help}");
            }
            Seen {
                severity: f["severity"].as_str().unwrap().to_string(),
                rule: f["rule"].as_str().unwrap().to_string(),
                file: format!("{prefix}{}", f["file"].as_str().unwrap_or("site.yaml")),
                line: f["line"].as_u64(),
                column: f["column"].as_u64(),
                text,
            }
        })
        .collect()
}

/// GitHub's escaping undone.
fn unescape(text: &str) -> String {
    text.replace("%0A", "\n")
        .replace("%0D", "\r")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

/// `::level k=v,k=v::message` → the finding it stands for.
fn parse_annotation(line: &str) -> Seen {
    let rest = line.strip_prefix("::").expect("a workflow command");
    let (command, message) = rest.split_once("::").expect("::message");
    let (level, props) = command.split_once(' ').expect("properties");
    let mut seen = Seen {
        severity: level.to_string(),
        rule: String::new(),
        file: String::new(),
        line: None,
        column: None,
        text: unescape(message),
    };
    for prop in props.split(',') {
        let (k, v) = prop.split_once('=').expect("key=value");
        let v = unescape(v);
        match k {
            "file" => seen.file = v,
            "line" => seen.line = Some(v.parse().unwrap()),
            "col" => seen.column = Some(v.parse().unwrap()),
            "title" => seen.rule = v.strip_prefix("lander ").expect("title").to_string(),
            other => panic!("unexpected property {other} in {line}"),
        }
    }
    seen
}

#[test]
fn github_annotations_are_the_findings_with_repository_paths() {
    let repo = Repo::with_site("tests/fixtures/check-site");
    let expected = json_findings(
        repo.check("json", &["--now", "2025-06-01"]).assert_fails(),
        "sites/shop/",
    );
    assert!(expected.len() > 5, "the fixture has many problems");
    let run = repo.check("github", &["--now", "2025-06-01"]);
    run.assert_fails();
    let lines: Vec<&str> = run.stdout.lines().collect();
    let (commands, rest): (Vec<&str>, Vec<&str>) = lines.iter().partition(|l| l.starts_with("::"));
    let got: Vec<Seen> = commands.iter().map(|l| parse_annotation(l)).collect();
    assert_eq!(got, expected);
    for seen in &got {
        assert!(
            repo.path().join(&seen.file).is_file(),
            "{} is not a file of the repository",
            seen.file
        );
        assert!(["error", "warning"].contains(&seen.severity.as_str()));
    }
    let errors = expected.iter().filter(|s| s.severity == "error").count();
    assert_eq!(rest.len(), 1, "{rest:?}");
    assert!(
        rest[0].starts_with(&format!("lander check: {errors} errors and ")),
        "{}",
        rest[0]
    );
    // One that people look for: the broken link, on its line and column.
    let text = std::fs::read_to_string(repo.path().join("sites/shop/content/blog/broken-links.md"))
        .unwrap();
    let at = text.find("/blog/nope/").unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    let wanted = format!(
        "::error file=sites/shop/content/blog/broken-links.md,line={line},col={col},title=lander broken-link::"
    );
    assert!(
        commands.iter().any(|l| l.starts_with(&wanted)),
        "no {wanted} in\n{}",
        run.stdout
    );
}

#[test]
fn sarif_is_a_valid_log_with_a_result_per_finding() {
    let repo = Repo::with_site("tests/fixtures/check-site");
    let expected = json_findings(
        repo.check("json", &["--now", "2025-06-01"]).assert_fails(),
        "sites/shop/",
    );
    let run = repo.check("sarif", &["--now", "2025-06-01"]);
    run.assert_fails();
    let log: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", run.stdout));

    // The structure SARIF 2.1.0 requires.
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "lander");
    let rules = driver["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids.iter().collect::<BTreeSet<_>>().len(),
        ids.len(),
        "rule ids are unique"
    );
    for r in rules {
        assert!(!r["shortDescription"]["text"].as_str().unwrap().is_empty());
        let level = r["defaultConfiguration"]["level"].as_str().unwrap();
        assert!(["error", "warning", "note"].contains(&level));
    }
    let results = runs[0]["results"].as_array().expect("results");

    let mut got = Vec::new();
    for r in results {
        let rule = r["ruleId"].as_str().unwrap();
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(ids[index], rule, "ruleIndex points at its rule");
        let level = r["level"].as_str().unwrap();
        assert!(["error", "warning", "note", "none"].contains(&level));
        let loc = &r["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            !uri.starts_with('/') && !uri.contains("://"),
            "uri {uri} is relative to the repository"
        );
        let file = common::browser::percent_decode(uri);
        assert!(
            repo.path().join(&file).is_file(),
            "{file} is in the repository"
        );
        let region = &loc["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        got.push(Seen {
            severity: level.to_string(),
            rule: rule.to_string(),
            file,
            line: region["startLine"].as_u64(),
            column: region["startColumn"].as_u64(),
            text: r["message"]["text"].as_str().unwrap().to_string(),
        });
    }
    // Findings known by file only point at line 1 (code scanning needs a line).
    let expected: Vec<Seen> = expected
        .into_iter()
        .map(|mut s| {
            if s.line.is_none() {
                s.line = Some(1);
            }
            s
        })
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn junit_has_a_failure_per_finding_in_a_suite_per_rule() {
    let repo = Repo::with_site("tests/fixtures/check-site");
    let expected = json_findings(
        repo.check("json", &["--now", "2025-06-01"]).assert_fails(),
        "sites/shop/",
    );
    let run = repo.check("junit", &["--now", "2025-06-01"]);
    run.assert_fails();
    let doc = roxmltree::Document::parse(&run.stdout)
        .unwrap_or_else(|e| panic!("not XML ({e}):\n{}", run.stdout));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let failures: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .collect();
    assert_eq!(failures.len(), expected.len());
    assert_eq!(
        root.attribute("failures"),
        Some(expected.len().to_string().as_str())
    );
    let mut rules_seen = BTreeSet::new();
    for suite in root.children().filter(|n| n.has_tag_name("testsuite")) {
        let rule = suite.attribute("name").unwrap();
        assert!(rules_seen.insert(rule.to_string()), "one suite per rule");
        let cases: Vec<_> = suite
            .children()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        assert_eq!(
            suite.attribute("tests"),
            Some(cases.len().to_string().as_str())
        );
        for case in cases {
            let file = case.attribute("file").unwrap();
            assert!(repo.path().join(file).is_file(), "{file}");
            let failure = case
                .children()
                .find(|n| n.has_tag_name("failure"))
                .expect("a failure");
            let message = failure.attribute("message").unwrap();
            assert!(
                expected
                    .iter()
                    .any(|s| s.rule == rule && s.file == file && s.text.starts_with(message)),
                "{rule} {file} {message} is not a finding"
            );
        }
    }
    let rules: BTreeSet<String> = expected.iter().map(|s| s.rule.clone()).collect();
    assert_eq!(rules_seen, rules);
}

#[test]
fn a_clean_site_passes_in_every_format() {
    let repo = Repo {
        dir: tempfile::tempdir().unwrap(),
    };
    std::fs::create_dir_all(repo.path().join(".git")).unwrap();
    let site = repo.path().join("sites/shop");
    std::fs::create_dir_all(site.join("content")).unwrap();
    std::fs::write(
        site.join("site.yaml"),
        "title: Clean\nbase_url: https://clean.test\ncheck:\n  disable: [no-cta, thin-content, description-length, missing-og-image]\n",
    )
    .unwrap();
    std::fs::write(
        site.join("content/_index.md"),
        "---\ntitle: Home\ndescription: A clean home page with a description of a decent length for search.\n---\nHello.\n",
    )
    .unwrap();
    let gh = repo.check("github", &[]);
    gh.assert_ok();
    assert!(!gh.stdout.contains("::"), "{}", gh.stdout);
    let sarif = repo.check("sarif", &[]);
    sarif.assert_ok();
    let log: Value = serde_json::from_str(&sarif.stdout).unwrap();
    assert_eq!(log["runs"][0]["results"], Value::Array(vec![]));
    let junit = repo.check("junit", &[]);
    junit.assert_ok();
    let doc = roxmltree::Document::parse(&junit.stdout).unwrap();
    assert_eq!(doc.root_element().attribute("failures"), Some("0"));
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .count(),
        1
    );
}

#[test]
fn a_site_that_does_not_build_is_reported_on_its_file_and_line() {
    let repo = Repo {
        dir: tempfile::tempdir().unwrap(),
    };
    std::fs::create_dir_all(repo.path().join(".git")).unwrap();
    let site = repo.path().join("sites/shop");
    std::fs::create_dir_all(site.join("content")).unwrap();
    std::fs::write(site.join("site.yaml"), "title: Broken\npaginateby: 3\n").unwrap();
    let run = repo.check("sarif", &[]);
    run.assert_fails();
    let log: Value = serde_json::from_str(&run.stdout).unwrap();
    let r = &log["runs"][0]["results"][0];
    assert_eq!(r["ruleId"], "build");
    assert_eq!(r["level"], "error");
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "sites/shop/site.yaml");
    assert_eq!(loc["region"]["startLine"], 2);
    assert!(r["message"]["text"]
        .as_str()
        .unwrap()
        .contains("did you mean `paginate_by`?"));
    let gh = repo.check("github", &[]);
    gh.assert_fails();
    assert!(
        gh.stdout
            .starts_with("::error file=sites/shop/site.yaml,line=2,"),
        "{}",
        gh.stdout
    );
    // Run from inside the site, paths still name the repository's files.
    let inside = lander(&site, &["check", "--format", "github"]);
    assert!(
        inside
            .stdout
            .starts_with("::error file=sites/shop/site.yaml,line=2,"),
        "{}",
        inside.stdout
    );
}
