//! One source image in, encoded variants out: decode (refusing huge images
//! before decoding), turn upright by its EXIF orientation, resize narrowest
//! last from the previous size, encode. Re-encoding publishes pixels only:
//! EXIF, GPS and other metadata of the source do not survive.

use std::io::Cursor;

use fast_image_resize::images::Image as FrImage;
use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, PngEncoder};
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageFormat, ImageReader};

use crate::config::images::{ImagesConfig, ModernFormat};

/// Why an image could not be processed.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    Read(String),
    Unsupported(String),
    TooLarge { width: u32, height: u32 },
    Corrupt(String),
    Encode(String),
}

impl Problem {
    pub fn message(&self) -> String {
        match self {
            Problem::Read(e) => format!("could not be read: {e}"),
            Problem::Unsupported(what) => format!("is not in a format lander can resize ({what})"),
            Problem::TooLarge { width, height } => format!(
                "is {width}x{height} ({:.1} megapixels), over the limit",
                (*width as f64 * *height as f64) / 1e6
            ),
            Problem::Corrupt(e) => format!("is damaged or truncated: {e}"),
            Problem::Encode(e) => format!("could not be encoded: {e}"),
        }
    }

    pub fn help(&self, max_pixels: u64) -> String {
        match self {
            Problem::TooLarge { .. } => format!(
                "resize it to at most {max_pixels} pixels ({:.1} megapixels), or raise images.max_pixels in site.yaml",
                max_pixels as f64 / 1e6
            ),
            Problem::Unsupported(_) => {
                "save it as JPEG, PNG or WebP (GIF and SVG are published untouched)".into()
            }
            _ => "export the image again from its original, or remove it".into(),
        }
    }
}

/// The source's own format, which the fallback keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    Jpeg,
    Png,
    Webp,
}

impl Fallback {
    pub fn extension(self) -> &'static str {
        match self {
            Fallback::Jpeg => "jpg",
            Fallback::Png => "png",
            Fallback::Webp => "webp",
        }
    }
}

/// One encoded size in one format.
pub struct Encoded {
    pub width: u32,
    pub height: u32,
    /// The fallback's extension or a modern format's.
    pub extension: &'static str,
    pub bytes: Vec<u8>,
}

/// Decodes, orients and resizes `source`, then encodes every variant.
pub fn process(source: &[u8], settings: &ImagesConfig) -> Result<Vec<Encoded>, Problem> {
    let (image, fallback) = decode(source, settings.max_pixels)?;
    let widths = widths_for(image.width(), &settings.widths);
    let mut sized = resize_all(image, &widths)?;
    sized.reverse(); // narrowest first
    let mut out = Vec::new();
    for img in &sized {
        out.push(encode_fallback(img, fallback, settings.quality)?);
        for format in &settings.formats {
            if format.extension() != fallback.extension() {
                out.push(encode_modern(img, *format, settings.quality)?);
            }
        }
    }
    Ok(out)
}

