//! Discovery and reading: walks `content/`, `offers/`, `templates/`,
//! `data/` and `static/`, and parses every file in parallel. Every problem found is
//! collected, so one build reports all of them.

use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

pub use super::files::{Broken, StaticFile, TemplateSource};
use super::front_matter;
use super::offer::Offer;
use super::page::{Page, PageKind};
use super::site::{self, Site};
use crate::base::date::Date;
use crate::base::slug::slugify;
use crate::config::utf8::decode_utf8;
use crate::config::Config;
use crate::error::{Diagnostic, Diagnostics};
use crate::i18n::SiteStrings;

pub struct LoadOptions<'a> {
    pub root: &'a Path,
    pub drafts: bool,
    /// Build pages before their publish date too (`--drafts`).
    pub future: bool,
    /// The moment the site is built for (offer schedules, pages' publish
    /// and expiry dates); `--now` or the clock.
    pub now: Date,
}

/// Reads the whole site folder into a validated [`Site`].
pub fn load_site(config: Config, opts: &LoadOptions) -> Result<Site, Diagnostics> {
    Sources::read(opts.root).into_site(config, opts)
}

/// Every file of a site folder, read and parsed one by one but not yet
/// assembled into a [`Site`]. `lander serve` keeps one and re-reads only the
/// files that change ([`Sources::reread`]).
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// `content/**.md` by path relative to `content/`, sorted.
    pub pages: Vec<(PathBuf, Result<Page, Diagnostics>)>,
    /// `offers/*.yaml` by path relative to `offers/`, sorted.
    pub offers: Vec<(PathBuf, Result<Offer, Diagnostics>)>,
    pub templates: Vec<Result<TemplateSource, Diagnostic>>,
    /// `i18n/<lang>.yaml`: the site's overrides of the theme's strings.
    pub strings: Vec<Result<SiteStrings, Diagnostics>>,
    pub statics: Vec<StaticFile>,
    pub images: super::images::ImageSizes,
    /// `data/**` by path relative to `data/`, sorted.
    pub data: Vec<(PathBuf, Result<serde_json::Value, Diagnostic>)>,
}

impl Sources {
    /// Reads and parses every file of the site, in parallel.
    pub fn read(root: &Path) -> Sources {
        let content = discover(root, "content");
        let (md, others): (Vec<_>, Vec<_>) = content
            .into_iter()
            .partition(|rel| rel.extension().is_some_and(|e| e == "md"));
        let pages = md
            .into_par_iter()
            .map(|rel| {
                let page = read_page(root, &rel);
                (rel, page)
            })
            .collect();
        let offers = read_offers(root);
        let templates = discover(root, "templates")
            .into_iter()
            .filter(|rel| is_template_file(rel))
            .map(|rel| read_template(root, &rel))
            .collect();
        let statics = statics(root, others);
        let images = super::images::measure(&statics);
        Sources {
            pages,
            offers,
            templates,
            strings: read_strings(root),
            statics,
            images,
            data: read_data(root),
        }
    }

