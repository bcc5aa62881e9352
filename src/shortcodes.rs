//! Shortcodes in Markdown: inline `{{ cta(offer="spring-sale") }}`, or with
//! a Markdown body `{% note(kind="tip") %} … {% end %}`.
//!
//! Found in the Markdown source (never inside code spans or code blocks),
//! replaced by placeholders that survive Markdown rendering untouched, and
//! filled with HTML by the render stage. Arguments are typed: strings,
//! numbers, booleans and lists of them. Pure: no templates, no files.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};
use serde_json::Value;

/// Marks a placeholder: private-use characters no author types and that
/// Markdown leaves alone.
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// One `key=value` of a call.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub key: String,
    pub value: Value,
    /// Byte offset of the key in the Markdown.
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    pub args: Vec<Arg>,
    /// The Markdown between `{% name(…) %}` and `{% end %}`; `None` for an
    /// inline call.
    pub body: Option<String>,
    /// Byte offset of `{{` or `{%` in the Markdown.
    pub offset: usize,
}

impl Call {
    /// A string argument.
    pub fn arg(&self, key: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|a| a.key == key)
            .and_then(|a| a.value.as_str())
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
    Parser::new_ext(markdown, crate::base::cmark::options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => Some(range),
            _ => None,
        })
        .collect()
}

pub fn extract(markdown: &str) -> Extracted {
    if !markdown.contains("{{") && !markdown.contains("{%") {
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
    while let Some(found) = find_open(&markdown[search..]) {
        let start = search + found;
        search = start + 2;
        if in_code(start) {
            continue;
        }
        let block = markdown[start..].starts_with("{%");
        let Some(len) = markdown[start + 2..].find(if block { "%}" } else { "}}" }) else {
            continue;
        };
        let inner_start = start + 2;
        let inner = &markdown[inner_start..inner_start + len];
        let mut end = inner_start + len + 2;
        let trimmed = inner.trim();
        if block && trimmed == "end" {
            out.errors.push(Malformed {
                offset: start,
                message: "`{% end %}` without a shortcode to close".into(),
            });
            continue;
        }
        let Some(paren) = trimmed.find('(') else {
            continue; // `{{ like this }}` in prose is just text
        };
        let name = trimmed[..paren].trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let lead = inner.len() - inner.trim_start().len();
        let args = match parse_args(&trimmed[paren..], inner_start + lead + paren) {
            Ok(args) => args,
            Err(message) => {
                out.errors.push(Malformed {
                    offset: start,
                    message: format!("malformed shortcode `{name}`: {message}"),
                });
                continue;
            }
        };
        let body = if block {
            let Some((body_end, after)) = find_end(markdown, end, &in_code) else {
                out.errors.push(Malformed {
                    offset: start,
                    message: format!("the body of the shortcode `{name}` is not closed"),
                });
                continue;
            };
            if let Some(inner) = first_call(markdown, end..body_end, &in_code) {
                out.errors.push(Malformed {
                    offset: inner,
                    message: format!(
                        "a shortcode inside the body of `{name}` would not be expanded: a body holds Markdown only"
                    ),
                });
            }
            let body = markdown[end..body_end].to_string();
            end = after;
            Some(body)
        } else {
            None
        };
        out.markdown.push_str(&markdown[copied..start]);
        out.markdown.push_str(&placeholder(out.calls.len()));
        out.calls.push(Call {
            name: name.to_string(),
            args,
            body,
            offset: start,
        });
        copied = end;
        search = end;
    }
    out.markdown.push_str(&markdown[copied..]);
    out
}

/// The first `{{` or `{%`.
fn find_open(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    text.match_indices('{')
        .map(|(i, _)| i)
        .find(|&i| matches!(bytes.get(i + 1), Some(b'{' | b'%')))
}

/// The offset of the first call (`{{ name(` or `{% name(`) in `range`, outside code.
fn first_call(
    markdown: &str,
    range: Range<usize>,
    in_code: &dyn Fn(usize) -> bool,
) -> Option<usize> {
    let text = &markdown[range.clone()];
    let mut search = 0;
    while let Some(found) = find_open(&text[search..]) {
        let at = search + found;
        search = at + 2;
        let after = text[at + 2..].trim_start();
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let is_call = name_len > 0 && after[name_len..].trim_start().starts_with('(');
        if is_call && !in_code(range.start + at) {
            return Some(range.start + at);
        }
    }
    None
}

/// Where the `{% end %}` after `from` starts and ends (outside code).
fn find_end(
    markdown: &str,
    from: usize,
    in_code: &dyn Fn(usize) -> bool,
) -> Option<(usize, usize)> {
    let mut search = from;
    while let Some(found) = markdown[search..].find("{%") {
        let start = search + found;
        search = start + 2;
        let len = markdown[search..].find("%}")?;
        if !in_code(start) && markdown[search..search + len].trim() == "end" {
            return Some((start, search + len + 2));
        }
    }
    None
}

fn skip_space(text: &str, at: usize) -> usize {
    at + (text[at..].len() - text[at..].trim_start().len())
}

/// `(key="value", n=3, on=true, tags=["a", "b"])` → arguments; `base` is
/// the byte offset of `(` in the Markdown.
fn parse_args(text: &str, base: usize) -> Result<Vec<Arg>, String> {
    let body = text
        .strip_prefix('(')
        .and_then(|t| t.trim_end().strip_suffix(')'))
        .ok_or("write it as name(key=\"value\")")?;
    let mut args: Vec<Arg> = Vec::new();
    let mut at = skip_space(body, 0);
    while at < body.len() {
        let eq = at + body[at..].find('=').ok_or("each argument is key=value")?;
        let key = body[at..eq].trim();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("`{key}` is not an argument name"));
        }
        if args.iter().any(|a| a.key == key) {
            return Err(format!("`{key}` is given twice"));
        }
        let (value, next) = parse_value(body, eq + 1, key)?;
        args.push(Arg {
            key: key.to_string(),
            value,
            offset: base + 1 + at,
        });
        at = skip_space(body, next);
        if let Some(rest) = body[at..].strip_prefix(',') {
            at = skip_space(body, body.len() - rest.len());
        } else if at < body.len() {
            return Err("separate arguments with commas".into());
        }
    }
    Ok(args)
}

