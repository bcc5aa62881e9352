//! Markdown to HTML with pulldown-cmark: heading ids, table of contents,
//! summary, word count. Pure: no file system, no templates.

use pulldown_cmark::{html, CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::base::cmark::options;
use crate::highlight::{Fence, Highlights};

mod headings;
mod links;

use headings::assign_heading_ids;
use links::rewrite_images_and_links;

/// Words per minute used for `reading_time`.
pub const WORDS_PER_MINUTE: usize = 200;

/// The marker that ends a page's summary.
pub const MORE_MARKER: &str = "<!-- more -->";

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendered {
    pub html: String,
    /// HTML before `<!-- more -->`, else the first paragraph.
    pub summary: String,
    /// The summary as plain text (for meta descriptions).
    pub summary_text: String,
    /// The page had a `<!-- more -->` marker.
    pub has_more: bool,
    pub toc: Vec<TocEntry>,
    pub word_count: usize,
    /// Minutes, at least 1.
    pub reading_time: usize,
    /// The body links to an affiliate (rel="sponsored"): show the disclosure.
    pub has_affiliate_links: bool,
    /// Lists or block quotes were nested deeper than [`MAX_NESTING`] and the
    /// deeper levels were flattened.
    pub flattened: bool,
    /// Languages of code blocks that lander does not highlight, as the
    /// fences name them, each once (only when highlighting is on).
    pub unknown_languages: Vec<String>,
}

/// How deep lists and block quotes may nest; deeper levels are flattened
/// into the level above, so that no later stage (a parser, a browser)
/// meets unbounded nesting.
pub const MAX_NESTING: usize = 32;

/// What the Markdown stage needs to know about the site.
pub struct RenderOptions<'a> {
    /// Width and height of a local image, by URL path.
    pub image_size: &'a (dyn Fn(&str) -> Option<(u32, u32)> + Sync),
    /// The processed images: a local raster image becomes a `<picture>`.
    pub pictures: Option<&'a crate::content::images::Pictures>,
    /// Every external link is an affiliate link (front matter `affiliate`).
    pub affiliate_all: bool,
    /// Links to these domains (and their subdomains) are affiliate links.
    pub affiliate_domains: &'a [String],
    /// URL path of the page, to resolve relative image URLs.
    pub page_path: &'a str,
    /// Path part of base_url ("" or "/shop"): prefixed to root-relative links.
    pub base_path: &'a str,
    /// Highlight code blocks, with this build's cache (`None`: plain).
    pub highlights: Option<&'a Highlights>,
}

fn no_size(_: &str) -> Option<(u32, u32)> {
    None
}

impl Default for RenderOptions<'_> {
    fn default() -> Self {
        RenderOptions {
            image_size: &no_size,
            pictures: None,
            affiliate_all: false,
            affiliate_domains: &[],
            page_path: "/",
            base_path: "",
            highlights: None,
        }
    }
}

/// Renders with default options (no image sizes, no affiliates).
pub fn render(markdown: &str) -> Rendered {
    render_with(markdown, &RenderOptions::default())
}

pub fn render_with(markdown: &str, opts: &RenderOptions) -> Rendered {
    let mut events: Vec<Event> = Parser::new_ext(markdown, options()).collect();
    let flattened = cap_nesting(&mut events);
    let toc = assign_heading_ids(&mut events);
    let word_count = count_words(&events);
    let (events, has_affiliate_links) = rewrite_images_and_links(events, opts);

    let mut out = Rendered {
        has_affiliate_links,
        flattened,
        word_count,
        reading_time: word_count.div_ceil(WORDS_PER_MINUTE).max(1),
        toc,
        ..Rendered::default()
    };
    let more = events.iter().position(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => h.trim() == MORE_MARKER,
        _ => false,
    });
    let summary = match more {
        Some(i) => {
            out.has_more = true;
            0..i
        }
        None => first_paragraph(&events).map_or(0..0, |(start, end)| start..end + 1),
    };
    out.summary_text = plain_text(&events[summary.clone()]);
    let events = match opts.highlights {
        Some(highlights) => highlight_code(events, highlights, &mut out.unknown_languages),
        None => events,
    };
    html::push_html(&mut out.summary, events[summary].iter().cloned());
    html::push_html(&mut out.html, events.into_iter());
    if out.html.contains(" style=\"text-align: ") {
        out.html = align_classes(&out.html);
        out.summary = align_classes(&out.summary);
    }
    // Every page's HTML is kept until the end of the build: without the
    // room a growing string keeps (up to half), a 10,000-post build peaks
    // about 30 MiB lower.
    out.html.shrink_to_fit();
    out.summary.shrink_to_fit();
    out
}

