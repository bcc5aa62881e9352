//! What every rule reads: the site model, the facts of each rendered page,
//! the set of output files, and how to point a finding at the source file
//! (and line) a page came from.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use url::Url;

use super::facts::{self, Doc};
use super::{CheckInput, Finding, Found};
use crate::base::key_lines::KeyLines;
use crate::config::CONFIG_FILE;
use crate::content::{Page, PageKind, Site};
use crate::render::urls::Urls;

/// Where a rendered page came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The page of `site.pages[i]` (sections included).
    Page(usize),
    /// Page 2, 3… of a list whose `_index.md` is `site.pages[i]`.
    List(usize),
    /// The landing page of `site.offers[o]`.
    Offer(usize),
    /// The thank-you page of `site.offers[o]`.
    Thanks(usize),
    /// Made by lander alone: tags, lists without `_index.md`, 404.
    Generated,
}

/// A place to report: a file, maybe a line, and the Markdown page whose
/// `check.disable` applies.
#[derive(Debug, Clone, PartialEq)]
pub struct Loc {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub page: Option<usize>,
}

impl Loc {
    pub fn file(file: impl Into<PathBuf>) -> Loc {
        Loc {
            file: file.into(),
            line: None,
            column: None,
            page: None,
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Loc {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// `finding`, placed here.
    pub fn put(&self, mut finding: Finding) -> Found {
        finding.file = Some(self.file.clone());
        finding.line = self.line;
        finding.column = self.column;
        Found {
            finding,
            page: self.page,
        }
    }
}

pub struct Ctx<'a> {
    pub site: &'a Site,
    pub root: &'a Path,
    /// Every rendered HTML page, with the origin of each.
    pub docs: Vec<(Doc, Origin)>,
    /// Output paths of every file: rendered, assets and static files.
    pub outputs: HashSet<String>,
    doc_by_path: HashMap<String, usize>,
    page_by_source: HashMap<&'a Path, usize>,
    /// `base_url` with a trailing slash: what internal URLs start with.
    pub base: Url,
    pub urls: Urls<'a>,
}

impl<'a> Ctx<'a> {
    pub fn new(input: &CheckInput<'a>) -> Ctx<'a> {
        let site = input.site;
        let page_by_source: HashMap<&Path, usize> = site
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.source.as_path(), i))
            .collect();
        let offer_by_source: HashMap<&Path, usize> = site
            .offers
            .iter()
            .enumerate()
            .map(|(i, o)| (o.source.as_path(), i))
            .collect();
        let origin = |path: &str, source: Option<&Path>| -> Origin {
            let Some(source) = source else {
                return Origin::Generated;
            };
            if let Some(&i) = page_by_source.get(source) {
                if site.pages[i].output_file() == path {
                    return Origin::Page(i);
                }
                return Origin::List(i);
            }
            if let Some(&o) = offer_by_source.get(source) {
                let thanks = site.offers[o].thanks_path();
                if path == format!("{}index.html", thanks.trim_start_matches('/')) {
                    return Origin::Thanks(o);
                }
                return Origin::Offer(o);
            }
            Origin::Generated
        };
        // Redirect pages are not pages of the site: `redirects` checks
        // where they lead, no other rule reads them.
        let redirect_pages: HashSet<String> = site
            .redirects
            .iter()
            .filter_map(|r| r.page_file())
            .collect();
        let docs: Vec<(Doc, Origin)> = input
            .files
            .par_iter()
            .filter(|f| f.is_html() && !redirect_pages.contains(&f.path))
            .map(|f| {
                let html = String::from_utf8_lossy(&f.bytes);
                (
                    facts::extract(&f.path, &html),
                    origin(&f.path, f.source.as_deref()),
                )
            })
            .collect();
        let doc_by_path = docs
            .iter()
            .enumerate()
            .map(|(i, (d, _))| (d.path.clone(), i))
            .collect();
        let mut outputs: HashSet<String> = input.files.iter().map(|f| f.path.clone()).collect();
        outputs.extend(site.statics.iter().map(|s| s.to.clone()));
        outputs.extend(input.cards.iter().map(|c| c.file.clone()));
        let base = Url::parse(&format!("{}/", site.config.base_url.trim_end_matches('/')))
            .unwrap_or_else(|_| Url::parse("http://localhost/").expect("valid URL"));
        Ctx {
            site,
            root: input.root,
            docs,
            outputs,
            doc_by_path,
            page_by_source,
            base,
            urls: Urls {
                base_url: &site.config.base_url,
                base_path: site.config.base_path(),
            },
        }
    }

    pub fn doc(&self, path: &str) -> Option<&Doc> {
        self.doc_by_path.get(path).map(|&i| &self.docs[i].0)
    }

    pub fn page_by_source(&self, source: &Path) -> Option<usize> {
        self.page_by_source.get(source).copied()
    }

    /// The Markdown page a rendered page came from, if any.
    pub fn page_of(&self, origin: Origin) -> Option<&'a Page> {
        match origin {
            Origin::Page(i) | Origin::List(i) => Some(&self.site.pages[i]),
            _ => None,
        }
    }

