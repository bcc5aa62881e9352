//! Escaping for every context untrusted text reaches: XML (the sitemap
//! and feeds in `render::site_files`, the funnel's SVG, the format checks),
//! HTML (tera's escape function, in `theme`) and JSON inside `<script>`
//! (JSON-LD, in `render::seo`). A leaf: it depends on nothing.

use serde_json::Value;

/// `text` escaped for XML text and attribute values (see [`escape_into`]).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// Appends `text` escaped for XML text and attribute values, leaving out
/// the characters XML 1.0 forbids (control characters other than tab and
/// line breaks), which no parser would accept even escaped.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => {}
            c => out.push(c),
        }
    }
}

/// Tera's HTML escaping without `/` (which it turns into `&#x2F;` in every
/// URL, for the minifier to turn back): `&`, `<`, `>` and both quotes are
/// what can end a text or an attribute value.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#x27;",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out
}

/// JSON that can sit inside `<script>` as is: `<`, `>` and `&` become
/// `\u003c` etc. (so `</script>` and `<!--` cannot occur), and the two
/// line separators JavaScript dislikes are escaped too.
pub fn safe_json(value: &Value) -> String {
    let raw = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    let mut out = String::with_capacity(raw.len() + 16);
    for c in raw.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_xml_characters_and_drops_forbidden_ones() {
        assert_eq!(
            escape("a & b < c > d \"e\" 'f'"),
            "a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;"
        );
        assert_eq!(escape("tab\there\u{1}\u{0}\u{ffff}é"), "tab\thereé");
        assert_eq!(escape("&amp;"), "&amp;amp;");
    }

    #[test]
    fn json_ld_cannot_close_its_script() {
        let v = serde_json::json!({"headline": "</script><script>alert(1)</script> & <!-- x"});
        let s = safe_json(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v, "escapes are still the same JSON");
    }
}
