//! What the rules need to know about a rendered page, read from its HTML
//! with `scraper` in one pass. Parsed documents are not `Send`, so each page
//! is parsed and reduced to these plain facts on the thread that reads it.

use std::collections::HashSet;

use scraper::{ElementRef, Html, Selector};

/// A URL written in the page: a link, an image, a script, a stylesheet…
#[derive(Debug, Clone, PartialEq)]
pub struct Ref {
    /// As written in the attribute.
    pub url: String,
    /// The element, e.g. `a`, `img`.
    pub tag: String,
    /// Inside an offer block (`data-lander-offer`): that offer's id.
    pub offer: Option<String>,
    /// Inside a popup (shown only on exit intent, delay or scroll) or an
    /// announcement bar: placements over many pages, not the page's own
    /// call-to-action.
    pub in_popup: bool,
}

impl Ref {
    /// Whether following it takes the visitor somewhere (a link), rather
    /// than loading a resource into the page.
    pub fn is_link(&self) -> bool {
        matches!(self.tag.as_str(), "a" | "area")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub action: Option<String>,
    pub post: bool,
    /// `data-offer`: the offer whose form this is.
    pub offer: Option<String>,
}

/// Facts about one rendered HTML page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doc {
    /// Path of the output file, e.g. `blog/x/index.html`.
    pub path: String,
    /// Every `id` and `<a name>` of the page: the targets of `#fragments`.
    pub ids: HashSet<String>,
    /// Text of the `<title>` in `<head>`, whitespace collapsed; `None`
    /// without one.
    pub title: Option<String>,
    /// `content` of `<meta name="description">`.
    pub description: Option<String>,
    /// `<meta name="robots" content="noindex…">`.
    pub noindex: bool,
    pub h1: usize,
    pub refs: Vec<Ref>,
    /// `src` of every `<img>` without an `alt` attribute (`alt=""` is a
    /// decorative image and fine).
    pub imgs_without_alt: Vec<Ref>,
    /// Text of every `<script type="application/ld+json">`.
    pub json_ld: Vec<String>,
    pub forms: Vec<Form>,
    /// A call-to-action outside popups: an offer block, a CTA, a button
    /// link or a form that posts.
    pub has_cta: bool,
    /// Offers shown on the page outside popups (`data-offer`,
    /// `data-lander-offer`).
    pub offers: HashSet<String>,
    /// `href` of `<link rel="canonical">`.
    pub canonical: Option<String>,
    /// The page has `<meta property="og:image">`.
    pub og_image: bool,
    /// `src` of every `<img>` without both `width` and `height` (the page
    /// shifts when it loads).
    pub imgs_without_size: Vec<Ref>,
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).expect("valid selector")
}

