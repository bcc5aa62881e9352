//! The funnel drawn as SVG: a column per stage (name and counts on top),
//! pages on the left of each column, offers, thank-you pages and next
//! steps on the right, calls-to-action as arrows, gaps in red.
//!
//! Written by hand (no SVG crate); every title is escaped. Stays readable
//! on big sites: past [`MAX_PAGES`] pages a column shows one
//! "+N more pages" box that carries their arrows, with counts.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write;

use super::{Column, EdgeKind, Funnel, GapKind, Node, NodeKind, OfferStatus};
use crate::base::words::plural;

/// Page boxes shown per column before the rest are grouped.
pub const MAX_PAGES: usize = 12;
/// Characters of a title shown in a box.
const TITLE_CHARS: usize = 22;

const MARGIN: f64 = 20.0;
const COL_W: f64 = 330.0;
const GUTTER: f64 = 50.0;
const BOX_W: f64 = 145.0;
const BOX_H: f64 = 30.0;
const ROW: f64 = 40.0;
const TOP: f64 = 84.0;
const LEGEND_H: f64 = 70.0;

/// A box of the drawing: a node, or a column's "+N more pages".
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub label: String,
    /// Full title and URL, shown on hover.
    pub tooltip: String,
    pub class: &'static str,
    pub gap: bool,
    /// The A/B test's verdict (`lander funnel --report`): the class of the
    /// mark drawn on the box, `winner` or `wait`.
    pub test: Option<&'static str>,
    pub x: f64,
    pub y: f64,
}

/// What is drawn, before it becomes text: boxes, and arrows between them
/// aggregated per (from box, to box, kind).
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub columns: Vec<(Column, bool)>,
    pub slots: Vec<Slot>,
    /// (from slot, to slot, kind) → count.
    pub arrows: BTreeMap<(usize, usize, EdgeKind), usize>,
    pub width: f64,
    pub height: f64,
}

pub fn layout(f: &Funnel) -> Layout {
    let gap_nodes: HashSet<&str> = f.gaps.iter().filter_map(|g| g.node.as_deref()).collect();
    let gap_stages: HashSet<_> = f
        .gaps
        .iter()
        .filter(|g| g.kind == GapKind::StageWithoutOffer)
        .filter_map(|g| g.stage)
        .collect();
    let mut slots = Vec::new();
    let mut slot_of: BTreeMap<&str, usize> = BTreeMap::new();
    let mut rows_max = 0usize;
    for (c, col) in drawn_order(&f.stages).enumerate() {
        let x = MARGIN + c as f64 * (COL_W + GUTTER);
        let here = |n: &&Node| n.stage == col.stage;
        // Pages with gaps first, so the grouped ones are the fine ones.
        let mut pages: Vec<&Node> = f
            .nodes
            .iter()
            .filter(here)
            .filter(|n| n.kind.is_page())
            .collect();
        pages.sort_by_key(|n| (!gap_nodes.contains(n.url.as_str()), n.url.as_str()));
        let shown = if pages.len() > MAX_PAGES {
            MAX_PAGES
        } else {
            pages.len()
        };
        for (row, n) in pages.iter().enumerate() {
            if row < shown {
                slot_of.insert(&n.url, slots.len());
                slots.push(node_slot(f, n, gap_nodes.contains(n.url.as_str()), x, row));
            } else {
                slot_of.insert(&n.url, slots.len());
            }
        }
        if pages.len() > shown {
            let more = pages.len() - shown;
            slots.push(Slot {
                label: format!("+{more} more pages"),
                tooltip: format!("{more} more pages of this stage"),
                class: "more",
                gap: pages[shown..]
                    .iter()
                    .any(|n| gap_nodes.contains(n.url.as_str())),
                test: None,
                x,
                y: TOP + shown as f64 * ROW,
            });
        }
        let mut right: Vec<&Node> = f
            .nodes
            .iter()
            .filter(here)
            .filter(|n| !n.kind.is_page())
            .collect();
        // Each offer, then its thank-you page (`/offers/x/thanks/`), then links.
        right.sort_by_key(|n| (n.kind == NodeKind::Link, n.url.as_str()));
        for (row, n) in right.iter().enumerate() {
            slot_of.insert(&n.url, slots.len());
            let gap = gap_nodes.contains(n.url.as_str());
            slots.push(node_slot(f, n, gap, x + COL_W - BOX_W, row));
        }
        rows_max = rows_max
            .max(shown + usize::from(pages.len() > shown))
            .max(right.len());
    }
    let mut arrows = BTreeMap::new();
    for e in &f.edges {
        let (Some(&a), Some(&b)) = (slot_of.get(e.from.as_str()), slot_of.get(e.to.as_str()))
        else {
            continue;
        };
        if a != b {
            *arrows.entry((a, b, e.kind)).or_insert(0) += e.count;
        }
    }
    let columns = drawn_order(&f.stages)
        .map(|c| (c.clone(), c.stage.is_some_and(|s| gap_stages.contains(&s))))
        .collect::<Vec<_>>();
    let n = columns.len().max(1) as f64;
    Layout {
        width: 2.0 * MARGIN + n * COL_W + (n - 1.0) * GUTTER,
        height: TOP + rows_max.max(1) as f64 * ROW + LEGEND_H,
        columns,
        slots,
        arrows,
    }
}

