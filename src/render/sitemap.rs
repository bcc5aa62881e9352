//! `sitemap.xml`: every indexable URL with its alternates in the other
//! languages, split into `sitemap-N.xml` files and a sitemap index past the
//! limits of the protocol (50,000 URLs or 50 MiB per file).

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use rayon::prelude::*;

use super::site_xml::{absolute, element, file, lastmod, XML_DECL};
use super::urls::Urls;
use super::views::Views;
use super::OutputFile;
use crate::base::date::Date;
use crate::base::escape::escape_into;
use crate::content::{PageKind, Site};

/// URLs one sitemap file may list (sitemaps.org).
pub const SITEMAP_MAX_URLS: usize = 50_000;
/// Size one sitemap file may have, uncompressed (sitemaps.org: 50 MiB).
pub const SITEMAP_MAX_BYTES: usize = 50 * 1024 * 1024;

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";
const URLSET_END: &str = "</urlset>\n";

/// How much one sitemap file may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SitemapLimits {
    pub urls: usize,
    pub bytes: usize,
}

impl SitemapLimits {
    /// The limits of the sitemaps.org protocol.
    pub const PROTOCOL: SitemapLimits = SitemapLimits {
        urls: SITEMAP_MAX_URLS,
        bytes: SITEMAP_MAX_BYTES,
    };
}

/// One URL of the sitemap.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    /// Site path, without the base path: `/blog/x/`.
    path: String,
    lastmod: Option<Date>,
    /// The content page it shows.
    page: Option<usize>,
    /// Index into `Site::languages`.
    lang: usize,
    /// The same page in other languages has the same group (for hreflang).
    group: Option<String>,
}

/// Whether search engines should find this page through the sitemap: not
/// noindex, not a draft, and its own canonical URL.
fn indexable(site: &Site, urls: Urls, i: usize) -> bool {
    let page = &site.pages[i];
    let m = &page.meta;
    let canonical_elsewhere = m.canonical.as_ref().is_some_and(|c| {
        let own = urls.permalink(&page.path);
        c.0 != own && urls.absolute(&c.0) != own
    });
    !m.noindex && !m.draft && !canonical_elsewhere
}