/// The text of every fenced code block in a language lander knows becomes
/// highlighted HTML; blocks without a language, in `text`, or in a
/// language it does not know stay as they are (the last are listed in
/// `unknown`). Keeps the event count, so summary indices stay valid.
fn highlight_code<'a>(
    mut events: Vec<Event<'a>>,
    highlights: &Highlights,
    unknown: &mut Vec<String>,
) -> Vec<Event<'a>> {
    let mut i = 0;
    while i < events.len() {
        let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = &events[i] else {
            i += 1;
            continue;
        };
        let lang = match Fence::from_info(info) {
            Fence::Known(lang) => lang,
            Fence::Plain => {
                i += 1;
                continue;
            }
            Fence::Unknown => {
                let name = info.split(' ').next().unwrap_or_default().to_string();
                if !unknown.contains(&name) {
                    unknown.push(name);
                }
                i += 1;
                continue;
            }
        };
        let start = i + 1;
        let mut end = start;
        let mut code = String::new();
        while let Some(Event::Text(t)) = events.get(end) {
            code.push_str(t);
            end += 1;
        }
        if end > start {
            if let Some(html) = highlights.code(lang, &code) {
                // One event for the code, the others emptied.
                events[start] = Event::Html(CowStr::from(html));
                for e in &mut events[start + 1..end] {
                    *e = Event::Html(CowStr::Borrowed(""));
                }
            }
        }
        i = end;
    }
    events
}

/// Table column alignment as classes (`<td class="align-center">`) instead
/// of the inline styles pulldown-cmark writes, which a
/// Content-Security-Policy without `'unsafe-inline'` blocks.
fn align_classes(html: &str) -> String {
    let mut out = html.to_string();
    for cell in ["th", "td"] {
        for side in ["left", "center", "right"] {
            out = out.replace(
                &format!("<{cell} style=\"text-align: {side}\">"),
                &format!("<{cell} class=\"align-{side}\">"),
            );
        }
    }
    out
}

/// Drops the start and end of every list (with its items) and block quote
/// nested deeper than [`MAX_NESTING`], keeping what they hold, so the HTML
/// stays well formed. True if anything was dropped.
fn cap_nesting(events: &mut Vec<Event>) -> bool {
    // Per open container: kept or dropped. Items follow their list.
    let mut open: Vec<bool> = Vec::new();
    let mut depth = 0;
    let mut dropped = false;
    events.retain(|e| match e {
        Event::Start(Tag::List(_) | Tag::BlockQuote(_)) => {
            depth += 1;
            let keep = depth <= MAX_NESTING;
            open.push(keep);
            dropped |= !keep;
            keep
        }
        Event::Start(Tag::Item) => {
            let keep = open.last().copied().unwrap_or(true);
            open.push(keep);
            keep
        }
        Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_)) => {
            depth -= 1;
            open.pop().unwrap_or(true)
        }
        Event::End(TagEnd::Item) => open.pop().unwrap_or(true),
        _ => true,
    });
    dropped
}

fn count_words(events: &[Event]) -> usize {
    events
        .iter()
        .map(|e| match e {
            Event::Text(t) | Event::Code(t) => t.split_whitespace().count(),
            _ => 0,
        })
        .sum()
}

