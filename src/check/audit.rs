//! What an SEO audit of the built pages finds, found first: indexable pages
//! without `og:image` (`missing-og-image`), images that shift the page as
//! they load (`image-dimensions`), pages that share a meta description
//! (`duplicate-description`), indexable pages the sitemap leaves out
//! (`not-in-sitemap`) and pages whose JSON-LD does not say what they are
//! (`missing-structured-data`).

use std::collections::{BTreeMap, HashSet};

use url::Url;

use super::context::{find_in_body, Ctx, Origin};
use super::facts::Doc;
use super::{Finding, Found, Rule};
use crate::render::OutputFile;

pub fn check(ctx: &Ctx, files: &[OutputFile], out: &mut Vec<Found>) {
    let sitemap = sitemap_urls(files);
    let mut by_description: BTreeMap<&str, Vec<(&Doc, Origin)>> = BTreeMap::new();
    for (doc, origin) in &ctx.docs {
        let origin = *origin;
        sizes(ctx, doc, origin, out);
        if doc.noindex {
            continue;
        }
        if let Some(d) = doc.description.as_deref().filter(|d| !d.is_empty()) {
            by_description.entry(d).or_default().push((doc, origin));
        }
        if !doc.og_image {
            out.push(
                ctx.key_loc(doc, origin, "image").put(
                    Finding::new(
                        Rule::MissingOgImage,
                        "the page has no og:image: a shared link shows no picture",
                    )
                    .with_help(
                        "give the page an `image:` (offers: `image:`), or set a site-wide default \
                         `seo.image` in site.yaml (1200x630 PNG or JPEG)",
                    ),
                ),
            );
        }
        if !describes_itself(doc) {
            out.push(ctx.loc(doc, origin).put(
                Finding::new(
                    Rule::MissingStructuredData,
                    "the page has no JSON-LD saying what it is (WebPage, BlogPosting, Product…)",
                )
                .with_help("the default theme writes it; a custom template should keep `seo.json_ld` in <head>"),
            ));
        }
        if let (Some(sitemap), Some(own)) = (&sitemap, self_canonical(ctx, doc)) {
            if !sitemap.contains(&own) {
                out.push(ctx.loc(doc, origin).put(
                    Finding::new(
                        Rule::NotInSitemap,
                        format!("{own} is indexable but sitemap.xml does not list it"),
                    )
                    .with_help(
                        "search engines find pages through the sitemap: set `noindex: true` if the \
                         page should not be found, or a `canonical:` pointing at the page that should",
                    ),
                ));
            }
        }
    }
    for group in by_description.values().filter(|g| g.len() > 1) {
        for (doc, origin) in group {
            let others: Vec<String> = group
                .iter()
                .filter(|(d, _)| d.path != doc.path)
                .map(|(d, _)| super::seo::page_url(ctx, d))
                .collect();
            out.push(
                super::seo::description_loc(ctx, doc, *origin).put(
                    Finding::new(
                        Rule::DuplicateDescription,
                        format!(
                            "the meta description is the same as on {}",
                            others.join(", ")
                        ),
                    )
                    .with_help("give each page a description of its own (`description:`)"),
                ),
            );
        }
    }
}

/// `<img>` without width and height, located in the Markdown when it is there.
fn sizes(ctx: &Ctx, doc: &Doc, origin: Origin, out: &mut Vec<Found>) {
    for img in &doc.imgs_without_size {
        let loc = ctx.loc(doc, origin);
        let loc = match ctx
            .page_of(origin)
            .and_then(|p| find_in_body(p, &[&img.url]))
        {
            Some((line, column)) => loc.at(line, column),
            None => loc,
        };
        out.push(
            loc.put(
                Finding::new(
                    Rule::ImageDimensions,
                    format!(
                        "the image {} has no width and height: the page shifts when it loads",
                        img.url
                    ),
                )
                .with_help(
                    "lander sizes local images it can read (PNG, JPEG, GIF, WebP, AVIF, SVG with a \
                     size or viewBox): use a local file, or write width and height in the HTML",
                ),
            ),
        );
    }
}

/// The page names itself as canonical: its URL, which the sitemap should list.
fn self_canonical(ctx: &Ctx, doc: &Doc) -> Option<String> {
    let own = ctx.base.join(dir_of(&doc.path)).ok()?;
    let canonical = Url::parse(doc.canonical.as_deref()?).ok()?;
    (canonical == own).then(|| own.to_string())
}

/// `blog/x/index.html` → `blog/x/`; `404.html` stays.
fn dir_of(path: &str) -> &str {
    path.strip_suffix("index.html").unwrap_or(path)
}

/// JSON-LD with a type other than breadcrumbs: the page says what it is.
fn describes_itself(doc: &Doc) -> bool {
    doc.json_ld.iter().any(|block| {
        serde_json::from_str::<serde_json::Value>(block).is_ok_and(|v| {
            v["@type"]
                .as_str()
                .is_some_and(|t| t != "BreadcrumbList" && t != "FAQPage")
        })
    })
}

/// Every `<url><loc>` of the sitemap files, or `None` when the site has none.
fn sitemap_urls(files: &[OutputFile]) -> Option<HashSet<String>> {
    let mut urls = HashSet::new();
    let mut any = false;
    for f in files {
        let name = f.path.as_str();
        if !(name.starts_with("sitemap") && name.ends_with(".xml") && !name.contains('/')) {
            continue;
        }
        any = true;
        let Ok(text) = std::str::from_utf8(&f.bytes) else {
            continue;
        };
        let Ok(xml) = roxmltree::Document::parse(text) else {
            continue;
        };
        for loc in xml.descendants().filter(|n| n.has_tag_name("loc")) {
            let in_url = loc.parent().is_some_and(|p| p.has_tag_name("url"));
            if let (true, Some(t)) = (in_url, loc.text()) {
                urls.insert(
                    Url::parse(t.trim()).map_or_else(|_| t.trim().to_string(), String::from),
                );
            }
        }
    }
    any.then_some(urls)
}
