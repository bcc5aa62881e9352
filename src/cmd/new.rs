//! `lander new post|product|page|offer NAME`: a file with commented front
//! matter, ready to fill in.

use std::fs;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use crate::base::slug::{humanize, slugify};
use crate::config::CONFIG_FILE;
use crate::error::{Diagnostic, Diagnostics};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NewKind {
    /// A blog post: content/blog/NAME.md
    Post,
    /// A product page: content/products/NAME.md
    Product,
    /// A plain page: content/NAME.md
    Page,
    /// An offer: offers/NAME.yaml
    Offer,
}

/// Creates the file and returns its path (relative to `root`).
pub fn new(root: &Path, kind: NewKind, name: &str, today: &str) -> Result<PathBuf, Diagnostics> {
    if !root.join(CONFIG_FILE).is_file() {
        return Err(Diagnostic::error(format!("no {CONFIG_FILE} in {}", root.display()))
            .with_help("run this inside a site folder, pass --root DIR, or create a site with `lander init DIR`")
            .into());
    }
    let slug = slugify(name);
    if slug.is_empty() {
        return Err(
            Diagnostic::error(format!("cannot make a file name from `{name}`"))
                .with_help("use letters and digits, e.g. lander new post spring-harvest")
                .into(),
        );
    }
    let title = humanize(name);
    let (rel, text) = match kind {
        NewKind::Post => (format!("content/blog/{slug}.md"), post(&title, today)),
        NewKind::Product => (
            format!("content/products/{slug}.md"),
            product(&title, &slug),
        ),
        NewKind::Page => (format!("content/{slug}.md"), page(&title)),
        NewKind::Offer => (format!("offers/{slug}.yaml"), offer(&title, &slug)),
    };
    let rel = PathBuf::from(rel);
    let path = root.join(&rel);
    if path.exists() {
        return Err(
            Diagnostic::error(format!("{} already exists", rel.display()))
                .with_help("choose another name, or edit the existing file")
                .into(),
        );
    }
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| Diagnostic::io(dir, "create the folder", &e))?;
    }
    fs::write(&path, text).map_err(|e| Diagnostic::io(&path, "write the file", &e))?;
    Ok(rel)
}

fn yaml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn post(title: &str, today: &str) -> String {
    format!(
        r#"---
title: {title}
# One or two sentences for search results and link previews (50-160 characters).
description: ""
date: {today}
# draft: true            # uncomment to keep it out of the build (lander build --drafts shows it)
tags: []                 # e.g. [recipes, harvest]
# image: /images/cover.svg
# image_alt: ""          # describe the image: required with image
# stage: awareness       # funnel stage: awareness (tofu), consideration (mofu), purchase (bofu), retention
# offer: newsletter      # id of an offer in offers/: adds its call-to-action at the end
---

Write the opening paragraph here: it is the summary shown on the blog index.

<!-- more -->

## A heading
"#,
        title = yaml_str(title)
    )
}

fn product(title: &str, slug: &str) -> String {
    format!(
        r#"---
title: {title}
description: ""          # 50-160 characters for search results
price: 0.00
currency: EUR            # ISO 4217 code
sku: {sku}
# brand: ""
availability: in_stock   # in_stock, out_of_stock or preorder
# image: /images/{slug}.svg
# image_alt: ""
# images: []             # more photos
# rating: {{ value: 4.8, count: 10 }}
# reviews:
#   - {{ author: "", rating: 5, date: 2026-01-01, body: "" }}
# related: []            # slugs of other products
stage: consideration
---

What it is, who it is for, and why it is worth it.
"#,
        title = yaml_str(title),
        sku = yaml_str(&slug.to_uppercase()),
    )
}

fn page(title: &str) -> String {
    format!(
        r#"---
title: {title}
description: ""
# layout: landing        # a landing page (a template name from the theme or templates/)
# weight: 10             # order among pages of the same folder
# offer: newsletter      # adds the offer's call-to-action at the end
---

Page text in Markdown.
"#,
        title = yaml_str(title)
    )
}

fn offer(title: &str, slug: &str) -> String {
    format!(
        r#"# Offer "{slug}": landing page /offers/{slug}/, thank-you page /offers/{slug}/thanks/
headline: {title}
subheadline: ""
stage: purchase          # awareness (tofu), consideration (mofu), purchase (bofu), retention
kind: discount           # discount, guide, quiz, sample, consultation, newsletter
incentive: {{ type: percent, value: 10 }}   # percent | amount (+ currency) | free_shipping | content
benefits:
  - ""
cta: {{ text: "Claim my discount" }}   # url: defaults to the offer's landing page
thank_you:
  title: "Thank you!"
  body: "Your code is on its way to your inbox."
  # next: {{ text: "Join the loyalty club", url: "/club/" }}
"#,
        title = yaml_str(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::front_matter;
    use crate::content::Offer;

    #[test]
    fn generated_files_parse() {
        let p = post("Spring harvest", "2026-03-01");
        let s = front_matter::split(&p, Path::new("x.md")).unwrap();
        front_matter::parse(&s, Path::new("x.md")).unwrap();
        for text in [product("Tin", "tin"), page("About")] {
            let s = front_matter::split(&text, Path::new("x.md")).unwrap();
            front_matter::parse(&s, Path::new("x.md")).unwrap();
        }
        Offer::parse(
            "sale",
            &offer("Sale", "sale"),
            Path::new("offers/sale.yaml"),
        )
        .unwrap();
    }

    #[test]
    fn titles_from_names() {
        assert_eq!(humanize("spring-harvest"), "Spring harvest");
    }
}
