//! The funnel map: which pages feed which offers, stage by stage, and the
//! gaps in it (`lander funnel`, `/__lander/funnel`, and five rules of
//! `lander check`).
//!
//! Built from the validated [`Site`] (what pages declare: `offer:`,
//! shortcodes, popups, thank-you next steps) plus [`Seen`], what the
//! rendered pages show beyond that (Markdown links to an offer, forms and
//! buttons written by hand), which `lander check` reads from their HTML.
//! Pure data: no I/O. [`svg`] draws it, [`summary`] writes it as text.

mod gaps;
mod graph;
pub mod summary;
pub mod svg;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::Serialize;

use crate::content::front_matter::Stage;
use crate::content::Site;

pub use gaps::GapKind;

/// The four stages, in the order a buyer goes through them.
pub const STAGES: [Stage; 4] = [
    Stage::Awareness,
    Stage::Consideration,
    Stage::Purchase,
    Stage::Retention,
];

/// The funnel of a site: `funnel.json` is this, serialised.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Funnel {
    /// The four stages in order, then `unassigned` when some node has no
    /// stage.
    pub stages: Vec<Column>,
    /// Sorted by URL.
    pub nodes: Vec<Node>,
    /// Sorted by source, target and kind (in the order of [`EdgeKind`]).
    pub edges: Vec<Edge>,
    /// Sorted by file, line and kind (gaps without a file first).
    pub gaps: Vec<Gap>,
    /// By offer URL: the verdicts of a saved `lander report`
    /// (`lander funnel --report FILE`); absent without one.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub tests: BTreeMap<String, TestMark>,
}

/// The verdict of an offer's A/B test, from a saved `lander report`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestMark {
    pub status: crate::report::Status,
    pub winner: Option<String>,
    /// "amount beats percent: 8.7% vs 1.6%, p < 0.001".
    pub verdict: String,
}

/// A column of the map: a stage (or the nodes without one) and its counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    /// `awareness`…`retention`, or `unassigned`.
    pub name: &'static str,
    #[serde(skip)]
    pub stage: Option<Stage>,
    pub pages: usize,
    pub offers: usize,
    /// Calls-to-action in the pages of this stage (edges from a page to an
    /// offer but popups, each counted as often as it appears).
    pub ctas: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    Home,
    Section,
    Post,
    Product,
    Page,
    Landing,
    Offer,
    /// An offer's thank-you page.
    Thanks,
    /// The next step of a thank-you page when it is not a page or offer of
    /// the funnel (a list such as `/products/`, or another site).
    Link,
}

impl NodeKind {
    /// Pages a visitor reads (not offers, thank-you pages or links).
    pub fn is_page(self) -> bool {
        !matches!(self, NodeKind::Offer | NodeKind::Thanks | NodeKind::Link)
    }
}

/// Whether an offer runs at the moment the site is built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OfferStatus {
    Running,
    /// Its schedule starts later.
    Scheduled,
    /// Its schedule has ended.
    Ended,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    /// The URL path on the site (`/blog/x/`, `/offers/id/`), or the URL of
    /// a link; unique, and what edges name.
    pub url: String,
    pub kind: NodeKind,
    pub title: String,
    pub stage: Option<Stage>,
    /// The source file, relative to the site root (`None` for links).
    pub file: Option<String>,
    /// Offers only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<OfferStatus>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    /// The page's `offer:` in front matter.
    Primary,
    /// A `cta` or `countdown` shortcode.
    Cta,
    /// A `form` shortcode.
    Form,
    /// A popup whose `pages` match the page.
    Popup,
    /// A link to the offer, or an offer block, in the rendered page that
    /// none of the above explains (written in Markdown or a template).
    Link,
    /// An offer to its thank-you page.
    Thanks,
    /// A thank-you page to its `next` step.
    Next,
    /// An offer to the offer shown instead outside its schedule.
    Fallback,
    /// A quiz to what one of its outcomes recommends (product, offer, page).
    Outcome,
}

