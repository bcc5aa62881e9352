//! `lander funnel`: the map of a fixture with one of each gap, as JSON
//! (exact) and SVG (parses, names each stage); `lander check` reports the
//! same gaps; the summary; bad flags and folders; big stages are grouped.

use crate::common;

use crate::common::{lander, TestSite};
use serde_json::{json, Value};

/// The fixture's offers are judged as of this day (old-deal has ended).
const NOW: &str = "2026-06-01";

fn funnel(site: &TestSite, extra: &[&str]) -> common::Run {
    let root = site.path().to_string_lossy().into_owned();
    let mut args = vec!["funnel", "--root", root.as_str(), "--now", NOW];
    args.extend_from_slice(extra);
    lander(site.path(), &args)
}

/// `funnel --output map`, then map/funnel.json and map/funnel.svg.
fn map(site: &TestSite) -> (Value, String) {
    funnel(site, &["--output", "map"]).assert_ok();
    let read = |name: &str| std::fs::read_to_string(site.path().join("map").join(name)).unwrap();
    let json = serde_json::from_str(&read("funnel.json")).expect("funnel.json is JSON");
    (json, read("funnel.svg"))
}

#[test]
fn funnel_json_has_the_stages_nodes_edges_and_gaps() {
    let site = TestSite::copy_of("tests/fixtures/funnel-site");
    let (v, _) = map(&site);
    assert_eq!(
        v["stages"],
        json!([
            {"name": "awareness", "pages": 2, "offers": 2, "ctas": 1},
            {"name": "consideration", "pages": 1, "offers": 1, "ctas": 1},
            {"name": "purchase", "pages": 1, "offers": 3, "ctas": 2},
            {"name": "retention", "pages": 1, "offers": 0, "ctas": 1},
            {"name": "unassigned", "pages": 1, "offers": 0, "ctas": 1},
        ])
    );
    let node = |url: &str| {
        v["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["url"] == url)
            .unwrap_or_else(|| panic!("no node {url}"))
            .clone()
    };
    assert_eq!(
        node("/blog/no-cta/"),
        json!({"url": "/blog/no-cta/", "kind": "post", "title": "A post with no call-to-action",
               "stage": "awareness", "file": "content/blog/no-cta.md"})
    );
    assert_eq!(
        node("/products/widget/"),
        json!({"url": "/products/widget/", "kind": "product", "title": "The <Widget> & Co",
               "stage": "consideration", "file": "content/products/widget.md"})
    );
    assert_eq!(node("/sale/")["kind"], "landing");
    assert_eq!(node("/")["stage"], Value::Null);
    assert_eq!(
        node("/offers/old-deal/"),
        json!({"url": "/offers/old-deal/", "kind": "offer", "title": "A deal that ended",
               "stage": "purchase", "file": "offers/old-deal.yaml", "status": "ended"})
    );
    assert_eq!(
        node("/offers/sale/thanks/"),
        json!({"url": "/offers/sale/thanks/", "kind": "thanks", "title": "Your code is on its way",
               "stage": "purchase", "file": "offers/sale.yaml"})
    );
    // A next step that is no page of the funnel (the blog list).
    assert_eq!(
        node("/blog/"),
        json!({"url": "/blog/", "kind": "link", "title": "Read the blog",
               "stage": "awareness", "file": null})
    );
    assert_eq!(v["nodes"].as_array().unwrap().len(), 19);

    let edges: Vec<String> = v["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} -{}-> {} x{}",
                e["from"].as_str().unwrap(),
                e["kind"].as_str().unwrap(),
                e["to"].as_str().unwrap(),
                e["count"]
            )
        })
        .collect();
    assert_eq!(
        edges,
        [
            "/ -cta-> /offers/guide/ x1",
            "/blog/learn/ -popup-> /offers/exit/ x1",
            "/blog/learn/ -primary-> /offers/guide/ x1",
            "/blog/no-cta/ -popup-> /offers/exit/ x1",
            "/club/ -cta-> /offers/sale/ x1",
            "/offers/exit/ -thanks-> /offers/exit/thanks/ x1",
            "/offers/exit/thanks/ -next-> /blog/ x1",
            "/offers/guide/ -thanks-> /offers/guide/thanks/ x1",
            "/offers/guide/thanks/ -next-> /products/widget/ x1",
            "/offers/lonely/ -thanks-> /offers/lonely/thanks/ x1",
            "/offers/lonely/thanks/ -next-> /club/ x1",
            "/offers/old-deal/ -thanks-> /offers/old-deal/thanks/ x1",
            "/offers/old-deal/thanks/ -next-> /club/ x1",
            "/offers/quiz/ -thanks-> /offers/quiz/thanks/ x1",
            "/offers/quiz/thanks/ -next-> /offers/sale/ x1",
            "/offers/sale/ -thanks-> /offers/sale/thanks/ x1",
            "/products/widget/ -form-> /offers/quiz/ x1",
            "/sale/ -cta-> /offers/old-deal/ x1",
            "/sale/ -primary-> /offers/sale/ x1",
        ]
    );

    let gaps: Vec<String> = v["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let mut at = g["file"].as_str().unwrap_or("-").to_string();
            if let Some(line) = g["line"].as_u64() {
                at = format!("{at}:{line}:{}", g["column"]);
            }
            format!(
                "{} {at} {} {}",
                g["kind"].as_str().unwrap(),
                g["node"],
                g["stage"]
            )
        })
        .collect();
    assert_eq!(
        gaps,
        [
            "stage-without-offer - null \"retention\"",
            "no-cta content/blog/no-cta.md \"/blog/no-cta/\" \"awareness\"",
            "expired-offer content/sale.md:11:1 \"/sale/\" \"purchase\"",
            "orphan-offer offers/lonely.yaml \"/offers/lonely/\" \"purchase\"",
            "thanks-without-next offers/sale.yaml:4:1 \"/offers/sale/thanks/\" \"purchase\"",
        ]
    );
    for g in v["gaps"].as_array().unwrap() {
        assert!(g["message"].as_str().is_some_and(|m| !m.is_empty()), "{g}");
        assert!(g["help"].as_str().is_some_and(|h| !h.is_empty()), "{g}");
    }
    // The map is for people: the output folder of the site is not written.
    assert!(!site.out().exists());
}

