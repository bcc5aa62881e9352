//! The references of a page, checked when the site is assembled: its
//! primary offer, its related products, and product-only keys elsewhere.

use crate::base::key_lines::PRODUCT_KEYS;
use crate::content::files::Broken;
use crate::content::offer::Offer;
use crate::content::page::{Page, PageKind};
use crate::error::{Diagnostic, Diagnostics};

pub(super) fn check_references(
    p: &Page,
    offers: &[Offer],
    products: &[&str],
    broken: &Broken,
    errs: &mut Diagnostics,
) {
    let at = |key: &str| p.key_lines.line(key);
    if let Some(id) = &p.meta.offer {
        if offers.binary_search_by(|o| o.id.as_str().cmp(id)).is_err()
            && !broken.offers.contains(id)
        {
            let ids: Vec<String> = offers.iter().map(|o| o.id.clone()).collect();
            let help = match crate::base::text::closest(id, &ids) {
                Some(best) => format!("did you mean `{best}`?"),
                None if ids.is_empty() => {
                    "create offers/ID.yaml (see `lander new offer ID`)".into()
                }
                None => format!("known offers: {}", ids.join(", ")),
            };
            errs.push(
                Diagnostic::error(format!(
                    "unknown offer `{id}`: there is no offers/{id}.yaml"
                ))
                .in_file(&p.source)
                .at(at("offer"), 1)
                .with_help(help),
            );
        }
    }
    if p.kind == PageKind::Product {
        for slug in &p.meta.related {
            if !products.contains(&slug.as_str()) && !broken.products.contains(slug) {
                errs.push(
                    Diagnostic::error(format!("unknown related product `{slug}`"))
                        .in_file(&p.source)
                        .at(at("related"), 1)
                        .with_help(format!("known products: {}", products.join(", "))),
                );
            }
        }
    } else {
        for key in PRODUCT_KEYS {
            if p.key_lines.has(key) {
                errs.push(
                    Diagnostic::error(format!("`{key}` is only for products"))
                        .in_file(&p.source)
                        .at(at(key), 1)
                        .with_help("move the file into content/products/, or remove the key"),
                );
            }
        }
    }
}
