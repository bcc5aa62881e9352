//! Files for crawlers and readers beside the pages: sitemap.xml (split into
//! a sitemap index past 50,000 URLs), robots.txt and Atom feeds.
//!
//! They are written as text by small escaping helpers, not by templates: a
//! theme cannot break them, and memory stays linear in the number of URLs.
//! A static file of the same name (e.g. a hand-written `static/robots.txt`)
//! replaces the generated one.
//!
//! [`generate`] gathers them; the sitemap is in [`super::sitemap`], the
//! feeds in [`super::feeds`]. The small helpers both share are here.

use std::collections::HashSet;

use super::site_xml::{absolute, file};
use super::urls::Urls;
use super::views::{Summaries, Views};
use super::OutputFile;
use super::{feeds::feeds, sitemap::sitemap, sitemap::SitemapLimits};

/// The site files of `views.site`; `summaries` are the page summaries
/// built once by the render stage (index-aligned with `site.pages`).
pub fn generate(views: &Views, summaries: &Summaries) -> Vec<OutputFile> {
    let site = views.site;
    let (mut files, feeds) = rayon::join(
        || sitemap(views, SitemapLimits::PROTOCOL),
        || feeds(views, summaries),
    );
    files.push(robots(views.urls));
    files.extend(feeds);
    let statics: HashSet<&str> = site.statics.iter().map(|s| s.to.as_str()).collect();
    files.retain(|f| !statics.contains(f.path.as_str()));
    files
}

// ---------------------------------------------------------------- robots

fn robots(urls: Urls) -> OutputFile {
    file(
        "robots.txt".into(),
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            absolute(urls, "/sitemap.xml")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const URLS: Urls = Urls {
        base_url: "https://x.test/shop",
        base_path: "/shop",
    };

    #[test]
    fn robots_points_at_the_sitemap_under_the_base_path() {
        let f = robots(URLS);
        assert_eq!(f.path, "robots.txt");
        assert_eq!(
            String::from_utf8(f.bytes).unwrap(),
            "User-agent: *\nAllow: /\n\nSitemap: https://x.test/shop/sitemap.xml\n"
        );
    }

    #[test]
    fn absolute_urls_are_percent_encoded() {
        assert_eq!(
            absolute(URLS, "/blog/café/"),
            "https://x.test/shop/blog/caf%C3%A9/"
        );
        assert_eq!(
            absolute(URLS, "/a/?x=1&y=2"),
            "https://x.test/shop/a/?x=1&y=2"
        );
    }
}
