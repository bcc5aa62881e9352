//! What templates see. Views are built from the model once and serialised;
//! the model can change without breaking themes as long as these hold.

use serde::Serialize;

use super::offers::OfferView;
use super::urls::Urls;
use crate::config::{Config, Language, MenuItem};
use crate::content::front_matter::{Availability, Faq, Rating, Review, Stage};
use crate::content::{Page, PageKind, Site};
use crate::markdown::{Rendered, TocEntry};

/// `site` in templates, in the language of the page.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    /// The page's language code (same as `lang.code`).
    pub language: &'a str,
    /// The site's default language.
    pub default_language: &'a str,
    pub author: Option<&'a str>,
    /// Path of the home page (`/`, or `/shop/` under a base path).
    pub home: String,
    /// The site's own `static/favicon.*`, if it has one (else the theme's).
    pub favicon: Option<String>,
    pub menu: Vec<MenuItem>,
    /// Push events to `window.dataLayer` (site.yaml analytics.data_layer).
    pub analytics: bool,
    /// The consent banner (site.yaml `consent:`), if the site has one.
    pub consent: Option<ConsentView>,
    /// What `consent.js` loads and may store, as JSON for its
    /// `data-lander-tags`; set when the site has a banner or a tag.
    pub tags: Option<String>,
    pub extra: &'a serde_yaml::Mapping,
}

/// `site.consent`: what the banner offers.
#[derive(Serialize)]
pub struct ConsentView {
    /// "analytics", "marketing": the categories besides `necessary`.
    pub categories: Vec<&'static str>,
    /// The privacy policy link, if any.
    pub policy: Option<String>,
}

/// The settings `consent.js` reads (keys kept short: it is parsed on every page).
fn tags_json(config: &Config) -> Option<String> {
    let a = &config.analytics;
    let consent = config.consent.as_ref();
    if consent.is_none() && !a.has_tags() {
        return None;
    }
    let mut o = serde_json::Map::new();
    let mut put = |k: &str, v: serde_json::Value| {
        o.insert(k.into(), v);
    };
    if let Some(id) = &a.ga4 {
        put("ga4", id.as_str().into());
    }
    if let Some(id) = &a.gtm {
        put("gtm", id.as_str().into());
    }
    if let Some(p) = &a.plausible {
        put(
            "plausible",
            serde_json::json!({ "domain": p.domain, "src": p.src, "gate": p.consent }),
        );
    }
    if let Some(id) = &a.meta_pixel {
        put("pixel", id.as_str().into());
    }
    if let Some(c) = consent {
        let cats = c.categories(a);
        put(
            "cats",
            cats.iter().map(|c| c.as_str()).collect::<Vec<_>>().into(),
        );
        put("v", c.version.into());
        let keep: Vec<&str> = c
            .necessary
            .iter()
            .flat_map(|s| s.prefixes())
            .copied()
            .collect();
        put("keep", keep.into());
    }
    serde_json::to_string(&o).ok()
}

impl<'a> SiteView<'a> {
    pub fn new(config: &'a Config, lang: &'a Language, urls: Urls) -> Self {
        SiteView {
            title: &lang.title,
            description: &lang.description,
            base_url: &config.base_url,
            language: &lang.code,
            default_language: &config.language,
            author: config.author.as_deref(),
            home: urls.path(&lang.path("/")),
            favicon: None,
            menu: lang
                .menu
                .iter()
                .map(|m| MenuItem {
                    name: m.name.clone(),
                    url: urls.link(&m.url),
                })
                .collect(),
            analytics: config.analytics.data_layer,
            consent: config.consent.as_ref().map(|c| ConsentView {
                categories: c
                    .categories(&config.analytics)
                    .iter()
                    .map(|c| c.as_str())
                    .collect(),
                policy: c.policy.as_deref().map(|p| urls.link(p)),
            }),
            tags: tags_json(config),
            extra: &config.extra,
        }
    }
}

