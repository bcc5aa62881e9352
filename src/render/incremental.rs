//! Rendering again after a change, for `lander serve`: only the pages whose
//! inputs changed are rendered; the rest of the previous render stays.
//!
//! Every source file has a version, bumped by [`Cache::touch`] when it
//! changes. Each page to produce (a `Job`) gets a fingerprint: a hash of
//! the versions of the files its template context is made from (the page
//! itself, the items of a list, the posts in `recent_posts`, the offers
//! it shows…) and of what every page depends on (config, templates,
//! static files, offer schedules). A job whose fingerprint is unchanged is
//! not rendered again. `render_site` and this share one code path
//! (`super::pipeline::render`); only the choice of jobs differs, and
//! `tests/testsuite/serve.rs` compares an incremental result with a full build.

use rayon::prelude::*;
use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

use super::jobs::{Job, LangId, OfferId, PageId, TaxonomyId, TermId};
use super::paginate::pager_path;
use super::rendered::{RenderOutput, RECENT_POSTS};
use crate::content::load::TemplateSource;
use crate::content::{PageKind, Site};
use crate::error::Diagnostics;
use crate::markdown::Rendered;
use crate::shortcodes::Extracted;
use crate::theme::Theme;

/// What one render keeps for the next.
#[derive(Default)]
pub struct Cache {
    /// Version of each source file (`content/blog/a.md`, `offers/x.yaml`);
    /// absent means 0.
    versions: FastMap<OsString, u64>,
    /// The theme, by a hash of the site's templates and base path.
    theme: Option<(u64, Arc<Theme>)>,
    /// Markdown of each page, by a hash of everything it is made from.
    markdown: FastMap<OsString, (u64, Extracted, Rendered)>,
    /// A hash of each page's summary (what lists show of it), by the page's
    /// key and what summaries read from the site.
    summaries: FastMap<OsString, (u64, u64)>,
    /// Fingerprint of each page produced last time, by output path.
    jobs: FastMap<String, u64>,
    /// Fingerprints of the render in progress (kept only if it succeeds).
    pending: FastMap<String, u64>,
    /// Every output path of the last successful render.
    paths: HashSet<String>,
    /// What the Markdown of every page depends on besides its own file.
    markdown_site: u64,
    /// `key` of each page of the render in progress.
    page_keys: Vec<u64>,
    /// How many pages the last render produced from templates.
    pub rendered: usize,
}

/// The files a render changed.
pub struct Changes {
    /// Files rendered again (and the site files, always regenerated).
    pub files: Vec<super::OutputFile>,
    /// Output paths of the previous render that no longer exist.
    pub removed: Vec<String>,
    pub warnings: Diagnostics,
    pub timings: Vec<(&'static str, std::time::Duration)>,
    /// The social cards of the pages rendered again.
    pub cards: Vec<crate::cards::CardJob>,
}

impl Cache {
    pub fn new() -> Cache {
        Cache::default()
    }

    /// The file at `source` (relative to the site root) changed: whatever
    /// is made from it is rendered again.
    pub fn touch(&mut self, source: &Path) {
        *self
            .versions
            .entry(source.as_os_str().to_owned())
            .or_default() += 1;
    }

    /// Everything is rendered again next time (the site was read anew);
    /// files of the last render that are gone are still reported removed.
    pub fn invalidate(&mut self) {
        self.theme = None;
        self.markdown.clear();
        self.summaries.clear();
        self.jobs.clear();
    }

    /// Every output path of the last successful render.
    pub fn paths(&self) -> &HashSet<String> {
        &self.paths
    }

    /// A file and its version, as one number.
    fn key(&self, source: &Path) -> u64 {
        let source: &OsStr = source.as_os_str();
        let version = self.versions.get(source).copied().unwrap_or(0);
        hash(&(source.as_encoded_bytes(), version))
    }

    /// The theme of the last render when the templates are the same.
    pub(super) fn theme(
        &mut self,
        templates: &[TemplateSource],
        base_path: &str,
        compact: bool,
        pictures: &Arc<crate::images::Pictures>,
    ) -> Result<Arc<Theme>, Diagnostics> {
        let key = hash(&(
            base_path,
            compact,
            pictures.version,
            templates
                .iter()
                .map(|t| (&t.name, &t.text))
                .collect::<Vec<_>>(),
        ));
        if let Some((k, theme)) = &self.theme {
            if *k == key {
                return Ok(theme.clone());
            }
        }
        let theme = Arc::new(Theme::load(
            templates,
            base_path,
            compact,
            pictures.clone(),
        )?);
        self.theme = Some((key, theme.clone()));
        Ok(theme)
    }

