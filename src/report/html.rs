//! The report as one self-contained HTML page: per offer, the verdict, a
//! bar chart of the conversion rates with their 95% intervals (SVG drawn
//! here, no JavaScript) and the table. Every id read from the files is
//! escaped.

use std::fmt::Write;

use super::text::{cells, percent, HEADERS};
use super::{OfferResult, Report, Status};
use crate::base::escape::escape;

const LABEL_W: f64 = 140.0;
const BAR_W: f64 = 420.0;
const VALUE_W: f64 = 70.0;
const ROW_H: f64 = 34.0;
const BAR_H: f64 = 20.0;
const AXIS_H: f64 = 24.0;

const STYLE: &str =
    "body{font:16px/1.5 system-ui,sans-serif;color:#1d2321;background:#fff;margin:0}\
main{max-width:46rem;margin:0 auto;padding:1.5rem}\
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-block-start:2rem}\
.verdict{font-weight:600}.verdict.winner{color:#1f6b3a}.verdict.wait{color:#7a5a00}\
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}\
th,td{padding:.25rem .5rem;border-block-end:1px solid #dde2df;text-align:end}\
th:first-child,td:first-child{text-align:start}\
svg{max-width:100%;height:auto;display:block;margin-block:1rem}\
.bar{fill:#9aa7a1}.bar.winner{fill:#1f6b3a}.interval{stroke:#1d2321;stroke-width:2}\
.axis{stroke:#bfc7c3}svg text{font-size:13px;fill:#1d2321}";

/// The page.
pub fn html(report: &Report) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<title>Which variant won: lander report</title>\n");
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>\n<main>");
    out.push_str("<h1>Which variant won</h1>\n");
    if report.offers.is_empty() {
        out.push_str("<p>No views or leads to report.</p>\n");
    }
    for offer in &report.offers {
        section(&mut out, offer);
    }
    if report.skipped_rows > 0 {
        let _ = writeln!(
            out,
            "<p>{} bad rows were skipped: <code>lander report</code> printed where they are.</p>",
            report.skipped_rows
        );
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn section(out: &mut String, offer: &OfferResult) {
    let id = escape(&offer.offer);
    let _ = writeln!(out, "<section id=\"offer-{id}\">\n<h2>{id}</h2>");
    let class = match offer.verdict.status {
        Status::Winner => "verdict winner",
        Status::NotEnoughData => "verdict wait",
        Status::NoTest => "verdict",
    };
    let _ = writeln!(
        out,
        "<p class=\"{class}\">{}</p>",
        escape(&offer.verdict.text)
    );
    out.push_str(&chart(offer));
    out.push_str("<table>\n<thead><tr>");
    for h in HEADERS {
        let _ = write!(out, "<th scope=\"col\">{h}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in cells(offer) {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let tag = if i == 0 { "th scope=\"row\"" } else { "td" };
            let close = if i == 0 { "th" } else { "td" };
            let _ = write!(out, "<{tag}>{}</{close}>", escape(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// A horizontal bar per variant, its length the conversion rate, with a
/// line across its 95% interval; the winner's bar is green.
pub fn chart(offer: &OfferResult) -> String {
    let max = offer
        .variants
        .iter()
        .filter_map(|v| v.ci_high.or(v.rate))
        .fold(0.0_f64, f64::max);
    let scale = nice_ceiling(max);
    let width = LABEL_W + BAR_W + VALUE_W;
    let height = ROW_H * offer.variants.len() as f64 + AXIS_H;
    let x_of = |rate: f64| {
        LABEL_W
            + if scale > 0.0 {
                rate / scale * BAR_W
            } else {
                0.0
            }
    };
    let id = escape(&offer.offer);
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" aria-labelledby=\"chart-{id}\">"
    );
    let _ = writeln!(
        svg,
        "<title id=\"chart-{id}\">Conversion rate per variant of {id}, with 95% intervals</title>"
    );
    for (i, v) in offer.variants.iter().enumerate() {
        let y = ROW_H * i as f64;
        let name = if v.variant.is_empty() {
            "-".to_string()
        } else {
            escape(&v.variant)
        };
        let winner = offer.verdict.winner.as_deref() == Some(v.variant.as_str());
        let rate = v.rate.unwrap_or(0.0);
        let bar_w = x_of(rate) - LABEL_W;
        let _ = writeln!(
            svg,
            "<g data-variant=\"{name}\"><text x=\"0\" y=\"{:.1}\">{name}</text>\
             <rect class=\"bar{}\" x=\"{LABEL_W}\" y=\"{:.1}\" width=\"{bar_w:.2}\" height=\"{BAR_H}\" data-rate=\"{rate}\"/>",
            y + ROW_H / 2.0 + 4.0,
            if winner { " winner" } else { "" },
            y + (ROW_H - BAR_H) / 2.0,
        );
        if let (Some(lo), Some(hi)) = (v.ci_low, v.ci_high) {
            let mid = y + ROW_H / 2.0;
            let _ = write!(
                svg,
                "<line class=\"interval\" x1=\"{:.2}\" x2=\"{:.2}\" y1=\"{mid:.1}\" y2=\"{mid:.1}\"/>",
                x_of(lo),
                x_of(hi)
            );
        }
        let label = v.rate.map_or_else(|| "no views".to_string(), percent);
        let _ = writeln!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\">{label}</text></g>",
            LABEL_W + BAR_W + 8.0,
            y + ROW_H / 2.0 + 4.0
        );
    }
    // The axis: 0 and the scale's top.
    let axis_y = ROW_H * offer.variants.len() as f64 + 4.0;
    let _ = writeln!(
        svg,
        "<line class=\"axis\" x1=\"{LABEL_W}\" x2=\"{:.1}\" y1=\"{axis_y:.1}\" y2=\"{axis_y:.1}\"/>\
         <text x=\"{LABEL_W}\" y=\"{:.1}\">0%</text><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
        LABEL_W + BAR_W,
        axis_y + 17.0,
        LABEL_W + BAR_W,
        axis_y + 17.0,
        percent(scale)
    );
    svg.push_str("</svg>\n");
    svg
}

/// The axis' top: the smallest of 1, 2, 2.5, 5 × 10^k at or above `max`.
fn nice_ceiling(max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 0.01;
    }
    let base = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * base)
        .find(|&v| v >= max * (1.0 - 1e-12))
        .unwrap_or(10.0 * base)
        .min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_tops_are_round() {
        assert!((nice_ceiling(0.093) - 0.1).abs() < 1e-12);
        assert!((nice_ceiling(0.0191) - 0.02).abs() < 1e-12);
        assert!((nice_ceiling(0.3) - 0.5).abs() < 1e-12);
        assert_eq!(nice_ceiling(0.0), 0.01);
        assert_eq!(nice_ceiling(0.97), 1.0);
    }
}
