//! The report as a terminal table, one block per offer, and the number
//! formats every output shares.

use std::fmt::Write;

use super::{OfferResult, Report};

/// `10000` → `10,000`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A rate as a percentage: `8.7%`; two decimals below 1% (`0.45%`).
pub fn percent(rate: f64) -> String {
    let pct = rate * 100.0;
    if pct != 0.0 && pct.abs() < 1.0 {
        format!("{pct:.2}%")
    } else {
        format!("{pct:.1}%")
    }
}

/// [`percent`], or `-` when there is no rate.
pub fn percent_or_dash(rate: Option<f64>) -> String {
    rate.map_or_else(|| "-".into(), percent)
}

/// `p < 0.001`, `p = 0.012`, `p = 0.66`.
pub fn p_value(p: Option<f64>) -> String {
    match p {
        None => "p = -".into(),
        Some(p) if p < 0.001 => "p < 0.001".into(),
        Some(p) if p < 0.01 => format!("p = {p:.3}"),
        Some(p) => format!("p = {p:.2}"),
    }
}

/// `+444%`, `-12%`.
pub fn uplift(u: f64) -> String {
    let pct = u * 100.0;
    if pct.abs() < 10.0 {
        format!("{pct:+.1}%")
    } else {
        format!("{pct:+.0}%")
    }
}

/// The cells of one variant's row: variant, views, leads, rate, interval,
/// uplift, p-value.
pub fn cells(offer: &OfferResult) -> Vec<[String; 7]> {
    offer
        .variants
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let interval = match (v.ci_low, v.ci_high) {
                (Some(lo), Some(hi)) => format!("{} – {}", percent(lo), percent(hi)),
                _ => "-".into(),
            };
            let (up, p) = if i == 0 {
                let control = if offer.variants.len() > 1 {
                    "control"
                } else {
                    ""
                };
                (control.to_string(), String::new())
            } else {
                (
                    v.uplift.map_or_else(|| "-".into(), uplift),
                    match v.p_value {
                        Some(p) if p < 0.001 => "< 0.001".into(),
                        Some(p) if p < 0.01 => format!("{p:.3}"),
                        Some(p) => format!("{p:.2}"),
                        None => "-".into(),
                    },
                )
            };
            [
                if v.variant.is_empty() {
                    "-".into()
                } else {
                    v.variant.clone()
                },
                thousands(v.views),
                thousands(v.leads),
                percent_or_dash(v.rate),
                interval,
                up,
                p,
            ]
        })
        .collect()
}

/// Column titles of [`cells`].
pub const HEADERS: [&str; 7] = [
    "variant",
    "views",
    "leads",
    "rate",
    "95% interval",
    "uplift",
    "p-value",
];

/// The table for people.
///
/// ```text
/// welcome-popup
///   variant   views  leads  rate  95% interval  uplift   p-value
///   percent  10,000    160  1.6%  1.4% – 1.9%   control
///   amount   10,000    870  8.7%  8.2% – 9.3%   +444%    < 0.001
///   amount beats percent: 8.7% vs 1.6%, p < 0.001
/// ```
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    if report.offers.is_empty() {
        out.push_str("No views or leads to report.\n");
    }
    for (n, offer) in report.offers.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "{}", offer.offer);
        let rows = cells(offer);
        let mut widths = HEADERS.map(|h| h.chars().count());
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        let line = |cells: &[String], out: &mut String| {
            let mut l = String::from(" ");
            for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
                let pad = w - cell.chars().count();
                l.push(' ');
                // Names left, numbers right.
                if i == 0 || i == 4 || i == 5 {
                    l.push_str(cell);
                    l.extend(std::iter::repeat_n(' ', pad));
                } else {
                    l.extend(std::iter::repeat_n(' ', pad));
                    l.push_str(cell);
                }
                l.push(' ');
            }
            let _ = writeln!(out, "{}", l.trim_end());
        };
        line(&HEADERS.map(String::from), &mut out);
        for row in &rows {
            line(row, &mut out);
        }
        let _ = writeln!(out, "  {}", offer.verdict.text);
    }
    let mut notes = Vec::new();
    if report.skipped_rows > 0 {
        notes.push(format!(
            "{} bad row{} skipped (see the warnings)",
            thousands(report.skipped_rows as u64),
            if report.skipped_rows == 1 { "" } else { "s" }
        ));
    }
    if report.spam > 0 {
        notes.push(format!(
            "{} spam submissions left out",
            thousands(report.spam as u64)
        ));
    }
    if report.repeat_leads > 0 {
        notes.push(format!(
            "{} repeat leads of the same email counted once",
            thousands(report.repeat_leads as u64)
        ));
    }
    if !notes.is_empty() {
        let _ = writeln!(out, "\n{}.", notes.join("; "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(percent(0.087), "8.7%");
        assert_eq!(percent(0.0045), "0.45%");
        assert_eq!(percent(0.0), "0.0%");
        assert_eq!(p_value(Some(0.0004)), "p < 0.001");
        assert_eq!(p_value(Some(0.6571)), "p = 0.66");
        assert_eq!(uplift(4.4375), "+444%");
        assert_eq!(uplift(-0.05), "-5.0%");
    }
}
