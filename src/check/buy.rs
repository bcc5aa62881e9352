//! `product-without-buy`: a product with a price that visitors cannot buy:
//! it has no `buy:` link (a Stripe Payment Link, a Shopify or Gumroad
//! checkout). The bottom of the funnel ends in a dead end. Products marked
//! `availability: out_of_stock` are left alone.

use super::context::Ctx;
use super::context::Loc;
use super::{Finding, Found, Rule};
use crate::content::front_matter::Availability;
use crate::content::page::PageKind;

pub fn check(ctx: &Ctx, out: &mut Vec<Found>) {
    for (i, page) in ctx.site.pages.iter().enumerate() {
        let m = &page.meta;
        if page.kind != PageKind::Product
            || m.price.is_none()
            || m.buy.is_some()
            || m.availability == Some(Availability::OutOfStock)
        {
            continue;
        }
        let mut loc = Loc::file(ctx.page_file(i)).at(page.key_lines.line("price"), 1);
        loc.page = Some(i);
        out.push(loc.put(
            Finding::new(
                Rule::ProductWithoutBuy,
                format!("the product `{}` has a price but no way to buy it", m.title),
            )
            .with_help(
                "add `buy: { url: https://…, text: Buy now }` with the checkout link (a Stripe Payment Link, a Shopify or Gumroad checkout), or `availability: out_of_stock`",
            ),
        ));
    }
}
