//! `lander report`: which variant of each offer won. Views and leads per
//! offer variant ([`read`]) become conversion rates with a 95% interval,
//! the uplift against the first variant (the control) and a two-proportion
//! z-test ([`stats`]), and a verdict in plain words. [`text`], [`json`] and
//! [`html`] write the result; the JSON is also what `lander check` reads
//! back (`.lander/report.json`).

pub mod html;
pub mod json;
pub mod read;
pub mod stats;
pub mod text;

use serde::{Deserialize, Serialize};

use read::{Counts, Known, OfferCounts};
use stats::ZTest;

/// Where `lander report` saves its last result, relative to the site root.
pub const SAVED_REPORT: &str = ".lander/report.json";

/// Relative uplift assumed when two variants convert exactly alike, to say
/// how many views would reveal a difference of that size.
const TIE_UPLIFT: f64 = 0.2;

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub offers: Vec<OfferResult>,
    /// Bad rows skipped (each got a warning).
    pub skipped_rows: usize,
    /// Captured submissions marked as spam, not counted.
    pub spam: usize,
    /// Leads of an email already counted for the offer, not counted again.
    pub repeat_leads: usize,
}

/// One offer: its variants (the control first) and the verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfferResult {
    pub offer: String,
    pub variants: Vec<VariantResult>,
    pub verdict: Verdict,
}

/// One variant's figures. `variant` is `""` for an offer without variants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VariantResult {
    pub variant: String,
    pub views: u64,
    pub leads: u64,
    /// Leads per view; `None` without views.
    pub rate: Option<f64>,
    /// 95% Wilson interval of the rate.
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// Relative to the control: 0.5 is 50% more leads per view. `None` for
    /// the control itself, or when the control has no leads.
    pub uplift: Option<f64>,
    /// The z-test against the control (`None` for the control).
    pub z: Option<f64>,
    pub p_value: Option<f64>,
    /// Below the significance level (5%, split between the challengers).
    pub significant: bool,
}

/// What the figures say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// One variant is significantly better than the others tested against it.
    Winner,
    /// No significant difference yet.
    NotEnoughData,
    /// The offer has a single variant: nothing to compare.
    NoTest,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub status: Status,
    /// The winning variant, for `Status::Winner`.
    pub winner: Option<String>,
    /// About how many more views each variant needs before the test can
    /// tell (80% power), for `Status::NotEnoughData` when it can be said.
    pub more_views_per_variant: Option<u64>,
    /// In plain words: "amount beats percent: 8.7% vs 1.6%, p < 0.001".
    pub text: String,
}

/// The report of the counts read. With `known` (the site's offers), the
/// variants follow the offer file's order, so the control is the first
/// variant written, and variants without any row show with 0 views.
pub fn analyse(counts: OfferCounts, known: Option<&Known>, notes: &read::Notes) -> Report {
    let offers = counts
        .into_iter()
        .map(|(offer, mut variants)| {
            if let Some(order) = known.and_then(|k| k.get(&offer)) {
                for id in order {
                    if !variants.iter().any(|(v, _)| v == id) {
                        variants.push((id.clone(), Counts::default()));
                    }
                }
                variants.sort_by_key(|(v, _)| order.iter().position(|o| o == v));
            }
            analyse_offer(offer, &variants)
        })
        .collect();
    Report {
        offers,
        skipped_rows: notes.skipped,
        spam: notes.spam,
        repeat_leads: notes.repeats,
    }
}

fn analyse_offer(offer: String, variants: &[(String, Counts)]) -> OfferResult {
    let control = variants.first().map(|(_, c)| *c).unwrap_or_default();
    let challengers = variants.len().saturating_sub(1).max(1);
    let alpha = stats::ALPHA / challengers as f64;
    let results: Vec<VariantResult> = variants
        .iter()
        .enumerate()
        .map(|(i, (id, c))| {
            let rate = (c.views > 0).then(|| c.leads as f64 / c.views as f64);
            let ci = stats::wilson(c.leads, c.views);
            let test = (i > 0)
                .then(|| stats::two_proportion((control.leads, control.views), (c.leads, c.views)))
                .flatten();
            let control_rate =
                (control.views > 0).then(|| control.leads as f64 / control.views as f64);
            let uplift = match (i > 0, rate, control_rate) {
                (true, Some(r), Some(cr)) if cr > 0.0 => Some(r / cr - 1.0),
                _ => None,
            };
            VariantResult {
                variant: id.clone(),
                views: c.views,
                leads: c.leads,
                rate,
                ci_low: ci.map(|c| c.0),
                ci_high: ci.map(|c| c.1),
                uplift,
                z: test.map(|t| t.z),
                p_value: test.map(|t| t.p_value),
                significant: test.is_some_and(|t: ZTest| t.p_value < alpha),
            }
        })
        .collect();
    let verdict = verdict(&results, alpha);
    OfferResult {
        offer,
        variants: results,
        verdict,
    }
}

fn name(v: &VariantResult) -> &str {
    if v.variant.is_empty() {
        "(no variant)"
    } else {
        &v.variant
    }
}

