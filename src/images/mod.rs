//! The images stage, between load and render: every raster image the site
//! publishes is decoded once, turned upright (EXIF orientation), resized to
//! the widths of site.yaml `images:` and encoded to WebP beside a fallback in
//! its own format, without metadata. Results are cached in `.lander/images/`
//! so that a rebuild encodes only what changed.
//!
//! Data flows one way: [`plan`] lists the images and who references them,
//! [`process`] turns one source into encoded bytes, [`cache`] keeps them,
//! and the [`Pictures`] that come out are what render's [`markup`] reads.

pub mod cache;
pub mod markup;
pub mod plan;
pub mod process;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::files::StaticFile;
use crate::content::images::{first_u64, ImageSizes};
pub use crate::content::images::{Picture, Pictures, Variant};
use crate::content::Site;
use crate::error::{Diagnostic, Diagnostics};

/// What the stage did, for the build summary and the tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub images: usize,
    /// Images decoded and encoded by this build (the others came from the cache).
    pub encoded: usize,
    /// Files written into the cache.
    pub files: usize,
}

/// Where the cache lives in a site folder.
pub fn cache_dir(root: &Path) -> PathBuf {
    root.join(".lander").join("images")
}

/// Whether `file` is an encoded image of a cache (which is never changed
/// in place, so the output may link to it).
pub fn is_cached(file: &Path) -> bool {
    let mut dirs = file.parent().into_iter().flat_map(Path::components).rev();
    dirs.next().is_some_and(|c| c.as_os_str() == "images")
        && dirs.next().is_some_and(|c| c.as_os_str() == ".lander")
}

/// Processes the images of `site` (from the cache where it can) and points
/// its static files at the results: the variants are added, and a processed
/// source is published as its cleaned, upright widest fallback (unless
/// `keep_metadata`). A problem with an image that a page uses is an error
/// at the page's line; with one nobody references, a warning (the file is
/// then copied as is).
pub fn publish(site: &mut Site, root: &Path) -> Result<Stats, Diagnostics> {
    let settings = &site.config.images;
    let (jobs, mut errs) = plan::plan(site);
    let cache = cache::Cache::open(&cache_dir(root), settings);
    let results: Vec<(usize, Result<cache::Entry, process::Problem>)> = jobs
        .par_iter()
        .enumerate()
        .map(|(i, job)| (i, cache.get_or_make(&job.from, &job.path)))
        .collect();
    let mut stats = Stats {
        images: jobs.len(),
        ..Stats::default()
    };
    let mut pictures: HashMap<String, Picture> = HashMap::new();
    let mut warnings = Diagnostics::default();
    for (i, result) in results {
        let job = &jobs[i];
        match result {
            Ok(entry) => {
                if entry.encoded {
                    stats.encoded += 1;
                    stats.files += entry.files_written;
                }
                pictures.insert(job.path.clone(), entry.picture);
            }
            Err(problem) => {
                let message = format!("the image `{}` {}", job.path, problem.message());
                let help = problem.help(settings.max_pixels);
                if job.refs.is_empty() {
                    warnings.push(
                        Diagnostic::warning(format!("{message}: it is copied as is"))
                            .in_file(shown(&job.from, root))
                            .with_help(help.clone()),
                    );
                }
                for r in &job.refs {
                    let mut d = Diagnostic::error(message.clone())
                        .in_file(&r.file)
                        .with_help(help.clone());
                    if let Some(line) = r.line {
                        d = d.at(line, 1);
                    }
                    errs.push(d);
                }
            }
        }
    }
    cache.save_index();
    if errs.has_errors() {
        return Err(errs);
    }
    site.warnings.extend(errs);
    site.warnings.extend(warnings);
    let keep = settings.keep_metadata;
    site.statics = published_statics(&site.statics, &pictures, keep);
    let version = version_of(&pictures, &settings.sizes);
    site.pictures = Arc::new(Pictures {
        by_path: pictures,
        sizes: ImageSizes::default(),
        default_sizes: settings.sizes.clone(),
        version,
    });
    Ok(stats)
}

/// The static files with each processed source replaced by its cleaned copy
/// (or kept as is with `keep_metadata`) and its variants added.
fn published_statics(
    statics: &[StaticFile],
    pictures: &HashMap<String, Picture>,
    keep_metadata: bool,
) -> Vec<StaticFile> {
    let mut out = Vec::with_capacity(statics.len());
    for s in statics {
        let Some(p) = pictures.get(&format!("/{}", s.to)) else {
            out.push(s.clone());
            continue;
        };
        let widest = p.fallback.last().filter(|_| !keep_metadata);
        out.push(StaticFile {
            from: widest.map_or_else(|| s.from.clone(), |v| v.file.clone()),
            to: s.to.clone(),
        });
        let modern = p.modern.iter().flat_map(|(_, v)| v);
        for v in p.fallback.iter().chain(modern) {
            out.push(StaticFile {
                from: v.file.clone(),
                to: v.path.trim_start_matches('/').to_string(),
            });
        }
    }
    out
}

fn version_of(pictures: &HashMap<String, Picture>, default: &str) -> u64 {
    let mut paths: Vec<(&String, &str)> = pictures
        .iter()
        .map(|(k, p)| (k, p.fallback.last().map_or("", |v| v.path.as_str())))
        .collect();
    paths.sort_unstable();
    let mut h = blake3::Hasher::new();
    h.update(format!("{paths:?}{default}").as_bytes());
    first_u64(h.finalize())
}

/// A path shown relative to the site folder.
fn shown(path: &Path, root: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_of_a_cache_are_linked() {
        assert!(is_cached(
            &cache_dir(Path::new("/site")).join("ab12.800.webp")
        ));
        assert!(!is_cached(Path::new("/site/static/images/a.jpg")));
        assert!(!is_cached(Path::new("/site/.lander/images")));
        assert!(!is_cached(Path::new("/site/images/a.jpg")));
    }
}
