//! Warnings about a page's Markdown that the renderer reports as it finds
//! them (`Rendered::flattened`, `Rendered::unknown_languages`), located by
//! parsing the page body again, only for the pages that have them.

use crate::error::Diagnostic;
use crate::markdown;

/// Names the line where a page's lists or quotes nest too deep.
pub(super) fn deep_nesting_warning(page: &crate::content::Page) -> Diagnostic {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut depth = 0;
    let mut at = 0;
    for (event, range) in
        Parser::new_ext(&page.body, crate::base::cmark::options()).into_offset_iter()
    {
        match event {
            Event::Start(Tag::List(_) | Tag::BlockQuote(_)) => {
                depth += 1;
                if depth > markdown::MAX_NESTING {
                    at = range.start;
                    break;
                }
            }
            Event::End(pulldown_cmark::TagEnd::List(_) | pulldown_cmark::TagEnd::BlockQuote(_)) => {
                depth -= 1
            }
            _ => {}
        }
    }
    let (line, column) = crate::base::text::line_col(&page.body, at);
    Diagnostic::warning(format!(
        "lists or block quotes are nested more than {} levels deep; the deeper levels are flattened",
        markdown::MAX_NESTING
    ))
    .in_file(&page.source)
    .at(page.body_line + line - 1, column)
    .with_help("nest less deeply: readers cannot follow more than a few levels anyway")
}

/// Names the first code block in a language lander does not highlight.
pub(super) fn unknown_language_warning(page: &crate::content::Page, lang: &str) -> Diagnostic {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
    let at = Parser::new_ext(&page.body, crate::base::cmark::options())
        .into_offset_iter()
        .find_map(|(event, range)| match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.split(' ').next() == Some(lang) =>
            {
                Some(range.start)
            }
            _ => None,
        })
        .unwrap_or(0);
    let (line, column) = crate::base::text::line_col(&page.body, at);
    Diagnostic::warning(format!(
        "code block in `{lang}` is shown without highlighting: lander does not know that language"
    ))
    .in_file(&page.source)
    .at(page.body_line + line - 1, column)
    .with_help(format!(
        "name one of {}, or `text` for a plain block",
        crate::highlight::LANGUAGE_NAMES
    ))
}