fn verdict(vs: &[VariantResult], alpha: f64) -> Verdict {
    let plain = |status, text: String| Verdict {
        status,
        winner: None,
        more_views_per_variant: None,
        text,
    };
    let Some((control, challengers)) = vs.split_first().filter(|(_, rest)| !rest.is_empty()) else {
        let text = match vs.first() {
            Some(v) => format!(
                "no A/B test: {} ({} of {} views)",
                text::percent_or_dash(v.rate),
                text::thousands(v.leads),
                text::thousands(v.views)
            ),
            None => "no data".into(),
        };
        return plain(Status::NoTest, text);
    };
    let better = challengers
        .iter()
        .filter(|v| v.significant && v.z.is_some_and(|z| z > 0.0))
        .max_by(|a, b| a.rate.unwrap_or(0.0).total_cmp(&b.rate.unwrap_or(0.0)));
    let worse_all = challengers
        .iter()
        .all(|v| v.significant && v.z.is_some_and(|z| z < 0.0));
    let beats = |w: &VariantResult, l: &VariantResult, p: Option<f64>| Verdict {
        status: Status::Winner,
        winner: Some(w.variant.clone()),
        more_views_per_variant: None,
        text: format!(
            "{} beats {}: {} vs {}, {}",
            name(w),
            name(l),
            text::percent_or_dash(w.rate),
            text::percent_or_dash(l.rate),
            text::p_value(p)
        ),
    };
    if let Some(w) = better {
        return beats(w, control, w.p_value);
    }
    if worse_all {
        // The control wins against its closest challenger.
        if let Some(best) = challengers
            .iter()
            .max_by(|a, b| a.rate.unwrap_or(0.0).total_cmp(&b.rate.unwrap_or(0.0)))
        {
            return beats(control, best, best.p_value);
        }
    }
    if let Some(v) = vs.iter().find(|v| v.views == 0) {
        return plain(
            Status::NotEnoughData,
            format!("not enough data yet: no views of {}", name(v)),
        );
    }
    if vs.iter().all(|v| v.leads == 0) {
        return plain(
            Status::NotEnoughData,
            "not enough data yet: no leads so far".into(),
        );
    }
    // Views each undecided pair still needs: the largest of them.
    let cr = control.rate.unwrap_or(0.0);
    let more = challengers
        .iter()
        .filter(|v| !v.significant)
        .filter_map(|v| {
            let r = v.rate.unwrap_or(0.0);
            let target = if r == cr { cr * (1.0 + TIE_UPLIFT) } else { r };
            let needed = stats::views_needed(cr, target, alpha)?;
            Some(needed.saturating_sub(control.views.min(v.views)))
        })
        .max()
        .map(round_up_2_digits)
        .filter(|&n| n > 0);
    let text = match more {
        Some(n) => format!(
            "not enough data yet: about {} more views per variant needed",
            text::thousands(n)
        ),
        None => "not enough data yet: the difference is not significant".into(),
    };
    Verdict {
        status: Status::NotEnoughData,
        winner: None,
        more_views_per_variant: more,
        text,
    }
}

/// Rounds up to two significant digits: 7,958 → 8,000; 123 → 130.
fn round_up_2_digits(n: u64) -> u64 {
    let mut unit = 1u64;
    while n / unit >= 100 {
        unit = unit.saturating_mul(10);
    }
    n.div_ceil(unit).saturating_mul(unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(rows: &[(&str, u64, u64)]) -> Vec<(String, Counts)> {
        rows.iter()
            .map(|(id, views, leads)| {
                (
                    id.to_string(),
                    Counts {
                        views: *views,
                        leads: *leads,
                    },
                )
            })
            .collect()
    }

    #[test]
    fn a_large_gap_has_a_winner() {
        let r = analyse_offer(
            "pop".into(),
            &counts(&[("percent", 10_000, 160), ("amount", 10_000, 870)]),
        );
        assert_eq!(r.verdict.status, Status::Winner);
        assert_eq!(r.verdict.winner.as_deref(), Some("amount"));
        assert_eq!(
            r.verdict.text,
            "amount beats percent: 8.7% vs 1.6%, p < 0.001"
        );
        assert!((r.variants[1].uplift.unwrap() - (0.087 / 0.016 - 1.0)).abs() < 1e-9);
    }

    #[test]
    fn the_control_can_win() {
        let r = analyse_offer(
            "pop".into(),
            &counts(&[("a", 10_000, 870), ("b", 10_000, 160)]),
        );
        assert_eq!(r.verdict.winner.as_deref(), Some("a"));
        assert!(r.verdict.text.starts_with("a beats b: 8.7% vs 1.6%"));
    }

    #[test]
    fn a_small_sample_needs_more_views() {
        let r = analyse_offer("pop".into(), &counts(&[("a", 200, 10), ("b", 200, 12)]));
        assert_eq!(r.verdict.status, Status::NotEnoughData);
        let more = r.verdict.more_views_per_variant.unwrap();
        assert!((7_000..9_000).contains(&more), "{more}");
    }

    #[test]
    fn single_variant_is_no_test() {
        let r = analyse_offer("news".into(), &counts(&[("", 100, 5)]));
        assert_eq!(r.verdict.status, Status::NoTest);
        assert_eq!(r.verdict.text, "no A/B test: 5.0% (5 of 100 views)");
    }

    #[test]
    fn rounding_keeps_two_digits() {
        assert_eq!(round_up_2_digits(7_958), 8_000);
        assert_eq!(round_up_2_digits(123), 130);
        assert_eq!(round_up_2_digits(99), 99);
        assert_eq!(round_up_2_digits(0), 0);
    }
}
