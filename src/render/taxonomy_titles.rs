//! The titles of taxonomies and their terms, in the page's language, for
//! the taxonomy pages (`taxonomies`), the summaries (`views`), SEO (`seo`)
//! and the feeds (`feeds`).

use super::lang::Locale;
use crate::content::{Taxonomy, Term};

/// The title of a taxonomy's list page: the theme string named after it
/// (`tags: Tags`, a site's `categories: Catégories`), else its name with a
/// capital.
pub fn title(loc: &Locale, taxonomy: &Taxonomy) -> String {
    match loc.strings.get(&taxonomy.name) {
        Some(t) => t.clone(),
        None => {
            let mut chars = taxonomy.name.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

/// "Tagged “oil”", "Categories: Guides".
pub fn term_title(loc: &Locale, taxonomy: &Taxonomy, term: &Term) -> String {
    if taxonomy.name == "tags" {
        loc.tf("tagged", &[("tag", &term.name)])
    } else {
        loc.tf(
            "term_title",
            &[("taxonomy", &title(loc, taxonomy)), ("term", &term.name)],
        )
    }
}

/// The subtitle of a term's feed: "Everything Oliva has written about oil."
pub fn feed_subtitle(loc: &Locale, taxonomy: &Taxonomy, term: &Term) -> String {
    let site = loc.lang.title.as_str();
    if taxonomy.name == "tags" {
        loc.tf("tag_description", &[("site", site), ("tag", &term.name)])
    } else {
        let title = title(loc, taxonomy);
        loc.tf(
            "term_description",
            &[("site", site), ("taxonomy", &title), ("term", &term.name)],
        )
    }
}
