//! Rendering again after a change, for `lander serve`: a page is rendered
//! again only when something it received changed.
//!
//! A job (one page to produce) is reused when all of these are as they were
//! when it was last rendered:
//! - the *site key*: a hash of everything in the [`Site`] but the data of
//!   single pages (config, offers and which of them run, strings, data
//!   files, lists, terms, translations, every page's URL and language,
//!   which offers there are and run, where popups and bars show…), of the
//!   theme, and of the context every page of a language shares (`site`,
//!   `t`, `recent_posts`…);
//! - every page and offer its context read (a page by its file's
//!   version, an offer by all it holds), as [`crate::base::reads`] recorded it
//!   while the job rendered.
//!
//! `Site` and `Page` are taken apart field by field here, so a field added
//! to either does not compile until it is given its place in a key. A
//! page's Markdown is kept as well, keyed on what rendering it receives.
//! `tests/testsuite/serve.rs` compares incremental results with full builds.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::jobs::Job;
use super::RenderOutput;
use crate::base::output_file::OutputFile;
use crate::base::reads::Read;
use crate::content::load::TemplateSource;
use crate::content::{Page, Site};
use crate::error::Diagnostics;
use crate::markdown::{RenderOptions, Rendered};
use crate::shortcodes::Extracted;
use crate::theme::Theme;

/// What one render keeps for the next.
#[derive(Default)]
pub struct Cache {
    /// Version of each source file (`content/blog/a.md`, `offers/x.yaml`);
    /// absent means 0.
    versions: HashMap<PathBuf, u64>,
    /// The theme, by a hash of what it is loaded from.
    theme: Option<(u64, Arc<Theme>)>,
    /// Each page's shortcodes and Markdown, by page file, with its key.
    markdown: HashMap<PathBuf, (u64, Extracted, Arc<Rendered>)>,
    /// What each job of the last successful render read.
    jobs: HashMap<Job, Entry>,
    /// The jobs of the render in progress (kept only if it succeeds).
    pending: Vec<(Job, Entry)>,
    /// Every output path of the last successful render.
    paths: HashSet<String>,
    /// How many pages the last render produced from templates.
    pub rendered: usize,
}

/// A job as last rendered: the site key then, what it read (as indices
/// into [`Cache::keys`]) with their keys, and the file it wrote.
#[derive(Clone)]
pub(super) struct Entry {
    site: u64,
    reads: Vec<(usize, u64)>,
    path: String,
}

/// The files a render changed.
pub struct Changes {
    /// Files rendered again (and the site files, always regenerated).
    pub files: Vec<OutputFile>,
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
    /// read it is rendered again.
    pub fn touch(&mut self, source: &Path) {
        *self.versions.entry(source.to_path_buf()).or_default() += 1;
    }

    /// Everything is rendered again next time (the site was read anew);
    /// files of the last render that are gone are still reported removed.
    pub fn invalidate(&mut self) {
        self.theme = None;
        self.markdown.clear();
        self.jobs.clear();
    }

    /// Every output path of the last successful render.
    pub fn paths(&self) -> &HashSet<String> {
        &self.paths
    }

    /// A page's file and its version, as one number.
    pub(super) fn page_key(&self, page: &Page) -> u64 {
        let version = self.versions.get(&page.source).copied().unwrap_or(0);
        hash(&(&page.source, version))
    }

    /// The key of every page, then of every offer (all it holds, a lead
    /// value taken from a product's price included, and whether it runs).
    pub(super) fn keys(&self, site: &Site) -> Vec<u64> {
        let offers = site.offers.iter().map(|o| {
            let mut h = DebugHash::default();
            let _ = write!(h, "{o:?}{}", site.is_running(o));
            h.0.finish()
        });
        site.pages
            .iter()
            .map(|p| self.page_key(p))
            .chain(offers)
            .collect()
    }

