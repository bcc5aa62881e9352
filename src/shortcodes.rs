//! Shortcodes in Markdown: `{{ cta(offer="spring-sale") }}`.
//!
//! Found in the Markdown source (never inside code spans or code blocks),
//! replaced by placeholders that survive Markdown rendering untouched, and
//! filled with HTML by the render stage. Pure: no templates, no files.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

/// Marks a placeholder: private-use characters no author types and that
/// Markdown leaves alone.
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    pub args: Vec<(String, String)>,
    /// Byte offset of `{{` in the Markdown.
    pub offset: usize,
}

impl Call {
    pub fn arg(&self, key: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// A malformed shortcode, at a byte offset of the Markdown.
#[derive(Debug, Clone, PartialEq)]
pub struct Malformed {
    pub offset: usize,
    pub message: String,
}

/// Markdown with shortcodes replaced by placeholders, and the calls in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    pub markdown: String,
    pub calls: Vec<Call>,
    pub errors: Vec<Malformed>,
}

pub fn placeholder(n: usize) -> String {
    format!("{OPEN}{n}{CLOSE}")
}

/// Byte ranges of code spans and code blocks, where shortcodes stay literal.
fn code_ranges(markdown: &str) -> Vec<Range<usize>> {
    Parser::new_ext(markdown, crate::markdown::options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => Some(range),
            _ => None,
        })
        .collect()
}

pub fn extract(markdown: &str) -> Extracted {
    if !markdown.contains("{{") {
        return Extracted {
            markdown: markdown.to_string(),
            ..Extracted::default()
        };
    }
    let code = code_ranges(markdown);
    let in_code = |at: usize| code.iter().any(|r| r.contains(&at));
    let mut out = Extracted::default();
    let mut copied = 0;
    let mut search = 0;
    while let Some(found) = markdown[search..].find("{{") {
        let start = search + found;
        search = start + 2;
        if in_code(start) {
            continue;
        }
        let Some(len) = markdown[start..].find("}}") else {
            break;
        };
        let end = start + len + 2;
        let inner = markdown[start + 2..end - 2].trim();
        let Some(paren) = inner.find('(') else {
            continue; // `{{ like this }}` in prose is just text
        };
        let name = inner[..paren].trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        match parse_args(&inner[paren..]) {
            Ok(args) => {
                out.markdown.push_str(&markdown[copied..start]);
                out.markdown.push_str(&placeholder(out.calls.len()));
                out.calls.push(Call {
                    name: name.to_string(),
                    args,
                    offset: start,
                });
                copied = end;
                search = end;
            }
            Err(message) => out.errors.push(Malformed {
                offset: start,
                message: format!("malformed shortcode `{name}`: {message}"),
            }),
        }
    }
    out.markdown.push_str(&markdown[copied..]);
    out
}

/// `(key="value", other='v', n=3)` → pairs.
fn parse_args(text: &str) -> Result<Vec<(String, String)>, String> {
    let body = text
        .strip_prefix('(')
        .and_then(|t| t.trim_end().strip_suffix(')'))
        .ok_or("write it as name(key=\"value\")")?;
    let mut args = Vec::new();
    let mut rest = body.trim();
    while !rest.is_empty() {
        let eq = rest.find('=').ok_or("each argument is key=\"value\"")?;
        let key = rest[..eq].trim();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("`{key}` is not an argument name"));
        }
        let after = rest[eq + 1..].trim_start();
        let (value, remaining) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let close = after[1..].find(q).ok_or("a quoted value is not closed")?;
                (after[1..1 + close].to_string(), &after[close + 2..])
            }
            Some(_) => {
                let stop = after.find(',').unwrap_or(after.len());
                (after[..stop].trim().to_string(), &after[stop..])
            }
            None => return Err(format!("`{key}` has no value")),
        };
        args.push((key.to_string(), value));
        rest = remaining.trim_start();
        if let Some(r) = rest.strip_prefix(',') {
            rest = r.trim_start();
        } else if !rest.is_empty() {
            return Err("separate arguments with commas".into());
        }
    }
    Ok(args)
}

