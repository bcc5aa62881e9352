//! Which shortcodes a site has and which arguments each accepts: the four
//! built in (`cta`, `form`, `countdown`, `product`), and every
//! `templates/shortcodes/NAME.html` of the site. A site shortcode accepts
//! the variables its template reads; an argument it never reads is a typo.

use std::collections::{BTreeMap, BTreeSet};

use crate::base::text::closest;
use crate::error::Diagnostic;
use crate::shortcodes::Call;
use crate::theme::Theme;

/// The built-in shortcodes and the arguments each takes (the first is the
/// one it needs; `cta` may also open its offer in a dialog: `open="popup"`).
pub const BUILT_IN: [(&str, &[&str]); 4] = [
    ("cta", &["offer", "open"]),
    ("form", &["offer"]),
    ("countdown", &["offer"]),
    ("product", &["slug"]),
];

/// Variables lander sets in every shortcode template: not arguments.
pub const GIVEN: [&str; 8] = [
    "page",
    "site",
    "data",
    "body",
    "lang",
    "t",
    "current_path",
    "lander_version",
];

/// Tera's own words, never taken for variables.
const KEYWORDS: [&str; 28] = [
    "if",
    "elif",
    "else",
    "endif",
    "for",
    "in",
    "endfor",
    "set",
    "set_global",
    "include",
    "import",
    "macro",
    "endmacro",
    "filter",
    "endfilter",
    "block",
    "endblock",
    "extends",
    "raw",
    "endraw",
    "and",
    "or",
    "not",
    "true",
    "false",
    "is",
    "as",
    "loop",
];

pub struct Catalog {
    /// Arguments of each shortcode, by name.
    args: BTreeMap<String, BTreeSet<String>>,
    /// Shortcodes whose template is the site's (its own or an override).
    from_site: BTreeSet<String>,
}

impl Catalog {
    pub fn new(theme: &Theme) -> Catalog {
        let mut args = BTreeMap::new();
        let mut from_site = BTreeSet::new();
        for (template, origin) in &theme.origins {
            let Some(name) = template
                .strip_prefix("shortcodes/")
                .and_then(|n| n.strip_suffix(".html"))
            else {
                continue;
            };
            let mut accepted: BTreeSet<String> = BUILT_IN
                .iter()
                .filter(|(n, _)| *n == name)
                .flat_map(|(_, a)| a.iter().map(|a| a.to_string()))
                .collect();
            if !origin.path.starts_with("themes/default") {
                from_site.insert(name.to_string());
                accepted.extend(variables(&origin.text));
            }
            args.insert(name.to_string(), accepted);
        }
        Catalog { args, from_site }
    }

    /// The template of `name` is the site's: it gets `page` and every argument.
    pub fn is_from_site(&self, name: &str) -> bool {
        self.from_site.contains(name)
    }

    pub fn is_built_in(name: &str) -> bool {
        BUILT_IN.iter().any(|(n, _)| *n == name)
    }

    /// An unknown shortcode or argument, with the byte offset it is at.
    pub fn check(&self, call: &Call) -> Result<(), (usize, Diagnostic)> {
        let Some(accepted) = self.args.get(&call.name) else {
            let names: Vec<String> = self.args.keys().cloned().collect();
            let help = match closest(&call.name, &names) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!(
                    "lander knows: {}; a site adds its own as templates/shortcodes/{}.html",
                    names.join(", "),
                    call.name
                ),
            };
            return Err((
                call.offset,
                Diagnostic::error(format!("unknown shortcode `{}`", call.name)).with_help(help),
            ));
        };
        for arg in &call.args {
            if self.is_from_site(&call.name) && GIVEN.contains(&arg.key.as_str()) {
                return Err((
                    arg.offset,
                    Diagnostic::error(format!(
                        "`{}` cannot be an argument of the shortcode `{}`: lander sets it in every shortcode",
                        arg.key, call.name
                    ))
                    .with_help(format!("rename it, e.g. `{}_name`", arg.key)),
                ));
            }
            if accepted.contains(&arg.key) {
                continue;
            }
            let known: Vec<String> = accepted.iter().cloned().collect();
            let help = match closest(&arg.key, &known) {
                Some(best) => format!("did you mean `{best}`?"),
                None if known.is_empty() => {
                    format!("templates/shortcodes/{}.html reads no argument", call.name)
                }
                None => format!("`{}` takes: {}", call.name, known.join(", ")),
            };
            return Err((
                arg.offset,
                Diagnostic::error(format!(
                    "the shortcode `{}` has no argument `{}`",
                    call.name, arg.key
                ))
                .with_help(help),
            ));
        }
        Ok(())
    }
}

/// Names of the variables a tera template reads (or sets), outside
/// strings and comments, not counting fields (`page.title`), filters
/// (`| upper`), functions (`now()`) and tera's keywords.
pub fn variables(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find(['{']) {
        let after = &rest[open + 1..];
        let close = match after.chars().next() {
            Some('{') => "}}",
            Some('%') => "%}",
            _ => {
                rest = after;
                continue;
            }
        };
        let Some(end) = after.find(close) else {
            break;
        };
        names_in(&after[1..end], &mut out);
        rest = &after[end + 2..];
    }
    for word in KEYWORDS.iter().chain(GIVEN.iter()) {
        out.remove(*word);
    }
    out
}

/// The variable names of one tag's expression.
fn names_in(expr: &str, out: &mut BTreeSet<String>) {
    let chars: Vec<char> = expr.chars().collect();
    let mut i = 0;
    // The last character that is not a space before the current one.
    let mut before = ' ';
    while i < chars.len() {
        let c = chars[i];
        if c == '"' || c == '\'' || c == '`' {
            i += 1;
            while i < chars.len() && chars[i] != c {
                i += 1;
            }
            before = c;
            i += 1;
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let next = chars[i..].iter().find(|c| !c.is_whitespace());
            if before != '.' && before != '|' && next != Some(&'(') {
                out.insert(word);
            }
            before = 'a';
            continue;
        }
        if !c.is_whitespace() {
            before = c;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_what_the_template_reads() {
        let t = "<figure>{{ quote | upper }}{% if photo %}<img src=\"{{ photo }}\" alt=\"{{ name ~ 'x' }}\">{% endif %}\
                 {{ page.title }}{{ data.team[name].role }}{{ now() }}{# a comment #}</figure>";
        let vars: Vec<String> = variables(t).into_iter().collect();
        assert_eq!(vars, ["name", "photo", "quote"]);
    }
}
