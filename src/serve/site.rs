//! The site as `lander serve` builds it: in memory, drafts included, forms
//! pointed at the dev server, and again after each change with only what
//! the change needs (files read again, pages rendered again).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::watch::{Batch, ChangeKind};
use crate::base::date::Date;
use crate::config::options::{resolve_config, BuildOptions};
use crate::config::Config;
use crate::content::load::{Broken, LoadOptions, Sources};
use crate::content::{schedule, site, PageKind, Site};
use crate::error::Diagnostics;
use crate::render::changes::render_changes;
use crate::render::incremental::Cache;
use crate::render::OutputFile;

/// Where the dev server takes form submissions.
pub const FORMS_PATH: &str = "/__lander/forms";

#[derive(Debug, Clone)]
pub struct DevOptions {
    pub root: PathBuf,
    /// `http://127.0.0.1:1111`: replaces the host of `base_url`.
    pub local_url: String,
    /// Point every form at [`FORMS_PATH`].
    pub capture_forms: bool,
}

/// A page that `lander build` would not publish as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Badge {
    Draft,
    /// Dated in the future (ISO date).
    Future(String),
}

/// What a build changed, to apply to the served site.
pub struct Update {
    pub files: Vec<OutputFile>,
    pub removed: Vec<String>,
    /// Static files by output path (served from disk).
    pub statics: HashMap<String, PathBuf>,
    /// `/shop` when base_url has a path, else "".
    pub base_path: String,
    /// Pages shown with a badge, by output path.
    pub badges: HashMap<String, Badge>,
    pub warnings: Diagnostics,
    /// Pages rendered from templates by this build.
    pub rendered: usize,
    pub elapsed: Duration,
    /// Time spent in each phase (assembling the site, then the render's).
    pub timings: Vec<(&'static str, Duration)>,
    /// Social cards of the pages rendered again, made after the update is
    /// served (see [`super::cards`]).
    pub cards: Vec<crate::cards::CardJob>,
}

/// The site folder as read so far, and what the last render keeps.
pub struct DevSite {
    opts: DevOptions,
    config: Result<Config, Diagnostics>,
    sources: Sources,
    cache: Cache,
    /// The site of the last good build, while only pages and offers
    /// changed since: patched instead of assembled from a copy of
    /// `sources` (10,000 pages are slow to copy).
    last: Option<Site>,
    /// Pages and offers changed since the last good build.
    changed: Vec<PathBuf>,
}

impl DevSite {
    /// Reads the whole site folder (nothing is rendered yet).
    pub fn open(opts: DevOptions) -> DevSite {
        let config = load_config(&opts);
        let sources = Sources::read(&opts.root);
        DevSite {
            opts,
            config,
            sources,
            cache: Cache::new(),
            last: None,
            changed: Vec::new(),
        }
    }

    /// The output folder of `lander build`, which the watcher ignores.
    pub fn output_dir(&self) -> PathBuf {
        self.config
            .as_ref()
            .map(|c| c.output_dir.clone())
            .unwrap_or_else(|_| PathBuf::from("public"))
    }

    /// Reads again what `batch` changed.
    pub fn apply(&mut self, batch: &Batch) {
        if batch.has(ChangeKind::Config) {
            self.config = load_config(&self.opts);
        }
        if batch.has(ChangeKind::Rescan) {
            self.sources = Sources::read(&self.opts.root);
            self.cache.invalidate();
            self.last = None;
            return;
        }
        for (rel, kind) in &batch.changes {
            match kind {
                ChangeKind::Page | ChangeKind::Offer => self.changed.push(rel.clone()),
                _ => self.last = None,
            }
            if *kind != ChangeKind::Config {
                self.sources.reread(&self.opts.root, rel);
                self.cache.touch(rel);
            }
        }
    }

