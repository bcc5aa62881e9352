//! The only writer of the output folder: writes everything to a temporary
//! folder beside the output as it is rendered, and swaps it in only when
//! every file is written. A failed build leaves the previous output
//! untouched. Pages are written as rendered: there is no minifying pass
//! (the templates are made compact once, see [`crate::compact`]), so
//! nothing after the escaping can undo it.

use std::collections::HashMap;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tempfile::TempDir;

use crate::content::files::StaticFile;
use crate::error::{Diagnostic, Diagnostics};
use crate::render::OutputFile;

/// What was written, for the summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteReport {
    pub pages: usize,
    pub files: usize,
}

/// Refuses output folders that would destroy the site itself.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Resolve what exists; keep the rest as written.
        p.canonicalize().unwrap_or_else(|_| normalize(&p))
    };
    let (root_abs, out_abs) = (abs(root), abs(out));
    if root_abs.starts_with(&out_abs) {
        return Err(Diagnostic::error(format!(
            "the output folder {} contains the site itself; building would delete it",
            out.display()
        ))
        .with_help("choose another folder with --output, e.g. --output public"));
    }
    for dir in ["content", "offers", "static", "templates"] {
        if out_abs.starts_with(root_abs.join(dir)) {
            return Err(Diagnostic::error(format!(
                "the output folder {} is inside the site's {dir}/ folder",
                out.display()
            ))
            .with_help("choose another folder with --output, e.g. --output public"));
        }
    }
    Ok(())
}

fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes the files of one build into a temporary folder beside the output,
/// from any thread and as soon as each is rendered, then swaps the folder in
/// ([`Writer::finish`]). Dropped unfinished (a failed build), the temporary
/// folder goes with it ([`TempDir`]) and the previous output stays.
pub struct Writer<'a> {
    out: PathBuf,
    tmp: TempDir,
    statics: &'a [StaticFile],
    /// Paths the static files take: a generated file may not overwrite one.
    static_paths: HashMap<&'a str, &'a Path>,
    pages: AtomicUsize,
    files: AtomicUsize,
    write_nanos: AtomicU64,
}

