//! XML escaping, shared by every writer of XML: the sitemap and feeds
//! (`render::site_files`), the funnel's SVG (`funnel::svg`) and the
//! format checks (`check::formats`). A leaf: it depends on nothing.

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
}
