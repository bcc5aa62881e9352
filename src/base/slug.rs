//! Slugs: the one URL segment a page, tag or heading gets.
//!
//! Latin-script text is transliterated with the `slug` crate ("Crème Brûlée"
//! → "creme-brulee"). Other scripts are kept as written, so an Arabic title
//! gives an Arabic URL; whitespace and ASCII punctuation become dashes, and
//! what is neither a letter nor a digit (vowel marks, other punctuation) is
//! dropped.
//! No crate keeps non-Latin scripts, hence the small second branch.

use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// A slug for any text (file stem, tag name, heading).
pub fn slugify(text: &str) -> String {
    let latin = text
        .chars()
        .all(|c| !c.is_alphabetic() || (c as u32) < 0x250);
    if latin {
        return slug::slugify(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut dash = true; // no leading dash
    for c in text.chars() {
        if c.is_whitespace() || c.is_ascii_punctuation() || c.is_control() {
            if !dash {
                out.push('-');
                dash = true;
            }
        } else if c.is_alphanumeric() && c.general_category_group() != GeneralCategoryGroup::Mark {
            out.extend(c.to_lowercase());
            dash = false;
        }
        // Anything else (vowel marks such as Arabic tanwin, the Arabic
        // question mark and comma, symbols) is dropped: slugs and ids are
        // letters, digits and dashes only.
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The reverse, for display: "spring-harvest" or "first_name" → "Spring
/// harvest", "First name".
pub fn humanize(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Checks a slug written by hand in front matter: it must stay one URL
/// segment inside the output folder.
pub fn check_written(slug: &str) -> Result<(), String> {
    if slug.trim().is_empty() {
        return Err("the slug is empty".into());
    }
    if slug.contains(['/', '\\']) {
        return Err(format!(
            "the slug `{slug}` contains a path separator; a slug is a single URL segment"
        ));
    }
    if slug.starts_with('.') {
        return Err(format!(
            "the slug `{slug}` starts with `.`; it would make a hidden or parent folder"
        ));
    }
    if slug
        .chars()
        .any(|c| c.is_control() || "?#%<>\"".contains(c))
    {
        return Err(format!(
            "the slug `{slug}` contains a character that is not allowed in a URL segment"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_text_is_transliterated() {
        assert_eq!(slugify("Crème Brûlée & Oil"), "creme-brulee-oil");
        assert_eq!(slugify("My_first post"), "my-first-post");
    }

    #[test]
    fn arabic_text_is_kept() {
        assert_eq!(slugify("زيت الزيتون"), "زيت-الزيتون");
        assert_eq!(slugify("  زيت!  "), "زيت");
        assert_eq!(slugify("لماذا الآن؟"), "لماذا-الآن");
        assert_eq!(slugify("زيتًا أرخص، للطبخ"), "زيتا-أرخص-للطبخ");
    }

    #[test]
    fn names_are_humanized() {
        assert_eq!(humanize("spring-harvest"), "Spring harvest");
        assert_eq!(humanize("first_name"), "First name");
    }

    #[test]
    fn escaping_slugs_are_refused() {
        assert!(check_written("../etc").is_err());
        assert!(check_written("a/b").is_err());
        assert!(check_written("a\\b").is_err());
        assert!(check_written("..").is_err());
        assert!(check_written("").is_err());
        assert!(check_written("زيت-الزيتون").is_ok());
    }
}
