//! Reading the inputs of `lander report`: leads (the JSON lines `lander
//! serve` captures, or a CSV export of the mailing tool) and views (a CSV
//! `offer,variant,views`). A bad row is skipped with a warning naming its
//! file and line; it is never counted.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde_json::Value;

use crate::base::text::closest;
use crate::error::{Diagnostic, Diagnostics};

/// Views and leads of one variant of an offer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub views: u64,
    pub leads: u64,
}

/// Offers with their variants and counts, in order.
pub type OfferCounts = Vec<(String, Vec<(String, Counts)>)>;

/// Views and leads per offer and variant (`""` for an offer without
/// variants), in the order the files first name them.
#[derive(Debug, Default)]
pub struct Tally {
    rows: Vec<(String, String, Counts)>,
    /// Offer id → variant id → index in `rows`.
    index: HashMap<String, HashMap<String, usize>>,
}

impl Tally {
    fn entry(&mut self, offer: &str, variant: &str) -> &mut Counts {
        // Looked up by &str: the common case allocates nothing.
        let found = self.index.get(offer).and_then(|vs| vs.get(variant));
        let i = match found {
            Some(&i) => i,
            None => {
                let i = self.rows.len();
                self.rows
                    .push((offer.to_string(), variant.to_string(), Counts::default()));
                self.index
                    .entry(offer.to_string())
                    .or_default()
                    .insert(variant.to_string(), i);
                i
            }
        };
        &mut self.rows[i].2
    }

    /// Offers with their variants, each in the order first seen.
    pub fn into_sorted(self) -> OfferCounts {
        let mut offers: OfferCounts = Vec::new();
        for (offer, variant, counts) in self.rows {
            match offers.iter_mut().find(|(o, _)| *o == offer) {
                Some((_, vs)) => vs.push((variant, counts)),
                None => offers.push((offer, vec![(variant, counts)])),
            }
        }
        offers
    }
}

/// The offers of the site and their variant ids (in the offer file's
/// order), when `lander report` runs in a site folder: rows naming others
/// are typos and are skipped.
pub type Known = HashMap<String, Vec<String>>;

/// What the rows held besides the counts.
#[derive(Debug, Default)]
pub struct Notes {
    /// Bad rows, as warnings (at most [`MAX_WARNINGS`] per file).
    pub warnings: Diagnostics,
    /// Bad rows skipped, all files together.
    pub skipped: usize,
    /// Captured submissions a bot sent (the honeypot was filled).
    pub spam: usize,
    /// Leads of an email address already counted for the offer (a quiz's
    /// early lead and its final answer, a form sent twice).
    pub repeats: usize,
}

/// Bad rows reported one by one per file; the rest are counted.
pub const MAX_WARNINGS: usize = 20;

struct Rows<'a> {
    path: &'a Path,
    notes: &'a mut Notes,
    bad: usize,
}

impl Rows<'_> {
    fn bad(&mut self, line: u64, message: String, help: Option<String>) {
        self.bad += 1;
        self.notes.skipped += 1;
        if self.bad <= MAX_WARNINGS {
            let mut d = Diagnostic::warning(format!("{message}; the row is skipped"))
                .in_file(self.path)
                .at(line as usize, 1);
            d.help = help;
            self.notes.warnings.push(d);
        }
    }

    fn finish(self) {
        if self.bad > MAX_WARNINGS {
            self.notes.warnings.push(
                Diagnostic::warning(format!("{} more bad rows skipped", self.bad - MAX_WARNINGS))
                    .in_file(self.path),
            );
        }
    }
}

/// Why a row's offer or variant is not one of the site's, with a hint.
fn unknown(known: Option<&Known>, offer: &str, variant: &str) -> Option<(String, Option<String>)> {
    let known = known?;
    let hint = |typo: &str, names: &[String]| match closest(typo, names) {
        Some(best) => Some(format!("did you mean `{best}`?")),
        None if names.is_empty() => None,
        None => Some(format!("known here: {}", names.join(", "))),
    };
    match known.get(offer) {
        None => {
            let mut ids: Vec<String> = known.keys().cloned().collect();
            ids.sort();
            Some((
                format!("the site has no offer `{offer}`"),
                hint(offer, &ids),
            ))
        }
        Some(vs) if vs.is_empty() && !variant.is_empty() => Some((
            format!("the offer `{offer}` has no variants, but the row names `{variant}`"),
            Some("leave the variant empty for an offer without variants".into()),
        )),
        Some(vs) if !vs.is_empty() && !vs.iter().any(|v| v == variant) => {
            let what = if variant.is_empty() {
                format!("the row gives no variant of the offer `{offer}`")
            } else {
                format!("the offer `{offer}` has no variant `{variant}`")
            };
            Some((what, hint(variant, vs)))
        }
        _ => None,
    }
}

