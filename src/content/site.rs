//! The validated model of a site: every page, product, offer and tag, with
//! every reference checked. Later stages only read it.

use std::collections::HashMap;
use std::path::PathBuf;

use super::files::{Broken, StaticFile, TemplateSource};
use super::front_matter::FrontMatter;
use super::offer::Offer;
use super::page::{by_date_desc, Page, PageKind};
use super::taxonomies::{Taxonomy, Term};
use crate::base::date::Date;
use crate::base::key_lines::KeyLines;
use crate::config::{Config, Language};
use crate::error::{Code, Diagnostic, Diagnostics};
use crate::i18n::{SiteStrings, Strings};

mod offers;
mod references;

use offers::check_offers;
pub use offers::is_plain_http;
use references::check_references;

/// The lists of one language: its posts (newest first), products (by
/// weight) and, per taxonomy, its terms (indices into `Site::terms`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lists {
    pub posts: Vec<usize>,
    pub products: Vec<usize>,
    /// Index-aligned with `Site::taxonomies`.
    pub terms: Vec<Vec<usize>>,
}

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub pages: Vec<Page>,
    /// Indices of posts, newest first.
    pub posts: Vec<usize>,
    /// Indices of products, by weight then title.
    pub products: Vec<usize>,
    /// The taxonomies of site.yaml (tags by default).
    pub taxonomies: Vec<Taxonomy>,
    /// Terms of every taxonomy, by taxonomy, language and slug.
    pub terms: Vec<Term>,
    /// The terms of each page (index-aligned with `pages`).
    pub page_terms: Vec<Vec<usize>>,
    /// Offers by id.
    pub offers: Vec<Offer>,
    pub templates: Vec<TemplateSource>,
    pub statics: Vec<StaticFile>,
    /// The moment the site is built for: decides which offers run.
    pub now: Date,
    /// Problems worth a look that do not stop the build.
    pub warnings: Diagnostics,
    /// Sizes of local images, by URL path.
    pub images: super::images::ImageSizes,
    /// The processed raster images (empty until the images stage ran).
    pub pictures: std::sync::Arc<crate::content::images::Pictures>,
    /// The data files (`data/**`), as `data` in every template.
    pub data: serde_json::Value,
    /// The site's languages, the default first.
    pub languages: Vec<Language>,
    /// The theme's strings in each language (index-aligned with `languages`).
    pub strings: Vec<Strings>,
    /// Posts, products and tags of each language.
    pub lists: Vec<Lists>,
    /// Translations of each page: the pages of its group, one per language
    /// (itself included), by language index.
    pub translations: Vec<Vec<usize>>,
    /// The `_index.md` page of each folder and language: list pages look
    /// theirs up once per page, so a scan would make builds quadratic.
    pub sections: HashMap<(String, String), usize>,
    /// Aliases of pages and `redirects:` of site.yaml, checked.
    pub redirects: Vec<super::redirects::Redirect>,
    /// Pages that go live or expire in the days after `now` (built or not).
    pub upcoming: Vec<super::schedule::Upcoming>,
}

/// The `_index.md` page of each (folder, language), the first should there
/// be two.
pub fn section_index(pages: &[Page]) -> HashMap<(String, String), usize> {
    let mut sections = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        if p.kind == PageKind::Section {
            sections
                .entry((p.section.clone(), p.lang.clone()))
                .or_insert(i);
        }
    }
    sections
}

/// URL prefixes lander generates itself; pages may not take them: assets
/// and the list page of each taxonomy in each language.
// Offer pages (/offers/ID/) are checked one by one as URLs of their own.
pub fn reserved_paths(languages: &[Language], taxonomies: &[Taxonomy]) -> Vec<String> {
    let mut out = vec!["/assets/".to_string()];
    for t in taxonomies {
        out.extend(languages.iter().map(|l| t.path_in(l)));
    }
    out
}