    /// Reads again the file at `rel` (relative to the site root), which was
    /// changed, created or removed; a file under `static/` (or a non-Markdown
    /// file under `content/`) re-lists the static files. Files outside the
    /// site's folders are not its business: returns false for them.
    pub fn reread(&mut self, root: &Path, rel: &Path) -> bool {
        let mut parts = rel.components();
        let top = parts.next().and_then(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        });
        let inner = parts.as_path().to_path_buf();
        let exists = root.join(rel).is_file();
        match top {
            Some("content") if inner.extension().is_some_and(|e| e == "md") => {
                let page = exists.then(|| read_page(root, &inner));
                upsert(&mut self.pages, inner, page);
            }
            Some("offers") if is_offer_file(&inner) => {
                let offer = exists.then(|| read_offer(root, &inner));
                upsert(&mut self.offers, inner, offer);
            }
            Some("i18n") => self.strings = read_strings(root),
            Some("data") if super::data::is_data_file(&inner) => {
                let value = exists.then(|| super::data::read(root, &inner));
                upsert(&mut self.data, inner, value);
            }
            Some("templates") => {
                self.templates = discover(root, "templates")
                    .into_iter()
                    .filter(|rel| is_template_file(rel))
                    .map(|rel| read_template(root, &rel))
                    .collect();
            }
            Some("content" | "static") => {
                let from = root.join(rel);
                let listed = self.statics.iter().position(|s| s.from == from);
                match (listed, exists) {
                    // Changed in place: only its size may differ.
                    (Some(i), true) => {
                        let one = std::slice::from_ref(&self.statics[i]);
                        self.images.remove(&format!("/{}", one[0].to));
                        self.images.extend(super::images::measure(one));
                    }
                    // A temporary file that came and went.
                    (None, false)
                        if !from.is_dir()
                            && !self.statics.iter().any(|s| s.from.starts_with(&from)) => {}
                    // Created, removed, or a folder: list them again.
                    _ => {
                        let others = discover(root, "content")
                            .into_iter()
                            .filter(|rel| rel.extension().is_none_or(|e| e != "md"))
                            .collect();
                        self.statics = statics(root, others);
                        self.images = super::images::measure(&self.statics);
                    }
                }
            }
            _ => return false,
        }
        true
    }

    /// Assembles and validates the site (a copy: `self` stays for the next change).
    pub fn assemble(&self, config: Config, opts: &LoadOptions) -> Result<Site, Diagnostics> {
        self.clone().into_site(config, opts)
    }

    /// Assembles and validates the site.
    pub fn into_site(self, config: Config, opts: &LoadOptions) -> Result<Site, Diagnostics> {
        let mut errs = Diagnostics::default();
        let mut pages = Vec::with_capacity(self.pages.len());
        let mut broken = Broken::default();
        let upcoming = super::schedule::upcoming(
            self.pages.iter().filter_map(|(_, r)| r.as_ref().ok()),
            &opts.now,
        );
        for (rel, r) in self.pages {
            match r {
                Ok(p) if p.meta.draft && !opts.drafts => {}
                // Not published yet, or expired: as if the file were not there.
                Ok(p) if !super::schedule::is_live(&p, &opts.now, opts.future) => {}
                Ok(p) => pages.push(p),
                Err(e) => {
                    if rel.starts_with("products") {
                        broken.products.push(stem_slug(&rel));
                    }
                    errs.extend(e)
                }
            }
        }
        let mut offers = Vec::with_capacity(self.offers.len());
        for (rel, r) in self.offers {
            match r {
                Ok(o) => offers.push(o),
                Err(e) => {
                    broken.offers.push(
                        rel.file_stem()
                            .map(|s| s.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                    );
                    errs.extend(e)
                }
            }
        }
        let mut templates = Vec::with_capacity(self.templates.len());
        for t in self.templates {
            match t {
                Ok(t) => templates.push(t),
                Err(d) => errs.push(d),
            }
        }
        errs.extend(super::templates::check_syntax(&templates));
        let mut data = Vec::with_capacity(self.data.len());
        for (rel, r) in self.data {
            match r {
                Ok(v) => data.push((rel, v)),
                Err(d) => errs.push(d),
            }
        }
        let data = super::data::tree(data).unwrap_or_else(|e| {
            errs.extend(e);
            serde_json::Value::Null
        });
        let mut strings = Vec::with_capacity(self.strings.len());
        for s in self.strings {
            match s {
                Ok(s) => strings.push(s),
                Err(e) => errs.extend(e),
            }
        }

        // Cross-references are checked even when some files failed, so that one
        // build reports everything; references to the files that failed are
        // not reported twice.
        let excluded = config.hosting.exclude_set();
        let mut statics = self.statics;
        statics.retain(|s| !excluded.is_match(&s.to));
        match site::assemble(
            config, pages, offers, templates, statics, &strings, &broken, opts.now,
        ) {
            Ok(mut site) if !errs.has_errors() => {
                site.images = self.images;
                site.upcoming = upcoming;
                site.data = data;
                Ok(site)
            }
            Ok(_) => {
                errs.sort();
                Err(errs)
            }
            Err(more) => {
                errs.extend(more);
                errs.sort();
                Err(errs)
            }
        }
    }
}

/// Replaces, inserts (keeping the order) or, for `None`, removes an entry.
fn upsert<T>(list: &mut Vec<(PathBuf, T)>, rel: PathBuf, value: Option<T>) {
    match (list.binary_search_by(|(r, _)| r.cmp(&rel)), value) {
        (Ok(i), Some(v)) => list[i].1 = v,
        (Ok(i), None) => {
            list.remove(i);
        }
        (Err(i), Some(v)) => list.insert(i, (rel, v)),
        (Err(_), None) => {}
    }
}

