//! The validated model of a site: every page, product, offer and tag, with
//! every reference checked. Later stages only read it.

use std::collections::HashMap;
use std::path::PathBuf;

use super::files::{Broken, StaticFile, TemplateSource};
use super::form::Provider;
use super::front_matter::FrontMatter;
use super::offer::Offer;
use super::page::{by_date_desc, Page, PageKind};
use super::taxonomies::{Taxonomy, Term};
use crate::base::date::Date;
use crate::base::key_lines::{KeyLines, PRODUCT_KEYS};
use crate::config::{Config, Language};
use crate::error::{Code, Diagnostic, Diagnostics};
use crate::i18n::{SiteStrings, Strings};

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
            .map(|i| &self.offers[i])
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

fn check_offers(offers: &[Offer], config: &Config, broken: &Broken, errs: &mut Diagnostics) {
    // The site-wide endpoint, or the one --form-endpoint puts in its place.
    match (&config.forms.endpoint_override, &config.forms.endpoint) {
        (Some(flag), _) if is_plain_http(&flag.0) => {
            errs.push(insecure_endpoint(&format!("--form-endpoint `{}`", flag.0)));
        }
        (None, Some(site)) if is_plain_http(&site.0) => errs.push(
            insecure_endpoint(&format!("the form endpoint `{}` (forms.endpoint)", site.0))
                .in_file(crate::config::CONFIG_FILE),
        ),
        _ => {}
    }
    let known = |id: &str| offers.binary_search_by(|o| o.id.as_str().cmp(id)).is_ok();
    for o in offers {
        if let Some(fallback) = o.def.schedule.as_ref().and_then(|s| s.fallback.as_deref()) {
            if (!known(fallback) && !broken.offers.iter().any(|b| b == fallback))
                || fallback == o.id
            {
                errs.push(
                    Diagnostic::error(format!("unknown fallback offer `{fallback}`"))
                        .in_file(&o.source)
                        .at(o.key_lines.line("schedule"), 1)
                        .with_help("name another offer of offers/, or remove `fallback`"),
                );
            }
        }
        if let Some(endpoint) = &o.def.form.endpoint {
            if is_plain_http(&endpoint.0) {
                errs.push(
                    insecure_endpoint(&format!("the form endpoint `{}`", endpoint.0))
                        .in_file(&o.source)
                        .at(o.key_lines.line("form"), 1),
                );
            }
        }
        let provider = o.def.form.provider.unwrap_or(config.forms.provider);
        let vendor_ready = check_vendor_ids(o, provider, config, errs);
        let has_endpoint = config.forms.endpoint_override.is_some()
            || o.def.form.endpoint.is_some()
            || config.forms.endpoint.is_some()
            || vendor_ready;
        if !has_endpoint && provider != Provider::Netlify {
            errs.push(
                Diagnostic::warning(format!("the form of offer `{}` has no endpoint: submissions would go nowhere", o.id))
                    .in_file(&o.source)
                    .at(o.key_lines.line("form"), 1)
                    .with_help("set forms.endpoint in site.yaml, form.endpoint in the offer, or build with --form-endpoint URL")
                    .with_code(Code::FormWithoutEndpoint),
            );
        }
        if let Some(endpoint) = o
            .def
            .form
            .endpoint
            .as_ref()
            .or(config.forms.endpoint.as_ref())
        {
            if provider == Provider::Brevo && !is_brevo_action(&endpoint.0) {
                errs.push(
                    Diagnostic::error(format!("`{}` is not a Brevo form action", endpoint.0))
                        .in_file(&o.source)
                        .at(o.key_lines.line("form"), 1)
                        .with_help("copy the action URL of your Brevo form (Contacts → Forms → the form → Share → HTML code): https://….sibforms.com/serve/…"),
                );
            }
            if provider == Provider::Mailchimp
                && !endpoint.0.contains("list-manage.com/subscribe/post")
            {
                errs.push(
                    Diagnostic::error(format!("`{}` is not a Mailchimp form action", endpoint.0))
                        .in_file(&o.source)
                        .at(o.key_lines.line("form"), 1)
                        .with_help("copy the action URL of your Mailchimp embedded form: https://…list-manage.com/subscribe/post?u=…&id=…"),
                );
            }
        }
    }
}

/// `https://<id>.sibforms.com/serve/…`, the action of a Brevo form.
fn is_brevo_action(endpoint: &str) -> bool {
    url::Url::parse(endpoint).is_ok_and(|u| {
        u.scheme() == "https"
            && u.host_str()
                .is_some_and(|h| h == "sibforms.com" || h.ends_with(".sibforms.com"))
            && u.path().starts_with("/serve/")
    })
}