impl Site {
    pub fn offer(&self, id: &str) -> Option<&Offer> {
        self.offers
            .binary_search_by(|o| o.id.as_str().cmp(id))
            .ok()
            // Recorded: `lander serve` renders again what read a changed offer.
            .map(|i| &self.offers[crate::base::reads::offer(i)])
    }

    /// Whether an offer runs at build time (no schedule: always).
    pub fn is_running(&self, offer: &Offer) -> bool {
        offer
            .def
            .schedule
            .as_ref()
            .is_none_or(|s| s.is_active(&self.now))
    }

    /// The offer to show where `id` is referenced: itself while it runs,
    /// else its running fallback (followed in a chain), else none.
    pub fn effective_offer(&self, id: &str) -> Option<&Offer> {
        let mut current = self.offer(id)?;
        for _ in 0..=self.offers.len() {
            if self.is_running(current) {
                return Some(current);
            }
            let next = current.def.schedule.as_ref()?.fallback.as_deref()?;
            current = self.offer(next)?;
        }
        None
    }

    /// Whether the `lander check` rule `id` is turned off for the whole site
    /// (`check.disable` in site.yaml) or for `page` (in its front matter).
    pub fn rule_disabled(&self, id: &str, page: Option<&Page>) -> bool {
        let off = |list: &[String]| list.iter().any(|d| d == id);
        off(&self.config.check.disable) || page.is_some_and(|p| off(&p.meta.check.disable))
    }

    /// The home page of the default language.
    pub fn home(&self) -> usize {
        self.home_of(0)
    }

    /// The home page of language `l` (assemble adds one when it has none).
    pub fn home_of(&self, l: usize) -> usize {
        let code = &self.languages[l].code;
        self.pages
            .iter()
            .position(|p| p.kind == PageKind::Home && p.lang == *code)
            .expect("assemble always adds a home page")
    }

    /// Index of a language code in `languages` (the default for unknown codes).
    pub fn lang_index(&self, code: &str) -> usize {
        self.languages
            .iter()
            .position(|l| l.code == code)
            .unwrap_or(0)
    }

    /// The `_index.md` page of a folder in language `l`, if it has one.
    pub fn section_page(&self, dir: &str, l: usize) -> Option<usize> {
        let key = (dir.to_string(), self.languages[l].code.clone());
        self.sections.get(&key).copied()
    }

    /// Plain pages directly in a folder, in the language `lang`, by weight
    /// then title.
    pub fn pages_in(&self, dir: &str, lang: &str) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.pages.len())
            .filter(|&i| {
                let p = &self.pages[i];
                matches!(p.kind, PageKind::Page | PageKind::Landing)
                    && p.section == dir
                    && p.lang == lang
            })
            .collect();
        v.sort_by(|&a, &b| by_weight(&self.pages[a], &self.pages[b]));
        v
    }

    /// The product with this slug in language `lang`, else in the default
    /// language (a translated page links to the original when needed).
    pub fn product_by_slug(&self, slug: &str, lang: &str) -> Option<usize> {
        let find = |code: &str| {
            self.products
                .iter()
                .copied()
                .find(|&i| self.pages[i].slug == slug && self.pages[i].lang == code)
        };
        find(lang).or_else(|| find(&self.config.language))
    }
}

fn by_weight(a: &Page, b: &Page) -> std::cmp::Ordering {
    (a.meta.weight.unwrap_or(i64::MAX), &a.meta.title, &a.path).cmp(&(
        b.meta.weight.unwrap_or(i64::MAX),
        &b.meta.title,
        &b.path,
    ))
}

