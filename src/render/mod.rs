//! The render stage: Markdown to HTML for every page, then tera with the
//! embedded theme, into output files. Nothing here touches the file system:
//! each file goes to a [`Sink`] as soon as it is rendered, which keeps it in
//! memory (`check`, `serve`) or hands it to `output` to write (`build`).

pub mod cards;
pub mod embeds;
pub mod forms;
pub mod headers;
pub mod hosting;
pub mod incremental;
pub mod lang;
pub mod offers;
pub mod outcomes;
pub mod paginate;
pub mod redirects;
pub mod seo;
pub mod shortcode_catalog;
pub mod site_files;
pub mod taxonomies;
pub mod views;

use rayon::prelude::*;
use serde_json::{json, Value};

use crate::content::bar::BarPosition;
use crate::content::campaign::PopupPages;
use crate::content::{PageKind, Site};
use crate::error::{Diagnostic, Diagnostics};
use crate::markdown::{self, Rendered};
use crate::shortcodes::{self, Extracted};
use crate::theme::{template_error, Theme};
use lang::{LangView, Locale};
use offers::{BarView, LeadView, OfferView, PopupView, ThankYouView};
use paginate::{pager_count, pager_path, paginator};
use views::{SiteView, Summary, Urls, Views};

/// How many of the newest posts every template gets as `recent_posts`.
pub const RECENT_POSTS: usize = 10;

/// One file of the built site, relative to the output folder.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
    /// The content or offer file this page was made from, for messages
    /// (`lander check`); `None` for generated pages and assets.
    pub source: Option<std::path::PathBuf>,
}

impl OutputFile {
    pub fn is_html(&self) -> bool {
        self.path.ends_with(".html")
    }
}

/// A page to produce; planned first, rendered in parallel.
#[derive(Debug, Clone, Copy)]
enum Job {
    /// Home, post, product, plain or landing page (index into `site.pages`).
    Page(usize),
    /// Page `n` (1-based) of the blog index of language `l`: `Blog(l, n)`.
    Blog(usize, usize),
    /// The products of language `l`.
    Products(usize),
    /// A folder's `_index.md` listing its pages.
    Section(usize),
    /// The list page of taxonomy `x` in language `l`: `Taxonomy(x, l)`.
    Taxonomy(usize, usize),
    /// Page `n` of the term at this index (into `Site::terms`).
    Term(usize, usize),
    /// Offer `o` in language `l`: `Offer(o, l)`.
    Offer(usize, usize),
    Thanks(usize, usize),
    /// The thank-you page of outcome `k` of quiz `o` in language `l`.
    Outcome(usize, usize, usize),
    NotFound,
}

/// The built site in memory, and what deserves a warning.
pub struct RenderOutput {
    pub files: Vec<OutputFile>,
    pub warnings: Diagnostics,
    /// Time spent in each phase, in order (for `lander build --timings`).
    pub timings: Vec<(&'static str, std::time::Duration)>,
    /// The social cards the pages name, to be made by [`crate::cards`].
    pub cards: Vec<crate::cards::CardJob>,
}

/// Receives each file as soon as it is rendered, from any thread, and
/// returns it to be kept in [`RenderOutput::files`], or `None` once it has
/// taken care of it. `lander build` writes pages while others
/// render, so a large site is never held in memory whole.
pub type Sink<'a> = &'a (dyn Fn(OutputFile) -> Result<Option<OutputFile>, Diagnostic> + Sync);

/// The description of a generated list page: the theme string `key`
/// (with `{site}` and `args`) followed by the site's description, cut to
/// 160 characters on a word.
fn list_description(loc: &Locale, key: &str, args: &[(&str, &str)]) -> String {
    let lang = loc.lang;
    let mut all = vec![("site", lang.title.as_str())];
    all.extend_from_slice(args);
    views::truncate_on_word(&format!("{} {}", loc.tf(key, &all), lang.description), 160)
}

/// "Page 2 of 3. …": every pager page of a list has its own description.
fn page_of_description(loc: &Locale, n: usize, pages: usize, description: &str) -> String {
    let of = loc.tf(
        "page_of",
        &[
            ("n", &loc.numbers.integer(n as u64)),
            ("total", &loc.numbers.integer(pages as u64)),
        ],
    );
    views::truncate_on_word(&format!("{of}. {description}"), 160)
}

/// Names the line where a page's lists or quotes nest too deep.
fn deep_nesting_warning(page: &crate::content::Page) -> Diagnostic {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut depth = 0;
    let mut at = 0;
    for (event, range) in Parser::new_ext(&page.body, markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::List(_) | Tag::BlockQuote(_)) => {
                depth += 1;
                if depth > markdown::MAX_NESTING {
                    at = range.start;
                    break;
                }
            }
            Event::End(pulldown_cmark::TagEnd::List(_) | pulldown_cmark::TagEnd::BlockQuote(_)) => {
                depth -= 1
            }
            _ => {}
        }
    }
    let (line, column) = crate::error::line_col(&page.body, at);
    Diagnostic::warning(format!(
        "lists or block quotes are nested more than {} levels deep; the deeper levels are flattened",
        markdown::MAX_NESTING
    ))
    .in_file(&page.source)
    .at(page.body_line + line - 1, column)
    .with_help("nest less deeply: readers cannot follow more than a few levels anyway")
}