/// Every indexable URL of the site, sorted by path. Mirrors the render
/// plan: every page of paginated lists (each has its own title and
/// description), no thank-you pages, no 404, offer pages only while the
/// offer runs.
fn entries(site: &Site, urls: Urls) -> Vec<Entry> {
    let ok = |i: usize| indexable(site, urls, i);
    let newest = |items: &[usize]| {
        items
            .iter()
            .filter(|&&i| ok(i))
            .filter_map(|&i| lastmod(&site.pages[i]))
            .max()
    };
    let per = site.config.paginate_by;
    let mut out = Vec::new();
    for (i, p) in site.pages.iter().enumerate() {
        if !ok(i) {
            continue;
        }
        let changed = match p.kind {
            // Listed below with their lists.
            PageKind::Section if p.section == "blog" || p.section == "products" => continue,
            PageKind::Section => lastmod(p).max(newest(&site.pages_in(&p.section, &p.lang))),
            _ => lastmod(p),
        };
        // Pages are grouped by the first page of their translation group.
        let group = site.translations[i].first().map(|g| format!("page:{g}"));
        out.push(Entry {
            path: p.path.clone(),
            lastmod: changed,
            page: Some(i),
            lang: site.lang_index(&p.lang),
            group,
        });
    }
    for (l, lang) in site.languages.iter().enumerate() {
        let lists = &site.lists[l];
        for (dir, items) in [("blog", &lists.posts), ("products", &lists.products)] {
            let section = site.section_page(dir, l);
            if (items.is_empty() && section.is_none()) || section.is_some_and(|s| !ok(s)) {
                continue;
            }
            let base = lang.path(&format!("/{dir}/"));
            out.push(Entry {
                path: base.clone(),
                lastmod: section
                    .and_then(|s| lastmod(&site.pages[s]))
                    .max(newest(items)),
                page: section,
                lang: l,
                group: Some(format!("list:{dir}")),
            });
            if dir == "blog" {
                out.extend(pager_entries(&base, items, per, l, &newest));
            }
        }
        for (x, taxonomy) in site.taxonomies.iter().enumerate() {
            if lists.terms[x].is_empty() {
                continue;
            }
            let mut all = None;
            for &t in &lists.terms[x] {
                let term = &site.terms[t];
                let changed = newest(&term.pages);
                all = all.max(changed);
                out.push(Entry {
                    path: term.path.clone(),
                    lastmod: changed,
                    page: None,
                    lang: l,
                    group: None,
                });
                let per = taxonomy.paginate_by;
                out.extend(pager_entries(&term.path, &term.pages, per, l, &newest));
            }
            out.push(Entry {
                path: taxonomy.path_in(lang),
                lastmod: all,
                page: None,
                lang: l,
                group: Some(format!("list:{}", taxonomy.name)),
            });
        }
        for offer in site.offers.iter().filter(|o| site.is_running(o)) {
            out.push(Entry {
                path: offer.path_in(lang),
                lastmod: None,
                page: None,
                lang: l,
                group: Some(format!("offer:{}", offer.id)),
            });
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// Pages 2, 3… of a list of `items` at `base` (page 1 is listed apart).
fn pager_entries(
    base: &str,
    items: &[usize],
    per: usize,
    lang: usize,
    newest: &dyn Fn(&[usize]) -> Option<Date>,
) -> Vec<Entry> {
    (2..=super::paginate::pager_count(items.len(), per))
        .map(|n| {
            let start = (n - 1) * per;
            Entry {
                path: super::paginate::pager_path(base, n),
                lastmod: newest(&items[start..(start + per).min(items.len())]),
                page: None,
                lang,
                group: None,
            }
        })
        .collect()
}

/// Entries that exist in several languages: for each entry in such a
/// group, the group as `(lang, entry index)` sorted by lang.
fn translations<'a>(site: &'a Site, entries: &[Entry]) -> HashMap<usize, Vec<(&'a str, usize)>> {
    let mut groups: BTreeMap<&str, Vec<(&str, usize)>> = BTreeMap::new();
    for (e, entry) in entries.iter().enumerate() {
        let Some(key) = &entry.group else {
            continue;
        };
        let lang = site.languages[entry.lang].code.as_str();
        let group = groups.entry(key.as_str()).or_default();
        // Two pages in one language: the first by path stands for it.
        if !group.iter().any(|(l, _)| *l == lang) {
            group.push((lang, e));
        }
    }
    let mut out = HashMap::new();
    for mut group in groups.into_values().filter(|g| g.len() > 1) {
        group.sort();
        for &(_, e) in &group {
            out.insert(e, group.clone());
        }
    }
    out
}

/// W3C datetime for sitemaps: `YYYY-MM-DD` or a full RFC 3339 moment.
fn w3c(date: &Date) -> String {
    date.to_iso()
}

/// `sitemap.xml`, plus `sitemap-N.xml` files when one is not enough.
pub(super) fn sitemap(views: &Views, limits: SitemapLimits) -> Vec<OutputFile> {
    let (site, urls) = (views.site, views.urls);
    let entries = entries(site, urls);
    let translations = translations(site, &entries);
    let default_lang = site.config.language.as_str();
    let items: Vec<(Option<Date>, String)> = entries
        .par_iter()
        .enumerate()
        .map(|(e, entry)| {
            let mut xml = String::with_capacity(128);
            xml.push_str("  <url>\n");
            element(&mut xml, 4, "loc", &absolute(urls, &entry.path));
            if let Some(d) = &entry.lastmod {
                element(&mut xml, 4, "lastmod", &w3c(d));
            }
            if let Some(group) = translations.get(&e) {
                let mut link = |lang: &str, other: usize| {
                    xml.push_str("    <xhtml:link rel=\"alternate\" hreflang=\"");
                    escape_into(&mut xml, lang);
                    xml.push_str("\" href=\"");
                    escape_into(&mut xml, &absolute(urls, &entries[other].path));
                    xml.push_str("\"/>\n");
                };
                for &(lang, other) in group {
                    link(lang, other);
                }
                if let Some(&(_, other)) = group.iter().find(|(l, _)| *l == default_lang) {
                    link("x-default", other);
                }
            }
            xml.push_str("  </url>\n");
            (entry.lastmod, xml)
        })
        .collect();
    sitemap_files(urls, items, limits)
}

fn urlset_start() -> String {
    format!("{XML_DECL}<urlset xmlns=\"{SITEMAP_NS}\" xmlns:xhtml=\"{XHTML_NS}\">\n")
}

/// Splits `<url>` elements of these sizes (bytes) into sitemap files, in
/// order: ranges of at most `limits.urls` URLs whose file stays within
/// `limits.bytes`. One range, possibly empty, when everything fits.
pub fn split_sitemap(sizes: &[usize], limits: SitemapLimits) -> Vec<Range<usize>> {
    let max_urls = limits.urls.max(1);
    let budget = limits
        .bytes
        .saturating_sub(urlset_start().len() + URLSET_END.len());
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, &size) in sizes.iter().enumerate() {
        // A URL bigger than the budget still gets a file of its own.
        if i > start && (i - start == max_urls || bytes + size > budget) {
            out.push(start..i);
            (start, bytes) = (i, 0);
        }
        bytes += size;
    }
    out.push(start..sizes.len());
    out
}

/// The sitemap files for rendered `<url>` elements (with their lastmod):
/// one `sitemap.xml` `<urlset>`, or past the limits, `sitemap-1.xml`,
/// `sitemap-2.xml`, … and a `sitemap.xml` `<sitemapindex>` listing them.
fn sitemap_files(
    urls: Urls,
    items: Vec<(Option<Date>, String)>,
    limits: SitemapLimits,
) -> Vec<OutputFile> {
    let sizes: Vec<usize> = items.iter().map(|(_, xml)| xml.len()).collect();
    let ranges = split_sitemap(&sizes, limits);
    let single = ranges.len() == 1;
    let mut files = Vec::with_capacity(ranges.len() + 1);
    let mut index = format!("{XML_DECL}<sitemapindex xmlns=\"{SITEMAP_NS}\">\n");
    let mut items = items.into_iter();
    for (n, range) in ranges.into_iter().enumerate() {
        let mut xml = urlset_start();
        xml.reserve(sizes[range.clone()].iter().sum::<usize>() + URLSET_END.len());
        let mut newest: Option<Date> = None;
        for (lastmod, url) in items.by_ref().take(range.len()) {
            newest = newest.max(lastmod);
            xml.push_str(&url);
        }
        xml.push_str(URLSET_END);
        let path = if single {
            "sitemap.xml".to_string()
        } else {
            format!("sitemap-{}.xml", n + 1)
        };
        if !single {
            index.push_str("  <sitemap>\n");
            element(&mut index, 4, "loc", &absolute(urls, &format!("/{path}")));
            if let Some(d) = &newest {
                element(&mut index, 4, "lastmod", &w3c(d));
            }
            index.push_str("  </sitemap>\n");
        }
        files.push(file(path, xml));
    }
    if !single {
        index.push_str("</sitemapindex>\n");
        files.push(file("sitemap.xml".into(), index));
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    const URLS: Urls = Urls {
        base_url: "https://x.test/shop",
        base_path: "/shop",
    };

    fn date(text: &str) -> Option<Date> {
        Some(Date::parse(text).unwrap())
    }

    #[test]
    fn splits_by_url_count() {
        let limits = SitemapLimits {
            urls: 3,
            bytes: usize::MAX,
        };
        assert_eq!(split_sitemap(&[10; 7], limits), vec![0..3, 3..6, 6..7]);
        assert_eq!(split_sitemap(&[10; 6], limits), vec![0..3, 3..6]);
        assert_eq!(split_sitemap(&[10; 3], limits), vec![0..3]);
        assert_eq!(split_sitemap(&[], limits), vec![0..0]);
    }

    #[test]
    fn splits_by_size_too() {
        let overhead = urlset_start().len() + URLSET_END.len();
        let limits = SitemapLimits {
            urls: 100,
            bytes: overhead + 25,
        };
        // 10 + 10 fit; a third would not; 40 is too big alone but still goes.
        assert_eq!(
            split_sitemap(&[10, 10, 10, 40, 5], limits),
            vec![0..2, 2..3, 3..4, 4..5]
        );
    }

    fn item(path: &str, lastmod: Option<Date>) -> (Option<Date>, String) {
        (
            lastmod,
            format!("  <url>\n    <loc>https://x.test/shop{path}</loc>\n  </url>\n"),
        )
    }

    #[test]
    fn one_file_when_it_fits() {
        let limits = SitemapLimits {
            urls: 3,
            bytes: usize::MAX,
        };
        let files = sitemap_files(URLS, vec![item("/", None), item("/a/", None)], limits);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, "sitemap.xml");
        let xml = String::from_utf8(files[0].bytes.clone()).unwrap();
        assert!(xml.starts_with(XML_DECL), "{xml}");
        assert!(xml.contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\""));
        assert_eq!(xml.matches("<url>").count(), 2);
    }

    #[test]
    fn an_index_past_the_limit_with_the_newest_lastmod_of_each_file() {
        let limits = SitemapLimits {
            urls: 3,
            bytes: usize::MAX,
        };
        let items = vec![
            item("/1/", date("2025-01-01")),
            item("/2/", date("2025-03-01T10:00:00Z")),
            item("/3/", date("2025-02-01")),
            item("/4/", None),
            item("/5/", date("2024-01-01")),
            item("/6/", None),
            item("/7/", None),
        ];
        let files = sitemap_files(URLS, items, limits);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml",
                "sitemap.xml"
            ]
        );
        let text = |i: usize| String::from_utf8(files[i].bytes.clone()).unwrap();
        assert_eq!(text(0).matches("<url>").count(), 3);
        assert_eq!(text(1).matches("<url>").count(), 3);
        assert_eq!(text(2).matches("<url>").count(), 1);
        let index = text(3);
        assert!(index.contains("<sitemapindex"), "{index}");
        assert!(index.contains(
            "<sitemap>\n    <loc>https://x.test/shop/sitemap-1.xml</loc>\n    <lastmod>2025-03-01T10:00:00Z</lastmod>\n  </sitemap>"
        ), "{index}");
        assert!(
            index.contains(
                "<loc>https://x.test/shop/sitemap-2.xml</loc>\n    <lastmod>2024-01-01</lastmod>"
            ),
            "{index}"
        );
        assert!(
            index.contains(
                "<sitemap>\n    <loc>https://x.test/shop/sitemap-3.xml</loc>\n  </sitemap>"
            ),
            "{index}"
        );
    }
}
