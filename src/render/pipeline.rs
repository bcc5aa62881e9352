//! The render pipeline: the phases that turn a validated [`Site`] into
//! output files, in order: theme, Markdown, shortcodes, job planning,
//! summaries, templates (one job per page, in parallel), then the site
//! files (sitemap, feeds, hosting files, theme assets).

use std::sync::Arc;

use rayon::prelude::*;
use serde_json::Value;

use super::clock::Clock;
use super::dedupe::dedupe;
use super::embeds::embed_shortcodes;
use super::jobs::plan;
use super::lang::{LangView, Locale};
use super::layout_checks::check_layouts;
use super::markdown_warnings::{deep_nesting_warning, unknown_language_warning};
use super::placements::{bar_matchers, click_opens, popup_matchers};
use super::rendered::{RenderOutput, Sink, RECENT_POSTS};
use super::renderer::Renderer;
use super::reuse::{self, Cache};
use super::urls::Urls;
use super::views::{SiteView, Summaries, Summary, Views};
use super::{cards, hosting, seo, site_files};
use crate::base::output_file::OutputFile;
use crate::content::Site;
use crate::error::{Diagnostic, Diagnostics};
use crate::markdown::{self, Rendered};
use crate::shortcodes::{self, Extracted};
use crate::theme::Theme;

/// Which offers show as popups and bars, as their definitions say.
fn placed(
    site: &Site,
    popups: &[(usize, crate::content::campaign::PopupPages)],
    bars: &[(usize, crate::content::campaign::PopupPages)],
) -> Vec<String> {
    popups
        .iter()
        .chain(bars)
        .map(|(i, _)| {
            let def = &site.offers[*i].def;
            format!("{i}{:?}{:?}", def.popup, def.bar)
        })
        .collect()
}

/// A job's result: its file, social card and what it read, or reused as
/// last rendered.
// One per job, collected once: boxing the larger variant buys nothing.
#[allow(clippy::large_enum_variant)]
enum Done {
    Rendered(
        Option<OutputFile>,
        Option<crate::cards::CardJob>,
        Option<(super::jobs::Job, reuse::Entry)>,
    ),
    Reused(super::jobs::Job),
}

/// The sink that keeps every file in memory.
fn keep(file: OutputFile) -> Result<Option<OutputFile>, Diagnostic> {
    Ok(Some(file))
}

/// Renders the whole site into memory.
pub fn render_site(site: &Site) -> Result<RenderOutput, Diagnostics> {
    render(site, None, &keep)
}

/// Renders the whole site, handing each file to `sink`.
pub fn render_site_into(site: &Site, sink: Sink) -> Result<RenderOutput, Diagnostics> {
    render(site, None, sink)
}

