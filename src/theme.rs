//! The default theme, compiled into the binary, and the lookup order for
//! templates: the site's `templates/NAME` first, else the theme's.
//! Theme assets (CSS, JS) get a content hash in their file names.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use include_dir::Dir;
use tera::Tera;

use crate::base::embedded::DEFAULT_THEME;
use crate::base::escape::escape_html;
use crate::content::images::Pictures;
use crate::content::load::TemplateSource;
use crate::content::templates::syntax_errors;
pub use crate::content::templates::{template_error, TemplateOrigin};
use crate::error::Diagnostics;

/// A theme asset with a fingerprinted name.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Name as templates ask for it: `style.css`.
    pub name: String,
    /// Output file, relative to the output folder: `assets/style.1a2b3c4d.css`.
    pub file: String,
    pub bytes: Vec<u8>,
}

pub struct Theme {
    pub tera: Tera,
    pub origins: HashMap<String, TemplateOrigin>,
    pub assets: Vec<Asset>,
}

impl Theme {
    /// Builds tera from the embedded theme plus the site's overrides, and
    /// fingerprints the theme's static files. `base_path` prefixes asset URLs;
    /// `compact` (site.yaml `minify`) makes the templates [`compact`](crate::compact)
    /// before tera parses them, so pages need no minifying pass. `pictures`
    /// are what the `image()` function shows.
    pub fn load(
        site_templates: &[TemplateSource],
        base_path: &str,
        compact: bool,
        pictures: Arc<Pictures>,
    ) -> Result<Theme, Diagnostics> {
        let mut origins: BTreeMap<String, TemplateOrigin> = BTreeMap::new();
        for (name, text) in embedded_templates() {
            origins.insert(
                name.clone(),
                TemplateOrigin {
                    path: PathBuf::from("themes/default/templates").join(&name),
                    text,
                },
            );
        }
        for t in site_templates {
            origins.insert(
                t.name.clone(),
                TemplateOrigin {
                    path: t.source.clone(),
                    text: t.text.clone(),
                },
            );
        }

        let errs = syntax_errors(&origins_map(&origins));
        if errs.has_errors() {
            return Err(errs);
        }

        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml", ".svg"]);
        tera.set_escape_fn(escape_html);
        // Messages keep pointing into the text as written (`origins`).
        let texts: Vec<(&str, std::borrow::Cow<str>)> = origins
            .iter()
            .map(|(n, o)| {
                let text = if compact {
                    crate::compact::compact_template(&o.text).into()
                } else {
                    std::borrow::Cow::from(o.text.as_str())
                };
                (n.as_str(), text)
            })
            .collect();
        tera.add_raw_templates(texts.iter().map(|(n, t)| (*n, t.as_ref())))
            .map_err(|e| Diagnostics::from(template_error(&e, &origins_map(&origins))))?;

        let assets = fingerprint_assets();
        let urls: HashMap<String, String> = assets
            .iter()
            .map(|a| (a.name.clone(), format!("{base_path}/{}", a.file)))
            .collect();
        tera.register_function("asset_url", AssetUrl(urls));
        tera.register_function(
            "image",
            ImageFn {
                pictures,
                base_path: base_path.to_string(),
            },
        );
        // Lines of a social card's text (card.svg), measured with its font.
        tera.register_function("wrap", crate::cards::layout::WrapFn::default());

        Ok(Theme {
            tera,
            origins: origins_map(&origins),
            assets,
        })
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.origins.contains_key(name)
    }

    pub fn template_names(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .origins
            .keys()
            .map(String::as_str)
            .filter(|n| {
                n.ends_with(".html")
                    && !n.starts_with("partials/")
                    && *n != "base.html"
                    && *n != "redirect.html"
            })
            .collect();
        v.sort_unstable();
        v
    }
}

fn origins_map(o: &BTreeMap<String, TemplateOrigin>) -> HashMap<String, TemplateOrigin> {
    o.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// `(name, text)` of every template embedded under `themes/default/templates`.
pub fn embedded_templates() -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(dir) = DEFAULT_THEME.get_dir("templates") {
        collect(dir, &mut out);
    }
    out.into_iter()
        .filter_map(|(path, bytes)| {
            let name = path.strip_prefix("templates/")?.to_string();
            Some((name, String::from_utf8(bytes).ok()?))
        })
        .collect()
}

/// Every embedded file as (path relative to the theme root, bytes).
pub fn embedded_files() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    collect(&DEFAULT_THEME, &mut out);
    out
}

fn collect(dir: &Dir, out: &mut Vec<(String, Vec<u8>)>) {
    for f in dir.files() {
        out.push((
            f.path().to_string_lossy().replace('\\', "/"),
            f.contents().to_vec(),
        ));
    }
    for d in dir.dirs() {
        collect(d, out);
    }
}