/// The widths an image of `source` pixels is published at: the configured
/// ones below it, and its own instead of the wider ones (never upscaled).
pub fn widths_for(source: u32, wanted: &[u32]) -> Vec<u32> {
    let mut out: Vec<u32> = wanted.iter().copied().filter(|w| *w < source).collect();
    if wanted.iter().any(|w| *w >= source) {
        out.push(source);
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn decode(source: &[u8], max_pixels: u64) -> Result<(DynamicImage, Fallback), Problem> {
    let mut reader = ImageReader::new(Cursor::new(source))
        .with_guessed_format()
        .map_err(|e| Problem::Read(e.to_string()))?;
    // `max_pixels` is the limit, checked below from the header: the
    // decoder's own would refuse large images with a vaguer message.
    reader.no_limits();
    let fallback = match reader.format() {
        Some(ImageFormat::Jpeg) if !jpeg_is_complete(source) => {
            return Err(Problem::Corrupt(
                "the file ends before its end-of-image marker".into(),
            ))
        }
        Some(ImageFormat::Jpeg) => Fallback::Jpeg,
        Some(ImageFormat::Png) => Fallback::Png,
        Some(ImageFormat::WebP) => Fallback::Webp,
        Some(other) => return Err(Problem::Unsupported(format!("{other:?}"))),
        None => {
            return Err(Problem::Unsupported(
                "not an image format lander knows".into(),
            ))
        }
    };
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| Problem::Corrupt(e.to_string()))?;
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 {
        return Err(Problem::Corrupt("it has no pixels".into()));
    }
    if width as u64 * height as u64 > max_pixels {
        return Err(Problem::TooLarge { width, height });
    }
    let orientation = decoder
        .orientation()
        .map_err(|e| Problem::Corrupt(e.to_string()))?;
    let mut image =
        DynamicImage::from_decoder(decoder).map_err(|e| Problem::Corrupt(e.to_string()))?;
    image.apply_orientation(orientation);
    // 8 bits a channel, with alpha only when the source has it.
    let image = if image.color().has_alpha() {
        DynamicImage::ImageRgba8(image.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(image.into_rgb8())
    };
    Ok((image, fallback))
}

/// Whether a JPEG's end-of-image marker follows its image data. The decoder
/// pads a truncated file with grey without complaint, which would publish
/// a half-grey photo. The segments before the scan (EXIF with its own
/// thumbnail among them) are stepped over by their lengths.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let mut at = 2; // after SOI
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return false;
        }
        let marker = bytes[at + 1];
        if marker == 0xFF {
            at += 1; // fill byte
            continue;
        }
        let len = u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]) as usize;
        if marker == 0xDA {
            // Start of scan: the image data, then (much later) EOI.
            let data = &bytes[(at + 2 + len).min(bytes.len())..];
            return data.windows(2).any(|w| w == [0xFF, 0xD9]);
        }
        at += 2 + len;
    }
    false
}

/// The image at each width, widest first; each is resized from the one
/// before (a fraction of the work of starting from the source each time).
fn resize_all(image: DynamicImage, widths: &[u32]) -> Result<Vec<DynamicImage>, Problem> {
    let mut resizer = Resizer::new();
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    let mut out: Vec<DynamicImage> = Vec::with_capacity(widths.len());
    let (source_w, source_h) = (image.width() as u64, image.height() as u64);
    let mut current = image;
    for &w in widths.iter().rev() {
        if w == current.width() {
            out.push(current.clone());
            continue;
        }
        // From the source's size: rounding does not add up along the way.
        let h = ((source_h * w as u64 + source_w / 2) / source_w).max(1) as u32;
        let pixel = match &current {
            DynamicImage::ImageRgba8(_) => fast_image_resize::PixelType::U8x4,
            _ => fast_image_resize::PixelType::U8x3,
        };
        let mut dst = FrImage::new(w, h, pixel);
        resizer
            .resize(&current, &mut dst, &options)
            .map_err(|e| Problem::Encode(e.to_string()))?;
        let buf = dst.into_vec();
        let next = match pixel {
            fast_image_resize::PixelType::U8x4 => {
                image::RgbaImage::from_raw(w, h, buf).map(DynamicImage::ImageRgba8)
            }
            _ => image::RgbImage::from_raw(w, h, buf).map(DynamicImage::ImageRgb8),
        }
        .ok_or_else(|| Problem::Encode("resized buffer of the wrong size".into()))?;
        out.push(next.clone());
        current = next;
    }
    Ok(out)
}

fn encode_fallback(img: &DynamicImage, format: Fallback, quality: u8) -> Result<Encoded, Problem> {
    let (w, h) = (img.width(), img.height());
    let mut bytes = Vec::new();
    let err = |e: image::ImageError| Problem::Encode(e.to_string());
    match format {
        Fallback::Jpeg => {
            let rgb = img.to_rgb8();
            JpegEncoder::new_with_quality(&mut bytes, quality)
                .write_image(rgb.as_raw(), w, h, image::ExtendedColorType::Rgb8)
                .map_err(err)?;
        }
        Fallback::Png => {
            PngEncoder::new_with_quality(
                &mut bytes,
                CompressionType::Fast,
                image::codecs::png::FilterType::Adaptive,
            )
            .write_image(img.as_bytes(), w, h, img.color().into())
            .map_err(err)?;
        }
        Fallback::Webp => bytes = webp_bytes(img, quality)?,
    }
    Ok(Encoded {
        width: w,
        height: h,
        extension: format.extension(),
        bytes,
    })
}

