//! The `page` of the pages the site has no file for: the blog and products
//! lists without an `_index.md`, taxonomy and term pages, offer landing
//! pages, thank-you and quiz-outcome pages, the 404. Each is a
//! [`PageView`] with the keys of a real page, so `base.html`, SEO and
//! social cards need no special cases.

use std::sync::LazyLock;

use super::views::{PageView, Views};

/// The `extra` of every generated page: `{}`.
static NO_EXTRA: LazyLock<serde_yaml::Mapping> = LazyLock::new(serde_yaml::Mapping::new);

/// What a generated page is, as `page.kind` says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeneratedKind {
    /// The blog or products list of a site without its `_index.md`.
    Section,
    /// The list of tags (`/tags/`).
    Tags,
    /// The list of terms of another taxonomy (`/categories/`).
    Taxonomy,
    /// A page of a tag (`/tags/oil/`).
    Tag,
    /// A page of a term of another taxonomy (`/categories/guides/`).
    Term,
    /// An offer's landing page.
    Offer,
    /// A thank-you page, of an offer or of a quiz outcome.
    Thanks,
    /// The 404 page.
    NotFound,
}

impl GeneratedKind {
    /// `page.kind`: "section", "tags", "taxonomy", "tag", "term", "offer",
    /// "thanks", "404".
    pub fn as_str(self) -> &'static str {
        match self {
            GeneratedKind::Section => "section",
            GeneratedKind::Tags => "tags",
            GeneratedKind::Taxonomy => "taxonomy",
            GeneratedKind::Tag => "tag",
            GeneratedKind::Term => "term",
            GeneratedKind::Offer => "offer",
            GeneratedKind::Thanks => "thanks",
            GeneratedKind::NotFound => "404",
        }
    }
}

/// A generated page before it is a view: what differs from one to the next.
pub struct GeneratedPage<'p> {
    pub kind: GeneratedKind,
    pub title: &'p str,
    pub description: &'p str,
    /// Its site path (without the base path): `/tags/`, `/404.html`.
    pub path: &'p str,
    /// Kept out of search engines (thank-you pages, the 404).
    pub noindex: bool,
}

impl<'a> PageView<'a> {
    /// The view of a generated page in language `lang` (a code: `en`):
    /// its own title, description, path and robots, nothing else (no date,
    /// image, terms, content or source), and the site's author.
    pub fn generated(page: &GeneratedPage, views: &Views<'a>, lang: &'a str) -> PageView<'a> {
        let urls = views.urls;
        PageView {
            kind: page.kind.as_str(),
            title: page.title.to_string(),
            description: page.description.to_string(),
            slug: "",
            path: urls.path(page.path),
            permalink: urls.permalink(page.path),
            canonical: urls.permalink(page.path),
            date: None,
            updated: None,
            date_display: None,
            updated_display: None,
            draft: false,
            tags: Vec::new(),
            taxonomies: Default::default(),
            authors: Vec::new(),
            image: None,
            image_permalink: None,
            image_alt: None,
            image_width: None,
            image_height: None,
            affiliate_disclosure: None,
            author: views.site.config.author.as_deref(),
            lang,
            stage: None,
            offer: None,
            offer_open: None,
            faq: &[],
            noindex: page.noindex,
            content: "",
            summary: "",
            toc: &[],
            word_count: 0,
            reading_time: 0,
            reading_time_text: String::new(),
            extra: &NO_EXTRA,
            source: None,
            product: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::json;

    use super::*;
    use crate::funnel::test_site::site;
    use crate::markdown::Rendered;
    use crate::render::lang::Locale;
    use crate::render::urls::Urls;

    /// The keys of the `json!` map generated pages had before they were
    /// typed (`Renderer::synthetic`): themes may rely on every one.
    #[rustfmt::skip]
    const KEYS: &[&str] = &[
        "kind", "title", "description", "slug", "path", "permalink", "canonical", "date",
        "updated", "date_display", "updated_display", "draft", "tags", "taxonomies", "authors",
        "image", "image_permalink", "image_alt", "image_width", "image_height",
        "affiliate_disclosure", "author", "lang", "stage", "offer", "faq", "noindex", "content",
        "summary", "toc", "word_count", "reading_time", "reading_time_text", "extra", "source",
        "product",
    ];

    fn keys(v: &serde_json::Value) -> BTreeSet<&str> {
        v.as_object().unwrap().keys().map(String::as_str).collect()
    }

    #[test]
    fn a_generated_page_has_the_keys_and_values_it_always_had() {
        let site = site(&[("content/about.md", "---\ntitle: About\n---\nHi\n")]);
        let strings = Default::default();
        let locales = [Locale::new(0, &site.languages[0], &strings)];
        let markdown: Vec<_> = (0..site.pages.len())
            .map(|_| std::sync::Arc::new(Rendered::default()))
            .collect();
        let views = Views {
            site: &site,
            urls: Urls {
                base_url: &site.config.base_url,
                base_path: site.config.base_path(),
            },
            markdown: &markdown,
            locales: &locales,
        };
        let page = GeneratedPage {
            kind: GeneratedKind::NotFound,
            title: "Not found",
            description: "Gone.",
            path: "/404.html",
            noindex: true,
        };
        let v = serde_json::to_value(PageView::generated(&page, &views, "en")).unwrap();
        assert_eq!(keys(&v), KEYS.iter().copied().collect::<BTreeSet<_>>());
        let empty = [
            "date",
            "updated",
            "image",
            "image_alt",
            "offer",
            "stage",
            "source",
            "product",
        ];
        assert!(empty.iter().all(|k| v[k].is_null()), "{v}");
        assert_eq!(v["kind"], "404");
        assert_eq!(v["path"], "/404.html");
        assert_eq!(v["canonical"], "https://t.test/404.html");
        assert_eq!(v["noindex"], true);
        assert_eq!(
            (&v["extra"], &v["tags"], &v["taxonomies"]),
            (&json!({}), &json!([]), &json!({}))
        );
        // A real page has the same keys, and `offer_open`.
        let about = site.pages.iter().position(|p| p.meta.title == "About");
        let real = serde_json::to_value(views.page(about.unwrap())).unwrap();
        let mut with_offer_open = keys(&v);
        with_offer_open.insert("offer_open");
        assert_eq!(keys(&real), with_offer_open);
    }
}