    /// The key under which page `i`'s Markdown is cached: its file and
    /// what Markdown rendering reads from the site.
    fn markdown_key(&self, i: usize) -> u64 {
        hash(&(self.page_keys[i], self.markdown_site))
    }

    /// Starts a render of `site`: each page's Markdown as rendered before,
    /// if nothing it depends on changed. Moved out of the cache (10,000
    /// pages are slow to copy) and put back by [`Cache::keep_markdown`];
    /// pages with shortcodes are copied, as their HTML is filled in.
    pub(super) fn take_markdown(&mut self, site: &Site) -> Vec<Option<(Extracted, Rendered)>> {
        self.markdown_site = markdown_site_key(site);
        self.page_keys = site.pages.iter().map(|p| self.key(&p.source)).collect();
        (0..site.pages.len())
            .map(|i| {
                let key = self.markdown_key(i);
                let source = site.pages[i].source.as_os_str();
                match self.markdown.get(source) {
                    Some((k, e, r)) if *k == key && has_calls(e) => Some((e.clone(), r.clone())),
                    Some((k, _, _)) if *k == key => {
                        self.markdown.remove(source).map(|(_, e, r)| (e, r))
                    }
                    _ => None,
                }
            })
            .collect()
    }

    /// Puts back the Markdown of the pages without shortcodes (unchanged
    /// by the render), after a successful render.
    pub(super) fn keep_markdown(
        &mut self,
        site: &Site,
        extracted: Vec<Extracted>,
        markdown: Vec<Rendered>,
    ) {
        for ((i, ex), md) in extracted.into_iter().enumerate().zip(markdown) {
            if !has_calls(&ex) {
                let key = self.markdown_key(i);
                let ex = Extracted {
                    markdown: String::new(),
                    ..ex
                };
                self.markdown
                    .insert(site.pages[i].source.as_os_str().to_owned(), (key, ex, md));
            }
        }
    }

    /// Keeps the Markdown of the pages with shortcodes that were not in the
    /// cache, before their HTML is filled in.
    pub(super) fn store_markdown(
        &mut self,
        site: &Site,
        extracted: &[Extracted],
        markdown: &[Rendered],
    ) {
        for (i, p) in site.pages.iter().enumerate() {
            if !has_calls(&extracted[i]) {
                continue;
            }
            let key = self.markdown_key(i);
            let source = p.source.as_os_str();
            if self.markdown.get(source).is_none_or(|(k, _, _)| *k != key) {
                // The Markdown with placeholders is not read after rendering.
                let ex = Extracted {
                    markdown: String::new(),
                    calls: extracted[i].calls.clone(),
                    errors: extracted[i].errors.clone(),
                };
                self.markdown
                    .insert(source.to_owned(), (key, ex, markdown[i].clone()));
            }
        }
    }

    /// Keeps the jobs whose fingerprint changed since the last render, and
    /// says which pages' summaries they (and the feeds) need. `summary`
    /// gives a page as a list item: a list is rendered again only when one
    /// of its items looks different.
    pub(super) fn select(
        &mut self,
        site: &Site,
        jobs: Vec<Job>,
        extracted: &[Extracted],
        summary: &dyn Fn(usize) -> serde_json::Value,
    ) -> (Vec<Job>, Vec<bool>) {
        let global = global_key(site);
        let items: Vec<u64> = site
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| {
                // A term is shown as first spelt by any page (by file name).
                let key = hash(&(self.page_keys[i], global, term_names(site, i)));
                let source = p.source.as_os_str();
                match self.summaries.get(source) {
                    Some((k, h)) if *k == key => *h,
                    _ => {
                        let h = hash(&serde_json::to_string(&summary(i)).unwrap_or_default());
                        self.summaries.insert(source.to_owned(), (key, h));
                        h
                    }
                }
            })
            .collect();
        let deps = Deps::new(self, site, extracted, global, items);
        // Fingerprints are independent of each other: compute them in parallel.
        let computed: Vec<(String, u64)> = jobs
            .par_iter()
            .map(|&job| (deps.path(job), deps.fingerprint(job)))
            .collect();
        let mut keep = Vec::new();
        self.pending = jobs
            .into_iter()
            .zip(computed)
            .map(|(job, (path, fingerprint))| {
                if self.jobs.get(&path) != Some(&fingerprint) {
                    keep.push(job);
                }
                (path, fingerprint)
            })
            .collect();
        self.rendered = keep.len();
        let needed = deps.needed(&keep);
        (keep, needed)
    }

