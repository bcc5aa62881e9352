//! `page-schedule`: the pages that go live or expire in the next days
//! (`publish_date`, a post's future `date`, `expiry_date`), as notices, so
//! that whoever runs `lander check` knows what the next builds will change.

use super::context::{Ctx, Loc};
use super::{Finding, Found, Rule};
use crate::content::schedule::Change;

pub fn check(ctx: &Ctx, out: &mut Vec<Found>) {
    let site = ctx.site;
    for u in &site.upcoming {
        let (message, help) = match u.change {
            Change::GoesLive => (
                format!("{} goes live on {}", u.path, u.at.to_iso()),
                "builds from that moment on publish it; until then it is left out (`--drafts` or `--now` shows it)",
            ),
            Change::Expires => (
                format!("{} expires on {}", u.path, u.at.to_iso()),
                "builds from that moment on leave it out: links to it from other pages become broken links",
            ),
        };
        let mut loc = Loc::file(&u.source).at(u.line, 1);
        loc.page = site.pages.iter().position(|p| p.source == u.source);
        out.push(loc.put(Finding::new(Rule::PageSchedule, message).with_help(help)));
    }
}
