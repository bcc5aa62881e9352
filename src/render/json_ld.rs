//! The JSON-LD of a page's `<head>`: what it is (`WebSite`, `BlogPosting`,
//! `Product`, `WebPage`, `CollectionPage`), its breadcrumbs and its FAQ,
//! built as data from its typed `page` and serialised so that no
//! `</script>` can appear inside, whatever the content says.

use std::collections::HashMap;

use crate::base::escape::safe_json;
use serde_json::{json, Value};

use super::lang::Locale;
use super::urls::Urls;
use super::views::PageView;
use crate::content::front_matter::Availability;
use crate::content::Site;

/// What JSON-LD needs besides the page, built once per build.
pub struct JsonLd<'a> {
    site: &'a Site,
    urls: Urls<'a>,
    /// Title of every page by its (base-path prefixed) path, for
    /// breadcrumbs, with the page it is read from (recorded when used).
    titles: HashMap<String, (String, Option<usize>)>,
}

impl<'a> JsonLd<'a> {
    /// The titles of every page and list of the site, in each language.
    pub fn new(site: &'a Site, urls: Urls<'a>, locales: &[Locale]) -> Self {
        // Before the jobs: `breadcrumbs` records the page of each title it shows.
        let mut titles: HashMap<String, (String, Option<usize>)> = site
            .pages // before the jobs
            .iter()
            .enumerate()
            .map(|(i, p)| (urls.path(&p.path), (p.meta.title.clone(), Some(i))))
            .collect();
        for (l, loc) in locales.iter().enumerate() {
            let lists = &site.lists[l];
            let lang = loc.lang;
            if !lists.posts.is_empty() {
                titles
                    .entry(urls.path(&lang.path("/blog/")))
                    .or_insert_with(|| (loc.t("blog").into(), None));
            }
            if !lists.products.is_empty() {
                titles
                    .entry(urls.path(&lang.path("/products/")))
                    .or_insert_with(|| (loc.t("products").into(), None));
            }
            for (x, taxonomy) in site.taxonomies.iter().enumerate() {
                if !lists.terms[x].is_empty() {
                    let title = super::taxonomy_titles::title(loc, taxonomy);
                    titles.insert(urls.path(&taxonomy.path_in(lang)), (title, None));
                }
            }
        }
        JsonLd { site, urls, titles }
    }

    /// The JSON-LD blocks of a page in language `loc`, each safe to put
    /// between `<script>` tags as is. `image` is the absolute URL of its
    /// image (or the site's); `lang` its language code.
    pub fn blocks(
        &self,
        page: &PageView,
        loc: &Locale,
        lang: &str,
        image: Option<&str>,
    ) -> Vec<String> {
        let noindex = page.noindex;
        let mut json_ld = Vec::new();
        match page.kind {
            "home" => {
                json_ld.push(self.website(loc));
                json_ld.push(self.organization());
            }
            "post" => json_ld.push(self.blog_posting(page, lang, image)),
            "product" => {
                if let Some(p) = self.product(page, image) {
                    json_ld.push(p);
                }
            }
            // Every other indexable page says what it is, with its description.
            "page" | "landing" | "offer" if !noindex => {
                json_ld.push(self.web_page("WebPage", page, loc, image));
            }
            "section" | "tag" | "tags" | "term" | "taxonomy" if !noindex => {
                json_ld.push(self.web_page("CollectionPage", page, loc, image));
            }
            _ => {}
        }
        if let Some(b) = self.breadcrumbs(page, loc) {
            json_ld.push(b);
        }
        if !page.faq.is_empty() {
            json_ld.push(safe_json(&json!({
                "@context": "https://schema.org",
                "@type": "FAQPage",
                "mainEntity": page.faq.iter().map(|item| json!({
                    "@type": "Question",
                    "name": item.q,
                    "acceptedAnswer": {"@type": "Answer", "text": item.a},
                })).collect::<Vec<_>>(),
            })));
        }
        json_ld
    }

