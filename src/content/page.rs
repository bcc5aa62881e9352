//! A Markdown file of the site, parsed and placed: its kind, slug and URL.

use std::path::PathBuf;

use serde::Serialize;

use super::front_matter::FrontMatter;
use crate::base::key_lines::KeyLines;

/// What a content file is, decided by its folder, its name and `layout`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    /// `content/_index.md`
    Home,
    /// `_index.md` of any other folder (blog/, products/, legal/…)
    Section,
    /// `content/blog/**.md`
    Post,
    /// `content/products/**.md`
    Product,
    /// any other `.md`
    Page,
    /// a plain page with `layout: landing`
    Landing,
}

impl PageKind {
    /// The theme template used when front matter gives no `layout`.
    pub fn default_template(self, section: &str) -> &'static str {
        match self {
            PageKind::Home => "index.html",
            PageKind::Section => match section {
                "blog" => "blog.html",
                "products" => "products.html",
                _ => "section.html",
            },
            PageKind::Post => "post.html",
            PageKind::Product => "product.html",
            PageKind::Page => "page.html",
            PageKind::Landing => "landing.html",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Path relative to the site root, e.g. `content/blog/first.md`.
    pub source: PathBuf,
    pub kind: PageKind,
    /// Folder within `content/` that the page belongs to, with `/` separators
    /// ("" for top-level pages and the home page, "blog" for posts).
    pub section: String,
    pub slug: String,
    /// URL path from the site root, always with a trailing slash: `/blog/first/`.
    pub path: String,
    pub meta: FrontMatter,
    pub key_lines: KeyLines,
    /// Shared, not copied, when `lander serve` assembles the site again.
    pub body: std::sync::Arc<str>,
    /// 1-based line of the first body line in `source`.
    pub body_line: usize,
    /// The language code: the file's suffix (`post.ar.md`), else front
    /// matter `lang`, else the site's default (set when the site is assembled).
    pub lang: String,
    /// The `ar` of `post.ar.md`, as written.
    pub lang_suffix: Option<String>,
    /// What links the translations of one page: `translation_key`, else
    /// the folder and file stem without the language (set when the site is
    /// assembled, from `stem`).
    pub translation_group: String,
    /// The folder and file stem without the language: `blog/post`.
    pub stem: String,
    /// `path` before the language's prefix was put in front.
    pub unprefixed_path: String,
}

impl Page {
    /// The output file that holds this page, relative to the output folder.
    pub fn output_file(&self) -> String {
        format!("{}index.html", self.path.trim_start_matches('/'))
    }

    /// File line and column (1-based) of a byte offset of the body.
    pub fn body_line_col(&self, offset: usize) -> (usize, usize) {
        let (line, column) = crate::base::text::line_col(&self.body, offset);
        (self.body_line + line - 1, column)
    }

    pub fn template(&self) -> String {
        match &self.meta.layout {
            Some(layout) => format!("{layout}.html"),
            None => self.kind.default_template(&self.section).to_string(),
        }
    }
}

/// Newest first; undated posts last, then by title for a stable order.
pub(super) fn by_date_desc(a: &Page, b: &Page) -> std::cmp::Ordering {
    b.meta
        .date
        .cmp(&a.meta.date)
        .then_with(|| a.meta.title.cmp(&b.meta.title))
        .then_with(|| a.path.cmp(&b.path))
}