/// Reads and parses `offers/*.yaml` (in parallel), by path relative to
/// `offers/`, sorted: what `lander report` needs of a site.
pub fn read_offers(root: &Path) -> Vec<(PathBuf, Result<Offer, Diagnostics>)> {
    discover(root, "offers")
        .into_par_iter()
        .filter(|rel| is_offer_file(rel))
        .map(|rel| {
            let offer = read_offer(root, &rel);
            (rel, offer)
        })
        .collect()
}

/// Reads and parses `data/**` (in parallel), by path relative to `data/`, sorted.
fn read_data(root: &Path) -> Vec<(PathBuf, Result<serde_json::Value, Diagnostic>)> {
    discover(root, "data")
        .into_par_iter()
        .filter(|rel| super::data::is_data_file(rel))
        .map(|rel| {
            let value = super::data::read(root, &rel);
            (rel, value)
        })
        .collect()
}

/// HTML templates, and the social card's SVG (`card.svg`).
fn is_template_file(rel: &Path) -> bool {
    rel.extension().is_some_and(|e| e == "html" || e == "svg")
}

fn is_offer_file(rel: &Path) -> bool {
    rel.components().count() == 1 && rel.extension().is_some_and(|e| e == "yaml" || e == "yml")
}

fn read_template(root: &Path, rel: &Path) -> Result<TemplateSource, Diagnostic> {
    let source = Path::new("templates").join(rel);
    std::fs::read(root.join(&source))
        .map_err(|e| Diagnostic::io(&source, "read the template", &e))
        .and_then(|b| decode_utf8(b, &source))
        .map(|text| TemplateSource {
            name: slash_path(rel),
            source,
            text,
        })
}

/// `static/**` (dotfiles and `.well-known/` included), then the files
/// beside the Markdown (images of a post), which keep their place.
fn statics(root: &Path, content_others: Vec<PathBuf>) -> Vec<StaticFile> {
    let mut statics: Vec<StaticFile> = discover_with(root, "static", is_junk)
        .into_iter()
        .map(|rel| StaticFile {
            from: root.join("static").join(&rel),
            to: slash_path(&rel),
        })
        .collect();
    statics.extend(content_others.into_iter().map(|rel| StaticFile {
        from: root.join("content").join(&rel),
        to: slash_path(&rel),
    }));
    statics
}

fn stem_slug(rel: &Path) -> String {
    slugify(
        &rel.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    )
}

/// Relative paths of the files under `root/dir`, sorted, skipping hidden
/// files and editor leftovers.
fn discover(root: &Path, dir: &str) -> Vec<PathBuf> {
    discover_with(root, dir, is_ignored)
}

/// Relative paths of the files under `root/dir`, sorted, skipping the
/// files and folders whose name `skip` refuses.
fn discover_with(root: &Path, dir: &str, skip: fn(&str) -> bool) -> Vec<PathBuf> {
    let base = root.join(dir);
    WalkDir::new(&base)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !skip(e.file_name().to_string_lossy().as_ref()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.path().strip_prefix(&base).ok().map(Path::to_path_buf))
        .collect()
}

/// Hidden files and the temporary files editors write beside the real ones.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
}

/// What `static/` never copies: version control folders, the files
/// operating systems leave behind, and editor leftovers. Other dotfiles
/// (`.well-known/`, `.nojekyll`) are copied.
pub fn is_junk(name: &str) -> bool {
    matches!(name, ".git" | ".svn" | ".hg" | ".DS_Store" | "Thumbs.db")
        || name.starts_with(".#")
        || (name.starts_with('.') && (name.ends_with(".swp") || name.ends_with(".swx")))
        || (is_ignored(name) && !name.starts_with('.'))
}

