//! Where each key of a YAML header is written: front matter, offers,
//! site.yaml and theme strings all point their messages at the line of the
//! key that is wrong. Also the keys front matter knows, which site.yaml's
//! taxonomies must not take.

/// Every key of `FrontMatter` but `terms`, for suggestions when a key
/// is neither lander's nor a taxonomy (a unit test keeps the two in step).
pub const KEYS: [&str; 35] = [
    "title",
    "description",
    "slug",
    "date",
    "updated",
    "draft",
    "publish_date",
    "expiry_date",
    "image",
    "image_alt",
    "canonical",
    "noindex",
    "lang",
    "translation_key",
    "stage",
    "offer",
    "offer_open",
    "faq",
    "author",
    "layout",
    "weight",
    "aliases",
    "affiliate",
    "check",
    "extra",
    "price",
    "currency",
    "sku",
    "brand",
    "availability",
    "images",
    "rating",
    "reviews",
    "related",
    "buy",
];

/// The product-only keys, for the "not a product" check.
pub const PRODUCT_KEYS: [&str; 10] = [
    "price",
    "buy",
    "currency",
    "sku",
    "brand",
    "availability",
    "images",
    "rating",
    "reviews",
    "related",
];

/// Line of each top-level key in the YAML, to point messages at the key that
/// is wrong once the typed struct no longer knows where it came from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeyLines(pub(crate) Vec<(String, usize)>);

impl KeyLines {
    /// Top-level keys, and the items of block lists under them as
    /// `key[0]`, `key[1]`… (see [`KeyLines::item_line`]).
    pub fn scan(yaml: &str, first_line: usize) -> KeyLines {
        let mut lines = Vec::new();
        let mut current: Option<(String, usize, usize)> = None;
        for (i, l) in yaml.lines().enumerate() {
            if !l.starts_with([' ', '\t', '#', '-']) {
                current = None;
                if let Some((key, _)) = l.split_once(':') {
                    let key = key.trim().trim_matches(['"', '\'']).to_string();
                    lines.push((key.clone(), first_line + i));
                    current = Some((key, 0, usize::MAX));
                }
                continue;
            }
            let trimmed = l.trim_start();
            if let Some((key, n, indent)) = current.as_mut() {
                let here = l.len() - trimmed.len();
                if (trimmed.starts_with("- ") || trimmed == "-") && here <= *indent {
                    *indent = here;
                    lines.push((format!("{key}[{n}]"), first_line + i));
                    *n += 1;
                }
            }
        }
        KeyLines(lines)
    }

    /// Line of item `n` of the list `key`, else of `key` itself (a flow
    /// list such as `[a, b]` is on one line).
    pub fn item_line(&self, key: &str, n: usize) -> usize {
        let item = format!("{key}[{n}]");
        if self.has(&item) {
            self.line(&item)
        } else {
            self.line(key)
        }
    }

    /// Line of `key`, or the first front matter line when it is not written.
    pub fn line(&self, key: &str) -> usize {
        self.0.iter().find(|(k, _)| k == key).map_or(1, |(_, l)| *l)
    }

    pub fn has(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| k == key)
    }
}
