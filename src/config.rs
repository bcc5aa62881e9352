//! `site.yaml`: strict types with defaults. Parsing is kept apart from reading
//! the file, and CLI overrides are applied on top (raw settings, then resolved).

pub mod consent;
pub mod forms;
pub mod hosting;
pub mod images;
pub mod languages;
pub mod options;
pub mod sections;
pub mod taxonomy;
pub mod utf8;

pub use consent::{AnalyticsConfig, ConsentConfig};
pub use forms::FormsConfig;
pub use languages::{is_language_code, Direction, Language, LanguageDef, MenuItem};
pub use sections::{CheckConfig, MarkdownConfig, Organization, PopupsConfig, SeoConfig};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{self, Diagnostic, Diagnostics};

pub const CONFIG_FILE: &str = "site.yaml";

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// The default language: its pages have no URL prefix.
    #[serde(default = "default_language")]
    pub language: String,
    /// Every language of the site (the default one may be listed too),
    /// by code; see [`Config::languages`] for the resolved list.
    #[serde(default)]
    pub languages: BTreeMap<String, LanguageDef>,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default = "default_paginate_by")]
    pub paginate_by: usize,
    /// How pages are grouped: `tags` when absent.
    #[serde(default = "taxonomy::default_taxonomies")]
    pub taxonomies: Vec<taxonomy::TaxonomyConfig>,
    #[serde(default = "default_output_dir")]
    pub output_dir: PathBuf,
    #[serde(default = "default_true")]
    pub minify: bool,
    /// How Markdown is turned into HTML.
    #[serde(default)]
    pub markdown: MarkdownConfig,
    #[serde(default)]
    pub menu: Vec<MenuItem>,
    #[serde(default)]
    pub forms: FormsConfig,
    #[serde(default)]
    pub analytics: AnalyticsConfig,
    /// A consent banner gates the analytics tags and lander's storage.
    #[serde(default)]
    pub consent: Option<ConsentConfig>,
    #[serde(default)]
    pub seo: SeoConfig,
    /// Sizes and formats of the published raster images.
    #[serde(default)]
    pub images: images::ImagesConfig,
    #[serde(default)]
    pub check: CheckConfig,
    /// How many popups a visitor sees.
    #[serde(default)]
    pub popups: PopupsConfig,
    /// Redirects for static hosts: `_redirects`, `vercel.json` and redirect pages.
    #[serde(default)]
    pub redirects: Vec<hosting::RedirectRule>,
    /// Hosting files (`_headers`, `_redirects`, `vercel.json`) and static files left out.
    #[serde(default)]
    pub hosting: hosting::HostingConfig,
    #[serde(default)]
    pub extra: serde_yaml::Mapping,
}

fn default_base_url() -> String {
    "http://localhost".into()
}
fn default_language() -> String {
    "en".into()
}
fn default_paginate_by() -> usize {
    10
}
fn default_output_dir() -> PathBuf {
    PathBuf::from("public")
}
pub(super) fn default_true() -> bool {
    true
}

