//! The site's languages: `languages:` as written, and each resolved with
//! its defaults decided (direction, prefix, locale, native name, menu).

use serde::{Deserialize, Serialize};

use super::Config;

/// Text direction of a language.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    #[default]
    Ltr,
    Rtl,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// One entry of `languages:` as written.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LanguageDef {
    /// The site's title in this language (default: the site's `title`).
    pub title: Option<String>,
    pub description: Option<String>,
    /// Omitted: `rtl` for Arabic, Hebrew, Persian, Urdu…, else `ltr`.
    pub direction: Option<Direction>,
    /// URL prefix such as "/ar/" (default `"/<code>/"`; none for the default language).
    pub prefix: Option<String>,
    /// Locale for numbers and `og:locale`, e.g. "ar-EG" (default: the code).
    pub locale: Option<String>,
    /// The language's name in itself, for the switcher (e.g. "العربية").
    pub name: Option<String>,
    /// The menu in this language (default: the site's `menu`).
    pub menu: Option<Vec<MenuItem>>,
}

/// A language of the site, resolved: every default decided.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Language {
    pub code: String,
    pub title: String,
    pub description: String,
    pub direction: Direction,
    /// "" for the default language, else like "/ar" (no trailing slash),
    /// put before every site path of the language.
    pub prefix: String,
    pub locale: String,
    pub name: String,
    pub menu: Vec<MenuItem>,
}

impl Language {
    /// A site path of this language: `/blog/` → `/ar/blog/`.
    pub fn path(&self, path: &str) -> String {
        format!("{}{path}", self.prefix)
    }
}

/// Languages written right to left (by primary subtag).
const RTL: [&str; 9] = ["ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv"];

/// Native names of common languages, for the switcher.
fn native_name(code: &str) -> Option<&'static str> {
    let primary = code.split(['-', '_']).next().unwrap_or(code);
    Some(match primary {
        "en" => "English",
        "ar" => "العربية",
        "he" => "עברית",
        "fa" => "فارسی",
        "ur" => "اردو",
        "fr" => "Français",
        "de" => "Deutsch",
        "es" => "Español",
        "it" => "Italiano",
        "pt" => "Português",
        "nl" => "Nederlands",
        "tr" => "Türkçe",
        "ja" => "日本語",
        "zh" => "中文",
        _ => return None,
    })
}

/// `ar`, `pt-BR`, `zh-Hant`: a BCP 47 language tag lander can put in URLs.
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    pub name: String,
    pub url: String,
}

impl Config {
    /// Every language of the site, the default one first, then by code.
    pub fn languages(&self) -> Vec<Language> {
        let default_def = self
            .languages
            .get(&self.language)
            .cloned()
            .unwrap_or_default();
        let mut out = vec![self.resolve(&self.language, &default_def, true)];
        for (code, def) in &self.languages {
            if *code != self.language {
                out.push(self.resolve(code, def, false));
            }
        }
        out
    }

    fn resolve(&self, code: &str, def: &LanguageDef, is_default: bool) -> Language {
        let primary = code.split('-').next().unwrap_or(code);
        let prefix = if is_default {
            String::new()
        } else {
            def.prefix.as_deref().map_or_else(
                || format!("/{code}"),
                |p| p.trim_end_matches('/').to_string(),
            )
        };
        Language {
            code: code.to_string(),
            title: def.title.clone().unwrap_or_else(|| self.title.clone()),
            description: def
                .description
                .clone()
                .unwrap_or_else(|| self.description.clone()),
            direction: def.direction.unwrap_or(if RTL.contains(&primary) {
                Direction::Rtl
            } else {
                Direction::Ltr
            }),
            menu: def.menu.clone().unwrap_or_else(|| self.menu.clone()),
            locale: def.locale.clone().unwrap_or_else(|| code.to_string()),
            name: def
                .name
                .clone()
                .or_else(|| native_name(code).map(str::to_string))
                .unwrap_or_else(|| code.to_string()),
            prefix,
        }
    }
}
