//! Syntax highlighting of fenced code blocks at build time, with
//! tree-sitter: the code becomes spans with short classes (`hl-k` for a
//! keyword, …) that the theme's stylesheet colours, light and dark. No
//! script runs in the browser. Pure: no file system, no templates.
//!
//! tree-sitter rather than syntect: its parsers are generated C, and a
//! two-line block costs microseconds, where syntect's regex grammars cost
//! about a tenth of a millisecond, which at 10,000 posts was a whole build.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use pulldown_cmark_escape::escape_html_body_text;
use tree_sitter_highlight::{HighlightConfiguration, HighlightEvent, Highlighter};

/// The capture names of the grammars' queries that get a colour, and the
/// class each gets. A capture takes the longest name here that it starts
/// with (`function.method` → `function`); the others (operators,
/// punctuation, plain variables) stay unstyled, which keeps the HTML small.
const NAMES: [(&str, Class); 20] = [
    ("comment", Class::Comment),
    ("keyword", Class::Keyword),
    // CSS at-rules.
    ("import", Class::Keyword),
    ("charset", Class::Keyword),
    ("media", Class::Keyword),
    ("keyframes", Class::Keyword),
    ("supports", Class::Keyword),
    ("string", Class::String),
    ("escape", Class::String),
    // JSON keys.
    ("string.special.key", Class::Property),
    ("number", Class::Number),
    ("boolean", Class::Number),
    ("constant", Class::Number),
    ("variable.builtin", Class::Number),
    ("function", Class::Function),
    ("type", Class::Type),
    ("constructor", Class::Type),
    ("tag", Class::Tag),
    ("attribute", Class::Attribute),
    ("property", Class::Property),
];

/// What a highlighted span is; each has a class in the theme's stylesheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Comment,
    Keyword,
    String,
    Number,
    Function,
    Type,
    Tag,
    Attribute,
    Property,
}

impl Class {
    pub const ALL: [Class; 9] = [
        Class::Comment,
        Class::Keyword,
        Class::String,
        Class::Number,
        Class::Function,
        Class::Type,
        Class::Tag,
        Class::Attribute,
        Class::Property,
    ];

    /// The class attribute's value.
    pub fn css_class(self) -> &'static str {
        match self {
            Class::Comment => "hl-c",
            Class::Keyword => "hl-k",
            Class::String => "hl-s",
            Class::Number => "hl-n",
            Class::Function => "hl-f",
            Class::Type => "hl-t",
            Class::Tag => "hl-g",
            Class::Attribute => "hl-a",
            Class::Property => "hl-p",
        }
    }
}

/// A language lander highlights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Bash,
    Css,
    Html,
    JavaScript,
    Json,
    Python,
    Rust,
    Toml,
    Yaml,
}

/// What the language of a code block means here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fence {
    /// Highlighted.
    Known(Lang),
    /// Shown as it is, on purpose: no language, `text`, `console`…
    Plain,
    /// Shown as it is, with a warning: a language lander does not know.
    Unknown,
}

/// The names a code fence may give, for messages and docs.
pub const LANGUAGE_NAMES: &str =
    "bash (sh, shell, zsh), css, html (xml, svg; templates: jinja, tera, django, liquid, go-html-template), javascript (js, jsx, mjs), json, python (py), rust (rs), toml, yaml (yml)";

/// The fence names shown plain without a warning. Markdown is among them:
/// an example of it is mostly prose, and reads as written.
pub const PLAIN_NAMES: [&str; 8] = [
    "text",
    "txt",
    "plain",
    "plaintext",
    "console",
    "output",
    "markdown",
    "md",
];

impl Lang {
    const ALL: [Lang; 9] = [
        Lang::Bash,
        Lang::Css,
        Lang::Html,
        Lang::JavaScript,
        Lang::Json,
        Lang::Python,
        Lang::Rust,
        Lang::Toml,
        Lang::Yaml,
    ];

