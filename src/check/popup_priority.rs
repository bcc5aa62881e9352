//! `popup-priority`: two running popups whose `pages` globs match the same
//! page with the same `priority`. A visitor sees one popup per page view,
//! and with nothing to choose between them the order of the offer files
//! decides which; a declared priority makes it a choice.

use std::collections::BTreeMap;

use super::context::{is_synthetic, Ctx};
use super::{Finding, Found, Rule};
use crate::content::campaign::PopupPages;

pub fn check(ctx: &Ctx, out: &mut Vec<Found>) {
    let site = ctx.site;
    let popups: Vec<(usize, PopupPages, i32)> = site
        .offers
        .iter()
        .enumerate()
        .filter(|(_, o)| site.is_running(o))
        .filter_map(|(i, o)| {
            let p = o.def.popup.as_ref()?;
            Some((i, PopupPages::new(p), p.priority))
        })
        .collect();
    if popups.len() < 2 {
        return;
    }
    // (first offer, second offer) -> the pages both show on, in order.
    let mut ties: BTreeMap<(usize, usize), Vec<&str>> = BTreeMap::new();
    for page in site.pages.iter().filter(|p| !is_synthetic(p)) {
        let lang = site.lang_index(&page.lang);
        let prefix = &site.languages[lang].prefix;
        let path = match page.path.strip_prefix(prefix.as_str()) {
            Some(rest) if !prefix.is_empty() && rest.starts_with('/') => rest,
            _ => page.path.as_str(),
        };
        let here: Vec<&(usize, PopupPages, i32)> = popups
            .iter()
            .filter(|(_, pages, _)| pages.matches(path))
            .collect();
        let Some(top) = here.iter().map(|(_, _, p)| *p).max() else {
            continue;
        };
        let first: Vec<usize> = here
            .iter()
            .filter(|(_, _, p)| *p == top)
            .map(|(i, _, _)| *i)
            .collect();
        for pair in first.windows(2) {
            ties.entry((pair[0], pair[1])).or_default().push(&page.path);
        }
    }
    for ((a, b), pages) in ties {
        let (a, b) = (&site.offers[a], &site.offers[b]);
        let priority = b.def.popup.as_ref().map_or(0, |p| p.priority);
        let more = match pages.len() {
            1 => String::new(),
            n => format!(" and {} other page{}", n - 1, if n == 2 { "" } else { "s" }),
        };
        let Some(loc) = ctx.offer_loc(&b.id, "popup") else {
            continue;
        };
        out.push(
            loc.put(
                Finding::new(
                    Rule::PopupPriority,
                    format!(
                        "the popups of `{}` and `{}` both show on {}{more} with priority {priority}: nothing chooses between them",
                        a.id, b.id, pages[0]
                    ),
                )
                .with_help(format!(
                    "give one of them a higher `priority:` under `popup:` (the highest shows, one per page view), or narrow their `pages:` so that they do not meet; `{}` wins for now, being first by file name",
                    a.id
                )),
            ),
        );
    }
}
