//! The statistics of an A/B test on conversion rates: a Wilson interval per
//! variant, the two-proportion z-test of a variant against the control, and
//! the sample size that test needs. The normal distribution is statrs'.

use statrs::distribution::{ContinuousCDF, Normal};

/// The significance level of every test (two-sided), before the Bonferroni
/// split over several challengers.
pub const ALPHA: f64 = 0.05;
/// The power the sample-size estimate aims at.
pub const POWER: f64 = 0.8;

fn standard_normal() -> Normal {
    // Mean 0 and standard deviation 1 are always valid parameters.
    Normal::standard()
}

/// The standard normal quantile: `z(0.975)` is 1.96.
pub fn z(p: f64) -> f64 {
    standard_normal().inverse_cdf(p)
}

/// The Wilson score interval at 95% for `leads` out of `views`: unlike the
/// textbook `p ± 1.96·se` it stays inside [0, 1] and is honest at 0 leads.
pub fn wilson(leads: u64, views: u64) -> Option<(f64, f64)> {
    if views == 0 {
        return None;
    }
    let n = views as f64;
    let p = leads as f64 / n;
    let z = z(1.0 - ALPHA / 2.0);
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// A two-proportion z-test (pooled variance) of `b` against `a`, each
/// `(leads, views)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ZTest {
    /// Positive when `b` converts better than `a`.
    pub z: f64,
    /// Two-sided.
    pub p_value: f64,
}

/// `None` when there is nothing to compare: no views on a side, or no lead
/// (or only leads) on both.
pub fn two_proportion(a: (u64, u64), b: (u64, u64)) -> Option<ZTest> {
    let (xa, na) = (a.0 as f64, a.1 as f64);
    let (xb, nb) = (b.0 as f64, b.1 as f64);
    if na == 0.0 || nb == 0.0 {
        return None;
    }
    let pooled = (xa + xb) / (na + nb);
    let se = (pooled * (1.0 - pooled) * (1.0 / na + 1.0 / nb)).sqrt();
    if se == 0.0 || !se.is_finite() {
        return None;
    }
    let z = (xb / nb - xa / na) / se;
    // cdf(-|z|) rather than 1 - cdf(|z|): it keeps tiny p-values from
    // rounding to 0.
    let p_value = (2.0 * standard_normal().cdf(-z.abs())).min(1.0);
    Some(ZTest { z, p_value })
}

/// Views per variant that a two-sided test at `alpha` with [`POWER`] needs
/// to tell rate `p1` from rate `p2` (the normal approximation, Fleiss).
pub fn views_needed(p1: f64, p2: f64, alpha: f64) -> Option<u64> {
    let delta = (p1 - p2).abs();
    if delta == 0.0 || !delta.is_finite() {
        return None;
    }
    let za = z(1.0 - alpha / 2.0);
    let zb = z(POWER);
    let mean = (p1 + p2) / 2.0;
    let n = (za * (2.0 * mean * (1.0 - mean)).sqrt()
        + zb * (p1 * (1.0 - p1) + p2 * (1.0 - p2)).sqrt())
    .powi(2)
        / (delta * delta);
    Some(n.ceil() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_the_textbook_ones() {
        assert!((z(0.975) - 1.959964).abs() < 1e-6);
        assert!((z(0.8) - 0.841621).abs() < 1e-6);
    }

    #[test]
    fn wilson_stays_in_bounds_and_covers_the_rate() {
        let (lo, hi) = wilson(0, 50).unwrap();
        assert_eq!(lo, 0.0);
        assert!(hi > 0.0 && hi < 0.1);
        let (lo, hi) = wilson(160, 10_000).unwrap();
        assert!(lo < 0.016 && 0.016 < hi);
        assert!(wilson(0, 0).is_none());
    }

    #[test]
    fn z_test_is_symmetric_and_needs_data() {
        let t = two_proportion((160, 10_000), (870, 10_000)).unwrap();
        let back = two_proportion((870, 10_000), (160, 10_000)).unwrap();
        assert!(t.z > 20.0);
        assert!((t.z + back.z).abs() < 1e-12);
        assert!(t.p_value > 0.0 && t.p_value < 1e-50);
        assert!(two_proportion((0, 100), (0, 100)).is_none());
        assert!(two_proportion((1, 0), (0, 100)).is_none());
    }

    #[test]
    fn sample_size_grows_as_the_gap_shrinks() {
        let wide = views_needed(0.05, 0.10, ALPHA).unwrap();
        let narrow = views_needed(0.05, 0.06, ALPHA).unwrap();
        assert!(wide < narrow);
        assert!(views_needed(0.05, 0.05, ALPHA).is_none());
    }
}