fn fingerprint_assets() -> Vec<Asset> {
    let Some(dir) = DEFAULT_THEME.get_dir("static") else {
        return Vec::new();
    };
    let mut files = Vec::new();
    collect(dir, &mut files);
    files
        .into_iter()
        .map(|(path, bytes)| {
            let name = path.strip_prefix("static/").unwrap_or(&path).to_string();
            let bytes = minify_asset(&name, bytes);
            let hash = blake3::hash(&bytes).to_hex();
            let file = match name.rsplit_once('.') {
                Some((stem, ext)) => format!("assets/{stem}.{}.{ext}", &hash[..10]),
                None => format!("assets/{name}.{}", &hash[..10]),
            };
            Asset { name, file, bytes }
        })
        .collect()
}

/// Minifies a theme's CSS or JavaScript with minify-html's CSS and JS
/// minifiers (lightningcss, oxc), which work on `<style>`/`<script>`
/// elements: wrap, minify, unwrap. Anything unexpected keeps the original.
pub fn minify_asset(name: &str, bytes: Vec<u8>) -> Vec<u8> {
    let (open, close): (&[u8], &[u8]) = if name.ends_with(".js") {
        return std::str::from_utf8(&bytes)
            .ok()
            .and_then(minify_js)
            .map_or(bytes, String::into_bytes);
    } else if name.ends_with(".css") {
        (b"<style>", b"</style>")
    } else {
        return bytes;
    };
    let wrapped = [open, &bytes, close].concat();
    let cfg = minify_html::Cfg {
        minify_css: true,
        minify_js: true,
        ..minify_html::Cfg::default()
    };
    let out = minify_html::minify(&wrapped, &cfg);
    match out.strip_prefix(open).and_then(|o| o.strip_suffix(close)) {
        Some(inner) if !inner.is_empty() => inner.to_vec(),
        _ => bytes,
    }
}

/// Minifies a classic script with oxc: safest compression, mangled names,
/// no comments. `None` if it does not parse.
fn minify_js(source: &str) -> Option<String> {
    use oxc_allocator::Allocator;
    use oxc_codegen::{Codegen, CodegenOptions};
    use oxc_minifier::{CompressOptions, MangleOptions, Minifier, MinifierOptions};

    let allocator = Allocator::default();
    let parsed = oxc_parser::Parser::new(&allocator, source, oxc_span::SourceType::cjs()).parse();
    if !parsed.errors.is_empty() {
        return None;
    }
    let mut program = parsed.program;
    let ret = Minifier::new(MinifierOptions {
        mangle: Some(MangleOptions::default()),
        compress: Some(CompressOptions::safest()),
    })
    .minify(&allocator, &mut program);
    let code = Codegen::new()
        .with_options(CodegenOptions::minify())
        .with_scoping(ret.scoping)
        .build(&program)
        .code;
    (code.len() < source.len()).then_some(code)
}

/// The `asset_url(path="style.css")` template function.
struct AssetUrl(HashMap<String, String>);

/// `image(path=…, alt=…, sizes=…, widths=[…], class=…, hero=false)`: the
/// `<picture>` (or `<img>`) markup of a site image.
struct ImageFn {
    pictures: Arc<Pictures>,
    base_path: String,
}

impl tera::Function for ImageFn {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        const KNOWN: [&str; 7] = ["path", "alt", "title", "sizes", "widths", "class", "hero"];
        if let Some(unknown) = args.keys().find(|k| !KNOWN.contains(&k.as_str())) {
            return Err(tera::Error::msg(format!(
                "image() has no argument `{unknown}` (it takes: {})",
                KNOWN.join(", ")
            )));
        }
        let path = args.get("path").and_then(|v| v.as_str()).ok_or_else(|| {
            tera::Error::msg(
                "image needs a `path` argument, e.g. image(path=page.image, alt=page.image_alt)",
            )
        })?;
        let text = |name: &str| args.get(name).and_then(|v| v.as_str());
        let widths: Option<Vec<u32>> = match args.get("widths") {
            None | Some(tera::Value::Null) => None,
            Some(tera::Value::Array(items)) => Some(
                items
                    .iter()
                    .map(|v| v.as_u64().and_then(|n| u32::try_from(n).ok()))
                    .collect::<Option<Vec<u32>>>()
                    .ok_or_else(|| {
                        tera::Error::msg(
                            "image: `widths` is a list of numbers, e.g. widths=[480, 800]",
                        )
                    })?,
            ),
            Some(_) => {
                return Err(tera::Error::msg(
                    "image: `widths` is a list of numbers, e.g. widths=[480, 800]",
                ))
            }
        };
        let opts = crate::images::markup::Options {
            alt: text("alt").unwrap_or(""),
            title: text("title"),
            class: text("class"),
            sizes: text("sizes"),
            widths: widths.as_deref(),
            hero: args.get("hero").and_then(|v| v.as_bool()).unwrap_or(false),
        };
        Ok(tera::Value::String(self.pictures.html(
            path,
            &self.base_path,
            &opts,
        )))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

impl tera::Function for AssetUrl {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let path = args.get("path").and_then(|v| v.as_str()).ok_or_else(|| {
            tera::Error::msg(
                "asset_url needs a `path` argument, e.g. asset_url(path=\"style.css\")",
            )
        })?;
        match self.0.get(path) {
            Some(url) => Ok(tera::Value::String(url.clone())),
            None => {
                let mut known: Vec<&String> = self.0.keys().collect();
                known.sort();
                Err(tera::Error::msg(format!(
                    "asset_url: the theme has no asset `{path}` (it has: {})",
                    known
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )))
            }
        }
    }

