//! Responsive images: raster images resized to the configured widths and
//! encoded to WebP beside their own format, upright, without metadata, with
//! `<picture>` markup; the cache; and bad images refused with the file and
//! line that use them.

use std::collections::BTreeMap;
use std::fs;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use crate::common::{repo, Page, TestSite};

/// A 400x300 JPEG stored sideways with EXIF Orientation 6 and a GPS
/// position, as a phone writes it (made by benches/gen_photos.py): upright
/// it is 300x400 with a red square in its top-left corner.
fn rotated_jpeg() -> Vec<u8> {
    fs::read(repo().join("tests/fixtures/images/rotated.jpg")).unwrap()
}

/// A PNG with transparency.
fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(w, h, |x, y| {
        image::Rgba([(x % 256) as u8, (y % 256) as u8, 120, 200])
    });
    let mut bytes = Vec::new();
    img.write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes
}

fn site() -> TestSite {
    let site = TestSite::minimal()
        .file(
            "site.yaml",
            "title: Test Shop\nbase_url: https://shop.test\nimages:\n  widths: [100, 200, 600]\n",
        )
        .file(
            "content/blog/harvest.md",
            "---\ntitle: Harvest\ndate: 2025-10-01\nimage: /photos/rotated.jpg\nimage_alt: Crates of olives\n---\n\
             Intro.\n\n![A chart of the yield](/images/chart.png)\n\n![Logo](/images/logo.svg)\n",
        )
        .file(
            "static/images/logo.svg",
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60"/>"#,
        );
    site.write("static/photos/rotated.jpg", &rotated_jpeg());
    site.write("static/images/chart.png", &png(500, 250));
    site
}

/// Every file of the output under `_img/`, by path relative to the output.
fn variants(site: &TestSite) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(site.out().join("_img")) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(site.out()).unwrap();
            out.insert(rel.to_string_lossy().into_owned(), e.path().to_path_buf());
        }
    }
    out
}

fn decode(path: &Path) -> (image::ImageFormat, image::DynamicImage) {
    let bytes = fs::read(path).unwrap();
    let format = image::guess_format(&bytes).unwrap();
    (format, image::load_from_memory(&bytes).unwrap())
}

/// `srcset` as (URL, width) pairs.
fn srcset(value: &str) -> Vec<(String, u32)> {
    value
        .split(", ")
        .map(|item| {
            let (url, w) = item.rsplit_once(' ').unwrap();
            (url.to_string(), w.trim_end_matches('w').parse().unwrap())
        })
        .collect()
}

#[test]
fn resizes_upright_to_each_width_and_format() {
    let site = site();
    site.build(&[]).assert_ok();
    let files = variants(&site);
    let mut seen: Vec<(String, u32, u32, image::ImageFormat)> = Vec::new();
    for (rel, path) in &files {
        let (format, img) = decode(path);
        let name = rel.rsplit('/').next().unwrap();
        // photo.<hash8>.<width>.<ext>
        let parts: Vec<&str> = name.split('.').collect();
        assert_eq!(parts.len(), 4, "{name}");
        assert_eq!(parts[1].len(), 8, "a content hash in {name}");
        assert_eq!(parts[2].parse::<u32>().unwrap(), img.width(), "{name}");
        seen.push((
            format!("{}.{}", parts[0], parts[3]),
            img.width(),
            img.height(),
            format,
        ));
    }
    seen.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    use image::ImageFormat::{Jpeg, Png, WebP};
    assert_eq!(
        seen,
        [
            ("chart.png".to_string(), 100, 50, Png),
            ("chart.png".to_string(), 200, 100, Png),
            // 500 wide: no 600, never upscaled; its own width instead.
            ("chart.png".to_string(), 500, 250, Png),
            ("chart.webp".to_string(), 100, 50, WebP),
            ("chart.webp".to_string(), 200, 100, WebP),
            ("chart.webp".to_string(), 500, 250, WebP),
            // Stored 400x300 with Orientation 6: upright, 300x400.
            ("rotated.jpg".to_string(), 100, 133, Jpeg),
            ("rotated.jpg".to_string(), 200, 267, Jpeg),
            ("rotated.jpg".to_string(), 300, 400, Jpeg),
            ("rotated.webp".to_string(), 100, 133, WebP),
            ("rotated.webp".to_string(), 200, 267, WebP),
            ("rotated.webp".to_string(), 300, 400, WebP),
        ]
    );
    // The red square the camera's top-left had is top-left once upright.
    let widest = files
        .iter()
        .find(|(k, _)| k.ends_with(".300.jpg"))
        .unwrap()
        .1;
    let img = decode(widest).1.to_rgb8();
    let [r, g, b] = img.get_pixel(8, 8).0;
    assert!(r > 180 && g < 90 && b < 90, "top-left is {:?}", (r, g, b));
    let [r, g, _] = img.get_pixel(292, 392).0;
    assert!(!(r > 180 && g < 90), "the red square is not bottom-right");
    // The source's URL serves the cleaned, upright copy; SVG passes through.
    let (format, original) = decode(&site.out().join("photos/rotated.jpg"));
    assert_eq!(
        (format, original.width(), original.height()),
        (Jpeg, 300, 400)
    );
    assert_eq!(
        fs::read_to_string(site.out().join("images/logo.svg")).unwrap(),
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60"/>"#
    );
}

