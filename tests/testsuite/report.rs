//! `lander report`, end to end: generated views and leads with a known
//! answer go through the real binary, and its figures are compared with a
//! reference computed here, independently (the closed-form z-test and
//! Wilson interval with an erfc of Numerical Recipes, not statrs; and
//! Python's math.erfc when python3 is there). Then bad rows, the capture
//! format of `lander serve`, the HTML chart, `winner:` and the
//! `missing-winner` check, and the `offer_view` event in Chromium.

use crate::common;

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use crate::common::browser::{goto, js, wait_js, Chrome, Js, Sink};
use crate::common::{lander, Page, Run, TestSite};
use scraper::Html;
use serde_json::Value;

// ---------------------------------------------------------------------------
// An independent reference
// ---------------------------------------------------------------------------

/// erfc with fractional error below 1.2e-7 everywhere (Numerical Recipes,
/// `erfcc`, a Chebyshev fit): another method than statrs' and libm's.
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let ans = t
        * (-z * z - 1.26551223
            + t * (1.00002368
                + t * (0.37409196
                    + t * (0.09678418
                        + t * (-0.18628806
                            + t * (0.27886807
                                + t * (-1.13520398
                                    + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
            .exp();
    if x >= 0.0 {
        ans
    } else {
        2.0 - ans
    }
}

/// The standard normal CDF.
fn phi(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// Its inverse, by bisection.
fn phi_inv(p: f64) -> f64 {
    let (mut lo, mut hi) = (-10.0, 10.0);
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if phi(mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo + hi) / 2.0
}

/// Pooled two-proportion z and its two-sided p-value.
fn z_test(x1: f64, n1: f64, x2: f64, n2: f64) -> (f64, f64) {
    let p = (x1 + x2) / (n1 + n2);
    let z = (x2 / n2 - x1 / n1) / (p * (1.0 - p) * (1.0 / n1 + 1.0 / n2)).sqrt();
    (z, erfc(z.abs() / std::f64::consts::SQRT_2))
}

/// The 95% Wilson score interval.
fn wilson(x: f64, n: f64) -> (f64, f64) {
    let z = phi_inv(0.975);
    let p = x / n;
    let d = 1.0 + z * z / n;
    let c = (p + z * z / (2.0 * n)) / d;
    let h = z / d * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    (c - h, c + h)
}

#[track_caller]
fn close(got: &Value, want: f64, rel: f64) {
    let got = got
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {got}"));
    let err = ((got - want) / want).abs();
    assert!(err < rel, "got {got}, want {want} (relative error {err:e})");
}

// ---------------------------------------------------------------------------
// Generated inputs
// ---------------------------------------------------------------------------

/// One variant of the generated test: id, views, leads.
type Arm = (&'static str, u64, u64);

/// `views.csv` as a GA4 export reduces to it: a `#` comment, then a row per
/// day and variant (the report sums them).
fn views_csv(offer: &str, arms: &[Arm]) -> String {
    let mut out = String::from("# offer_view events, exported from GA4\noffer,variant,views\n");
    for (variant, views, _) in arms {
        let days = 10;
        for d in 0..days {
            let share = views / days + u64::from(d < views % days);
            let _ = writeln!(out, "{offer},{variant},{share}");
        }
    }
    out
}

/// A mailing tool's CSV export: one contact per row, other columns too.
fn leads_csv(offer: &str, arms: &[Arm]) -> String {
    let mut out = String::from("Email Address,First Name,offer,variant,Signup Date\n");
    for (variant, _, leads) in arms {
        for i in 0..*leads {
            let _ = writeln!(
                out,
                "{variant}{i}@example.com,\"Doe, Jo\",{offer},{variant},2026-11-{:02}",
                1 + i % 28
            );
        }
    }
    out
}

const BIG: [Arm; 2] = [("percent", 10_000, 160), ("amount", 10_000, 870)];
const SMALL: [Arm; 2] = [("percent", 200, 10), ("amount", 200, 12)];

fn data_dir(arms: &[(&str, &[Arm])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let (mut views, mut leads) = (String::new(), String::new());
    for (i, (offer, a)) in arms.iter().enumerate() {
        let v = views_csv(offer, a);
        let l = leads_csv(offer, a);
        // One header per file.
        views.push_str(if i == 0 {
            &v
        } else {
            v.split_once("views\n").unwrap().1
        });
        leads.push_str(if i == 0 {
            &l
        } else {
            l.split_once("Date\n").unwrap().1
        });
    }
    std::fs::write(dir.path().join("views.csv"), views).unwrap();
    std::fs::write(dir.path().join("leads.csv"), leads).unwrap();
    dir
}

fn report(dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["report", "--leads", "leads.csv", "--views", "views.csv"];
    args.extend_from_slice(extra);
    lander(dir, &args)
}

fn report_json(dir: &Path) -> Value {
    let run = report(dir, &["--format", "json"]);
    run.assert_ok();
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

fn offer<'a>(json: &'a Value, id: &str) -> &'a Value {
    json["offers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["offer"] == id)
        .unwrap_or_else(|| panic!("no offer {id} in {json:#}"))
}

/// Checks every figure of `got` (one offer of the JSON) against the
/// reference for `arms`.
#[track_caller]
fn assert_matches_reference(got: &Value, arms: &[Arm]) {
    let (_, n0, x0) = arms[0];
    for (i, (id, n, x)) in arms.iter().enumerate() {
        let v = &got["variants"][i];
        assert_eq!(v["variant"], *id);
        assert_eq!(v["views"], *n);
        assert_eq!(v["leads"], *x);
        let (n, x) = (*n as f64, *x as f64);
        close(&v["rate"], x / n, 1e-12);
        let (lo, hi) = wilson(x, n);
        close(&v["ci_low"], lo, 1e-6);
        close(&v["ci_high"], hi, 1e-6);
        if i == 0 {
            assert_eq!(v["uplift"], Value::Null);
            assert_eq!(v["p_value"], Value::Null);
        } else {
            let (z, p) = z_test(x0 as f64, n0 as f64, x, n);
            close(&v["uplift"], (x / n) / (x0 as f64 / n0 as f64) - 1.0, 1e-9);
            close(&v["z"], z, 1e-9);
            close(&v["p_value"], p, 1e-5);
        }
    }
}

// ---------------------------------------------------------------------------
// The known answers
// ---------------------------------------------------------------------------

#[test]
fn large_gap_is_significant_and_matches_the_reference() {
    let dir = data_dir(&[("welcome-popup", &BIG)]);
    let json = report_json(dir.path());
    let pop = offer(&json, "welcome-popup");
    assert_matches_reference(pop, &BIG);
    assert_eq!(pop["variants"][1]["significant"], true);
    assert_eq!(pop["verdict"]["status"], "winner");
    assert_eq!(pop["verdict"]["winner"], "amount");
    assert_eq!(
        pop["verdict"]["text"],
        "amount beats percent: 8.7% vs 1.6%, p < 0.001"
    );
}

#[test]
fn small_sample_is_not_significant_and_says_how_many_views_are_missing() {
    let dir = data_dir(&[("welcome-popup", &SMALL)]);
    let json = report_json(dir.path());
    let pop = offer(&json, "welcome-popup");
    assert_matches_reference(pop, &SMALL);
    assert_eq!(pop["variants"][1]["significant"], false);
    assert_eq!(pop["verdict"]["status"], "not_enough_data");
    // Fleiss' sample size for 80% power at 5%, two-sided, minus the views
    // already there, rounded up to two significant digits.
    let (p1, p2): (f64, f64) = (0.05, 0.06);
    let (za, zb) = (phi_inv(0.975), phi_inv(0.8));
    let m = (p1 + p2) / 2.0;
    let n = ((za * (2.0 * m * (1.0 - m)).sqrt() + zb * (p1 * (1.0 - p1) + p2 * (1.0 - p2)).sqrt())
        .powi(2)
        / ((p2 - p1) * (p2 - p1)))
        .ceil() as u64;
    let more = n - 200;
    let unit = 10u64.pow((more as f64).log10().floor() as u32 - 1);
    let rounded = more.div_ceil(unit) * unit;
    assert_eq!(pop["verdict"]["more_views_per_variant"], rounded);
    let text = pop["verdict"]["text"].as_str().unwrap();
    let shown = rounded
        .to_string()
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(",");
    assert_eq!(
        text,
        format!("not enough data yet: about {shown} more views per variant needed")
    );
}

/// The p-values once more, against Python's libm erfc and NormalDist.
#[test]
fn p_values_agree_with_python() {
    let Ok(out) = std::process::Command::new("python3")
        .args([
            "-c",
            "import math,statistics as s\n\
             def t(x1,n1,x2,n2):\n p=(x1+x2)/(n1+n2); z=(x2/n2-x1/n1)/math.sqrt(p*(1-p)*(1/n1+1/n2)); return math.erfc(abs(z)/math.sqrt(2))\n\
             print(repr(t(160,10000,870,10000)), repr(t(10,200,12,200)), repr(s.NormalDist().inv_cdf(0.975)))",
        ])
        .output()
    else {
        eprintln!("SKIPPED: no python3");
        return;
    };
    let text = String::from_utf8(out.stdout).unwrap();
    let want: Vec<f64> = text
        .split_whitespace()
        .map(|s| s.parse().unwrap())
        .collect();
    assert_eq!(want.len(), 3, "{text}");
    assert!((phi_inv(0.975) - want[2]).abs() < 1e-6);
    let big = report_json(data_dir(&[("o", &BIG)]).path());
    close(&offer(&big, "o")["variants"][1]["p_value"], want[0], 1e-9);
    let small = report_json(data_dir(&[("o", &SMALL)]).path());
    close(&offer(&small, "o")["variants"][1]["p_value"], want[1], 1e-9);
}

/// The table as a person reads it; `content/report.md` shows this very
/// output, so the docs cannot drift from the program.
#[test]
fn text_table_shows_the_figures_and_is_the_one_in_the_docs() {
    let dir = data_dir(&[("welcome-popup", &BIG), ("spring-sale", &SMALL)]);
    let run = report(dir.path(), &[]);
    run.assert_ok();
    let out = &run.stdout;
    let pop_amount = out
        .lines()
        .find(|l| l.trim_start().starts_with("amount") && l.contains("10,000"))
        .unwrap_or_else(|| panic!("no amount row:\n{out}"));
    for cell in ["10,000", "870", "8.7%", "< 0.001"] {
        assert!(
            pop_amount.contains(cell),
            "{cell} missing in {pop_amount:?}"
        );
    }
    assert!(
        out.contains("  amount beats percent: 8.7% vs 1.6%, p < 0.001\n"),
        "{out}"
    );
    assert!(out.contains("  not enough data yet: about"), "{out}");
    let docs = std::fs::read_to_string(common::repo().join("content/report.md")).unwrap();
    assert!(
        docs.contains(out.as_str()),
        "content/report.md does not show the current output:\n{out}"
    );
}

// ---------------------------------------------------------------------------
// Bad input
// ---------------------------------------------------------------------------

#[test]
fn bad_rows_are_located_skipped_and_fail_only_with_strict() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("views.csv"),
        "offer,variant,views\npop,a,100\npop,b,lots\npop,b\npop,b,100\n,b,5\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("leads.csv"),
        "offer,variant\npop,a\npop,b\npop,b\n,b\n",
    )
    .unwrap();
    let run = report(dir.path(), &["--format", "json"]);
    run.assert_ok()
        .assert_stderr_has("views.csv:3:1: views `lots` is not a whole number; the row is skipped")
        .assert_stderr_has("views.csv:4:1: the row has 2 fields, the header 3")
        .assert_stderr_has("views.csv:6:1: the row has no offer")
        .assert_stderr_has("leads.csv:5:1: the row has no offer");
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["skipped_rows"], 4);
    let pop = offer(&json, "pop");
    assert_eq!(pop["variants"][1]["views"], 100, "bad rows must not count");
    assert_eq!(pop["variants"][1]["leads"], 2);

    let strict = report(dir.path(), &["--strict"]);
    strict.assert_fails();
    assert!(
        strict.stdout.contains("4 bad rows skipped"),
        "{}",
        strict.stdout
    );
}

#[test]
fn a_views_file_without_its_columns_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("views.csv"),
        "offer,variant,count\npop,a,1\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("leads.csv"), "offer,variant\npop,a\n").unwrap();
    report(dir.path(), &[])
        .assert_fails()
        .assert_stderr_has(
            "error: views.csv:1:1: the header has no `views` column (found: offer, variant, count)",
        )
        .assert_stderr_has("help: the views file starts with the line `offer,variant,views`");
    lander(
        dir.path(),
        &["report", "--leads", "leads.csv", "--views", "nope.csv"],
    )
    .assert_fails()
    .assert_stderr_has("nope.csv: could not read the views file");
}

/// Leads as `lander serve` writes them today: the library's own capture
/// code makes the lines. Spam is left out, a quiz's early lead and its
/// final answer (same email) count once, a line that is not JSON is a bad row.
#[test]
fn capture_file_of_lander_serve_is_read() {
    use lander::serve::capture::Submission;
    let dir = tempfile::tempdir().unwrap();
    let mut jsonl = String::new();
    let mut line = |body: &str| {
        let s = Submission::parse("application/x-www-form-urlencoded", body.as_bytes()).unwrap();
        jsonl.push_str(&s.record("2026-11-30T10:00:00Z", Some("/")).to_string());
        jsonl.push('\n');
    };
    for i in 0..7 {
        line(&format!("offer=pop&variant=amount&email=a{i}%40x.test"));
    }
    for i in 0..3 {
        line(&format!("offer=pop&variant=percent&email=p{i}%40x.test"));
    }
    line("offer=pop&variant=amount&email=bot%40x.test&_honey=gotcha");
    line("offer=pop&variant=percent&email=p0%40x.test&quiz_step=final");
    line("email=nooffer%40x.test");
    jsonl.push_str("{not json\n");
    std::fs::write(dir.path().join("leads.jsonl"), jsonl).unwrap();
    std::fs::write(
        dir.path().join("views.csv"),
        "offer,variant,views\npop,percent,300\npop,amount,300\n",
    )
    .unwrap();
    let run = lander(
        dir.path(),
        &[
            "report",
            "--leads",
            "leads.jsonl",
            "--views",
            "views.csv",
            "--format",
            "json",
        ],
    );
    run.assert_ok()
        .assert_stderr_has("leads.jsonl:13:1: the submission has no `offer`")
        .assert_stderr_has("leads.jsonl:14:1: the line is not JSON");
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let pop = offer(&json, "pop");
    assert_eq!(pop["variants"][0]["variant"], "percent");
    assert_eq!(pop["variants"][0]["leads"], 3);
    assert_eq!(pop["variants"][1]["leads"], 7);
    assert_eq!(json["spam"], 1);
    assert_eq!(json["repeat_leads"], 1);
    assert_eq!(json["skipped_rows"], 2);
}

// ---------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------

#[test]
fn html_page_draws_a_bar_per_variant_to_scale() {
    let dir = data_dir(&[("welcome-popup", &BIG), ("spring-sale", &SMALL)]);
    report(dir.path(), &["--format", "html", "--output", "report.html"]).assert_ok();
    let text = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    let page = Page(Html::parse_document(&text));
    assert!(page.all("script").is_empty(), "no JavaScript");
    assert_eq!(page.all("section svg").len(), 2);
    let sel = "#offer-welcome-popup svg rect.bar";
    let widths: Vec<f64> = page
        .attrs(sel, "width")
        .iter()
        .map(|w| w.parse().unwrap())
        .collect();
    assert_eq!(widths.len(), 2);
    let ratio = widths[1] / widths[0];
    assert!(
        (ratio - 870.0 / 160.0).abs() < 1e-2,
        "bars not to scale: {widths:?}"
    );
    let winner = page.all("#offer-welcome-popup rect.bar.winner");
    assert_eq!(winner.len(), 1);
    assert_eq!(
        winner[0]
            .parent()
            .and_then(scraper::ElementRef::wrap)
            .unwrap()
            .value()
            .attr("data-variant"),
        Some("amount")
    );
    assert!(page.all("#offer-spring-sale rect.winner").is_empty());
    assert_eq!(
        page.text("#offer-welcome-popup .verdict"),
        "amount beats percent: 8.7% vs 1.6%, p < 0.001"
    );
    // The SVG is well-formed XML.
    for svg in page.all("svg") {
        roxmltree::Document::parse(&svg.html()).expect("SVG parses as XML");
    }
}

#[test]
fn ids_from_the_files_are_escaped_in_html() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("views.csv"),
        "offer,variant,views\n\"<script>x</script>\",\"a&b\",10\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("leads.csv"), "offer,variant\n").unwrap();
    let run = report(dir.path(), &["--format", "html"]);
    run.assert_ok();
    assert!(!run.stdout.contains("<script>"), "{}", run.stdout);
    assert!(run.stdout.contains("&lt;script&gt;"));
}

// ---------------------------------------------------------------------------
// In a site: variant order, typos, the saved report, `winner:` and check
// ---------------------------------------------------------------------------

fn site_with_data(arms: &[Arm]) -> TestSite {
    let site = TestSite::copy_of("tests/fixtures/report");
    // The views file lists the challenger first: the offer's order wins.
    let mut rev = arms.to_vec();
    rev.reverse();
    site.write("views.csv", views_csv("pop", &rev).as_bytes());
    site.write("leads.csv", leads_csv("pop", arms).as_bytes());
    site
}

#[test]
fn in_a_site_the_offer_file_orders_the_variants_and_catches_typos() {
    let site = site_with_data(&BIG);
    let mut views = std::fs::read_to_string(site.path().join("views.csv")).unwrap();
    views.push_str("pop,amout,5\npopp,amount,5\n");
    site.write("views.csv", views.as_bytes());
    let run = report(site.path(), &["--format", "json"]);
    run.assert_ok()
        .assert_stderr_has("the offer `pop` has no variant `amout`; the row is skipped\n  help: did you mean `amount`?")
        .assert_stderr_has("the site has no offer `popp`; the row is skipped\n  help: did you mean `pop`?");
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_matches_reference(offer(&json, "pop"), &BIG);
    // The offer without views shows no row; the saved copy is the output.
    let saved = std::fs::read_to_string(site.path().join(".lander/report.json")).unwrap();
    assert_eq!(serde_json::from_str::<Value>(&saved).unwrap(), json);
}

#[test]
fn check_warns_about_a_clear_winner_until_winner_is_set() {
    let site = site_with_data(&BIG);
    report(site.path(), &[]).assert_ok();
    let root = site.path().to_str().unwrap().to_string();
    let check = lander(site.path(), &["check", "--root", &root, "--format", "json"]);
    let json: Value =
        serde_json::from_str(&check.stdout).unwrap_or_else(|e| panic!("{e}: {}", check.stdout));
    let found: Vec<&Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "missing-winner")
        .collect();
    assert_eq!(found.len(), 1, "{json:#}");
    assert_eq!(found[0]["file"], "offers/pop.yaml");
    assert_eq!(found[0]["line"], 9, "the line of `variants:`");
    assert_eq!(found[0]["severity"], "warning");
    assert!(found[0]["help"]
        .as_str()
        .unwrap()
        .contains("winner: amount"));
    lander(site.path(), &["check", "--root", &root, "--strict"]).assert_fails();

    // Locked in: the warning goes, the page shows the winner only.
    let pop = std::fs::read_to_string(site.path().join("offers/pop.yaml")).unwrap();
    site.write(
        "offers/pop.yaml",
        format!("{pop}winner: amount\n").as_bytes(),
    );
    let check = lander(site.path(), &["check", "--root", &root]);
    assert!(!check.stdout.contains("missing-winner"), "{}", check.stdout);
    site.build(&[]).assert_ok();
    let page = site.html("offers/pop/index.html");
    assert_eq!(
        page.attrs("[data-lander-variant]", "data-lander-variant"),
        ["amount"]
    );
    assert!(page.all("[data-lander-variant][hidden]").is_empty());
    assert!(!site
        .read("offers/pop/index.html")
        .contains("10% off your first order"));
    assert_eq!(page.attr("input[name=variant]", "value"), "amount");
    let variants: Value =
        serde_json::from_str(&page.attr("[data-variants]", "data-variants")).unwrap();
    assert_eq!(variants.as_array().unwrap().len(), 1);
    // The report still compares both: they stay in the file.
    let json = report_json(site.path());
    assert_eq!(offer(&json, "pop")["variants"].as_array().unwrap().len(), 2);
}

#[test]
fn unknown_winner_fails_the_build_with_its_line_and_a_suggestion() {
    let site = TestSite::copy_of("tests/fixtures/report");
    let pop = std::fs::read_to_string(site.path().join("offers/pop.yaml")).unwrap();
    site.write(
        "offers/pop.yaml",
        format!("{pop}winner: amout\n").as_bytes(),
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("offers/pop.yaml:15:1: the offer has no variant `amout`")
        .assert_stderr_has("help: did you mean `amount`?");
}

// ---------------------------------------------------------------------------
// offer_view in a real browser
// ---------------------------------------------------------------------------

/// A page with one offer block at the top and one far below the fold.
fn browser_site() -> TestSite {
    let filler = "Olive oil keeps best in the dark, away from the stove. ".repeat(400);
    TestSite::copy_of("tests/fixtures/report").file(
        "content/long.md",
        &format!(
            "---\ntitle: \"Long read\"\ndescription: \"A long page with an offer block at the top and one at the bottom.\"\n---\n{{{{ cta(offer=\"pop\") }}}}\n\n{filler}\n\n{{{{ cta(offer=\"news\") }}}}\n"
        ),
    )
}

fn views_of(tab: &headless_chrome::Tab) -> Vec<Value> {
    js(
        tab,
        "(window.dataLayer || []).filter(e => e.event === 'offer_view')",
    )
    .as_array()
    .cloned()
    .unwrap_or_default()
}

/// Scrolls so that `fraction` of the `news` block is inside the viewport
/// (from the bottom edge), then lets the observer run.
fn show_news(tab: &headless_chrome::Tab, fraction: f64) {
    js(
        tab,
        &format!(
            "(() => {{ const b = document.querySelector('[data-lander-offer=news]'); \
             const r = b.getBoundingClientRect(); \
             window.scrollBy(0, r.top - innerHeight + r.height * {fraction}); return r.height; }})()"
        ),
    );
    // Two frames and a margin: IntersectionObserver reports asynchronously.
    std::thread::sleep(Duration::from_millis(300));
}

#[test]
fn offer_view_is_pushed_once_per_block_when_half_visible() {
    let Some(chrome) = Chrome::launch(Js::On) else {
        return;
    };
    let site = browser_site();
    let sink = Sink::start(&site.out());
    site.build(&["--base-url", &sink.base_url()]).assert_ok();
    let tab = chrome.tab();
    goto(&tab, &sink.url("/long/"));
    assert!(
        wait_js(
            &tab,
            "(window.dataLayer || []).some(e => e.event === 'offer_view')",
            Duration::from_secs(5)
        ),
        "no offer_view for the block in view"
    );
    std::thread::sleep(Duration::from_millis(300));
    let seen = views_of(&tab);
    assert_eq!(seen.len(), 1, "only the block in view: {seen:?}");
    assert_eq!(seen[0]["offer"], "pop");
    assert_eq!(seen[0]["stage"], "purchase");
    let shown = js(
        &tab,
        "[...document.querySelectorAll('[data-lander-offer=pop] [data-lander-variant]')].filter(e => e.checkVisibility()).map(e => e.dataset.landerVariant)",
    );
    assert_eq!(
        shown,
        Value::from(vec![seen[0]["variant"].clone()]),
        "the event names the variant shown"
    );

    show_news(&tab, 0.3);
    assert_eq!(
        views_of(&tab).len(),
        1,
        "a third of the block is not a view"
    );
    show_news(&tab, 0.8);
    let seen = views_of(&tab);
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[1]["offer"], "news");
    assert_eq!(seen[1]["variant"], "");
    // Away and back: still one view per block on this page view.
    js(&tab, "window.scrollTo(0, 0)");
    std::thread::sleep(Duration::from_millis(300));
    show_news(&tab, 1.0);
    assert_eq!(views_of(&tab).len(), 2, "{:?}", views_of(&tab));

    // A new page view counts again.
    goto(&tab, &sink.url("/long/"));
    assert!(wait_js(
        &tab,
        "(window.dataLayer || []).filter(e => e.event === 'offer_view').length === 1",
        Duration::from_secs(5)
    ));
}

/// An offer in a popup is seen when the popup opens, not before.
#[test]
fn offer_view_of_a_popup_waits_for_the_popup() {
    let Some(chrome) = Chrome::launch(Js::On) else {
        return;
    };
    let site = TestSite::copy_of("tests/fixtures/report")
        .file(
            "offers/flash.yaml",
            "headline: \"Flash sale\"\nstage: bofu\nform:\n  fields:\n    - { name: email, type: email, label: \"Email\", required: true }\n\
             popup: { trigger: delay, delay: 2, pages: [\"/short/\"] }\n\
             thank_you: { title: \"Thanks\", next: { text: \"Home\", url: \"/\" } }\n",
        )
        .file(
            "content/short.md",
            "---\ntitle: \"Short\"\ndescription: \"A page with a popup only.\"\n---\nA short page.\n",
        );
    let sink = Sink::start(&site.out());
    site.build(&["--base-url", &sink.base_url()]).assert_ok();
    let tab = chrome.tab();
    goto(&tab, &sink.url("/short/"));
    std::thread::sleep(Duration::from_millis(500));
    let before = views_of(&tab);
    assert!(
        js(
            &tab,
            "document.querySelector('[data-lander-popup=flash]').hidden"
        ) == Value::Bool(true),
        "the popup should still be closed"
    );
    assert!(
        before.is_empty(),
        "a closed popup is not a view: {before:?}"
    );
    assert!(
        wait_js(
            &tab,
            "(window.dataLayer || []).some(e => e.event === 'offer_view' && e.offer === 'flash')",
            Duration::from_secs(5)
        ),
        "no offer_view once the popup opened"
    );
    assert_eq!(
        js(
            &tab,
            "document.querySelector('[data-lander-popup=flash]').hidden"
        ),
        Value::Bool(false)
    );
    assert_eq!(views_of(&tab).len(), 1);
}

// ---------------------------------------------------------------------------
// lander funnel --report
// ---------------------------------------------------------------------------

#[test]
fn funnel_shows_the_verdicts_of_a_saved_report() {
    let site = site_with_data(&BIG);
    report(site.path(), &[]).assert_ok();
    let root = site.path().to_str().unwrap().to_string();
    let saved = site.path().join(".lander/report.json");
    let saved = saved.to_str().unwrap();
    let run = lander(site.path(), &["funnel", "--root", &root, "--report", saved]);
    run.assert_ok();
    assert!(
        run.stdout.contains("A/B tests (from the report)\n  /offers/pop/  amount beats percent: 8.7% vs 1.6%, p < 0.001\n"),
        "{}",
        run.stdout
    );
    let out = site.path().join("map");
    let out = out.to_str().unwrap();
    lander(
        site.path(),
        &[
            "funnel", "--root", &root, "--report", saved, "--output", out,
        ],
    )
    .assert_ok();
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(site.path().join("map/funnel.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json["tests"]["/offers/pop/"]["winner"], "amount");
    assert_eq!(json["tests"]["/offers/pop/"]["status"], "winner");
    let svg = std::fs::read_to_string(site.path().join("map/funnel.svg")).unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("SVG parses");
    let marks: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("test winner"))
        .collect();
    assert_eq!(marks.len(), 1, "one mark, on the tested offer");
    let title = marks[0]
        .children()
        .find(|c| c.has_tag_name("title"))
        .and_then(|t| t.text())
        .unwrap_or_default();
    assert!(
        title.contains("(/offers/pop/): amount beats percent"),
        "{title}"
    );
    // Without --report: no tests in the JSON, no marks.
    lander(site.path(), &["funnel", "--root", &root, "--output", out]).assert_ok();
    let plain = std::fs::read_to_string(site.path().join("map/funnel.json")).unwrap();
    assert!(!plain.contains("\"tests\""));
    // A report that is not one is an error with its file.
    site.write("bad.json", b"[1, 2]");
    lander(
        site.path(),
        &["funnel", "--root", &root, "--report", "bad.json"],
    )
    .assert_fails()
    .assert_stderr_has("bad.json: the report does not parse");
}
