//! The social card of each indexable page, planned while the page renders:
//! its URL goes into `og:image` now, its pixels are made after the pages by
//! [`crate::cards`]. A page with a photo of its own shares it, cropped to
//! the card; any other page gets the theme's (or the site's) `card.svg`.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use super::lang::Locale;
use super::urls::Urls;
use super::views::PageView;
use crate::cards::{crop_size, fonts, CardJob, CardSource, HEIGHT, WIDTH};
use crate::content::Site;
use crate::error::Diagnostic;
use crate::theme::{template_error, Theme};

/// The template of generated cards (the site's `templates/card.svg` wins).
pub const TEMPLATE: &str = "card.svg";

/// Formats a page photo can be cropped from.
const PHOTOS: [&str; 4] = ["jpg", "jpeg", "png", "webp"];

/// What `<head>` says about a page's card.
#[derive(Debug, Clone, PartialEq)]
pub struct CardMeta {
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
}

/// `card` in card.svg.
#[derive(Serialize)]
struct CardView<'a> {
    title: &'a str,
    site_name: &'a str,
    description: &'a str,
    lang: &'a str,
    dir: &'a str,
    kind: &'a str,
    url: &'a str,
}

/// Plans the cards of one render.
pub struct Cards<'a> {
    site: &'a Site,
    theme: &'a Theme,
    urls: Urls<'a>,
    /// The shipped fonts and the renderer: part of every card's key.
    version: String,
    /// Raster images that pages and offers use as their image, by site
    /// path: the file and a hash of its bytes.
    photos: HashMap<String, (PathBuf, String)>,
}

impl<'a> Cards<'a> {
    /// Reads the photos that pages use as their image, to name their crops
    /// by content. (The one read of files in this stage: a crop's name
    /// must change when the photo does, and only the bytes say so.)
    pub fn new(site: &'a Site, theme: &'a Theme, urls: Urls<'a>) -> Cards<'a> {
        let mut used: HashSet<&str> = HashSet::new();
        if site.config.seo.cards {
            // Read before the jobs: the photos' bytes, once.
            for p in &site.pages {
                if let Some(i) = p.meta.image.as_deref().or(p
                    .meta
                    .images
                    .first()
                    .map(String::as_str))
                {
                    used.insert(i);
                }
            }
            // ...and the offers' (before the jobs).
            for o in &site.offers {
                for l in 0..site.languages.len() {
                    used.extend(o.def_in(l).image.as_deref());
                }
            }
        }
        let photos = site
            .statics
            .par_iter()
            .filter(|s| {
                let ext = s.to.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
                ext.is_some_and(|e| PHOTOS.contains(&e.as_str()))
                    && used.contains(format!("/{}", s.to).as_str())
            })
            .filter_map(|s| {
                let bytes = std::fs::read(&s.from).ok()?;
                let hash = blake3::hash(&bytes).to_hex().to_string();
                Some((format!("/{}", s.to), (s.from.clone(), hash)))
            })
            .collect();
        Cards {
            site,
            theme,
            urls,
            version: fonts::version(),
            photos,
        }
    }

    /// The card of a page (its `page`) in language `loc`, unless it
    /// has none: cards are off, the page is not indexable or opts out.
    /// `origin` is where a failure is reported: the source file and the
    /// line of its `image`.
    pub fn plan(
        &self,
        page: &PageView,
        loc: &Locale,
        opted_out: bool,
        origin: Option<(PathBuf, usize)>,
    ) -> Result<Option<(CardMeta, CardJob)>, Diagnostic> {
        let noindex = page.noindex || page.draft;
        if !self.site.config.seo.cards || noindex || opted_out {
            return Ok(None);
        }
        let title = if page.title.is_empty() {
            loc.lang.title.as_str()
        } else {
            page.title.as_str()
        };
        let path = page.path.as_str();
        let image = page
            .image
            .as_deref()
            .map(|i| i.strip_prefix(self.urls.base_path).unwrap_or(i));
        if let Some((image, (from, hash))) = image.and_then(|i| Some((i, self.photos.get(i)?))) {
            let ext = if from
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("png"))
            {
                "png"
            } else {
                "jpg"
            };
            let key = short_hash(&format!("crop 1 {ext} {hash}"));
            let stem = image.rsplit('/').next().unwrap_or(image);
            let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
            let file = format!("cards/{}.{}.{ext}", name(stem), &key[..10]);
            let (width, height) = self
                .site
                .images
                .get(image)
                .map_or((WIDTH, HEIGHT), |&(w, h)| crop_size(w, h));
            let meta = CardMeta {
                url: self.urls.permalink(&format!("/{file}")),
                width,
                height,
                alt: page.image_alt.unwrap_or(title).to_string(),
            };
            let job = CardJob {
                file,
                key,
                source: CardSource::Crop(from.clone()),
                origin,
            };
            return Ok(Some((meta, job)));
        }
        let svg = self.svg(page, loc, title)?;
        let key = short_hash(&format!("{}\n{svg}", self.version));
        let site_path = path.strip_prefix(self.urls.base_path).unwrap_or(path);
        let file = format!("cards/{}.{}.png", name(site_path), &key[..10]);
        let meta = CardMeta {
            url: self.urls.permalink(&format!("/{file}")),
            width: WIDTH,
            height: HEIGHT,
            alt: title.to_string(),
        };
        let job = CardJob {
            file,
            key,
            source: CardSource::Svg(svg),
            origin,
        };
        Ok(Some((meta, job)))
    }

    /// The card template's SVG for a page.
    pub fn svg(&self, page: &PageView, loc: &Locale, title: &str) -> Result<String, Diagnostic> {
        let view = CardView {
            title,
            site_name: &loc.lang.title,
            description: &page.description,
            lang: &loc.lang.code,
            dir: if loc.lang.direction == crate::config::Direction::Rtl {
                "rtl"
            } else {
                "ltr"
            },
            kind: page.kind,
            url: &page.canonical,
        };
        let mut ctx = tera::Context::new();
        ctx.insert("card", &view);
        self.theme.tera.render(TEMPLATE, &ctx).map_err(|e| {
            let mut d = template_error(&e, &self.theme.origins);
            d.help = Some(format!(
                "this happened while drawing the social card of {}; fix the template or the value it uses",
                page.path
            ));
            d
        })
    }
}

fn short_hash(text: &str) -> String {
    blake3::hash(text.as_bytes()).to_hex()[..32].to_string()
}

/// A file name from a page path: `/ar/blog/x/` → `ar-blog-x`, `/` → `home`.
fn name(path: &str) -> String {
    let slug = slug::slugify(path.trim_matches('/'));
    if slug.is_empty() {
        "home".into()
    } else {
        slug.chars().take(80).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_paths() {
        assert_eq!(name("/"), "home");
        assert_eq!(name("/ar/blog/x/"), "ar-blog-x");
        assert_eq!(name("/blog/page/2/"), "blog-page-2");
    }
}