#[test]
fn picture_markup_with_srcset_sizes_and_priority() {
    let site = site();
    site.build(&[]).assert_ok();
    let page = site.html("blog/harvest/index.html");
    let pictures = page.all("picture");
    assert_eq!(pictures.len(), 2, "the hero and the Markdown PNG");

    // The hero: no lazy loading, high priority, the upright size.
    let hero = Page(scraper::Html::parse_fragment(&pictures[0].html()));
    let source = hero.attr("source", "type");
    assert_eq!(source, "image/webp");
    let webp = srcset(&hero.attr("source", "srcset"));
    assert_eq!(
        webp.iter().map(|(_, w)| *w).collect::<Vec<_>>(),
        [100, 200, 300]
    );
    assert!(webp
        .iter()
        .all(|(u, _)| u.starts_with("/_img/photos/rotated.") && u.ends_with(".webp")));
    let img = hero.all("img");
    let img = img[0].value();
    assert_eq!(
        (img.attr("width"), img.attr("height")),
        (Some("300"), Some("400"))
    );
    assert_eq!(img.attr("alt"), Some("Crates of olives"));
    assert_eq!(img.attr("fetchpriority"), Some("high"));
    assert_eq!(img.attr("loading"), None, "the hero is not lazy");
    let jpg = srcset(img.attr("srcset").unwrap());
    assert!(jpg.iter().all(|(u, _)| u.ends_with(".jpg")), "{jpg:?}");
    assert!(img.attr("sizes").is_some());
    let src = img.attr("src").unwrap();
    assert!(
        site.out().join(src.trim_start_matches('/')).is_file(),
        "{src}"
    );
    for (url, _) in webp.iter().chain(&jpg) {
        assert!(
            site.out().join(url.trim_start_matches('/')).is_file(),
            "{url}"
        );
    }

    // The Markdown image: lazy, the site's default sizes, its alt text.
    let body = Page(scraper::Html::parse_fragment(&pictures[1].html()));
    let img = body.all("img");
    let img = img[0].value();
    assert_eq!(img.attr("alt"), Some("A chart of the yield"));
    assert_eq!(
        (img.attr("width"), img.attr("height")),
        (Some("500"), Some("250"))
    );
    assert_eq!(img.attr("loading"), Some("lazy"));
    assert_eq!(img.attr("decoding"), Some("async"));
    assert_eq!(img.attr("fetchpriority"), None);
    assert_eq!(img.attr("sizes"), Some("(min-width: 44rem) 42rem, 100vw"));
    assert_eq!(
        body.attr("source", "sizes"),
        "(min-width: 44rem) 42rem, 100vw"
    );
    // SVG stays a plain <img>, with its size.
    let svg = page.all("img[src='/images/logo.svg']");
    assert_eq!(svg.len(), 1);
    assert_eq!(svg[0].value().attr("width"), Some("120"));
    // The list page's card is lazy.
    let list = site.html("blog/index.html");
    let card = list.all("img.card-image");
    assert_eq!(card[0].value().attr("loading"), Some("lazy"));
    assert!(card[0].value().attr("srcset").is_some());
}

