//! The site's taxonomies (site.yaml `taxonomies:`, tags by default) and
//! their terms: each page's front matter keys that are not lander's own
//! name terms of a taxonomy, in the page's language.

use std::collections::BTreeMap;

use super::page::Page;
use crate::base::key_lines::KEYS;
use crate::base::slug::slugify;
use crate::config::{Config, Language};
use crate::error::{Diagnostic, Diagnostics};

/// One taxonomy, resolved from site.yaml.
#[derive(Debug, Clone, PartialEq)]
pub struct Taxonomy {
    /// The front matter key and URL folder: `categories`.
    pub name: String,
    pub paginate_by: usize,
    pub feed: bool,
    /// Its terms are the page's authors (BlogPosting `author`).
    pub author: bool,
}

impl Taxonomy {
    /// The list page of the taxonomy in a language: `/ar/categories/`.
    pub fn path_in(&self, lang: &Language) -> String {
        lang.path(&format!("/{}/", self.name))
    }
}

/// The taxonomies of a site, in the order of site.yaml.
pub fn resolve(config: &Config) -> Vec<Taxonomy> {
    config
        .taxonomies
        .iter()
        .map(|t| Taxonomy {
            name: t.name.clone(),
            paginate_by: t.paginate_by.unwrap_or(config.paginate_by),
            feed: t.feed,
            author: t.is_author(),
        })
        .collect()
}

/// A term of a taxonomy in one language ("Guides" of `categories` in
/// English), with its pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// Index into `Site::taxonomies`.
    pub taxonomy: usize,
    pub name: String,
    pub slug: String,
    /// Index into `Site::languages`: each language has its own terms.
    pub lang: usize,
    /// The term page: `/categories/guides/`, `/ar/categories/…/`.
    pub path: String,
    /// Indices into `Site::pages`, newest first.
    pub pages: Vec<usize>,
}

/// The terms of every page: all terms (by taxonomy, language, slug) and,
/// per page, the indices of its terms (by taxonomy, then as written).
/// Keys that name no taxonomy are errors at their line.
pub fn collect(
    pages: &[Page],
    languages: &[Language],
    taxonomies: &[Taxonomy],
    errs: &mut Diagnostics,
) -> (Vec<Term>, Vec<Vec<usize>>) {
    // (taxonomy, language, slug) of each page's terms, as written.
    let mut written: Vec<Vec<(usize, usize, String)>> = vec![Vec::new(); pages.len()];
    let mut by_key: BTreeMap<(usize, usize, String), Term> = BTreeMap::new();
    for (i, p) in pages.iter().enumerate() {
        let lang = languages.iter().position(|l| l.code == p.lang).unwrap_or(0);
        let mut keys: Vec<(usize, &String, &serde_yaml::Value)> = Vec::new();
        for (key, value) in &p.meta.terms {
            match taxonomies.iter().position(|t| t.name == *key) {
                Some(x) => keys.push((x, key, value)),
                None => errs.push(unknown_key(p, key, taxonomies)),
            }
        }
        keys.sort_by_key(|k| k.0);
        for (x, key, value) in keys {
            let Some(names) = names(value) else {
                errs.push(
                    Diagnostic::error(format!("`{key}` must be a list of names"))
                        .in_file(&p.source)
                        .at(p.key_lines.line(key), 1)
                        .with_help(format!("write e.g. {key}: [guides, news]")),
                );
                continue;
            };
            for name in names {
                let slug = slugify(&name);
                if slug.is_empty() {
                    errs.push(
                        Diagnostic::error(format!(
                            "the {key} term `{name}` has no letters or digits"
                        ))
                        .in_file(&p.source)
                        .at(p.key_lines.line(key), 1)
                        .with_help(format!("use a word or two, e.g. {key}: [harvest, recipes]")),
                    );
                    continue;
                }
                let term = by_key
                    .entry((x, lang, slug.clone()))
                    .or_insert_with(|| Term {
                        taxonomy: x,
                        name: name.trim().to_string(),
                        path: languages[lang].path(&format!("/{}/{slug}/", taxonomies[x].name)),
                        slug: slug.clone(),
                        lang,
                        pages: Vec::new(),
                    });
                if !term.pages.contains(&i) {
                    term.pages.push(i);
                    written[i].push((x, lang, slug));
                }
            }
        }
    }
    let index: BTreeMap<&(usize, usize, String), usize> =
        by_key.keys().enumerate().map(|(n, k)| (k, n)).collect();
    let page_terms = written
        .iter()
        .map(|keys| keys.iter().map(|k| index[k]).collect())
        .collect();
    let mut terms: Vec<Term> = by_key.into_values().collect();
    for t in &mut terms {
        t.pages
            .sort_by(|&a, &b| super::page::by_date_desc(&pages[a], &pages[b]));
    }
    (terms, page_terms)
}