    /// The theme of the last render when it is loaded from the same things.
    pub(super) fn theme(
        &mut self,
        templates: &[TemplateSource],
        base_path: &str,
        compact: bool,
        pictures: &Arc<crate::images::Pictures>,
    ) -> Result<(Arc<Theme>, u64), Diagnostics> {
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
                return Ok((theme.clone(), key));
            }
        }
        let theme = Arc::new(Theme::load(
            templates,
            base_path,
            compact,
            pictures.clone(),
        )?);
        self.theme = Some((key, theme.clone()));
        Ok((theme, key))
    }

    /// A page's shortcodes and Markdown as rendered last time with the same key.
    pub(super) fn markdown(&self, page: &Page, key: u64) -> Option<(Extracted, Arc<Rendered>)> {
        match self.markdown.get(&page.source) {
            Some((k, ex, md)) if *k == key => Some((ex.clone(), md.clone())),
            _ => None,
        }
    }

    /// Keeps a page's shortcodes and Markdown (before shortcodes are filled in).
    pub(super) fn keep_markdown(
        &mut self,
        page: &Page,
        key: u64,
        ex: &Extracted,
        md: &Arc<Rendered>,
    ) {
        // The Markdown with placeholders is not read after rendering.
        let ex = Extracted {
            markdown: String::new(),
            calls: ex.calls.clone(),
            errors: ex.errors.clone(),
        };
        self.markdown
            .insert(page.source.clone(), (key, ex, md.clone()));
    }

    /// Whether `job` read nothing that changed since it was last rendered.
    pub(super) fn fresh(&self, job: Job, site: u64, page_keys: &[u64]) -> bool {
        self.jobs.get(&job).is_some_and(|e| {
            e.site == site
                && e.reads
                    .iter()
                    .all(|&(i, key)| page_keys.get(i) == Some(&key))
        })
    }

    /// What a rendered job read, to be kept if the render succeeds.
    pub(super) fn entry(site: u64, read: &[Read], keys: &[u64], pages: usize, path: &str) -> Entry {
        Entry {
            site,
            reads: read
                .iter()
                .map(|&r| index(r, pages))
                .filter_map(|i| Some((i, *keys.get(i)?)))
                .collect(),
            path: path.to_string(),
        }
    }

    /// The jobs of the render in progress: the ones rendered with what
    /// they read, the ones reused as they were.
    pub(super) fn planned(&mut self, rendered: Vec<(Job, Entry)>, reused: &[Job]) {
        self.rendered = rendered.len();
        let mut pending = rendered;
        pending.extend(
            reused
                .iter()
                .filter_map(|job| self.jobs.get(job).map(|e| (*job, e.clone()))),
        );
        self.pending = pending;
    }

    /// A render failed: what its jobs read is not kept.
    pub(super) fn abort(&mut self) {
        self.pending.clear();
    }

    /// Turns a successful render into the changes to apply to the previous one.
    pub(super) fn commit(&mut self, out: RenderOutput) -> Changes {
        let mut paths: HashSet<String> = self.pending.iter().map(|(_, e)| e.path.clone()).collect();
        // Site files are rendered every time: they are all in `out.files`.
        paths.extend(out.files.iter().map(|f| f.path.clone()));
        self.jobs = std::mem::take(&mut self.pending).into_iter().collect();
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
}

/// The key of a page's Markdown: its file's version and every option the
/// rendering receives (`image_size` answers from the site's image sizes,
/// hashed as `images`).
pub(super) fn markdown_key(page_key: u64, opts: &RenderOptions, images: u64) -> u64 {
    let RenderOptions {
        image_size: _,
        pictures,
        affiliate_all,
        affiliate_domains,
        page_path,
        base_path,
        highlights,
    } = opts;
    hash(&(
        page_key,
        images,
        pictures.map(|p| p.version),
        affiliate_all,
        affiliate_domains,
        page_path,
        base_path,
        highlights.is_some(),
    ))
}

/// Where a read's key is in [`Cache::keys`]: pages first, then offers.
fn index(read: Read, pages: usize) -> usize {
    match read {
        Read::Page(i) => i,
        Read::Offer(o) => pages + o,
    }
}

/// Page keys that also cover what each page's shortcodes showed (`reads[i]`,
/// recorded as they rendered: a product's card, an offer's form), and
/// what those showed in turn.
pub(super) fn with_embeds(keys: Vec<u64>, reads: &[Vec<Read>]) -> Vec<u64> {
    let pages = reads.len();
    if keys.is_empty() || reads.iter().all(Vec::is_empty) {
        return keys;
    }
    let next = |i: usize| -> Vec<usize> {
        reads
            .get(i)
            .map(|r| r.iter().map(|&r| index(r, pages)).collect())
            .unwrap_or_default()
    };
    (0..keys.len())
        .map(|i| {
            if reads.get(i).is_none_or(Vec::is_empty) {
                return keys[i];
            }
            let mut seen = vec![i];
            let mut todo = next(i);
            while let Some(j) = todo.pop() {
                if !seen.contains(&j) {
                    seen.push(j);
                    todo.extend(next(j));
                }
            }
            seen.sort_unstable();
            hash(&seen.iter().filter_map(|&j| keys.get(j)).collect::<Vec<_>>())
        })
        .collect()
}

/// A hash of the site's image sizes, in a stable order.
pub(super) fn images_key(site: &Site) -> u64 {
    let mut images: Vec<_> = site.images.iter().collect();
    images.sort_unstable();
    hash(&images)
}

