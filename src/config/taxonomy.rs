//! `taxonomies:` of site.yaml: the ways pages are grouped (tags, categories,
//! authors…). Each gets a list page `/NAME/` and a page per term
//! `/NAME/TERM/`; front matter names a page's terms under the same key.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Config;
use crate::error::{Diagnostic, Diagnostics};

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyConfig {
    /// The front matter key and the URL folder: `categories`.
    pub name: String,
    /// Pages per term page (default: the site's `paginate_by`).
    pub paginate_by: Option<usize>,
    /// An Atom feed per term: `/NAME/TERM/atom.xml`.
    #[serde(default)]
    pub feed: bool,
    /// Its terms are the people who wrote the page: BlogPosting's `author`.
    /// Implied for a taxonomy named `authors`.
    #[serde(default)]
    pub author: bool,
}

impl TaxonomyConfig {
    /// Whether the terms are authors (`author: true`, or named `authors`).
    pub fn is_author(&self) -> bool {
        self.author || self.name == "authors"
    }
}

/// Without `taxonomies:`, a site has tags, each with a feed (as before
/// taxonomies could be named).
pub fn default_taxonomies() -> Vec<TaxonomyConfig> {
    vec![TaxonomyConfig {
        name: "tags".into(),
        paginate_by: None,
        feed: true,
        author: false,
    }]
}

/// Folders lander writes itself: a taxonomy cannot take them.
const TAKEN: [&str; 5] = ["blog", "products", "offers", "assets", "page"];

pub fn validate(config: &Config, path: &Path, text: &str, errs: &mut Diagnostics) {
    let line = crate::base::key_lines::KeyLines::scan(text, 1).line("taxonomies");
    let mut seen: Vec<&str> = Vec::new();
    for t in &config.taxonomies {
        let mut err = |msg: String, help: &str| {
            errs.push(
                Diagnostic::error(msg)
                    .in_file(path)
                    .at(line, 1)
                    .with_help(help),
            )
        };
        let name = t.name.as_str();
        if crate::base::slug::slugify(name) != name || name.contains('_') {
            err(
                format!("the taxonomy name `{name}` is not a URL folder name"),
                "use lowercase letters, digits and dashes, e.g. name: categories",
            );
        } else if crate::base::key_lines::KEYS.contains(&name) {
            err(
                format!("the taxonomy name `{name}` is a front matter key of lander"),
                "use another name, e.g. `authors` rather than `author`",
            );
        } else if TAKEN.contains(&name) {
            err(
                format!("the taxonomy name `{name}` is a folder lander writes itself"),
                "use another name, e.g. categories or topics",
            );
        }
        if seen.contains(&name) {
            err(
                format!("the taxonomy `{name}` is listed twice"),
                "list each taxonomy once",
            );
        }
        seen.push(name);
        if t.paginate_by == Some(0) {
            err(
                format!("`paginate_by` of the taxonomy `{name}` must be at least 1"),
                "use the number of pages per term page, e.g. paginate_by: 10",
            );
        }
    }
}