#[test]
fn funnel_svg_parses_and_names_each_stage() {
    let site = TestSite::copy_of("tests/fixtures/funnel-site");
    let (_, svg) = map(&site);
    let doc = roxmltree::Document::parse(&svg).expect("funnel.svg is XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    for stage in ["awareness", "consideration", "purchase", "retention"] {
        assert!(texts.contains(&stage), "no text `{stage}` in {texts:?}");
    }
    // Titles are escaped, not markup.
    assert!(texts.contains(&"The <Widget> & Co"), "{texts:?}");
    // Arrows, and the gaps outlined.
    let class = |c: &str| {
        doc.descendants()
            .filter(|n| {
                n.attribute("class")
                    .is_some_and(|a| a.split(' ').any(|x| x == c))
            })
            .count()
    };
    assert!(class("edge") >= 19);
    assert!(class("gap") >= 5, "the retention column and four boxes");
    // The same site gives the same bytes.
    let again = std::fs::read_to_string(site.path().join("map/funnel.svg")).unwrap();
    funnel(&site, &["--output", "map"]).assert_ok();
    assert_eq!(
        std::fs::read_to_string(site.path().join("map/funnel.svg")).unwrap(),
        again
    );
}

#[test]
fn check_reports_the_funnel_gaps_with_rule_ids() {
    let site = TestSite::copy_of("tests/fixtures/funnel-site");
    let root = site.path().to_string_lossy().into_owned();
    let run = lander(
        site.path(),
        &["check", "--root", &root, "--now", NOW, "--format", "json"],
    );
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let found: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {}:{}",
                f["severity"].as_str().unwrap(),
                f["rule"].as_str().unwrap(),
                f["file"].as_str().unwrap_or("-"),
                f["line"]
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            "warning stage-without-offer -:null",
            "warning no-cta content/blog/no-cta.md:null",
            "error expired-offer content/sale.md:11",
            "warning orphan-offer offers/lonely.yaml:null",
            "warning thanks-without-next offers/sale.yaml:4",
        ]
    );
    run.assert_fails();

    // The new rules turn off like the others, and the funnel agrees.
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap();
    let yaml = yaml.replace(
        "disable: [thin-content, description-length, product-without-buy]",
        "disable: [thin-content, description-length, product-without-buy, stage-without-offer, thanks-without-next]",
    );
    let site = site.file("site.yaml", &yaml);
    let run = lander(site.path(), &["check", "--root", &root, "--now", NOW]);
    assert!(
        !run.stdout.contains("stage-without-offer"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("thanks-without-next"),
        "{}",
        run.stdout
    );
    let summary = funnel(&site, &[]);
    assert!(!summary.assert_ok().stdout.contains("thanks-without-next"));
}

