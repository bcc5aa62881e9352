//! Watching the site folder: notify events, debounced into batches, and
//! sorted by [`triage`] (a pure function) into what each change asks for.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use crate::config::CONFIG_FILE;
use crate::content::load::{is_ignored, is_junk};
use crate::error::Diagnostic;

/// What a changed path is to the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// `content/**.md`: read that file again; render it and the pages that list it.
    Page,
    /// `offers/*.yaml`: read it again; render the pages that show the offer.
    Offer,
    /// `templates/**`: the theme is built again; every page is rendered again.
    Template,
    /// `data/**.{yaml,json,toml,csv}`: every template may read it; every
    /// page is rendered again.
    Data,
    /// `static/**`, or a file beside the Markdown under `content/`.
    Static,
    /// `site.yaml`: everything is rendered again.
    Config,
    /// Something under `content/` that may be a folder (created, moved or
    /// removed with its pages): the whole site is read again.
    Rescan,
}

/// The folders watched (when they exist) besides `site.yaml`.
pub const WATCHED: [&str; 6] = ["content", "offers", "static", "templates", "i18n", "data"];

/// What the change of `rel` (relative to the site root) asks for, or
/// `None` when it is not part of the site: the output folder, hidden
/// files and folders (`.lander/`, `.git/`), editor temporary files.
pub fn triage(rel: &Path, output_dir: &Path) -> Option<ChangeKind> {
    let parts: Vec<&str> = rel
        .components()
        .map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let (&top, rest) = parts.split_first()?;
    // `static/` copies dotfiles (`.well-known/`): only its junk is ignored.
    let skip: fn(&str) -> bool = if top == "static" { is_junk } else { is_ignored };
    if rel.starts_with(output_dir) || parts.iter().any(|p| skip(p)) {
        return None;
    }
    let ext = rest
        .last()
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase());
    match (top, ext.as_deref()) {
        (CONFIG_FILE, _) if rest.is_empty() => Some(ChangeKind::Config),
        ("content", Some("md")) => Some(ChangeKind::Page),
        ("content", None) if !rest.is_empty() => Some(ChangeKind::Rescan),
        ("content", Some(_)) => Some(ChangeKind::Static),
        ("offers", Some("yaml" | "yml")) if rest.len() == 1 => Some(ChangeKind::Offer),
        ("templates", _) if !rest.is_empty() => Some(ChangeKind::Template),
        // Theme strings: every page may use them, as with a template.
        ("i18n", Some("yaml" | "yml")) if rest.len() == 1 => Some(ChangeKind::Template),
        ("static", _) if !rest.is_empty() => Some(ChangeKind::Static),
        ("data", Some(e)) if crate::content::data::EXTENSIONS.contains(&e) => {
            Some(ChangeKind::Data)
        }
        _ => None,
    }
}

/// A debounced batch of changes, each path once, in the order first seen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Batch {
    pub changes: Vec<(PathBuf, ChangeKind)>,
}

