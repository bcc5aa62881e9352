//! When pages are live: `publish_date` and `expiry_date` of any page, and
//! the `date` of a post (as Hugo does with `buildFuture = false`: a post
//! dated tomorrow is published tomorrow). A page is built from its publish
//! moment (inclusive) until its expiry moment (exclusive), as offers'
//! schedules run from `starts` until `ends`.

use std::path::PathBuf;

use super::page::{Page, PageKind};
use crate::base::date::Date;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::front_matter;
    use std::path::Path;

    fn page(kind: PageKind, yaml: &str) -> Page {
        let path = Path::new("content/x.md");
        let text = format!("---\ntitle: X\n{yaml}---\n");
        let split = front_matter::split(&text, path).unwrap();
        let (meta, key_lines) = front_matter::parse(&split, path).unwrap();
        Page {
            source: path.into(),
            kind,
            section: String::new(),
            slug: "x".into(),
            path: "/x/".into(),
            meta,
            key_lines,
            body: "".into(),
            body_line: 1,
            lang: "en".into(),
            lang_suffix: None,
            translation_group: String::new(),
            stem: "x".into(),
            unprefixed_path: "/x/".into(),
        }
    }

    fn at(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn live_from_publish_until_expiry() {
        let p = page(
            PageKind::Page,
            "publish_date: 2026-12-05T09:00:00Z\nexpiry_date: 2026-12-10\n",
        );
        assert!(!is_live(&p, &at("2026-12-05T08:59:59Z"), false));
        assert!(is_live(&p, &at("2026-12-05T08:59:59Z"), true));
        assert!(is_live(&p, &at("2026-12-05T09:00:00Z"), false));
        assert!(is_live(&p, &at("2026-12-09T23:59:59Z"), false));
        assert!(!is_live(&p, &at("2026-12-10"), false));
        assert!(!is_live(&p, &at("2026-12-10"), true), "expired stays out");
    }

    #[test]
    fn a_post_waits_for_its_date_a_page_does_not() {
        let post = page(PageKind::Post, "date: 2026-12-24\n");
        assert!(!is_live(&post, &at("2026-12-23"), false));
        assert!(is_live(&post, &at("2026-12-24"), false));
        let plain = page(PageKind::Page, "date: 2026-12-24\n");
        assert!(is_live(&plain, &at("2026-12-23"), false));
        // publish_date decides over date.
        let early = page(
            PageKind::Post,
            "date: 2026-12-24\npublish_date: 2026-12-01\n",
        );
        assert!(is_live(&early, &at("2026-12-02"), false));
    }

    #[test]
    fn upcoming_lists_the_next_seven_days_with_the_line_of_the_key() {
        let now = at("2026-12-01T12:00:00Z");
        let pages = [
            page(PageKind::Post, "date: 2026-12-08T12:00:00Z\n"),
            page(PageKind::Page, "expiry_date: 2026-12-03\n"),
            page(PageKind::Page, "publish_date: 2026-12-09\n"),
            page(PageKind::Page, "publish_date: 2026-11-30\n"),
            page(PageKind::Post, "draft: true\ndate: 2026-12-02\n"),
        ];
        let got: Vec<(Change, String, usize)> = upcoming(pages.iter(), &now)
            .into_iter()
            .map(|u| (u.change, u.at.to_iso(), u.line))
            .collect();
        assert_eq!(
            got,
            [
                (Change::Expires, "2026-12-03".to_string(), 3),
                (Change::GoesLive, "2026-12-08T12:00:00Z".to_string(), 3),
            ]
        );
    }
}
