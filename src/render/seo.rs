//! What search engines and social networks read in `<head>`: the title,
//! description, canonical and robots, Open Graph and Twitter cards,
//! hreflang alternates, and JSON-LD ([`super::json_ld`]).

use serde::Serialize;

use super::cards::CardMeta;
use super::json_ld::JsonLd;
use super::lang::Locale;
use super::urls::Urls;
use super::views::PageView;
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
    /// Builds the JSON-LD blocks (and keeps the titles for breadcrumbs).
    json_ld: JsonLd<'a>,
    /// The feed of each language exists (some post qualifies).
    site_feeds: Vec<bool>,
    /// Paths of the terms that have a feed (`/tags/x/`).
    term_feeds: std::collections::HashSet<String>,
}

impl<'a> Seo<'a> {
    pub fn new(site: &'a Site, urls: Urls<'a>, locales: &[Locale]) -> Self {
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
            json_ld: JsonLd::new(site, urls, locales),
            site_feeds,
            term_feeds,
        }
    }

    /// The SEO of a page, from its `page` (real or generated).
    /// `alternates` are the page in each language it exists in (language
    /// index, site path), for hreflang; `loc` is the page's language.
    /// `card` is the page's social card, when it has one: it is what
    /// Open Graph and Twitter share.
    pub fn view(
        &self,
        page: &PageView,
        alternates: &[(usize, String)],
        loc: &Locale,
        card: Option<&CardMeta>,
    ) -> SeoView {
        let cfg = &self.site.config;
        let site_title = &loc.lang.title;
        let kind = page.kind;
        let title = page.title.clone();
        let canonical = page.canonical.clone();
        let description = page.description.clone();
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
        let image = page
            .image_permalink
            .clone()
            .or_else(|| cfg.seo.image.as_deref().map(|i| self.urls.absolute(i)));
        let image_size = page
            .image
            .as_deref()
            .or(cfg.seo.image.as_deref())
            .and_then(|i| {
                self.site
                    .images
                    .get(i.strip_prefix(self.urls.base_path).unwrap_or(i))
                    .copied()
            });
        let image_alt = page.image_alt;
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
                match kind {
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
        if let Some(date) = page.date.as_deref().filter(|_| kind == "post") {
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
        let noindex = page.noindex;
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

        let json_ld = self.json_ld.blocks(page, loc, page.lang, image.as_deref());

        let feed = if kind == "tag" || kind == "term" {
            let path = page.path.as_str();
            let base = path
                .split("/page/")
                .next()
                .unwrap_or(path)
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
            robots: noindex.then(|| "noindex, follow".to_string()),
            canonical,
            og,
            twitter,
            alternates,
            json_ld,
            feed,
        }
    }
}

fn meta(property: &str, content: &str) -> Meta {
    Meta {
        property: property.to_string(),
        content: content.to_string(),
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
    fn locales() {
        assert_eq!(og_locale("en"), "en_US");
        assert_eq!(og_locale("ar"), "ar_AR");
        assert_eq!(og_locale("fr"), "fr_FR");
        assert_eq!(og_locale("pt-BR"), "pt_BR");
    }
}
