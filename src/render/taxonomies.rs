//! The pages of the taxonomies: the list of terms of each taxonomy
//! (`/categories/`) and the pages of each term (`/categories/guides/`,
//! paginated), in each language. Tags keep their own theme strings and
//! templates (`tags.html`, `tag.html`); other taxonomies use
//! `taxonomy_list.html` and `taxonomy_term.html`.

use serde::Serialize;

use super::context::{list_description, page_of_description};
use super::generated::{GeneratedKind, GeneratedPage};
use super::jobs::{TaxonomyId, TermId};
use super::lang::Locale;
use super::paginate::{pager_count, pager_path, paginator};
use super::renderer::JobContext;
use super::renderer::Renderer;
use super::taxonomy_titles::{term_title, title};
use crate::content::{Taxonomy, Term};

/// A term as templates see it: `term` (and `tag`) on its page, the items
/// of `terms` (and `tags`) on its taxonomy's page.
#[derive(Serialize)]
pub struct TermView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub path: String,
    /// How many pages have the term.
    pub count: usize,
    /// `count` in the page's language: "٣".
    pub count_display: String,
    /// "1 post", "3 posts".
    pub count_text: String,
}

/// `taxonomy` on the pages of a taxonomy and of its terms.
#[derive(Serialize)]
pub struct TaxonomyView<'a> {
    /// `tags`, `categories`.
    pub name: &'a str,
    /// Its title in the page's language: "Categories".
    pub title: String,
    pub path: String,
}

/// The description of a term page (before pagination).
fn term_description(loc: &Locale, taxonomy: &Taxonomy, term: &Term) -> String {
    if taxonomy.name == "tags" {
        list_description(loc, "tag_description", &[("tag", &term.name)])
    } else {
        list_description(
            loc,
            "term_description",
            &[("taxonomy", &title(loc, taxonomy)), ("term", &term.name)],
        )
    }
}

/// `tags.html` for tags (sites may override it), else `taxonomy_list.html`.
fn templates(taxonomy: &Taxonomy) -> (&'static str, &'static str) {
    if taxonomy.name == "tags" {
        ("tags.html", "tag.html")
    } else {
        ("taxonomy_list.html", "taxonomy_term.html")
    }
}

impl<'a> Renderer<'a> {
    /// A term as templates see it.
    fn term_view(&self, loc: &Locale, term: &'a Term) -> TermView<'a> {
        let n = term.pages.len();
        let count_text = if n == 1 {
            loc.t("tag_count_one").to_string()
        } else {
            loc.tf("tag_count_other", &[("count", &loc.count(n))])
        };
        TermView {
            name: &term.name,
            slug: &term.slug,
            path: self.views.urls.path(&term.path),
            count: n,
            count_display: loc.count(n),
            count_text,
        }
    }

    fn taxonomy_view(&self, loc: &Locale, taxonomy: &'a Taxonomy) -> TaxonomyView<'a> {
        TaxonomyView {
            name: &taxonomy.name,
            title: title(loc, taxonomy),
            path: self.views.urls.path(&taxonomy.path_in(loc.lang)),
        }
    }

    /// The list page of taxonomy `x` in the language of `loc`.
    pub(super) fn taxonomy_list(
        &self,
        TaxonomyId(x): TaxonomyId,
        loc: &Locale<'a>,
    ) -> JobContext<'a> {
        let site = self.site;
        let taxonomy = &site.taxonomies[x];
        let terms: Vec<TermView> = site.lists[loc.index].terms[x]
            .iter()
            .map(|&t| self.term_view(loc, &site.terms[t]))
            .collect();
        let title = title(loc, taxonomy);
        let description = if taxonomy.name == "tags" {
            list_description(loc, "tags_description", &[])
        } else {
            list_description(loc, "terms_description", &[("taxonomy", &title)])
        };
        let path = taxonomy.path_in(loc.lang);
        let kind = if taxonomy.name == "tags" {
            GeneratedKind::Tags
        } else {
            GeneratedKind::Taxonomy
        };
        let page = self.generated(
            loc,
            &GeneratedPage {
                kind,
                title: &title,
                description: &description,
                path: &path,
                noindex: false,
            },
        );
        let mut ctx = tera::Context::new();
        ctx.insert("taxonomy", &self.taxonomy_view(loc, taxonomy));
        ctx.insert("terms", &terms);
        // The name tag templates have always used.
        ctx.insert("tags", &terms);
        ctx.insert("current_path", &self.views.urls.path(&path));
        JobContext {
            path,
            template: templates(taxonomy).0.into(),
            ctx,
            source: None,
            page,
        }
    }

    /// Page `n` of term `t`.
    pub(super) fn term_page(
        &self,
        TermId(t): TermId,
        n: usize,
        loc: &Locale<'a>,
    ) -> JobContext<'a> {
        let site = self.site;
        let urls = self.views.urls;
        let term = &site.terms[t];
        let taxonomy = &site.taxonomies[term.taxonomy];
        let per = taxonomy.paginate_by;
        let total = term.pages.len();
        let start = ((n - 1) * per).min(total);
        let slice = &term.pages[start..(start + per).min(total)];
        let pg = paginator(&term.path, n, total, per, self.items(slice), loc, |s| {
            urls.path(s)
        });
        let path = pager_path(&term.path, n);
        let mut title = term_title(loc, taxonomy, term);
        let mut description = term_description(loc, taxonomy, term);
        if n > 1 {
            title = loc.tf("page_n", &[("title", &title), ("n", &loc.count(n))]);
            description = page_of_description(loc, n, pager_count(total, per), &description);
        }
        let kind = if taxonomy.name == "tags" {
            GeneratedKind::Tag
        } else {
            GeneratedKind::Term
        };
        let page = self.generated(
            loc,
            &GeneratedPage {
                kind,
                title: &title,
                description: &description,
                path: &path,
                noindex: false,
            },
        );
        let mut ctx = tera::Context::new();
        let view = self.term_view(loc, term);
        ctx.insert("taxonomy", &self.taxonomy_view(loc, taxonomy));
        ctx.insert("term", &view);
        ctx.insert("tag", &view);
        ctx.insert("paginator", &pg);
        ctx.insert("current_path", &urls.path(&path));
        JobContext {
            path,
            template: templates(taxonomy).1.into(),
            ctx,
            source: None,
            page,
        }
    }
}