    /// Assembles and renders what changed since the last successful build
    /// (everything, the first time).
    /// `early` sees each page as soon as it is rendered, before the build
    /// is done (the dev server serves it at once).
    pub fn build(&mut self, early: &(dyn Fn(&OutputFile) + Sync)) -> Result<Update, Diagnostics> {
        let start = Instant::now();
        let config = self.config.clone()?;
        let now = Date::now();
        let patched = self
            .last
            .take()
            .and_then(|last| self.patch(last, &config, now));
        // A patched site keeps the last one's images: text edits never
        // wait for image work.
        let site = match patched {
            Some(site) => site,
            None => self
                .sources
                .assemble(
                    config,
                    &LoadOptions {
                        root: &self.opts.root,
                        drafts: true,
                        // Drafts show with a badge; dates decide as in a build.
                        future: false,
                        now,
                    },
                )
                .and_then(|mut site| {
                    crate::images::publish(&mut site, &self.opts.root)?;
                    Ok(site)
                }),
        };
        let site = site.inspect_err(|_| self.changed.clear())?;
        self.changed.clear();
        let assembled = start.elapsed();
        let changes = render_changes(&site, &mut self.cache, &|file| {
            if file.is_html() {
                early(&file);
            }
            Ok(Some(file))
        })?;
        let mut timings = vec![("assemble", assembled)];
        timings.extend(changes.timings.iter().copied());
        let mut warnings = site.warnings.clone();
        warnings.extend(changes.warnings);
        let today = Date::now();
        let badges = site
            .pages
            .iter()
            .filter_map(|p| {
                let badge = if p.meta.draft {
                    Badge::Draft
                } else {
                    match p.meta.date {
                        Some(d) if p.kind == PageKind::Post && d.at > today.at => {
                            Badge::Future(d.to_iso())
                        }
                        _ => return None,
                    }
                };
                Some((p.output_file(), badge))
            })
            .collect();
        let update = Update {
            files: changes.files,
            removed: changes.removed,
            statics: site
                .statics
                .iter()
                .map(|s| (s.to.clone(), s.from.clone()))
                .collect(),
            base_path: site.config.base_path().to_string(),
            badges,
            warnings,
            rendered: self.cache.rendered,
            elapsed: start.elapsed(),
            timings,
            cards: changes.cards,
        };
        self.last = Some(site);
        Ok(update)
    }

    /// The last good site with the changed pages and offers put in, or
    /// `None` when one of them does not parse (the full assembly says why).
    fn patch(&self, last: Site, config: &Config, now: Date) -> Option<Result<Site, Diagnostics>> {
        // Which pages are live is decided at assembly too: when the clock
        // moved past a page's publish or expiry date, assemble all again.
        let same_pages = self.sources.pages.iter().all(|(_, p)| {
            p.as_ref().map_or(true, |p| {
                schedule::is_live(p, &now, false) == schedule::is_live(p, &last.now, false)
            })
        });
        if !same_pages {
            return None;
        }
        let mut last = last;
        if self.patch_bodies(&mut last, now) {
            return Some(Ok(last));
        }
        let Site {
            mut pages,
            mut offers,
            templates,
            statics,
            images,
            pictures,
            data,
            ..
        } = last;
        for rel in &self.changed {
            let mut parts = rel.components();
            let top = parts.next()?.as_os_str().to_str()?;
            let inner = parts.as_path();
            match top {
                "content" => {
                    let at = pages.iter().position(|p| p.source == *rel);
                    let now = self.sources.pages.iter().find(|(r, _)| r == inner);
                    match (at, now) {
                        (_, Some((_, Err(_)))) => return None,
                        (Some(i), Some((_, Ok(p)))) => pages[i] = p.clone(),
                        (None, Some((_, Ok(p)))) => pages.push(p.clone()),
                        (Some(i), None) => {
                            pages.remove(i);
                        }
                        (None, None) => {}
                    }
                }
                "offers" => {
                    let at = offers.iter().position(|o| o.source == *rel);
                    let now = self.sources.offers.iter().find(|(r, _)| r == inner);
                    match (at, now) {
                        (_, Some((_, Err(_)))) => return None,
                        (Some(i), Some((_, Ok(o)))) => offers[i] = o.clone(),
                        (None, Some((_, Ok(o)))) => offers.push(o.clone()),
                        (Some(i), None) => {
                            offers.remove(i);
                        }
                        (None, None) => {}
                    }
                }
                _ => return None,
            }
        }
        // A changed page may have left (or not reached) its dates.
        pages.retain(|p| schedule::is_live(p, &now, false));
        let upcoming = schedule::upcoming(
            self.sources
                .pages
                .iter()
                .filter_map(|(_, r)| r.as_ref().ok()),
            &now,
        );
        let site = site::assemble(
            config.clone(),
            pages,
            offers,
            templates,
            statics,
            &self.site_strings(),
            &Broken::default(),
            now,
        );
        Some(site.map(|mut s| {
            s.images = images;
            s.pictures = pictures;
            s.data = data;
            s.upcoming = upcoming;
            s
        }))
    }

    /// The site's `i18n/*.yaml` that parse (a broken one fails the full assembly).
    fn site_strings(&self) -> Vec<crate::i18n::SiteStrings> {
        self.sources
            .strings
            .iter()
            .filter_map(|s| s.as_ref().ok().cloned())
            .collect()
    }

