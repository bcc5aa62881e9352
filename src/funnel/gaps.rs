//! What is missing from the funnel. The one place these are decided:
//! `lander funnel` lists them and `lander check` reports them as findings
//! of the rules of the same ids.

use std::collections::HashSet;

use super::graph::{slashes, Graph};
use super::{EdgeKind, Gap, Seen, STAGES};
use crate::content::{PageKind, Site};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GapKind {
    /// A stage has pages but no running offer.
    StageWithoutOffer,
    /// A running offer (without a popup) that no page shows or links to.
    OrphanOffer,
    /// A page a visitor reads with no call-to-action.
    NoCta,
    /// A thank-you page with no `next` step.
    ThanksWithoutNext,
    /// A page points at an offer that is not running and has no running
    /// fallback: its call-to-action is left out.
    ExpiredOffer,
}

impl GapKind {
    pub const ALL: [GapKind; 5] = [
        GapKind::StageWithoutOffer,
        GapKind::OrphanOffer,
        GapKind::NoCta,
        GapKind::ThanksWithoutNext,
        GapKind::ExpiredOffer,
    ];

    /// The id of the `lander check` rule that reports it.
    pub fn id(self) -> &'static str {
        match self {
            GapKind::StageWithoutOffer => "stage-without-offer",
            GapKind::OrphanOffer => "orphan-offer",
            GapKind::NoCta => "no-cta",
            GapKind::ThanksWithoutNext => "thanks-without-next",
            GapKind::ExpiredOffer => "expired-offer",
        }
    }
}

/// Every gap, minus those whose rule `check.disable` turns off for the
/// site or the page; sorted.
pub fn find(site: &Site, g: &Graph, seen: &Seen) -> Vec<Gap> {
    let mut gaps = Vec::new();
    stages(site, g, &mut gaps);
    pages(site, g, seen, &mut gaps);
    offers(site, g, seen, &mut gaps);
    gaps.retain(|gap| {
        let page = gap
            .node
            .as_deref()
            .and_then(|url| site.pages.iter().find(|p| p.path == url));
        !site.rule_disabled(gap.kind.id(), page)
    });
    gaps.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.kind, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.kind, &b.message))
    });
    gaps
}

fn gap(kind: GapKind, message: String, help: String) -> Gap {
    Gap {
        kind,
        node: None,
        stage: None,
        file: None,
        line: None,
        column: None,
        message,
        help,
    }
}

/// Stages whose readers have no offer of their stage.
fn stages(site: &Site, g: &Graph, out: &mut Vec<Gap>) {
    for stage in STAGES {
        let pages = g
            .nodes
            .values()
            .filter(|n| n.kind.is_page() && n.stage == Some(stage))
            .count();
        let offer = site
            .offers
            .iter()
            .any(|o| o.def.stage == Some(stage) && site.is_running(o));
        if pages == 0 || offer {
            continue;
        }
        let name = stage.name();
        let mut gap = gap(
            GapKind::StageWithoutOffer,
            format!(
                "the {name} stage has {pages} page{} but no running offer: its readers only get offers meant for other stages",
                if pages == 1 { "" } else { "s" }
            ),
            format!(
                "create an offer with `stage: {name}` (lander new offer NAME) and give those pages `offer: NAME`"
            ),
        );
        gap.stage = Some(stage);
        out.push(gap);
    }
}

/// Pages with no call-to-action, and pages pointing at stopped offers.
fn pages(site: &Site, g: &Graph, seen: &Seen, out: &mut Vec<Gap>) {
    let mut with_cta: HashSet<usize> = HashSet::new();
    for r in &g.refs {
        let p = &site.pages[r.page];
        if site.effective_offer(&r.offer).is_some() {
            if r.kind != EdgeKind::Popup {
                with_cta.insert(r.page);
            }
            continue;
        }
        let (line, column) = r.at.unzip();
        out.push(Gap {
            node: Some(p.path.clone()),
            stage: g.nodes.get(&p.path).and_then(|n| n.stage),
            file: Some(slashes(&p.source)),
            line,
            column,
            ..gap(
                GapKind::ExpiredOffer,
                format!(
                    "the offer `{}` is not running on {} and has no running fallback: this call-to-action is left out",
                    r.offer,
                    site.now.to_iso()
                ),
                "add `fallback: OTHER-OFFER` to the offer's schedule, or point the page at a running offer"
                    .into(),
            )
        });
    }
    for (i, p) in site.pages.iter().enumerate() {
        let reads = matches!(
            p.kind,
            PageKind::Post | PageKind::Product | PageKind::Page | PageKind::Landing
        );
        let shown = seen.cta.contains(&p.path)
            || seen.offers.get(&p.path).is_some_and(|ids| !ids.is_empty());
        if !reads || shown || with_cta.contains(&i) {
            continue;
        }
        out.push(Gap {
            node: Some(p.path.clone()),
            stage: g.nodes.get(&p.path).and_then(|n| n.stage),
            file: Some(slashes(&p.source)),
            ..gap(
                GapKind::NoCta,
                "the page offers no next step (no call-to-action)".into(),
                "add `offer: ID` to the front matter, or {{ cta(offer=\"ID\") }} or \
                 {{ form(offer=\"ID\") }} to the text"
                    .into(),
            )
        });
    }
}

