//! Which images to process, and where the site references each one (for
//! messages that name the page and line). Every raster file among the
//! static files is processed; references are read from front matter
//! (`image`, `images`), Markdown bodies, offers and `seo.image`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Parser, Tag};

use crate::config::CONFIG_FILE;
use crate::content::Site;
use crate::error::{Diagnostic, Diagnostics};

/// Extensions of the raster formats lander resizes. GIF (maybe animated)
/// and SVG are published untouched.
pub const RASTER: [&str; 4] = ["jpg", "jpeg", "png", "webp"];

/// A place that references an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    pub file: PathBuf,
    pub line: Option<usize>,
}

/// One image to process.
#[derive(Debug, Clone)]
pub struct Job {
    /// Site path of the source, `/images/photo.jpg`.
    pub path: String,
    pub from: PathBuf,
    pub refs: Vec<Ref>,
}

/// The jobs, sorted by path, and the references that point outside the site.
pub fn plan(site: &Site) -> (Vec<Job>, Diagnostics) {
    let mut jobs: Vec<Job> = site
        .statics
        .iter()
        .filter(|s| is_raster(&s.to))
        .map(|s| Job {
            path: format!("/{}", s.to),
            from: s.from.clone(),
            refs: Vec::new(),
        })
        .collect();
    jobs.sort_by(|a, b| a.path.cmp(&b.path));
    let index: HashMap<String, usize> = jobs
        .iter()
        .enumerate()
        .map(|(i, j)| (j.path.clone(), i))
        .collect();
    let mut errs = Diagnostics::default();
    let mut note = |url: &str, base: &str, at: Ref| match resolve(url, base) {
        Resolved::Local(path) => {
            if let Some(&i) = index.get(&path) {
                jobs[i].refs.push(at);
            }
        }
        Resolved::Outside => {
            let mut d = Diagnostic::error(format!("the image `{url}` is outside the site"))
                .in_file(&at.file)
                .with_help("put the image in static/ (e.g. static/images/) and write its site path, e.g. /images/photo.jpg");
            if let Some(line) = at.line {
                d = d.at(line, 1);
            }
            errs.push(d);
        }
        Resolved::External => {}
    };
    for page in &site.pages {
        let at = |line: usize| Ref {
            file: page.source.clone(),
            line: Some(line),
        };
        if let Some(image) = &page.meta.image {
            note(image, &page.path, at(page.key_lines.line("image")));
        }
        for (n, image) in page.meta.images.iter().enumerate() {
            note(image, &page.path, at(page.key_lines.item_line("images", n)));
        }
        for (offset, url) in markdown_images(&page.body) {
            note(&url, &page.path, at(page.body_line_col(offset).0));
        }
    }
    for offer in &site.offers {
        if let Some(image) = &offer.def.image {
            let line = offer.key_lines.line("image");
            note(
                image,
                "/",
                Ref {
                    file: offer.source.clone(),
                    line: Some(line),
                },
            );
        }
    }
    if let Some(image) = &site.config.seo.image {
        note(
            image,
            "/",
            Ref {
                file: PathBuf::from(CONFIG_FILE),
                line: None,
            },
        );
    }
    (jobs, errs)
}

pub fn is_raster(path: &str) -> bool {
    Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| RASTER.contains(&e.to_ascii_lowercase().as_str()))
}

/// Byte offsets and URLs of the Markdown images of a body (only bodies
/// that may have one are parsed).
fn markdown_images(body: &str) -> Vec<(usize, String)> {
    if !body.contains("![") {
        return Vec::new();
    }
    Parser::new_ext(body, crate::base::cmark::options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Image { dest_url, .. }) => Some((range.start, dest_url.to_string())),
            _ => None,
        })
        .collect()
}

#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A site path, normalised: `/images/a.jpg`.
    Local(String),
    /// Climbs above the site's root with `..`.
    Outside,
    External,
}

/// The site path an image URL names, relative to the page at `base`.
pub fn resolve(url: &str, base: &str) -> Resolved {
    if url.contains("://") || url.starts_with("//") || url.starts_with("data:") {
        return Resolved::External;
    }
    let url = url.split(['?', '#']).next().unwrap_or(url);
    let joined = if url.starts_with('/') {
        url.to_string()
    } else {
        let dir = match base.rfind('/') {
            Some(i) => &base[..=i],
            None => "/",
        };
        format!("{dir}{url}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Resolved::Outside;
                }
            }
            p => parts.push(p),
        }
    }
    Resolved::Local(format!("/{}", parts.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_and_refuses_climbing_out() {
        let local = |s: &str| Resolved::Local(s.to_string());
        assert_eq!(resolve("/images/a.jpg", "/blog/x/"), local("/images/a.jpg"));
        assert_eq!(resolve("a.jpg", "/blog/x/"), local("/blog/x/a.jpg"));
        assert_eq!(resolve("../a.jpg?v=1", "/blog/x/"), local("/blog/a.jpg"));
        assert_eq!(resolve("../../etc/passwd", "/"), Resolved::Outside);
        assert_eq!(
            resolve("../../../etc/passwd", "/blog/x/"),
            Resolved::Outside
        );
        assert_eq!(
            resolve("https://cdn.example.com/a.jpg", "/"),
            Resolved::External
        );
    }

    #[test]
    fn finds_markdown_images_with_offsets() {
        let found = markdown_images("Hi\n\n![A](/a.jpg) and `![no](b.jpg)`\n");
        assert_eq!(found, [(4, "/a.jpg".to_string())]);
    }
}