/// Replaces placeholders in rendered HTML with each call's HTML. A shortcode
/// alone in its paragraph replaces the paragraph (no `<div>` inside `<p>`).
pub fn fill(html: &str, rendered: &[String]) -> String {
    if !html.contains(OPEN) {
        return html.to_string();
    }
    let mut out = unwrap_paragraphs(html);
    for (n, piece) in rendered.iter().enumerate() {
        out = out.replace(&placeholder(n), piece);
    }
    out
}

/// `<p>` elements holding nothing but placeholders (one shortcode per line,
/// several lines in a row) lose their `<p>`: blocks never sit inside one.
fn unwrap_paragraphs(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<p>") {
        let after = &rest[start + 3..];
        let Some(end) = after.find("</p>") else {
            break;
        };
        let inner = &after[..end];
        let only_placeholders =
            !inner.trim().is_empty() && strip(inner).trim().is_empty() && inner.starts_with(OPEN);
        out.push_str(&rest[..start]);
        if only_placeholders {
            out.push_str(inner);
        } else {
            out.push_str(&rest[start..start + 3 + end + 4]);
        }
        rest = &after[end + 4..];
    }
    out.push_str(rest);
    out
}

/// Drops placeholders from plain text (summaries used as descriptions).
pub fn strip(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut inside = false;
    for c in text.chars() {
        match c {
            OPEN => inside = true,
            CLOSE => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_calls_and_leaves_code_alone() {
        let md = "Intro {{ cta(offer=\"spring\") }}\n\n`{{ cta(offer=\"x\") }}`\n\n```\n{{ form(offer=\"y\") }}\n```\n\n{{ form(offer='news', style=banner) }}\n";
        let e = extract(md);
        assert_eq!(e.calls.len(), 2, "{:?}", e.calls);
        assert_eq!(e.calls[0].name, "cta");
        assert_eq!(e.calls[0].arg("offer"), Some("spring"));
        assert_eq!(e.calls[0].offset, 6);
        assert_eq!(e.calls[1].arg("style"), Some("banner"));
        assert!(e.markdown.contains("`{{ cta(offer=\"x\") }}`"));
        assert!(e.markdown.contains("{{ form(offer=\"y\") }}"));
    }

    #[test]
    fn malformed_calls_are_reported() {
        let e = extract("{{ cta(offer=\"spring) }}");
        assert_eq!(e.errors.len(), 1);
        assert!(e.errors[0].message.contains("not closed"));
    }

    #[test]
    fn placeholders_survive_markdown_and_fill_paragraphs() {
        let e = extract("Hello **world**\n\n{{ cta(offer=\"a\") }}\n\nand {{ cta(offer=\"b\") }} inline \"quoted\"\n");
        let html = crate::markdown::render(&e.markdown).html;
        let filled = fill(&html, &["<div>A</div>".into(), "<a>B</a>".into()]);
        assert!(
            filled.contains("<div>A</div>") && !filled.contains("<p><div>"),
            "{filled}"
        );
        assert!(filled.contains("and <a>B</a> inline"), "{filled}");
    }

    #[test]
    fn adjacent_shortcodes_leave_no_paragraph_around_blocks() {
        let e = extract("{{ form(offer=\"a\") }}\n{{ form(offer=\"b\") }}\n");
        let html = crate::markdown::render(&e.markdown).html;
        let filled = fill(&html, &["<div>A</div>".into(), "<div>B</div>".into()]);
        assert!(!filled.contains("<p>"), "{filled}");
        assert!(filled.contains("<div>A</div>") && filled.contains("<div>B</div>"));
    }

    #[test]
    fn prose_braces_are_text() {
        let e = extract("Use {{ curly }} braces");
        assert!(e.calls.is_empty() && e.errors.is_empty());
    }
}