    fn home_url(&self) -> String {
        self.urls.permalink("/")
    }

    fn organization_value(&self) -> Value {
        let cfg = &self.site.config;
        let org = cfg.seo.organization.as_ref();
        let mut v = json!({
            "@type": "Organization",
            "name": org.map_or(cfg.title.as_str(), |o| o.name.as_str()),
            "url": self.home_url(),
        });
        if let Some(logo) = org.and_then(|o| o.logo.as_deref()) {
            v["logo"] = self.urls.absolute(logo).into();
        }
        if let Some(same) = org.map(|o| &o.same_as).filter(|s| !s.is_empty()) {
            v["sameAs"] = json!(same);
        }
        v
    }

    fn website(&self, loc: &Locale) -> String {
        let lang = loc.lang;
        safe_json(&json!({
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": lang.title,
            "url": self.urls.permalink(&lang.path("/")),
            "description": lang.description,
            "inLanguage": lang.code,
        }))
    }

    fn organization(&self) -> String {
        let mut v = self.organization_value();
        v["@context"] = "https://schema.org".into();
        safe_json(&v)
    }

    /// `WebPage` (or a subtype such as `CollectionPage`) of a page that is
    /// neither the home page, a post nor a product.
    fn web_page(&self, kind: &str, page: &PageView, loc: &Locale, image: Option<&str>) -> String {
        let (loc_title, home, lang) = (&loc.lang.title, &loc.lang.path("/"), &loc.lang.code);
        let mut v = json!({
            "@context": "https://schema.org",
            "@type": kind,
            "name": page.title,
            "url": page.canonical,
            "inLanguage": lang,
            "isPartOf": {"@type": "WebSite", "name": loc_title, "url": self.urls.permalink(home)},
        });
        if !page.description.is_empty() {
            v["description"] = page.description.as_str().into();
        }
        if let Some(img) = image {
            v["primaryImageOfPage"] = json!({"@type": "ImageObject", "url": img});
        }
        safe_json(&v)
    }

    fn blog_posting(&self, page: &PageView, lang: &str, image: Option<&str>) -> String {
        let mut v = json!({
            "@context": "https://schema.org",
            "@type": "BlogPosting",
            "headline": truncate(&page.title, 110),
            "description": page.description,
            "url": page.canonical,
            "mainEntityOfPage": {"@type": "WebPage", "@id": page.canonical},
            "inLanguage": lang,
            "publisher": self.organization_value(),
        });
        if let Some(date) = page.date.as_deref() {
            v["datePublished"] = date.into();
            v["dateModified"] = page.updated.as_deref().unwrap_or(date).into();
        }
        // The terms of an author taxonomy, each with its page; else the
        // page's (or the site's) `author`.
        let people: Vec<Value> = page
            .authors
            .iter()
            .map(|a| json!({"@type": "Person", "name": a.name, "url": a.permalink}))
            .collect();
        if !people.is_empty() {
            v["author"] = if people.len() == 1 {
                people[0].clone()
            } else {
                Value::Array(people)
            };
        } else if let Some(author) = page.author {
            v["author"] = json!({"@type": "Person", "name": author});
        }
        if let Some(img) = image {
            v["image"] = json!([img]);
        }
        if !page.tags.is_empty() {
            v["keywords"] = page
                .tags
                .iter()
                .map(|t| t.name)
                .collect::<Vec<_>>()
                .join(", ")
                .into();
        }
        safe_json(&v)
    }