impl<'a> Writer<'a> {
    /// Checks the static files' paths and creates the temporary folder.
    pub fn begin(out: &Path, statics: &'a [StaticFile]) -> Result<Writer<'a>, Diagnostics> {
        let mut errs = Diagnostics::default();
        for s in statics {
            if !is_safe_relative(&s.to) {
                errs.push(
                    Diagnostic::error(format!(
                        "refusing to copy outside the output folder: {}",
                        s.to
                    ))
                    .in_file(&s.from),
                );
            }
        }
        if errs.has_errors() {
            return Err(errs);
        }
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)
            .map_err(|e| Diagnostic::io(&parent, "create the folder", &e))?;
        // Beside the output, so that swapping it in is a rename.
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}.lander-tmp-"))
            .tempdir_in(&parent)
            .map_err(|e| Diagnostic::io(&parent, "create the temporary output folder", &e))?;
        Ok(Writer {
            out: out.to_path_buf(),
            tmp,
            statics,
            static_paths: statics
                .iter()
                .map(|s| (s.to.as_str(), s.from.as_path()))
                .collect(),
            pages: AtomicUsize::new(0),
            files: AtomicUsize::new(0),
            write_nanos: AtomicU64::new(0),
        })
    }

    /// Writes one file; callable from any thread.
    pub fn accept(&self, file: OutputFile) -> Result<(), Diagnostic> {
        self.write(&file)
    }

    fn write(&self, file: &OutputFile) -> Result<(), Diagnostic> {
        if !is_safe_relative(&file.path) {
            return Err(Diagnostic::error(format!(
                "refusing to write outside the output folder: {}",
                file.path
            )));
        }
        if let Some(from) = self.static_paths.get(file.path.as_str()) {
            return Err(Diagnostic::error(format!(
                "this file would overwrite the generated page /{}",
                file.path
            ))
            .in_file(from)
            .with_help("rename or remove the static file"));
        }
        let start = Instant::now();
        let dest = self.tmp.path().join(&file.path);
        create_parent(&dest)?;
        fs::write(&dest, &file.bytes).map_err(|e| Diagnostic::io(&dest, "write the file", &e))?;
        add_nanos(&self.write_nanos, start);
        self.files.fetch_add(1, Ordering::Relaxed);
        if file.is_html() {
            self.pages.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Time spent writing, summed over threads.
    pub fn thread_times(&self) -> [(&'static str, Duration); 1] {
        [(
            "write",
            Duration::from_nanos(self.write_nanos.load(Ordering::Relaxed)),
        )]
    }

    /// Copies the static files and swaps the new folder in: two renames on
    /// the same file system, so a reader sees either the old or the new one.
    pub fn finish(self) -> Result<WriteReport, Diagnostics> {
        let copied: Vec<Result<(), Diagnostic>> = self
            .statics
            .par_iter()
            .map(|s| {
                let dest = self.tmp.path().join(&s.to);
                create_parent(&dest)?;
                // Encoded images are never changed in the cache (a new
                // source gets a new file): a link saves copying them.
                if crate::images::is_cached(&s.from) && fs::hard_link(&s.from, &dest).is_ok() {
                    return Ok(());
                }
                fs::copy(&s.from, &dest)
                    .map(|_| ())
                    .map_err(|e| Diagnostic::io(&s.from, "copy the static file", &e))
            })
            .collect();
        let errs = Diagnostics(copied.into_iter().filter_map(Result::err).collect());
        if !errs.is_empty() {
            return Err(errs);
        }
        let out = &self.out;
        // The previous output is moved into a temporary folder of its own,
        // removed when it drops, once the new output is in place.
        let mut old = None;
        if out.exists() {
            let parent = self.tmp.path().parent().unwrap_or(Path::new("."));
            let aside = tempfile::Builder::new()
                .prefix(".lander-old-")
                .tempdir_in(parent)
                .map_err(|e| {
                    Diagnostic::io(parent, "create a folder for the previous output", &e)
                })?;
            let to = aside.path().join("output");
            fs::rename(out, &to)
                .map_err(|e| Diagnostic::io(out, "move the previous output aside", &e))?;
            old = Some((aside, to));
        }
        // Kept: once renamed, the folder is the output and must not be removed.
        let tmp = self.tmp.keep();
        if let Err(e) = fs::rename(&tmp, out) {
            let _ = fs::remove_dir_all(&tmp);
            if let Some((_, to)) = &old {
                let _ = fs::rename(to, out);
            }
            return Err(Diagnostic::io(out, "put the new output in place", &e).into());
        }
        drop(old);
        Ok(WriteReport {
            pages: self.pages.load(Ordering::Relaxed),
            files: self.files.load(Ordering::Relaxed) + self.statics.len(),
        })
    }
}

/// Creates the folders that `dest` goes in.
fn create_parent(dest: &Path) -> Result<(), Diagnostic> {
    match dest.parent() {
        Some(dir) => {
            fs::create_dir_all(dir).map_err(|e| Diagnostic::io(dir, "create the folder", &e))
        }
        None => Ok(()),
    }
}

fn add_nanos(total: &AtomicU64, since: Instant) {
    total.fetch_add(since.elapsed().as_nanos() as u64, Ordering::Relaxed);
}

/// A relative path made only of normal segments: nothing can climb out.
fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `files` and `statics` into `out` atomically.
    fn write_site(
        out: &Path,
        files: &[OutputFile],
        statics: &[StaticFile],
    ) -> Result<WriteReport, Diagnostics> {
        let writer = Writer::begin(out, statics)?;
        let written: Vec<Result<(), Diagnostic>> =
            files.par_iter().map(|f| writer.write(f)).collect();
        let errs = Diagnostics(written.into_iter().filter_map(Result::err).collect());
        if !errs.is_empty() {
            return Err(errs);
        }
        writer.finish()
    }

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
            source: None,
        }
    }

    #[test]
    fn writes_then_replaces_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            &[file("index.html", "one"), file("blog/a/index.html", "a")],
            &[],
        )
        .unwrap();
        assert_eq!(
            fs::read_to_string(out.join("blog/a/index.html")).unwrap(),
            "a"
        );
        write_site(&out, &[file("index.html", "two")], &[]).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
        assert!(!out.join("blog").exists(), "stale files are gone");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary folders left behind");
    }

    #[test]
    fn failed_write_keeps_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("index.html", "good")], &[]).unwrap();
        let missing = StaticFile {
            from: dir.path().join("nope.css"),
            to: "nope.css".into(),
        };
        assert!(write_site(&out, &[file("index.html", "bad")], &[missing]).is_err());
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "good");
    }

    #[test]
    fn escaping_paths_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        assert!(write_site(&out, &[file("../evil.html", "x")], &[]).is_err());
        assert!(!dir.path().join("evil.html").exists());
    }

    #[test]
    fn output_inside_the_site_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(check_output_dir(dir.path(), dir.path()).is_err());
        assert!(check_output_dir(dir.path(), &dir.path().join("content/out")).is_err());
        assert!(check_output_dir(dir.path(), &dir.path().join("public")).is_ok());
    }
}
