//! URLs written by marketers (CTA targets, next steps, canonical links):
//! checked at load so that `javascript:` and other unsafe schemes never
//! reach an `href`.

use serde::{Deserialize, Deserializer, Serialize};

use crate::base::invalid::Invalid;

/// Schemes a link may use; anything else (javascript:, data:, vbscript:…) is refused.
const SAFE_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct SafeUrl(pub String);

impl SafeUrl {
    pub fn parse(text: &str) -> Result<SafeUrl, String> {
        SafeUrl::check(text).map_err(|e| e.to_string())
    }

    /// [`SafeUrl::parse`], refusing with a typed message and fix.
    pub fn check(text: &str) -> Result<SafeUrl, Invalid> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(Invalid::new(
                "",
                "the URL is empty",
                "write an https:// URL or a path such as /offers/spring-sale/",
            ));
        }
        // Browsers ignore tabs/newlines and leading control characters in
        // schemes ("java\tscript:"), so judge the URL without them.
        let squeezed: String = trimmed
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .collect();
        if let Some((scheme, _)) = squeezed.split_once(':') {
            let looks_like_scheme = !scheme.is_empty()
                && !scheme.contains(['/', '?', '#'])
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
            if looks_like_scheme && !SAFE_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()) {
                return Err(Invalid::new(
                    trimmed,
                    format!(
                        "the URL `{trimmed}` uses the `{scheme}:` scheme, which is not allowed"
                    ),
                    "use an https:// URL, a path such as /offers/spring-sale/, mailto: or tel:",
                ));
            }
        }
        Ok(SafeUrl(trimmed.to_string()))
    }

    pub fn is_absolute(&self) -> bool {
        self.0.starts_with("http://") || self.0.starts_with("https://")
    }
}

impl<'de> Deserialize<'de> for SafeUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Checked in the visit of the scalar: located at the value, the fix typed.
        crate::base::invalid::checked_str(d, "a string", SafeUrl::check)
    }
}

/// An absolute `https://` URL with a host, such as a checkout link: where
/// visitors pay, no plain http and no relative path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct HttpsUrl(pub String);

impl HttpsUrl {
    pub fn parse(text: &str) -> Result<HttpsUrl, String> {
        HttpsUrl::check(text).map_err(|e| e.to_string())
    }

    /// [`HttpsUrl::parse`], refusing with a typed message and fix.
    pub fn check(text: &str) -> Result<HttpsUrl, Invalid> {
        let trimmed = text.trim();
        match url::Url::parse(trimmed) {
            Ok(u) if u.scheme() == "https" && u.host_str().is_some_and(|h| !h.is_empty()) => {
                Ok(HttpsUrl(trimmed.to_string()))
            }
            Ok(u) if u.scheme() == "http" => Err(Invalid::new(
                trimmed,
                format!("the URL `{trimmed}` is not https"),
                "checkout links must be https:// (visitors pay there)",
            )),
            _ => Err(Invalid::new(
                trimmed,
                format!("the URL `{trimmed}` is not an absolute https:// address"),
                "copy the checkout link, e.g. https://buy.stripe.com/…",
            )),
        }
    }
}

impl<'de> Deserialize<'de> for HttpsUrl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::base::invalid::checked_str(d, "a string", HttpsUrl::check)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkout_links_are_https() {
        assert!(HttpsUrl::parse("https://buy.stripe.com/test_00g").is_ok());
        assert!(HttpsUrl::parse(" https://shop.example/cart/1:2 ").is_ok());
        for bad in [
            "http://buy.stripe.com/x",
            "/checkout/",
            "buy.stripe.com/x",
            "https://",
            "javascript:x",
            "",
        ] {
            assert!(HttpsUrl::parse(bad).is_err(), "{bad}");
        }
        assert!(HttpsUrl::parse("http://x.test/")
            .unwrap_err()
            .contains("not https"));
    }

    #[test]
    fn safe_urls_pass() {
        for ok in [
            "/offers/x/",
            "https://a.b/c?d=e:f",
            "mailto:a@b.c",
            "#top",
            "page/",
        ] {
            assert!(SafeUrl::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn script_schemes_are_refused() {
        for bad in [
            "javascript:alert(1)",
            "JavaScript:x",
            "java\tscript:x",
            " data:text/html,x",
            "vbscript:x",
        ] {
            assert!(SafeUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