    /// The language a fence's first word names (any case), with the usual
    /// aliases; also the names the grammars use for injected code.
    pub fn from_name(name: &str) -> Option<Lang> {
        Some(match name.to_ascii_lowercase().as_str() {
            "bash" | "sh" | "shell" | "zsh" => Lang::Bash,
            "css" => Lang::Css,
            // XML and SVG snippets read well with the HTML grammar, and so
            // do templates (their `{{ }}` and `{% %}` tags stay plain).
            "html" | "htm" | "xhtml" | "xml" | "svg" => Lang::Html,
            "jinja" | "jinja2" | "j2" | "tera" | "django" | "liquid" | "go-html-template" => {
                Lang::Html
            }
            "javascript" | "js" | "jsx" | "mjs" | "cjs" => Lang::JavaScript,
            "json" => Lang::Json,
            "python" | "py" => Lang::Python,
            "rust" | "rs" => Lang::Rust,
            "toml" => Lang::Toml,
            "yaml" | "yml" => Lang::Yaml,
            _ => return None,
        })
    }

    /// The grammar and queries, compiled on first use and shared by every
    /// thread (compiling a query takes milliseconds; a build that shows no
    /// Rust never pays for Rust's). `None` only if a grammar's own query
    /// does not compile, a bug the tests catch.
    fn config(self) -> Option<&'static HighlightConfiguration> {
        static CONFIGS: [OnceLock<Option<HighlightConfiguration>>; 9] =
            [const { OnceLock::new() }; 9];
        let index = Lang::ALL.iter().position(|l| *l == self)?;
        CONFIGS[index].get_or_init(|| self.compile()).as_ref()
    }

    fn compile(self) -> Option<HighlightConfiguration> {
        let (language, highlights, injections) = match self {
            Lang::Bash => (
                tree_sitter_bash::LANGUAGE,
                tree_sitter_bash::HIGHLIGHT_QUERY,
                "",
            ),
            Lang::Css => (
                tree_sitter_css::LANGUAGE,
                tree_sitter_css::HIGHLIGHTS_QUERY,
                "",
            ),
            Lang::Html => (
                tree_sitter_html::LANGUAGE,
                tree_sitter_html::HIGHLIGHTS_QUERY,
                tree_sitter_html::INJECTIONS_QUERY,
            ),
            Lang::JavaScript => (
                tree_sitter_javascript::LANGUAGE,
                tree_sitter_javascript::HIGHLIGHT_QUERY,
                tree_sitter_javascript::INJECTIONS_QUERY,
            ),
            Lang::Json => (
                tree_sitter_json::LANGUAGE,
                tree_sitter_json::HIGHLIGHTS_QUERY,
                "",
            ),
            Lang::Python => (
                tree_sitter_python::LANGUAGE,
                tree_sitter_python::HIGHLIGHTS_QUERY,
                "",
            ),
            Lang::Rust => (
                tree_sitter_rust::LANGUAGE,
                tree_sitter_rust::HIGHLIGHTS_QUERY,
                tree_sitter_rust::INJECTIONS_QUERY,
            ),
            Lang::Toml => (
                tree_sitter_toml_ng::LANGUAGE,
                tree_sitter_toml_ng::HIGHLIGHTS_QUERY,
                "",
            ),
            Lang::Yaml => (
                tree_sitter_yaml::LANGUAGE,
                tree_sitter_yaml::HIGHLIGHTS_QUERY,
                "",
            ),
        };
        let mut config =
            HighlightConfiguration::new(language.into(), self.name(), highlights, injections, "")
                .ok()?;
        config.configure(&NAMES.map(|(name, _)| name));
        drop_uncoloured_patterns(&mut config.query);
        Some(config)
    }

    fn name(self) -> &'static str {
        match self {
            Lang::Bash => "bash",
            Lang::Css => "css",
            Lang::Html => "html",
            Lang::JavaScript => "javascript",
            Lang::Json => "json",
            Lang::Python => "python",
            Lang::Rust => "rust",
            Lang::Toml => "toml",
            Lang::Yaml => "yaml",
        }
    }
}