fn encode_modern(
    img: &DynamicImage,
    format: ModernFormat,
    quality: u8,
) -> Result<Encoded, Problem> {
    let bytes = match format {
        ModernFormat::Webp => webp_bytes(img, quality)?,
    };
    Ok(Encoded {
        width: img.width(),
        height: img.height(),
        extension: format.extension(),
        bytes,
    })
}

const WEBP_METHOD: i32 = 2;

/// Lossy WebP through libwebp (`image` only writes lossless WebP, several
/// times larger for photos).
fn webp_bytes(img: &DynamicImage, quality: u8) -> Result<Vec<u8>, Problem> {
    let encoder = match img {
        DynamicImage::ImageRgba8(rgba) => {
            webp::Encoder::from_rgba(rgba.as_raw(), img.width(), img.height())
        }
        DynamicImage::ImageRgb8(rgb) => {
            webp::Encoder::from_rgb(rgb.as_raw(), img.width(), img.height())
        }
        _ => return Err(Problem::Encode("not 8-bit RGB or RGBA".into())),
    };
    let mut config = webp::WebPConfig::new()
        .map_err(|()| Problem::Encode("libwebp refused its default settings".into()))?;
    config.quality = quality as f32;
    // Method 4 (the default) took site-example's images stage from 6.5 s
    // to 11.8 s for the same 5.0 MB of variants.
    config.method = WEBP_METHOD;
    let memory = encoder
        .encode_advanced(&config)
        .map_err(|e| Problem::Encode(format!("{e:?}")))?;
    Ok(memory.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_upscales() {
        let wanted = [480, 800, 1200, 1600];
        assert_eq!(widths_for(4000, &wanted), [480, 800, 1200, 1600]);
        assert_eq!(widths_for(1000, &wanted), [480, 800, 1000]);
        assert_eq!(widths_for(300, &wanted), [300]);
        assert_eq!(widths_for(1600, &wanted), [480, 800, 1200, 1600]);
    }

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut bytes = Vec::new();
        JpegEncoder::new_with_quality(&mut bytes, 90)
            .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
            .unwrap();
        bytes
    }

    #[test]
    fn resizes_and_encodes_each_width_and_format() {
        let settings = ImagesConfig {
            widths: vec![100, 200, 800],
            ..ImagesConfig::default()
        };
        let out = process(&jpeg(500, 250), &settings).unwrap();
        let got: Vec<(u32, u32, &str)> = out
            .iter()
            .map(|e| (e.width, e.height, e.extension))
            .collect();
        assert_eq!(
            got,
            [
                (100, 50, "jpg"),
                (100, 50, "webp"),
                (200, 100, "jpg"),
                (200, 100, "webp"),
                (500, 250, "jpg"),
                (500, 250, "webp")
            ]
        );
        for e in &out {
            let img = image::load_from_memory(&e.bytes).unwrap();
            assert_eq!((img.width(), img.height()), (e.width, e.height));
        }
    }

    #[test]
    fn refuses_bad_input() {
        let settings = ImagesConfig {
            max_pixels: 1000,
            ..ImagesConfig::default()
        };
        assert!(matches!(
            process(&jpeg(100, 100), &settings),
            Err(Problem::TooLarge {
                width: 100,
                height: 100
            })
        ));
        let bytes = jpeg(64, 64);
        let cut = &bytes[..bytes.len() / 2];
        assert!(matches!(
            process(cut, &ImagesConfig::default()),
            Err(Problem::Corrupt(_))
        ));
        assert!(matches!(
            process(b"not an image at all", &ImagesConfig::default()),
            Err(Problem::Unsupported(_))
        ));
    }
}