    /// Turns a successful render into the changes to apply to the previous one.
    pub(super) fn commit(&mut self, out: RenderOutput) -> Changes {
        let mut paths: HashSet<String> = std::mem::take(&mut self.pending)
            .into_iter()
            .map(|(path, fp)| {
                self.jobs.insert(path.clone(), fp);
                path
            })
            .collect();
        // Pages and site files are both in `out.files` when rendered.
        paths.extend(out.files.iter().map(|f| f.path.clone()));
        self.jobs.retain(|p, _| paths.contains(p));
        let removed = self
            .paths
            .iter()
            .filter(|p| !paths.contains(*p))
            .cloned()
            .collect();
        self.paths = paths;
        Changes {
            files: out.files,
            removed,
            warnings: out.warnings,
            timings: out.timings,
            cards: out.cards,
        }
    }

    /// A render failed: its fingerprints are not kept.
    pub(super) fn abort(&mut self) {
        self.pending.clear();
    }
}

/// What every page depends on besides its own files: the config, the
/// templates, the data files, the static files, which offers run and which show popups or bars.
fn global_key(site: &Site) -> u64 {
    let config = serde_json::to_string(&site.config).unwrap_or_default();
    let templates: Vec<_> = site.templates.iter().map(|t| (&t.name, &t.text)).collect();
    let statics: Vec<_> = site.statics.iter().map(|s| (&s.from, &s.to)).collect();
    let running: Vec<bool> = site.offers.iter().map(|o| site.is_running(o)).collect();
    hash(&(
        config,
        templates,
        statics,
        markdown_site_key(site),
        running,
        &site.strings,
        serde_json::to_string(&site.data).unwrap_or_default(),
    ))
}

/// The names of page `i`'s terms, as every page shows them.
fn term_names(site: &Site, i: usize) -> Vec<&str> {
    site.page_terms[i]
        .iter()
        .map(|&t| site.terms[t].name.as_str())
        .collect()
}

/// What the Markdown of every page depends on besides its own file.
fn markdown_site_key(site: &Site) -> u64 {
    let mut images: Vec<_> = site.images.iter().collect();
    images.sort_unstable();
    hash(&(
        images,
        site.pictures.version,
        &site.config.seo.affiliate_domains,
        site.config.base_path(),
        site.config.markdown.highlight,
    ))
}

fn has_calls(ex: &Extracted) -> bool {
    !ex.calls.is_empty() || !ex.errors.is_empty()
}

/// A quick hasher for maps keyed by file paths (FxHash's mix); the
/// fingerprints themselves use std's SipHash.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let mut last = [0u8; 8];
        let rest = chunks.remainder();
        last[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(last) ^ bytes.len() as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

fn hash<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// The inputs of every job, as hashes of file versions.
struct Deps<'a> {
    site: &'a Site,
    /// `(source, version)` hash of each page and offer.
    page: Vec<u64>,
    offer: Vec<u64>,
    /// Hash of each page as a list item (its summary).
    item: Vec<u64>,
    /// Versions of the pages sharing each translation key.
    translations: FastMap<&'a str, Vec<u64>>,
    /// What every page depends on.
    common: u64,
    /// Pages by URL path, for breadcrumbs.
    by_path: FastMap<&'a str, usize>,
    /// Pages that call shortcodes (they may show any offer or product).
    embeds: Vec<bool>,
    /// Hash of every offer and product, for pages with shortcodes.
    all_embeddable: u64,
}