/// Turns off the highlight patterns whose every capture gets no colour
/// (operators, punctuation, plain variables): fewer matches to run on every
/// block, the same spans out. Injection patterns stay.
fn drop_uncoloured_patterns(query: &mut tree_sitter::Query) {
    let wanted: Vec<bool> = query
        .capture_names()
        .iter()
        .map(|name| name.starts_with("injection.") || is_coloured(name))
        .collect();
    for pattern in 0..query.pattern_count() {
        let mut used = query
            .capture_quantifiers(pattern)
            .iter()
            .enumerate()
            .filter(|(_, q)| **q != tree_sitter::CaptureQuantifier::Zero)
            .map(|(i, _)| i)
            .peekable();
        if used.peek().is_some() && !used.any(|i| wanted[i]) {
            query.disable_pattern(pattern);
        }
    }
}

/// A capture gets a colour when one of [`NAMES`] matches it as
/// tree-sitter-highlight matches them: every part of the name is a part of
/// the capture (`function` matches `function.method`).
fn is_coloured(capture: &str) -> bool {
    NAMES.iter().any(|(name, _)| {
        name.split('.')
            .all(|part| capture.split('.').any(|c| c == part))
    })
}

impl Fence {
    /// What a fence's info string (` ```rust,ignore `) asks for.
    pub fn from_info(info: &str) -> Fence {
        // The first word, as pulldown-cmark takes it for `language-xxx`;
        // rustdoc-style attributes after a comma are not part of it.
        let word = info.split(' ').next().unwrap_or_default();
        let word = word.split(',').next().unwrap_or_default();
        if word.is_empty() || PLAIN_NAMES.iter().any(|p| p.eq_ignore_ascii_case(word)) {
            return Fence::Plain;
        }
        match Lang::from_name(word) {
            Some(lang) => Fence::Known(lang),
            None => Fence::Unknown,
        }
    }
}

/// The highlighted code of one build, by language and code: posts share
/// snippets, and each distinct one is highlighted once.
#[derive(Default)]
pub struct Highlights {
    done: Mutex<HashMap<(Lang, blake3::Hash), String>>,
}

impl Highlights {
    /// The code as HTML (escaped text and spans, no `<pre>`), or `None`
    /// if the grammar failed, when the caller shows it plain.
    pub fn code(&self, lang: Lang, code: &str) -> Option<String> {
        let key = (lang, blake3::hash(code.as_bytes()));
        if let Some(html) = self.done.lock().ok()?.get(&key) {
            return Some(html.clone());
        }
        // Highlighted outside the lock: another thread may do the same
        // snippet at the same time, which only costs the time.
        let html = highlight(lang, code)?;
        self.done.lock().ok()?.insert(key, html.clone());
        Some(html)
    }
}

thread_local! {
    /// A highlighter holds a parser and query cursors, reused between the
    /// blocks a thread highlights, as tree-sitter advises.
    static HIGHLIGHTER: RefCell<Highlighter> = RefCell::new(Highlighter::new());
}

/// Highlights `code` without the cache.
pub fn highlight(lang: Lang, code: &str) -> Option<String> {
    let config = lang.config()?;
    HIGHLIGHTER.with(|cell| {
        let mut highlighter = cell.try_borrow_mut().ok()?;
        let events = highlighter
            .highlight(config, code.as_bytes(), None, |name| {
                Lang::from_name(name).and_then(Lang::config)
            })
            .ok()?;
        let mut out = Spans::new(code.len());
        let mut stack: Vec<Class> = Vec::new();
        for event in events {
            match event.ok()? {
                HighlightEvent::HighlightStart(h) => stack.push(NAMES.get(h.0)?.1),
                HighlightEvent::HighlightEnd => {
                    stack.pop();
                }
                HighlightEvent::Source { start, end } => {
                    out.push(stack.last().copied(), code.get(start..end)?)
                }
            }
        }
        Some(out.finish())
    })
}

/// Writes text runs as spans of their innermost class, merging neighbours
/// of one class (and the blanks between them: `pub fn` is one span).
struct Spans<'a> {
    html: String,
    open: Option<Class>,
    /// Unstyled blanks after an open span, written once the next run shows
    /// whether the span goes on.
    blanks: &'a str,
}

