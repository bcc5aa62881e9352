//! Images: `missing-alt` (Markdown images with empty alt text, `<img>`
//! without `alt`) and `image-size` (image files over the size budget that
//! lander publishes as they are: GIF, SVG and the like; JPEG, PNG and WebP
//! are resized and compressed by the images stage, so they are fine).

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::context::{find_in_body, is_synthetic, Ctx, Origin};
use super::{Finding, Found, Rule};
use crate::content::Page;

const IMAGE_EXTENSIONS: [&str; 11] = [
    "png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "bmp", "tif", "tiff", "ico",
];

pub fn check(ctx: &Ctx, out: &mut Vec<Found>) {
    // Markdown images reported here are not reported again from the HTML.
    let mut seen: HashSet<(usize, String)> = HashSet::new();
    for (i, page) in ctx.site.pages.iter().enumerate() {
        if is_synthetic(page) {
            continue;
        }
        for (offset, dest) in images_without_alt(&page.body) {
            seen.insert((i, dest.clone()));
            let (line, column) = page.body_line_col(offset);
            out.push(Found {
                finding: Finding::new(Rule::MissingAlt, format!("the image `{dest}` has no alt text"))
                    .in_file(&page.source)
                    .at(line, column)
                    .with_help(format!(
                        "describe it for screen readers and search engines: ![What the image shows]({dest})"
                    )),
                page: Some(i),
            });
        }
    }
    html_images(ctx, &seen, out);
    sizes(ctx, out);
}

/// Byte offset and URL of each Markdown image whose alt text is empty.
fn images_without_alt(markdown: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut open: Option<(usize, String, String)> = None;
    for (event, range) in
        Parser::new_ext(markdown, crate::base::cmark::options()).into_offset_iter()
    {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                open = Some((range.start, dest_url.to_string(), String::new()));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, alt)) = open.as_mut() {
                    alt.push_str(&t);
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some((start, dest, alt)) = open.take() {
                    if alt.trim().is_empty() {
                        found.push((start, dest));
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// `<img>` elements with no `alt` attribute at all, from raw HTML in
/// Markdown or from templates.
fn html_images(ctx: &Ctx, seen: &HashSet<(usize, String)>, out: &mut Vec<Found>) {
    let mut from_templates: BTreeMap<String, (Found, usize)> = BTreeMap::new();
    for (doc, origin) in &ctx.docs {
        for img in &doc.imgs_without_alt {
            if let Origin::Page(i) | Origin::List(i) = *origin {
                let reported = seen.iter().any(|(page, dest)| {
                    *page == i
                        && (img.url == ctx.urls.link(dest)
                            || img.url.ends_with(dest.trim_start_matches("./")))
                });
                if reported {
                    continue;
                }
            }
            let finding = Finding::new(
                Rule::MissingAlt,
                format!("the <img> `{}` has no alt attribute", img.url),
            )
            .with_help("add alt=\"…\" describing the image (alt=\"\" if it is only decoration)");
            if let Some(loc) = img
                .offer
                .as_deref()
                .and_then(|id| ctx.offer_loc(id, "image"))
            {
                out.push(loc.put(finding));
                continue;
            }
            let page = ctx.page_of(*origin).filter(|p| !is_synthetic(p));
            let at = page
                .and_then(|p: &Page| find_in_body(p, &[&format!("src=\"{}\"", img.url), &img.url]));
            match at {
                Some((l, c)) => out.push(ctx.loc(doc, *origin).at(l, c).put(finding)),
                None => {
                    from_templates
                        .entry(finding.message.clone())
                        .and_modify(|(_, n)| *n += 1)
                        .or_insert((ctx.loc(doc, *origin).put(finding), 0));
                }
            }
        }
    }
    for (_, (mut found, more)) in from_templates {
        if more > 0 {
            let help = found.finding.help.take().unwrap_or_default();
            found.finding.help = Some(format!(
                "{help} (the same image is on {more} more page{}: it comes from a template)",
                if more == 1 { "" } else { "s" }
            ));
        }
        out.push(found);
    }
}

/// Image files of `static/` (and beside the Markdown) over the budget,
/// among those published as they are.
fn sizes(ctx: &Ctx, out: &mut Vec<Found>) {
    let budget_kib = ctx.site.config.check.max_image_kib;
    let processed = &ctx.site.pictures.by_path;
    for file in &ctx.site.statics {
        let path = format!("/{}", file.to);
        if processed.contains_key(&path) || path.starts_with("/_img/") {
            continue;
        }
        let is_image = Path::new(&file.to)
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
        if !is_image {
            continue;
        }
        let Ok(meta) = std::fs::metadata(&file.from) else {
            continue;
        };
        if meta.len() <= budget_kib * 1024 {
            continue;
        }
        let kib = meta.len() as f64 / 1024.0;
        let shown = file
            .from
            .strip_prefix(ctx.root)
            .map_or_else(|_| file.from.clone(), Path::to_path_buf);
        out.push(Found {
            finding: Finding::new(
                Rule::ImageSize,
                format!("the image is {kib:.1} KiB, over the budget of {budget_kib} KiB"),
            )
            .in_file(shown)
            .with_help(
                "lander resizes JPEG, PNG and WebP images itself but publishes this one as it is: \
                 save it as JPEG, PNG or WebP, make it smaller, or raise check.max_image_kib in site.yaml",
            ),
            page: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_images_without_alt() {
        let md = "Text ![](a.png) and ![Fine](b.png)\n\n![ ](c.png)\n\n`![](code.png)`\n";
        let found = images_without_alt(md);
        let dests: Vec<&str> = found.iter().map(|(_, d)| d.as_str()).collect();
        assert_eq!(dests, ["a.png", "c.png"]);
        assert_eq!(found[0].0, 5);
    }
}