#[test]
fn image_function_for_custom_templates() {
    let site = site().file(
        "templates/shortcodes/photo.html",
        "{{ image(path=\"/photos/rotated.jpg\", alt=alt, widths=[100, 300], sizes=\"50vw\", class=\"wide\", hero=true) }}",
    );
    let site = site.file(
        "content/about.md",
        "---\ntitle: About\n---\n{{ photo(alt=\"Our team <3 & co\") }}\n",
    );
    site.build(&[]).assert_ok();
    let page = site.html("about/index.html");
    let img = page.all("picture img");
    let img = img[0].value();
    assert_eq!(img.attr("alt"), Some("Our team <3 & co"));
    assert_eq!(img.attr("class"), Some("wide"));
    assert_eq!(img.attr("sizes"), Some("50vw"));
    assert_eq!(img.attr("fetchpriority"), Some("high"));
    let widths: Vec<u32> = srcset(img.attr("srcset").unwrap())
        .iter()
        .map(|(_, w)| *w)
        .collect();
    assert_eq!(widths, [100, 300]);
    let raw = site.read("about/index.html");
    assert!(raw.contains("alt=\"Our team &lt;3 &amp; co\""), "escaped");
}

/// The EXIF of an image file, if it has any (read leniently: piexif, as
/// some cameras, writes IFD links kamadak-exif finds unexpected).
fn exif_of(path: &Path) -> Option<exif::Exif> {
    let file = fs::File::open(path).unwrap();
    match exif::Reader::new()
        .continue_on_error(true)
        .read_from_container(&mut std::io::BufReader::new(file))
    {
        Ok(e) => Some(e),
        Err(exif::Error::PartialResult(partial)) => Some(partial.into_inner().0),
        Err(_) => None,
    }
}

fn has_gps(path: &Path) -> bool {
    exif_of(path).is_some_and(|e| e.fields().any(|f| f.tag.context() == exif::Context::Gps))
}

/// Every JPEG, PNG and WebP file of the output folder.
fn published_rasters(out: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ["jpg", "jpeg", "png", "webp"].contains(&e))
        })
        .collect()
}

#[test]
fn published_images_carry_no_metadata() {
    let site = site();
    assert!(
        has_gps(&site.path().join("static/photos/rotated.jpg")),
        "the source has GPS"
    );
    site.build(&[]).assert_ok();
    let files = published_rasters(&site.out());
    assert!(files.len() >= 13, "{files:?}");
    for f in &files {
        assert!(exif_of(f).is_none(), "{} has EXIF", f.display());
    }
}

#[test]
fn keep_metadata_publishes_the_source_as_is() {
    let site = site().file(
        "site.yaml",
        "title: Test Shop\nbase_url: https://shop.test\nimages:\n  widths: [100]\n  keep_metadata: true\n",
    );
    site.build(&[]).assert_ok();
    assert_eq!(
        fs::read(site.out().join("photos/rotated.jpg")).unwrap(),
        rotated_jpeg()
    );
    for f in variants(&site).values() {
        assert!(!has_gps(f), "{} has GPS", f.display());
    }
}

#[test]
fn site_example_publishes_no_gps() {
    let site = TestSite::copy_of("site-example");
    assert!(has_gps(
        &site.path().join("static/photos/harvest-crates.jpg")
    ));
    site.build(&[]).assert_ok();
    let files = published_rasters(&site.out());
    assert!(
        files.len() > 12 * 8,
        "12 photos, 4 widths, 2 formats: {}",
        files.len()
    );
    for f in &files {
        assert!(!has_gps(f), "{} has GPS", f.display());
    }
    // A product and a post whose hero is one of the photos.
    for page in [
        "products/early-harvest-500ml/index.html",
        "blog/harvest-2025-notes/index.html",
    ] {
        let html = site.html(page);
        let hero = html.all("main picture img[fetchpriority='high']");
        assert_eq!(hero.len(), 1, "{page}");
        assert!(hero[0]
            .value()
            .attr("srcset")
            .unwrap()
            .contains("/_img/photos/"));
    }
}