impl<'a> Spans<'a> {
    fn new(len: usize) -> Self {
        Spans {
            html: String::with_capacity(len * 2),
            open: None,
            blanks: "",
        }
    }

    fn push(&mut self, class: Option<Class>, text: &'a str) {
        if text.is_empty() {
            return;
        }
        if class.is_none()
            && self.open.is_some()
            && self.blanks.is_empty()
            && text.trim().is_empty()
        {
            self.blanks = text;
            return;
        }
        let blanks = std::mem::take(&mut self.blanks);
        if class == self.open {
            self.text(blanks);
        } else {
            self.close();
            self.text(blanks);
            if let Some(c) = class {
                self.html.push_str("<span class=\"");
                self.html.push_str(c.css_class());
                self.html.push_str("\">");
            }
            self.open = class;
        }
        self.text(text);
    }

    fn text(&mut self, text: &str) {
        let _ = escape_html_body_text(&mut self.html, text);
    }

    fn close(&mut self) {
        if self.open.take().is_some() {
            self.html.push_str("</span>");
        }
    }

    fn finish(mut self) -> String {
        let blanks = std::mem::take(&mut self.blanks);
        self.close();
        self.text(blanks);
        self.html
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_grammar_and_query_compiles() {
        for lang in Lang::ALL {
            assert!(lang.config().is_some(), "{lang:?}");
            assert_eq!(Lang::from_name(lang.name()), Some(lang));
        }
    }

    #[test]
    fn keywords_strings_and_comments_get_classes() {
        let html = highlight(Lang::Rust, "pub fn main() { let s = \"hi\"; } // done\n").unwrap();
        assert!(
            html.starts_with("<span class=\"hl-k\">pub fn</span> <span class=\"hl-f\">main</span>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"hl-s\">&quot;hi&quot;</span>")
                || html.contains("<span class=\"hl-s\">\"hi\"</span>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"hl-c\">// done</span>"),
            "{html}"
        );
    }

    #[test]
    fn text_is_escaped_inside_and_outside_spans() {
        let html = highlight(Lang::JavaScript, "if (a < b && c) x = \"</script>\";\n").unwrap();
        assert!(!html.contains("</script>"), "{html}");
        assert!(html.contains("&lt;/script&gt;"), "{html}");
        assert!(html.contains(" &lt; b &amp;&amp; c"), "{html}");
    }

    #[test]
    fn html_highlights_its_script_and_style() {
        let html = highlight(
            Lang::Html,
            "<p class=\"x\">Hi</p><script>const n = 1;</script><style>a { color: red }</style>\n",
        )
        .unwrap();
        assert!(html.contains("<span class=\"hl-g\">p</span>"), "{html}");
        assert!(html.contains("<span class=\"hl-a\">class</span>"), "{html}");
        assert!(html.contains("<span class=\"hl-k\">const</span>"), "{html}");
        assert!(html.contains("<span class=\"hl-p\">color</span>"), "{html}");
    }

    #[test]
    fn fences_name_known_plain_and_unknown_languages() {
        assert_eq!(Fence::from_info("rust,ignore"), Fence::Known(Lang::Rust));
        assert_eq!(Fence::from_info("YAML"), Fence::Known(Lang::Yaml));
        assert_eq!(Fence::from_info("sh title=x"), Fence::Known(Lang::Bash));
        assert_eq!(Fence::from_info(""), Fence::Plain);
        assert_eq!(Fence::from_info("text"), Fence::Plain);
        assert_eq!(Fence::from_info("cobol"), Fence::Unknown);
    }

    #[test]
    fn the_cache_gives_the_same_html() {
        let cache = Highlights::default();
        let a = cache
            .code(Lang::Python, "def f(x):\n    return 1\n")
            .unwrap();
        let b = cache
            .code(Lang::Python, "def f(x):\n    return 1\n")
            .unwrap();
        assert_eq!(a, b);
        assert_eq!(cache.done.lock().unwrap().len(), 1);
    }
}
