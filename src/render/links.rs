//! Links of HTML fragments made absolute, for HTML read away from the site
//! (feed readers).

/// Makes the `href` and `src` links of an HTML fragment absolute against
/// `base` (the page's URL), as a browser would read them on the page: feed
/// readers show summaries away from the site.
pub fn absolute_links(html: &str, base: &url::Url) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    loop {
        let found = ["href=\"", "src=\""]
            .iter()
            .filter_map(|attr| {
                rest.match_indices(attr)
                    .find(|(at, _)| rest[..*at].ends_with(|c: char| c.is_ascii_whitespace()))
                    .map(|(at, a)| at + a.len())
            })
            .min();
        let Some(start) = found else {
            out.push_str(rest);
            return out;
        };
        let Some(len) = rest[start..].find('"') else {
            out.push_str(rest);
            return out;
        };
        let value = &rest[start..start + len];
        out.push_str(&rest[..start]);
        match url::Url::parse(value) {
            Err(url::ParseError::RelativeUrlWithoutBase) if !value.is_empty() => {
                match base.join(value) {
                    Ok(u) => out.push_str(u.as_str()),
                    Err(_) => out.push_str(value),
                }
            }
            _ => out.push_str(value),
        }
        rest = &rest[start + len..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_in_summaries_become_absolute() {
        let base = url::Url::parse("https://x.test/shop/blog/post/").unwrap();
        let html = r##"<p><a href="/shop/products/tin/">tin</a> <a href="https://else.test/">e</a> <img src="img.png" alt="x"> <a href="#notes">n</a> <a href="mailto:a@b.c">m</a> <a data-href="/x/">d</a></p>"##;
        assert_eq!(
            absolute_links(html, &base),
            r##"<p><a href="https://x.test/shop/products/tin/">tin</a> <a href="https://else.test/">e</a> <img src="https://x.test/shop/blog/post/img.png" alt="x"> <a href="https://x.test/shop/blog/post/#notes">n</a> <a href="mailto:a@b.c">m</a> <a data-href="/x/">d</a></p>"##
        );
        assert_eq!(absolute_links("no links", &base), "no links");
        assert_eq!(
            absolute_links("<a href=\"/broken", &base),
            "<a href=\"/broken"
        );
    }
}
