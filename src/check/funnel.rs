//! The funnel rules, `stage-without-offer`, `orphan-offer`, `no-cta` and
//! `thanks-without-next`: the gaps of [`crate::funnel`] as findings, so
//! that `lander check` and `lander funnel` always agree. This file also
//! tells the funnel what the rendered pages show ([`Seen`]).
//!
//! The funnel's fifth gap, `expired-offer`, is reported from the build's
//! own warning (see `campaign::convert_warnings`).

use super::context::{Ctx, Origin};
use super::facts::Doc;
use super::links::{resolve, Resolved};
use super::{Finding, Found, Rule};
use crate::funnel::{Funnel, GapKind, Seen};

pub fn check(ctx: &Ctx, out: &mut Vec<Found>) {
    let funnel = Funnel::build(ctx.site, &seen(ctx));
    for gap in funnel.gaps {
        if gap.kind == GapKind::ExpiredOffer {
            continue;
        }
        let Some(rule) = Rule::from_id(gap.kind.id()) else {
            continue;
        };
        let mut finding = Finding::new(rule, gap.message).with_help(gap.help);
        finding.file = gap.file.map(Into::into);
        finding.line = gap.line;
        finding.column = gap.column;
        // `disable` finds the page of the file, for its `check.disable`.
        out.push(Found {
            finding,
            page: None,
        });
    }
}

/// Per page, offer and thank-you page: the offers its HTML shows or links
/// to outside popups, and whether it has any call-to-action.
pub fn seen(ctx: &Ctx) -> Seen {
    let site = ctx.site;
    let mut seen = Seen::default();
    for (doc, origin) in &ctx.docs {
        let url = match *origin {
            Origin::Page(i) => site.pages[i].path.clone(),
            Origin::Offer(o) => site.offers[o].path(),
            Origin::Thanks(o) => site.offers[o].thanks_path(),
            Origin::List(_) | Origin::Generated => continue,
        };
        if doc.has_cta {
            seen.cta.insert(url.clone());
        }
        let mut ids = doc
            .offers
            .iter()
            .cloned()
            .collect::<std::collections::BTreeSet<_>>();
        ids.extend(
            doc.refs
                .iter()
                .filter(|r| r.is_link() && !r.in_popup)
                .filter_map(|r| linked_offer(ctx, doc, &r.url)),
        );
        if !ids.is_empty() {
            seen.offers.insert(url, ids);
        }
    }
    seen
}

/// The offer whose landing page `url` (in `doc`) leads to.
fn linked_offer(ctx: &Ctx, doc: &Doc, url: &str) -> Option<String> {
    let Resolved::Found { file, .. } = resolve(ctx, &doc.path, url) else {
        return None;
    };
    let id = file.strip_prefix("offers/")?.strip_suffix("/index.html")?;
    (!id.contains('/') && ctx.site.offer(id).is_some()).then(|| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every gap but `expired-offer` (a build warning) is a rule of check.
    #[test]
    fn gap_kinds_are_rules() {
        for kind in GapKind::ALL {
            let rule = Rule::from_id(kind.id());
            assert!(rule.is_some(), "{kind:?}");
        }
    }
}
