//! Pixels of a card: the SVG drawn by resvg, or a page's own photo cropped
//! to the card, each encoded once.

use std::path::Path;
use std::sync::Arc;

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, fontdb};

use super::{HEIGHT, WIDTH};


/// Draws a card's SVG at 1200x630 and encodes it as PNG.
pub fn svg_to_png(svg: &str, fonts: &Arc<fontdb::Database>) -> Result<Vec<u8>, String> {
    let opts = usvg::Options {
        fontdb: fonts.clone(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opts).map_err(|e| format!("the card is not valid SVG: {e}"))?;
    let mut pixmap = Pixmap::new(WIDTH, HEIGHT).ok_or("no memory for a card")?;
    let size = tree.size();
    // A template with another size is scaled to the card.
    let scale = Transform::from_scale(WIDTH as f32 / size.width(), HEIGHT as f32 / size.height());
    resvg::render(&tree, scale, &mut pixmap.as_mut());
    encode_png(&pixmap)
}

/// PNG of an opaque card: RGB (a card has no transparency to keep), and
/// the fast deflate, which makes encoding a small part of a card's cost.
fn encode_png(pixmap: &Pixmap) -> Result<Vec<u8>, String> {
    let rgb: Vec<u8> = pixmap
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue()]
        })
        .collect();
    let mut out = Vec::with_capacity(64 * 1024);
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer.write_image_data(&rgb).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

/// A page's own raster image, cropped around its centre to the card's
/// shape and scaled to 1200x630 (never up: a smaller image keeps its
/// pixels at the card's ratio). JPEG, or PNG when it has transparency.
pub fn crop(source: &Path) -> Result<(Vec<u8>, &'static str), String> {
    let img = image::ImageReader::open(source)
        .and_then(|r| r.with_guessed_format())
        .map_err(|e| e.to_string())?;
    let mut limits = image::Limits::default();
    // A card needs no more: a 20000x20000 image is refused, not decoded.
    limits.max_image_width = Some(12_000);
    limits.max_image_height = Some(12_000);
    limits.max_alloc = Some(512 * 1024 * 1024);
    let mut img = img;
    img.limits(limits);
    let img = img.decode().map_err(|e| e.to_string())?;
    let (tw, th) = super::crop_size(img.width(), img.height());
    let card = img.resize_to_fill(tw.max(1), th.max(1), image::imageops::FilterType::Triangle);
    let mut out = std::io::Cursor::new(Vec::new());
    if card.color().has_alpha() {
        card.write_to(&mut out, image::ImageFormat::Png)
            .map_err(|e| e.to_string())?;
        Ok((out.into_inner(), "png"))
    } else {
        let rgb = card.to_rgb8();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
            .encode_image(&rgb)
            .map_err(|e| e.to_string())?;
        Ok((out.into_inner(), "jpg"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ink_columns(png: &[u8]) -> (u32, u32) {
        let img = image::load_from_memory(png).unwrap().to_rgb8();
        let (mut min, mut max) = (u32::MAX, 0);
        for (x, _, p) in img.enumerate_pixels() {
            if p.0[0] < 128 {
                min = min.min(x);
                max = max.max(x);
            }
        }
        (min, max)
    }

    #[test]
    fn probe_rtl() {
        let fonts = super::super::fonts::database();
        for (dir, anchor) in [("rtl", "start"), ("rtl", "end"), ("ltr", "end")] {
            let svg = format!(r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><rect width="1200" height="630" fill="#fff"/><text x="1120" y="300" font-family="Noto Sans Arabic" font-size="64" direction="{dir}" text-anchor="{anchor}" fill="#000">زيت الزيتون</text></svg>"##);
            let t = std::time::Instant::now();
            let png = svg_to_png(&svg, &fonts).unwrap();
            eprintln!("{dir} {anchor}: {:?} {:?} {}B", ink_columns(&png), t.elapsed(), png.len());
        }
    }
}
