//! Files for crawlers and readers beside the pages: sitemap.xml (split into
//! a sitemap index past 50,000 URLs), robots.txt and Atom feeds.

use serde_json::Value;

use super::views::Views;
use super::OutputFile;

/// The site files of `views.site`; `summaries` are the page summaries
/// built once by the render stage (index-aligned with `site.pages`).
pub fn generate(views: &Views, summaries: &[Value]) -> Vec<OutputFile> {
    let _ = (views, summaries);
    Vec::new()
}
