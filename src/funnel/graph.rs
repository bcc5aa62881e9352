//! Nodes and edges of the funnel, from the site model and what the
//! rendered pages were [`Seen`] to show.

use std::collections::BTreeMap;

use super::STAGES;
use super::{column_name, Column, Edge, EdgeKind, Funnel, Gap, Node, NodeKind, OfferStatus, Seen};
use crate::content::campaign::PopupPages;
use crate::content::front_matter::Stage;
use crate::content::{Offer, Page, PageKind, Site};

/// A page's call-to-action as written in its source, with where.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// Index into `site.pages`.
    pub page: usize,
    pub offer: String,
    pub kind: EdgeKind,
    /// 1-based line and column in the page's file (popups: none).
    pub at: Option<(usize, usize)>,
}

pub struct Graph {
    pub nodes: BTreeMap<String, Node>,
    /// (from, to, kind) → count.
    pub edges: BTreeMap<(String, String, EdgeKind), usize>,
    /// Every call-to-action pages declare (edges of kinds primary, cta,
    /// form and popup come from these).
    pub refs: Vec<Reference>,
}

impl Graph {
    pub fn build(site: &Site, seen: &Seen) -> Graph {
        let mut g = Graph {
            nodes: BTreeMap::new(),
            edges: BTreeMap::new(),
            refs: Vec::new(),
        };
        for p in &site.pages {
            g.add_node(Node {
                url: p.path.clone(),
                kind: page_kind(p.kind),
                title: p.meta.title.clone(),
                stage: page_stage(site, p),
                file: Some(slashes(&p.source)),
                status: None,
            });
        }
        for o in &site.offers {
            g.add_offer(site, o);
        }
        let refs = references(site);
        for r in &refs {
            let from = site.pages[r.page].path.clone();
            let to = site.offer(&r.offer).map(Offer::path).unwrap_or_default();
            g.add_edge(from, to, r.kind);
        }
        g.refs = refs;
        for o in &site.offers {
            g.add_offer_edges(site, o);
        }
        g.add_seen(site, seen);
        g
    }

    fn add_node(&mut self, node: Node) {
        self.nodes.entry(node.url.clone()).or_insert(node);
    }

    fn add_edge(&mut self, from: String, to: String, kind: EdgeKind) {
        *self.edges.entry((from, to, kind)).or_default() += 1;
    }

    fn add_offer(&mut self, site: &Site, o: &Offer) {
        let file = Some(slashes(&o.source));
        self.add_node(Node {
            url: o.path(),
            kind: NodeKind::Offer,
            title: o.def.headline.clone(),
            stage: o.def.stage,
            file: file.clone(),
            status: Some(status(site, o)),
        });
        let title = o.def.thank_you.as_ref().map(|t| t.title.clone());
        self.add_node(Node {
            url: o.thanks_path(),
            kind: NodeKind::Thanks,
            title: title.unwrap_or_else(|| "Thank you".into()),
            stage: o.def.stage,
            file,
            status: None,
        });
    }

    /// Offer → thank-you page → next step, offer → fallback, and quiz →
    /// what each outcome recommends.
    fn add_offer_edges(&mut self, site: &Site, o: &Offer) {
        self.add_edge(o.path(), o.thanks_path(), EdgeKind::Thanks);
        for outcome in &o.def.outcomes {
            use crate::content::outcome::Target;
            let to = match outcome.target() {
                Some(Target::Product(slug)) => site
                    .product_by_slug(slug, &site.config.language)
                    .map(|i| site.pages[i].path.clone()),
                Some(Target::Offer(id)) => site.offer(id).map(Offer::path),
                Some(Target::Page(path)) => self.node_for(site, path),
                None => None,
            };
            if let Some(to) = to {
                self.add_edge(o.path(), to, EdgeKind::Outcome);
            }
        }
        let fallback = o.def.schedule.as_ref().and_then(|s| s.fallback.as_deref());
        if let Some(f) = fallback.and_then(|id| site.offer(id)) {
            self.add_edge(o.path(), f.path(), EdgeKind::Fallback);
        }
        let Some(next) = o.def.thank_you.as_ref().and_then(|t| t.next.as_ref()) else {
            return;
        };
        let to = match self.node_for(site, &next.url.0) {
            Some(url) => url,
            None => {
                self.add_node(Node {
                    url: next.url.0.clone(),
                    kind: NodeKind::Link,
                    title: next.text.clone(),
                    stage: o.def.stage,
                    file: None,
                    status: None,
                });
                next.url.0.clone()
            }
        };
        self.add_edge(o.thanks_path(), to, EdgeKind::Next);
    }