/// Renders the site; with a `cache` (`lander serve`), only the pages whose
/// inputs changed since the last render with it (see [`reuse`]).
pub(super) fn render(
    site: &Site,
    mut cache: Option<&mut Cache>,
    sink: Sink,
) -> Result<RenderOutput, Diagnostics> {
    let urls = Urls {
        base_url: &site.config.base_url,
        base_path: site.config.base_path(),
    };
    let mut clock = Clock::start();
    let pictures = Arc::new(site.pictures.with_sizes(&site.images));
    let (theme, theme_key) = match cache.as_deref_mut() {
        Some(c) => c.theme(
            &site.templates,
            urls.base_path,
            site.config.minify,
            &pictures,
        )?,
        None => (
            Arc::new(Theme::load(
                &site.templates,
                urls.base_path,
                site.config.minify,
                pictures,
            )?),
            0,
        ),
    };
    clock.lap("theme");
    check_layouts(site, &theme)?;
    let locales: Vec<Locale> = site
        .languages
        .iter()
        .zip(&site.strings)
        .enumerate()
        .map(|(l, (lang, strings))| Locale::new(l, lang, strings))
        .collect();

    // With a cache: the key of each page and offer, and of the site's image sizes.
    let keys: Vec<u64> = match cache.as_deref() {
        Some(c) => c.keys(site),
        None => Vec::new(),
    };
    let images = cache.as_ref().map_or(0, |_| reuse::images_key(site));
    // Each distinct code snippet is highlighted once per build.
    let highlighted = crate::highlight::Highlights::default();
    let highlights = site.config.markdown.highlight.then_some(&highlighted);
    let memo = cache.as_deref();
    type Md = (Extracted, Arc<Rendered>, Option<u64>);
    let rendered: Vec<Md> = site
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let image_size = |path: &str| site.images.get(path).copied();
            let opts = markdown::RenderOptions {
                image_size: &image_size,
                pictures: Some(&site.pictures),
                affiliate_all: p.meta.affiliate,
                affiliate_domains: &site.config.seo.affiliate_domains,
                page_path: &p.path,
                base_path: urls.base_path,
                highlights,
            };
            // As rendered last time, when it receives the same.
            let key = memo.map(|_| reuse::markdown_key(keys[i], &opts, images));
            if let Some(hit) = memo.zip(key).and_then(|(c, k)| c.markdown(p, k)) {
                return (hit.0, hit.1, None);
            }
            let mut ex = shortcodes::extract(&p.body);
            let md = markdown::render_with(&ex.markdown, &opts);
            // Only the calls are needed from here on; a copy of every
            // page's Markdown would be a tenth of a large build's memory.
            ex.markdown = String::new();
            (ex, Arc::new(md), key)
        })
        .collect();
    drop(highlighted);
    let mut extracted = Vec::with_capacity(rendered.len());
    let mut markdown = Vec::with_capacity(rendered.len());
    for (i, (ex, md, key)) in rendered.into_iter().enumerate() {
        if let (Some(c), Some(key)) = (cache.as_deref_mut(), key) {
            c.keep_markdown(&site.pages[i], key, &ex, &md);
        }
        extracted.push(ex);
        markdown.push(md);
    }
    clock.lap("markdown");
    // Thank-you bodies of each offer, in each language.
    let thanks: Vec<Vec<String>> = site
        .offers
        .par_iter()
        .map(|o| {
            (0..site.languages.len())
                .map(|l| {
                    let body = o
                        .def_in(l)
                        .thank_you
                        .as_ref()
                        .and_then(|t| t.body.as_deref());
                    body.map(|b| markdown::render(b).html).unwrap_or_default()
                })
                .collect()
        })
        .collect();

    let mut common = tera::Context::new();
    let favicon = ["favicon.svg", "favicon.ico", "favicon.png"]
        .iter()
        .find(|f| site.statics.iter().any(|s| s.to == **f))
        .map(|f| urls.path(&format!("/{f}")));
    let site_views: Vec<Value> = site
        .languages
        .iter()
        .map(|lang| {
            let mut v = SiteView::new(&site.config, lang, urls);
            v.favicon = favicon.clone();
            serde_json::to_value(v).unwrap_or_default()
        })
        .collect();
    common.insert("site", &site_views[0]);
    common.insert("lander_version", env!("CARGO_PKG_VERSION"));
    // Every page's context is a copy of `common`: the data files go in only
    // when a template of the site mentions them (the theme's never do).
    let reads_data = site.templates.iter().any(|t| t.text.contains("data"));
    if reads_data {
        common.insert("data", &site.data);
    }
    common.insert(
        "languages",
        &site
            .languages
            .iter()
            .map(|l| LangView::new(l, urls))
            .collect::<Vec<_>>(),
    );

    let mut warnings = Diagnostics::default();
    for (page, md) in site.pages.iter().zip(&markdown) {
        if md.flattened {
            warnings.push(deep_nesting_warning(page));
        }
        for lang in &md.unknown_languages {
            warnings.push(unknown_language_warning(page, lang));
        }
    }
    let embed_reads = embed_shortcodes(
        site,
        &theme,
        urls,
        &locales,
        &common,
        &extracted,
        &mut markdown,
        &mut warnings,
    )?;

    clock.lap("shortcodes");
    let views = Views {
        site,
        urls,
        markdown: &markdown,
        locales: &locales,
    };
    let jobs = plan(site);
    // A page's key covers what its shortcodes showed.
    let keys = reuse::with_embeds(keys, &embed_reads);
    // Made when first shown and shared, as typed views (a JSON value of each
    // would be a quarter of a large build's memory): list pages serialise
    // the slice they show; `lander serve` makes only the ones it shows.
    let summaries = Summaries::new(&views);
    // The newest posts of each language.
    let recent: Vec<Vec<&Summary>> = site
        .lists
        .iter()
        .map(|lists| {
            lists
                .posts
                .iter()
                .take(RECENT_POSTS)
                .map(|&i| summaries.get(i))
                .collect()
        })
        .collect();

    clock.lap("summaries");
    let popups = popup_matchers(site);
    let bars = bar_matchers(site);
    let click_opens = click_opens(site, &extracted);
    let seo = seo::Seo::new(site, urls, &locales);
    let cards = cards::Cards::new(site, &theme, urls);
    let shared: Vec<tera::Context> = (0..site.languages.len())
        .map(|l| {
            let mut ctx = common.clone();
            ctx.insert("site", &site_views[l]);
            ctx.insert("lang", &LangView::new(locales[l].lang, urls));
            ctx.insert("t", locales[l].strings);
            ctx.insert("recent_posts", &recent[l]);
            ctx
        })
        .collect();
    let renderer = Renderer {
        seo: &seo,
        cards: &cards,
        locales: &locales,
        shared: &shared,
        site,
        theme: &theme,
        views: &views,
        summaries: &summaries,
        thanks: &thanks,
        popups: &popups,
        bars: &bars,
        click_opens: &click_opens,
    };
    // With a cache, what every job receives besides the pages it reads.
    let site_key = cache
        .as_ref()
        .map(|_| reuse::site_key(site, theme_key, &shared, &placed(site, &popups, &bars)));
    clock.lap("seo");
    let memo = cache.as_deref();
    let results: Vec<Result<Done, Diagnostic>> = jobs
        .par_iter()
        .map_init(
            || vec![None; shared.len()],
            |bases, &job| {
                if let (Some(c), Some(k)) = (memo, site_key) {
                    if c.fresh(job, k, &keys) {
                        return Ok(Done::Reused(job));
                    }
                }
                let (result, read) = crate::base::reads::recording(|| renderer.render(job, bases));
                let (file, card) = result?;
                let entry = site_key.map(|k| {
                    (
                        job,
                        Cache::entry(k, &read, &keys, site.pages.len(), &file.path),
                    )
                });
                Ok(Done::Rendered(sink(file)?, card, entry))
            },
        )
        .collect();
    let mut files = Vec::new();
    let mut card_jobs = Vec::new();
    let mut entries = Vec::new();
    let mut reused = Vec::new();
    let mut errs = Diagnostics::default();
    for r in results {
        match r {
            Ok(Done::Rendered(f, card, entry)) => {
                files.extend(f);
                card_jobs.extend(card);
                entries.extend(entry);
            }
            Ok(Done::Reused(job)) => reused.push(job),
            Err(d) => errs.push(d),
        }
    }
    if errs.has_errors() {
        return Err(dedupe(errs));
    }
    if let Some(c) = cache.as_deref_mut() {
        c.planned(entries, &reused);
    }
    clock.lap("templates");
    // `lander serve` (a cache) reads no host files: it skips their scan.
    let hosting = hosting::generate(&views, &theme, cache.is_none())?;
    warnings.extend(hosting.warnings);
    let generated = site_files::generate(&views, &summaries)
        .into_par_iter()
        .chain(hosting.files)
        .chain(theme.assets.par_iter().map(|a| OutputFile {
            path: a.file.clone(),
            bytes: a.bytes.clone(),
            source: None,
        }))
        .map(sink)
        .collect::<Result<Vec<_>, Diagnostic>>()?;
    files.extend(generated.into_iter().flatten());
    clock.lap("site files");
    warnings.sort();
    Ok(RenderOutput {
        files,
        warnings,
        timings: clock.laps,
        cards: card_jobs,
    })
}
