//! Redirects of the site: every page's `aliases:` (its old URLs) and the
//! `redirects:` of site.yaml, checked together when the site is assembled.
//! An alias or redirect that takes the URL of something the site has, two
//! redirects from one URL, and redirects that lead back to where they
//! started are errors located in the file and line that wrote them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::files::StaticFile;
use super::offer::Offer;
use super::page::Page;
use crate::config::{Config, Language, CONFIG_FILE};
use crate::error::{Diagnostic, Diagnostics};

/// One redirect, from an alias or from site.yaml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// A site path (no base path): `/old/`, `/old.html`, or `/old/*`.
    pub from: String,
    /// A site path or an absolute URL; `:splat` takes what `*` matched.
    pub to: String,
    pub status: u16,
    /// Where it is written: `content/blog/x.md` or `site.yaml`.
    pub source: PathBuf,
    pub line: usize,
    /// The language of the page it leads to (the default for site.yaml).
    pub lang: String,
}

impl Redirect {
    pub fn is_splat(&self) -> bool {
        self.from.ends_with('*')
    }

    pub fn is_external(&self) -> bool {
        self.to.starts_with("http://") || self.to.starts_with("https://")
    }

    /// The output file of its redirect page (`old/index.html`); none for splats.
    pub fn page_file(&self) -> Option<String> {
        if self.is_splat() {
            return None;
        }
        let rel = self.from.trim_start_matches('/');
        Some(if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        })
    }

    /// Where a request for `path` goes, when this redirect applies to it.
    fn apply(&self, path: &str) -> Option<String> {
        if let Some(prefix) = self.from.strip_suffix('*') {
            let rest = path.strip_prefix(prefix)?;
            return Some(self.to.replace(":splat", rest));
        }
        (same_path(&self.from, path)).then(|| self.to.clone())
    }
}

/// `/old/` and `/old` are one URL to the hosts (they add the slash).
fn same_path(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}

/// `/old` → `/old/`: a path without a file extension is a folder.
pub fn normalize(path: &str) -> String {
    let last = path.rsplit('/').next().unwrap_or_default();
    if path.ends_with('/') || path.ends_with('*') || last.contains('.') {
        path.to_string()
    } else {
        format!("{path}/")
    }
}

/// The redirects of the site, aliases first (in page order), then those
/// of site.yaml in their order: the order of `_redirects`.
pub fn collect(
    config: &Config,
    languages: &[Language],
    pages: &[Page],
    offers: &[Offer],
    statics: &[StaticFile],
) -> Result<Vec<Redirect>, Diagnostics> {
    let mut redirects = Vec::new();
    for p in pages {
        for (n, alias) in p.meta.aliases.iter().enumerate() {
            redirects.push(Redirect {
                from: normalize(alias),
                to: p.path.clone(),
                status: 301,
                source: p.source.clone(),
                line: p.key_lines.item_line("aliases", n),
                lang: p.lang.clone(),
            });
        }
    }
    for r in &config.redirects {
        redirects.push(Redirect {
            from: normalize(&r.from),
            to: r.to.clone(),
            status: r.status,
            source: PathBuf::from(CONFIG_FILE),
            line: r.line,
            lang: config.language.clone(),
        });
    }
    let mut errs = Diagnostics::default();
    // The list page of each taxonomy in each language.
    let lists: Vec<String> = super::taxonomies::resolve(config)
        .iter()
        .flat_map(|t| languages.iter().map(|l| t.path_in(l)))
        .collect();
    let sources = Sources {
        languages,
        pages,
        offers,
        statics,
        lists: &lists,
    };
    check_collisions(&redirects, &sources, &mut errs);
    check_loops(&redirects, &mut errs);
    if errs.has_errors() {
        errs.sort();
        Err(errs)
    } else {
        Ok(redirects)
    }
}

fn at(r: &Redirect, d: Diagnostic) -> Diagnostic {
    d.in_file(&r.source).at(r.line, 1)
}

fn what(r: &Redirect) -> &'static str {
    if r.source == Path::new(CONFIG_FILE) {
        "the redirect from"
    } else {
        "the alias"
    }
}

/// What the site is made of, for the collision checks.
struct Sources<'a> {
    languages: &'a [Language],
    pages: &'a [Page],
    offers: &'a [Offer],
    statics: &'a [StaticFile],
    /// The list pages of the taxonomies, in every language (`/tags/`).
    lists: &'a [String],
}

/// Every URL the site has, and what has it.
fn taken(src: &Sources) -> HashMap<String, String> {
    let Sources {
        languages,
        pages,
        offers,
        statics,
        lists,
    } = *src;
    let mut taken = HashMap::new();
    for p in pages {
        taken.insert(p.path.clone(), format!("the page {}", p.source.display()));
    }
    for o in offers {
        for lang in languages {
            let by = format!("the offer {}", o.source.display());
            taken.insert(o.path_in(lang), by.clone());
            taken.insert(o.thanks_path_in(lang), by);
        }
    }
    for s in statics {
        let path = match s.to.strip_suffix("index.html") {
            Some(dir) => format!("/{dir}"),
            None => format!("/{}", s.to),
        };
        taken.insert(path, format!("the file {}", s.from.display()));
    }
    for lang in languages {
        for list in ["/blog/", "/products/", "/atom.xml"] {
            taken.insert(lang.path(list), "a page lander writes".into());
        }
    }
    for list in lists {
        taken.insert(list.clone(), "a page lander writes".into());
    }
    for file in ["/404.html", "/sitemap.xml", "/robots.txt"] {
        taken.insert(file.into(), "a file lander writes".into());
    }
    taken
}