    /// The node a URL written in the site points at: `/about`,
    /// `/about/#team` and `https://BASE/about/` all name `/about/`.
    fn node_for(&self, site: &Site, url: &str) -> Option<String> {
        let base = site.config.base_url.trim_end_matches('/');
        let path = url.strip_prefix(base).unwrap_or(url);
        let path = path.split(['#', '?']).next().unwrap_or_default();
        let path = path
            .strip_prefix(site.config.base_path())
            .filter(|p| p.starts_with('/'))
            .unwrap_or(path);
        [path.to_string(), format!("{path}/")]
            .into_iter()
            .find(|p| self.nodes.contains_key(p))
    }

    /// Offers the rendered pages show or link to that no declared edge
    /// explains (the declared ones show their running fallback instead).
    fn add_seen(&mut self, site: &Site, seen: &Seen) {
        for (from, ids) in &seen.offers {
            let Some(node) = self.nodes.get(from) else {
                continue;
            };
            // An offer's own pages link to it: that is no call-to-action.
            let own = match node.kind {
                NodeKind::Offer | NodeKind::Thanks => from
                    .strip_prefix("/offers/")
                    .and_then(|rest| rest.split('/').next()),
                _ => None,
            };
            let explained: Vec<String> = self
                .edges
                .keys()
                .filter(|(f, _, _)| f == from)
                .filter_map(|(_, to, _)| offer_at(site, to))
                .filter_map(|o| site.effective_offer(&o.id))
                .map(|o| o.id.clone())
                .collect();
            for id in ids {
                let Some(o) = site.offer(id) else { continue };
                if own == Some(id.as_str()) || explained.contains(id) {
                    continue;
                }
                self.add_edge(from.clone(), o.path(), EdgeKind::Link);
            }
        }
    }

    pub fn into_funnel(self, gaps: Vec<Gap>) -> Funnel {
        let nodes: Vec<Node> = self.nodes.into_values().collect();
        let edges: Vec<Edge> = self
            .edges
            .into_iter()
            .filter(|((_, to, _), _)| !to.is_empty())
            .map(|((from, to, kind), count)| Edge {
                from,
                to,
                kind,
                count,
            })
            .collect();
        let stages = columns(&nodes, &edges);
        Funnel {
            stages,
            nodes,
            edges,
            gaps,
            tests: BTreeMap::new(),
        }
    }
}

/// The offer whose landing page is at `url`.
fn offer_at<'a>(site: &'a Site, url: &str) -> Option<&'a Offer> {
    let id = url.strip_prefix("/offers/")?.strip_suffix('/')?;
    site.offer(id)
}

/// The four stages with their counts, then `unassigned` if needed.
fn columns(nodes: &[Node], edges: &[Edge]) -> Vec<Column> {
    let stage_of: BTreeMap<&str, Option<Stage>> =
        nodes.iter().map(|n| (n.url.as_str(), n.stage)).collect();
    let mut stages: Vec<Option<Stage>> = STAGES.iter().copied().map(Some).collect();
    if nodes.iter().any(|n| n.stage.is_none()) {
        stages.push(None);
    }
    stages
        .into_iter()
        .map(|stage| {
            let here = |k: fn(NodeKind) -> bool| {
                nodes
                    .iter()
                    .filter(|n| n.stage == stage && k(n.kind))
                    .count()
            };
            Column {
                name: column_name(stage),
                stage,
                pages: here(NodeKind::is_page),
                offers: here(|k| k == NodeKind::Offer),
                ctas: edges
                    .iter()
                    .filter(|e| e.kind.is_cta())
                    .filter(|e| stage_of.get(e.from.as_str()) == Some(&stage))
                    .map(|e| e.count)
                    .sum(),
            }
        })
        .collect()
}

/// Front matter, `offer: ID` and `cta`/`form`/`countdown` shortcodes of
/// every page, and the popups that show on it.
fn references(site: &Site) -> Vec<Reference> {
    let popups: Vec<(&Offer, PopupPages)> = site
        .offers
        .iter()
        .filter(|o| site.is_running(o))
        .filter_map(|o| Some((o, PopupPages::new(o.def.popup.as_ref()?))))
        .collect();
    let mut refs = Vec::new();
    for (i, p) in site.pages.iter().enumerate() {
        if let Some(id) = &p.meta.offer {
            refs.push(Reference {
                page: i,
                offer: id.clone(),
                kind: EdgeKind::Primary,
                at: Some((p.key_lines.line("offer"), 1)),
            });
        }
        for call in crate::shortcodes::extract(&p.body).calls {
            let kind = match call.name.as_str() {
                "cta" | "countdown" => EdgeKind::Cta,
                "form" => EdgeKind::Form,
                _ => continue,
            };
            if let Some(id) = call.arg("offer").filter(|id| site.offer(id).is_some()) {
                refs.push(Reference {
                    page: i,
                    offer: id.to_string(),
                    kind,
                    at: Some(p.body_line_col(call.offset)),
                });
            }
        }
        // Like the renderer: popups on pages, not on offers' own pages.
        for (o, pages) in &popups {
            if pages.matches(&p.path) {
                refs.push(Reference {
                    page: i,
                    offer: o.id.clone(),
                    kind: EdgeKind::Popup,
                    at: None,
                });
            }
        }
    }
    refs
}