/// Puts the loaded pieces together and checks every cross-reference.
// The pieces `Sources` and `lander serve` hold, one argument each.
#[allow(clippy::too_many_arguments)]
pub fn assemble(
    config: Config,
    mut pages: Vec<Page>,
    mut offers: Vec<Offer>,
    templates: Vec<TemplateSource>,
    statics: Vec<StaticFile>,
    site_strings: &[SiteStrings],
    broken: &Broken,
    now: Date,
) -> Result<Site, Diagnostics> {
    let mut errs = Diagnostics::default();
    let languages = config.languages();
    // Home pages made up by an earlier assembly (`lander serve` re-assembles
    // the pages of the last site): made again below if still needed.
    pages.retain(|p| !(p.kind == PageKind::Home && p.key_lines == KeyLines::default()));
    for p in &mut pages {
        super::languages::place(p, &languages, &mut errs);
    }
    for lang in &languages {
        if !pages
            .iter()
            .any(|p| p.kind == PageKind::Home && p.lang == lang.code)
        {
            pages.push(default_home(&config, lang));
        }
    }
    pages.sort_by(|a, b| a.source.cmp(&b.source));
    super::languages::link_translations(&mut pages);
    offers.sort_by(|a, b| a.id.cmp(&b.id));
    for o in &mut offers {
        super::languages::localize_offer(o, &languages, &mut errs);
    }
    let taxonomies = super::taxonomies::resolve(&config);
    let own: Vec<&str> = taxonomies.iter().map(|t| t.name.as_str()).collect();
    let (strings, string_errors, string_warnings) =
        crate::i18n::resolve(&languages, site_strings, &own);
    errs.extend(string_errors);
    errs.extend(string_warnings);

    let reserved = reserved_paths(&languages, &taxonomies);
    // One URL, one page.
    let mut seen: HashMap<String, &PathBuf> = HashMap::new();
    for o in &offers {
        seen.insert(o.path(), &o.source);
    }
    for p in &pages {
        if let Some(first) = seen.get(p.path.as_str()) {
            errs.push(
                Diagnostic::error(format!(
                    "two pages have the URL {}: {} and {}",
                    p.path,
                    first.display(),
                    p.source.display()
                ))
                .in_file(&p.source)
                .at(p.key_lines.line("slug"), 1)
                .with_help("rename one of the files or give it a different `slug:`"),
            );
            continue;
        }
        if p.kind != PageKind::Home {
            if let Some(prefix) = reserved.iter().find(|r| p.path.starts_with(r.as_str())) {
                errs.push(
                    Diagnostic::error(format!(
                        "the URL {} is inside {prefix}, which lander generates itself",
                        p.path
                    ))
                    .in_file(&p.source)
                    .at(p.key_lines.line("slug"), 1)
                    .with_help("give the page another `slug:`, or move the file to another folder"),
                );
            }
            if p.lang == config.language {
                if let Some(other) = languages
                    .iter()
                    .skip(1)
                    .find(|l| p.path.starts_with(&l.path("/")))
                {
                    errs.push(
                        Diagnostic::error(format!(
                            "the URL {} is inside {}/, the prefix of the language `{}`",
                            p.path, other.prefix, other.code
                        ))
                        .in_file(&p.source)
                        .at(p.key_lines.line("slug"), 1)
                        .with_help(format!(
                            "to write the page in that language, name it NAME.{}.md; else move it to another folder",
                            other.code
                        )),
                    );
                }
            }
        }
        seen.insert(p.path.clone(), &p.source);
    }

    let redirects = super::redirects::collect(&config, &languages, &pages, &offers, &statics)
        .unwrap_or_else(|e| {
            errs.extend(e);
            Vec::new()
        });

    let mut products: Vec<usize> = (0..pages.len())
        .filter(|&i| pages[i].kind == PageKind::Product)
        .collect();
    products.sort_by(|&a, &b| by_weight(&pages[a], &pages[b]));
    let product_slugs: Vec<&str> = products.iter().map(|&i| pages[i].slug.as_str()).collect();
    resolve_lead_values(&mut offers, &pages, &products);

    for p in &pages {
        check_references(p, &offers, &product_slugs, broken, &mut errs);
    }
    super::outcome::check_targets(&offers, &pages, &product_slugs, broken, &mut errs);

    let mut posts: Vec<usize> = (0..pages.len())
        .filter(|&i| pages[i].kind == PageKind::Post)
        .collect();
    posts.sort_by(|&a, &b| by_date_desc(&pages[a], &pages[b]));

    let (terms, page_terms) =
        super::taxonomies::collect(&pages, &languages, &taxonomies, &mut errs);
    let lists = languages
        .iter()
        .enumerate()
        .map(|(l, lang)| Lists {
            posts: posts
                .iter()
                .copied()
                .filter(|&i| pages[i].lang == lang.code)
                .collect(),
            products: products
                .iter()
                .copied()
                .filter(|&i| pages[i].lang == lang.code)
                .collect(),
            terms: (0..taxonomies.len())
                .map(|x| {
                    (0..terms.len())
                        .filter(|&t| terms[t].lang == l && terms[t].taxonomy == x)
                        .collect()
                })
                .collect(),
        })
        .collect();
    let translations = super::languages::translations(&pages, &languages);
    check_offers(&offers, &config, broken, &mut errs);
    let mut warnings = Diagnostics(errs.warnings().cloned().collect());
    errs.0
        .retain(|d| d.severity == crate::error::Severity::Error);

    if errs.has_errors() {
        errs.sort();
        return Err(errs);
    }
    let sections = section_index(&pages);
    Ok(Site {
        config,
        sections,
        redirects,
        pages,
        posts,
        products,
        taxonomies,
        terms,
        page_terms,
        offers,
        templates,
        statics,
        now,
        warnings: Diagnostics::default(),
        upcoming: Vec::new(),
        images: super::images::ImageSizes::default(),
        pictures: Default::default(),
        data: serde_json::Value::Null,
        languages,
        strings,
        lists,
        translations,
    })
    .map(|mut site| {
        warn_about_stopped_offers(&site, &mut warnings);
        warnings.sort();
        site.warnings = warnings;
        site
    })
}