    fn is_safe(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_what_ends_text_or_attributes_and_leaves_urls_alone() {
        assert_eq!(
            escape_html(r#"<a href="/x?a=1&b='2'">"#),
            "&lt;a href=&quot;/x?a=1&amp;b=&#x27;2&#x27;&quot;&gt;"
        );
        assert_eq!(
            escape_html("https://example.com/é/"),
            "https://example.com/é/"
        );
        assert_eq!(escape_html(""), "");
    }

    #[test]
    fn every_theme_file_is_embedded() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        let mut embedded: Vec<String> = embedded_files().into_iter().map(|(p, _)| p).collect();
        on_disk.sort();
        embedded.sort();
        assert_eq!(on_disk, embedded);
        assert!(embedded.iter().any(|p| p == "templates/base.html"));
    }

    #[test]
    fn site_template_overrides_theme() {
        let over = TemplateSource {
            name: "404.html".into(),
            source: PathBuf::from("templates/404.html"),
            text: "custom 404".into(),
        };
        let theme = Theme::load(&[over], "", true, Default::default()).unwrap();
        let out = theme
            .tera
            .render("404.html", &tera::Context::new())
            .unwrap();
        assert_eq!(out, "custom 404");
    }

    #[test]
    fn syntax_error_names_file_line_column() {
        let bad = TemplateSource {
            name: "post.html".into(),
            source: PathBuf::from("templates/post.html"),
            text: "line one\n{{ page.title }\n".into(),
        };
        let err = Theme::load(&[bad], "", true, Default::default())
            .err()
            .unwrap();
        let d = &err.0[0];
        assert_eq!(d.path, Some(PathBuf::from("templates/post.html")));
        assert_eq!(d.line, Some(2), "{d}");
    }

    #[test]
    fn missing_variable_in_parent_points_at_the_parent() {
        let base = TemplateSource {
            name: "base.html".into(),
            source: PathBuf::from("templates/base.html"),
            text: "<html>\n{{ page.nope }}</html>{% block content %}{% endblock content %}".into(),
        };
        let theme = Theme::load(&[base], "", true, Default::default()).unwrap();
        let err = theme
            .tera
            .render("404.html", &tera::Context::new())
            .unwrap_err();
        let d = template_error(&err, &theme.origins);
        assert_eq!(d.path, Some(PathBuf::from("templates/base.html")), "{d}");
        assert_eq!((d.line, d.column), (Some(2), Some(4)));
        assert!(!d.message.contains("while rendering"), "{d}");
    }

    #[test]
    fn theme_script_and_styles_are_minified() {
        let theme = Theme::load(&[], "", true, Default::default()).unwrap();
        for name in [
            "lander.js",
            "popups.js",
            "providers.js",
            "quiz.js",
            "consent.js",
            "thanks.js",
            "style.css",
        ] {
            let asset = theme.assets.iter().find(|a| a.name == name).unwrap();
            let (_, original) = embedded_files()
                .into_iter()
                .find(|(p, _)| p == &format!("static/{name}"))
                .unwrap();
            // Hand-written CSS is already lean (about 85% after minifying);
            // the script shrinks far more (mangled names, no comments).
            let ratio = if name.ends_with(".js") { 0.75 } else { 0.95 };
            assert!(
                (asset.bytes.len() as f64) < original.len() as f64 * ratio,
                "{name} not minified: {} of {} bytes",
                asset.bytes.len(),
                original.len()
            );
        }
        // The script of every page, the one of pages with a popup or an
        // announcement bar, the one that hides dismissed top bars, and the
        // one that builds HubSpot's and Klaviyo's JSON on their pages only,
        // the one that shows a quiz's outcome on pages with such a quiz, the
        // consent banner with the analytics tags it gates, and the one that
        // counts a lead on a thank-you page.
        for (name, budget) in [
            ("lander.js", 8 * 1024),
            ("popups.js", 3 * 1024),
            ("bar.js", 512),
            ("providers.js", 2 * 1024),
            ("quiz.js", 2 * 1024),
            ("consent.js", 3 * 1024),
            ("thanks.js", 1024),
        ] {
            let js = theme.assets.iter().find(|a| a.name == name).unwrap();
            assert!(
                js.bytes.len() <= budget,
                "{name} is {} bytes minified, over its {budget}",
                js.bytes.len()
            );
        }
    }

    #[test]
    fn assets_are_fingerprinted() {
        let theme = Theme::load(&[], "", true, Default::default()).unwrap();
        let css = theme.assets.iter().find(|a| a.name == "style.css").unwrap();
        assert!(css.file.starts_with("assets/style.") && css.file.ends_with(".css"));
        assert_eq!(css.file.len(), "assets/style.".len() + 10 + ".css".len());
    }
}
