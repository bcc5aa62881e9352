//! Splitting a list into pages: `/blog/`, `/blog/page/2/`, …

use serde::Serialize;

use super::lang::Locale;

/// How many pager links either side of the current page templates get.
/// A window, not every page: 10,000 posts must not mean 1,000 links on
/// each of 1,000 pages.
const WINDOW: usize = 3;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PagerLink {
    pub number: usize,
    /// `number` in the page's language: `2`, `٢`.
    pub label: String,
    pub path: String,
    pub current: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Paginator {
    pub items: Vec<serde_json::Value>,
    /// 1-based.
    pub current_index: usize,
    pub number_pagers: usize,
    pub total_items: usize,
    /// "Page 2 of 9", "الصفحة ٢ من ٩", in the page's language.
    pub status: String,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub first: String,
    pub last: String,
    /// Links to nearby pages (up to 3 either side of the current one).
    pub pages: Vec<PagerLink>,
}

/// URL path of page `n` (1-based) of a list living at `base` (`/blog/`).
pub fn pager_path(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

/// Number of pages for `total` items, at least one (an empty list still has
/// its index page).
pub fn pager_count(total: usize, per_page: usize) -> usize {
    total.div_ceil(per_page).max(1)
}

/// The paginator for page `n` (1-based); `items` are that page's items,
/// `link` turns a site path into a link (base path aware); numbers for
/// people are written in `loc`'s language.
pub fn paginator(
    base: &str,
    n: usize,
    total: usize,
    per_page: usize,
    items: Vec<serde_json::Value>,
    loc: &Locale,
    link: impl Fn(&str) -> String,
) -> Paginator {
    let count = pager_count(total, per_page);
    let lo = n.saturating_sub(WINDOW).max(1);
    let hi = (n + WINDOW).min(count);
    Paginator {
        items,
        current_index: n,
        number_pagers: count,
        total_items: total,
        status: loc.tf(
            "page_of",
            &[("n", &loc.count(n)), ("total", &loc.count(count))],
        ),
        previous: (n > 1).then(|| link(&pager_path(base, n - 1))),
        next: (n < count).then(|| link(&pager_path(base, n + 1))),
        first: link(&pager_path(base, 1)),
        last: link(&pager_path(base, count)),
        pages: (lo..=hi)
            .map(|k| PagerLink {
                number: k,
                label: loc.count(k),
                path: link(&pager_path(base, k)),
                current: k == n,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::lang::test_languages;

    #[test]
    fn paths_and_counts() {
        assert_eq!(pager_path("/blog/", 1), "/blog/");
        assert_eq!(pager_path("/blog/", 3), "/blog/page/3/");
        assert_eq!(pager_count(0, 10), 1);
        assert_eq!(pager_count(21, 10), 3);
    }

    #[test]
    fn middle_page_links_both_ways_within_a_window() {
        let (langs, strings) = test_languages();
        let en = Locale::new(0, &langs[0], &strings[0]);
        let p = paginator("/blog/", 5, 100, 10, vec![], &en, |s| s.to_string());
        assert_eq!(p.status, "Page 5 of 10");
        assert_eq!(p.previous.as_deref(), Some("/blog/page/4/"));
        assert_eq!(p.next.as_deref(), Some("/blog/page/6/"));
        assert_eq!(p.last, "/blog/page/10/");
        let numbers: Vec<usize> = p.pages.iter().map(|l| l.number).collect();
        assert_eq!(numbers, vec![2, 3, 4, 5, 6, 7, 8]);
        assert!(p.pages[3].current);
    }

    #[test]
    fn arabic_pager_numbers() {
        let (langs, strings) = test_languages();
        let ar = Locale::new(1, &langs[1], &strings[1]);
        let p = paginator("/ar/blog/", 2, 30, 10, vec![], &ar, |s| s.to_string());
        assert_eq!(p.status, "الصفحة ٢ من ٣");
        let labels: Vec<&str> = p.pages.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels, ["١", "٢", "٣"]);
        assert_eq!(p.pages[1].number, 2);
    }
}