impl EdgeKind {
    /// As written in `funnel.json` and in the SVG's classes.
    pub fn name(self) -> &'static str {
        match self {
            EdgeKind::Primary => "primary",
            EdgeKind::Cta => "cta",
            EdgeKind::Form => "form",
            EdgeKind::Popup => "popup",
            EdgeKind::Link => "link",
            EdgeKind::Thanks => "thanks",
            EdgeKind::Next => "next",
            EdgeKind::Fallback => "fallback",
            EdgeKind::Outcome => "outcome",
        }
    }

    /// Calls-to-action in a page (popups are counted apart: they are
    /// not in the page, and do not count for `no-cta` either).
    pub fn is_cta(self) -> bool {
        matches!(
            self,
            EdgeKind::Primary | EdgeKind::Cta | EdgeKind::Form | EdgeKind::Link
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    /// How many times the source has it (two `cta` shortcodes: 2).
    pub count: usize,
}

/// Something marketers want to know is missing. Each kind is a
/// `lander check` rule of the same id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    pub kind: GapKind,
    /// The node it is about (`None` for a stage).
    pub node: Option<String>,
    pub stage: Option<Stage>,
    /// Relative to the site root.
    pub file: Option<String>,
    /// 1-based, when the gap is at a key or shortcode.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub help: String,
}

impl Serialize for EdgeKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl Serialize for GapKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// What the rendered pages show beyond what the model declares, read from
/// their HTML by `lander check` (see `check::funnel`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Seen {
    /// By node URL: offers the page shows or links to, outside popups.
    pub offers: BTreeMap<String, BTreeSet<String>>,
    /// Node URLs of pages with a call-to-action outside popups (a form or
    /// button written by hand counts).
    pub cta: HashSet<String>,
}

impl Funnel {
    pub fn build(site: &Site, seen: &Seen) -> Funnel {
        let graph = graph::Graph::build(site, seen);
        let gaps = gaps::find(site, &graph, seen);
        graph.into_funnel(gaps)
    }

    pub fn node(&self, url: &str) -> Option<&Node> {
        self.nodes
            .binary_search_by(|n| n.url.as_str().cmp(url))
            .ok()
            .map(|i| &self.nodes[i])
    }

    /// Puts the verdict of each offer of `report` on the offer's node;
    /// returns the ids of the report's offers the funnel does not have.
    pub fn overlay(&mut self, report: &crate::report::Report) -> Vec<String> {
        let mut missing = Vec::new();
        for o in &report.offers {
            let url = format!("/offers/{}/", o.offer);
            if self.node(&url).is_some_and(|n| n.kind == NodeKind::Offer) {
                self.tests.insert(
                    url,
                    TestMark {
                        status: o.verdict.status,
                        winner: o.verdict.winner.clone(),
                        verdict: o.verdict.text.clone(),
                    },
                );
            } else {
                missing.push(o.offer.clone());
            }
        }
        missing
    }

    /// `funnel.json`: pretty, with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// The column name of a stage (`None`: `unassigned`).
pub fn column_name(stage: Option<Stage>) -> &'static str {
    stage.map_or("unassigned", Stage::name)
}

/// Sites for the unit tests of this module, from files in a temp folder.
#[cfg(test)]
pub(crate) mod test_site {
    use crate::base::date::Date;
    use crate::config::Config;
    use crate::content::{load_site, LoadOptions, Site};

    pub fn site(files: &[(&str, &str)]) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let mut all = vec![("site.yaml", "title: T\nbase_url: https://t.test\n")];
        all.extend_from_slice(files);
        for (rel, text) in all {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let config = Config::load(dir.path()).unwrap();
        let opts = LoadOptions {
            root: dir.path(),
            drafts: false,
            future: false,
            now: Date::parse("2026-06-01").unwrap(),
        };
        load_site(config, &opts).unwrap_or_else(|e| panic!("{e}"))
    }

    /// A page with front matter `yaml` and `body`.
    pub fn page(yaml: &str, body: &str) -> String {
        format!("---\ntitle: A page\n{yaml}\n---\n{body}\n")
    }
}
