//! Social cards: the og:image of every indexable page, a PNG of 1200x630
//! drawn from card.svg (or the page's own photo, cropped), cached in the
//! site's `.lander/cards/`.

use crate::common::{Page, TestSite};

const SITE: &str = "title: Oliva & Co\nbase_url: https://shop.test\nlanguages:\n  ar:\n    title: \"أوليفا وشركاه\"\n    direction: rtl\n";

fn site() -> TestSite {
    TestSite::empty()
        .file("site.yaml", SITE)
        .file("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n")
        .file(
            "content/blog/press.md",
            "---\ntitle: \"Pressing <olives> & why it matters\"\ndescription: How we mill within hours.\ndate: 2025-10-01\n---\nBody.\n",
        )
        .file(
            "content/blog/press.ar.md",
            "---\ntitle: \"زيت\"\ndate: 2025-10-01\n---\nنص.\n",
        )
        .file("content/hidden.md", "---\ntitle: Hidden\nnoindex: true\n---\nx\n")
}

fn meta(page: &Page, property: &str) -> String {
    let by_property = page.attrs(&format!("meta[property=\"{property}\"]"), "content");
    let by_name = page.attrs(&format!("meta[name=\"{property}\"]"), "content");
    by_property
        .into_iter()
        .chain(by_name)
        .next()
        .unwrap_or_default()
}

/// The output file an absolute og:image URL names.
fn card_file(site: &TestSite, url: &str) -> std::path::PathBuf {
    let rel = url
        .strip_prefix("https://shop.test/")
        .unwrap_or_else(|| panic!("not on the site: {url}"));
    site.out().join(rel)
}

fn decode(path: &std::path::Path) -> image::RgbImage {
    image::open(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .to_rgb8()
}

/// Leftmost and rightmost columns where the title (light text on the dark
/// card, not the yellow bar at its edge) has ink, in the band of rows `rows`.
fn ink(img: &image::RgbImage, rows: std::ops::Range<u32>) -> (u32, u32) {
    let (mut min, mut max) = (u32::MAX, 0);
    for y in rows {
        for x in 0..img.width() {
            if img.get_pixel(x, y).0.iter().all(|c| *c > 200) {
                min = min.min(x);
                max = max.max(x);
            }
        }
    }
    (min, max)
}

#[test]
fn every_indexable_page_shares_a_card_of_1200x630() {
    let site = site();
    site.build(&["--cards-svg"]).assert_ok();
    let post = site.html("blog/press/index.html");
    let url = meta(&post, "og:image");
    assert!(
        url.starts_with("https://shop.test/cards/blog-press."),
        "{url}"
    );
    assert!(url.ends_with(".png"));
    assert_eq!(meta(&post, "og:image:width"), "1200");
    assert_eq!(meta(&post, "og:image:height"), "630");
    assert_eq!(
        meta(&post, "og:image:alt"),
        "Pressing <olives> & why it matters"
    );
    assert_eq!(meta(&post, "twitter:card"), "summary_large_image");
    assert_eq!(meta(&post, "twitter:image"), url);
    let png = card_file(&site, &url);
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG"));
    let img = decode(&png);
    assert_eq!((img.width(), img.height()), (1200, 630));

    // The SVG it was drawn from holds the title, escaped as XML.
    let svg = std::fs::read_to_string(png.with_extension("svg")).unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("the card is well-formed XML");
    let text: String = doc
        .descendants()
        .filter(|n| n.has_tag_name("tspan"))
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("Pressing <olives> & why it matters"),
        "{text}"
    );
    assert!(svg.contains("Oliva &amp; Co"));

    // Lists and the home page have one too; noindex pages do not.
    for page in ["index.html", "blog/index.html", "ar/index.html"] {
        let p = site.html(page);
        let url = meta(&p, "og:image");
        assert!(card_file(&site, &url).is_file(), "{page}: {url}");
        assert_eq!(meta(&p, "twitter:card"), "summary_large_image");
    }
    let hidden = site.html("hidden/index.html");
    assert_eq!(meta(&hidden, "og:image"), "");
    assert_eq!(meta(&hidden, "twitter:card"), "summary");
}

#[test]
fn arabic_cards_are_right_to_left() {
    let site = site();
    site.build(&["--cards-svg"]).assert_ok();
    let ar = site.html("ar/blog/press/index.html");
    let en = site.html("blog/press/index.html");
    let (ar_png, en_png) = (
        card_file(&site, &meta(&ar, "og:image")),
        card_file(&site, &meta(&en, "og:image")),
    );
    let svg = std::fs::read_to_string(ar_png.with_extension("svg")).unwrap();
    assert!(svg.contains("direction=\"rtl\"") && svg.contains("text-anchor=\"end\""));
    assert!(svg.contains("xml:lang=\"ar\""));
    // The short Arabic title ends at the right margin; the English one
    // starts at the left margin.
    let title_rows = 240..380;
    let (left, right) = ink(&decode(&ar_png), title_rows.clone());
    assert!((1100..=1125).contains(&right), "{left}..{right}");
    assert!(
        left > 600,
        "a short title stays on the right: {left}..{right}"
    );
    let (left, _) = ink(&decode(&en_png), title_rows);
    assert!((78..=100).contains(&left), "{left}");
}