fn read_text(path: &Path, what: &str) -> Result<Vec<u8>, Diagnostics> {
    std::fs::read(path).map_err(|e| Diagnostic::io(path, &format!("read the {what}"), &e).into())
}

/// The column called one of `names` (case and spaces aside).
fn column(headers: &csv::ByteRecord, names: &[&str]) -> Option<usize> {
    headers.iter().position(|h| {
        let h = String::from_utf8_lossy(h).trim().to_ascii_lowercase();
        names.contains(&h.as_str())
    })
}

fn csv_reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    // A UTF-8 BOM (spreadsheet exports) is not part of the first header.
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    csv::ReaderBuilder::new()
        .flexible(true)
        // GA4 exports open with `#` comment lines.
        .comment(Some(b'#'))
        .from_reader(bytes)
}

fn missing_columns(path: &Path, want: &str, found: &csv::ByteRecord) -> Diagnostics {
    let found: Vec<String> = found
        .iter()
        .map(|h| String::from_utf8_lossy(h).into_owned())
        .collect();
    Diagnostic::error(format!(
        "the header has no {want} column (found: {})",
        if found.is_empty() {
            "nothing".to_string()
        } else {
            found.join(", ")
        }
    ))
    .in_file(path)
    .at(1, 1)
    .into()
}

/// Adds the views of `path` (CSV with the header `offer,variant,views`).
pub fn views(
    path: &Path,
    known: Option<&Known>,
    tally: &mut Tally,
    notes: &mut Notes,
) -> Result<(), Diagnostics> {
    let bytes = read_text(path, "views file")?;
    let mut reader = csv_reader(&bytes);
    let headers = reader
        .byte_headers()
        .map_err(|e| Diagnostic::error(format!("the CSV does not parse: {e}")).in_file(path))?
        .clone();
    let need = |names: &[&str], want: &str| {
        column(&headers, names).ok_or_else(|| {
            let mut d = missing_columns(path, want, &headers);
            d.0[0].help = Some(
                "the views file starts with the line `offer,variant,views` (see the report docs for a GA4 export)"
                    .into(),
            );
            d
        })
    };
    let (o, v, n) = (
        need(&["offer"], "`offer`")?,
        need(&["variant"], "`variant`")?,
        need(
            &["views", "event count", "event_count", "eventcount"],
            "`views`",
        )?,
    );
    let mut rows = Rows {
        path,
        notes,
        bad: 0,
    };
    let mut record = csv::ByteRecord::new();
    while let Some(row) = next_row(&mut reader, &mut record, headers.len(), &mut rows) {
        let Some(line) = row else { continue };
        let (Ok(offer), Ok(variant), Ok(count)) = (
            std::str::from_utf8(&record[o]),
            std::str::from_utf8(&record[v]),
            std::str::from_utf8(&record[n]),
        ) else {
            rows.bad(line, "the row is not valid UTF-8".into(), None);
            continue;
        };
        let (offer, variant, count) = (offer.trim(), variant.trim(), count.trim());
        if offer.is_empty() {
            rows.bad(line, "the row has no offer".into(), None);
            continue;
        }
        let Ok(count) = count.parse::<u64>() else {
            rows.bad(
                line,
                format!("views `{count}` is not a whole number"),
                Some("write the count as digits only, e.g. 10000".into()),
            );
            continue;
        };
        if let Some((message, help)) = unknown(known, offer, variant) {
            rows.bad(line, message, help);
            continue;
        }
        let c = tally.entry(offer, variant);
        c.views = c.views.saturating_add(count);
    }
    rows.finish();
    Ok(())
}

