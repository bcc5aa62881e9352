//! Sizes of the site's local images, read once when the site is loaded, so
//! that every `<img>` can carry width and height (no layout shift) without
//! later stages touching files; and the [`Pictures`] the images stage
//! makes of them, which the [`Site`](super::Site) carries to render.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::files::StaticFile;
use crate::config::images::ModernFormat;

/// Width and height in CSS pixels, by URL path (`/images/bottle.svg`).
pub type ImageSizes = HashMap<String, (u32, u32)>;

const RASTER: [&str; 6] = ["png", "jpg", "jpeg", "gif", "webp", "avif"];

pub fn measure(statics: &[StaticFile]) -> ImageSizes {
    statics
        .par_iter()
        .filter_map(|s| {
            let ext = s.to.rsplit_once('.')?.1.to_ascii_lowercase();
            let size = if ext == "svg" {
                svg_size(&s.from)
            } else if RASTER.contains(&ext.as_str()) {
                imagesize::size(&s.from)
                    .ok()
                    .map(|d| (d.width as u32, d.height as u32))
            } else {
                None
            }?;
            (size.0 > 0 && size.1 > 0).then(|| (format!("/{}", s.to), size))
        })
        .collect()
}

/// An SVG's size: its width/height attributes in px (or unitless), else its
/// viewBox.
fn svg_size(path: &Path) -> Option<(u32, u32)> {
    let text = std::fs::read_to_string(path).ok()?;
    let doc = roxmltree::Document::parse(&text).ok()?;
    let root = doc.root_element();
    let px = |name: &str| -> Option<f64> {
        let v = root.attribute(name)?.trim();
        let v = v.strip_suffix("px").unwrap_or(v);
        v.parse::<f64>().ok().filter(|n| *n > 0.0)
    };
    if let (Some(w), Some(h)) = (px("width"), px("height")) {
        return Some((w.round() as u32, h.round() as u32));
    }
    let vb: Vec<f64> = root
        .attribute("viewBox")?
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    match vb[..] {
        [_, _, w, h] if w > 0.0 && h > 0.0 => Some((w.round() as u32, h.round() as u32)),
        _ => None,
    }
}

/// One published size of an image.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    /// Site path, e.g. `/_img/images/photo.3f2a9c1b.800.webp`.
    pub path: String,
    /// The encoded file in the cache.
    pub file: PathBuf,
}

/// A processed image: the sizes of its fallback and of each modern format,
/// narrowest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    /// Size of the widest variant, upright.
    pub width: u32,
    pub height: u32,
    pub fallback: Vec<Variant>,
    pub modern: Vec<(ModernFormat, Vec<Variant>)>,
}

/// What render needs to write `<picture>` and `<img>` elements.
#[derive(Debug, Clone, Default)]
pub struct Pictures {
    /// Processed images by the site path of their source (`/images/a.jpg`).
    pub by_path: HashMap<String, Picture>,
    /// Sizes of every local image (SVG and GIF included), by site path:
    /// filled in by render ([`Pictures::with_sizes`]).
    pub sizes: ImageSizes,
    /// `sizes` for images that do not give their own.
    pub default_sizes: String,
    /// Changes whenever anything above does (render's caches key on it).
    pub version: u64,
}

impl Pictures {
    /// A copy that also knows the sizes of the site's other images.
    pub fn with_sizes(&self, sizes: &ImageSizes) -> Pictures {
        let mut sized: Vec<(&String, &(u32, u32))> = sizes.iter().collect();
        sized.sort_unstable();
        let mut h = blake3::Hasher::new();
        h.update(format!("{}{sized:?}", self.version).as_bytes());
        Pictures {
            sizes: sizes.clone(),
            version: first_u64(h.finalize()),
            ..self.clone()
        }
    }
}

pub(crate) fn first_u64(hash: blake3::Hash) -> u64 {
    u64::from_le_bytes(hash.as_bytes()[..8].try_into().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_sizes_from_attributes_or_viewbox() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.svg");
        std::fs::write(
            &a,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="640px" height="480"/>"#,
        )
        .unwrap();
        let b = dir.path().join("b.svg");
        std::fs::write(
            &b,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 150"/>"#,
        )
        .unwrap();
        let c = dir.path().join("c.png");
        // A 1x1 PNG.
        std::fs::write(
            &c,
            [
                0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44,
                0x52, 0, 0, 0, 1, 0, 0, 0, 2, 8, 6, 0, 0, 0,
            ],
        )
        .unwrap();
        let statics: Vec<StaticFile> = ["a.svg", "b.svg", "c.png"]
            .iter()
            .map(|n| StaticFile {
                from: dir.path().join(n),
                to: format!("images/{n}"),
            })
            .collect();
        let sizes = measure(&statics);
        assert_eq!(sizes["/images/a.svg"], (640, 480));
        assert_eq!(sizes["/images/b.svg"], (300, 150));
        assert_eq!(sizes["/images/c.png"], (1, 2));
    }
}
