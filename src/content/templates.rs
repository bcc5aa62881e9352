//! The site's templates as content: their syntax is checked when they are
//! read (so errors come with the other content errors), and a tera error
//! becomes a diagnostic that names the template file, line and column.

use std::collections::HashMap;
use std::path::PathBuf;

use tera::Tera;

use super::files::TemplateSource;
use crate::base::text::line_col;
use crate::error::{Diagnostic, Diagnostics};

/// Where a template came from, for messages.
#[derive(Debug, Clone)]
pub struct TemplateOrigin {
    pub path: PathBuf,
    pub text: String,
}

/// Syntax errors of the site's own templates, each parsed alone so that
/// every one is reported, not only the first tera meets. Used when the
/// templates are read, so they are reported with content errors.
pub fn check_syntax(site_templates: &[TemplateSource]) -> Diagnostics {
    let origins: HashMap<String, TemplateOrigin> = site_templates
        .iter()
        .map(|t| {
            (
                t.name.clone(),
                TemplateOrigin {
                    path: t.source.clone(),
                    text: t.text.clone(),
                },
            )
        })
        .collect();
    syntax_errors(&origins)
}

pub(crate) fn syntax_errors(origins: &HashMap<String, TemplateOrigin>) -> Diagnostics {
    let mut errs = Diagnostics::default();
    for (name, origin) in origins {
        let mut alone = Tera::default();
        if let Err(e) = alone.add_raw_templates([(name.as_str(), origin.text.as_str())]) {
            if e.to_string().starts_with("Failed to parse") {
                errs.push(template_error(&e, origins));
            }
        }
    }
    errs.sort();
    errs
}

/// Turns a tera error into a diagnostic naming the template file and, when
/// tera says or the failing expression can be found, its line and column.
pub fn template_error(err: &tera::Error, origins: &HashMap<String, TemplateOrigin>) -> Diagnostic {
    let mut chain = vec![err.to_string()];
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        chain.push(s.to_string());
        source = s.source();
    }
    let full = chain.join(": ");
    // Innermost template named in the chain, e.g. "(error happened in 'base.html')".
    let name = chain
        .iter()
        .rev()
        .find_map(|m| quoted_template(m, origins))
        .or_else(|| quoted_template(&full, origins));
    let mut message = chain
        .last()
        .cloned()
        .unwrap_or_default()
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n    ");
    if message.trim().is_empty() {
        message = full.clone();
    }
    // A pest syntax error is a drawing (" --> 2:15", the line, a caret) and
    // then "= expected …": the position goes in the location, keep the words.
    if let Some(expected) = message.lines().find_map(|l| l.trim().strip_prefix("= ")) {
        message = format!("syntax error: {expected}");
    }
    // The page being rendered is named in the help; without it, one bug in
    // base.html reads as the same message for every page and dedupes.
    if let Some(i) = message.find(" while rendering '") {
        let end = message[i + 18..]
            .find('\'')
            .map_or(message.len(), |j| i + 18 + j + 1);
        message.replace_range(i..end, "");
    }
    let mut d = Diagnostic::error(format!("template error: {}", message.trim()))
        .with_help("fix the template; see the template context in the docs (content/templates.md)");
    if let Some(name) = name {
        let mut origin = &origins[&name];
        d.path = Some(origin.path.clone());
        if let Some((l, c)) = pest_position(&full) {
            d.line = Some(l);
            d.column = Some(c);
        } else if let Some(var) = backticked(&full) {
            // "Variable `page.titel` not found": point at its first use, in
            // this template or in the ones it extends.
            let mut seen = 0;
            while !origin.text.contains(&var) && seen < 16 {
                match parent_of(&origin.text).and_then(|p| origins.get(p)) {
                    Some(parent) => origin = parent,
                    None => break,
                }
                seen += 1;
            }
            if let Some(off) = origin.text.find(&var) {
                let (l, c) = line_col(&origin.text, off);
                d.path = Some(origin.path.clone());
                d.line = Some(l);
                d.column = Some(c);
            }
        }
    }
    d
}

/// The template named by `{% extends "…" %}`, if any.
fn parent_of(text: &str) -> Option<&str> {
    let at = text.find("extends")?;
    let rest = &text[at + "extends".len()..];
    let quote = rest.find(['"', '\''])?;
    let q = rest.as_bytes()[quote] as char;
    let rest = &rest[quote + 1..];
    Some(&rest[..rest.find(q)?])
}

