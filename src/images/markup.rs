//! The HTML of an image: `<picture>` with a `<source>` per modern format and
//! an `<img>` fallback with `srcset`, `sizes`, `width` and `height`; lazy
//! below the fold, `fetchpriority="high"` for the page's hero (its LCP
//! element). Used by the Markdown renderer, the theme's views and the
//! `image()` template function alike.

use pulldown_cmark_escape::{escape_href, escape_html};

use super::{Pictures, Variant};

/// How one image is shown.
#[derive(Debug, Clone, Default)]
pub struct Options<'a> {
    pub alt: &'a str,
    pub title: Option<&'a str>,
    pub class: Option<&'a str>,
    /// `sizes`; the site's `images.sizes` when not given.
    pub sizes: Option<&'a str>,
    /// Publish only the variants nearest these widths.
    pub widths: Option<&'a [u32]>,
    /// The page's main image: loaded at once, with high priority.
    pub hero: bool,
}

impl Pictures {
    /// The markup for the image at `url` (a site path, maybe already
    /// prefixed with `base_path`, or an external URL).
    pub fn html(&self, url: &str, base_path: &str, opts: &Options) -> String {
        let path = site_path(url, base_path);
        let mut out = String::new();
        let Some(p) = self.by_path.get(path) else {
            out.push_str("<img src=\"");
            push_url(&mut out, &link(url, path, base_path));
            out.push('"');
            let size = self.sizes.get(path).copied();
            push_img_attrs(&mut out, opts, size);
            out.push('>');
            return out;
        };
        let sizes = opts.sizes.unwrap_or(&self.default_sizes);
        out.push_str("<picture>");
        for (format, variants) in &p.modern {
            let chosen = choose(variants, opts.widths);
            if chosen.is_empty() {
                continue;
            }
            out.push_str("<source type=\"");
            out.push_str(format.mime());
            out.push_str("\" srcset=\"");
            push_srcset(&mut out, &chosen, base_path);
            out.push_str("\" sizes=\"");
            let _ = escape_html(&mut out, sizes);
            out.push_str("\">");
        }
        let chosen = choose(&p.fallback, opts.widths);
        let src = chosen
            .iter()
            .find(|v| v.width >= 800)
            .or(chosen.last())
            .map_or(path, |v| v.path.as_str());
        out.push_str("<img src=\"");
        push_url(&mut out, &format!("{base_path}{src}"));
        out.push_str("\" srcset=\"");
        push_srcset(&mut out, &chosen, base_path);
        out.push_str("\" sizes=\"");
        let _ = escape_html(&mut out, sizes);
        out.push('"');
        push_img_attrs(&mut out, opts, Some((p.width, p.height)));
        out.push_str("></picture>");
        out
    }
}

/// The site path of `url`: without the base path, query and fragment.
fn site_path<'u>(url: &'u str, base_path: &str) -> &'u str {
    let url = url.split(['?', '#']).next().unwrap_or(url);
    match url.strip_prefix(base_path) {
        Some(rest) if !base_path.is_empty() && rest.starts_with('/') => rest,
        _ => url,
    }
}

/// `url` as it goes in `src`: root-relative site paths get the base path.
fn link(url: &str, path: &str, base_path: &str) -> String {
    if url.starts_with('/') && !url.starts_with("//") && path == url {
        format!("{base_path}{url}")
    } else {
        url.to_string()
    }
}

/// The variants nearest each wanted width, or all of them.
fn choose<'v>(variants: &'v [Variant], widths: Option<&[u32]>) -> Vec<&'v Variant> {
    let Some(widths) = widths.filter(|w| !w.is_empty()) else {
        return variants.iter().collect();
    };
    let mut chosen: Vec<&Variant> = widths
        .iter()
        .filter_map(|w| variants.iter().min_by_key(|v| v.width.abs_diff(*w)))
        .collect();
    chosen.sort_by_key(|v| v.width);
    chosen.dedup_by_key(|v| v.width);
    chosen
}

fn push_srcset(out: &mut String, variants: &[&Variant], base_path: &str) {
    for (i, v) in variants.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_url(out, &format!("{base_path}{}", v.path));
        out.push_str(&format!(" {}w", v.width));
    }
}

fn push_url(out: &mut String, url: &str) {
    let _ = escape_href(&mut *out, url);
}

fn push_img_attrs(out: &mut String, opts: &Options, size: Option<(u32, u32)>) {
    if let Some((w, h)) = size {
        out.push_str(&format!(" width=\"{w}\" height=\"{h}\""));
    }
    out.push_str(" alt=\"");
    let _ = escape_html(&mut *out, opts.alt.trim());
    out.push('"');
    if let Some(title) = opts.title.filter(|t| !t.is_empty()) {
        out.push_str(" title=\"");
        let _ = escape_html(&mut *out, title);
        out.push('"');
    }
    if let Some(class) = opts.class.filter(|c| !c.is_empty()) {
        out.push_str(" class=\"");
        let _ = escape_html(&mut *out, class);
        out.push('"');
    }
    if opts.hero {
        out.push_str(" fetchpriority=\"high\"");
    } else {
        out.push_str(" loading=\"lazy\" decoding=\"async\"");
    }
}

#[cfg(test)]
mod tests {
    use super::super::Picture;
    use super::*;
    use crate::config::images::ModernFormat;

    fn pictures() -> Pictures {
        let v = |w: u32, ext: &str| Variant {
            width: w,
            height: w * 3 / 4,
            path: format!("/_img/images/a.1234abcd.{w}.{ext}"),
            file: Default::default(),
        };
        let mut p = Pictures {
            default_sizes: "100vw".into(),
            ..Pictures::default()
        };
        p.by_path.insert(
            "/images/a.jpg".into(),
            Picture {
                width: 1600,
                height: 1200,
                fallback: vec![v(480, "jpg"), v(800, "jpg"), v(1600, "jpg")],
                modern: vec![(
                    ModernFormat::Webp,
                    vec![v(480, "webp"), v(800, "webp"), v(1600, "webp")],
                )],
            },
        );
        p.sizes.insert("/images/b.svg".into(), (300, 150));
        p
    }

    #[test]
    fn picture_with_sources_and_priority() {
        let html = pictures().html(
            "/shop/images/a.jpg",
            "/shop",
            &Options {
                alt: "A \"quoted\" <b>",
                hero: true,
                widths: Some(&[480, 800]),
                ..Options::default()
            },
        );
        assert_eq!(
            html,
            "<picture><source type=\"image/webp\" srcset=\"/shop/_img/images/a.1234abcd.480.webp 480w, /shop/_img/images/a.1234abcd.800.webp 800w\" sizes=\"100vw\">\
             <img src=\"/shop/_img/images/a.1234abcd.800.jpg\" srcset=\"/shop/_img/images/a.1234abcd.480.jpg 480w, /shop/_img/images/a.1234abcd.800.jpg 800w\" sizes=\"100vw\" \
             width=\"1600\" height=\"1200\" alt=\"A &quot;quoted&quot; &lt;b&gt;\" fetchpriority=\"high\"></picture>"
        );
    }

    #[test]
    fn plain_img_for_svg_and_external() {
        let p = pictures();
        let html = p.html("/images/b.svg", "/shop", &Options::default());
        assert_eq!(
            html,
            "<img src=\"/shop/images/b.svg\" width=\"300\" height=\"150\" alt=\"\" loading=\"lazy\" decoding=\"async\">"
        );
        let html = p.html("https://cdn.example.com/x.jpg", "", &Options::default());
        assert!(html.starts_with("<img src=\"https://cdn.example.com/x.jpg\" alt=\"\""));
    }
}
