//! Social cards: the 1200x630 picture a shared link shows (`og:image`).
//! The render stage plans one per indexable page ([`CardJob`]: the card
//! template's SVG, or the page's own photo to crop) and names it by a hash
//! of what it is made of, so its URL is in the page before any pixel
//! exists. This stage then makes the pixels, in parallel, keeping each in
//! the site's `.lander/cards/` so that a rebuild draws only new cards.

pub mod fonts;
pub mod layout;
pub mod raster;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::base::output_file::OutputFile;
use crate::error::Diagnostic;

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

/// Where cached cards are kept, under the site folder.
pub const CACHE_DIR: &str = ".lander/cards";

/// What a card is made from.
#[derive(Debug, Clone, PartialEq)]
pub enum CardSource {
    /// The card template's output.
    Svg(String),
    /// The page's own raster image (a file of the site).
    Crop(PathBuf),
}

/// A card to make, as the render stage planned it.
#[derive(Debug, Clone, PartialEq)]
pub struct CardJob {
    /// Output file, relative to the output folder: `cards/blog-x.1a2b3c4d5e.png`.
    pub file: String,
    /// Hash of the source (and of the fonts and renderer): the cache key.
    pub key: String,
    pub source: CardSource,
    /// The page (file and line of its `image`) a failure is reported on.
    pub origin: Option<(PathBuf, usize)>,
}

/// How many cards a run drew and how many came from the cache.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CardStats {
    pub rendered: usize,
    pub cached: usize,
}

/// The size a page's image of `w`x`h` gets as a card: 1200x630, or the
/// largest centre crop of that ratio when the image is smaller (never
/// scaled up).
pub fn crop_size(w: u32, h: u32) -> (u32, u32) {
    if w >= WIDTH && h >= HEIGHT {
        return (WIDTH, HEIGHT);
    }
    let ratio = WIDTH as f64 / HEIGHT as f64;
    if w as f64 / h as f64 > ratio {
        (((h as f64) * ratio) as u32, h)
    } else {
        (w, ((w as f64) / ratio) as u32)
    }
}

/// Makes the pixels of every job (each file once), from `cache` when it
/// holds them, and hands each to `sink`. Without a cache folder (the
/// site's `.lander/` cannot be written) every card is drawn.
pub fn produce(
    jobs: &[CardJob],
    cache: Option<&Path>,
    sink: &(dyn Fn(OutputFile) -> Result<(), Diagnostic> + Sync),
) -> Result<CardStats, Vec<Diagnostic>> {
    let mut jobs: Vec<&CardJob> = jobs.iter().collect();
    jobs.sort_by(|a, b| a.file.cmp(&b.file));
    jobs.dedup_by(|a, b| a.file == b.file);
    if let Some(dir) = cache {
        // A cache that cannot be made only costs time.
        let _ = std::fs::create_dir_all(dir);
    }
    let fonts = fonts::database();
    let rendered = AtomicUsize::new(0);
    let cached = AtomicUsize::new(0);
    let errors: Vec<Diagnostic> = jobs
        .par_iter()
        .filter_map(|job| {
            let ext = job.file.rsplit_once('.').map_or("png", |(_, e)| e);
            let cache_file = cache.map(|d| d.join(format!("{}.{ext}", job.key)));
            let bytes = match cache_file.as_ref().and_then(|f| std::fs::read(f).ok()) {
                Some(bytes) => {
                    cached.fetch_add(1, Ordering::Relaxed);
                    bytes
                }
                None => {
                    let made = match &job.source {
                        CardSource::Svg(svg) => raster::svg_to_png(svg, &fonts),
                        CardSource::Crop(path) => raster::crop(path, ext == "png"),
                    };
                    let bytes = match made {
                        Ok(b) => b,
                        Err(e) => return Some(failure(job, &e)),
                    };
                    rendered.fetch_add(1, Ordering::Relaxed);
                    if let Some(f) = &cache_file {
                        store(f, &bytes);
                    }
                    bytes
                }
            };
            sink(OutputFile {
                path: job.file.clone(),
                bytes,
                source: None,
            })
            .err()
        })
        .collect();
    if errors.is_empty() {
        Ok(CardStats {
            rendered: rendered.into_inner(),
            cached: cached.into_inner(),
        })
    } else {
        Err(errors)
    }
}

/// Writes a cached card whole or not at all (another build may read it).
fn store(file: &Path, bytes: &[u8]) {
    let tmp = file.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, file).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

fn failure(job: &CardJob, error: &str) -> Diagnostic {
    match (&job.source, &job.origin) {
        (CardSource::Crop(path), Some((page, line))) => Diagnostic::error(format!(
            "cannot make the social card from {}: {error}",
            path.display()
        ))
        .in_file(page)
        .at(*line, 1)
        .with_help(
            "use a JPEG, PNG or WebP image that opens in an image viewer, or set `card: false`",
        ),
        (CardSource::Svg(_), origin) => {
            let d = Diagnostic::error(format!("the social card template gave no image: {error}"))
                .with_help(
                "fix templates/card.svg of the site (render it with `lander build --cards-svg`)",
            );
            match origin {
                Some((page, line)) => d.in_file(page).at(*line, 1),
                None => d,
            }
        }
        (CardSource::Crop(path), None) => Diagnostic::error(format!(
            "cannot make the social card from {}: {error}",
            path.display()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_photos_are_cropped_not_scaled_up() {
        assert_eq!(crop_size(4000, 3000), (1200, 630));
        assert_eq!(crop_size(600, 600), (600, 315));
        assert_eq!(crop_size(2000, 400), (761, 400));
    }
}