#[test]
fn without_output_it_prints_counts_and_gaps() {
    let site = TestSite::copy_of("tests/fixtures/funnel-site");
    let run = funnel(&site, &[]);
    run.assert_ok();
    let out = &run.stdout;
    assert!(
        out.starts_with("awareness        2 pages   2 offers     1 CTA\n"),
        "{out}"
    );
    assert!(out.contains("\n5 gaps\n"), "{out}");
    assert!(
        out.contains("  content/sale.md:11:1    expired-offer  the offer `old-deal` is not running on 2026-06-01"),
        "{out}"
    );
    assert!(!site.path().join("funnel.svg").exists());
}

#[test]
fn site_example_has_no_gaps() {
    let site = TestSite::copy_of("site-example");
    for now in ["2026-11-25", "2027-01-15"] {
        let run = lander(
            site.path(),
            &[
                "funnel",
                "--root",
                &site.path().to_string_lossy(),
                "--now",
                now,
            ],
        );
        assert!(
            run.assert_ok()
                .stdout
                .ends_with("ok: no gaps in the funnel\n"),
            "{}",
            run.stdout
        );
    }
}

#[test]
fn bad_flags_are_usage_errors_and_a_missing_site_is_named() {
    let site = TestSite::copy_of("tests/fixtures/funnel-site");
    let run = funnel(&site, &["--outptu", "x"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("--output"), "{}", run.stderr);

    let run = lander(site.path(), &["funnel", "--root", "no-such-site"]);
    run.assert_fails();
    run.assert_stderr_has("no-such-site");
    run.assert_stderr_has("site.yaml");

    let root = site.path().to_string_lossy().into_owned();
    let run = lander(site.path(), &["funnel", "--root", &root, "--now", "soon"]);
    run.assert_fails().assert_stderr_has("--now");
}

#[test]
fn a_big_stage_groups_its_pages() {
    let mut site = TestSite::minimal()
        .file("offers/guide.yaml", "headline: Guide\nstage: awareness\nthank_you: { title: Thanks, next: { text: Shop, url: / } }\n");
    for i in 0..15 {
        site = site.file(
            &format!("content/blog/post-{i:02}.md"),
            &format!("---\ntitle: Post {i}\noffer: guide\n---\nText.\n"),
        );
    }
    let root = site.path().to_string_lossy().into_owned();
    lander(site.path(), &["funnel", "--root", &root, "--output", "map"]).assert_ok();
    let svg = std::fs::read_to_string(site.path().join("map/funnel.svg")).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
    assert!(texts.contains(&"+3 more pages"), "{texts:?}");
    assert!(
        texts.contains(&"×3"),
        "the grouped pages' arrows, counted: {texts:?}"
    );
    assert!(texts.contains(&"15 pages · 1 offer · 15 CTAs"), "{texts:?}");
}
