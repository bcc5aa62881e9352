//! Images and links of a page's Markdown, rewritten: local images become
//! `<picture>` with their sizes, site links get the base path, affiliate
//! links their `rel`, footnote references their numbers.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};

use super::RenderOptions;
use crate::base::slug::slugify;

/// Images get width and height (when the file is local and known),
/// lazy loading and async decoding; an image without alt text gets no alt
/// attribute, so that `lander check` reports it. Affiliate links get
/// rel="sponsored noopener".
pub(super) fn rewrite_images_and_links<'a>(
    events: Vec<Event<'a>>,
    opts: &RenderOptions,
) -> (Vec<Event<'a>>, bool) {
    let mut out = Vec::with_capacity(events.len());
    let mut affiliate = false;
    let mut footnotes = Footnotes::default();
    let mut iter = events.into_iter();
    while let Some(event) = iter.next() {
        match event {
            Event::FootnoteReference(label) => {
                let (id, n) = footnotes.get(&label);
                out.push(Event::InlineHtml(CowStr::from(format!(
                    "<sup class=\"footnote-reference\"><a href=\"#{id}\">{n}</a></sup>"
                ))));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let (id, n) = footnotes.get(&label);
                out.push(Event::Html(CowStr::from(format!(
                    "<div class=\"footnote-definition\" id=\"{id}\"><sup class=\"footnote-definition-label\">{n}</sup>"
                ))));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                out.push(Event::Html(CowStr::from("</div>\n")));
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let size =
                    local_path(&dest_url, opts.page_path).and_then(|p| (opts.image_size)(&p));
                let processed = match crate::images::plan::resolve(&dest_url, opts.page_path) {
                    crate::images::plan::Resolved::Local(path) => opts
                        .pictures
                        .filter(|p| p.by_path.contains_key(&path))
                        .map(|p| (p, path)),
                    _ => None,
                };
                let dest_url = with_base_path(dest_url, opts.base_path);
                let mut alt = String::new();
                let mut depth = 0;
                for inner in iter.by_ref() {
                    match inner {
                        Event::End(TagEnd::Image) if depth == 0 => break,
                        Event::Start(_) => depth += 1,
                        Event::End(_) => depth -= 1,
                        Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                        _ => {}
                    }
                }
                if let Some((pictures, path)) = processed {
                    let html = pictures.html(
                        &path,
                        opts.base_path,
                        &crate::images::markup::Options {
                            alt: &alt,
                            title: Some(&title),
                            ..Default::default()
                        },
                    );
                    out.push(Event::InlineHtml(CowStr::from(html)));
                    continue;
                }
                let mut html = String::from("<img src=\"");
                let _ = escape_href(&mut html, &dest_url);
                html.push('"');
                if !alt.trim().is_empty() {
                    html.push_str(" alt=\"");
                    let _ = escape_html(&mut html, alt.trim());
                    html.push('"');
                }
                if !title.is_empty() {
                    html.push_str(" title=\"");
                    let _ = escape_html(&mut html, &title);
                    html.push('"');
                }
                if let Some((w, h)) = size {
                    html.push_str(&format!(" width=\"{w}\" height=\"{h}\""));
                }
                html.push_str(" loading=\"lazy\" decoding=\"async\">");
                out.push(Event::InlineHtml(CowStr::from(html)));
            }
            Event::Start(Tag::Link {
                dest_url,
                title,
                link_type,
                id,
            }) => {
                if is_affiliate(&dest_url, opts) {
                    affiliate = true;
                    let mut html = String::from("<a href=\"");
                    let _ = escape_href(&mut html, &dest_url);
                    html.push('"');
                    if !title.is_empty() {
                        html.push_str(" title=\"");
                        let _ = escape_html(&mut html, &title);
                        html.push('"');
                    }
                    html.push_str(" rel=\"sponsored noopener\">");
                    out.push(Event::InlineHtml(CowStr::from(html)));
                } else {
                    let dest_url = with_base_path(dest_url, opts.base_path);
                    out.push(Event::Start(Tag::Link {
                        dest_url,
                        title,
                        link_type,
                        id,
                    }));
                }
            }
            // pulldown-cmark's checkbox has no accessible name.
            Event::TaskListMarker(done) => out.push(Event::InlineHtml(CowStr::from(if done {
                r#"<input type="checkbox" checked disabled aria-label="Done"> "#
            } else {
                r#"<input type="checkbox" disabled aria-label="Not done"> "#
            }))),
            other => out.push(other),
        }
    }
    (out, affiliate)
}

/// Footnotes numbered in the order they are first met, as pulldown-cmark
/// numbers them, with ids that start with a letter (`fn-1`, not `1`).
#[derive(Default)]
struct Footnotes(Vec<String>);

impl Footnotes {
    fn get(&mut self, label: &str) -> (String, usize) {
        let n = match self.0.iter().position(|l| l == label) {
            Some(i) => i + 1,
            None => {
                self.0.push(label.to_string());
                self.0.len()
            }
        };
        let slug = slugify(label);
        let id = if slug.is_empty() {
            format!("fn-{n}")
        } else {
            format!("fn-{slug}")
        };
        (id, n)
    }
}

/// `/blog/x/` → `/shop/blog/x/` on a site served under `/shop`.
fn with_base_path<'a>(url: CowStr<'a>, base_path: &str) -> CowStr<'a> {
    if !base_path.is_empty()
        && url.starts_with('/')
        && !url.starts_with("//")
        && !url.starts_with(&format!("{base_path}/"))
    {
        CowStr::from(format!("{base_path}{url}"))
    } else {
        url
    }
}

/// The site URL path of a local image (`/images/a.svg`, or a path relative
/// to the page), or `None` for remote and data URLs.
fn local_path(url: &str, page_path: &str) -> Option<String> {
    if url.contains("://") || url.starts_with("//") || url.starts_with("data:") {
        return None;
    }
    let url = url.split(['?', '#']).next().unwrap_or(url);
    if url.starts_with('/') {
        Some(url.to_string())
    } else {
        Some(format!("{}{url}", page_path))
    }
}

fn is_affiliate(url: &str, opts: &RenderOptions) -> bool {
    let Ok(parsed) = url::Url::parse(url) else {
        return false; // relative: internal
    };
    if !matches!(parsed.scheme(), "http" | "https") {
        return false;
    }
    if opts.affiliate_all {
        return true;
    }
    let host = parsed
        .host_str()
        .unwrap_or_default()
        .trim_start_matches("www.");
    opts.affiliate_domains.iter().any(|d| {
        let d = d.trim().trim_start_matches("www.");
        host == d || host.ends_with(&format!(".{d}"))
    })
}