fn slash_path(rel: &Path) -> String {
    rel.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn read_page(root: &Path, rel: &Path) -> Result<Page, Diagnostics> {
    let source = Path::new("content").join(rel);
    let bytes = std::fs::read(root.join(&source))
        .map_err(|e| Diagnostic::io(&source, "read the file", &e))?;
    let text = decode_utf8(bytes, &source)?;
    let split = front_matter::split(&text, &source)?;
    let (meta, key_lines) = front_matter::parse(&split, &source)?;

    let dirs: Vec<String> = rel
        .parent()
        .map(|p| {
            p.components()
                .filter_map(|c| match c {
                    Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let full_stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // `post.ar.md`: the language is the last dotted part of the stem.
    let (stem, lang_suffix) = match full_stem.rsplit_once('.') {
        Some((stem, code)) if crate::config::is_language_code(code) && !stem.is_empty() => {
            (stem.to_string(), Some(code.to_string()))
        }
        _ => (full_stem.clone(), None),
    };
    let is_index = stem == "_index";
    let top = dirs.first().map(String::as_str);
    let kind = match (is_index, top) {
        (true, None) => PageKind::Home,
        (true, Some(_)) => PageKind::Section,
        (false, Some("blog")) => PageKind::Post,
        (false, Some("products")) => PageKind::Product,
        _ if meta.layout.as_deref() == Some("landing") => PageKind::Landing,
        _ => PageKind::Page,
    };

    let dir_slugs: Vec<String> = dirs.iter().map(|d| slugify(d)).collect();
    let slug = if is_index {
        dir_slugs.last().cloned().unwrap_or_default()
    } else if let Some(s) = &meta.slug {
        // Written slugs are normalised like file names ("Spring Sale 2024 "
        // -> "spring-sale-2024"), so the folder, canonical, links and
        // sitemap all name the same URL.
        let s = slugify(s.trim());
        if s.is_empty() {
            let line = key_lines.line("slug");
            return Err(
                Diagnostic::error("the slug has no letters or digits to make a URL from")
                    .in_file(&source)
                    .at(line, 1)
                    .with_help("use letters, digits and dashes, e.g. slug: spring-harvest")
                    .into(),
            );
        }
        s
    } else {
        let s = slugify(&stem);
        if s.is_empty() {
            return Err(Diagnostic::error(format!(
                "cannot make a URL slug from the file name `{stem}`"
            ))
            .in_file(&source)
            .at(1, 1)
            .with_help("add `slug: …` to the front matter")
            .into());
        }
        s
    };
    let path = match kind {
        PageKind::Home => "/".to_string(),
        PageKind::Section => format!("/{}/", dir_slugs.join("/")),
        PageKind::Post => format!("/blog/{slug}/"),
        PageKind::Product => format!("/products/{slug}/"),
        PageKind::Page | PageKind::Landing => {
            let mut parts = dir_slugs.clone();
            parts.push(slug.clone());
            format!("/{}/", parts.join("/"))
        }
    };
    let section = match kind {
        PageKind::Post => "blog".to_string(),
        PageKind::Product => "products".to_string(),
        _ => dirs.join("/"),
    };
    let mut group_parts = dirs.clone();
    group_parts.push(stem);
    Ok(Page {
        source,
        kind,
        section,
        slug,
        unprefixed_path: path.clone(),
        path,
        lang: String::new(),
        lang_suffix,
        translation_group: String::new(),
        stem: group_parts.join("/"),
        meta,
        key_lines,
        body: split.body.into(),
        body_line: split.body_line,
    })
}

/// `i18n/*.yaml` of the site, each named after its language.
fn read_strings(root: &Path) -> Vec<Result<SiteStrings, Diagnostics>> {
    discover(root, "i18n")
        .into_iter()
        .filter(|rel| is_offer_file(rel))
        .map(|rel| {
            let source = Path::new("i18n").join(&rel);
            let lang = rel
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let bytes = std::fs::read(root.join(&source))
                .map_err(|e| Diagnostic::io(&source, "read the strings", &e))?;
            let text = decode_utf8(bytes, &source)?;
            SiteStrings::parse(&lang, &text, &source)
        })
        .collect()
}

fn read_offer(root: &Path, rel: &Path) -> Result<Offer, Diagnostics> {
    let source = Path::new("offers").join(rel);
    let bytes = std::fs::read(root.join(&source))
        .map_err(|e| Diagnostic::io(&source, "read the offer", &e))?;
    let text = decode_utf8(bytes, &source)?;
    let id = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Offer::parse(&id, &text, &source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_are_ignored() {
        for name in [
            ".post.md.swp",
            "post.md~",
            "#post.md#",
            ".DS_Store",
            "x.tmp",
        ] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("post.md"));
    }

    #[test]
    fn static_keeps_dotfiles_but_not_junk() {
        for name in [".well-known", ".nojekyll", "security.txt", ".htaccess"] {
            assert!(!is_junk(name), "{name}");
        }
        for name in [
            ".git",
            ".DS_Store",
            ".a.txt.swp",
            "a.txt~",
            "#a#",
            ".#lock",
            "x.tmp",
        ] {
            assert!(is_junk(name), "{name}");
        }
    }
}
