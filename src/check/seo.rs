//! Search and conversion rules on each page: `missing-title`,
//! `duplicate-title`, `title-length`, `missing-description`,
//! `description-length`, `multiple-h1` and `thin-content` (`no-cta` is a
//! gap of the funnel: see `funnel`).

use std::collections::BTreeMap;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag};
use rayon::prelude::*;

use super::context::{is_synthetic, Ctx, Loc, Origin};
use super::facts::Doc;
use super::{Finding, Found, Rule};
use crate::config::CONFIG_FILE;
use crate::content::{Page, PageKind};

/// Search results show about this many characters of a title.
pub const TITLE_MAX: usize = 60;
/// A meta description shorter than this says too little…
pub const DESCRIPTION_MIN: usize = 50;
/// …and one longer is cut in search results.
pub const DESCRIPTION_MAX: usize = 160;

pub fn check(ctx: &Ctx, out: &mut Vec<Found>) {
    titles(ctx, out);
    for (doc, origin) in &ctx.docs {
        let origin = *origin;
        if !doc.noindex {
            description(ctx, doc, origin, out);
        }
        if doc.h1 > 1 {
            out.push(multiple_h1(ctx, doc, origin));
        }
    }
    let content: Vec<Found> = ctx
        .docs
        .par_iter()
        .filter_map(|(doc, origin)| match *origin {
            Origin::Page(i) if is_content(&ctx.site.pages[i]) => Some((doc, *origin, i)),
            _ => None,
        })
        .flat_map_iter(|(doc, origin, i)| {
            let page = &ctx.site.pages[i];
            let mut found = Vec::new();
            let min = ctx.site.config.check.thin_words;
            if !doc.noindex {
                let n = words(page);
                if n < min {
                    found.push(ctx.loc(doc, origin).put(
                        Finding::new(
                            Rule::ThinContent,
                            format!("the page has {n} words, fewer than {min}"),
                        )
                        .with_help(
                            "search engines rank thin pages poorly: answer the reader's questions in full, \
                             or raise check.thin_words in site.yaml",
                        ),
                    ));
                }
            }
            found
        })
        .collect();
    out.extend(content);
}

/// Posts, products, plain and landing pages: the pages a visitor reads.
fn is_content(page: &Page) -> bool {
    matches!(
        page.kind,
        PageKind::Post | PageKind::Product | PageKind::Page | PageKind::Landing
    )
}

fn titles(ctx: &Ctx, out: &mut Vec<Found>) {
    let mut by_title: BTreeMap<&str, Vec<(&Doc, Origin)>> = BTreeMap::new();
    for (doc, origin) in &ctx.docs {
        let origin = *origin;
        let title = doc.title.as_deref().unwrap_or_default();
        if title.is_empty() {
            let message = if doc.title.is_none() {
                "the page has no <title>"
            } else {
                "the page's <title> is empty"
            };
            out.push(ctx.loc(doc, origin).put(
                Finding::new(Rule::MissingTitle, message).with_help(
                    "every page needs a <title> in its <head>: check the template that renders it",
                ),
            ));
            continue;
        }
        if doc.noindex {
            continue;
        }
        let n = title.chars().count();
        if n > TITLE_MAX {
            out.push(title_loc(ctx, doc, origin).put(
                Finding::new(
                    Rule::TitleLength,
                    format!("the title “{title}” is {n} characters; search results show about {TITLE_MAX}"),
                )
                .with_help("shorten the title (the site name after it counts too)"),
            ));
        }
        by_title.entry(title).or_default().push((doc, origin));
    }
    for (title, docs) in by_title.into_iter().filter(|(_, d)| d.len() > 1) {
        for (k, (doc, origin)) in docs.iter().enumerate() {
            let others: Vec<String> = docs
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != k)
                .map(|(_, (d, _))| page_url(ctx, d))
                .collect();
            out.push(
                title_loc(ctx, doc, *origin).put(
                    Finding::new(
                        Rule::DuplicateTitle,
                        format!(
                            "the title “{title}” is also the title of {}",
                            others.join(", ")
                        ),
                    )
                    .with_help("give every page its own title, so search results tell them apart"),
                ),
            );
        }
    }
}

fn description(ctx: &Ctx, doc: &Doc, origin: Origin, out: &mut Vec<Found>) {
    let text = doc.description.as_deref().unwrap_or_default();
    let n = text.chars().count();
    let written = match origin {
        Origin::Page(i) | Origin::List(i) => ctx.site.pages[i].meta.description.is_some(),
        _ => true,
    };
    if n == 0 {
        out.push(description_loc(ctx, doc, origin).put(
            Finding::new(Rule::MissingDescription, "the page has no meta description").with_help(
                "write `description:` in the front matter: one or two sentences (50-160 characters) \
                 that make a searcher click",
            ),
        ));
    } else if !(DESCRIPTION_MIN..=DESCRIPTION_MAX).contains(&n) {
        let help = if written {
            "write 50-160 characters: shorter says too little, longer is cut in search results"
        } else {
            "the description is taken from the first paragraph: write `description:` in the front matter \
             (50-160 characters)"
        };
        out.push(description_loc(ctx, doc, origin).put(
            Finding::new(
                Rule::DescriptionLength,
                format!(
                    "the meta description is {n} characters, outside {DESCRIPTION_MIN}-{DESCRIPTION_MAX}"
                ),
            )
            .with_help(help),
        ));
    }
}