/// Pages with no stage (often the home page: where visitors enter) on the
/// left, then the stages in order.
fn drawn_order(stages: &[Column]) -> impl Iterator<Item = &Column> {
    let none = stages.iter().filter(|c| c.stage.is_none());
    none.chain(stages.iter().filter(|c| c.stage.is_some()))
}

fn node_slot(f: &Funnel, n: &Node, gap: bool, x: f64, row: usize) -> Slot {
    let class = match (n.kind, n.status) {
        (NodeKind::Offer, Some(OfferStatus::Running)) => "offer",
        (NodeKind::Offer, _) => "offer stopped",
        (NodeKind::Thanks, _) => "thanks",
        (NodeKind::Link, _) => "link",
        _ => "page",
    };
    let mark = f.tests.get(&n.url);
    let mut tooltip = format!("{} ({})", n.title, n.url);
    if let Some(m) = mark {
        tooltip.push_str(": ");
        tooltip.push_str(&m.verdict);
    }
    Slot {
        label: truncate(&n.title, TITLE_CHARS),
        tooltip,
        class,
        gap,
        test: mark.map(|m| match m.status {
            crate::report::Status::Winner => "winner",
            _ => "wait",
        }),
        x,
        y: TOP + row as f64 * ROW,
    }
}

/// The drawing as an SVG document.
pub fn draw(f: &Funnel) -> String {
    let l = layout(f);
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         font-family=\"system-ui, sans-serif\" font-size=\"12\" role=\"img\" aria-labelledby=\"funnel-title\">\
         <title id=\"funnel-title\">Funnel: pages, offers and calls-to-action by stage</title>\
         <style>\
         .page{{fill:#f4f6fb;stroke:#5b6b8c}}.offer{{fill:#e8f5e9;stroke:#2e7d32}}\
         .stopped{{fill:#f1f1f1;stroke:#888;stroke-dasharray:4 3}}.thanks{{fill:#fff8e1;stroke:#b28704}}\
         .link{{fill:#fff;stroke:#999}}.more{{fill:#fff;stroke:#5b6b8c;stroke-dasharray:2 2}}\
         .gap{{stroke:#d32f2f;stroke-width:2.5}}.col{{fill:#fafafa;stroke:#e0e0e0}}\
         .col.gap{{stroke:#d32f2f}}.stage{{font-weight:700;font-size:15px}}.counts{{fill:#555}}\
         .edge{{fill:none;stroke:#37474f;stroke-width:1.2}}.edge.popup{{stroke-dasharray:5 3}}\
         .edge.thanks,.edge.next,.edge.fallback{{stroke:#b28704}}.edge.outcome{{stroke:#2e7d32;stroke-dasharray:2 2}}.n{{fill:#37474f;font-size:10px}}\
         .test.winner{{fill:#2e7d32}}.test.wait{{fill:#f9a825}}.test text{{fill:#fff;font-size:10px;font-weight:700}}\
         </style>\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" \
         markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" fill=\"#37474f\"/></marker></defs>",
        w = l.width,
        h = l.height
    );
    let body_h = l.height - LEGEND_H - MARGIN;
    for (c, (col, gap)) in l.columns.iter().enumerate() {
        let x = MARGIN + c as f64 * (COL_W + GUTTER);
        let _ = write!(
            s,
            "<g class=\"column\" data-stage=\"{name}\"><rect class=\"col{g}\" x=\"{x}\" y=\"{MARGIN}\" width=\"{COL_W}\" height=\"{body_h}\" rx=\"6\"/>\
             <text class=\"stage\" x=\"{tx}\" y=\"{y1}\">{name}</text>\
             <text class=\"counts\" x=\"{tx}\" y=\"{y2}\">{p} · {o} · {k}</text></g>",
            name = col.name,
            g = if *gap { " gap" } else { "" },
            tx = x + 10.0,
            y1 = MARGIN + 22.0,
            y2 = MARGIN + 42.0,
            p = plural(col.pages, "page"),
            o = plural(col.offers, "offer"),
            k = plural(col.ctas, "CTA"),
        );
    }
    for ((a, b, kind), count) in &l.arrows {
        arrow(&mut s, &l.slots[*a], &l.slots[*b], *kind, *count);
    }
    for slot in &l.slots {
        let _ = write!(
            s,
            "<g><title>{tip}</title><rect class=\"{class}{gap}\" x=\"{x}\" y=\"{y}\" width=\"{BOX_W}\" height=\"{BOX_H}\" rx=\"4\"/>\
             <text x=\"{tx}\" y=\"{ty}\">{label}</text></g>",
            tip = escape(&slot.tooltip),
            class = slot.class,
            gap = if slot.gap { " gap" } else { "" },
            x = slot.x,
            y = slot.y,
            tx = slot.x + 7.0,
            ty = slot.y + 19.0,
            label = escape(&slot.label),
        );
        // The test's mark: a dot on the box's corner, ✓ won, … running.
        if let Some(class) = slot.test {
            let (cx, cy) = (slot.x + BOX_W - 2.0, slot.y + 2.0);
            let _ = write!(
                s,
                "<g class=\"test {class}\"><title>{tip}</title><circle cx=\"{cx}\" cy=\"{cy}\" r=\"8\"/>\
                 <text x=\"{cx}\" y=\"{ty}\" text-anchor=\"middle\">{sym}</text></g>",
                tip = escape(&slot.tooltip),
                ty = cy + 3.5,
                sym = if class == "winner" { "✓" } else { "…" },
            );
        }
    }
    legend(&mut s, l.height - LEGEND_H + 10.0);
    if !f.tests.is_empty() {
        let _ = write!(
            s,
            "<text class=\"counts\" x=\"{MARGIN}\" y=\"{}\">Dots: A/B tests of the report (✓ a winner, … not decided yet); hover for the verdict.</text>",
            l.height - LEGEND_H + 64.0
        );
    }
    s.push_str("</svg>\n");
    s
}