/// Names the first code block in a language lander does not highlight.
fn unknown_language_warning(page: &crate::content::Page, lang: &str) -> Diagnostic {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
    let at = Parser::new_ext(&page.body, markdown::options())
        .into_offset_iter()
        .find_map(|(event, range)| match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.split(' ').next() == Some(lang) =>
            {
                Some(range.start)
            }
            _ => None,
        })
        .unwrap_or(0);
    let (line, column) = crate::error::line_col(&page.body, at);
    Diagnostic::warning(format!(
        "code block in `{lang}` is shown without highlighting: lander does not know that language"
    ))
    .in_file(&page.source)
    .at(page.body_line + line - 1, column)
    .with_help(format!(
        "name one of {}, or `text` for a plain block",
        crate::highlight::LANGUAGE_NAMES
    ))
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
/// inputs changed since the last render with it (see [`incremental`]).
fn render(
    site: &Site,
    mut cache: Option<&mut incremental::Cache>,
    sink: Sink,
) -> Result<RenderOutput, Diagnostics> {
    let urls = Urls {
        base_url: &site.config.base_url,
        base_path: site.config.base_path(),
    };
    let mut clock = Clock::start();
    let pictures = std::sync::Arc::new(site.pictures.with_sizes(&site.images));
    let theme = match cache.as_deref_mut() {
        Some(c) => c.theme(
            &site.templates,
            urls.base_path,
            site.config.minify,
            &pictures,
        )?,
        None => std::sync::Arc::new(Theme::load(
            &site.templates,
            urls.base_path,
            site.config.minify,
            pictures,
        )?),
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

    // Markdown rendered before, when nothing it depends on changed.
    let cached = match cache.as_deref_mut() {
        Some(c) => c.take_markdown(site),
        None => (0..site.pages.len()).map(|_| None).collect(),
    };
    // Each distinct code snippet is highlighted once per build.
    let highlighted = crate::highlight::Highlights::default();
    let highlights = site.config.markdown.highlight.then_some(&highlighted);
    let (extracted, mut markdown): (Vec<Extracted>, Vec<Rendered>) = site
        .pages
        .par_iter()
        .zip(cached)
        .map(|(p, cached)| {
            if let Some(hit) = cached {
                return hit;
            }
            let mut ex = shortcodes::extract(&p.body);
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
            let md = markdown::render_with(&ex.markdown, &opts);
            // Only the calls are needed from here on; a copy of every
            // page's Markdown would be a tenth of a large build's memory.
            ex.markdown = String::new();
            (ex, md)
        })
        .unzip();
    drop(highlighted);
    if let Some(c) = cache.as_deref_mut() {
        c.store_markdown(site, &extracted, &markdown);
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
    embed_shortcodes(
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
    // With a cache, only the jobs whose inputs changed, and the summaries they need.
    let (jobs, needed) = match cache.as_deref_mut() {
        Some(c) => {
            let (jobs, needed) =
                c.select(site, plan(site), &extracted, &|i| views.summary_value(i));
            (jobs, Some(needed))
        }
        None => (plan(site), None),
    };
    clock.lap("select");
    // Built once and shared, as typed views (a JSON value of each would be
    // a quarter of a large build's memory): list pages serialise the slice
    // they show.
    let summaries: Vec<Option<Summary>> = (0..site.pages.len())
        .into_par_iter()
        .map(|i| match &needed {
            Some(needed) if !needed[i] => None,
            _ => Some(views.summary(i)),
        })
        .collect();
    // The newest posts of each language.
    let recent: Vec<Vec<&Option<Summary>>> = site
        .lists
        .iter()
        .map(|lists| {
            lists
                .posts
                .iter()
                .take(RECENT_POSTS)
                .map(|&i| &summaries[i])
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
    clock.lap("seo");
    type PageResult = (Option<OutputFile>, Option<crate::cards::CardJob>);
    let results: Vec<Result<PageResult, Diagnostic>> = jobs
        .par_iter()
        .map_init(
            || vec![None; shared.len()],
            |bases, job| {
                let (file, card) = renderer.render(*job, bases)?;
                Ok((sink(file)?, card))
            },
        )
        .collect();
    let mut files = Vec::new();
    let mut card_jobs = Vec::new();
    let mut errs = Diagnostics::default();
    for r in results {
        match r {
            Ok((f, card)) => {
                files.extend(f);
                card_jobs.extend(card);
            }
            Err(d) => errs.push(d),
        }
    }
    if errs.has_errors() {
        return Err(dedupe(errs));
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
    if let Some(c) = cache {
        c.keep_markdown(site, extracted, markdown);
    }
    Ok(RenderOutput {
        files,
        warnings,
        timings: clock.laps,
        cards: card_jobs,
    })
}

/// Splits a run into named phases.
pub struct Clock {
    last: std::time::Instant,
    pub laps: Vec<(&'static str, std::time::Duration)>,
}

impl Clock {
    pub fn start() -> Clock {
        Clock {
            last: std::time::Instant::now(),
            laps: Vec::new(),
        }
    }

    /// Records the time since the previous lap under `name`.
    pub fn lap(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        self.laps.push((name, now - self.last));
        self.last = now;
    }
}

/// Renders every shortcode and puts its HTML in place of its placeholder.
#[allow(clippy::too_many_arguments)]
fn embed_shortcodes(
    site: &Site,
    theme: &Theme,
    urls: Urls,
    locales: &[Locale],
    common: &tera::Context,
    extracted: &[Extracted],
    markdown: &mut [Rendered],
    warnings: &mut Diagnostics,
) -> Result<(), Diagnostics> {
    let pieces: Vec<(usize, Vec<String>, Diagnostics)> = {
        let views = Views {
            site,
            urls,
            markdown,
            locales,
        };
        // Product cards need summaries; only products are ever embedded,
        // and only when some page has a `product` shortcode.
        let mut product_summaries = vec![Value::Null; site.pages.len()];
        // Quiz outcomes show product cards too, in a `form` shortcode.
        let quiz_cards = site.offers.iter().any(|o| !o.def.outcomes.is_empty());
        if quiz_cards
            || extracted
                .iter()
                .any(|ex| ex.calls.iter().any(|c| c.name == "product"))
        {
            for &i in &site.products {
                product_summaries[i] = views.summary_value(i);
            }
        }
        let catalog = shortcode_catalog::Catalog::new(theme);
        let embedder = embeds::Embedder {
            site,
            theme,
            urls,
            common,
            summaries: &product_summaries,
            locales,
            catalog: &catalog,
        };
        (0..site.pages.len())
            .into_par_iter()
            .filter(|&i| !extracted[i].calls.is_empty() || !extracted[i].errors.is_empty())
            .map(|i| {
                // `page` of the site's shortcodes: what lists show of it.
                let page_view = match extracted[i]
                    .calls
                    .iter()
                    .any(|c| catalog.is_from_site(&c.name))
                {
                    true => {
                        let mut v = views.summary_value(i);
                        // The summary's own shortcodes are not rendered yet.
                        if let Some(Value::String(summary)) = v.get_mut("summary") {
                            *summary = shortcodes::strip(summary);
                        }
                        v
                    }
                    false => Value::Null,
                };
                let (html, diags) =
                    embedder.render_calls(&site.pages[i], &page_view, &extracted[i]);
                (i, html, diags)
            })
            .collect()
    };
    let mut errs = Diagnostics::default();
    for (i, html, diags) in pieces {
        for d in diags.0 {
            match d.severity {
                crate::error::Severity::Error => errs.push(d),
                crate::error::Severity::Warning | crate::error::Severity::Notice => {
                    warnings.push(d)
                }
            }
        }
        let md = &mut markdown[i];
        md.html = shortcodes::fill(&md.html, &html);
        md.summary = shortcodes::fill(&md.summary, &html);
        md.summary_text = shortcodes::strip(&md.summary_text);
    }
    if errs.has_errors() {
        errs.sort();
        Err(errs)
    } else {
        Ok(())
    }
}

/// Running offers with a popup, and the pages it shows on.
fn popup_matchers(site: &Site) -> Vec<(usize, PopupPages)> {
    site.offers
        .iter()
        .enumerate()
        .filter(|(_, o)| site.is_running(o))
        .filter_map(|(i, o)| Some((i, PopupPages::new(o.def.popup.as_ref()?))))
        .collect()
}

/// Running offers with an announcement bar, and the pages it shows on.
fn bar_matchers(site: &Site) -> Vec<(usize, PopupPages)> {
    site.offers
        .iter()
        .enumerate()
        .filter(|(_, o)| site.is_running(o))
        .filter_map(|(i, o)| Some((i, PopupPages::from_globs(&o.def.bar.as_ref()?.pages))))
        .collect()
}

/// Per page, the offers (indices) that a `cta` with `open="popup"` opens in
/// a dialog: the page carries their popup, shown on click only.
/// So does the page's own offer with `offer_open: popup`.
fn click_opens(site: &Site, extracted: &[Extracted]) -> Vec<Vec<usize>> {
    use crate::content::front_matter::OfferOpen;
    extracted
        .iter()
        .zip(&site.pages)
        .map(|(ex, page)| {
            let own = page
                .meta
                .offer
                .as_deref()
                .filter(|_| page.meta.offer_open == Some(OfferOpen::Popup));
            let mut opens: Vec<usize> = ex
                .calls
                .iter()
                .filter(|c| c.name == "cta" && c.arg("open") == Some(embeds::OPEN_POPUP))
                .filter_map(|c| c.arg("offer"))
                .chain(own)
                .filter_map(|id| site.effective_offer(id))
                .filter_map(|o| site.offers.iter().position(|x| x.id == o.id))
                .collect();
            opens.sort_unstable();
            opens.dedup();
            opens
        })
        .collect()
}

/// Every page that uses a layout must find its template.
fn check_layouts(site: &Site, theme: &Theme) -> Result<(), Diagnostics> {
    let mut errs = Diagnostics::default();
    for p in &site.pages {
        let name = p.template();
        if p.meta.layout.is_some() && !theme.has_template(&name) {
            errs.push(
                Diagnostic::error(format!(
                    "no template `{name}` for `layout: {}`",
                    p.meta.layout.as_deref().unwrap_or_default()
                ))
                .in_file(&p.source)
                .at(p.key_lines.line("layout"), 1)
                .with_help(format!(
                    "create templates/{name} in the site, or use one of: {}",
                    theme
                        .template_names()
                        .iter()
                        .map(|n| n.trim_end_matches(".html"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs)
    }
}

fn plan(site: &Site) -> Vec<Job> {
    let mut jobs = Vec::new();
    for (i, p) in site.pages.iter().enumerate() {
        match p.kind {
            PageKind::Section if p.section == "blog" || p.section == "products" => {}
            PageKind::Section => jobs.push(Job::Section(i)),
            _ => jobs.push(Job::Page(i)),
        }
    }
    for (l, lists) in site.lists.iter().enumerate() {
        if has_blog(site, l) {
            let n = pager_count(lists.posts.len(), site.config.paginate_by);
            jobs.extend((1..=n).map(|n| Job::Blog(l, n)));
        }
        if has_products(site, l) {
            jobs.push(Job::Products(l));
        }
        for (x, terms) in lists.terms.iter().enumerate() {
            if !terms.is_empty() {
                jobs.push(Job::Taxonomy(x, l));
            }
        }
    }
    for (t, term) in site.terms.iter().enumerate() {
        let per = site.taxonomies[term.taxonomy].paginate_by;
        let n = pager_count(term.pages.len(), per);
        jobs.extend((1..=n).map(|k| Job::Term(t, k)));
    }
    for (o, offer) in site.offers.iter().enumerate() {
        for l in 0..site.languages.len() {
            // An offer outside its schedule has no landing page; its thank-you
            // page stays for visitors who converted just before the end.
            if site.is_running(offer) {
                jobs.push(Job::Offer(o, l));
            }
            jobs.push(Job::Thanks(o, l));
            jobs.extend((0..offer.def.outcomes.len()).map(|k| Job::Outcome(o, k, l)));
        }
    }
    jobs.push(Job::NotFound);
    jobs
}

/// Whether language `l` has a blog index: posts, or a `blog/_index.md`.
pub fn has_blog(site: &Site, l: usize) -> bool {
    !site.lists[l].posts.is_empty() || site.section_page("blog", l).is_some()
}

/// Whether language `l` has a products page.
pub fn has_products(site: &Site, l: usize) -> bool {
    !site.lists[l].products.is_empty() || site.section_page("products", l).is_some()
}

struct Renderer<'a> {
    locales: &'a [Locale<'a>],
    /// What every page of each language sees: `site`, `lang`, `t`,
    /// `recent_posts`, `languages`, `lander_version`.
    shared: &'a [tera::Context],
    site: &'a Site,
    theme: &'a Theme,
    views: &'a Views<'a>,
    summaries: &'a [Option<Summary<'a>>],
    thanks: &'a [Vec<String>],
    popups: &'a [(usize, PopupPages)],
    bars: &'a [(usize, PopupPages)],
    /// Per page: the offers its `cta(open="popup")` calls open.
    click_opens: &'a [Vec<usize>],
    seo: &'a seo::Seo<'a>,
    cards: &'a cards::Cards<'a>,
}

/// The attribute of a quiz form with outcomes (`partials/form.html`): its
/// page loads `quiz.js`.
const QUIZ_MARK: &str = "data-outcomes=";

/// Whether a rendered page has a form of a vendor that takes JSON only
/// (HubSpot, Klaviyo): the page then loads `providers.js`.
fn needs_providers_script(html: &str) -> bool {
    use crate::content::form::Provider;
    [Provider::Hubspot, Provider::Klaviyo].iter().any(|p| {
        let name = serde_json::to_value(p).ok();
        let name = name.as_ref().and_then(|v| v.as_str()).unwrap_or_default();
        html.contains(&format!("data-provider=\"{name}\""))
            || html.contains(&format!("data-provider={name}"))
    })
}

/// The scripts of the captcha widgets of a rendered page's forms.
fn captcha_scripts(html: &str) -> Vec<&'static str> {
    use crate::content::form::CaptchaProvider;
    [CaptchaProvider::Turnstile, CaptchaProvider::Hcaptcha]
        .into_iter()
        .filter(|c| html.contains(&format!("lander-captcha {}", c.class())))
        .map(CaptchaProvider::script)
        .collect()
}

impl Renderer<'_> {
    /// The language a job is rendered in (index into `Site::languages`).
    fn lang_of(&self, job: Job) -> usize {
        let site = self.site;
        match job {
            Job::Page(i) | Job::Section(i) => site.lang_index(&site.pages[i].lang),
            Job::Blog(l, _) | Job::Products(l) | Job::Taxonomy(_, l) => l,
            Job::Offer(_, l) | Job::Thanks(_, l) | Job::Outcome(_, _, l) => l,
            Job::Term(t, _) => site.terms[t].lang,
            Job::NotFound => 0,
        }
    }

    /// This page in every language it exists in: (language, site path).
    fn alternates(&self, job: Job) -> Vec<(usize, String)> {
        let site = self.site;
        let all = 0..site.languages.len();
        match job {
            Job::Page(i) | Job::Section(i) => site.translations[i]
                .iter()
                .map(|&j| {
                    (
                        site.lang_index(&site.pages[j].lang),
                        site.pages[j].path.clone(),
                    )
                })
                .collect(),
            Job::Blog(_, 1) => all
                .filter(|&l| has_blog(site, l))
                .map(|l| (l, site.languages[l].path("/blog/")))
                .collect(),
            Job::Products(_) => all
                .filter(|&l| has_products(site, l))
                .map(|l| (l, site.languages[l].path("/products/")))
                .collect(),
            Job::Taxonomy(x, _) => all
                .filter(|&l| !site.lists[l].terms[x].is_empty())
                .map(|l| (l, site.taxonomies[x].path_in(&site.languages[l])))
                .collect(),
            Job::Offer(o, _) => all
                .map(|l| (l, site.offers[o].path_in(&site.languages[l])))
                .collect(),
            Job::Thanks(o, _) => all
                .map(|l| (l, site.offers[o].thanks_path_in(&site.languages[l])))
                .collect(),
            Job::Outcome(o, k, _) => {
                let offer = &site.offers[o];
                all.map(|l| {
                    let id = &offer.def.outcomes[k].id;
                    (l, offer.outcome_path_in(id, &site.languages[l]))
                })
                .collect()
            }
            Job::Blog(..) | Job::Term(..) | Job::NotFound => Vec::new(),
        }
    }

    /// Renders one job. `bases` holds, per language, the context every page
    /// of that language shares (the site, its strings, recent posts), built
    /// once per thread rather than cloned per page; the job's own values are
    /// put in for the render, then taken out again.
    fn render(
        &self,
        job: Job,
        bases: &mut [Option<tera::Context>],
    ) -> Result<(OutputFile, Option<crate::cards::CardJob>), Diagnostic> {
        let l = self.lang_of(job);
        let (path, template, mut ctx, source) = self.context(job, l);
        let loc = &self.locales[l];
        let urls = self.views.urls;
        let alternates = self.alternates(job);
        ctx.insert(
            "switcher",
            &lang::switcher(&self.site.languages, l, &alternates, urls),
        );
        if !matches!(
            job,
            Job::Offer(..) | Job::Thanks(..) | Job::Outcome(..) | Job::NotFound
        ) {
            let clicks = match job {
                Job::Page(i) => self.click_opens[i].as_slice(),
                _ => &[],
            };
            let popups = self.popups_for(&path, loc, clicks);
            let bars = self.bars_for(&path, loc);
            // The placements' script, only on pages that have one.
            ctx.insert("placements", &(!popups.is_empty() || !bars.is_empty()));
            let at = |p: BarPosition| bars.iter().any(|b| b.position == p);
            ctx.insert("bar_top", &at(BarPosition::Top));
            ctx.insert("bar_bottom", &at(BarPosition::Bottom));
            ctx.insert("popups", &popups);
            ctx.insert("bars", &bars);
        }
        let mut card = None;
        if let Some(page) = ctx.get("page") {
            card = self.card(job, page, loc)?;
            let seo = self
                .seo
                .view(page, &alternates, loc, card.as_ref().map(|c| &c.0));
            ctx.insert("seo", &seo);
        }
        let own = ctx.into_json();
        let keys: Vec<String> = own
            .as_object()
            .map_or_else(Vec::new, |m| m.keys().cloned().collect());
        let base = bases[l].get_or_insert_with(|| self.shared[l].clone());
        debug_assert!(
            keys.iter().all(|k| !self.shared[l].contains_key(k)),
            "{keys:?}"
        );
        base.extend(tera::Context::from_value(own).expect("a context is an object"));
        let mut rendered = self.theme.tera.render(&template, base);
        // A form whose vendor takes JSON only needs the theme's
        // `providers.js`, a quiz with outcomes `quiz.js`, a form with a
        // captcha its vendor's script; forms come from templates, shortcodes
        // and popups alike, so the page says whether it has one.
        let (providers, quiz, captchas) =
            rendered
                .as_ref()
                .map_or((false, false, Vec::new()), |html| {
                    (
                        needs_providers_script(html),
                        html.contains(QUIZ_MARK),
                        captcha_scripts(html),
                    )
                });
        if providers || quiz || !captchas.is_empty() {
            base.insert("providers_script", &providers);
            base.insert("quiz_script", &quiz);
            base.insert("captcha_scripts", &captchas);
            rendered = self.theme.tera.render(&template, base);
            base.remove("providers_script");
            base.remove("quiz_script");
            base.remove("captcha_scripts");
        }
        for key in &keys {
            base.remove(key);
        }
        let html =
            rendered.map_err(|e| {
                let mut d = template_error(&e, &self.theme.origins);
                d.help =
                    Some(format!(
                "this happened while rendering {path}{}; fix the template or the value it uses",
                source.as_ref().map(|s| format!(" (from {s})")).unwrap_or_default()
            ));
                d
            })?;
        let file = if path.ends_with(".html") {
            path.trim_start_matches('/').to_string()
        } else {
            format!("{}index.html", path.trim_start_matches('/'))
        };
        let file = OutputFile {
            path: file,
            bytes: html.into_bytes(),
            source: source.map(std::path::PathBuf::from),
        };
        Ok((file, card.map(|(_, job)| job)))
    }

    /// The social card of a job's page, if it gets one.
    fn card(
        &self,
        job: Job,
        page: &Value,
        loc: &Locale,
    ) -> Result<Option<(cards::CardMeta, crate::cards::CardJob)>, Diagnostic> {
        let (opted_out, origin) = match job {
            Job::Page(i) | Job::Section(i) => {
                let p = &self.site.pages[i];
                (
                    p.meta.card == Some(false),
                    Some((p.source.clone(), p.key_lines.line("image"))),
                )
            }
            Job::Offer(o, _) => (false, Some((self.site.offers[o].source.clone(), 1))),
            Job::Thanks(..) | Job::NotFound => return Ok(None),
            _ => (false, None),
        };
        self.cards.plan(page, loc, opted_out, origin)
    }

    /// `path` without the language prefix: `pages` globs are written for
    /// every language (`/blog/**` also matches `/ar/blog/x/`).
    fn unprefixed<'p>(path: &'p str, loc: &Locale) -> &'p str {
        let prefix = &loc.lang.prefix;
        match path.strip_prefix(prefix.as_str()) {
            Some(rest) if !prefix.is_empty() && rest.starts_with('/') => rest,
            _ => path,
        }
    }

    /// The popups whose `pages` globs match this page path, then those that
    /// only its `cta(open="popup")` calls open (`clicks`).
    fn popups_for(&self, path: &str, loc: &Locale, clicks: &[usize]) -> Vec<PopupView<'_>> {
        let urls = self.views.urls;
        let page_path = urls.path(path);
        let path = Self::unprefixed(path, loc);
        let auto: Vec<usize> = self
            .popups
            .iter()
            .filter(|(_, pages)| pages.matches(path))
            .map(|(i, _)| *i)
            .collect();
        let click_only = clicks.iter().filter(|i| !auto.contains(i)).copied();
        let per_session = self.site.config.popups.per_session;
        auto.iter()
            .copied()
            .chain(click_only)
            .map(|i| {
                let offer = &self.site.offers[i];
                let popup = offer.def.popup.as_ref().filter(|_| auto.contains(&i));
                PopupView {
                    offer: OfferView::new(offer, loc, urls),
                    form: forms::form_view(
                        offer,
                        &forms::FormContext {
                            config: &self.site.config,
                            urls,
                            page_path: &page_path,
                            loc,
                            instance: "popup",
                            site: self.site,
                            card: &|i| self.views.summary_value(i),
                        },
                    ),
                    trigger: popup.map(|p| p.trigger),
                    mobile_trigger: popup.map(|p| p.mobile_trigger()),
                    delay: popup.map_or(0, |p| p.delay),
                    scroll: popup.map_or(0, |p| p.scroll),
                    idle: popup.map_or(0, |p| p.idle),
                    frequency_days: popup.map_or(0, |p| p.frequency_days),
                    priority: popup.map_or(0, |p| p.priority),
                    per_session,
                }
            })
            .collect()
    }

    /// The announcement bars whose `pages` globs match this page path.
    fn bars_for(&self, path: &str, loc: &Locale) -> Vec<BarView<'_>> {
        let path = Self::unprefixed(path, loc);
        self.bars
            .iter()
            .filter(|(_, pages)| pages.matches(path))
            .filter_map(|(i, _)| {
                let offer = &self.site.offers[*i];
                let bar = offer.def.bar.as_ref()?;
                Some(BarView {
                    offer: OfferView::new(offer, loc, self.views.urls),
                    position: bar.position,
                    frequency_days: bar.frequency_days,
                })
            })
            .collect()
    }

    fn items(&self, indices: &[usize]) -> Vec<Value> {
        indices
            .iter()
            .map(|&i| serde_json::to_value(&self.summaries[i]).unwrap_or_default())
            .collect()
    }

    /// `(site path, template, context, source file)` of a job.
    fn context(&self, job: Job, l: usize) -> (String, String, tera::Context, Option<String>) {
        let site = self.site;
        let urls = self.views.urls;
        let per = site.config.paginate_by;
        let loc = &self.locales[l];
        let lang = loc.lang;
        let lists = &site.lists[l];
        let mut ctx = tera::Context::new();
        match job {
            Job::Page(i) => {
                let p = &site.pages[i];
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
            Job::Blog(_, n) => {
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
                let tpl = section.map_or("blog.html".into(), |s| site.pages[s].template());
                (
                    path,
                    tpl,
                    ctx,
                    section.map(|s| site.pages[s].source.display().to_string()),
                )
            }
            Job::Products(_) => {
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
                let tpl = section.map_or("products.html".into(), |s| site.pages[s].template());
                (
                    path,
                    tpl,
                    ctx,
                    section.map(|s| site.pages[s].source.display().to_string()),
                )
            }
            Job::Section(i) => {
                let p = &site.pages[i];
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
            Job::Taxonomy(x, _) => self.taxonomy_list(x, loc),
            Job::Term(t, n) => self.term_page(t, n, loc),
            Job::Offer(o, _) => {
                let offer = &site.offers[o];
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
            Job::Thanks(o, _) => {
                let offer = &site.offers[o];
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
            Job::Outcome(o, k, _) => {
                let offer = &site.offers[o];
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
    fn synthetic(
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

/// One template bug fails every page that uses it: report it once.
fn dedupe(errs: Diagnostics) -> Diagnostics {
    let mut out: Vec<(Diagnostic, usize)> = Vec::new();
    for d in errs.0 {
        match out
            .iter_mut()
            .find(|(o, _)| o.path == d.path && o.line == d.line && o.message == d.message)
        {
            Some((_, n)) => *n += 1,
            None => out.push((d, 0)),
        }
    }
    let mut result = Diagnostics(
        out.into_iter()
            .map(|(mut d, more)| {
                if more > 0 {
                    let help = d.help.take().unwrap_or_default();
                    d.help = Some(format!(
                        "{help} (and {more} more page(s) failed the same way)"
                    ));
                }
                d
            })
            .collect(),
    );
    result.sort();
    result
}