impl Batch {
    pub fn add(&mut self, rel: PathBuf, kind: ChangeKind) {
        if !self.changes.iter().any(|(p, _)| *p == rel) {
            self.changes.push((rel, kind));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    pub fn has(&self, kind: ChangeKind) -> bool {
        self.changes.iter().any(|(_, k)| *k == kind)
    }

    /// Only stylesheets changed: browsers can swap them without a reload.
    pub fn css_only(&self) -> bool {
        !self.changes.is_empty()
            && self
                .changes
                .iter()
                .all(|(p, k)| *k == ChangeKind::Static && p.extension().is_some_and(|e| e == "css"))
    }
}

/// How long the folder must stay quiet before a batch is handed over, and
/// the longest a batch waits (a big copy keeps the folder busy).
#[derive(Debug, Clone, Copy)]
pub struct Debounce {
    pub quiet: Duration,
    pub max: Duration,
}

impl Default for Debounce {
    fn default() -> Self {
        // Editors that save through a temporary file and a rename produce
        // their events within a millisecond or two; every millisecond of
        // quiet waited for is a millisecond before the page shows the edit.
        Debounce {
            quiet: Duration::from_millis(10),
            max: Duration::from_millis(400),
        }
    }
}

/// The watcher and its events, relative to the site root.
pub struct SiteWatcher {
    // Kept alive: dropping it stops the events.
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    root: PathBuf,
    output_dir: PathBuf,
    debounce: Debounce,
    /// Folders under `content/`: a path without an extension there is a
    /// folder (read the site again) or a temporary file (not worth it).
    content_dirs: HashSet<PathBuf>,
}

impl SiteWatcher {
    /// Watches `root/site.yaml` and the site's folders that exist.
    pub fn start(
        root: &Path,
        output_dir: &Path,
        debounce: Debounce,
    ) -> Result<SiteWatcher, Diagnostic> {
        let (tx, rx) = channel();
        let mut watcher = notify::recommended_watcher(move |e| {
            let _ = tx.send(e);
        })
        .map_err(|e| Diagnostic::error(format!("could not watch the site folder: {e}")))?;
        // Canonical, so that event paths (absolute) strip to relative ones.
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        // The root itself, not recursively: catches site.yaml (also when an
        // editor replaces it) and folders created after the start.
        watcher
            .watch(&root, RecursiveMode::NonRecursive)
            .map_err(|e| Diagnostic::error(format!("could not watch {}: {e}", root.display())))?;
        for dir in WATCHED {
            let path = root.join(dir);
            if path.is_dir() {
                watcher
                    .watch(&path, RecursiveMode::Recursive)
                    .map_err(|e| {
                        Diagnostic::error(format!("could not watch {}: {e}", path.display()))
                    })?;
            }
        }
        let content_dirs = walkdir::WalkDir::new(root.join("content"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_dir())
            .filter_map(|e| e.path().strip_prefix(&root).ok().map(Path::to_path_buf))
            .collect();
        Ok(SiteWatcher {
            content_dirs,
            watcher,
            events: rx,
            root,
            output_dir: output_dir.to_path_buf(),
            debounce,
        })
    }

    /// Blocks until some change of the site happened, then until the folder
    /// is quiet, and returns the batch. `None` when the watcher stopped.
    pub fn next_batch(&mut self) -> Option<Batch> {
        let mut batch = Batch::default();
        loop {
            let event = self.events.recv().ok()?;
            self.add(&mut batch, event);
            if batch.is_empty() {
                continue;
            }
            let start = Instant::now();
            loop {
                let left = self.debounce.max.saturating_sub(start.elapsed());
                if left.is_zero() {
                    return Some(batch);
                }
                match self.events.recv_timeout(self.debounce.quiet.min(left)) {
                    Ok(event) => self.add(&mut batch, event),
                    Err(RecvTimeoutError::Timeout) => return Some(batch),
                    Err(RecvTimeoutError::Disconnected) => return Some(batch),
                }
            }
        }
    }

    fn add(&mut self, batch: &mut Batch, event: notify::Result<notify::Event>) {
        let Ok(event) = event else { return };
        if event.kind.is_access() {
            return;
        }
        for path in event.paths {
            let Ok(rel) = path.strip_prefix(&self.root) else {
                continue;
            };
            if let Some(mut kind) = triage(rel, &self.output_dir) {
                if kind == ChangeKind::Rescan {
                    if path.is_dir() {
                        self.content_dirs.insert(rel.to_path_buf());
                    } else if !self.content_dirs.contains(rel) {
                        // sed's and vim's temporary files have no extension.
                        kind = ChangeKind::Static;
                    }
                }
                // A site folder created after the start: watch it too.
                if rel.components().count() == 1 && path.is_dir() {
                    let _ = self.watcher.watch(&path, RecursiveMode::Recursive);
                }
                batch.add(rel.to_path_buf(), kind);
            } else if rel.components().count() == 1 && WATCHED.iter().any(|d| rel == Path::new(d)) {
                if path.is_dir() {
                    let _ = self.watcher.watch(&path, RecursiveMode::Recursive);
                }
                batch.add(rel.to_path_buf(), ChangeKind::Rescan);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(path: &str) -> Option<ChangeKind> {
        triage(Path::new(path), Path::new("public"))
    }

    #[test]
    fn pages_offers_templates_statics_and_config() {
        assert_eq!(kind("content/blog/a.md"), Some(ChangeKind::Page));
        assert_eq!(kind("content/_index.md"), Some(ChangeKind::Page));
        assert_eq!(kind("offers/spring.yaml"), Some(ChangeKind::Offer));
        assert_eq!(kind("offers/spring.yml"), Some(ChangeKind::Offer));
        assert_eq!(kind("templates/post.html"), Some(ChangeKind::Template));
        assert_eq!(kind("i18n/ar.yaml"), Some(ChangeKind::Template));
        assert_eq!(
            kind("templates/partials/card.html"),
            Some(ChangeKind::Template)
        );
        assert_eq!(kind("static/style.css"), Some(ChangeKind::Static));
        assert_eq!(kind("data/team.yaml"), Some(ChangeKind::Data));
        assert_eq!(kind("data/prices/oils.csv"), Some(ChangeKind::Data));
        assert_eq!(kind("data/notes.txt"), None);
        assert_eq!(kind("static/images/a.png"), Some(ChangeKind::Static));
        assert_eq!(kind("content/blog/photo.jpg"), Some(ChangeKind::Static));
        assert_eq!(kind("site.yaml"), Some(ChangeKind::Config));
    }

    #[test]
    fn folders_under_content_rescan() {
        assert_eq!(kind("content/blog"), Some(ChangeKind::Rescan));
        assert_eq!(kind("content/guides/2025"), Some(ChangeKind::Rescan));
    }

    #[test]
    fn editor_temp_files_are_ignored() {
        for p in [
            "content/blog/.a.md.swp",
            "content/blog/a.md~",
            "content/blog/#a.md#",
            "content/blog/a.md.tmp",
            "content/.DS_Store",
            "offers/.spring.yaml.swx",
            "site.yaml~",
            "content/.hidden/a.md",
        ] {
            assert_eq!(kind(p), None, "{p}");
        }
    }

    #[test]
    fn output_and_other_folders_are_ignored() {
        assert_eq!(kind("public/index.html"), None);
        assert_eq!(kind("public"), None);
        assert_eq!(kind(".lander/submissions.jsonl"), None);
        assert_eq!(kind(".git/index"), None);
        assert_eq!(kind("README.md"), None);
        assert_eq!(kind("offers/old/spring.yaml"), None);
        assert_eq!(kind("offers/notes.txt"), None);
        assert_eq!(kind("other.yaml"), None);
        assert_eq!(
            triage(Path::new("dist/index.html"), Path::new("dist")),
            None
        );
    }

    #[test]
    fn batches_keep_each_path_once() {
        let mut b = Batch::default();
        b.add("content/a.md".into(), ChangeKind::Page);
        b.add("content/a.md".into(), ChangeKind::Page);
        b.add("static/site.css".into(), ChangeKind::Static);
        assert_eq!(b.changes.len(), 2);
        assert!(b.has(ChangeKind::Page));
        assert!(!b.css_only());
        let mut css = Batch::default();
        css.add("static/site.css".into(), ChangeKind::Static);
        assert!(css.css_only());
        assert!(!Batch::default().css_only());
    }
}