    /// The file to name for a rendered page.
    pub fn loc(&self, doc: &Doc, origin: Origin) -> Loc {
        match origin {
            Origin::Page(i) | Origin::List(i) => Loc {
                page: Some(i),
                ..Loc::file(self.page_file(i))
            },
            Origin::Offer(o) | Origin::Thanks(o) => Loc::file(&self.site.offers[o].source),
            Origin::Generated => Loc::file(self.output_file(&doc.path)),
        }
    }

    /// The file and line of a front matter key (or offer key) of the page's
    /// source; just the file when the key is not written.
    pub fn key_loc(&self, doc: &Doc, origin: Origin, key: &str) -> Loc {
        let loc = self.loc(doc, origin);
        let lines = match origin {
            Origin::Page(i) | Origin::List(i) if !is_synthetic(&self.site.pages[i]) => {
                &self.site.pages[i].key_lines
            }
            Origin::Offer(o) | Origin::Thanks(o) => &self.site.offers[o].key_lines,
            _ => return loc,
        };
        key_line(lines, key).map_or(loc.clone(), |l| loc.at(l, 1))
    }

    /// The Markdown file of a page, or site.yaml for the home page lander
    /// makes when there is no `content/_index.md`.
    pub fn page_file(&self, i: usize) -> PathBuf {
        let p = &self.site.pages[i];
        if is_synthetic(p) {
            PathBuf::from(CONFIG_FILE)
        } else {
            p.source.clone()
        }
    }

    /// `public/tags/index.html`: an output file named as a user sees it.
    pub fn output_file(&self, path: &str) -> PathBuf {
        self.site.config.output_dir.join(path)
    }

    /// The offer file, at `key` when it is written.
    pub fn offer_loc(&self, id: &str, key: &str) -> Option<Loc> {
        let o = self.site.offer(id)?;
        let loc = Loc::file(&o.source);
        Some(key_line(&o.key_lines, key).map_or(loc.clone(), |l| loc.at(l, 1)))
    }
}

fn key_line(lines: &KeyLines, key: &str) -> Option<usize> {
    lines.has(key).then(|| lines.line(key))
}

/// The home page lander makes itself when there is no `content/_index.md`.
pub fn is_synthetic(p: &Page) -> bool {
    p.kind == PageKind::Home && p.key_lines == KeyLines::default()
}

/// Line and column in the page's file of the first place its Markdown body
/// holds one of `needles` (tried in order); `None` when none is there.
pub fn find_in_body(page: &Page, needles: &[&str]) -> Option<(usize, usize)> {
    needles
        .iter()
        .filter(|n| !n.is_empty())
        .find_map(|n| page.body.find(n))
        .map(|offset| page.body_line_col(offset))
}