fn page_kind(kind: PageKind) -> NodeKind {
    match kind {
        PageKind::Home => NodeKind::Home,
        PageKind::Section => NodeKind::Section,
        PageKind::Post => NodeKind::Post,
        PageKind::Product => NodeKind::Product,
        PageKind::Page => NodeKind::Page,
        PageKind::Landing => NodeKind::Landing,
    }
}

/// `stage:` in front matter, else the stage of the page's `offer:`, else
/// none (the `unassigned` column): the map shows what the site says, and
/// never guesses a stage from the kind of page.
pub fn page_stage(site: &Site, p: &Page) -> Option<Stage> {
    p.meta
        .stage
        .or_else(|| site.offer(p.meta.offer.as_deref()?)?.def.stage)
}

fn status(site: &Site, o: &Offer) -> OfferStatus {
    if site.is_running(o) {
        return OfferStatus::Running;
    }
    let starts_later = o
        .def
        .schedule
        .as_ref()
        .and_then(|s| s.starts)
        .is_some_and(|s| site.now.at < s.at);
    if starts_later {
        OfferStatus::Scheduled
    } else {
        OfferStatus::Ended
    }
}

/// A path with `/` separators, as JSON and reports show files.
pub fn slashes(path: &std::path::Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::super::test_site::{page, site};
    use super::super::{EdgeKind, Funnel, Seen};
    use crate::content::front_matter::Stage;

    fn edges(f: &Funnel) -> Vec<String> {
        f.edges
            .iter()
            .map(|e| format!("{} {} {} {}", e.from, e.kind.name(), e.to, e.count))
            .collect()
    }

    #[test]
    fn declared_calls_to_action_become_edges_with_counts() {
        let s = site(&[
            (
                "content/a.md",
                &page(
                    "offer: sale",
                    "{{ cta(offer=\"sale\") }}\n\n{{ cta(offer=\"sale\") }}\n\n`{{ form(offer=\"sale\") }}`",
                ),
            ),
            ("offers/sale.yaml", "headline: Sale\nstage: bofu\nthank_you: { title: T, next: { text: About, url: /a } }\n"),
        ]);
        let f = Funnel::build(&s, &Seen::default());
        assert_eq!(
            edges(&f),
            [
                "/a/ primary /offers/sale/ 1",
                "/a/ cta /offers/sale/ 2",
                "/offers/sale/ thanks /offers/sale/thanks/ 1",
                // `/a` is the page `/a/`.
                "/offers/sale/thanks/ next /a/ 1",
            ]
        );
        // The page takes the stage of its offer.
        assert_eq!(f.node("/a/").unwrap().stage, Some(Stage::Purchase));
        assert_eq!(f.stages[2].ctas, 3);
    }

    #[test]
    fn a_stopped_offer_points_at_its_fallback() {
        let s = site(&[
            ("content/a.md", &page("offer: old", "")),
            (
                "offers/old.yaml",
                "headline: Old\nschedule: { ends: 2026-01-01, fallback: new }\n",
            ),
            ("offers/new.yaml", "headline: New\n"),
        ]);
        let f = Funnel::build(&s, &Seen::default());
        assert!(edges(&f).contains(&"/offers/old/ fallback /offers/new/ 1".to_string()));
        assert_eq!(
            f.node("/offers/old/").unwrap().status,
            Some(super::super::OfferStatus::Ended)
        );
    }

    #[test]
    fn seen_links_are_added_unless_explained() {
        let s = site(&[
            ("content/a.md", &page("offer: old", "")),
            (
                "offers/old.yaml",
                "headline: Old\nschedule: { ends: 2026-01-01, fallback: new }\n",
            ),
            ("offers/new.yaml", "headline: New\n"),
            ("offers/other.yaml", "headline: Other\n"),
        ]);
        let mut seen = Seen::default();
        // The page shows `new` in place of `old` (explained) and links to `other`.
        seen.offers
            .insert("/a/".into(), ["new".into(), "other".into()].into());
        // An offer's own page showing itself is no call-to-action.
        seen.offers
            .insert("/offers/other/".into(), ["other".into()].into());
        let f = Funnel::build(&s, &seen);
        let links: Vec<String> = edges(&f)
            .into_iter()
            .filter(|e| e.contains(EdgeKind::Link.name()))
            .collect();
        assert_eq!(links, ["/a/ link /offers/other/ 1"]);
    }
}