#[test]
fn second_build_encodes_nothing() {
    let site = site();
    site.build(&[])
        .assert_ok()
        .assert_stdout_has("(2 images: 2 encoded into 12 files, 0 from the cache");
    let cached: Vec<_> = fs::read_dir(site.path().join(".lander/images"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(cached.len() >= 12, "{cached:?}");
    let before = fs::read_to_string(site.out().join("blog/harvest/index.html")).unwrap();
    site.build(&[])
        .assert_ok()
        .assert_stdout_has("(2 images: 0 encoded into 0 files, 2 from the cache");
    let after = fs::read_to_string(site.out().join("blog/harvest/index.html")).unwrap();
    assert_eq!(before, after);
    // A changed image is encoded again, under a new name; the other is not.
    site.write("static/images/chart.png", &png(400, 200));
    site.build(&[])
        .assert_ok()
        .assert_stdout_has("(2 images: 1 encoded into 6 files, 1 from the cache");
    let page = site.read("blog/harvest/index.html");
    assert_ne!(page, after);
    assert!(page.contains("width=\"400\" height=\"200\""));
}

/// A build that fails on `bad`: exit code 1, the message names `at`
/// (file:line) and says `what`, and the previous output is intact.
#[track_caller]
fn refused(site: &TestSite, bad: impl FnOnce(&TestSite), at: &str, what: &str) {
    site.build(&[]).assert_ok();
    let before = fs::read_to_string(site.out().join("blog/harvest/index.html")).unwrap();
    bad(site);
    let run = site.build(&[]);
    run.assert_fails()
        .assert_stderr_has(at)
        .assert_stderr_has(what);
    assert_eq!(
        fs::read_to_string(site.out().join("blog/harvest/index.html")).unwrap(),
        before,
        "the previous output stays"
    );
}

#[test]
fn truncated_image_is_an_error_at_the_line_that_uses_it() {
    let site = site();
    refused(
        &site,
        |s| {
            let bytes = rotated_jpeg();
            s.write("static/photos/rotated.jpg", &bytes[..bytes.len() / 3]);
        },
        "content/blog/harvest.md:4",
        "is damaged or truncated",
    );
}

#[test]
fn unsupported_format_is_an_error_at_the_line_that_uses_it() {
    let site = site();
    refused(
        &site,
        // A BMP named .png.
        |s| {
            s.write(
                "static/images/chart.png",
                b"BM\x3a\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0",
            )
        },
        "content/blog/harvest.md:9",
        "is not in a format lander can resize",
    );
}

/// A real JPEG whose header claims 20000x20000 pixels: refused before
/// decoding (which would take 1.2 GB).
fn huge_jpeg() -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbImage::from_pixel(16, 16, image::Rgb([10, 20, 30]))
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
        .unwrap();
    // SOF0: FF C0, length (2), precision (1), height (2), width (2).
    let sof = bytes.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    bytes[sof + 5..sof + 7].copy_from_slice(&20000u16.to_be_bytes());
    bytes[sof + 7..sof + 9].copy_from_slice(&20000u16.to_be_bytes());
    bytes
}

#[test]
fn huge_image_is_refused_before_decoding() {
    let site = site();
    refused(
        &site,
        |s| s.write("static/photos/rotated.jpg", &huge_jpeg()),
        "content/blog/harvest.md:4",
        "is 20000x20000 (400.0 megapixels), over the limit",
    );
    // The limit is a setting.
    site.write(
        "site.yaml",
        b"title: Test Shop\nbase_url: https://shop.test\nimages:\n  max_pixels: 1000\n",
    );
    site.write("static/photos/rotated.jpg", &rotated_jpeg());
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("is 400x300 (0.1 megapixels)")
        .assert_stderr_has("images.max_pixels");
}

#[test]
fn image_outside_the_site_is_an_error() {
    let site = site();
    refused(
        &site,
        |s| {
            s.write(
                "content/blog/harvest.md",
                b"---\ntitle: Harvest\ndate: 2025-10-01\nimage: ../../../etc/passwd\nimage_alt: A file\n---\nText.\n",
            )
        },
        "content/blog/harvest.md:4",
        "the image `../../../etc/passwd` is outside the site",
    );
}

#[test]
fn unreferenced_broken_image_is_a_warning_and_copied_as_is() {
    let site = TestSite::minimal();
    site.write("static/images/broken.jpg", b"\xFF\xD8\xFF\xE0 not really");
    site.build(&[])
        .assert_ok()
        .assert_stderr_has("warning: static/images/broken.jpg: the image `/images/broken.jpg`");
    assert_eq!(
        fs::read(site.out().join("images/broken.jpg")).unwrap(),
        b"\xFF\xD8\xFF\xE0 not really"
    );
}