/// A curve from the side of `a` facing `b` to the side of `b` facing `a`
/// (boxes in the same lane: right side to right side).
fn arrow(s: &mut String, a: &Slot, b: &Slot, kind: EdgeKind, count: usize) {
    let (y1, y2) = (a.y + BOX_H / 2.0, b.y + BOX_H / 2.0);
    let (x1, x2, bend1, bend2) = if b.x > a.x + BOX_W {
        (a.x + BOX_W, b.x, 40.0, -40.0)
    } else if b.x + BOX_W < a.x {
        (a.x, b.x + BOX_W, -40.0, 40.0)
    } else {
        (a.x + BOX_W, b.x + BOX_W, 30.0, 30.0)
    };
    let _ = write!(
        s,
        "<path class=\"edge {}\" d=\"M{x1} {y1}C{c1} {y1} {c2} {y2} {x2} {y2}\" marker-end=\"url(#arrow)\"/>",
        kind.name(),
        c1 = x1 + bend1,
        c2 = x2 + bend2,
    );
    if count > 1 {
        let _ = write!(
            s,
            "<text class=\"n\" x=\"{}\" y=\"{}\">×{count}</text>",
            (x1 + x2) / 2.0,
            (y1 + y2) / 2.0 - 3.0
        );
    }
}

