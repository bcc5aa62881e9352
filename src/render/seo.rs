//! What search engines and social networks read in `<head>`: the title,
//! description, canonical and robots, Open Graph and Twitter cards,
//! hreflang alternates, and JSON-LD built as data and serialised so that
//! no `</script>` can appear inside, whatever the content says.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{json, Value};

use super::views::Urls;
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
    /// Pages sharing a translation_key: (lang, path).
    translations: HashMap<&'a str, Vec<(&'a str, &'a str)>>,
    /// The site feed exists (some post qualifies).
    site_feed: bool,
    /// Paths of the tags that have a feed (`/tags/x/`).
    tag_feeds: std::collections::HashSet<String>,
}

impl<'a> Seo<'a> {
    pub fn new(site: &'a Site, urls: Urls<'a>) -> Self {
        let mut titles: HashMap<String, String> = site
            .pages
            .iter()
            .map(|p| (urls.path(&p.path), p.meta.title.clone()))
            .collect();
        if !site.posts.is_empty() {
            titles
                .entry(urls.path("/blog/"))
                .or_insert_with(|| "Blog".into());
        }
        if !site.products.is_empty() {
            titles
                .entry(urls.path("/products/"))
                .or_insert_with(|| "Products".into());
        }
        if !site.tags.is_empty() {
            titles.insert(urls.path("/tags/"), "Tags".into());
        }
        let mut translations: HashMap<&str, Vec<(&str, &str)>> = HashMap::new();
        for p in &site.pages {
            // Only indexable versions are alternates, one per language.
            if p.meta.noindex || p.meta.draft {
                continue;
            }
            if let Some(key) = p.meta.translation_key.as_deref() {
                let lang = p.meta.lang.as_deref().unwrap_or(&site.config.language);
                let versions = translations.entry(key).or_default();
                if !versions.iter().any(|(l, _)| *l == lang) {
                    versions.push((lang, &p.path));
                }
            }
        }
        let site_feed = !super::site_files::feed_entries(site, &site.posts).is_empty();
        let tag_feeds = site
            .tags
            .iter()
            .filter(|t| !super::site_files::feed_entries(site, &t.pages).is_empty())
            .map(|t| urls.path(&t.path()))
            .collect();
        Seo {
            site,
            urls,
            titles,
            translations,
            site_feed,
            tag_feeds,
        }
    }

    /// The SEO of a page, from its `page` value (real or generated).
    pub fn view(&self, page: &Value, page_index: Option<usize>) -> SeoView {
        let cfg = &self.site.config;
        let s = |key: &str| page[key].as_str().unwrap_or_default().to_string();
        let kind = s("kind");
        let title = s("title");
        let canonical = s("canonical");
        let description = s("description");
        let lang = page["lang"].as_str().unwrap_or(&cfg.language).to_string();
        let title_tag = if kind == "home" || title.is_empty() || title == cfg.title {
            if title.is_empty() {
                cfg.title.clone()
            } else {
                title.clone()
            }
        } else {
            cfg.seo
                .title_pattern
                .replace("{title}", &title)
                .replace("{site}", &cfg.title)
        };
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
            });

        let mut og = vec![
            meta("og:title", &title),
            meta("og:site_name", &cfg.title),
            meta("og:url", &canonical),
            meta(
                "og:type",
                match kind.as_str() {
                    "post" => "article",
                    "product" => "product",
                    _ => "website",
                },
            ),
            meta("og:locale", &og_locale(&lang)),
        ];
        if !description.is_empty() {
            og.push(meta("og:description", &description));
        }
        if let Some(img) = &image {
            og.push(meta("og:image", img));
            if let Some((w, h)) = image_size {
                og.push(meta("og:image:width", &w.to_string()));
                og.push(meta("og:image:height", &h.to_string()));
            }
            if let Some(alt) = page["image_alt"].as_str() {
                og.push(meta("og:image:alt", alt));
            }
        }
        if let Some(date) = page["date"].as_str().filter(|_| kind == "post") {
            og.push(meta("article:published_time", date));
        }
        let mut twitter = vec![
            meta(
                "twitter:card",
                if image.is_some() {
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
        if let Some(img) = &image {
            twitter.push(meta("twitter:image", img));
        }
        if let Some(handle) = &cfg.seo.twitter {
            twitter.push(meta("twitter:site", handle));
        }

        let page_model = page_index.map(|i| &self.site.pages[i]);
        let alternates = page_model
            .and_then(|p| p.meta.translation_key.as_deref())
            .and_then(|k| self.translations.get(k))
            .filter(|v| v.len() > 1)
            .map(|v| {
                let mut alts: Vec<Alternate> = v
                    .iter()
                    .map(|(l, p)| Alternate {
                        lang: l.to_string(),
                        href: self.urls.permalink(p),
                    })
                    .collect();
                if let Some((_, p)) = v.iter().find(|(l, _)| *l == cfg.language) {
                    alts.push(Alternate {
                        lang: "x-default".into(),
                        href: self.urls.permalink(p),
                    });
                }
                alts
            })
            .unwrap_or_default();

        let mut json_ld = Vec::new();
        match kind.as_str() {
            "home" => {
                json_ld.push(self.website(&lang));
                json_ld.push(self.organization());
            }
            "post" => json_ld.push(self.blog_posting(page, &lang, image.as_deref())),
            "product" => {
                if let Some(p) = self.product(page, image.as_deref()) {
                    json_ld.push(p);
                }
            }
            _ => {}
        }
        if let Some(b) = self.breadcrumbs(page) {
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

        let feed = if kind == "tag" {
            let path = s("path");
            let base = path
                .split("/page/")
                .next()
                .unwrap_or(&path)
                .trim_end_matches('/')
                .to_string();
            self.tag_feeds
                .contains(&format!("{base}/"))
                .then(|| format!("{base}/atom.xml"))
        } else {
            self.site_feed.then(|| self.urls.path("/atom.xml"))
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

    fn website(&self, lang: &str) -> String {
        let cfg = &self.site.config;
        safe_json(&json!({
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": cfg.title,
            "url": self.home_url(),
            "description": cfg.description,
            "inLanguage": lang,
        }))
    }

    fn organization(&self) -> String {
        let mut v = self.organization_value();
        v["@context"] = "https://schema.org".into();
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
        if let Some(author) = page["author"].as_str() {
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
                "url": page["canonical"],
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
    fn breadcrumbs(&self, page: &Value) -> Option<String> {
        let path = page["path"].as_str()?;
        let home = self.urls.path("/");
        if path == home || !path.ends_with('/') {
            return None;
        }
        let mut items = vec![(
            self.titles
                .get(&home)
                .cloned()
                .unwrap_or_else(|| self.site.config.title.clone()),
            self.urls.permalink("/"),
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

/// JSON that can sit inside `<script>` as is: `<`, `>` and `&` become
/// `\u003c` etc. (so `</script>` and `<!--` cannot occur), and the two
/// line separators JavaScript dislikes are escaped too.
pub fn safe_json(value: &Value) -> String {
    let raw = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    let mut out = String::with_capacity(raw.len() + 16);
    for c in raw.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
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
