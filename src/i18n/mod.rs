//! The theme's own words (Next, Close, Days, Thank you…) in every language
//! of the site, and numbers formatted for each locale.
//!
//! The default theme ships `i18n/<lang>.yaml` files; a site overrides any
//! key in its own `i18n/<lang>.yaml`. A key missing in a language falls back
//! to the default language's text (then English) and is reported as a
//! `missing-translation` warning naming the language and the key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::base::embedded::DEFAULT_THEME;
use crate::base::key_lines::KeyLines;
use crate::base::text::closest;
use crate::config::Language;
use crate::error::{self, Code, Diagnostic, Diagnostics};

/// Strings of one language, by key.
pub type Strings = BTreeMap<String, String>;

/// A site's `i18n/<lang>.yaml`, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteStrings {
    /// The file stem: the language code.
    pub lang: String,
    pub source: PathBuf,
    pub strings: Strings,
    pub key_lines: KeyLines,
}

impl SiteStrings {
    /// Parses the text of `i18n/<lang>.yaml`: a flat map of text.
    pub fn parse(lang: &str, text: &str, source: &Path) -> Result<SiteStrings, Diagnostics> {
        let strings: Option<Strings> =
            serde_yaml::from_str(text).map_err(|e| error::from_yaml(&e, source, text, 1))?;
        Ok(SiteStrings {
            lang: lang.to_string(),
            source: source.to_path_buf(),
            strings: strings.unwrap_or_default(),
            key_lines: KeyLines::scan(text, 1),
        })
    }
}

/// The theme's strings for a language code (`ar-EG` falls back to `ar`).
pub fn theme_strings(code: &str) -> Option<Strings> {
    let primary = code.split('-').next().unwrap_or(code);
    [code, primary].iter().find_map(|c| {
        let file = DEFAULT_THEME.get_file(format!("i18n/{c}.yaml"))?;
        serde_yaml::from_slice(file.contents()).ok()
    })
}

/// Every key the theme uses (those of its English file).
pub fn theme_keys() -> Vec<String> {
    theme_strings("en")
        .map(|s| s.into_keys().collect())
        .unwrap_or_default()
}

/// The strings of every language (index-aligned with `languages`, default
/// first), and the errors and warnings found on the way. `own` are keys
/// the site may add that are no typo of a theme key: its taxonomies' names
/// (the titles of their pages).
pub fn resolve(
    languages: &[Language],
    site: &[SiteStrings],
    own: &[&str],
) -> (Vec<Strings>, Diagnostics, Diagnostics) {
    let mut errors = Diagnostics::default();
    let mut warnings = Diagnostics::default();
    let known = theme_keys();
    for s in site {
        if !languages.iter().any(|l| l.code == s.lang) {
            let codes: Vec<&str> = languages.iter().map(|l| l.code.as_str()).collect();
            errors.push(
                Diagnostic::error(format!(
                    "{} is for the language `{}`, which site.yaml does not declare",
                    s.source.display(),
                    s.lang
                ))
                .in_file(&s.source)
                .with_help(format!(
                    "declare it under `languages:` in site.yaml, or rename the file to one of: {}",
                    codes.join(", ")
                )),
            );
        }
        let typo_candidates = s
            .strings
            .keys()
            .filter(|k| !known.contains(k) && !own.contains(&k.as_str()));
        for key in typo_candidates {
            // A key of the site's own templates is fine; a near miss is a typo.
            if let Some(best) = closest(key, &known) {
                errors.push(
                    Diagnostic::error(format!("unknown theme string `{key}`"))
                        .in_file(&s.source)
                        .at(s.key_lines.line(key), 1)
                        .with_help(format!("did you mean `{best}`?")),
                );
            }
        }
    }
    let english = theme_strings("en").unwrap_or_default();
    let site_of = |code: &str| site.iter().find(|s| s.lang == code);
    let mut out: Vec<Strings> = Vec::with_capacity(languages.len());
    for lang in languages {
        let mut strings = theme_strings(&lang.code).unwrap_or_default();
        if let Some(s) = site_of(&lang.code) {
            strings.extend(s.strings.clone());
        }
        // Fallback: the default language's strings (already resolved), then English.
        let fallback = out.first().unwrap_or(&english);
        let mut missing: Vec<&String> = Vec::new();
        for (key, text) in fallback.iter().chain(english.iter()) {
            if !strings.contains_key(key) {
                if known.contains(key) {
                    missing.push(key);
                }
                strings.insert(key.clone(), text.clone());
            }
        }
        let source = site_of(&lang.code).map_or_else(
            || PathBuf::from(format!("i18n/{}.yaml", lang.code)),
            |s| s.source.clone(),
        );
        for key in missing {
            warnings.push(
                Diagnostic::warning(format!(
                    "the theme string `{key}` has no `{}` translation: pages in that language show `{}`",
                    lang.code, strings[key]
                ))
                .in_file(&source)
                .with_help(format!("add `{key}: \"…\"` to {}", source.display()))
                .with_code(Code::MissingTranslation),
            );
        }
        out.push(strings);
    }
    (out, errors, warnings)
}

/// `{name}` placeholders of a theme string filled in.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn langs(yaml: &str) -> Vec<Language> {
        Config::parse(yaml, Path::new("site.yaml"))
            .unwrap()
            .languages()
    }

    #[test]
    fn every_theme_language_has_every_key() {
        let keys = theme_keys();
        assert!(keys.len() > 40);
        for code in ["ar", "he"] {
            let strings = theme_strings(code).unwrap();
            let got: Vec<&String> = strings.keys().collect();
            assert_eq!(got, keys.iter().collect::<Vec<_>>(), "{code}");
        }
    }

    #[test]
    fn site_overrides_and_missing_keys_warn() {
        let languages = langs("title: S\nlanguages: { fr: {} }\n");
        let site = SiteStrings::parse("fr", "next: Suivant\n", Path::new("i18n/fr.yaml")).unwrap();
        let (strings, errors, warnings) = resolve(&languages, &[site], &[]);
        assert!(errors.is_empty());
        assert_eq!(strings[1]["next"], "Suivant");
        assert_eq!(strings[1]["back"], "Back");
        let back = warnings
            .0
            .iter()
            .find(|w| w.message.contains("`back`"))
            .unwrap();
        assert!(back.message.contains("`fr`"));
        assert_eq!(back.code, Some(Code::MissingTranslation));
        assert!(!warnings.0.iter().any(|w| w.message.contains("`next`")));
    }

    #[test]
    fn typo_and_undeclared_language_are_errors() {
        let languages = langs("title: S\n");
        let site = SiteStrings::parse("ar", "nexts: x\n", Path::new("i18n/ar.yaml")).unwrap();
        let (_, errors, _) = resolve(&languages, &[site], &[]);
        assert_eq!(errors.0.len(), 2, "{errors}");
        assert!(errors
            .0
            .iter()
            .any(|e| e.help.as_deref() == Some("did you mean `next`?")));
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(fill("{n} min read", &[("n", "3")]), "3 min read");
    }
}