/// Text content, whitespace collapsed, without footnote markers.
fn plain_text(events: &[Event]) -> String {
    let mut text = String::new();
    let mut in_heading = false;
    for e in events {
        match e {
            Event::Start(Tag::Heading { .. }) => in_heading = true,
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(t) | Event::Code(t) if !in_heading => text.push_str(t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Indices of the start and end events of the first top-level paragraph.
fn first_paragraph(events: &[Event]) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut start = None;
    for (i, e) in events.iter().enumerate() {
        match e {
            Event::Start(Tag::Paragraph) if depth == 0 => {
                start = Some(i);
                depth += 1;
            }
            Event::End(TagEnd::Paragraph) if depth == 1 && start.is_some() => {
                return start.map(|s| (s, i));
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_are_on() {
        let r = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ \"quoted\"\n\n- [x] done\n\nNote[^1]\n\n[^1]: The note.\n");
        assert!(r.html.contains("<table>"), "{}", r.html);
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("“quoted”"));
        assert!(r.html.contains("type=\"checkbox\""));
        assert!(r.html.contains("footnote-definition"));
        assert!(
            r.html.contains(r##"<a href="#fn-1">1</a>"##) && r.html.contains(r#"id="fn-1""#),
            "{}",
            r.html
        );
    }

    #[test]
    fn headings_get_unique_ids_and_a_nested_toc() {
        let r = render("## Intro\n\n### Detail\n\n## Intro\n\n## Custom {#mine}\n");
        assert!(r.html.contains("<h2 id=\"intro\">Intro</h2>"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"intro-1\">"));
        assert!(r.html.contains("<h2 id=\"mine\">"));
        assert_eq!(r.toc.len(), 3);
        assert_eq!(r.toc[0].children[0].id, "detail");
    }

    #[test]
    fn summary_stops_at_more_marker() {
        let r = render("First.\n\nSecond.\n\n<!-- more -->\n\nThird.\n");
        assert!(r.has_more);
        assert!(r.summary.contains("Second."));
        assert!(!r.summary.contains("Third."));
    }

    #[test]
    fn summary_defaults_to_first_paragraph() {
        let r = render("# Title\n\nFirst *para*.\n\nSecond.\n");
        assert_eq!(r.summary.trim(), "<p>First <em>para</em>.</p>");
        assert!(!r.has_more);
    }

    #[test]
    fn images_get_sizes_lazy_loading_and_alt() {
        let size = |p: &str| (p == "/images/a.svg").then_some((640, 480));
        let opts = RenderOptions {
            image_size: &size,
            ..RenderOptions::default()
        };
        let r = render_with("![An *olive* tree](/images/a.svg)\n\n![](b.png)\n", &opts);
        assert!(
            r.html.contains(r#"<img src="/images/a.svg" alt="An olive tree" width="640" height="480" loading="lazy" decoding="async">"#),
            "{}",
            r.html
        );
        assert!(
            r.html.contains(r#"<img src="b.png" loading="lazy""#),
            "{}",
            r.html
        );
    }

    #[test]
    fn affiliate_links_are_sponsored() {
        let domains = vec!["amazon.com".to_string()];
        let opts = RenderOptions {
            affiliate_domains: &domains,
            ..RenderOptions::default()
        };
        let r = render_with(
            "[buy](https://www.amazon.com/x) and [us](/about/) and [w](https://example.org)\n",
            &opts,
        );
        assert!(
            r.html
                .contains(r#"<a href="https://www.amazon.com/x" rel="sponsored noopener">buy</a>"#),
            "{}",
            r.html
        );
        assert!(r.html.contains(r#"<a href="https://example.org">w</a>"#));
        assert!(r.has_affiliate_links);
        let all = RenderOptions {
            affiliate_all: true,
            ..RenderOptions::default()
        };
        assert!(render_with("[w](https://example.org)", &all)
            .html
            .contains("sponsored"));
        assert!(!render("[w](https://example.org)").has_affiliate_links);
    }

    #[test]
    fn words_and_reading_time() {
        let words = "word ".repeat(401);
        let r = render(&words);
        assert_eq!(r.word_count, 401);
        assert_eq!(r.reading_time, 3);
        assert_eq!(render("").reading_time, 1);
    }

    #[test]
    fn table_alignment_is_a_class_not_an_inline_style() {
        let r = render(
            "| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n\n`<td style=\"text-align: left\">`\n",
        );
        assert!(
            r.html.contains("<th class=\"align-left\">a</th>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<td class=\"align-center\">2</td>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<td class=\"align-right\">3</td>"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("<td style="), "{}", r.html);
        // Code keeps what it shows.
        assert!(
            r.html.contains("&lt;td style=\"text-align: left\"&gt;"),
            "{}",
            r.html
        );
    }

    #[test]
    fn deep_nesting_is_flattened_and_stays_balanced() {
        for (md, open, close) in [
            (format!("{}x\n", "- ".repeat(10_000)), "<ul>", "</ul>"),
            (
                format!("{}x\n", "> ".repeat(10_000)),
                "<blockquote>",
                "</blockquote>",
            ),
            (format!("{}x\n", "1. ".repeat(10_000)), "<ol>", "</ol>"),
        ] {
            let r = render(&md);
            assert!(r.flattened, "{open}");
            assert_eq!(r.html.matches(open).count(), MAX_NESTING, "{open}");
            assert_eq!(r.html.matches(close).count(), MAX_NESTING, "{close}");
            assert_eq!(
                r.html.matches("<li>").count(),
                r.html.matches("</li>").count()
            );
            assert!(r.html.contains('x'));
        }
        let shallow = render("- a\n  - b\n    > c\n");
        assert!(!shallow.flattened);
        assert_eq!(shallow.html.matches("<ul>").count(), 2);
    }
}
