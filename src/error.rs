//! Errors as values: every problem lander reports carries the file, line and
//! column it is about, plus a hint on what to do. Only `main` prints them.

use std::fmt;
use std::path::{Path, PathBuf};

pub use crate::base::invalid::{checked_str, Invalid};
use crate::base::text::closest;

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

/// A failed [`parse_yaml`]: serde_yaml's error and, when one of lander's
/// own checks refused a value, that refusal.
#[derive(Debug)]
pub struct YamlError {
    pub error: serde_yaml::Error,
    pub invalid: Option<Invalid>,
}

impl YamlError {
    /// The diagnostic for `path`, where the YAML `text` started at
    /// `first_line` (1-based) of the file.
    pub fn diagnostic(&self, path: &Path, text: &str, first_line: usize) -> Diagnostic {
        diagnose(&self.error, self.invalid.as_ref(), path, text, first_line)
    }
}

/// `serde_yaml::from_str`, keeping the [`Invalid`] raised by lander's
/// checks, if any, with the error.
pub fn parse_yaml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let (parsed, invalid) = crate::base::invalid::catching(|| serde_yaml::from_str(text));
    parsed.map_err(|error| YamlError {
        error,
        // Only a failed parse has a cause; a success has none to report.
        invalid,
    })
}

/// Turns a serde_yaml error into a diagnostic for `path`, where the YAML
/// `text` started at `first_line` (1-based) of the file. For YAML whose
/// types raise [`Invalid`], parse with [`parse_yaml`] to keep the fix.
pub fn from_yaml(
    err: &serde_yaml::Error,
    path: &Path,
    text: &str,
    first_line: usize,
) -> Diagnostic {
    diagnose(err, None, path, text, first_line)
}

fn diagnose(
    err: &serde_yaml::Error,
    invalid: Option<&Invalid>,
    path: &Path,
    text: &str,
    first_line: usize,
) -> Diagnostic {
    let mut d = match invalid {
        Some(invalid) => Diagnostic::error(&invalid.message).with_help(&invalid.fix),
        None => serde_diagnostic(&strip_positions(&err.to_string())),
    };
    d.path = Some(path.to_path_buf());
    if let Some(loc) = err.location() {
        let (line, mut column) = (loc.line(), loc.column());
        // A quoted value is reported at its first character, inside the quotes.
        let at = text
            .lines()
            .nth(line - 1)
            .and_then(|l| l.chars().nth(column - 1));
        if invalid.is_some() && matches!(at, Some('"' | '\'')) {
            column += 1;
        }
        d.line = Some(line + first_line - 1);
        d.column = Some(column);
    } else {
        d.line = Some(first_line);
    }
    d
}