/// Fallbacks must exist; endpoints should be https.
/// Each offer's `lead_value`, else the price of the first product (in the
/// products' order) whose primary `offer` it is: what a lead is worth in
/// the conversion events.
fn resolve_lead_values(offers: &mut [Offer], pages: &[Page], products: &[usize]) {
    for o in offers {
        o.lead_value = o.def.lead_value.clone().or_else(|| {
            products.iter().map(|&i| &pages[i].meta).find_map(|m| {
                let price = m
                    .price
                    .filter(|_| m.offer.as_deref() == Some(o.id.as_str()))?;
                Some(super::offer::LeadValue {
                    value: price,
                    currency: m.currency.clone()?,
                })
            })
        });
    }
}

/// A page that points at an offer outside its schedule, with no running
/// fallback, loses its call-to-action: say so.
fn warn_about_stopped_offers(site: &Site, warnings: &mut Diagnostics) {
    for p in &site.pages {
        if let Some(id) = &p.meta.offer {
            if site.offer(id).is_some() && site.effective_offer(id).is_none() {
                warnings.push(
                    Diagnostic::warning(format!(
                        "the offer `{id}` is not running on {} and has no running fallback: its call-to-action is left out",
                        site.now.to_iso()
                    ))
                    .in_file(&p.source)
                    .at(p.key_lines.line("offer"), 1)
                    .with_help("add `fallback: OTHER-OFFER` to its schedule, or point the page at a running offer")
                    .with_code(Code::ExpiredOffer),
                );
            }
        }
    }
}

fn default_home(config: &Config, lang: &Language) -> Page {
    let is_default = lang.code == config.language;
    Page {
        source: PathBuf::from(if is_default {
            "content/_index.md".to_string()
        } else {
            format!("content/_index.{}.md", lang.code)
        }),
        kind: PageKind::Home,
        section: String::new(),
        slug: String::new(),
        path: lang.path("/"),
        meta: FrontMatter {
            title: lang.title.clone(),
            description: Some(lang.description.clone()).filter(|d| !d.is_empty()),
            ..FrontMatter::default()
        },
        key_lines: KeyLines::default(),
        body: "".into(),
        body_line: 1,
        lang: lang.code.clone(),
        lang_suffix: None,
        translation_group: String::new(),
        stem: "_index".into(),
        unprefixed_path: "/".into(),
    }
}
