//! The context of each job: the site path, template, tera context, source
//! file and `page` of the page a `Job` produces. Real pages get their view;
//! generated pages (lists, offers, thank-you pages, 404) a view with the
//! same keys (see [`super::generated`]).

use serde_json::Value;

use super::forms;
use super::generated::{GeneratedKind, GeneratedPage};
use super::jobs::{Job, LangId, OfferId, PageId};
use super::lang::Locale;
use super::offers::{LeadView, OfferView, ThankYouView};
use super::outcomes::{self, LinkView, OutcomeThankYou};
use super::paginate::{pager_count, pager_path, paginator};
use super::renderer::{JobContext, Renderer};
use super::views::{self, PageView};
use crate::content::PageKind;

/// The description of a generated list page: the theme string `key`
/// (with `{site}` and `args`) followed by the site's description, cut to
/// 160 characters on a word.
pub(super) fn list_description(loc: &Locale, key: &str, args: &[(&str, &str)]) -> String {
    let lang = loc.lang;
    let mut all = vec![("site", lang.title.as_str())];
    all.extend_from_slice(args);
    views::truncate_on_word(&format!("{} {}", loc.tf(key, &all), lang.description), 160)
}

/// "Page 2 of 3. …": every pager page of a list has its own description.
pub(super) fn page_of_description(
    loc: &Locale,
    n: usize,
    pages: usize,
    description: &str,
) -> String {
    let of = loc.tf(
        "page_of",
        &[
            ("n", &loc.numbers.integer(n as u64)),
            ("total", &loc.numbers.integer(pages as u64)),
        ],
    );
    views::truncate_on_word(&format!("{of}. {description}"), 160)
}

impl<'a> Renderer<'a> {
    pub(super) fn items(&self, indices: &[usize]) -> Vec<Value> {
        indices
            .iter()
            .map(|&i| {
                serde_json::to_value(self.summaries.get(crate::base::reads::page(i)))
                    .unwrap_or_default()
            })
            .collect()
    }