/// A diagnostic for an error of serde or serde_yaml (`raw`, without its
/// positions): the shapes read here are pinned by `serde_messages_*` tests.
fn serde_diagnostic(raw: &str) -> Diagnostic {
    match unknown_field(raw) {
        Some((key, expected)) => {
            let help = match closest(&key, &expected) {
                Some(best) => format!("did you mean `{best}`?"),
                None if expected.is_empty() => "remove this key".to_string(),
                None => format!("known keys here: {}", expected.join(", ")),
            };
            Diagnostic::error(format!("unknown key `{key}`")).with_help(help)
        }
        None => {
            let help = unknown_variant(raw)
                .and_then(|(value, expected)| {
                    closest(&value, &expected).map(|best| format!("did you mean `{best}`?"))
                })
                .unwrap_or_else(|| yaml_hint(raw));
            Diagnostic::error(raw).with_help(help)
        }
    }
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
    use crate::base::text::line_col;

    // The messages of serde and serde_yaml that lander still reads, produced
    // by the libraries themselves: a crate upgrade that rewords one fails
    // here, by name, instead of silently losing the key, the suggestion or
    // the help of a diagnostic.

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Tiny {
        title: String,
        stage: Option<TinyStage>,
        count: Option<u64>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum TinyStage {
        Awareness,
        Purchase,
    }

    fn yaml_err(text: &str) -> serde_yaml::Error {
        serde_yaml::from_str::<Tiny>(text).unwrap_err()
    }

    #[test]
    fn serde_messages_unknown_field_lists_the_expected_keys() {
        let err = yaml_err("title: A\ntitel: B\n");
        let raw = strip_positions(&err.to_string());
        assert_eq!(
            raw,
            "unknown field `titel`, expected one of `title`, `stage`, `count`"
        );
        let (key, expected) = unknown_field(&raw).unwrap();
        assert_eq!(
            (key.as_str(), expected),
            (
                "titel",
                vec!["title".to_string(), "stage".into(), "count".into()]
            )
        );
        // Located by serde_yaml at the key, through the typed location.
        let loc = err.location().unwrap();
        assert_eq!((loc.line(), loc.column()), (2, 1));
        let d = from_yaml(&err, Path::new("a.yaml"), "", 1);
        assert_eq!(
            d.to_string(),
            "error: a.yaml:2:1: unknown key `titel`\n  help: did you mean `title`?"
        );
    }

    #[test]
    fn serde_messages_unknown_variant_lists_the_expected_names() {
        let err = yaml_err("title: A\nstage: purchse\n");
        let raw = strip_positions(&err.to_string());
        assert_eq!(
            raw,
            "stage: unknown variant `purchse`, expected `awareness` or `purchase`"
        );
        let (value, expected) = unknown_variant(&raw).unwrap();
        assert_eq!(value, "purchse");
        assert_eq!(expected, vec!["awareness", "purchase"]);
        let loc = err.location().unwrap();
        assert_eq!((loc.line(), loc.column()), (2, 8));
        let d = from_yaml(&err, Path::new("a.yaml"), "", 1);
        assert_eq!(d.help.as_deref(), Some("did you mean `purchase`?"));
    }

    #[test]
    fn serde_messages_missing_field() {
        // Read by yaml_hint and by front matter's misspelt `title` check.
        let err = yaml_err("stage: awareness\n");
        assert!(
            strip_positions(&err.to_string()).contains("missing field `title`"),
            "{err}"
        );
        let d = from_yaml(&err, Path::new("a.yaml"), "", 1);
        assert_eq!(d.help.as_deref(), Some("add the missing key"));
    }

    #[test]
    fn serde_messages_invalid_type_and_yaml_syntax() {
        let err = yaml_err("title: [a\n");
        assert!(err.to_string().contains("invalid type"), "{err}");
        let d = from_yaml(&err, Path::new("a.yaml"), "", 1);
        assert_eq!(
            d.help.as_deref(),
            Some("change the value to the expected kind")
        );

        let err = yaml_err("title: Oils: a guide\n");
        assert!(
            err.to_string().contains("mapping values are not allowed"),
            "{err}"
        );
        let loc = err.location().unwrap();
        assert_eq!((loc.line(), loc.column()), (1, 12));
        let d = from_yaml(&err, Path::new("a.yaml"), "", 1);
        assert_eq!(
            d.message, "mapping values are not allowed in this context",
            "the position suffix is stripped"
        );
        assert!(d.help.unwrap().starts_with("quote the value"));
    }

    #[test]
    fn serde_messages_positions_are_suffixes_serde_yaml_appends() {
        // strip_positions removes " at line L column C": serde_yaml's
        // Display appends the typed location in that form.
        let err = yaml_err("title: A\ncount: -1\n");
        let loc = err.location().unwrap();
        let text = err.to_string();
        assert!(
            text.contains(&format!(" at line {} column {}", loc.line(), loc.column())),
            "{text}"
        );
        assert_eq!(
            strip_positions(&text),
            "count: invalid type: integer `-1`, expected u64"
        );
    }

    /// A type checked by lander, as `Date` and `SafeUrl` are.
    #[derive(Debug)]
    struct Even(#[allow(dead_code)] u32);

    impl<'de> serde::Deserialize<'de> for Even {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            checked_str(d, "a string", |s| match s.parse::<u32>() {
                Ok(n) if n % 2 == 0 => Ok(Even(n)),
                _ => Err(Invalid::new(
                    s,
                    format!("`{s}` is not even"),
                    "write 2, 4, 6…",
                )),
            })
        }
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Evens {
        first: Even,
        inner: Option<Box<Evens>>,
        list: Option<Vec<Even>>,
    }

    #[test]
    fn invalid_values_reach_the_diagnostic_typed_and_at_the_value() {
        let text = "first: 2\ninner: { first: 4, list: [6, \"7\"] }\n";
        let e = parse_yaml::<Evens>(text).unwrap_err();
        assert_eq!(
            e.invalid,
            Some(Invalid::new("7", "`7` is not even", "write 2, 4, 6…"))
        );
        let d = e.diagnostic(Path::new("x.yaml"), text, 3);
        // Line 2 of the YAML is line 4 of the file; column 31 is the 7,
        // inside its quotes.
        assert_eq!(
            d.to_string(),
            "error: x.yaml:4:31: `7` is not even\n  help: write 2, 4, 6…"
        );
        // Who calls serde_yaml directly still reads message and fix.
        let direct = serde_yaml::from_str::<Evens>("first: 3\n").unwrap_err();
        assert!(
            direct
                .to_string()
                .starts_with("first: `3` is not even; write 2, 4, 6…"),
            "{direct}"
        );
    }

    #[test]
    fn an_invalid_never_outlives_its_parse() {
        // Raised outside parse_yaml: not kept.
        assert!(serde_yaml::from_str::<Evens>("first: 3\n").is_err());
        let e = parse_yaml::<Evens>("first: [2]\n").unwrap_err();
        assert_eq!(e.invalid, None, "{}", e.error);
        // A parse that fails raises; the next one starts empty.
        assert!(parse_yaml::<Evens>("first: 3\n")
            .unwrap_err()
            .invalid
            .is_some());
        let e = parse_yaml::<Evens>("first: 2\nsecond: 4\n").unwrap_err();
        assert_eq!(e.invalid, None, "{}", e.error);
        assert!(parse_yaml::<Evens>("first: 2\n").is_ok());
    }

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