/// Attributes holding URLs, by element.
const URL_ATTRS: [(&str, &str); 13] = [
    ("a", "href"),
    ("area", "href"),
    ("link", "href"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("script", "src"),
    ("iframe", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
];

pub fn extract(path: &str, html: &str) -> Doc {
    let doc = Html::parse_document(html);
    let mut out = Doc {
        path: path.to_string(),
        ..Doc::default()
    };
    out.title = doc
        .select(&sel("head title"))
        .next()
        .map(|t| collapse(&t.text().collect::<String>()));
    for meta in doc.select(&sel("meta[name]")) {
        let name = meta.value().attr("name").unwrap_or_default();
        let content = meta.value().attr("content").unwrap_or_default();
        if name.eq_ignore_ascii_case("description") && out.description.is_none() {
            out.description = Some(collapse(content));
        } else if name.eq_ignore_ascii_case("robots")
            && content.to_ascii_lowercase().contains("noindex")
        {
            out.noindex = true;
        }
    }
    out.canonical = doc
        .select(&sel("link[rel='canonical']"))
        .next()
        .and_then(|l| l.value().attr("href"))
        .map(|h| h.trim().to_string());
    for meta in doc.select(&sel(
        "meta[property='og:image'], meta[name='twitter:image']",
    )) {
        if meta.value().attr("property") == Some("og:image") {
            out.og_image = true;
        }
        if let Some(url) = meta.value().attr("content") {
            out.refs.push(Ref {
                url: url.trim().to_string(),
                tag: "meta".into(),
                offer: None,
                in_popup: false,
            });
        }
    }

    for el in doc
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
    {
        let v = el.value();
        let tag = v.name();
        if let Some(id) = v.id() {
            out.ids.insert(id.to_string());
        }
        if tag == "a" {
            if let Some(name) = v.attr("name") {
                out.ids.insert(name.to_string());
            }
        }
        if tag == "h1" {
            out.h1 += 1;
        }
        let wanted = URL_ATTRS.iter().any(|(t, _)| *t == tag);
        let is_form = tag == "form";
        let is_img = tag == "img";
        let offer_attr = v.attr("data-offer").or(v.attr("data-lander-offer"));
        let cta_like = offer_attr.is_some()
            || v.attr("data-lander-cta").is_some()
            || (tag == "a" && v.classes().any(|c| c == "button"));
        if !(wanted || is_form || cta_like) && tag != "script" {
            continue;
        }
        let (offer, in_popup) = surroundings(el);
        if tag == "script"
            && v.attr("type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
        {
            out.json_ld.push(el.text().collect());
        }
        let reference = |url: &str| Ref {
            url: url.trim().to_string(),
            tag: tag.to_string(),
            offer: offer.clone(),
            in_popup,
        };
        for (t, attr) in URL_ATTRS {
            if t != tag {
                continue;
            }
            let Some(value) = v.attr(attr) else { continue };
            if attr == "srcset" {
                for candidate in value.split(',') {
                    if let Some(url) = candidate.split_whitespace().next() {
                        out.refs.push(reference(url));
                    }
                }
            } else {
                out.refs.push(reference(value));
            }
        }
        if is_img && v.attr("alt").is_none() {
            out.imgs_without_alt
                .push(reference(v.attr("src").unwrap_or_default()));
        }
        if is_img && (v.attr("width").is_none() || v.attr("height").is_none()) {
            out.imgs_without_size
                .push(reference(v.attr("src").unwrap_or_default()));
        }
        let post = is_form
            && v.attr("method")
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("post"));
        if is_form {
            out.forms.push(Form {
                action: v.attr("action").map(|a| a.trim().to_string()),
                post,
                offer: v.attr("data-offer").map(str::to_string),
            });
        }
        if !in_popup {
            if cta_like || post {
                out.has_cta = true;
            }
            if let Some(id) = offer_attr {
                out.offers.insert(id.to_string());
            }
        }
    }
    out
}

/// The offer block an element is in (itself included), and whether it is
/// inside a popup or an announcement bar.
fn surroundings(el: ElementRef) -> (Option<String>, bool) {
    let mut offer = None;
    let mut in_popup = false;
    let ancestors = std::iter::once(el).chain(el.ancestors().filter_map(ElementRef::wrap));
    for a in ancestors {
        let v = a.value();
        if offer.is_none() {
            offer = v.attr("data-lander-offer").map(str::to_string);
        }
        if v.attr("data-lander-popup").is_some() || v.attr("data-lander-bar").is_some() {
            in_popup = true;
        }
    }
    (offer, in_popup)
}

/// Whitespace runs become one space; ends trimmed.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r##"<!DOCTYPE html><html><head>
<title> A   page | Site </title>
<meta name="description" content="About things.">
<meta name="robots" content="noindex, follow">
<meta property="og:image" content="https://x.test/i.png">
<script type="application/ld+json">{"@context":"https://schema.org"}</script>
</head><body>
<a href="#main">Skip</a>
<svg><title>icon</title></svg>
<main id="main"><h1>One</h1><h1>Two</h1>
<a name="old"></a>
<img src="/a.png"><img src="/b.png" alt="">
<img srcset="/s1.png 1x, /s2.png 2x" alt="x">
<div data-lander-offer="spring"><a class="button" href="/offers/spring/" data-lander-cta data-offer="spring">Go</a></div>
<form method="POST" action="http://x.test/" data-offer="spring"></form>
</main>
<div data-lander-popup="pop"><div data-lander-offer="pop"><a href="/p/">P</a></div></div>
</body></html>"##;

    #[test]
    fn facts_of_a_page() {
        let d = extract("x/index.html", PAGE);
        assert_eq!(d.title.as_deref(), Some("A page | Site"));
        assert_eq!(d.description.as_deref(), Some("About things."));
        assert!(d.noindex);
        assert_eq!(d.h1, 2);
        assert!(d.ids.contains("main") && d.ids.contains("old"));
        assert_eq!(d.json_ld.len(), 1);
        let urls: Vec<&str> = d.refs.iter().map(|r| r.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://x.test/i.png",
                "#main",
                "/a.png",
                "/b.png",
                "/s1.png",
                "/s2.png",
                "/offers/spring/",
                "/p/"
            ]
        );
        assert_eq!(d.refs[6].offer.as_deref(), Some("spring"));
        assert!(d.refs[7].in_popup && d.refs[7].offer.as_deref() == Some("pop"));
        assert_eq!(d.imgs_without_alt.len(), 1);
        assert_eq!(d.imgs_without_alt[0].url, "/a.png");
        assert_eq!(
            d.forms,
            [Form {
                action: Some("http://x.test/".into()),
                post: true,
                offer: Some("spring".into())
            }]
        );
        assert!(d.has_cta);
        assert_eq!(d.offers, HashSet::from(["spring".to_string()]));
    }

    #[test]
    fn a_page_without_head_title_has_none() {
        let d = extract(
            "x.html",
            "<html><body><svg><title>i</title></svg></body></html>",
        );
        assert_eq!(d.title, None);
        assert!(!d.has_cta);
    }
}