    /// The common edit, text typed into pages whose front matter stays as
    /// it was: nothing the assembly decides (URLs, lists, tags, references,
    /// warnings) can change, so the new bodies go straight into the last
    /// site. Any other change leaves the site as it was and gives `false`:
    /// it needs the full assembly.
    fn patch_bodies(&self, last: &mut Site, now: Date) -> bool {
        // Which offers run is decided at assembly: a new moment may change it.
        let same_offers = last.offers.iter().all(|o| {
            o.def
                .schedule
                .as_ref()
                .is_none_or(|s| s.is_active(&now) == s.is_active(&last.now))
        });
        if !same_offers {
            return false;
        }
        let mut edits = Vec::with_capacity(self.changed.len());
        for rel in &self.changed {
            match self.body_edit(last, rel) {
                Some(edit) => edits.push(edit),
                None => return false,
            }
        }
        for (i, body) in edits {
            last.pages[i].body = body;
        }
        last.now = now;
        true
    }

    /// `(index, new body)` when `rel` is a page of `last` whose front matter
    /// has not changed.
    fn body_edit(&self, last: &Site, rel: &Path) -> Option<(usize, String)> {
        let inner = rel.strip_prefix("content").ok()?;
        let (_, now) = self.sources.pages.iter().find(|(r, _)| r == inner)?;
        let now = now.as_ref().ok()?;
        let i = last.pages.iter().position(|p| p.source == *rel)?;
        let was = &last.pages[i];
        (now.meta == was.meta && now.key_lines == was.key_lines && now.body_line == was.body_line)
            .then(|| (i, now.body.clone()))
    }

    pub fn root(&self) -> &Path {
        &self.opts.root
    }
}

/// site.yaml with the dev server's overrides: its own address as the host
/// (the path of base_url stays), and forms sent to it when capturing.
fn load_config(opts: &DevOptions) -> Result<Config, Diagnostics> {
    let mut config = resolve_config(
        &opts.root,
        &BuildOptions {
            root: opts.root.clone(),
            output: None,
            base_url: None,
            drafts: true,
            form_endpoint: opts.capture_forms.then(|| FORMS_PATH.to_string()),
            now: None,
            cards_svg: false,
        },
    )?;
    config.base_url = format!("{}{}", opts.local_url, config.base_path());
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::watch::Batch;

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8, y as u8, 60]));
        let mut bytes = Vec::new();
        img.write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
        bytes
    }

    #[test]
    fn text_edits_reuse_the_processed_images() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, bytes: &[u8]| {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        };
        write(
            "site.yaml",
            b"title: T\nbase_url: https://t.test\nimages: { widths: [100, 200] }\n",
        );
        write(
            "content/_index.md",
            b"---\ntitle: Home\nimage: /a.jpg\nimage_alt: A\n---\nOne.\n",
        );
        write("static/a.jpg", &jpeg(300, 150));
        let mut dev = DevSite::open(DevOptions {
            root: root.to_path_buf(),
            local_url: "http://127.0.0.1:1111".into(),
            capture_forms: false,
        });
        let first = dev.build(&|_| {}).unwrap();
        assert!(first.statics.keys().any(|k| k.starts_with("_img/a.")));
        let pictures = dev.last.as_ref().unwrap().pictures.clone();
        assert_eq!(pictures.by_path["/a.jpg"].width, 200);

        // A text edit: the same pictures, not processed again.
        write(
            "content/_index.md",
            b"---\ntitle: Home\nimage: /a.jpg\nimage_alt: A\n---\nTwo.\n",
        );
        let mut batch = Batch::default();
        batch.add("content/_index.md".into(), ChangeKind::Page);
        dev.apply(&batch);
        let second = dev.build(&|_| {}).unwrap();
        let again = &dev.last.as_ref().unwrap().pictures;
        assert!(
            std::sync::Arc::ptr_eq(&pictures, again),
            "images were processed again"
        );
        let home = second
            .files
            .iter()
            .find(|f| f.path == "index.html")
            .unwrap();
        let html = String::from_utf8_lossy(&home.bytes);
        assert!(
            html.contains("Two.") && html.contains("srcset=\"/_img/a."),
            "{html}"
        );

        // A changed image is processed again.
        write("static/a.jpg", &jpeg(150, 150));
        let mut batch = Batch::default();
        batch.add("static/a.jpg".into(), ChangeKind::Static);
        dev.apply(&batch);
        dev.build(&|_| {}).unwrap();
        assert_eq!(
            dev.last.as_ref().unwrap().pictures.by_path["/a.jpg"].width,
            150
        );
    }
}
