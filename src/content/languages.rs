//! Placing content in the site's languages: which language each page is in
//! (`post.ar.md` or `lang: ar`), its URL under the language's prefix
//! (`/ar/blog/post/`), which pages translate one another, and each offer's
//! text per language.

use std::collections::HashMap;

use super::offer::localize;
use super::offer::Offer;
use super::page::{Page, PageKind};
use crate::config::Language;
use crate::error::{Code, Diagnostic, Diagnostics};

fn declared(languages: &[Language]) -> String {
    languages
        .iter()
        .map(|l| l.code.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Sets `page.lang` and prefixes `page.path` with the language's prefix;
/// an undeclared or contradictory language is an error at its line.
pub fn place(page: &mut Page, languages: &[Language], errs: &mut Diagnostics) {
    let default = &languages[0];
    let written = page.meta.lang.as_deref().map(str::trim);
    let code = match (&page.lang_suffix, written) {
        (Some(suffix), Some(lang)) if suffix != lang => {
            errs.push(
                Diagnostic::error(format!(
                    "the file name says `{suffix}` but `lang:` says `{lang}`"
                ))
                .in_file(&page.source)
                .at(page.key_lines.line("lang"), 1)
                .with_help("remove `lang:` (the file name decides), or rename the file"),
            );
            suffix.clone()
        }
        (Some(suffix), _) => suffix.clone(),
        (None, Some(lang)) => lang.to_string(),
        (None, None) => default.code.clone(),
    };
    let Some(lang) = languages.iter().find(|l| l.code == code) else {
        let (line, how) = if page.lang_suffix.is_some() && written.is_none() {
            (1, "the file name")
        } else {
            (page.key_lines.line("lang"), "`lang:`")
        };
        errs.push(
            Diagnostic::error(format!(
                "the language `{code}` ({how}) is not declared in site.yaml"
            ))
            .in_file(&page.source)
            .at(line, 1)
            .with_help(format!(
                "add `{code}:` under `languages:` in site.yaml, or use one of: {}",
                declared(languages)
            )),
        );
        page.lang = default.code.clone();
        page.path = page.unprefixed_path.clone();
        return;
    };
    page.lang = lang.code.clone();
    // `content/ar/about.md` with `lang: ar` is already in its language's folder.
    let in_own_folder = !lang.prefix.is_empty()
        && page
            .unprefixed_path
            .starts_with(&format!("{}/", lang.prefix));
    page.path = if in_own_folder {
        page.unprefixed_path.clone()
    } else {
        lang.path(&page.unprefixed_path)
    };
}

/// Sets each page's `translation_group`: its `translation_key`, else the
/// key of a same-stem sibling that has one, else the folder and stem.
pub fn link_translations(pages: &mut [Page]) {
    let mut keys: HashMap<String, String> = HashMap::new();
    for p in pages.iter() {
        if let Some(key) = &p.meta.translation_key {
            keys.entry(p.stem.clone()).or_insert_with(|| key.clone());
        }
    }
    for p in pages.iter_mut() {
        p.translation_group = match &p.meta.translation_key {
            Some(key) => format!("key:{key}"),
            None => match keys.get(&p.stem) {
                Some(key) => format!("key:{key}"),
                None => format!("file:{}", p.stem),
            },
        };
    }
}

/// For each page, the pages of its translation group by language index
/// (one per language: the first by source path; drafts and noindex pages
/// are not translations of anything).
pub fn translations(pages: &[Page], languages: &[Language]) -> Vec<Vec<usize>> {
    let mut groups: HashMap<(&str, PageKind), Vec<Option<usize>>> = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        if p.meta.draft || p.meta.noindex {
            continue;
        }
        let Some(l) = languages.iter().position(|x| x.code == p.lang) else {
            continue;
        };
        // The home pages always translate one another.
        let key = if p.kind == PageKind::Home {
            "home"
        } else {
            p.translation_group.as_str()
        };
        let slot = groups
            .entry((key, p.kind))
            .or_insert_with(|| vec![None; languages.len()]);
        slot[l].get_or_insert(i);
    }
    pages
        .iter()
        .map(|p| {
            let key = if p.kind == PageKind::Home {
                "home"
            } else {
                p.translation_group.as_str()
            };
            groups
                .get(&(key, p.kind))
                .map(|g| g.iter().flatten().copied().collect())
                .unwrap_or_default()
        })
        .collect()
}

/// Fills `offer.localized`; a translation into an undeclared language is
/// an error, a language with no translation a `missing-translation` warning.
pub fn localize_offer(offer: &mut Offer, languages: &[Language], errs: &mut Diagnostics) {
    let line = offer.key_lines.line("translations");
    for code in offer.def.translations.keys() {
        if !languages.iter().any(|l| l.code == *code) {
            errs.push(
                Diagnostic::error(format!(
                    "`translations.{code}`: the language `{code}` is not declared in site.yaml"
                ))
                .in_file(&offer.source)
                .at(line, 1)
                .with_help(format!(
                    "declare it under `languages:` in site.yaml, or use one of: {}",
                    declared(languages)
                )),
            );
        }
    }
    offer.localized = languages
        .iter()
        .enumerate()
        .map(|(l, lang)| match offer.def.translations.get(&lang.code) {
            Some(text) => localize(&offer.def, text),
            None => {
                if l > 0 {
                    errs.push(
                        Diagnostic::warning(format!(
                            "the offer `{}` has no `{}` translation: its {} pages show the offer's own text",
                            offer.id, lang.code, lang.code
                        ))
                        .in_file(&offer.source)
                        .at(line, 1)
                        .with_help(format!(
                            "add `translations: {{ {}: {{ headline: …, cta: {{ text: … }} }} }}` to the offer",
                            lang.code
                        ))
                        .with_code(Code::MissingTranslation),
                    );
                }
                let mut def = offer.def.clone();
                def.translations.clear();
                def
            }
        })
        .collect();
}
