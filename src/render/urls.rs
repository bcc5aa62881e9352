//! [`Urls`]: site paths made base-path aware and absolute. A leaf of the
//! render stage (it depends on nothing in the crate), used by the views,
//! offers, languages and every writer of links.

/// Links inside the site, made absolute-path and base-path aware.
#[derive(Clone, Copy)]
pub struct Urls<'a> {
    pub base_url: &'a str,
    pub base_path: &'a str,
}

impl Urls<'_> {
    /// `/blog/x/` → `/shop/blog/x/` when the site lives under `/shop`.
    pub fn path(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path)
    }

    /// `/blog/x/` → `https://example.com/blog/x/`, percent-encoded as the
    /// URL standard says (`/ar/زيت/` → `/ar/%D8%B2…/`), so that canonical,
    /// og:url, hreflang, feeds and the sitemap name a page the same way.
    pub fn permalink(&self, path: &str) -> String {
        let host = &self.base_url[..self.base_url.len() - self.base_path.len()];
        let link = format!("{host}{}", self.path(path));
        if link.bytes().all(|b| b.is_ascii_graphic()) {
            return link;
        }
        url::Url::parse(&link).map_or(link, String::from)
    }

    /// A link made absolute: `/images/a.svg` → `https://example.com/images/a.svg`.
    pub fn absolute(&self, url: &str) -> String {
        if url.starts_with('/') && !url.starts_with("//") {
            self.permalink(url)
        } else {
            url.to_string()
        }
    }

    /// A link written by an author: site-absolute paths get the base path.
    pub fn link(&self, url: &str) -> String {
        if url.starts_with('/') && !url.starts_with("//") {
            self.path(url)
        } else {
            url.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_respect_the_base_path() {
        let u = Urls {
            base_url: "https://x.com/shop",
            base_path: "/shop",
        };
        assert_eq!(u.path("/blog/"), "/shop/blog/");
        assert_eq!(u.permalink("/blog/"), "https://x.com/shop/blog/");
        assert_eq!(u.link("https://a.b/"), "https://a.b/");
        assert_eq!(u.link("/images/a.svg"), "/shop/images/a.svg");
    }
}
