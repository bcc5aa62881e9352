//! The context of each job: the site path, template, tera context and source
//! file of the page a `Job` produces. Real pages get their typed view;
//! generated pages (lists, offers, thank-you pages, 404) a `page` value with
//! the same keys (see `synthetic`).

use serde_json::{json, Value};

use super::forms;
use super::jobs::{Job, LangId, OfferId, PageId};
use super::lang::Locale;
use super::offers::{LeadView, OfferView, ThankYouView};
use super::outcomes;
use super::paginate::{pager_count, pager_path, paginator};
use super::renderer::Renderer;
use super::views;
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

impl Renderer<'_> {
    pub(super) fn items(&self, indices: &[usize]) -> Vec<Value> {
        indices
            .iter()
            .map(|&i| serde_json::to_value(&self.summaries[crate::reads::page(i)]).unwrap_or_default())
            .collect()
    }

    /// `(site path, template, context, source file)` of a job.
    pub(super) fn context(
        &self,
        job: Job,
        LangId(l): LangId,
    ) -> (String, String, tera::Context, Option<String>) {
        let site = self.site;
        let urls = self.views.urls;
        let per = site.config.paginate_by;
        let loc = &self.locales[l];
        let lang = loc.lang;
        let lists = &site.lists[l];
        let mut ctx = tera::Context::new();
        match job {
            Job::Page { page: PageId(i) } => {
                let p = self.views.page_data(i);
                ctx.insert("page", &self.views.page(i));
                ctx.insert("current_path", &urls.path(&p.path));
                if p.kind == PageKind::Home {
                    ctx.insert("products", &self.items(&lists.products));
                }
                (
                    p.path.clone(),
                    p.template(),
                    ctx,
                    Some(p.source.display().to_string()),
                )
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
                ctx.insert("page", &page);
                ctx.insert("paginator", &pg);
                ctx.insert("current_path", &urls.path(&path));
                let tpl = section.map_or("blog.html".into(), |s| self.views.page_data(s).template());
                (
                    path,
                    tpl,
                    ctx,
                    section.map(|s| self.views.page_data(s).source.display().to_string()),
                )
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
                ctx.insert("page", &page);
                ctx.insert("products", &self.items(&lists.products));
                ctx.insert("current_path", &urls.path(&path));
                let tpl = section.map_or("products.html".into(), |s| self.views.page_data(s).template());
                (
                    path,
                    tpl,
                    ctx,
                    section.map(|s| self.views.page_data(s).source.display().to_string()),
                )
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
                ctx.insert("page", &page);
                ctx.insert("pages", &self.items(&site.pages_in(&p.section, &p.lang)));
                ctx.insert("current_path", &urls.path(&p.path));
                (
                    p.path.clone(),
                    p.template(),
                    ctx,
                    Some(p.source.display().to_string()),
                )
            }
            Job::Taxonomy { taxonomy, .. } => self.taxonomy_list(taxonomy, loc),
            Job::Term { term, number } => self.term_page(term, number, loc),
            Job::Offer {
                offer: OfferId(o), ..
            } => {
                let offer = &site.offers[crate::reads::offer(o)];
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
                let mut page = self.synthetic(loc, "offer", &def.headline, &desc, &path, false);
                // The offer's image is its page's image (Open Graph, Twitter).
                if let Some(img) = image {
                    page["image"] = urls.link(img).into();
                    page["image_permalink"] = urls.absolute(img).into();
                    page["image_alt"] = def.image_alt.clone().into();
                    page["image_width"] = view.image_width.into();
                    page["image_height"] = view.image_height.into();
                }
                ctx.insert("offer", &view);
                ctx.insert("page", &page);
                ctx.insert("current_path", &urls.path(&path));
                (
                    path,
                    "offer.html".into(),
                    ctx,
                    Some(offer.source.display().to_string()),
                )
            }
            Job::Thanks {
                offer: OfferId(o), ..
            } => {
                let offer = &site.offers[crate::reads::offer(o)];
                let def = offer.def_in(l);
                let path = offer.thanks_path_in(lang);
                let thank_you = ThankYouView::new(offer, loc, urls, self.thanks[o][l].clone());
                // Thank-you pages are for people who converted, not for search engines.
                let page =
                    self.synthetic(loc, "thanks", &thank_you.title, &def.headline, &path, true);
                ctx.insert("offer", &OfferView::new(offer, loc, urls));
                ctx.insert("thank_you", &thank_you);
                ctx.insert("lead", &LeadView::new(offer));
                ctx.insert("page", &page);
                ctx.insert("current_path", &urls.path(&path));
                (
                    path,
                    "thanks.html".into(),
                    ctx,
                    Some(offer.source.display().to_string()),
                )
            }
            Job::Outcome {
                offer: OfferId(o),
                outcome: k,
                ..
            } => {
                let offer = &site.offers[crate::reads::offer(o)];
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
                    .map(|n| json!({"text": n.text, "url": urls.link(&n.url.0)}));
                // Noindex like every thank-you page (and not in the sitemap).
                let page =
                    self.synthetic(loc, "thanks", &outcome.title, &def.headline, &path, true);
                ctx.insert("offer", &OfferView::new(offer, loc, urls));
                ctx.insert(
                    "thank_you",
                    &json!({"title": outcome.title, "body": view.as_ref().map(|v| v.body.clone()), "next": next}),
                );
                ctx.insert("outcome", &view);
                ctx.insert("page", &page);
                ctx.insert("current_path", &urls.path(&path));
                (
                    path,
                    "thanks.html".into(),
                    ctx,
                    Some(offer.source.display().to_string()),
                )
            }
            Job::NotFound => {
                let page = self.synthetic(
                    loc,
                    "404",
                    loc.t("not_found_title"),
                    loc.t("not_found_description"),
                    "/404.html",
                    true,
                );
                ctx.insert("page", &page);
                ctx.insert("current_path", &urls.path("/404.html"));
                ("/404.html".into(), "404.html".into(), ctx, None)
            }
        }
    }

    /// The `page`/`section` of a list: its `_index.md` when there is one,
    /// with the path, title and description of pager page `n` of `pages`.
    fn list_page(
        &self,
        section: Option<usize>,
        loc: &Locale,
        (default_title, describe): (&str, &str),
        base: &str,
        (n, pages): (usize, usize),
    ) -> Value {
        let urls = self.views.urls;
        let mut page = match section {
            Some(i) => serde_json::to_value(self.views.page(i)).unwrap_or_default(),
            None => {
                // "Articles from Oliva & Co. …": the blog and the products
                // lists describe themselves, not only the site.
                let description = list_description(loc, describe, &[]);
                self.synthetic(loc, "section", default_title, &description, base, false)
            }
        };
        if n > 1 {
            let path = pager_path(base, n);
            let title = loc.tf(
                "page_n",
                &[
                    ("title", page["title"].as_str().unwrap_or(default_title)),
                    ("n", &loc.numbers.integer(n as u64)),
                ],
            );
            page["title"] = Value::String(title);
            page["description"] = Value::String(page_of_description(
                loc,
                n,
                pages,
                page["description"].as_str().unwrap_or_default(),
            ));
            page["path"] = Value::String(urls.path(&path));
            page["permalink"] = Value::String(urls.permalink(&path));
            page["canonical"] = Value::String(urls.permalink(&path));
        }
        page
    }

    /// A `page` value for generated pages (tags, offers, 404) with the same
    /// keys as a real page, so `base.html` needs no special cases.
    pub(super) fn synthetic(
        &self,
        loc: &Locale,
        kind: &str,
        title: &str,
        description: &str,
        path: &str,
        noindex: bool,
    ) -> Value {
        let urls = self.views.urls;
        let cfg = &self.site.config;
        json!({
            "kind": kind, "title": title, "description": description, "slug": "",
            "path": urls.path(path), "permalink": urls.permalink(path), "canonical": urls.permalink(path),
            "date": null, "updated": null, "date_display": null, "updated_display": null, "draft": false, "tags": [], "taxonomies": {}, "authors": [], "image": null,
            "image_permalink": null, "image_alt": null, "image_width": null, "image_height": null,
            "affiliate_disclosure": null,
            "author": cfg.author, "lang": loc.lang.code, "stage": null, "offer": null, "faq": [],
            "noindex": noindex, "content": "", "summary": "", "toc": [], "word_count": 0,
            "reading_time": 0, "reading_time_text": "", "extra": {}, "source": null, "product": null,
        })
    }
}