/// A term of a page (a tag, a category, an author), linking to its page.
#[derive(Serialize, Clone)]
pub struct TermRef<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub path: String,
    pub permalink: String,
    /// The taxonomy's name: `tags`, `categories`.
    pub taxonomy: &'a str,
    /// Its title in the page's language: "Categories".
    pub taxonomy_title: String,
    /// A term of an author taxonomy.
    pub author: bool,
}

/// A page's terms by taxonomy name, as `page.taxonomies.categories`.
pub type TermsByTaxonomy<'a> = std::collections::BTreeMap<&'a str, Vec<TermRef<'a>>>;

/// Product facts, in lists and on the product page.
#[derive(Serialize, Clone)]
pub struct ProductView<'a> {
    pub price: Option<f64>,
    /// The price with its currency, e.g. "€14.50".
    pub price_display: Option<String>,
    pub currency: Option<&'a str>,
    pub sku: Option<&'a str>,
    pub brand: Option<&'a str>,
    pub availability: Option<Availability>,
    pub images: Vec<String>,
    pub rating: Option<&'a Rating>,
    /// "Rated 4.8 out of 5 by 126 customers", in the page's language.
    pub rating_text: Option<String>,
    pub reviews: Vec<ReviewView<'a>>,
    /// Summaries of related products (only on the product's own page).
    pub related: Vec<serde_json::Value>,
    /// The buy button: the checkout link, its text, and what a click
    /// pushes to `dataLayer` (`data-lander-buy`).
    pub buy: Option<BuyView>,
}

#[derive(Serialize, Clone)]
pub struct BuyView {
    pub url: String,
    pub text: String,
    /// GA4's `begin_checkout` parameters as JSON: `{"ecommerce": {currency,
    /// value, items: [{item_id, item_name, price, quantity}]}}`.
    pub event: String,
}

/// A review, with its rating and date for people (`rating` and `date`
/// stay plain for JSON-LD and `<time datetime>`).
#[derive(Serialize, Clone)]
pub struct ReviewView<'a> {
    #[serde(flatten)]
    pub review: &'a Review,
    /// "4/5", "٤/٥".
    pub rating_display: String,
    /// "8 March 2026", "٨ مارس ٢٠٢٦".
    pub date_display: Option<String>,
}

/// A page as an item of a list.
#[derive(Serialize)]
pub struct Summary<'a> {
    pub kind: PageKind,
    pub title: &'a str,
    pub description: String,
    pub slug: &'a str,
    pub path: String,
    pub permalink: String,
    /// ISO 8601, for `<time datetime>`.
    pub date: Option<String>,
    /// The date in the page's language: "8 March 2026", "٨ مارس ٢٠٢٦".
    pub date_display: Option<String>,
    pub tags: Vec<TermRef<'a>>,
    pub taxonomies: TermsByTaxonomy<'a>,
    pub image: Option<String>,
    pub image_alt: Option<&'a str>,
    pub image_width: Option<u32>,
    pub image_height: Option<u32>,
    pub summary: &'a str,
    pub reading_time: usize,
    /// "5 min read", "قراءة في ٥ دقائق".
    pub reading_time_text: String,
    pub product: Option<ProductView<'a>>,
}