    fn product(&self, page: &PageView, image: Option<&str>) -> Option<String> {
        let p = page.product.as_ref()?;
        let mut v = json!({
            "@context": "https://schema.org",
            "@type": "Product",
            "name": page.title,
            "description": page.description,
            "url": page.canonical,
        });
        let mut images: Vec<String> = image.map(str::to_string).into_iter().collect();
        images.extend(p.images.iter().map(|i| {
            self.urls
                .absolute(i.strip_prefix(self.urls.base_path).unwrap_or(i))
        }));
        images.dedup();
        if !images.is_empty() {
            v["image"] = json!(images);
        }
        if let Some(sku) = p.sku {
            v["sku"] = sku.into();
        }
        if let Some(brand) = p.brand {
            v["brand"] = json!({"@type": "Brand", "name": brand});
        }
        if let (Some(price), Some(currency)) = (p.price, p.currency) {
            let mut offer = json!({
                "@type": "Offer",
                "price": format!("{price:.2}"),
                "priceCurrency": currency,
                // Where it is bought: the checkout link, else the page.
                "url": p.buy.as_ref().map_or(page.canonical.as_str(), |b| b.url.as_str()),
            });
            if let Some(a) = p.availability {
                offer["availability"] = format!(
                    "https://schema.org/{}",
                    match a {
                        Availability::InStock => "InStock",
                        Availability::OutOfStock => "OutOfStock",
                        Availability::Preorder => "PreOrder",
                    }
                )
                .into();
            }
            // A scheduled offer on the page sets how long the price holds.
            if let Some(ends) = page.offer.as_ref().and_then(|o| o.ends.as_deref()) {
                offer["priceValidUntil"] = ends.get(..10).unwrap_or(ends).into();
            }
            v["offers"] = offer;
        }
        if let Some(r) = p.rating {
            v["aggregateRating"] = json!({
                "@type": "AggregateRating",
                "ratingValue": r.value,
                "reviewCount": r.count,
                "bestRating": 5,
            });
        }
        if !p.reviews.is_empty() {
            v["review"] = p
                .reviews
                .iter()
                .map(|r| {
                    let r = r.review;
                    let mut review = json!({
                        "@type": "Review",
                        "author": {"@type": "Person", "name": r.author},
                        "reviewRating": {"@type": "Rating", "ratingValue": r.rating, "bestRating": 5},
                        "reviewBody": r.body,
                    });
                    if let Some(d) = &r.date {
                        review["datePublished"] = d.to_iso().into();
                    }
                    review
                })
                .collect();
        }
        // Google needs one of offers, review or aggregateRating.
        let rich = ["offers", "review", "aggregateRating"]
            .iter()
            .any(|k| v.get(k).is_some());
        rich.then(|| safe_json(&v))
    }

    /// Home › section › page, for every page below the home page.
    fn breadcrumbs(&self, page: &PageView, loc: &Locale) -> Option<String> {
        let path = page.path.as_str();
        let lang_home = loc.lang.path("/");
        let home = self.urls.path(&lang_home);
        if path == home || !path.ends_with('/') {
            return None;
        }
        let title = |path: &str| {
            let (title, page) = self.titles.get(path)?;
            page.map(crate::base::reads::page);
            Some(title.clone())
        };
        let mut items = vec![(
            title(&home).unwrap_or_else(|| loc.lang.title.clone()),
            self.urls.permalink(&lang_home),
        )];
        let inner = path
            .strip_prefix(&home)
            .unwrap_or(path)
            .trim_end_matches('/');
        let segments: Vec<&str> = inner.split('/').collect();
        for i in 1..segments.len() {
            let prefix = format!("{home}{}/", segments[..i].join("/"));
            if let Some(t) = title(&prefix) {
                let rel = prefix.strip_prefix(self.urls.base_path).unwrap_or(&prefix);
                items.push((t, self.urls.permalink(rel)));
            }
        }
        items.push((page.title.clone(), page.canonical.clone()));
        Some(safe_json(&json!({
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": items.iter().enumerate().map(|(i, (name, url))| json!({
                "@type": "ListItem", "position": i + 1, "name": name, "item": url,
            })).collect::<Vec<_>>(),
        })))
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        super::views::truncate_on_word(text, max)
    }
}
