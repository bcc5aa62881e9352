//! Atom feeds: `/atom.xml` per language with the newest posts, and one per
//! term of the taxonomies with `feed: true`.

use std::fmt::Write as _;

use chrono::SecondsFormat;
use rayon::prelude::*;

use super::links::absolute_links;
use super::site_xml::{absolute, element, file, lastmod, XML_DECL};
use super::views::{Summaries, Views};
use super::OutputFile;
use crate::base::date::Date;
use crate::base::escape::{escape as esc, escape_into};
use crate::content::Site;

/// Entries of each Atom feed: the newest ones.
pub const FEED_ENTRIES: usize = 20;

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";

/// What one Atom feed shows.
struct FeedSpec<'a> {
    /// Site path of the feed file: `/atom.xml`.
    path: String,
    title: String,
    subtitle: String,
    /// Site path of the HTML page the feed follows.
    alternate: String,
    /// Candidate pages, newest first.
    pages: &'a [usize],
    /// Index into `Site::languages`.
    lang: usize,
}

/// `/atom.xml` with the newest posts of each language (`/ar/atom.xml`…),
/// and `/NAME/<slug>/atom.xml` per term of the taxonomies with `feed: true`.
pub(super) fn feeds(views: &Views, summaries: &Summaries) -> Vec<OutputFile> {
    let site = views.site;
    let mains = site.languages.iter().enumerate().map(|(l, lang)| FeedSpec {
        path: lang.path("/atom.xml"),
        title: lang.title.clone(),
        subtitle: lang.description.clone(),
        alternate: lang.path("/"),
        pages: &site.lists[l].posts,
        lang: l,
    });
    let tags = site
        .terms
        .iter()
        .filter(|t| site.taxonomies[t.taxonomy].feed)
        .map(|term| {
            let loc = &views.locales[term.lang];
            let title = &loc.lang.title;
            let taxonomy = &site.taxonomies[term.taxonomy];
            FeedSpec {
                path: format!("{}atom.xml", term.path),
                title: format!("{title}: {}", term.name),
                subtitle: super::taxonomy_titles::feed_subtitle(loc, taxonomy, term),
                alternate: term.path.clone(),
                pages: &term.pages,
                lang: term.lang,
            }
        });
    let specs: Vec<FeedSpec> = mains.chain(tags).collect();
    specs
        .par_iter()
        .filter_map(|spec| feed(views, summaries, spec))
        .collect()
}

/// RFC 3339 as Atom requires: always with a time (midnight UTC for dates).
fn rfc3339(date: &Date) -> String {
    date.at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// The entries of a feed over `candidates` (newest first): the newest
/// [`FEED_ENTRIES`] pages that are not drafts or noindex and have a `date`
/// or `updated`. No entries, no feed file: link a feed only when this is
/// not empty.
pub fn feed_entries(site: &Site, candidates: &[usize]) -> Vec<usize> {
    candidates
        .iter()
        .copied()
        .filter(|&i| {
            let page = &site.pages[i];
            !page.meta.draft && !page.meta.noindex && lastmod(page).is_some()
        })
        .take(FEED_ENTRIES)
        .collect()
}

/// One Atom feed, or none when no page qualifies.
fn feed(views: &Views, summaries: &Summaries, spec: &FeedSpec) -> Option<OutputFile> {
    let (site, urls) = (views.site, views.urls);
    let cfg = &site.config;
    let entries = feed_entries(site, spec.pages);
    let updated = entries
        .iter()
        .filter_map(|&i| lastmod(&site.pages[i]))
        .max()?;

    let self_url = absolute(urls, &spec.path);
    let mut xml = String::with_capacity(2048 + entries.len() * 1024);
    xml.push_str(XML_DECL);
    let _ = writeln!(
        xml,
        "<feed xmlns=\"{ATOM_NS}\" xml:lang=\"{}\">",
        esc(&site.languages[spec.lang].code)
    );
    element(&mut xml, 2, "title", &spec.title);
    if !spec.subtitle.is_empty() {
        element(&mut xml, 2, "subtitle", &spec.subtitle);
    }
    link(&mut xml, 2, "self", "application/atom+xml", &self_url);
    link(
        &mut xml,
        2,
        "alternate",
        "text/html",
        &absolute(urls, &spec.alternate),
    );
    element(&mut xml, 2, "id", &self_url);
    element(&mut xml, 2, "updated", &rfc3339(&updated));
    if let Some(author) = &cfg.author {
        author_element(&mut xml, 2, author);
    }
    let _ = writeln!(
        xml,
        "  <generator version=\"{}\">lander</generator>",
        env!("CARGO_PKG_VERSION")
    );
    for i in entries {
        entry(&mut xml, views, summaries, i);
    }
    xml.push_str("</feed>\n");
    Some(file(spec.path.trim_start_matches('/').to_string(), xml))
}

fn entry(xml: &mut String, views: &Views, summaries: &Summaries, i: usize) {
    let (site, urls) = (views.site, views.urls);
    let page = &site.pages[i];
    let m = &page.meta;
    let permalink = absolute(urls, &page.path);
    match m.lang.as_deref().filter(|l| *l != page.lang) {
        Some(lang) => {
            let _ = writeln!(xml, "  <entry xml:lang=\"{}\">", esc(lang));
        }
        None => xml.push_str("  <entry>\n"),
    }
    element(xml, 4, "title", &m.title);
    link(xml, 4, "alternate", "text/html", &permalink);
    element(xml, 4, "id", &permalink);
    if let Some(date) = &m.date {
        element(xml, 4, "published", &rfc3339(date));
    }
    if let Some(updated) = lastmod(page) {
        element(xml, 4, "updated", &rfc3339(&updated));
    }
    let authors = views.authors_of(i);
    if !authors.is_empty() {
        for a in &authors {
            author_element(xml, 4, a.name);
        }
    } else if let Some(author) = m.author.as_ref().or(site.config.author.as_ref()) {
        author_element(xml, 4, author);
    }
    for term in views.terms_of(i).iter().filter(|t| !t.author) {
        let _ = writeln!(xml, "    <category term=\"{}\"/>", esc(term.name));
    }
    let summary = summaries.get(i);
    let html = summary.summary;
    if !html.trim().is_empty() {
        let base = url::Url::parse(&permalink).ok();
        let html = match &base {
            Some(base) => absolute_links(html, base),
            None => html.to_string(),
        };
        xml.push_str("    <summary type=\"html\">");
        escape_into(xml, html.trim());
        xml.push_str("</summary>\n");
    } else {
        element(xml, 4, "summary", &summary.description);
    }
    xml.push_str("  </entry>\n");
}

fn author_element(xml: &mut String, indent: usize, name: &str) {
    let pad = " ".repeat(indent);
    let _ = writeln!(xml, "{pad}<author><name>{}</name></author>", esc(name));
}

fn link(xml: &mut String, indent: usize, rel: &str, kind: &str, href: &str) {
    let pad = " ".repeat(indent);
    let _ = writeln!(
        xml,
        "{pad}<link rel=\"{rel}\" type=\"{kind}\" href=\"{}\"/>",
        esc(href)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Option<Date> {
        Some(Date::parse(text).unwrap())
    }

    #[test]
    fn atom_dates_always_have_a_time() {
        assert_eq!(
            rfc3339(&date("2025-10-21").unwrap()),
            "2025-10-21T00:00:00Z"
        );
        assert_eq!(
            rfc3339(&date("2025-10-21T09:30:00+02:00").unwrap()),
            "2025-10-21T09:30:00+02:00"
        );
    }
}