fn multiple_h1(ctx: &Ctx, doc: &Doc, origin: Origin) -> Found {
    let message = format!("the page has {} <h1> headings; it should have one", doc.h1);
    let written = ctx
        .page_of(origin)
        .filter(|p| !is_synthetic(p))
        .and_then(|p| first_h1(p).map(|at| (p, at)));
    match written {
        Some((_, (line, column))) => ctx.loc(doc, origin).at(line, column).put(
            Finding::new(Rule::MultipleH1, message).with_help(
                "the page's title is already its <h1>: make this heading `##` (an <h2>)",
            ),
        ),
        None => ctx.loc(doc, origin).put(
            Finding::new(Rule::MultipleH1, message)
                .with_help("keep one <h1> per page: check the template and any HTML in the text"),
        ),
    }
}

/// Line and column of the first level-1 heading of a page's Markdown (`#`,
/// a `===` underline or an `<h1>` tag).
fn first_h1(page: &Page) -> Option<(usize, usize)> {
    let body = &page.body;
    let markdown = Parser::new_ext(body, crate::base::cmark::options())
        .into_offset_iter()
        .find_map(|(e, range)| match e {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) => Some(range.start),
            Event::Html(h) | Event::InlineHtml(h) => {
                h.to_ascii_lowercase().find("<h1").map(|i| range.start + i)
            }
            _ => None,
        });
    markdown.map(|offset| page.body_line_col(offset))
}

/// Words a reader gets: the Markdown text, FAQ and reviews.
fn words(page: &Page) -> usize {
    let count = |s: &str| s.split_whitespace().count();
    let extracted = crate::shortcodes::extract(&page.body);
    // Each shortcode left a one-word placeholder.
    let text = crate::markdown::render(&extracted.markdown)
        .word_count
        .saturating_sub(extracted.calls.len());
    let faq: usize = page
        .meta
        .faq
        .iter()
        .map(|f| count(&f.q) + count(&f.a))
        .sum();
    let reviews: usize = page.meta.reviews.iter().map(|r| count(&r.body)).sum();
    text + faq + reviews
}

/// Where a page's title is written.
fn title_loc(ctx: &Ctx, doc: &Doc, origin: Origin) -> Loc {
    match origin {
        Origin::Page(i) | Origin::List(i) => {
            let p = &ctx.site.pages[i];
            let shown = doc.title.as_deref().unwrap_or_default();
            if p.kind == PageKind::Home && (is_synthetic(p) || !shown.contains(&p.meta.title)) {
                // The theme titles the home page with the site's title.
                Loc::file(CONFIG_FILE)
            } else {
                ctx.key_loc(doc, origin, "title")
            }
        }
        Origin::Offer(_) => ctx.key_loc(doc, origin, "headline"),
        Origin::Thanks(_) => ctx.key_loc(doc, origin, "thank_you"),
        Origin::Generated => ctx.loc(doc, origin),
    }
}

/// Where a page's description is written (or would be).
pub(super) fn description_loc(ctx: &Ctx, doc: &Doc, origin: Origin) -> Loc {
    match origin {
        Origin::Page(i) | Origin::List(i) if is_synthetic(&ctx.site.pages[i]) => {
            Loc::file(CONFIG_FILE)
        }
        Origin::Page(_) | Origin::List(_) => ctx.key_loc(doc, origin, "description"),
        Origin::Offer(o) => {
            let key = if ctx.site.offers[o].def.subheadline.is_some() {
                "subheadline"
            } else {
                "headline"
            };
            ctx.key_loc(doc, origin, key)
        }
        _ => ctx.loc(doc, origin),
    }
}

/// The site path of a rendered page, e.g. `/blog/x/`.
pub(super) fn page_url(ctx: &Ctx, doc: &Doc) -> String {
    let path = doc.path.strip_suffix("index.html").unwrap_or(&doc.path);
    ctx.urls.path(&format!("/{path}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::key_lines::KeyLines;

    fn page(body: &str) -> Page {
        Page {
            source: "content/a.md".into(),
            kind: PageKind::Post,
            section: "blog".into(),
            slug: "a".into(),
            path: "/blog/a/".into(),
            meta: Default::default(),
            key_lines: KeyLines::default(),
            body: body.into(),
            body_line: 4,
            lang: "en".into(),
            lang_suffix: None,
            translation_group: "file:blog/a".into(),
            stem: "blog/a".into(),
            unprefixed_path: "/blog/a/".into(),
        }
    }

    #[test]
    fn first_h1_is_located() {
        assert_eq!(first_h1(&page("Intro\n\n# Big\n")), Some((6, 1)));
        assert_eq!(first_h1(&page("Intro\n\nBig\n===\n")), Some((6, 1)));
        assert_eq!(first_h1(&page("x\n\n<h1>Raw</h1>\n")), Some((6, 1)));
        assert_eq!(first_h1(&page("## Small\n")), None);
    }

    #[test]
    fn words_leave_shortcodes_out() {
        let p = page("One two three.\n\n{{ cta(offer=\"x\") }}\n\n`code word`\n");
        assert_eq!(words(&p), 5);
    }
}