/// Reads the next CSV record into `record`: `None` at the end, `Some(None)`
/// for a row that does not parse or has the wrong number of fields (reported
/// with its line and skipped), else `Some(line)`.
fn next_row(
    reader: &mut csv::Reader<&[u8]>,
    record: &mut csv::ByteRecord,
    fields: usize,
    rows: &mut Rows,
) -> Option<Option<u64>> {
    let line = reader.position().line();
    match reader.read_byte_record(record) {
        Ok(false) => return None,
        Ok(true) => {}
        Err(e) => {
            rows.bad(
                line_of(&e, line),
                format!("the row does not parse: {e}"),
                None,
            );
            return Some(None);
        }
    }
    let line = record.position().map_or(line, csv::Position::line);
    if record.len() != fields {
        rows.bad(
            line,
            format!("the row has {} fields, the header {fields}", record.len()),
            Some("quote fields that contain a comma".into()),
        );
        return Some(None);
    }
    Some(Some(line))
}

fn line_of(e: &csv::Error, fallback: u64) -> u64 {
    e.position().map_or(fallback, csv::Position::line)
}

/// Adds the leads of `path`: JSON lines (a capture of `lander serve`) when
/// the file starts with `{`, else CSV with `offer` and `variant` columns.
pub fn leads(
    path: &Path,
    known: Option<&Known>,
    tally: &mut Tally,
    notes: &mut Notes,
) -> Result<(), Diagnostics> {
    let bytes = read_text(path, "leads file")?;
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
    let mut rows = Rows {
        path,
        notes,
        bad: 0,
    };
    let mut seen = Seen::default();
    if first == Some(b'{') {
        leads_jsonl(&bytes, known, tally, &mut rows, &mut seen);
    } else {
        leads_csv(path, &bytes, known, tally, &mut rows, &mut seen)?;
    }
    rows.finish();
    Ok(())
}

/// The (offer, email) pairs already counted, as 128-bit digests: a
/// million leads then cost no allocation each.
#[derive(Default)]
struct Seen {
    digests: HashSet<[u8; 16]>,
    buf: Vec<u8>,
}

impl Seen {
    /// Whether the pair is new (emails compared without case).
    fn first(&mut self, offer: &str, email: &str) -> bool {
        self.buf.clear();
        self.buf.extend_from_slice(offer.as_bytes());
        // A NUL between the two: neither an id nor an address holds one.
        self.buf.push(0);
        self.buf
            .extend(email.bytes().map(|b| b.to_ascii_lowercase()));
        let hash = blake3::hash(&self.buf);
        let mut key = [0u8; 16];
        key.copy_from_slice(&hash.as_bytes()[..16]);
        self.digests.insert(key)
    }
}

/// Counts one lead, once per offer and email address.
fn count_lead(
    tally: &mut Tally,
    rows: &mut Rows,
    seen: &mut Seen,
    offer: &str,
    variant: &str,
    email: Option<&str>,
) {
    if let Some(email) = email.map(str::trim).filter(|e| !e.is_empty()) {
        if !seen.first(offer, email) {
            rows.notes.repeats += 1;
            return;
        }
    }
    let c = tally.entry(offer, variant);
    c.leads += 1;
}

fn leads_jsonl(
    bytes: &[u8],
    known: Option<&Known>,
    tally: &mut Tally,
    rows: &mut Rows,
    seen: &mut Seen,
) {
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = i as u64 + 1;
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let record: Value = match serde_json::from_slice(raw) {
            Ok(v @ Value::Object(_)) => v,
            Ok(_) => {
                rows.bad(line, "the line is not a JSON object".into(), None);
                continue;
            }
            Err(e) => {
                rows.bad(line, format!("the line is not JSON: {e}"), None);
                continue;
            }
        };
        if record.get("spam").and_then(Value::as_bool) == Some(true) {
            rows.notes.spam += 1;
            continue;
        }
        let fields = record.get("fields");
        // The record's own key first (the capture writes `offer` at the top),
        // then the form's field.
        let text = |key: &str| {
            record
                .get(key)
                .filter(|v| !v.is_null())
                .or_else(|| fields.and_then(|f| f.get(key)))
                .and_then(first_text)
        };
        let Some(offer) = text("offer").filter(|o| !o.trim().is_empty()) else {
            rows.bad(
                line,
                "the submission has no `offer`".into(),
                Some("only the forms of offers are counted as leads".into()),
            );
            continue;
        };
        let variant = text("variant").unwrap_or_default();
        let (offer, variant) = (offer.trim(), variant.trim());
        if let Some((message, help)) = unknown(known, offer, variant) {
            rows.bad(line, message, help);
            continue;
        }
        count_lead(tally, rows, seen, offer, variant, text("email"));
    }
}