/// `tags: a`, `tags: [a, b]` (numbers are names too); `None` for mappings
/// and nested lists.
fn names(value: &serde_yaml::Value) -> Option<Vec<String>> {
    use serde_yaml::Value;
    let scalar = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match value {
        Value::Null => Some(Vec::new()),
        Value::Sequence(items) => items.iter().map(scalar).collect(),
        v => scalar(v).map(|s| vec![s]),
    }
}

/// A front matter key that is neither lander's nor a taxonomy of the site.
fn unknown_key(p: &Page, key: &str, taxonomies: &[Taxonomy]) -> Diagnostic {
    let names: Vec<String> = taxonomies.iter().map(|t| t.name.clone()).collect();
    let known: Vec<String> = KEYS
        .iter()
        .map(|k| k.to_string())
        .chain(names.iter().cloned())
        .collect();
    let listed = if names.is_empty() {
        "the site has no taxonomies".to_string()
    } else {
        format!("the site's taxonomies are {}", names.join(", "))
    };
    let help = match crate::base::text::closest(key, &known) {
        Some(best) => format!("did you mean `{best}`? ({listed})"),
        None => {
            // The default list is replaced by the one written in site.yaml.
            let keep = if names == ["tags"] {
                " (and `- { name: tags, feed: true }` to keep the tags as they are)"
            } else {
                ""
            };
            format!(
                "{listed}; to group pages by `{key}`, add `- name: {key}` under `taxonomies:` in site.yaml{keep}"
            )
        }
    };
    Diagnostic::error(format!("unknown key `{key}`"))
        .in_file(&p.source)
        .at(p.key_lines.line(key), 1)
        .with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::front_matter;
    use std::path::Path;

    fn site(yaml: &str) -> (Vec<Language>, Vec<Taxonomy>) {
        let config = Config::parse(yaml, Path::new("site.yaml")).unwrap();
        (config.languages(), resolve(&config))
    }

    fn page(text: &str) -> Page {
        let path = Path::new("content/blog/a.md");
        let split = front_matter::split(text, path).unwrap();
        let (meta, key_lines) = front_matter::parse(&split, path).unwrap();
        Page {
            source: path.into(),
            kind: crate::content::PageKind::Post,
            section: "blog".into(),
            slug: "a".into(),
            path: "/blog/a/".into(),
            meta,
            key_lines,
            body: "".into(),
            body_line: 1,
            lang: "en".into(),
            lang_suffix: None,
            translation_group: String::new(),
            stem: "a".into(),
            unprefixed_path: "/blog/a/".into(),
        }
    }

    #[test]
    fn terms_of_each_taxonomy_and_unknown_keys() {
        let (langs, tax) = site("title: S\ntaxonomies: [{name: tags}, {name: categories}]\n");
        let pages = [
            page("---\ntitle: A\ncategories: Guides\ntags: [oil, Oil]\n---\n"),
            page("---\ntitle: B\ncategories: [guides, news]\ndescripton: x\nauthors: [ada]\n---\n"),
        ];
        let mut errs = Diagnostics::default();
        let (terms, page_terms) = collect(&pages, &langs, &tax, &mut errs);
        let names: Vec<(&str, &str)> = terms
            .iter()
            .map(|t| (tax[t.taxonomy].name.as_str(), t.path.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("tags", "/tags/oil/"),
                ("categories", "/categories/guides/"),
                ("categories", "/categories/news/")
            ]
        );
        assert_eq!(terms[1].pages.len(), 2);
        assert_eq!(page_terms[0], [0, 1]);
        assert_eq!(errs.0.len(), 2, "{errs}");
        let typo = errs
            .0
            .iter()
            .find(|e| e.message.contains("descripton"))
            .unwrap();
        assert_eq!(typo.line, Some(4));
        assert!(typo
            .help
            .as_deref()
            .unwrap()
            .starts_with("did you mean `description`?"));
        let authors = errs
            .0
            .iter()
            .find(|e| e.message.contains("authors"))
            .unwrap();
        assert_eq!(authors.line, Some(5));
        let help = authors.help.as_deref().unwrap();
        assert!(
            help.contains("the site's taxonomies are tags, categories"),
            "{help}"
        );
    }
}
