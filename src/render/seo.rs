//! What search engines and social networks read in `<head>`: the title,
//! description, canonical and robots, Open Graph and Twitter cards,
//! hreflang alternates, and JSON-LD built as data and serialised so that
//! no `</script>` can appear inside, whatever the content says.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{json, Value};

use super::cards::CardMeta;
use super::lang::Locale;
use super::urls::Urls;
use crate::base::escape::safe_json;
use crate::content::Site;

#[derive(Serialize)]
pub struct Meta {
    pub property: String,
    pub content: String,
}

#[derive(Serialize)]
pub struct Alternate {
    pub lang: String,
    pub href: String,
}

#[derive(Serialize)]
pub struct SeoView {
    pub title: String,
    pub description: String,
    pub canonical: String,
    /// `noindex, follow` for thank-you pages, drafts and pages that ask.
    pub robots: Option<String>,
    pub og: Vec<Meta>,
    pub twitter: Vec<Meta>,
    pub alternates: Vec<Alternate>,
    /// JSON-LD blocks, each safe to put between `<script>` tags as is.
    pub json_ld: Vec<String>,
    /// Atom feed of the site (or of the tag on tag pages).
    pub feed: Option<String>,
}

/// Lookups built once per build.
pub struct Seo<'a> {
    site: &'a Site,
    urls: Urls<'a>,
    /// Title of every page by its (base-path prefixed) path, for breadcrumbs.
    titles: HashMap<String, String>,
    /// The feed of each language exists (some post qualifies).
    site_feeds: Vec<bool>,
    /// Paths of the terms that have a feed (`/tags/x/`).
    term_feeds: std::collections::HashSet<String>,
}

impl<'a> Seo<'a> {
    pub fn new(site: &'a Site, urls: Urls<'a>, locales: &[Locale]) -> Self {
        let mut titles: HashMap<String, String> = site
            .pages
            .iter()
            .map(|p| (urls.path(&p.path), p.meta.title.clone()))
            .collect();
        for (l, loc) in locales.iter().enumerate() {
            let lists = &site.lists[l];
            let lang = loc.lang;
            if !lists.posts.is_empty() {
                titles
                    .entry(urls.path(&lang.path("/blog/")))
                    .or_insert_with(|| loc.t("blog").into());
            }
            if !lists.products.is_empty() {
                titles
                    .entry(urls.path(&lang.path("/products/")))
                    .or_insert_with(|| loc.t("products").into());
            }
            for (x, taxonomy) in site.taxonomies.iter().enumerate() {
                if !lists.terms[x].is_empty() {
                    let title = super::taxonomy_titles::title(loc, taxonomy);
                    titles.insert(urls.path(&taxonomy.path_in(lang)), title);
                }
            }
        }
        let site_feeds = site
            .lists
            .iter()
            .map(|lists| !super::feeds::feed_entries(site, &lists.posts).is_empty())
            .collect();
        let term_feeds = site
            .terms
            .iter()
            .filter(|t| site.taxonomies[t.taxonomy].feed)
            .filter(|t| !super::feeds::feed_entries(site, &t.pages).is_empty())
            .map(|t| urls.path(&t.path))
            .collect();
        Seo {
            site,
            urls,
            titles,
            site_feeds,
            term_feeds,
        }
    }