/// A page in full, as `page` in its own template.
#[derive(Serialize)]
pub struct PageView<'a> {
    pub kind: &'a str,
    pub title: String,
    pub description: String,
    pub slug: &'a str,
    pub path: String,
    pub permalink: String,
    /// ISO 8601, for `<time datetime>` and JSON-LD.
    pub date: Option<String>,
    pub updated: Option<String>,
    /// `date` and `updated` in the page's language: "8 March 2026".
    pub date_display: Option<String>,
    pub updated_display: Option<String>,
    pub draft: bool,
    pub tags: Vec<TermRef<'a>>,
    /// Every term of the page, by taxonomy: `page.taxonomies.categories`.
    pub taxonomies: TermsByTaxonomy<'a>,
    /// The terms of the author taxonomies (`authors`), for bylines.
    pub authors: Vec<TermRef<'a>>,
    pub image: Option<String>,
    /// `image` as an absolute URL (for Open Graph).
    pub image_permalink: Option<String>,
    pub image_alt: Option<&'a str>,
    /// Size of `image` when it is a local file.
    pub image_width: Option<u32>,
    pub image_height: Option<u32>,
    /// The disclosure line, when the page has affiliate links.
    pub affiliate_disclosure: Option<&'a str>,
    pub author: Option<&'a str>,
    pub lang: &'a str,
    pub stage: Option<Stage>,
    /// The page's offer (or its running fallback), as in offer templates.
    pub offer: Option<OfferView<'a>>,
    /// `popup`: the offer banner opens the offer's dialog. The outer `None`
    /// leaves the key out, as generated pages (which have no offer) always
    /// have; a real page has `Some`, shown as `null` when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offer_open: Option<Option<crate::content::front_matter::OfferOpen>>,
    pub faq: &'a [Faq],
    pub canonical: String,
    pub noindex: bool,
    pub content: &'a str,
    pub summary: &'a str,
    pub toc: &'a [TocEntry],
    pub word_count: usize,
    pub reading_time: usize,
    /// "5 min read", "قراءة في ٥ دقائق".
    pub reading_time_text: String,
    pub extra: &'a serde_yaml::Mapping,
    /// The page's file, relative to the site (`null` on generated pages).
    pub source: Option<String>,
    pub product: Option<ProductView<'a>>,
}

/// Each page's summary, made the first time it is asked for (from any
/// thread), then shared.
pub struct Summaries<'v, 'a> {
    views: &'v Views<'a>,
    cells: Vec<std::sync::OnceLock<Summary<'a>>>,
}

impl<'v, 'a> Summaries<'v, 'a> {
    pub fn new(views: &'v Views<'a>) -> Self {
        let cells = (0..views.markdown.len())
            .map(|_| std::sync::OnceLock::new())
            .collect();
        Summaries { views, cells }
    }

    /// The summary of page `i` (an index into `Site::pages`).
    pub fn get(&self, i: usize) -> &Summary<'a> {
        self.cells[i].get_or_init(|| self.views.summary(i))
    }
}

/// Builds views; holds what every view needs.
pub struct Views<'a> {
    pub site: &'a Site,
    pub urls: Urls<'a>,
    pub markdown: &'a [std::sync::Arc<Rendered>],
    /// One per language of the site (index-aligned with `Site::languages`).
    pub locales: &'a [super::lang::Locale<'a>],
}