#[test]
fn the_site_can_override_the_card_template() {
    let site = site().file(
        "templates/card.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\"><rect width=\"1200\" height=\"630\" fill=\"#c00000\"/><text x=\"60\" y=\"300\" font-size=\"60\" fill=\"#fff\">{{ card.title }} · {{ card.site_name }}</text></svg>\n",
    );
    site.build(&["--cards-svg"]).assert_ok();
    let png = card_file(
        &site,
        &meta(&site.html("blog/press/index.html"), "og:image"),
    );
    let img = decode(&png);
    assert_eq!(img.get_pixel(5, 5).0, [0xc0, 0, 0]);
    let svg = std::fs::read_to_string(png.with_extension("svg")).unwrap();
    assert!(
        svg.contains("Pressing &lt;olives&gt; &amp; why it matters · Oliva &amp; Co"),
        "{svg}"
    );
}

#[test]
fn a_page_photo_is_cropped_to_the_card() {
    let site = site().file(
        "content/products/tin.md",
        "---\ntitle: Tin\nimage: /images/grove.jpg\nimage_alt: The grove at dawn\nprice: 10\ncurrency: EUR\n---\nA tin.\n",
    );
    // A 2000x1000 photo: wider than the card, so its sides are cut (the
    // 1905 pixels around the centre are kept: x from 47 to 1952).
    let mut photo = image::RgbImage::from_pixel(2000, 1000, image::Rgb([20, 120, 40]));
    for x in 0..40 {
        for y in 0..1000 {
            photo.put_pixel(x, y, image::Rgb([250, 0, 0]));
        }
    }
    let mut jpeg = std::io::Cursor::new(Vec::new());
    photo.write_to(&mut jpeg, image::ImageFormat::Jpeg).unwrap();
    site.write("static/images/grove.jpg", &jpeg.into_inner());
    site.build(&[]).assert_ok();
    let page = site.html("products/tin/index.html");
    let url = meta(&page, "og:image");
    assert!(
        url.starts_with("https://shop.test/cards/grove.") && url.ends_with(".jpg"),
        "{url}"
    );
    assert_eq!(meta(&page, "og:image:alt"), "The grove at dawn");
    assert_eq!(meta(&page, "twitter:card"), "summary_large_image");
    let img = decode(&card_file(&site, &url));
    assert_eq!((img.width(), img.height()), (1200, 630));
    // The red band at the photo's left edge is outside the centre crop.
    let edge = img.get_pixel(2, 315).0;
    assert!(edge[0] < 100 && edge[1] > 80, "{edge:?}");
    // The page still shows its whole photo, resized by the images stage.
    let src = page.attr("main img", "src");
    assert!(src.starts_with("/_img/images/grove."), "{src}");
    assert_eq!(page.attr("main img", "width"), "1600");
}

#[test]
fn a_rebuild_draws_only_the_cards_that_changed() {
    let site = site();
    let first = site.build(&[]);
    first.assert_ok();
    let drawn = |out: &str| -> (usize, usize) {
        // "Built … (N social cards: D drawn, C from the cache)"
        let (_, cards) = out
            .split_once(" social cards: ")
            .unwrap_or_else(|| panic!("no card figures in {out}"));
        let n: Vec<usize> = cards
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|w| w.parse().ok())
            .take(2)
            .collect();
        (n[0], n[1])
    };
    let (made, cached) = drawn(&first.stdout);
    assert!(made >= 5 && cached == 0, "{}", first.stdout);
    assert!(
        site.path()
            .join(".lander/cards")
            .read_dir()
            .unwrap()
            .count()
            >= made
    );

    let second = site.build(&[]);
    second.assert_ok();
    assert_eq!(drawn(&second.stdout), (0, made), "{}", second.stdout);
    let url = meta(&site.html("blog/press/index.html"), "og:image");
    assert!(card_file(&site, &url).is_file());

    // A new title: that page's card (and the lists that do not show it: none) again.
    site.write(
        "content/blog/press.md",
        b"---\ntitle: Pressed today\ndate: 2025-10-01\n---\nBody.\n",
    );
    let third = site.build(&[]);
    third.assert_ok();
    assert_eq!(drawn(&third.stdout), (1, made - 1), "{}", third.stdout);
    let new_url = meta(&site.html("blog/press/index.html"), "og:image");
    assert_ne!(new_url, url, "a changed card gets a new name");
}

#[test]
fn a_broken_card_template_names_its_file_and_line() {
    // A syntax error: found when the templates load, at its line.
    let site = site().file(
        "templates/card.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\">\n<text>{{ card.title | }}</text>\n</svg>\n",
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("templates/card.svg:2");
    assert!(!site.out().exists(), "nothing is written");
    // A filter that does not exist shows only when a card is drawn: the
    // file and the page whose card failed.
    site.write(
        "templates/card.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\">\n<text>{{ card.title | nope }}</text>\n</svg>\n",
    );
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("templates/card.svg: template error: Filter 'nope' not found")
        .assert_stderr_has("while drawing the social card of /");
    assert!(!site.out().exists(), "nothing is written");
}

#[test]
fn cards_can_be_turned_off_for_the_site_or_a_page() {
    let site = site()
        .file(
            "content/about.md",
            "---\ntitle: About\ncard: false\n---\nx\n",
        )
        .file("static/images/share.png", "");
    site.write("static/images/share.png", &tiny_png());
    site.build(&[]).assert_ok();
    assert_eq!(meta(&site.html("about/index.html"), "og:image"), "");
    assert!(!meta(&site.html("index.html"), "og:image").is_empty());

    std::fs::write(
        site.path().join("site.yaml"),
        format!("{SITE}seo:\n  cards: false\n  image: /images/share.png\n"),
    )
    .unwrap();
    site.build(&[]).assert_ok();
    let home = site.html("index.html");
    assert_eq!(
        meta(&home, "og:image"),
        "https://shop.test/images/share.png"
    );
    assert!(!site.out().join("cards").exists());
}

fn tiny_png() -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(4, 4, image::Rgb([1, 2, 3]))
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}