/// What every job receives besides the pages and offers it reads: the
/// whole site but their data, the theme, each language's shared context,
/// and `placements` (which offers show as popups and bars where).
pub(super) fn site_key(
    site: &Site,
    theme: u64,
    shared: &[tera::Context],
    placements: &dyn std::fmt::Debug,
) -> u64 {
    let Site {
        config,
        pages,
        posts,
        products,
        taxonomies,
        terms,
        page_terms,
        offers,
        // In the theme's key.
        templates: _,
        statics,
        // Read through which offers run, below.
        now: _,
        // Not rendered.
        warnings: _,
        images: _,
        pictures,
        data,
        languages,
        strings,
        lists,
        translations,
        sections,
        redirects,
        upcoming,
    } = site;
    let mut h = DebugHash::default();
    h.add(theme);
    h.json(config);
    h.json(data);
    for p in pages {
        h.add(placed(p));
    }
    let ids: Vec<&str> = offers.iter().map(|o| o.id.as_str()).collect();
    let _ = write!(
        h,
        "{posts:?}{products:?}{taxonomies:?}{terms:?}{page_terms:?}{ids:?}{statics:?}{placements:?}"
    );
    let _ = write!(
        h,
        "{languages:?}{strings:?}{lists:?}{translations:?}{redirects:?}{upcoming:?}"
    );
    let mut sections: Vec<_> = sections.iter().collect();
    sections.sort_unstable();
    h.add(hash(&sections));
    h.add(images_key(site));
    h.add(pictures.version);
    for ctx in shared {
        h.json(&ctx.clone().into_json());
    }
    h.0.finish()
}

/// What the assembly decides about a page from the rest of the site (its
/// language, URL and translations); the rest comes from its file, whose
/// version is in its page key.
fn placed(page: &Page) -> u64 {
    let Page {
        source,
        // From the file.
        kind: _,
        section: _,
        slug: _,
        meta: _,
        key_lines: _,
        body: _,
        body_line: _,
        lang_suffix: _,
        stem: _,
        // From the file, the config and the other pages.
        path,
        lang,
        translation_group,
        unprefixed_path,
    } = page;
    hash(&(source, path, lang, translation_group, unprefixed_path))
}

/// Hashes what is written to it (Debug and JSON forms of the site).
#[derive(Default)]
struct DebugHash(DefaultHasher);

impl DebugHash {
    fn add(&mut self, n: u64) {
        self.0.write_u64(n);
    }

    fn json<T: serde::Serialize>(&mut self, value: &T) {
        let _ = serde_json::to_writer(&mut *self, value);
    }
}

impl std::fmt::Write for DebugHash {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}

impl std::io::Write for DebugHash {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        Hasher::write(&mut self.0, buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn hash<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    /// The files whose code runs while a job renders read pages only
    /// through the recording accessors of `Views`: any other read would be
    /// missed by [`super::super::reads`], and `lander serve` would serve a
    /// stale page.
    #[test]
    fn jobs_read_pages_only_through_recording_accessors() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/render");
        // Run before the jobs (planning, Markdown, shortcodes, summaries) or
        // after them (site files), or the recording accessors themselves.
        let outside = [
            "pipeline.rs",
            "jobs.rs",
            "reuse.rs",
            "reads.rs",
            "embeds.rs",
            "sitemap.rs",
            "feeds.rs",
            "site_files.rs",
            "hosting.rs",
            "headers.rs",
            "redirects.rs",
            "paginate.rs",
            "layout_checks.rs",
            "mod.rs",
        ];
        let mut bad = Vec::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if outside.contains(&name.as_str()) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            let lines: Vec<&str> = code.lines().collect();
            for (n, line) in lines.iter().enumerate() {
                // A marker on the line, or on a comment line just above it.
                let marked =
                    |l: &str| l.contains("before the jobs") || l.contains("in the site key");
                let allowed = line.contains("reads::page(")
                    || line.contains("reads::offer(")
                    || marked(line)
                    || (n > 0
                        && lines[n - 1].trim_start().starts_with("//")
                        && marked(lines[n - 1]));
                // `site` then `.pages` on the next line is a read too.
                let split = n > 0 && lines[n - 1].trim_end().ends_with("site");
                let line = match split {
                    true => format!("site{}", line.trim_start()),
                    false => line.to_string(),
                };
                let read = line.replace("site.pages_in(", "");
                if !allowed && (read.contains("site.pages") || read.contains("site.offers")) {
                    bad.push(format!("src/render/{name}:{}: {}", n + 1, line.trim()));
                }
            }
        }
        assert!(
            bad.is_empty(),
            "read pages as `site.pages[crate::base::reads::page(i)]` (`Views::page_data`) and offers as `site.offers[crate::base::reads::offer(o)]` or `Site::offer`, which record the read:\n{}",
            bad.join("\n")
        );
    }
}
