//! Errors as values: every problem lander reports carries the file, line and
//! column it is about, plus a hint on what to do. Only `main` prints them.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::base::text::{closest, line_col};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    /// Worth knowing, never a problem (`lander check` only): a page that
    /// goes live soon.
    Notice,
}

/// One problem, located in a source file when we know where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root (or as given, for files outside it).
    pub path: Option<PathBuf>,
    /// 1-based line and column.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub help: Option<String>,
    /// The `lander check` rule this problem belongs to, so that check
    /// reuses it instead of finding it again.
    pub code: Option<Code>,
}

/// Problems the build finds that are also `lander check` rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    InsecureEndpoint,
    ExpiredOffer,
    FormWithoutEndpoint,
    MissingTranslation,
    CspBlocked,
}

impl Code {
    /// The id of the `lander check` rule.
    pub fn rule_id(self) -> &'static str {
        match self {
            Code::InsecureEndpoint => "insecure-endpoint",
            Code::ExpiredOffer => "expired-offer",
            Code::FormWithoutEndpoint => "form-without-endpoint",
            Code::MissingTranslation => "missing-translation",
            Code::CspBlocked => "csp-blocked",
        }
    }
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: None,
            line: None,
            column: None,
            message: message.into(),
            help: None,
            code: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn in_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn with_code(mut self, code: Code) -> Self {
        self.code = Some(code);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// An I/O failure on `path`, with the OS reason.
    pub fn io(path: &Path, action: &str, err: &std::io::Error) -> Self {
        Diagnostic::error(format!("could not {action}: {err}")).in_file(path)
    }

    /// Where this diagnostic points, as `file:line:column`.
    pub fn location(&self) -> Option<String> {
        let path = self.path.as_ref()?.display().to_string();
        Some(match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{path}:{l}:{c}"),
            (Some(l), None) => format!("{path}:{l}"),
            _ => path,
        })
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Notice => "notice",
        };
        match self.location() {
            Some(loc) => write!(f, "{label}: {loc}: {}", self.message)?,
            None => write!(f, "{label}: {}", self.message)?,
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Several problems reported together: the error type of every stage.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Warning)
    }

    /// Order by file, then line, so reports read top to bottom whatever order
    /// the parallel stages found them in.
    pub fn sort(&mut self) {
        self.0
            .sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

pub type Result<T, E = Diagnostics> = std::result::Result<T, E>;

/// Turns a serde_yaml error into a diagnostic for `path`, where the YAML
/// `text` started at `first_line` (1-based) of the file.
pub fn from_yaml(
    err: &serde_yaml::Error,
    path: &Path,
    text: &str,
    first_line: usize,
) -> Diagnostic {
    let raw = strip_positions(&err.to_string());
    let mut d = match unknown_field(&raw) {
        Some((key, expected)) => {
            let mut d = Diagnostic::error(format!("unknown key `{key}`"));
            let help = match closest(&key, &expected) {
                Some(best) => format!("did you mean `{best}`?"),
                None if expected.is_empty() => "remove this key".to_string(),
                None => format!("known keys here: {}", expected.join(", ")),
            };
            d.help = Some(help);
            d
        }
        None if raw.contains("unknown variant `") => {
            let (value, expected) = unknown_variant(&raw).unwrap_or_default();
            let help = match closest(&value, &expected) {
                Some(best) => format!("did you mean `{best}`?"),
                None => yaml_hint(&raw),
            };
            Diagnostic::error(raw.clone()).with_help(help)
        }
        // Our own checks phrase their fix after "; ".
        None => match raw.split_once("; ") {
            Some((message, fix)) => Diagnostic::error(message).with_help(fix),
            None => Diagnostic::error(raw.clone()).with_help(yaml_hint(&raw)),
        },
    };
    d.path = Some(path.to_path_buf());
    if let Some(loc) = err.location() {
        let (mut line, mut column) = (loc.line(), loc.column());
        // Errors raised by our own checks (an impossible date, an unsafe URL)
        // are located by serde_yaml at the enclosing mapping; the message
        // quotes the bad value, so point at that value instead.
        if let Some(value) = backticked(&raw) {
            if let Some(found) = text.get(loc.index()..).and_then(|rest| rest.find(value)) {
                (line, column) = line_col(text, loc.index() + found);
            }
        }
        d.line = Some(line + first_line - 1);
        d.column = Some(column);
    } else {
        d.line = Some(first_line);
    }
    d
}

fn yaml_hint(message: &str) -> String {
    if message.contains("missing field") {
        "add the missing key".into()
    } else if message.contains("invalid type") || message.contains("unknown variant") {
        "change the value to the expected kind".into()
    } else if message.contains("mapping values are not allowed") {
        "quote the value: it contains `: ` (e.g. title: \"Oils: a guide\")".into()
    } else {
        "fix the YAML syntax here (indentation, quotes, a `key: value` per line)".into()
    }
}

/// serde_yaml appends " at line L column C" to messages; we report the
/// position ourselves (shifted to the file's lines), so drop it.
fn strip_positions(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let skip = after
            .find(|c: char| !(c.is_ascii_digit() || c == ' ' || "column".contains(c)))
            .unwrap_or(after.len());
        rest = &after[skip..];
    }
    out.push_str(rest);
    out.trim().trim_end_matches(',').to_string()
}

/// The first `quoted` part of a message.
fn backticked(msg: &str) -> Option<&str> {
    let start = msg.find('`')? + 1;
    let end = start + msg[start..].find('`')?;
    Some(&msg[start..end]).filter(|v| !v.is_empty())
}

/// Parses serde's "unknown field `x`, expected one of `a`, `b`" message.
fn unknown_field(msg: &str) -> Option<(String, Vec<String>)> {
    unknown_name(msg, "unknown field `")
}

/// Parses serde's "unknown variant `x`, expected one of `a`, `b`" message.
fn unknown_variant(msg: &str) -> Option<(String, Vec<String>)> {
    unknown_name(msg, "unknown variant `")
}

/// The name after `lead` and the backticked names serde expected instead.
fn unknown_name(msg: &str, lead: &str) -> Option<(String, Vec<String>)> {
    let start = msg.find(lead)? + lead.len();
    let end = start + msg[start..].find('`')?;
    let expected = msg[end + 1..]
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    Some((msg[start..end].to_string(), expected))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_field_suggests_closest_key() {
        let msg = "unknown field `titel`, expected one of `title`, `description`";
        let (key, expected) = unknown_field(msg).unwrap();
        assert_eq!(key, "titel");
        assert_eq!(expected, vec!["title", "description"]);
        assert_eq!(closest(&key, &expected), Some("title"));
        assert_eq!(closest("zzzz", &expected), None);
    }

    #[test]
    fn positions_are_stripped_from_yaml_messages() {
        assert_eq!(
            strip_positions("did not find expected key at line 3 column 5, while parsing a block mapping at line 1 column 1"),
            "did not find expected key, while parsing a block mapping"
        );
    }

    #[test]
    fn line_col_counts_chars_not_bytes() {
        let text = "ab\nزيت x";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, text.find('x').unwrap()), (2, 5));
    }

    #[test]
    fn display_names_file_line_column_and_help() {
        let d = Diagnostic::error("bad")
            .in_file("content/a.md")
            .at(3, 7)
            .with_help("fix it");
        assert_eq!(
            d.to_string(),
            "error: content/a.md:3:7: bad\n  help: fix it"
        );
    }
}
