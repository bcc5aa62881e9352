//! Test harness: build a site folder in a temp dir (from files given inline
//! or a copy of a folder of the repo), run the real `lander` binary on it,
//! and read the output back as parsed HTML.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};

/// The repository root (where Cargo.toml is).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub struct TestSite {
    pub dir: tempfile::TempDir,
}

/// What a run of the binary printed and returned.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    #[track_caller]
    pub fn assert_ok(&self) -> &Run {
        assert_eq!(
            self.code,
            Some(0),
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    #[track_caller]
    pub fn assert_fails(&self) -> &Run {
        assert_eq!(
            self.code,
            Some(1),
            "expected exit code 1\nstdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "panic: {}", self.stderr);
        self
    }

    #[track_caller]
    pub fn assert_stdout_has(&self, needle: &str) -> &Run {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}:\n{}",
            self.stdout
        );
        self
    }

    #[track_caller]
    pub fn assert_stderr_has(&self, needle: &str) -> &Run {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }
}

/// Runs `lander ARGS` in `cwd`.
pub fn lander(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_lander"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run lander");
    Run::from(out)
}

impl TestSite {
    /// An empty site folder.
    pub fn empty() -> TestSite {
        TestSite {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A minimal valid site: config and a home page.
    pub fn minimal() -> TestSite {
        TestSite::empty()
            .file(
                "site.yaml",
                "title: Test Shop\nbase_url: https://shop.test\n",
            )
            .file("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n")
    }

    /// A copy of a folder of the repository (e.g. `site-example`).
    pub fn copy_of(rel: &str) -> TestSite {
        let site = TestSite::empty();
        copy_dir(&repo().join(rel), site.path());
        let _ = fs::remove_dir_all(site.path().join("public"));
        if rel == "site-example" {
            copy_dir(site_example_cache(), &site.path().join(".lander"));
        }
        site
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating folders).
    pub fn file(self, rel: &str, text: &str) -> TestSite {
        self.write(rel, text.as_bytes());
        self
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) {
        let p = self.path().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
    }

    pub fn remove(&self, rel: &str) {
        fs::remove_file(self.path().join(rel)).unwrap();
    }

    /// `lander build --root SITE` plus extra args.
    pub fn build(&self, extra: &[&str]) -> Run {
        let root = self.path().to_string_lossy().into_owned();
        let mut args = vec!["build", "--root", root.as_str()];
        args.extend_from_slice(extra);
        lander(self.path(), &args)
    }

    pub fn out(&self) -> PathBuf {
        self.path().join("public")
    }

    pub fn read(&self, rel: &str) -> String {
        let p = self.out().join(rel);
        fs::read_to_string(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
    }

    pub fn html(&self, rel: &str) -> Page {
        Page(Html::parse_document(&self.read(rel)))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.out().join(rel).exists()
    }
}

/// A parsed output page with small query helpers.
pub struct Page(pub Html);

impl Page {
    pub fn all(&self, css: &str) -> Vec<scraper::ElementRef<'_>> {
        let sel = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"));
        self.0.select(&sel).collect()
    }

    /// Text of the only element matching `css`.
    #[track_caller]
    pub fn text(&self, css: &str) -> String {
        let found = self.all(css);
        assert_eq!(found.len(), 1, "expected one {css}, found {}", found.len());
        found[0].text().collect::<String>().trim().to_string()
    }

    /// Attribute of the first element matching `css`.
    #[track_caller]
    pub fn attr(&self, css: &str, name: &str) -> String {
        let found = self.all(css);
        let el = found.first().unwrap_or_else(|| panic!("no element {css}"));
        el.value()
            .attr(name)
            .unwrap_or_else(|| panic!("{css} has no {name}"))
            .to_string()
    }

    pub fn attrs(&self, css: &str, name: &str) -> Vec<String> {
        self.all(css)
            .iter()
            .filter_map(|e| e.value().attr(name).map(str::to_string))
            .collect()
    }
}

/// The caches of site-example (`.lander/images` and `.lander/cards`), filled
/// once and kept between runs: every copy of site-example starts with them,
/// instead of encoding its photos and drawing its 70 cards again in each
/// test. Both caches are keyed by content, so a stale entry is only unused.
///
/// The folder is named by a hash of site-example's files and published with
/// one `rename`: test processes run side by side (cargo nextest starts one
/// per test) and none may read a folder another is still writing.
fn site_example_cache() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let example = repo().join("site-example");
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("site-example-cache-{:016x}", tree_hash(&example)));
        if dir.is_dir() {
            return dir;
        }
        let site = TestSite::empty();
        copy_dir(&example, site.path());
        site.build(&[]).assert_ok();
        let staged = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
        copy_dir(&site.path().join(".lander"), staged.path());
        // Another process may have published it first: then its copy is
        // used and this one removed.
        let staged = staged.keep();
        if fs::rename(&staged, &dir).is_err() {
            let _ = fs::remove_dir_all(&staged);
        }
        dir
    })
}

/// A hash of every file's path and bytes under `root` (caches and outputs
/// left out, as `copy_dir` leaves them).
fn tree_hash(root: &Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let mut files: Vec<PathBuf> = copied(root)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    for f in files {
        f.strip_prefix(root).unwrap().hash(&mut hasher);
        fs::read(&f).unwrap_or_default().hash(&mut hasher);
    }
    hasher.finish()
}

/// What a copy of `root` holds: every entry but build outputs and the
/// caches that a build of the folder in place may be writing meanwhile
/// (not even walked into).
fn copied(root: &Path) -> impl Iterator<Item = walkdir::DirEntry> + '_ {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(move |e| {
            let rel = e.path().strip_prefix(root).unwrap();
            !(rel.starts_with("public") || rel.starts_with("target") || rel.starts_with(".lander"))
        })
        .map(Result::unwrap)
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in copied(from) {
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, to compare an output folder
/// before and after.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}
pub mod browser;