impl Config {
    /// Parses the text of a `site.yaml`; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, Diagnostics> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut config: Config =
            error::parse_yaml(text).map_err(|e| e.diagnostic(path, text, 1))?;
        config.base_url = config.base_url.trim_end_matches('/').to_string();
        hosting::locate_redirects(&mut config, text);
        config.validate(path, text)?;
        Ok(config)
    }

    /// Reads and parses `root/site.yaml`.
    pub fn load(root: &Path) -> Result<Config, Diagnostics> {
        let path = root.join(CONFIG_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(
                    Diagnostic::error(format!("no {CONFIG_FILE} in {}", display_dir(root)))
                        .with_help(
                            "point --root at a site folder, or create one with `lander init DIR`",
                        )
                        .into(),
                )
            }
            Err(e) => return Err(Diagnostic::io(&path, "read the site config", &e).into()),
        };
        let rel = PathBuf::from(CONFIG_FILE);
        let text = utf8::decode_utf8(bytes, &rel)?;
        Config::parse(&text, &rel)
    }

    fn validate(&self, path: &Path, text: &str) -> Result<(), Diagnostics> {
        let mut errs = Diagnostics::default();
        if self.title.trim().is_empty() {
            errs.push(
                Diagnostic::error("`title` is empty")
                    .in_file(path)
                    .with_help("give the site a name, e.g. title: \"Oliva & Co\""),
            );
        }
        if self.paginate_by == 0 {
            errs.push(
                Diagnostic::error("`paginate_by` must be at least 1")
                    .in_file(path)
                    .with_help("use the number of posts per list page, e.g. paginate_by: 10"),
            );
        }
        if !(self.base_url.starts_with("http://") || self.base_url.starts_with("https://")) {
            errs.push(
                Diagnostic::error(format!(
                    "`base_url` must be an absolute http(s) URL, not `{}`",
                    self.base_url
                ))
                .in_file(path)
                .with_help("e.g. base_url: \"https://www.example.com\""),
            );
        }
        if let Some(msg) = forms::time_trap_problem(self.forms.time_trap) {
            errs.push(
                Diagnostic::error(format!("forms: {msg}"))
                    .in_file(path)
                    .at(section_key_line(text, "forms", "time_trap").unwrap_or(1), 1)
                    .with_help("time_trap: 0 turns the time trap off"),
            );
        }
        self.validate_languages(path, text, &mut errs);
        hosting::validate(self, path, text, &mut errs);
        consent::validate(self, path, text, &mut errs);
        taxonomy::validate(self, path, text, &mut errs);
        images::validate(self, path, &mut errs);
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs)
        }
    }

    fn validate_languages(&self, path: &Path, text: &str, errs: &mut Diagnostics) {
        let line_of = |code: &str| language_line(text, code);
        if !is_language_code(&self.language) {
            errs.push(
                Diagnostic::error(format!(
                    "`language: {}` is not a language code",
                    self.language
                ))
                .in_file(path)
                .with_help("use a code such as en, ar, he or pt-BR"),
            );
        }
        let mut prefixes: Vec<(String, &str)> = Vec::new();
        for (code, def) in &self.languages {
            let at = |d: Diagnostic| match line_of(code) {
                Some(l) => d.in_file(path).at(l, 1),
                None => d.in_file(path),
            };
            if !is_language_code(code) {
                errs.push(at(Diagnostic::error(format!(
                    "`{code}` is not a language code"
                ))
                .with_help("key each language by its code, e.g. `ar:` or `pt-BR:`")));
                continue;
            }
            if let Some(locale) = &def.locale {
                if crate::base::number::parse_locale(locale).is_none() {
                    errs.push(at(Diagnostic::error(format!(
                        "`locale: {locale}` of language `{code}` is not a locale"
                    ))
                    .with_help("use a BCP 47 locale such as ar-EG, he-IL or en-GB")));
                }
            }
            let is_default = *code == self.language;
            if let Some(prefix) = &def.prefix {
                let inner = prefix.trim_matches('/');
                let ok = prefix.starts_with('/')
                    && prefix.ends_with('/')
                    && (is_default && inner.is_empty()
                        || !inner.is_empty()
                            && inner.split('/').all(|s| {
                                !s.is_empty()
                                    && s.chars()
                                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                            }));
                if !ok {
                    errs.push(at(Diagnostic::error(format!(
                        "`prefix: {prefix}` of language `{code}` is not a URL prefix"
                    ))
                    .with_help(if is_default {
                        "the default language lives at the root: use prefix: \"/\" or leave it out".to_string()
                    } else {
                        format!("use letters, digits and dashes between slashes, e.g. prefix: \"/{code}/\"")
                    })));
                }
            }
            let resolved = if is_default {
                String::new()
            } else {
                def.prefix.as_deref().map_or_else(
                    || format!("/{code}"),
                    |p| p.trim_end_matches('/').to_string(),
                )
            };
            if let Some((_, other)) = prefixes.iter().find(|(p, _)| *p == resolved) {
                errs.push(at(Diagnostic::error(format!(
                    "the languages `{other}` and `{code}` have the same URL prefix"
                ))
                .with_help("give each language its own prefix")));
            }
            if ["/tags", "/assets", "/blog", "/products", "/offers"].contains(&resolved.as_str()) {
                errs.push(at(Diagnostic::error(format!(
                    "the prefix of language `{code}` is a folder lander uses itself"
                ))
                .with_help(format!("use prefix: \"/{code}/\""))));
            }
            prefixes.push((resolved, code));
        }
    }

    /// The path part of `base_url` ("" or "/shop"), prefixed to every link.
    pub fn base_path(&self) -> &str {
        let after_scheme = self.base_url.split_once("://").map_or("", |(_, r)| r);
        after_scheme.find('/').map_or("", |i| &after_scheme[i..])
    }
}