/// A string, number, boolean or list at byte `at` of `text`, and where it ends.
fn parse_value(text: &str, at: usize, key: &str) -> Result<(Value, usize), String> {
    let at = skip_space(text, at);
    let rest = &text[at..];
    match rest.chars().next() {
        None => Err(format!("`{key}` has no value")),
        Some(q @ ('"' | '\'')) => {
            let close = rest[1..].find(q).ok_or("a quoted value is not closed")?;
            Ok((
                Value::String(rest[1..1 + close].to_string()),
                at + close + 2,
            ))
        }
        Some('[') => {
            let mut items = Vec::new();
            let mut p = skip_space(text, at + 1);
            while !text[p..].starts_with(']') {
                let (item, next) = parse_value(text, p, key)?;
                if item.is_array() {
                    return Err(format!(
                        "`{key}`: a list holds strings, numbers or booleans"
                    ));
                }
                items.push(item);
                p = skip_space(text, next);
                if text[p..].starts_with(',') {
                    p = skip_space(text, p + 1);
                } else if !text[p..].starts_with(']') {
                    return Err(format!(
                        "`{key}`: separate list items with commas and end the list with ]"
                    ));
                }
            }
            Ok((Value::Array(items), p + 1))
        }
        Some(_) => {
            let stop = rest.find([',', ']']).unwrap_or(rest.len());
            let word = rest[..stop].trim();
            let value = match word {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                w => match (w.parse::<i64>(), w.parse::<f64>()) {
                    (Ok(n), _) => Value::from(n),
                    (_, Ok(x)) if x.is_finite() => Value::from(x),
                    _ => {
                        return Err(format!(
                            "`{key}={w}` is not a value: quote text (\"{w}\"), or write a number, true, false or a [list]"
                        ))
                    }
                },
            };
            Ok((value, at + stop))
        }
    }
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
        let md = "Intro {{ cta(offer=\"spring\") }}\n\n`{{ cta(offer=\"x\") }}`\n\n```\n{{ form(offer=\"y\") }}\n```\n\n{{ form(offer='news', style=\"banner\") }}\n";
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
    fn arguments_are_typed() {
        let e = extract("{{ t(name=\"Ada\", n=3, x=1.5, on=true, tags=['a', \"b\", 2]) }}");
        assert!(e.errors.is_empty(), "{:?}", e.errors);
        let args: Vec<(&str, Value)> = e.calls[0]
            .args
            .iter()
            .map(|a| (a.key.as_str(), a.value.clone()))
            .collect();
        assert_eq!(
            args,
            [
                ("name", Value::from("Ada")),
                ("n", Value::from(3)),
                ("x", Value::from(1.5)),
                ("on", Value::from(true)),
                ("tags", serde_json::json!(["a", "b", 2])),
            ]
        );
        assert_eq!(e.calls[0].args[1].offset, 17);
    }

    #[test]
    fn bare_words_and_repeated_keys_are_errors() {
        assert!(extract("{{ t(name=Ada) }}").errors[0]
            .message
            .contains("quote text"));
        assert!(extract("{{ t(a=1, a=2) }}").errors[0]
            .message
            .contains("twice"));
        assert!(extract("{{ t(a=[1, [2]]) }}").errors[0]
            .message
            .contains("a list holds"));
    }

    #[test]
    fn body_shortcodes_keep_their_markdown_and_skip_code() {
        let md = "A\n\n{% note(kind=\"tip\") %}\nSome *body* with `{% end %}`\n{% end %}\n\n```\n{% note() %}\n```\n";
        let e = extract(md);
        assert!(e.errors.is_empty(), "{:?}", e.errors);
        assert_eq!(e.calls.len(), 1);
        assert_eq!(
            e.calls[0].body.as_deref(),
            Some("\nSome *body* with `{% end %}`\n")
        );
        assert!(e.markdown.contains("{% note() %}"), "{}", e.markdown);
        assert!(!e.markdown.contains("kind"), "{}", e.markdown);
    }

    #[test]
    fn a_call_inside_a_body_is_an_error_unless_in_code() {
        let e = extract("{% note() %}\nSee {{ cta(offer=\"a\") }}\n{% end %}\n");
        assert_eq!(e.errors.len(), 1, "{:?}", e.errors);
        assert_eq!(e.errors[0].offset, 17);
        let e = extract("{% note() %}\nSee `{{ cta(offer=\"a\") }}`\n{% end %}\n");
        assert!(e.errors.is_empty(), "{:?}", e.errors);
    }

    #[test]
    fn unclosed_bodies_and_stray_ends_are_errors() {
        assert!(extract("{% note() %} text").errors[0]
            .message
            .contains("not closed"));
        assert!(extract("text {% end %}").errors[0]
            .message
            .contains("without"));
    }

    #[test]
    fn prose_braces_are_text() {
        let e = extract("Use {{ curly }} braces");
        assert!(e.calls.is_empty() && e.errors.is_empty());
    }
}