fn check_collisions(redirects: &[Redirect], src: &Sources, errs: &mut Diagnostics) {
    let taken = taken(src);
    let generated = |path: &str| {
        ["/assets/", "/blog/page/"]
            .iter()
            .map(|p| p.to_string())
            .chain(src.lists.iter().cloned())
            .any(|prefix| path.starts_with(&prefix))
    };
    let mut seen: HashMap<&str, &Redirect> = HashMap::new();
    for r in redirects {
        if r.from == "/" || r.from == "/*" {
            errs.push(at(
                r,
                Diagnostic::error(format!("{} {} would take the whole site", what(r), r.from))
                    .with_help("redirect single pages or folders such as /old-shop/*"),
            ));
            continue;
        }
        let key = r.from.trim_end_matches('/');
        if let Some(first) = seen.get(key) {
            errs.push(at(
                r,
                Diagnostic::error(format!(
                    "{} {} is already redirected, by {}:{}",
                    what(r),
                    r.from,
                    first.source.display(),
                    first.line
                ))
                .with_help("keep one redirect per old URL"),
            ));
            continue;
        }
        seen.insert(key, r);
        if r.is_splat() {
            continue;
        }
        let owner = taken
            .get(&r.from)
            .cloned()
            .or_else(|| generated(&r.from).then(|| "a page lander writes".to_string()));
        if let Some(owner) = owner {
            errs.push(at(
                r,
                Diagnostic::error(format!(
                    "{} {} is the URL of {owner}",
                    what(r),
                    r.from
                ))
                .with_help("a URL can be a page or a redirect, not both: remove the alias (or redirect), or move the page"),
            ));
        }
    }
}

/// Follows each redirect (a splat with a sample path) through the others,
/// as a host would, and reports each cycle once, at its first redirect.
fn check_loops(redirects: &[Redirect], errs: &mut Diagnostics) {
    let mut reported: Vec<Vec<usize>> = Vec::new();
    for (start, r) in redirects.iter().enumerate() {
        let first = match r.from.strip_suffix('*') {
            Some(prefix) => format!("{prefix}lander-probe/"),
            None => r.from.clone(),
        };
        let mut path = first.clone();
        let mut trail: Vec<(usize, String)> = Vec::new();
        let mut rule = Some(start);
        while let Some(i) = rule {
            if trail.iter().any(|(j, _)| *j == i) {
                let cycle_start = trail.iter().position(|(j, _)| *j == i).unwrap_or(0);
                let mut cycle: Vec<usize> = trail[cycle_start..].iter().map(|(j, _)| *j).collect();
                let shown: Vec<String> = trail[cycle_start..]
                    .iter()
                    .map(|(_, p)| p.clone())
                    .chain(std::iter::once(path.clone()))
                    .collect();
                cycle.sort_unstable();
                if !reported.contains(&cycle) {
                    let at_rule = &redirects[cycle[0]];
                    errs.push(at(
                        at_rule,
                        Diagnostic::error(format!("redirect loop: {}", shown.join(" → ")))
                            .with_help("point one of these redirects at a page that exists"),
                    ));
                    reported.push(cycle);
                }
                break;
            }
            let Some(next) = redirects[i].apply(&path) else {
                break;
            };
            trail.push((i, path));
            if redirects[i].is_external() {
                break;
            }
            path = next;
            rule = redirects.iter().position(|r| r.apply(&path).is_some());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(from: &str, to: &str, line: usize) -> Redirect {
        Redirect {
            from: normalize(from),
            to: to.into(),
            status: 301,
            source: PathBuf::from(CONFIG_FILE),
            line,
            lang: "en".into(),
        }
    }

    fn loops(rs: &[Redirect]) -> Vec<String> {
        let mut errs = Diagnostics::default();
        check_loops(rs, &mut errs);
        errs.0
            .iter()
            .map(|d| format!("{}: {}", d.line.unwrap(), d.message))
            .collect()
    }

    #[test]
    fn paths_without_extension_are_folders() {
        assert_eq!(normalize("/old"), "/old/");
        assert_eq!(normalize("/old.html"), "/old.html");
        assert_eq!(normalize("/old/*"), "/old/*");
        assert_eq!(
            r("/a", "/b/", 1).page_file().as_deref(),
            Some("a/index.html")
        );
        assert_eq!(
            r("/a.html", "/b/", 1).page_file().as_deref(),
            Some("a.html")
        );
        assert_eq!(r("/a/*", "/b/:splat", 1).page_file(), None);
    }

    #[test]
    fn splats_carry_the_rest_of_the_path() {
        let s = r("/old/*", "/new/:splat", 1);
        assert_eq!(s.apply("/old/x/y/").as_deref(), Some("/new/x/y/"));
        assert_eq!(s.apply("/older/"), None);
        assert_eq!(r("/a/", "/b/", 1).apply("/a").as_deref(), Some("/b/"));
    }

    #[test]
    fn loops_are_found_once_and_chains_are_fine() {
        assert!(loops(&[r("/a/", "/b/", 1), r("/b/", "/c/", 2)]).is_empty());
        assert_eq!(
            loops(&[r("/a/", "/b/", 1), r("/b/", "/a", 2)]),
            ["1: redirect loop: /a/ → /b/ → /a"]
        );
        assert_eq!(
            loops(&[r("/a/", "/a/", 7)]),
            ["7: redirect loop: /a/ → /a/"]
        );
        assert_eq!(
            loops(&[r("/x/*", "/y/:splat", 3), r("/y/*", "/x/:splat", 4)]).len(),
            1
        );
        assert!(loops(&[r("/x/*", "https://else.example/:splat", 3)]).is_empty());
    }
}