/// The ids a vendor's address is made of, from the offer's `form:` over
/// site.yaml's `forms:`: each missing one is an error at the offer's
/// `form` (an endpoint of the offer or the site, a proxy, stands in for
/// HubSpot's and Kit's, not for Klaviyo's list). Returns whether lander
/// can make the vendor's address.
fn check_vendor_ids(
    o: &Offer,
    provider: Provider,
    config: &Config,
    errs: &mut Diagnostics,
) -> bool {
    let ids = o.def.form.vendor_ids().over(&config.forms.vendor_ids());
    let proxied = o.def.form.endpoint.is_some() || config.forms.endpoint.is_some();
    let (key, missing, help): (&str, Vec<&str>, &str) = match provider {
        Provider::Hubspot => {
            let h = ids.hubspot.unwrap_or_default();
            let mut m = Vec::new();
            if h.portal_id.is_none() {
                m.push("portal_id");
            }
            if h.form_guid.is_none() {
                m.push("form_guid");
            }
            (
                "hubspot",
                m,
                "both are in the form's address in HubSpot: app.hubspot.com/forms/PORTAL_ID/FORM_GUID/edit",
            )
        }
        Provider::Kit => {
            let k = ids.kit.unwrap_or_default();
            (
                "kit",
                if k.form_id.is_none() { vec!["form_id"] } else { Vec::new() },
                "it is in the form's embed code (HTML): action=\"https://app.kit.com/forms/FORM_ID/subscriptions\"",
            )
        }
        Provider::Klaviyo => {
            let k = ids.klaviyo.unwrap_or_default();
            let mut m = Vec::new();
            if k.public_key.is_none() {
                m.push("public_key");
            }
            if k.list_id.is_none() {
                m.push("list_id");
            }
            return if m.is_empty() {
                true
            } else {
                errs.push(missing_ids(o, provider, "klaviyo", &m, "the public key (site id) is under Settings → API keys, the list id under Lists & segments → the list → Settings"));
                false
            };
        }
        _ => return false,
    };
    if missing.is_empty() {
        return true;
    }
    if !proxied {
        errs.push(missing_ids(o, provider, key, &missing, help));
    }
    false
}

fn missing_ids(
    o: &Offer,
    provider: Provider,
    key: &str,
    missing: &[&str],
    help: &str,
) -> Diagnostic {
    let list = missing
        .iter()
        .map(|m| format!("`{m}`"))
        .collect::<Vec<_>>()
        .join(" and ");
    let example = missing
        .iter()
        .map(|m| format!("{m}: …"))
        .collect::<Vec<_>>()
        .join(", ");
    Diagnostic::error(format!(
        "the {} form of offer `{}` has no {list}",
        provider.name(),
        o.id
    ))
    .in_file(&o.source)
    .at(o.key_lines.line("form"), 1)
    .with_help(format!(
        "add `{key}: {{ {example} }}` to the offer's `form:` or to `forms:` in site.yaml; {help}"
    ))
}

/// An `http://` endpoint on another machine: submissions travel in clear.
pub fn is_plain_http(endpoint: &str) -> bool {
    match url::Url::parse(endpoint) {
        Ok(u) => {
            u.scheme() == "http"
                && !matches!(u.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"))
        }
        Err(_) => false,
    }
}

/// `what` names the endpoint: "the form endpoint `http://…`".
fn insecure_endpoint(what: &str) -> Diagnostic {
    Diagnostic::warning(format!(
        "{what} is not https: visitors' emails would travel unencrypted"
    ))
    .with_help("use the https:// address of your form backend")
    .with_code(Code::InsecureEndpoint)
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

fn check_references(
    p: &Page,
    offers: &[Offer],
    products: &[&str],
    broken: &Broken,
    errs: &mut Diagnostics,
) {
    let at = |key: &str| p.key_lines.line(key);
    if let Some(id) = &p.meta.offer {
        if offers.binary_search_by(|o| o.id.as_str().cmp(id)).is_err()
            && !broken.offers.contains(id)
        {
            let ids: Vec<String> = offers.iter().map(|o| o.id.clone()).collect();
            let help = match crate::base::text::closest(id, &ids) {
                Some(best) => format!("did you mean `{best}`?"),
                None if ids.is_empty() => {
                    "create offers/ID.yaml (see `lander new offer ID`)".into()
                }
                None => format!("known offers: {}", ids.join(", ")),
            };
            errs.push(
                Diagnostic::error(format!(
                    "unknown offer `{id}`: there is no offers/{id}.yaml"
                ))
                .in_file(&p.source)
                .at(at("offer"), 1)
                .with_help(help),
            );
        }
    }
    if p.kind == PageKind::Product {
        for slug in &p.meta.related {
            if !products.contains(&slug.as_str()) && !broken.products.contains(slug) {
                errs.push(
                    Diagnostic::error(format!("unknown related product `{slug}`"))
                        .in_file(&p.source)
                        .at(at("related"), 1)
                        .with_help(format!("known products: {}", products.join(", "))),
                );
            }
        }
    } else {
        for key in PRODUCT_KEYS {
            if p.key_lines.has(key) {
                errs.push(
                    Diagnostic::error(format!("`{key}` is only for products"))
                        .in_file(&p.source)
                        .at(at(key), 1)
                        .with_help("move the file into content/products/, or remove the key"),
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
        body: String::new(),
        body_line: 1,
        lang: lang.code.clone(),
        lang_suffix: None,
        translation_group: String::new(),
        stem: "_index".into(),
        unprefixed_path: "/".into(),
    }
}