/// Line of `  CODE:` inside the top-level `languages:` block, if written.
/// The line of `key:` inside the top-level `section:` (block or flow style).
fn section_key_line(text: &str, section: &str, key: &str) -> Option<usize> {
    let mut inside = false;
    for (i, line) in text.lines().enumerate() {
        if !line.starts_with([' ', '\t']) && !line.trim().is_empty() {
            inside = line.starts_with(&format!("{section}:"));
        }
        if inside && line.contains(&format!("{key}:")) {
            return Some(i + 1);
        }
    }
    None
}

fn language_line(text: &str, code: &str) -> Option<usize> {
    let mut inside = false;
    for (i, line) in text.lines().enumerate() {
        if !line.starts_with([' ', '\t']) && !line.trim().is_empty() {
            inside = line.starts_with("languages:");
            continue;
        }
        let key = line.trim().trim_end_matches(':');
        if inside && line.trim_end().ends_with(':') && key.trim_matches(['"', '\'']) == code {
            return Some(i + 1);
        }
    }
    None
}

fn display_dir(root: &Path) -> String {
    if root.as_os_str().is_empty() {
        ".".into()
    } else {
        root.display().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Diagnostics> {
        Config::parse(text, Path::new("site.yaml"))
    }

    #[test]
    fn defaults_fill_missing_keys() {
        let c = parse("title: Shop\n").unwrap();
        assert_eq!(c.paginate_by, 10);
        assert_eq!(c.language, "en");
        assert_eq!(c.output_dir, PathBuf::from("public"));
        assert!(c.minify);
    }

    #[test]
    fn unknown_key_names_key_line_and_suggestion() {
        let err = parse("title: Shop\npaginateby: 5\n").unwrap_err();
        let d = &err.0[0];
        assert_eq!(d.message, "unknown key `paginateby`");
        assert_eq!(d.line, Some(2));
        assert_eq!(d.help.as_deref(), Some("did you mean `paginate_by`?"));
    }

    #[test]
    fn base_path_comes_from_base_url() {
        let c = parse("title: S\nbase_url: https://x.com/shop/\n").unwrap();
        assert_eq!(c.base_url, "https://x.com/shop");
        assert_eq!(c.base_path(), "/shop");
        let c = parse("title: S\nbase_url: https://x.com\n").unwrap();
        assert_eq!(c.base_path(), "");
    }

    #[test]
    fn languages_resolve_with_defaults() {
        let c =
            parse("title: Shop\nlanguages:\n  ar:\n    title: متجر\n    locale: ar-EG\n").unwrap();
        let langs = c.languages();
        assert_eq!(langs.len(), 2);
        assert_eq!(
            (langs[0].code.as_str(), langs[0].prefix.as_str()),
            ("en", "")
        );
        let ar = &langs[1];
        assert_eq!(ar.prefix, "/ar");
        assert_eq!(ar.direction, Direction::Rtl);
        assert_eq!(ar.title, "متجر");
        assert_eq!(ar.name, "العربية");
        assert_eq!(ar.path("/blog/"), "/ar/blog/");
    }

    #[test]
    fn language_typo_names_line_and_key() {
        let err = parse("title: Shop\nlanguages:\n  ar:\n    dirction: rtl\n").unwrap_err();
        let d = &err.0[0];
        assert_eq!(d.message, "unknown key `dirction`");
        assert_eq!(d.line, Some(4));
        assert_eq!(d.help.as_deref(), Some("did you mean `direction`?"));
    }

    #[test]
    fn bad_prefix_is_located() {
        let err = parse("title: Shop\nlanguages:\n  ar:\n    prefix: ar\n").unwrap_err();
        assert_eq!(err.0[0].line, Some(3));
        assert!(err.0[0].message.contains("prefix"), "{err}");
    }

    #[test]
    fn relative_base_url_is_refused() {
        let err = parse("title: S\nbase_url: example.com\n").unwrap_err();
        assert!(err.0[0].message.contains("absolute"));
    }
}