impl<'a> Deps<'a> {
    fn new(
        cache: &Cache,
        site: &'a Site,
        extracted: &[Extracted],
        global: u64,
        item: Vec<u64>,
    ) -> Deps<'a> {
        let page = cache.page_keys.clone();
        // An offer's file, and its lead value, which may come from a
        // product's price (its forms and thank-you page carry it).
        let offer: Vec<u64> = site
            .offers
            .iter()
            .map(|o| {
                let value = o
                    .lead_value
                    .as_ref()
                    .map(|v| (v.value.to_bits(), &v.currency));
                hash(&(cache.key(&o.source), value))
            })
            .collect();
        let popups: Vec<u64> = site
            .offers
            .iter()
            .enumerate()
            .filter(|(_, o)| o.def.popup.is_some() || o.def.bar.is_some())
            .map(|(i, _)| offer[i])
            .collect();
        // Every language's lists: a page links to its versions in the others.
        let recent: Vec<Vec<u64>> = site
            .lists
            .iter()
            .map(|l| {
                l.posts
                    .iter()
                    .take(RECENT_POSTS)
                    .map(|&i| item[i])
                    .collect()
            })
            .collect();
        let feeds = |pages: &[usize]| !super::feeds::feed_entries(site, pages).is_empty();
        let term_feeds: Vec<bool> = site
            .terms
            .iter()
            .map(|t| site.taxonomies[t.taxonomy].feed && feeds(&t.pages))
            .collect();
        let lists: Vec<_> = (0..site.languages.len())
            .map(|l| {
                let lists = &site.lists[l];
                (
                    super::has_blog(site, l),
                    super::has_products(site, l),
                    lists.terms.iter().map(Vec::is_empty).collect::<Vec<_>>(),
                    feeds(&lists.posts),
                )
            })
            .collect();
        let common = hash(&(global, popups, recent, (lists, term_feeds)));
        let embeds: Vec<bool> = extracted
            .iter()
            .map(|e| !e.calls.is_empty() || !e.errors.is_empty())
            .collect();
        let all_embeddable = hash(&(
            &offer,
            site.products.iter().map(|&i| item[i]).collect::<Vec<_>>(),
        ));
        let mut translations: FastMap<&str, Vec<u64>> = FastMap::default();
        for (i, p) in site.pages.iter().enumerate() {
            translations
                .entry(p.translation_group.as_str())
                .or_default()
                .push(page[i]);
        }
        Deps {
            site,
            by_path: site
                .pages
                .iter()
                .enumerate()
                .map(|(i, p)| (p.path.as_str(), i))
                .collect(),
            page,
            offer,
            item,
            translations,
            common,
            embeds,
            all_embeddable,
        }
    }

    /// The site path a job renders, as the output file name.
    fn path(&self, job: Job) -> String {
        let site = self.site;
        let path = match job {
            Job::Page { page } | Job::Section { page } => site.pages[page.0].path.clone(),
            Job::Blog { lang, number } => {
                pager_path(&site.languages[lang.0].path("/blog/"), number)
            }
            Job::Products { lang } => site.languages[lang.0].path("/products/"),
            Job::Taxonomy { taxonomy, lang } => {
                site.taxonomies[taxonomy.0].path_in(&site.languages[lang.0])
            }
            Job::Term { term, number } => pager_path(&site.terms[term.0].path, number),
            Job::Offer { offer, lang } => site.offers[offer.0].path_in(&site.languages[lang.0]),
            Job::Thanks { offer, lang } => {
                site.offers[offer.0].thanks_path_in(&site.languages[lang.0])
            }
            Job::Outcome {
                offer,
                outcome,
                lang,
            } => {
                let offer = &site.offers[offer.0];
                offer.outcome_path_in(&offer.def.outcomes[outcome].id, &site.languages[lang.0])
            }
            Job::NotFound => "/404.html".into(),
        };
        // As `Renderer::render` names its files.
        if path.ends_with(".html") {
            path.trim_start_matches('/').to_string()
        } else {
            format!("{}index.html", path.trim_start_matches('/'))
        }
    }

    /// The items of a list.
    fn items(&self, indices: &[usize]) -> Vec<u64> {
        indices.iter().map(|&i| self.item[i]).collect()
    }

    /// Versions of an offer and of the fallbacks it may stand in for.
    fn offer_chain(&self, id: &str) -> Vec<u64> {
        let mut out = Vec::new();
        let mut next = Some(id);
        while let Some(id) = next {
            let Ok(o) = self.site.offers.binary_search_by(|o| o.id.as_str().cmp(id)) else {
                break;
            };
            if out.contains(&self.offer[o]) {
                break;
            }
            out.push(self.offer[o]);
            next = self.site.offers[o]
                .def
                .schedule
                .as_ref()
                .and_then(|s| s.fallback.as_deref());
        }
        out
    }

    /// The pages whose summaries `jobs` and the feeds show.
    fn needed(&self, jobs: &[Job]) -> Vec<bool> {
        let site = self.site;
        let per = site.config.paginate_by;
        let mut needed = vec![false; site.pages.len()];
        let mut mark = |list: &[usize]| list.iter().for_each(|&i| needed[i] = true);
        let slice = |list: &'a [usize], per: usize, n: usize| -> &'a [usize] {
            let start = ((n - 1) * per).min(list.len());
            &list[start..(start + per).min(list.len())]
        };
        for lists in &site.lists {
            mark(&lists.posts[..lists.posts.len().min(RECENT_POSTS)]);
            mark(&super::feeds::feed_entries(site, &lists.posts));
        }
        for t in site
            .terms
            .iter()
            .filter(|t| site.taxonomies[t.taxonomy].feed)
        {
            mark(&super::feeds::feed_entries(site, &t.pages));
        }
        for &job in jobs {
            match job {
                Job::Page { page: PageId(i) } if site.pages[i].kind == PageKind::Home => {
                    mark(&site.lists[site.lang_index(&site.pages[i].lang)].products)
                }
                Job::Products { lang } => mark(&site.lists[lang.0].products),
                Job::Section { page } => {
                    let p = &site.pages[page.0];
                    mark(&site.pages_in(&p.section, &p.lang))
                }
                Job::Blog {
                    lang: LangId(l),
                    number: n,
                } => mark(slice(&site.lists[l].posts, per, n)),
                Job::Term {
                    term: TermId(t),
                    number: n,
                } => {
                    let term = &site.terms[t];
                    mark(slice(
                        &term.pages,
                        site.taxonomies[term.taxonomy].paginate_by,
                        n,
                    ))
                }
                _ => {}
            }
        }
        needed
    }

    /// Pages whose URL is a prefix of `path` (breadcrumb titles).
    fn ancestors(&self, path: &str) -> Vec<u64> {
        path.match_indices('/')
            .filter_map(|(i, _)| self.by_path.get(&path[..=i]))
            .map(|&i| self.page[i])
            .collect()
    }

    fn fingerprint(&self, job: Job) -> u64 {
        let site = self.site;
        let per = site.config.paginate_by;
        let slice = |list: &[usize], per: usize, n: usize| -> Vec<u64> {
            let start = ((n - 1) * per).min(list.len());
            self.items(&list[start..(start + per).min(list.len())])
        };
        let mut h = DefaultHasher::new();
        self.common.hash(&mut h);
        std::mem::discriminant(&job).hash(&mut h);
        match job {
            Job::Page { page: PageId(i) } | Job::Section { page: PageId(i) } => {
                let p = &site.pages[i];
                self.page[i].hash(&mut h);
                term_names(site, i).hash(&mut h);
                self.ancestors(&p.path).hash(&mut h);
                if let Some(id) = &p.meta.offer {
                    self.offer_chain(id).hash(&mut h);
                }
                if self.embeds[i] {
                    self.all_embeddable.hash(&mut h);
                }
                self.translations
                    .get(p.translation_group.as_str())
                    .hash(&mut h);
                let lists = &site.lists[site.lang_index(&p.lang)];
                match p.kind {
                    PageKind::Home => self.items(&lists.products).hash(&mut h),
                    PageKind::Product => p
                        .meta
                        .related
                        .iter()
                        .map(|slug| site.product_by_slug(slug, &p.lang).map(|j| self.item[j]))
                        .collect::<Vec<_>>()
                        .hash(&mut h),
                    PageKind::Section => {
                        self.items(&site.pages_in(&p.section, &p.lang)).hash(&mut h)
                    }
                    _ => {}
                }
            }
            Job::Blog {
                lang: LangId(l),
                number: n,
            } => {
                let posts = &site.lists[l].posts;
                site.section_page("blog", l)
                    .map(|i| self.page[i])
                    .hash(&mut h);
                (l, n, posts.len()).hash(&mut h);
                slice(posts, per, n).hash(&mut h);
            }
            Job::Products { lang: LangId(l) } => {
                site.section_page("products", l)
                    .map(|i| self.page[i])
                    .hash(&mut h);
                self.items(&site.lists[l].products).hash(&mut h);
            }
            Job::Taxonomy {
                taxonomy: TaxonomyId(x),
                lang: LangId(l),
            } => {
                (x, l).hash(&mut h);
                for &t in &site.lists[l].terms[x] {
                    let t = &site.terms[t];
                    (&t.name, &t.slug, t.pages.len()).hash(&mut h);
                }
            }
            Job::Term {
                term: TermId(t),
                number: n,
            } => {
                let term = &site.terms[t];
                let per = site.taxonomies[term.taxonomy].paginate_by;
                (&term.name, &term.slug, term.pages.len(), n).hash(&mut h);
                slice(&term.pages, per, n).hash(&mut h);
            }
            Job::Offer {
                offer: OfferId(o),
                lang: LangId(l),
            }
            | Job::Thanks {
                offer: OfferId(o),
                lang: LangId(l),
            } => {
                (self.offer[o], l).hash(&mut h);
                // A quiz shows the cards of its outcomes' products.
                if !site.offers[o].def.outcomes.is_empty() {
                    self.all_embeddable.hash(&mut h);
                }
            }
            Job::Outcome {
                offer: OfferId(o),
                outcome: k,
                lang: LangId(l),
            } => {
                (self.offer[o], k, l).hash(&mut h);
                self.all_embeddable.hash(&mut h);
            }
            Job::NotFound => {}
        }
        h.finish()
    }
}
