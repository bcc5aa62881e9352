//! The small helpers every XML file of the site shares: the sitemap
//! (`sitemap`), the feeds (`feeds`) and robots.txt (`site_files`).

use std::fmt::Write as _;

use super::urls::Urls;
use super::OutputFile;
use crate::base::date::Date;
use crate::base::escape::escape_into;
use crate::content::Page;

pub(super) const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/// When a page last changed: `updated`, else `date`.
pub(super) fn lastmod(page: &Page) -> Option<Date> {
    page.meta.updated.or(page.meta.date)
}

/// An absolute URL of a site path, percent-encoded as the protocol asks
/// (and with a punycode host).
pub(super) fn absolute(urls: Urls, path: &str) -> String {
    let link = urls.permalink(path);
    url::Url::parse(&link).map_or(link, String::from)
}

pub(super) fn file(path: String, xml: String) -> OutputFile {
    OutputFile {
        path,
        bytes: xml.into_bytes(),
        source: None,
    }
}

/// `<name>text</name>` on a line of its own.
pub(super) fn element(out: &mut String, indent: usize, name: &str, text: &str) {
    out.extend(std::iter::repeat_n(' ', indent));
    let _ = write!(out, "<{name}>");
    escape_into(out, text);
    let _ = writeln!(out, "</{name}>");
}