/// A field's text: the value, or the first of a repeated field.
fn first_text(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) => Some(s),
        Value::Array(items) => items.first().and_then(Value::as_str),
        _ => None,
    }
}

fn leads_csv(
    path: &Path,
    bytes: &[u8],
    known: Option<&Known>,
    tally: &mut Tally,
    rows: &mut Rows,
    seen: &mut Seen,
) -> Result<(), Diagnostics> {
    let mut reader = csv_reader(bytes);
    let headers = reader
        .byte_headers()
        .map_err(|e| Diagnostic::error(format!("the CSV does not parse: {e}")).in_file(path))?
        .clone();
    let o = column(&headers, &["offer"]).ok_or_else(|| {
        let mut d = missing_columns(path, "`offer`", &headers);
        d.0[0].help = Some(
            "export the `offer` and `variant` fields of your contacts (the hidden fields of lander's forms), or give the capture file of lander serve"
                .into(),
        );
        d
    })?;
    let v = column(&headers, &["variant"]);
    // "email", "Email Address", "email_address"…
    let email = headers.iter().position(|h| {
        String::from_utf8_lossy(h)
            .to_ascii_lowercase()
            .contains("email")
    });
    let mut record = csv::ByteRecord::new();
    while let Some(row) = next_row(&mut reader, &mut record, headers.len(), rows) {
        let Some(line) = row else { continue };
        let field = |i: usize| std::str::from_utf8(&record[i]).map(str::trim);
        let (Ok(offer), Ok(variant)) = (field(o), v.map_or(Ok(""), field)) else {
            rows.bad(line, "the row is not valid UTF-8".into(), None);
            continue;
        };
        if offer.is_empty() {
            rows.bad(line, "the row has no offer".into(), None);
            continue;
        }
        if let Some((message, help)) = unknown(known, offer, variant) {
            rows.bad(line, message, help);
            continue;
        }
        let email = email.and_then(|i| field(i).ok());
        count_lead(tally, rows, seen, offer, variant, email);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_views(text: &str) -> (OfferCounts, Notes) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("views.csv");
        std::fs::write(&p, text).unwrap();
        let (mut t, mut n) = (Tally::default(), Notes::default());
        views(&p, None, &mut t, &mut n).unwrap();
        (t.into_sorted(), n)
    }

    #[test]
    fn views_are_summed_in_file_order() {
        let (t, n) = read_views("offer,variant,views\nb,y,2\na,x,1\nb,y,3\nb,z,4\n");
        assert_eq!(n.skipped, 0);
        assert_eq!(t[0].0, "b");
        assert_eq!(t[0].1[0].0, "y");
        assert_eq!(t[0].1[0].1.views, 5);
        assert_eq!(t[0].1[1].0, "z");
        assert_eq!(t[1].0, "a");
    }

    #[test]
    fn bad_rows_are_located_and_skipped() {
        let (t, n) = read_views("# GA4\noffer,variant,views\na,x,1\na,x,lots\na,x\n,x,3\n");
        assert_eq!(t[0].1[0].1.views, 1);
        assert_eq!(n.skipped, 3);
        let lines: Vec<_> = n.warnings.0.iter().map(|d| d.line).collect();
        assert_eq!(lines, [Some(4), Some(5), Some(6)]);
    }

    #[test]
    fn unknown_variant_suggests_the_closest() {
        let known: Known = [(
            "pop".to_string(),
            vec!["amount".to_string(), "percent".to_string()],
        )]
        .into_iter()
        .collect();
        let (msg, help) = unknown(Some(&known), "pop", "amout").unwrap();
        assert!(msg.contains("no variant `amout`"), "{msg}");
        assert_eq!(help.as_deref(), Some("did you mean `amount`?"));
        assert!(unknown(Some(&known), "pop", "amount").is_none());
        assert!(unknown(None, "x", "y").is_none());
    }
}
