//! `site.yaml`: strict types with defaults. Parsing is kept apart from reading
//! the file, and CLI overrides are applied on top (raw settings, then resolved).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::content::form::Provider;
use crate::content::url::SafeUrl;
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
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default = "default_paginate_by")]
    pub paginate_by: usize,
    #[serde(default = "default_output_dir")]
    pub output_dir: PathBuf,
    #[serde(default = "default_true")]
    pub minify: bool,
    #[serde(default)]
    pub menu: Vec<MenuItem>,
    #[serde(default)]
    pub forms: FormsConfig,
    #[serde(default)]
    pub analytics: AnalyticsConfig,
    #[serde(default)]
    pub seo: SeoConfig,
    #[serde(default)]
    pub check: CheckConfig,
    #[serde(default)]
    pub extra: serde_yaml::Mapping,
}

/// Search and social settings.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SeoConfig {
    /// `<title>` of every page but the home page: `{title}` and `{site}` are replaced.
    #[serde(default = "default_title_pattern")]
    pub title_pattern: String,
    /// Default Open Graph image for pages without an image.
    pub image: Option<String>,
    /// Twitter/X handle, e.g. "@olivaco".
    pub twitter: Option<String>,
    /// The organisation behind the site (JSON-LD Organization on the home page).
    #[serde(default)]
    pub organization: Option<Organization>,
    /// Links to these domains are affiliate links: rel="sponsored noopener".
    #[serde(default)]
    pub affiliate_domains: Vec<String>,
    /// Line shown on pages with affiliate links.
    #[serde(default = "default_disclosure")]
    pub affiliate_disclosure: String,
}

impl Default for SeoConfig {
    fn default() -> Self {
        SeoConfig {
            title_pattern: default_title_pattern(),
            image: None,
            twitter: None,
            organization: None,
            affiliate_domains: Vec::new(),
            affiliate_disclosure: default_disclosure(),
        }
    }
}

fn default_title_pattern() -> String {
    "{title} | {site}".into()
}
fn default_disclosure() -> String {
    "This page contains affiliate links: we may earn a commission if you buy through them, at no cost to you.".into()
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    pub name: String,
    pub logo: Option<String>,
    #[serde(default)]
    pub same_as: Vec<String>,
}

/// `lander check` settings.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// Rule ids turned off for the whole site.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Pages with fewer words are "thin" (a warning).
    #[serde(default = "default_thin_words")]
    pub thin_words: usize,
    /// Images heavier than this many KiB get a warning.
    #[serde(default = "default_image_kib")]
    pub max_image_kib: u64,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            disable: Vec::new(),
            thin_words: default_thin_words(),
            max_image_kib: default_image_kib(),
        }
    }
}

fn default_thin_words() -> usize {
    300
}
fn default_image_kib() -> u64 {
    200
}

/// Site-wide form defaults; each offer's `form:` can override them.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FormsConfig {
    pub endpoint: Option<SafeUrl>,
    #[serde(default)]
    pub provider: Provider,
    /// Text of a required consent checkbox on every form.
    pub consent: Option<String>,
    /// Inline message after a successful submission (with JavaScript).
    pub success: Option<String>,
    /// `--form-endpoint`: replaces every form's endpoint (not read from YAML).
    #[serde(skip)]
    pub endpoint_override: Option<SafeUrl>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AnalyticsConfig {
    /// Push events (cta_click, form_submit…) to `window.dataLayer`.
    #[serde(default)]
    pub data_layer: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    pub name: String,
    pub url: String,
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
fn default_true() -> bool {
    true
}

impl Config {
    /// Parses the text of a `site.yaml`; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, Diagnostics> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut config: Config =
            serde_yaml::from_str(text).map_err(|e| error::from_yaml(&e, path, text, 1))?;
        config.base_url = config.base_url.trim_end_matches('/').to_string();
        config.validate(path)?;
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
        let text = crate::content::decode_utf8(bytes, &rel)?;
        Config::parse(&text, &rel)
    }

    fn validate(&self, path: &Path) -> Result<(), Diagnostics> {
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
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs)
        }
    }

    /// The path part of `base_url` ("" or "/shop"), prefixed to every link.
    pub fn base_path(&self) -> &str {
        let after_scheme = self.base_url.split_once("://").map_or("", |(_, r)| r);
        after_scheme.find('/').map_or("", |i| &after_scheme[i..])
    }
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
    fn relative_base_url_is_refused() {
        let err = parse("title: S\nbase_url: example.com\n").unwrap_err();
        assert!(err.0[0].message.contains("absolute"));
    }
}