impl<'a> Views<'a> {
    /// Page `i` of the site, recorded as read by the job being rendered
    /// (see [`crate::base::reads`]): views read pages only through this.
    pub fn page_data(&self, i: usize) -> &'a Page {
        &self.site.pages[crate::base::reads::page(i)]
    }

    /// The locale of a page's language.
    pub fn locale_of(&self, page: &Page) -> &super::lang::Locale<'a> {
        &self.locales[self.site.lang_index(&page.lang)]
    }

    /// The terms of page `i`, by taxonomy, then as written.
    pub fn terms_of(&self, i: usize) -> Vec<TermRef<'a>> {
        let site = self.site;
        let loc = self.locale_of(self.page_data(i));
        site.page_terms[i]
            .iter()
            .map(|&t| {
                let term = &site.terms[t];
                let taxonomy = &site.taxonomies[term.taxonomy];
                TermRef {
                    name: &term.name,
                    slug: &term.slug,
                    path: self.urls.path(&term.path),
                    permalink: self.urls.permalink(&term.path),
                    taxonomy: &taxonomy.name,
                    taxonomy_title: super::taxonomy_titles::title(loc, taxonomy),
                    author: taxonomy.author,
                }
            })
            .collect()
    }

    /// The terms of page `i` grouped by taxonomy, and its tags.
    fn terms_by_taxonomy(&self, i: usize) -> (TermsByTaxonomy<'a>, Vec<TermRef<'a>>) {
        let mut by: TermsByTaxonomy = Default::default();
        for t in self.terms_of(i) {
            by.entry(t.taxonomy).or_default().push(t);
        }
        let tags = by.get("tags").cloned().unwrap_or_default();
        (by, tags)
    }

    /// The terms of page `i` in its author taxonomies.
    pub fn authors_of(&self, i: usize) -> Vec<TermRef<'a>> {
        self.terms_of(i).into_iter().filter(|t| t.author).collect()
    }

    /// Size of a local image given by its site path.
    pub fn image_size(&self, image: Option<&str>) -> Option<(u32, u32)> {
        self.site.images.get(image?).copied()
    }

    /// Front matter description, else the summary's text, else the site's.
    pub fn description(&self, i: usize) -> String {
        let page = self.page_data(i);
        if let Some(d) = &page.meta.description {
            return d.clone();
        }
        let text = &self.markdown[i].summary_text;
        if !text.is_empty() {
            return truncate_on_word(text, 160);
        }
        self.locale_of(page).lang.description.clone()
    }

    fn product(&self, page: &'a Page, with_related: bool) -> Option<ProductView<'a>> {
        if page.kind != PageKind::Product {
            return None;
        }
        let m = &page.meta;
        let related = if with_related {
            m.related
                .iter()
                .filter_map(|slug| self.site.product_by_slug(slug, &page.lang))
                .map(|j| self.summary_value(j))
                .collect()
        } else {
            Vec::new()
        };
        Some(ProductView {
            price: m.price,
            price_display: m.price.map(|p| {
                self.locale_of(page)
                    .numbers
                    .amount(p, m.currency.as_deref())
            }),
            currency: m.currency.as_deref(),
            sku: m.sku.as_deref(),
            brand: m.brand.as_deref(),
            availability: m.availability,
            images: m.images.iter().map(|i| self.urls.link(i)).collect(),
            rating: m.rating.as_ref(),
            rating_text: m.rating.as_ref().map(|r| {
                let loc = self.locale_of(page);
                loc.tf(
                    "rating",
                    &[
                        (
                            "value",
                            &loc.numbers
                                .number(r.value, usize::from(r.value.fract() != 0.0)),
                        ),
                        ("count", &loc.numbers.integer(r.count)),
                        ("max", &loc.numbers.integer(5)),
                    ],
                )
            }),
            reviews: {
                let loc = self.locale_of(page);
                m.reviews
                    .iter()
                    .map(|r| ReviewView {
                        review: r,
                        rating_display: loc.rating_out_of_5(r.rating),
                        date_display: r.date.as_ref().map(|d| loc.date_of(d)),
                    })
                    .collect()
            },
            related,
            buy: m.buy.as_ref().map(|b| {
                let loc = self.locale_of(page);
                let mut item = serde_json::json!({
                    "item_id": m.sku.as_deref().unwrap_or(&page.slug),
                    "item_name": m.title,
                    "quantity": 1,
                });
                let mut ecommerce = serde_json::json!({});
                if let (Some(price), Some(currency)) = (m.price, m.currency.as_deref()) {
                    item["price"] = price.into();
                    ecommerce["currency"] = currency.into();
                    ecommerce["value"] = price.into();
                }
                ecommerce["items"] = serde_json::json!([item]);
                BuyView {
                    url: b.url.0.clone(),
                    text: b.text.clone().unwrap_or_else(|| loc.t("buy").to_string()),
                    event: serde_json::json!({ "ecommerce": ecommerce }).to_string(),
                }
            }),
        })
    }

    pub fn summary(&self, i: usize) -> Summary<'a> {
        let page = self.page_data(i);
        let loc = self.locale_of(page);
        let (taxonomies, tags) = self.terms_by_taxonomy(i);
        Summary {
            kind: page.kind,
            title: &page.meta.title,
            description: self.description(i),
            slug: &page.slug,
            path: self.urls.path(&page.path),
            permalink: self.urls.permalink(&page.path),
            date: page.meta.date.map(|d| d.to_iso()),
            date_display: page.meta.date.as_ref().map(|d| loc.date_of(d)),
            tags,
            taxonomies,
            image: page.meta.image.as_deref().map(|s| self.urls.link(s)),
            image_alt: page.meta.image_alt.as_deref(),
            image_width: self.image_size(page.meta.image.as_deref()).map(|s| s.0),
            image_height: self.image_size(page.meta.image.as_deref()).map(|s| s.1),
            summary: &self.markdown[i].summary,
            reading_time: self.markdown[i].reading_time,
            reading_time_text: loc.reading_time(self.markdown[i].reading_time),
            product: self.product(page, false),
        }
    }

    pub fn summary_value(&self, i: usize) -> serde_json::Value {
        serde_json::to_value(self.summary(i)).unwrap_or_default()
    }

    pub fn page(&self, i: usize) -> PageView<'a> {
        let page = self.page_data(i);
        let md = &self.markdown[i];
        let m = &page.meta;
        let kind = match page.kind {
            PageKind::Home => "home",
            PageKind::Section => "section",
            PageKind::Post => "post",
            PageKind::Product => "product",
            PageKind::Page => "page",
            PageKind::Landing => "landing",
        };
        let permalink = self.urls.permalink(&page.path);
        let loc = self.locale_of(page);
        let (taxonomies, tags) = self.terms_by_taxonomy(i);
        // A product without `image` shows (and shares) its first photo.
        let image = m.image.as_deref().or(m.images.first().map(String::as_str));
        PageView {
            kind,
            title: m.title.clone(),
            description: self.description(i),
            slug: &page.slug,
            path: self.urls.path(&page.path),
            canonical: m
                .canonical
                .as_ref()
                .map_or_else(|| permalink.clone(), |c| c.0.clone()),
            permalink,
            date: m.date.map(|d| d.to_iso()),
            updated: m.updated.map(|d| d.to_iso()),
            date_display: m.date.as_ref().map(|d| loc.date_of(d)),
            updated_display: m.updated.as_ref().map(|d| loc.date_of(d)),
            draft: m.draft,
            tags,
            taxonomies,
            authors: self.authors_of(i),
            image: image.map(|s| self.urls.link(s)),
            image_permalink: image.map(|s| self.urls.absolute(s)),
            image_alt: m.image_alt.as_deref(),
            image_width: self.image_size(image).map(|s| s.0),
            image_height: self.image_size(image).map(|s| s.1),
            affiliate_disclosure: md
                .has_affiliate_links
                .then_some(self.site.config.seo.affiliate_disclosure.as_str()),
            author: m.author.as_deref().or(self.site.config.author.as_deref()),
            lang: &page.lang,
            stage: m.stage,
            offer: m
                .offer
                .as_deref()
                .and_then(|id| self.site.effective_offer(id))
                .map(|o| OfferView::new(o, loc, self.urls)),
            offer_open: Some(m.offer_open),
            faq: &m.faq,
            noindex: m.noindex || m.draft,
            content: &md.html,
            summary: &md.summary,
            toc: &md.toc,
            word_count: md.word_count,
            reading_time: md.reading_time,
            reading_time_text: loc.reading_time(md.reading_time),
            extra: &m.extra,
            source: Some(page.source.to_string_lossy().replace('\\', "/")),
            product: self.product(page, true),
        }
    }
}

/// Cuts `text` to at most `max` characters on a word boundary, adding "…".
pub fn truncate_on_word(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max - 1).collect();
    let next_is_space = text.chars().nth(max - 1).is_some_and(char::is_whitespace);
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i) if !next_is_space && i > max / 2 => &cut[..i],
        _ => &cut[..],
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_on_words() {
        let t = truncate_on_word("the quick brown fox jumps over", 16);
        assert_eq!(t, "the quick brown…");
        assert_eq!(truncate_on_word("short", 160), "short");
    }
}
