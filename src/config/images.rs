//! `images:` of site.yaml: the widths and formats raster images are
//! published in (see `src/images/`).

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Config;
use crate::error::{Diagnostic, Diagnostics};

/// A modern format published beside the fallback (which keeps the source's).
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum ModernFormat {
    Webp,
}

impl ModernFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ModernFormat::Webp => "webp",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            ModernFormat::Webp => "image/webp",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ImagesConfig {
    /// Widths in pixels each raster image is resized to (never upscaled:
    /// an image narrower than the widest gets its own width instead).
    #[serde(default = "default_widths")]
    pub widths: Vec<u32>,
    /// Formats published beside the fallback (JPEG or PNG, as the source).
    #[serde(default = "default_formats")]
    pub formats: Vec<ModernFormat>,
    /// Lossy quality of JPEG and WebP, 1 to 100.
    #[serde(default = "default_quality")]
    pub quality: u8,
    /// Publish the source file unchanged at its own URL, metadata (and GPS)
    /// included. The resized copies never carry metadata.
    #[serde(default)]
    pub keep_metadata: bool,
    /// Images with more pixels are refused before they are decoded.
    #[serde(default = "default_max_pixels")]
    pub max_pixels: u64,
    /// The `sizes` attribute of images that do not give their own.
    #[serde(default = "default_sizes")]
    pub sizes: String,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            widths: default_widths(),
            formats: default_formats(),
            quality: default_quality(),
            keep_metadata: false,
            max_pixels: default_max_pixels(),
            sizes: default_sizes(),
        }
    }
}

fn default_widths() -> Vec<u32> {
    vec![480, 800, 1200, 1600]
}

fn default_formats() -> Vec<ModernFormat> {
    vec![ModernFormat::Webp]
}

fn default_quality() -> u8 {
    80
}

/// 100 megapixels: a 12,000 x 8,000 photo, decoded in about 300 MB.
fn default_max_pixels() -> u64 {
    100_000_000
}

/// The theme's text column (where Markdown images go) is at most 42rem wide.
fn default_sizes() -> String {
    "(min-width: 44rem) 42rem, 100vw".into()
}

pub fn validate(config: &Config, path: &Path, errs: &mut Diagnostics) {
    let images = &config.images;
    if images.widths.is_empty() || images.widths.iter().any(|w| *w == 0 || *w > 10_000) {
        errs.push(
            Diagnostic::error("`images.widths` must list widths between 1 and 10000")
                .in_file(path)
                .with_help("e.g. images: { widths: [480, 800, 1200, 1600] }"),
        );
    }
    if !(1..=100).contains(&images.quality) {
        errs.push(
            Diagnostic::error(format!(
                "`images.quality: {}` is not between 1 and 100",
                images.quality
            ))
            .in_file(path)
            .with_help("80 is a good compromise between size and looks"),
        );
    }
    if images.max_pixels == 0 {
        errs.push(
            Diagnostic::error("`images.max_pixels` must be at least 1")
                .in_file(path)
                .with_help("e.g. images: { max_pixels: 100000000 } (100 megapixels)"),
        );
    }
}
