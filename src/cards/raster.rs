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
    let tree =
        usvg::Tree::from_str(svg, &opts).map_err(|e| format!("the card is not valid SVG: {e}"))?;
    let mut pixmap = Pixmap::new(WIDTH, HEIGHT).ok_or("no memory for a card")?;
    let size = tree.size();
    // A template with another size is scaled to the card.
    let scale = Transform::from_scale(WIDTH as f32 / size.width(), HEIGHT as f32 / size.height());
    resvg::render(&tree, scale, &mut pixmap.as_mut());
    encode_png(&pixmap)
}

/// PNG of an opaque card. A card of flat colours and anti-aliased text
/// has a few hundred colours at most: with 256 or fewer it is written as
/// an indexed PNG (lossless, a third of the bytes to compress, files a
/// fraction of the size), else as RGB. The fast deflate keeps encoding a
/// small part of a card's cost.
pub fn encode_png(pixmap: &Pixmap) -> Result<Vec<u8>, String> {
    let (width, height) = (pixmap.width(), pixmap.height());
    let rgb = |p: &resvg::tiny_skia::PremultipliedColorU8| {
        let c = p.demultiply();
        [c.red(), c.green(), c.blue()]
    };
    let pixels = pixmap.pixels();
    let mut palette: Vec<[u8; 3]> = Vec::new();
    let mut indices: Vec<u8> = Vec::with_capacity(pixels.len());
    let mut last: Option<(resvg::tiny_skia::PremultipliedColorU8, u8)> = None;
    for p in pixels {
        let index = match last {
            Some((q, i)) if q == *p => i,
            _ => {
                let c = rgb(p);
                let i = match palette.iter().position(|x| *x == c) {
                    Some(i) => i,
                    None if palette.len() < 256 => {
                        palette.push(c);
                        palette.len() - 1
                    }
                    None => break,
                } as u8;
                last = Some((*p, i));
                i
            }
        };
        indices.push(index);
    }
    let mut out = Vec::with_capacity(32 * 1024);
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let data = if indices.len() == pixels.len() {
        encoder.set_color(png::ColorType::Indexed);
        encoder.set_palette(palette.concat());
        // Rows of a card mostly repeat the row above: the cheap filter.
        encoder.set_filter(png::Filter::Up);
        indices
    } else {
        encoder.set_color(png::ColorType::Rgb);
        pixels.iter().flat_map(rgb).collect()
    };
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer.write_image_data(&data).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

/// A page's own raster image, cropped around its centre to the card's
/// shape and scaled to 1200x630 (never up: a smaller image keeps its
/// pixels at the card's ratio), encoded as PNG (`png`) or JPEG.
pub fn crop(source: &Path, png: bool) -> Result<Vec<u8>, String> {
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
    if png {
        card.write_to(&mut out, image::ImageFormat::Png)
            .map_err(|e| e.to_string())?;
    } else {
        let rgb = card.to_rgb8();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
            .encode_image(&rgb)
            .map_err(|e| e.to_string())?;
    }
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line of text at the right margin (x = 1120), as the theme's
    /// right-to-left cards set it, in grey levels.
    fn draw(text: &str) -> image::GrayImage {
        let svg = format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><rect width="1200" height="630" fill="#fff"/><text x="1120" y="300" font-family="Noto Sans Arabic" font-size="64" font-weight="700" direction="rtl" text-anchor="end" fill="#000">{text}</text></svg>"##
        );
        let png = svg_to_png(&svg, &super::super::fonts::database()).unwrap();
        image::load_from_memory(&png).unwrap().to_luma8()
    }

    /// First and last columns with ink.
    fn ink(img: &image::GrayImage) -> (u32, u32) {
        let xs = img
            .enumerate_pixels()
            .filter(|(_, _, p)| p.0[0] < 128)
            .map(|(x, _, _)| x);
        xs.fold((u32::MAX, 0), |(lo, hi), x| (lo.min(x), hi.max(x)))
    }

    #[test]
    fn a_card_is_a_png_of_1200x630() {
        let png = svg_to_png(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="315"><rect width="600" height="315" fill="red"/></svg>"#,
            &super::super::fonts::database(),
        )
        .unwrap();
        let img = image::load_from_memory(&png).unwrap().to_rgb8();
        assert_eq!(
            img.dimensions(),
            (1200, 630),
            "a smaller template is scaled"
        );
        assert_eq!(img.get_pixel(1199, 629).0, [255, 0, 0]);
        assert!(svg_to_png("<svg", &super::super::fonts::database()).is_err());
    }

    #[test]
    fn arabic_letters_join() {
        // The same letters kept apart by zero-width non-joiners are wider
        // and drawn differently: the shaper picked the joining forms.
        let joined = draw("بيت");
        let apart = draw("ب\u{200c}ي\u{200c}ت");
        let (jl, jr) = ink(&joined);
        let (al, ar) = ink(&apart);
        assert!(jr - jl < ar - al, "{jl}..{jr} vs {al}..{ar}");
        assert_ne!(joined.as_raw(), apart.as_raw());
    }

    #[test]
    fn right_to_left_text_starts_at_the_right_margin() {
        // The first word of a right-to-left line is its rightmost: drawn
        // alone, it covers the same pixels as in the whole line.
        let first = draw("زيت");
        let line = draw("زيت الزيتون");
        let (left, right) = ink(&first);
        assert!((1110..=1122).contains(&right), "{right}");
        let (line_left, line_right) = ink(&line);
        assert_eq!(line_right, right);
        assert!(line_left < left - 100);
        let differ = (left..=right)
            .flat_map(|x| (200..330).map(move |y| (x, y)))
            .filter(|&(x, y)| first.get_pixel(x, y).0[0].abs_diff(line.get_pixel(x, y).0[0]) > 64)
            .count();
        assert!(differ < 50, "{differ} pixels differ");
    }

    #[test]
    fn a_photo_is_cut_around_its_centre() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tall.png");
        // 1300x2000, blue at the top and bottom, green in the middle: the
        // card's 1300x682 cut around the centre (rows 659 to 1341) is green.
        let img = image::RgbImage::from_fn(1300, 2000, |_, y| {
            if (640..1360).contains(&y) {
                image::Rgb([0, 200, 0])
            } else {
                image::Rgb([0, 0, 200])
            }
        });
        img.save(&path).unwrap();
        let bytes = crop(&path, true).unwrap();
        assert!(bytes.starts_with(b"\x89PNG"));
        let out = image::load_from_memory(&bytes).unwrap().to_rgb8();
        assert_eq!(out.dimensions(), (1200, 630));
        assert_eq!(out.get_pixel(600, 5).0, [0, 200, 0]);
        assert_eq!(out.get_pixel(600, 625).0, [0, 200, 0]);
        std::fs::write(&path, b"not an image").unwrap();
        assert!(crop(&path, false).is_err());
    }
}