fn quoted_template(msg: &str, origins: &HashMap<String, TemplateOrigin>) -> Option<String> {
    let mut found = None;
    for part in msg.split('\'') {
        if origins.contains_key(part) {
            found = Some(part.to_string());
        }
    }
    found
}

/// pest errors carry " --> line:col".
fn pest_position(msg: &str) -> Option<(usize, usize)> {
    let rest = &msg[msg.find("--> ")? + 4..];
    let end = rest.find(|c: char| !(c.is_ascii_digit() || c == ':'))?;
    let (l, c) = rest[..end].split_once(':')?;
    Some((l.parse().ok()?, c.parse().ok()?))
}

fn backticked(msg: &str) -> Option<String> {
    let start = msg.find('`')? + 1;
    let end = start + msg[start..].find('`')?;
    Some(msg[start..end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    // The messages of tera (and of pest, inside tera) that `template_error`
    // and `syntax_errors` read, produced by tera itself: an upgrade that
    // rewords one fails here, by name, instead of silently losing the file,
    // the line or the help of a template error.

    fn chain(err: &tera::Error) -> Vec<String> {
        let mut chain = vec![err.to_string()];
        let mut source = std::error::Error::source(err);
        while let Some(s) = source {
            chain.push(s.to_string());
            source = s.source();
        }
        chain
    }

    fn origin(path: &str, text: &str) -> TemplateOrigin {
        TemplateOrigin {
            path: PathBuf::from(path),
            text: text.into(),
        }
    }

    #[test]
    fn tera_messages_syntax_error_names_the_template_and_pest_position() {
        let text = "line one\n{{ page.title }\n";
        let mut tera = tera::Tera::default();
        let err = tera.add_raw_templates([("post.html", text)]).unwrap_err();
        let chain = chain(&err);
        // syntax_errors keeps parse failures by this lead; quoted_template
        // finds the name between single quotes.
        assert_eq!(chain[0], "Failed to parse 'post.html'");
        // pest draws " --> line:col", the line and a caret, then "= expected …".
        let full = chain.join(": ");
        assert!(full.contains(" --> 2:15"), "{full}");
        assert_eq!(pest_position(&full), Some((2, 15)));
        let last = chain.last().unwrap();
        assert!(
            last.lines()
                .any(|l| l.trim().starts_with("= expected ") && l.contains("a variable end (`}}`)")),
            "{last}"
        );
        let origins =
            HashMap::from([("post.html".to_string(), origin("templates/post.html", text))]);
        let d = template_error(&err, &origins);
        assert_eq!(d.location().as_deref(), Some("templates/post.html:2:15"));
        assert!(
            d.message
                .starts_with("template error: syntax error: expected `or`, `and`"),
            "{d}"
        );
    }

    #[test]
    fn tera_messages_a_missing_parent_is_typed_not_a_parse_failure() {
        let mut tera = tera::Tera::default();
        let err = tera
            .add_raw_templates([("page.html", "{% extends \"nope.html\" %}")])
            .unwrap_err();
        assert!(
            matches!(err.kind, tera::ErrorKind::MissingParent { .. }),
            "{err:?}"
        );
        assert!(!err.to_string().starts_with("Failed to parse"), "{err}");
    }

    #[test]
    fn tera_messages_missing_variable_names_it_and_the_templates() {
        let base = "<html>\n{{ page.nope }}</html>{% block content %}{% endblock content %}";
        let child = "{% extends \"base.html\" %}{% block content %}x{% endblock content %}";
        let mut tera = tera::Tera::default();
        tera.add_raw_templates([("base.html", base), ("child.html", child)])
            .unwrap();
        let err = tera
            .render("child.html", &tera::Context::new())
            .unwrap_err();
        let chain = chain(&err);
        assert_eq!(
            chain,
            [
                "Failed to render 'child.html' (error happened in 'base.html').",
                "Variable `page.nope` not found in context while rendering 'child.html'",
            ]
        );
        assert_eq!(backticked(&chain.join(": ")).as_deref(), Some("page.nope"));
        let origins = HashMap::from([
            ("base.html".to_string(), origin("templates/base.html", base)),
            (
                "child.html".to_string(),
                origin("templates/child.html", child),
            ),
        ]);
        let d = template_error(&err, &origins);
        assert_eq!(d.location().as_deref(), Some("templates/base.html:2:4"));
        assert_eq!(
            d.message,
            "template error: Variable `page.nope` not found in context"
        );
    }
}
