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
use crate::content::load::{LoadOptions, Sources};
use crate::content::PageKind;
use crate::error::Diagnostics;
use crate::render::changes::render_changes;
use crate::render::reuse::Cache;
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
    /// What the images stage made of the last good build, kept while no
    /// static file or setting changed: text edits never wait for image work.
    published: Option<Published>,
}

/// The images stage's result: the processed images, the static files with
/// their variants, its warnings.
struct Published {
    pictures: std::sync::Arc<crate::images::Pictures>,
    statics: Vec<crate::content::load::StaticFile>,
    warnings: Vec<crate::error::Diagnostic>,
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
            published: None,
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
            self.published = None;
        }
        if batch.has(ChangeKind::Rescan) {
            self.sources = Sources::read(&self.opts.root);
            self.cache.invalidate();
            self.published = None;
            return;
        }
        for (rel, kind) in &batch.changes {
            if *kind == ChangeKind::Static {
                self.published = None;
            }
            if *kind != ChangeKind::Config {
                self.sources.reread(&self.opts.root, rel);
                self.cache.touch(rel);
            }
        }
    }

    /// Assembles the site from the sources as read, and renders what
    /// changed since the last successful build (everything, the first time).
    /// `early` sees each page as soon as it is rendered, before the build
    /// is done (the dev server serves it at once).
    pub fn build(&mut self, early: &(dyn Fn(&OutputFile) + Sync)) -> Result<Update, Diagnostics> {
        let start = Instant::now();
        let config = self.config.clone()?;
        let opts = LoadOptions {
            root: &self.opts.root,
            drafts: true,
            // Drafts show with a badge; dates decide as in a build.
            future: false,
            now: Date::now(),
        };
        let mut site = self.sources.assemble(config, &opts)?;
        match &self.published {
            Some(p) => {
                site.pictures = p.pictures.clone();
                site.statics = p.statics.clone();
                site.warnings.0.extend(p.warnings.iter().cloned());
            }
            None => {
                let before = site.warnings.0.len();
                crate::images::publish(&mut site, &self.opts.root)?;
                self.published = Some(Published {
                    pictures: site.pictures.clone(),
                    statics: site.statics.clone(),
                    warnings: site.warnings.0[before..].to_vec(),
                });
            }
        }
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
        Ok(Update {
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
        })
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
        let pictures = dev.published.as_ref().unwrap().pictures.clone();
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
        let again = &dev.published.as_ref().unwrap().pictures;
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
            dev.published.as_ref().unwrap().pictures.by_path["/a.jpg"].width,
            150
        );
    }
}
