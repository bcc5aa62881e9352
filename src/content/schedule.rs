//! When pages are live: `publish_date` and `expiry_date` of any page, and
//! the `date` of a post (as Hugo does with `buildFuture = false`: a post
//! dated tomorrow is published tomorrow). A page is built from its publish
//! moment (inclusive) until its expiry moment (exclusive), as offers'
//! schedules run from `starts` until `ends`.

use std::path::PathBuf;

use super::date::Date;
use super::page::{Page, PageKind};

/// How far ahead `lander check` looks for pages that go live or expire.
pub const NOTICE_DAYS: i64 = 7;

/// The moment a page goes live: its `publish_date`, else a post's `date`.
pub fn publish_at(p: &Page) -> Option<Date> {
    p.meta
        .publish_date
        .or_else(|| (p.kind == PageKind::Post).then_some(p.meta.date).flatten())
}

/// Whether a page is built at `now`. `future` builds pages that are not
/// published yet (`--drafts`); expired pages are never built.
pub fn is_live(p: &Page, now: &Date, future: bool) -> bool {
    let published = future || publish_at(p).is_none_or(|at| at <= *now);
    let expired = p.meta.expiry_date.is_some_and(|at| at <= *now);
    published && !expired
}

/// What happens to a page soon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    GoesLive,
    Expires,
}

/// A page that goes live or expires within [`NOTICE_DAYS`] of the build.
#[derive(Debug, Clone, PartialEq)]
pub struct Upcoming {
    pub source: PathBuf,
    /// The line of the key that decides (`publish_date`, `date`, `expiry_date`).
    pub line: usize,
    pub path: String,
    pub change: Change,
    pub at: Date,
}

/// The changes of `pages` in the next [`NOTICE_DAYS`] after `now`, by date.
pub fn upcoming<'a>(pages: impl Iterator<Item = &'a Page>, now: &Date) -> Vec<Upcoming> {
    let until = now.at + chrono::Duration::days(NOTICE_DAYS);
    let soon = |at: &Date| *now < *at && at.at <= until;
    let mut out = Vec::new();
    for p in pages.filter(|p| !p.meta.draft) {
        let key = if p.meta.publish_date.is_some() {
            "publish_date"
        } else {
            "date"
        };
        let changes = [
            (publish_at(p), Change::GoesLive, key),
            (p.meta.expiry_date, Change::Expires, "expiry_date"),
        ];
        for (at, change, key) in changes {
            if let Some(at) = at.filter(soon) {
                out.push(Upcoming {
                    source: p.source.clone(),
                    line: p.key_lines.line(key),
                    path: p.path.clone(),
                    change,
                    at,
                });
            }
        }
    }
    out.sort_by(|a, b| (a.at, &a.source).cmp(&(b.at, &b.source)));
    out
}