    /// Where a job goes, its template, values and `page`.
    pub(super) fn context(&self, job: Job, LangId(l): LangId) -> JobContext<'a> {
        let site = self.site;
        let urls = self.views.urls;
        let per = site.config.paginate_by;
        let loc: &'a Locale<'a> = &self.locales[l];
        let lang = loc.lang;
        let lists = &site.lists[l];
        let mut ctx = tera::Context::new();
        match job {
            Job::Page { page: PageId(i) } => {
                let p = self.views.page_data(i);
                ctx.insert("current_path", &urls.path(&p.path));
                if p.kind == PageKind::Home {
                    ctx.insert("products", &self.items(&lists.products));
                }
                JobContext {
                    path: p.path.clone(),
                    template: p.template(),
                    ctx,
                    source: Some(p.source.display().to_string()),
                    page: self.views.page(i),
                }
            }
            Job::Blog { number: n, .. } => {
                let section = site.section_page("blog", l);
                let base = &lang.path("/blog/");
                let posts = &lists.posts;
                let pages = pager_count(posts.len(), per);
                let page = self.list_page(
                    section,
                    loc,
                    (loc.t("blog"), "blog_description"),
                    base,
                    (n, pages),
                );
                let start = (n - 1) * per;
                let slice = &posts[start.min(posts.len())..(start + per).min(posts.len())];
                let pg = paginator(base, n, posts.len(), per, self.items(slice), loc, |s| {
                    urls.path(s)
                });
                let path = pager_path(base, n);
                ctx.insert("section", &page);
                ctx.insert("paginator", &pg);
                ctx.insert("current_path", &urls.path(&path));
                JobContext {
                    path,
                    template: section
                        .map_or("blog.html".into(), |s| self.views.page_data(s).template()),
                    ctx,
                    source: section.map(|s| self.views.page_data(s).source.display().to_string()),
                    page,
                }
            }
            Job::Products { .. } => {
                let section = site.section_page("products", l);
                let path = lang.path("/products/");
                let page = self.list_page(
                    section,
                    loc,
                    (loc.t("products"), "products_description"),
                    &path,
                    (1, 1),
                );
                ctx.insert("section", &page);
                ctx.insert("products", &self.items(&lists.products));
                ctx.insert("current_path", &urls.path(&path));
                JobContext {
                    template: section.map_or("products.html".into(), |s| {
                        self.views.page_data(s).template()
                    }),
                    path,
                    ctx,
                    source: section.map(|s| self.views.page_data(s).source.display().to_string()),
                    page,
                }
            }
            Job::Section { page: PageId(i) } => {
                let p = self.views.page_data(i);
                let page = self.list_page(
                    Some(i),
                    loc,
                    (&p.meta.title, "blog_description"),
                    &p.path,
                    (1, 1),
                );
                ctx.insert("section", &page);
                ctx.insert("pages", &self.items(&site.pages_in(&p.section, &p.lang)));
                ctx.insert("current_path", &urls.path(&p.path));
                JobContext {
                    path: p.path.clone(),
                    template: p.template(),
                    ctx,
                    source: Some(p.source.display().to_string()),
                    page,
                }
            }
            Job::Taxonomy { taxonomy, .. } => self.taxonomy_list(taxonomy, loc),
            Job::Term { term, number } => self.term_page(term, number, loc),
            Job::Offer {
                offer: OfferId(o), ..
            } => {
                let offer = &site.offers[crate::base::reads::offer(o)];
                let def = offer.def_in(l);
                let path = offer.path_in(lang);
                let image = def.image.as_deref();
                let view = OfferView::new(offer, loc, urls)
                    .with_image_size(image.and_then(|i| site.images.get(i).copied()));
                let form = forms::form_view(
                    offer,
                    &forms::FormContext {
                        config: &site.config,
                        urls,
                        page_path: &urls.path(&path),
                        loc,
                        instance: "page",
                        site,
                        card: &|i| self.views.summary_value(i),
                    },
                );
                ctx.insert("form", &form);
                let desc = def
                    .subheadline
                    .clone()
                    .unwrap_or_else(|| def.headline.clone());
                let mut page = self.generated(
                    loc,
                    &GeneratedPage {
                        kind: GeneratedKind::Offer,
                        title: &def.headline,
                        description: &desc,
                        path: &path,
                        noindex: false,
                    },
                );
                // The offer's image is its page's image (Open Graph, Twitter).
                if let Some(img) = image {
                    page.image = Some(urls.link(img));
                    page.image_permalink = Some(urls.absolute(img));
                    page.image_alt = def.image_alt.as_deref();
                    page.image_width = view.image_width;
                    page.image_height = view.image_height;
                }
                ctx.insert("offer", &view);
                ctx.insert("current_path", &urls.path(&path));
                JobContext {
                    path,
                    template: "offer.html".into(),
                    ctx,
                    source: Some(offer.source.display().to_string()),
                    page,
                }
            }
            Job::Thanks {
                offer: OfferId(o), ..
            } => {
                let offer = &site.offers[crate::base::reads::offer(o)];
                let def = offer.def_in(l);
                let path = offer.thanks_path_in(lang);
                let thank_you = ThankYouView::new(offer, loc, urls, self.thanks[o][l].clone());
                // Thank-you pages are for people who converted, not for search engines.
                let page = self.generated(
                    loc,
                    &GeneratedPage {
                        kind: GeneratedKind::Thanks,
                        title: &thank_you.title,
                        description: &def.headline,
                        path: &path,
                        noindex: true,
                    },
                );
                ctx.insert("offer", &OfferView::new(offer, loc, urls));
                ctx.insert("thank_you", &thank_you);
                ctx.insert("lead", &LeadView::new(offer));
                ctx.insert("current_path", &urls.path(&path));
                JobContext {
                    path,
                    template: "thanks.html".into(),
                    ctx,
                    source: Some(offer.source.display().to_string()),
                    page,
                }
            }
            Job::Outcome {
                offer: OfferId(o),
                outcome: k,
                ..
            } => {
                let offer = &site.offers[crate::base::reads::offer(o)];
                let def = offer.def_in(l);
                let outcome = &def.outcomes[k];
                let path = offer.outcome_path_in(&outcome.id, lang);
                let provider = def.form.provider.unwrap_or(site.config.forms.provider);
                let views = outcomes::outcome_views(
                    offer,
                    provider,
                    &outcomes::OutcomeContext {
                        site,
                        urls,
                        loc,
                        card: &|i| self.views.summary_value(i),
                    },
                );
                let view = views.into_iter().nth(k);
                let next = def
                    .thank_you
                    .as_ref()
                    .and_then(|t| t.next.as_ref())
                    .map(|n| LinkView {
                        text: n.text.clone(),
                        url: urls.link(&n.url.0),
                    });
                // Noindex like every thank-you page (and not in the sitemap).
                let page = self.generated(
                    loc,
                    &GeneratedPage {
                        kind: GeneratedKind::Thanks,
                        title: &outcome.title,
                        description: &def.headline,
                        path: &path,
                        noindex: true,
                    },
                );
                ctx.insert("offer", &OfferView::new(offer, loc, urls));
                ctx.insert(
                    "thank_you",
                    &OutcomeThankYou {
                        title: &outcome.title,
                        body: view.as_ref().map(|v| v.body.as_str()),
                        next,
                    },
                );
                ctx.insert("outcome", &view);
                ctx.insert("current_path", &urls.path(&path));
                JobContext {
                    path,
                    template: "thanks.html".into(),
                    ctx,
                    source: Some(offer.source.display().to_string()),
                    page,
                }
            }
            Job::NotFound => {
                let page = self.generated(
                    loc,
                    &GeneratedPage {
                        kind: GeneratedKind::NotFound,
                        title: loc.t("not_found_title"),
                        description: loc.t("not_found_description"),
                        path: "/404.html",
                        noindex: true,
                    },
                );
                ctx.insert("current_path", &urls.path("/404.html"));
                JobContext {
                    path: "/404.html".into(),
                    template: "404.html".into(),
                    ctx,
                    source: None,
                    page,
                }
            }
        }
    }

    /// The `page`/`section` of a list: its `_index.md` when there is one,
    /// with the path, title and description of pager page `n` of `pages`.
    fn list_page(
        &self,
        section: Option<usize>,
        loc: &Locale<'a>,
        (default_title, describe): (&str, &str),
        base: &str,
        (n, pages): (usize, usize),
    ) -> PageView<'a> {
        let urls = self.views.urls;
        let mut page = match section {
            Some(i) => self.views.page(i),
            None => {
                // "Articles from Oliva & Co. …": the blog and the products
                // lists describe themselves, not only the site.
                let description = list_description(loc, describe, &[]);
                self.generated(
                    loc,
                    &GeneratedPage {
                        kind: GeneratedKind::Section,
                        title: default_title,
                        description: &description,
                        path: base,
                        noindex: false,
                    },
                )
            }
        };
        if n > 1 {
            let path = pager_path(base, n);
            page.title = loc.tf(
                "page_n",
                &[
                    ("title", &page.title),
                    ("n", &loc.numbers.integer(n as u64)),
                ],
            );
            page.description = page_of_description(loc, n, pages, &page.description);
            page.path = urls.path(&path);
            page.permalink = urls.permalink(&path);
            page.canonical = urls.permalink(&path);
        }
        page
    }

    /// The `page` of a generated page (tags, offers, 404) in the language
    /// of `loc`.
    pub(super) fn generated(&self, loc: &Locale<'a>, page: &GeneratedPage) -> PageView<'a> {
        PageView::generated(page, self.views, &loc.lang.code)
    }
}
