//! What `load` reads besides pages and offers, as the later parts of
//! content (`site`, `images`, `redirects`, `templates`) take it: the site's
//! templates, its static files, and the offers and products that failed
//! to parse.

use std::path::PathBuf;

/// A site template read from `templates/`, overriding the theme's by name.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// Name as used by tera: `post.html`, `partials/card.html`.
    pub name: String,
    /// Path relative to the site root.
    pub source: PathBuf,
    pub text: String,
}

/// A file copied as is to the output.
#[derive(Debug, Clone, PartialEq)]
pub struct StaticFile {
    /// Where to read it (absolute or relative to the working directory).
    pub from: PathBuf,
    /// Where it goes, relative to the output folder, with `/` separators.
    pub to: String,
}

/// Offers and products whose files failed to parse: references to them
/// are not errors of their own.
#[derive(Debug, Default)]
pub struct Broken {
    pub offers: Vec<String>,
    pub products: Vec<String>,
}
