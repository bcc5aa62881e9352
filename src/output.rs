//! The only writer of the output folder: minifies HTML, writes everything to
//! a temporary folder beside the output, and swaps it in only when every
//! file is written. A failed build leaves the previous output untouched.

use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::content::load::StaticFile;
use crate::error::{Diagnostic, Diagnostics};
use crate::render::OutputFile;

/// What was written, for the summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteReport {
    pub pages: usize,
    pub files: usize,
}

/// minify-html with spec-compliant settings only: attribute quotes and the
/// spaces between attributes stay valid HTML (hugo#6621 broke Netlify forms
/// by going further).
fn minify_cfg() -> minify_html::Cfg {
    minify_html::Cfg {
        keep_html_and_head_opening_tags: true,
        minify_css: true,
        minify_js: true,
        ..minify_html::Cfg::default()
    }
}

/// Minifies the HTML files in parallel.
pub fn minify(files: &mut [OutputFile]) {
    let cfg = minify_cfg();
    files.par_iter_mut().filter(|f| f.is_html()).for_each(|f| {
        f.bytes = minify_html::minify(&f.bytes, &cfg);
    });
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

/// Writes `files` and `statics` into `out` atomically.
pub fn write_site(
    out: &Path,
    files: &[OutputFile],
    statics: &[StaticFile],
) -> Result<WriteReport, Diagnostics> {
    let mut errs = Diagnostics::default();
    let mut taken: HashSet<&str> = HashSet::new();
    for f in files {
        if !is_safe_relative(&f.path) {
            errs.push(Diagnostic::error(format!(
                "refusing to write outside the output folder: {}",
                f.path
            )));
        }
        taken.insert(f.path.as_str());
    }
    for s in statics {
        if !is_safe_relative(&s.to) {
            errs.push(
                Diagnostic::error(format!(
                    "refusing to copy outside the output folder: {}",
                    s.to
                ))
                .in_file(&s.from),
            );
        } else if taken.contains(s.to.as_str()) {
            errs.push(
                Diagnostic::error(format!(
                    "this file would overwrite the generated page /{}",
                    s.to
                ))
                .in_file(&s.from)
                .with_help("rename or remove the static file"),
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
    fs::create_dir_all(&parent).map_err(|e| Diagnostic::io(&parent, "create the folder", &e))?;
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.lander-tmp-{pid}"));
    let old = parent.join(format!(".{name}.lander-old-{pid}"));
    let _ = fs::remove_dir_all(&tmp);

    let result = write_all(&tmp, files, statics);
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }

    // Swap: old out aside, new in place, old removed. Two renames on the same
    // file system; a reader sees either the old or the new folder.
    let had_old = out.exists();
    if had_old {
        if let Err(e) = fs::rename(out, &old) {
            let _ = fs::remove_dir_all(&tmp);
            return Err(Diagnostic::io(out, "move the previous output aside", &e).into());
        }
    }
    if let Err(e) = fs::rename(&tmp, out) {
        if had_old {
            let _ = fs::rename(&old, out);
        }
        let _ = fs::remove_dir_all(&tmp);
        return Err(Diagnostic::io(out, "put the new output in place", &e).into());
    }
    if had_old {
        let _ = fs::remove_dir_all(&old);
    }
    Ok(WriteReport {
        pages: files.iter().filter(|f| f.is_html()).count(),
        files: files.len() + statics.len(),
    })
}

fn write_all(tmp: &Path, files: &[OutputFile], statics: &[StaticFile]) -> Result<(), Diagnostics> {
    fs::create_dir_all(tmp)
        .map_err(|e| Diagnostic::io(tmp, "create the temporary output folder", &e))?;
    let written: Vec<Result<(), Diagnostic>> = files
        .par_iter()
        .map(|f| {
            let dest = tmp.join(&f.path);
            if let Some(dir) = dest.parent() {
                fs::create_dir_all(dir)
                    .map_err(|e| Diagnostic::io(dir, "create the folder", &e))?;
            }
            fs::write(&dest, &f.bytes).map_err(|e| Diagnostic::io(&dest, "write the file", &e))
        })
        .chain(statics.par_iter().map(|s| {
            let dest = tmp.join(&s.to);
            if let Some(dir) = dest.parent() {
                fs::create_dir_all(dir)
                    .map_err(|e| Diagnostic::io(dir, "create the folder", &e))?;
            }
            fs::copy(&s.from, &dest)
                .map(|_| ())
                .map_err(|e| Diagnostic::io(&s.from, "copy the static file", &e))
        }))
        .collect();
    let errs = Diagnostics(written.into_iter().filter_map(Result::err).collect());
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs)
    }
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
    fn minified_html_keeps_attribute_quotes_where_needed() {
        let mut files = vec![file(
            "index.html",
            "<!doctype html><html lang=\"en\"><head><title>T</title></head><body><form name=\"contact\" data-netlify=\"true\" netlify-honeypot=\"bot-field\" method=\"post\"><input name=\"email\" type=\"email\"></form></body></html>",
        )];
        minify(&mut files);
        let html = String::from_utf8(files[0].bytes.clone()).unwrap();
        assert!(html.contains("data-netlify"), "{html}");
        assert!(
            html.contains("netlify-honeypot=bot-field")
                || html.contains("netlify-honeypot=\"bot-field\"")
        );
    }

    #[test]
    fn output_inside_the_site_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(check_output_dir(dir.path(), dir.path()).is_err());
        assert!(check_output_dir(dir.path(), &dir.path().join("content/out")).is_err());
        assert!(check_output_dir(dir.path(), &dir.path().join("public")).is_ok());
    }
}