/// Offers nobody sees, and thank-you pages that end the journey.
fn offers(site: &Site, g: &Graph, seen: &Seen, out: &mut Vec<Gap>) {
    // What visitors are shown: the running offer in place of each
    // declared one, and every offer a page shows or links to.
    let mut shown: HashSet<&str> = g
        .refs
        .iter()
        .filter_map(|r| site.effective_offer(&r.offer))
        .map(|o| o.id.as_str())
        .collect();
    for (url, ids) in &seen.offers {
        let own = url
            .strip_prefix("/offers/")
            .and_then(|rest| rest.split('/').next());
        shown.extend(ids.iter().map(String::as_str).filter(|id| Some(*id) != own));
    }
    for o in &site.offers {
        let file = Some(slashes(&o.source));
        // Popups and bars are placed by the offer itself.
        let placed = o.def.popup.is_some() || o.def.bar.is_some();
        if site.is_running(o) && !placed && !shown.contains(o.id.as_str()) {
            out.push(Gap {
                node: Some(o.path()),
                stage: o.def.stage,
                file: file.clone(),
                ..gap(
                    GapKind::OrphanOffer,
                    format!("the offer `{}` runs, but no page shows it or links to it", o.id),
                    format!(
                        "add `offer: {id}` to a page's front matter, {{{{ cta(offer=\"{id}\") }}}} to its text, \
                         or a `popup:` or a `bar:` to the offer",
                        id = o.id
                    ),
                )
            });
        }
        let thanks = o.def.thank_you.as_ref();
        if thanks.is_some_and(|t| t.next.is_some()) {
            continue;
        }
        let line = o
            .key_lines
            .has("thank_you")
            .then(|| o.key_lines.line("thank_you"));
        out.push(Gap {
            node: Some(o.thanks_path()),
            stage: o.def.stage,
            file,
            line,
            column: line.map(|_| 1),
            ..gap(
                GapKind::ThanksWithoutNext,
                format!(
                    "the thank-you page of `{}` offers no next step: the visitor's journey ends there",
                    o.id
                ),
                "add `next: { text: \"…\", url: \"/…/\" }` under `thank_you:` (a loyalty club, a product, \
                 another offer)"
                    .into(),
            )
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_site::{page, site};
    use super::super::{Funnel, Seen};
    use crate::content::front_matter::Stage;

    fn kinds(f: &Funnel) -> Vec<(&'static str, Option<String>)> {
        f.gaps
            .iter()
            .map(|g| (g.kind.id(), g.node.clone()))
            .collect()
    }

    const NEXT: &str = "thank_you: { title: T, next: { text: Home, url: / } }\n";

    #[test]
    fn a_page_without_cta_is_a_gap_unless_its_html_has_one() {
        let s = site(&[("content/a.md", &page("", "Words."))]);
        let f = Funnel::build(&s, &Seen::default());
        assert_eq!(kinds(&f), [("no-cta", Some("/a/".into()))]);
        let mut seen = Seen::default();
        seen.cta.insert("/a/".into());
        assert!(Funnel::build(&s, &seen).gaps.is_empty());
    }

    #[test]
    fn stages_with_pages_need_a_running_offer() {
        let s = site(&[
            ("content/a.md", &page("stage: mofu\noffer: guide", "")),
            (
                "offers/guide.yaml",
                &format!("headline: G\nstage: tofu\n{NEXT}"),
            ),
        ]);
        let f = Funnel::build(&s, &Seen::default());
        // Awareness has an offer, consideration has a page: only it lacks one.
        assert_eq!(kinds(&f), [("stage-without-offer", None)]);
        assert_eq!(f.gaps[0].stage, Some(Stage::Consideration));
    }

    #[test]
    fn offers_nobody_shows_and_thanks_without_next() {
        let s = site(&[
            (
                "offers/lonely.yaml",
                "headline: L\nthank_you:\n  title: T\n",
            ),
            (
                "offers/pop.yaml",
                &format!("headline: P\npopup: {{ trigger: delay }}\n{NEXT}"),
            ),
        ]);
        let f = Funnel::build(&s, &Seen::default());
        assert_eq!(
            kinds(&f),
            [
                ("orphan-offer", Some("/offers/lonely/".into())),
                ("thanks-without-next", Some("/offers/lonely/thanks/".into())),
            ]
        );
        assert_eq!(f.gaps[1].line, Some(2));
    }

    #[test]
    fn expired_calls_are_located_and_disabled_rules_are_left_out() {
        let s = site(&[
            (
                "content/a.md",
                &page("check: { disable: [no-cta] }", "\n{{ cta(offer=\"old\") }}"),
            ),
            (
                "offers/old.yaml",
                &format!("headline: O\nschedule: {{ ends: 2026-01-01 }}\n{NEXT}"),
            ),
        ]);
        let f = Funnel::build(&s, &Seen::default());
        assert_eq!(kinds(&f), [("expired-offer", Some("/a/".into()))]);
        assert_eq!((f.gaps[0].line, f.gaps[0].column), (Some(6), Some(1)));
    }
}