    /// The SEO of a page, from its `page` value (real or generated).
    /// `alternates` are the page in each language it exists in (language
    /// index, site path), for hreflang; `loc` is the page's language.
    /// `card` is the page's social card, when it has one: it is what
    /// Open Graph and Twitter share.
    pub fn view(
        &self,
        page: &Value,
        alternates: &[(usize, String)],
        loc: &Locale,
        card: Option<&CardMeta>,
    ) -> SeoView {
        let cfg = &self.site.config;
        let site_title = &loc.lang.title;
        let s = |key: &str| page[key].as_str().unwrap_or_default().to_string();
        let kind = s("kind");
        let title = s("title");
        let canonical = s("canonical");
        let description = s("description");
        let lang = page["lang"].as_str().unwrap_or(&cfg.language).to_string();
        let title_tag = if kind == "home" || title.is_empty() || title == *site_title {
            if title.is_empty() {
                site_title.clone()
            } else {
                title.clone()
            }
        } else {
            cfg.seo
                .title_pattern
                .replace("{title}", &title)
                .replace("{site}", site_title)
        };
        // The page's own image (for JSON-LD), and what a shared link shows.
        let image = page["image_permalink"]
            .as_str()
            .map(str::to_string)
            .or_else(|| cfg.seo.image.as_deref().map(|i| self.urls.absolute(i)));
        let image_size = page["image"]
            .as_str()
            .or(cfg.seo.image.as_deref())
            .and_then(|i| {
                self.site
                    .images
                    .get(i.strip_prefix(self.urls.base_path).unwrap_or(i))
                    .copied()
            });
        let image_alt = page["image_alt"].as_str();
        let (shared, shared_size, shared_alt) = match card {
            Some(c) => (
                Some(c.url.clone()),
                Some((c.width, c.height)),
                Some(c.alt.as_str()),
            ),
            None => (image.clone(), image_size, image_alt),
        };

        let mut og = vec![
            meta("og:title", &title),
            meta("og:site_name", site_title),
            meta("og:url", &canonical),
            meta(
                "og:type",
                match kind.as_str() {
                    "post" => "article",
                    "product" => "product",
                    _ => "website",
                },
            ),
            meta("og:locale", &og_locale(&loc.lang.locale)),
        ];
        for other in alternates.iter().filter(|(l, _)| *l != loc.index) {
            og.push(meta(
                "og:locale:alternate",
                &og_locale(&self.site.languages[other.0].locale),
            ));
        }
        if !description.is_empty() {
            og.push(meta("og:description", &description));
        }
        if let Some(img) = &shared {
            og.push(meta("og:image", img));
            if let Some((w, h)) = shared_size {
                og.push(meta("og:image:width", &w.to_string()));
                og.push(meta("og:image:height", &h.to_string()));
            }
            if let Some(alt) = shared_alt {
                og.push(meta("og:image:alt", alt));
            }
        }
        if let Some(date) = page["date"].as_str().filter(|_| kind == "post") {
            og.push(meta("article:published_time", date));
        }
        let mut twitter = vec![
            meta(
                "twitter:card",
                if shared.is_some() {
                    "summary_large_image"
                } else {
                    "summary"
                },
            ),
            meta("twitter:title", &title),
        ];
        if !description.is_empty() {
            twitter.push(meta("twitter:description", &description));
        }
        if let Some(img) = &shared {
            twitter.push(meta("twitter:image", img));
            if let Some(alt) = shared_alt {
                twitter.push(meta("twitter:image:alt", alt));
            }
        }
        if let Some(handle) = &cfg.seo.twitter {
            twitter.push(meta("twitter:site", handle));
        }

        // hreflang: every language version, and x-default for the default
        // language's, on indexable pages that exist in several languages.
        let languages = &self.site.languages;
        let noindex = page["noindex"].as_bool().unwrap_or(false);
        let mut alternates: Vec<Alternate> = if alternates.len() > 1 && !noindex {
            alternates
                .iter()
                .map(|(l, p)| Alternate {
                    lang: languages[*l].code.clone(),
                    href: self.urls.permalink(p),
                })
                .collect()
        } else {
            Vec::new()
        };
        if let Some(default) = alternates.iter().find(|a| a.lang == cfg.language) {
            let href = default.href.clone();
            alternates.push(Alternate {
                lang: "x-default".into(),
                href,
            });
        }

        let mut json_ld = Vec::new();
        match kind.as_str() {
            "home" => {
                json_ld.push(self.website(loc));
                json_ld.push(self.organization());
            }
            "post" => json_ld.push(self.blog_posting(page, &lang, image.as_deref())),
            "product" => {
                if let Some(p) = self.product(page, image.as_deref()) {
                    json_ld.push(p);
                }
            }
            // Every other indexable page says what it is, with its description.
            "page" | "landing" | "offer" if !noindex => {
                json_ld.push(self.web_page("WebPage", page, loc, image.as_deref()));
            }
            "section" | "tag" | "tags" | "term" | "taxonomy" if !noindex => {
                json_ld.push(self.web_page("CollectionPage", page, loc, image.as_deref()));
            }
            _ => {}
        }
        if let Some(b) = self.breadcrumbs(page, loc) {
            json_ld.push(b);
        }
        if let Some(faq) = page["faq"].as_array().filter(|f| !f.is_empty()) {
            json_ld.push(safe_json(&json!({
                "@context": "https://schema.org",
                "@type": "FAQPage",
                "mainEntity": faq.iter().map(|item| json!({
                    "@type": "Question",
                    "name": item["q"],
                    "acceptedAnswer": {"@type": "Answer", "text": item["a"]},
                })).collect::<Vec<_>>(),
            })));
        }

        let feed = if kind == "tag" || kind == "term" {
            let path = s("path");
            let base = path
                .split("/page/")
                .next()
                .unwrap_or(&path)
                .trim_end_matches('/')
                .to_string();
            self.term_feeds
                .contains(&format!("{base}/"))
                .then(|| format!("{base}/atom.xml"))
        } else {
            self.site_feeds[loc.index].then(|| self.urls.path(&loc.lang.path("/atom.xml")))
        };

        SeoView {
            title: title_tag,
            description,
            robots: page["noindex"]
                .as_bool()
                .unwrap_or(false)
                .then(|| "noindex, follow".to_string()),
            canonical,
            og,
            twitter,
            alternates,
            json_ld,
            feed,
        }
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
    fn web_page(&self, kind: &str, page: &Value, loc: &Locale, image: Option<&str>) -> String {
        let (loc_title, home, lang) = (&loc.lang.title, &loc.lang.path("/"), &loc.lang.code);
        let mut v = json!({
            "@context": "https://schema.org",
            "@type": kind,
            "name": page["title"],
            "url": page["canonical"],
            "inLanguage": lang,
            "isPartOf": {"@type": "WebSite", "name": loc_title, "url": self.urls.permalink(home)},
        });
        if let Some(d) = page["description"].as_str().filter(|d| !d.is_empty()) {
            v["description"] = d.into();
        }
        if let Some(img) = image {
            v["primaryImageOfPage"] = json!({"@type": "ImageObject", "url": img});
        }
        safe_json(&v)
    }

    fn blog_posting(&self, page: &Value, lang: &str, image: Option<&str>) -> String {
        let mut v = json!({
            "@context": "https://schema.org",
            "@type": "BlogPosting",
            "headline": truncate(page["title"].as_str().unwrap_or_default(), 110),
            "description": page["description"],
            "url": page["canonical"],
            "mainEntityOfPage": {"@type": "WebPage", "@id": page["canonical"]},
            "inLanguage": lang,
            "publisher": self.organization_value(),
        });
        if let Some(date) = page["date"].as_str() {
            v["datePublished"] = date.into();
            v["dateModified"] = page["updated"].as_str().unwrap_or(date).into();
        }
        // The terms of an author taxonomy, each with its page; else the
        // page's (or the site's) `author`.
        let people: Vec<Value> = page["authors"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|a| json!({"@type": "Person", "name": a["name"], "url": a["permalink"]}))
            .collect();
        if !people.is_empty() {
            v["author"] = if people.len() == 1 {
                people[0].clone()
            } else {
                Value::Array(people)
            };
        } else if let Some(author) = page["author"].as_str() {
            v["author"] = json!({"@type": "Person", "name": author});
        }
        if let Some(img) = image {
            v["image"] = json!([img]);
        }
        if let Some(tags) = page["tags"].as_array().filter(|t| !t.is_empty()) {
            v["keywords"] = tags
                .iter()
                .filter_map(|t| t["name"].as_str())
                .collect::<Vec<_>>()
                .join(", ")
                .into();
        }
        safe_json(&v)
    }

    fn product(&self, page: &Value, image: Option<&str>) -> Option<String> {
        let p = &page["product"];
        if p.is_null() {
            return None;
        }
        let mut v = json!({
            "@context": "https://schema.org",
            "@type": "Product",
            "name": page["title"],
            "description": page["description"],
            "url": page["canonical"],
        });
        let mut images: Vec<String> = image.map(str::to_string).into_iter().collect();
        if let Some(more) = p["images"].as_array() {
            images.extend(more.iter().filter_map(|i| i.as_str()).map(|i| {
                self.urls
                    .absolute(i.strip_prefix(self.urls.base_path).unwrap_or(i))
            }));
        }
        images.dedup();
        if !images.is_empty() {
            v["image"] = json!(images);
        }
        if let Some(sku) = p["sku"].as_str() {
            v["sku"] = sku.into();
        }
        if let Some(brand) = p["brand"].as_str() {
            v["brand"] = json!({"@type": "Brand", "name": brand});
        }
        if let (Some(price), Some(currency)) = (p["price"].as_f64(), p["currency"].as_str()) {
            let mut offer = json!({
                "@type": "Offer",
                "price": format!("{price:.2}"),
                "priceCurrency": currency,
                // Where it is bought: the checkout link, else the page.
                "url": p["buy"]["url"].as_str().map_or(page["canonical"].clone(), Into::into),
            });
            if let Some(a) = p["availability"].as_str() {
                offer["availability"] = format!(
                    "https://schema.org/{}",
                    match a {
                        "in_stock" => "InStock",
                        "out_of_stock" => "OutOfStock",
                        _ => "PreOrder",
                    }
                )
                .into();
            }
            // A scheduled offer on the page sets how long the price holds.
            if let Some(ends) = page["offer"]["ends"].as_str() {
                offer["priceValidUntil"] = ends.get(..10).unwrap_or(ends).into();
            }
            v["offers"] = offer;
        }
        if let Some(r) = p["rating"].as_object() {
            v["aggregateRating"] = json!({
                "@type": "AggregateRating",
                "ratingValue": r.get("value"),
                "reviewCount": r.get("count"),
                "bestRating": 5,
            });
        }
        if let Some(reviews) = p["reviews"].as_array().filter(|r| !r.is_empty()) {
            v["review"] = reviews
                .iter()
                .map(|r| {
                    let mut review = json!({
                        "@type": "Review",
                        "author": {"@type": "Person", "name": r["author"]},
                        "reviewRating": {"@type": "Rating", "ratingValue": r["rating"], "bestRating": 5},
                        "reviewBody": r["body"],
                    });
                    if let Some(d) = r["date"].as_str() {
                        review["datePublished"] = d.into();
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
    fn breadcrumbs(&self, page: &Value, loc: &Locale) -> Option<String> {
        let path = page["path"].as_str()?;
        let lang_home = loc.lang.path("/");
        let home = self.urls.path(&lang_home);
        if path == home || !path.ends_with('/') {
            return None;
        }
        let mut items = vec![(
            self.titles
                .get(&home)
                .cloned()
                .unwrap_or_else(|| loc.lang.title.clone()),
            self.urls.permalink(&lang_home),
        )];
        let inner = path
            .strip_prefix(&home)
            .unwrap_or(path)
            .trim_end_matches('/');
        let segments: Vec<&str> = inner.split('/').collect();
        for i in 1..segments.len() {
            let prefix = format!("{home}{}/", segments[..i].join("/"));
            if let Some(t) = self.titles.get(&prefix) {
                let rel = prefix.strip_prefix(self.urls.base_path).unwrap_or(&prefix);
                items.push((t.clone(), self.urls.permalink(rel)));
            }
        }
        items.push((
            page["title"].as_str().unwrap_or_default().to_string(),
            page["canonical"].as_str().unwrap_or_default().to_string(),
        ));
        Some(safe_json(&json!({
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": items.iter().enumerate().map(|(i, (name, url))| json!({
                "@type": "ListItem", "position": i + 1, "name": name, "item": url,
            })).collect::<Vec<_>>(),
        })))
    }
}

fn meta(property: &str, content: &str) -> Meta {
    Meta {
        property: property.to_string(),
        content: content.to_string(),
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        super::views::truncate_on_word(text, max)
    }
}

/// `en` → `en_US`, as Open Graph wants a territory.
fn og_locale(lang: &str) -> String {
    if lang.contains(['_', '-']) {
        return lang.replace('-', "_");
    }
    let territory = match lang {
        "en" => "US",
        "ar" => "AR",
        "he" => "IL",
        "fa" => "IR",
        "ur" => "PK",
        "ja" => "JP",
        "zh" => "CN",
        "ko" => "KR",
        "sv" => "SE",
        "da" => "DK",
        "el" => "GR",
        other => return format!("{other}_{}", other.to_uppercase()),
    };
    format!("{lang}_{territory}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_cannot_close_its_script() {
        let v = json!({"headline": "</script><script>alert(1)</script> & <!-- x"});
        let s = safe_json(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v, "escapes are still the same JSON");
    }

    #[test]
    fn locales() {
        assert_eq!(og_locale("en"), "en_US");
        assert_eq!(og_locale("ar"), "ar_AR");
        assert_eq!(og_locale("fr"), "fr_FR");
        assert_eq!(og_locale("pt-BR"), "pt_BR");
    }
}