fn legend(s: &mut String, y: f64) {
    let items = [
        ("page", "page"),
        ("offer", "running offer"),
        ("offer stopped", "offer not running"),
        ("thanks", "thank-you page"),
        ("page gap", "gap (see the list)"),
    ];
    for (i, (class, text)) in items.iter().enumerate() {
        let x = MARGIN + i as f64 * 150.0;
        let _ = write!(
            s,
            "<rect class=\"{class}\" x=\"{x}\" y=\"{y}\" width=\"18\" height=\"14\" rx=\"3\"/>\
             <text x=\"{}\" y=\"{}\">{text}</text>",
            x + 24.0,
            y + 11.0
        );
    }
    let _ = write!(
        s,
        "<text class=\"counts\" x=\"{MARGIN}\" y=\"{}\">Arrows: calls-to-action (dashed: popups), \
         offer → thank-you page → next step, quiz → outcome (green, dotted); ×N: how many.</text>",
        y + 36.0
    );
}

/// At most `max` characters, with `…` when cut.
pub fn truncate(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// Text for XML content and attribute values (XML's forbidden characters
/// left out), as the sitemap and feed escape theirs.
pub use crate::base::escape::escape;

#[cfg(test)]
mod tests {
    use super::super::{Edge, Node};
    use super::*;
    use crate::content::front_matter::Stage;

    fn node(url: &str, kind: NodeKind) -> Node {
        Node {
            url: url.into(),
            kind,
            title: url.into(),
            stage: Some(Stage::Awareness),
            file: None,
            status: (kind == NodeKind::Offer).then_some(OfferStatus::Running),
        }
    }

    /// `pages` posts of one stage, each calling one offer.
    fn funnel(pages: usize) -> Funnel {
        let mut nodes: Vec<Node> = (0..pages)
            .map(|i| node(&format!("/p{i:02}/"), NodeKind::Post))
            .collect();
        nodes.push(node("/offers/o/", NodeKind::Offer));
        let edges = (0..pages)
            .map(|i| Edge {
                from: format!("/p{i:02}/"),
                to: "/offers/o/".into(),
                kind: EdgeKind::Cta,
                count: 1,
            })
            .collect();
        let stages = super::super::STAGES
            .iter()
            .map(|&s| Column {
                name: s.name(),
                stage: Some(s),
                pages: 0,
                offers: 0,
                ctas: 0,
            })
            .collect();
        Funnel {
            stages,
            nodes,
            edges,
            gaps: vec![],
            tests: BTreeMap::new(),
        }
    }

    #[test]
    fn past_max_pages_the_rest_share_one_box_and_their_arrows_are_counted() {
        let l = layout(&funnel(MAX_PAGES + 3));
        let labels: Vec<&str> = l.slots.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels.len(), MAX_PAGES + 2, "{labels:?}");
        assert_eq!(labels[MAX_PAGES], "+3 more pages");
        let counts: Vec<usize> = l.arrows.values().copied().collect();
        assert_eq!(counts.iter().sum::<usize>(), MAX_PAGES + 3);
        assert!(counts.contains(&3));
        // At the limit, no grouping.
        assert_eq!(layout(&funnel(MAX_PAGES)).slots.len(), MAX_PAGES + 1);
    }

    #[test]
    fn titles_are_cut_and_escaped() {
        assert_eq!(truncate("Olive oil from the grove", 10), "Olive oil…");
        assert_eq!(truncate("Short", 10), "Short");
        assert_eq!(
            escape("<a href=\"x\">&'</a>\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"
        );
        let svg = draw(&funnel(2));
        assert!(roxmltree::Document::parse(&svg).is_ok());
    }
}
