//! The site's data files: `data/**/*.{yaml,yml,json,toml,csv}`, each parsed
//! strictly (a mistake names the file and line), then put together into
//! one tree that every template gets as `data`: `data/team.yaml` is
//! `data.team`, `data/prices/oils.csv` is `data.prices.oils` (a list of
//! rows, each a map from the header's names to the cells).

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::base::text::line_col;
use crate::config::utf8::decode_utf8;
use crate::error::{Diagnostic, Diagnostics};

pub const EXTENSIONS: [&str; 5] = ["yaml", "yml", "json", "toml", "csv"];

/// A file under `data/` that lander reads (others are left alone).
pub fn is_data_file(rel: &Path) -> bool {
    rel.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e))
}

/// Reads and parses `data/<rel>`.
pub fn read(root: &Path, rel: &Path) -> Result<Value, Diagnostic> {
    let source = Path::new("data").join(rel);
    let text = std::fs::read(root.join(&source))
        .map_err(|e| Diagnostic::io(&source, "read the data file", &e))
        .and_then(|b| decode_utf8(b, &source))?;
    let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or_default();
    parse(&text, ext).map_err(|(line, column, message)| {
        Diagnostic::error(format!("the data file cannot be read: {message}"))
            .in_file(&source)
            .at(line, column)
            .with_help(format!(
                "fix the {} syntax at this line",
                ext.to_uppercase()
            ))
    })
}

/// A file's text as a value, or the line, column and message of the mistake.
fn parse(text: &str, ext: &str) -> Result<Value, (usize, usize, String)> {
    match ext {
        "json" => serde_json::from_str(text).map_err(|e| (e.line(), e.column(), e.to_string())),
        "toml" => toml::from_str::<Value>(text)
            .map(toml_dates_as_strings)
            .map_err(|e| {
                let (line, column) = e.span().map_or((1, 1), |span| line_col(text, span.start));
                (line, column, e.message().to_string())
            }),
        "csv" => parse_csv(text),
        _ => {
            // An empty file is an empty map, not null.
            if text.trim().is_empty() {
                return Ok(Value::Object(Map::new()));
            }
            serde_yaml::from_str(text).map_err(|e| {
                let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
                (line, column, e.to_string())
            })
        }
    }
}

/// The key under which the `toml` crate hands over a date or time.
const TOML_DATETIME: &str = "$__toml_private_datetime";

/// TOML dates and times as the ISO 8601 strings they are written as (the
/// `toml` crate hands them over as one-key maps).
fn toml_dates_as_strings(value: Value) -> Value {
    match value {
        Value::Object(map) if map.len() == 1 && map.contains_key(TOML_DATETIME) => {
            map.into_iter().next().map_or(Value::Null, |(_, date)| date)
        }
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, toml_dates_as_strings(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(toml_dates_as_strings).collect()),
        other => other,
    }
}

/// Rows of a CSV file with a header, as maps from the header's names.
fn parse_csv(text: &str) -> Result<Value, (usize, usize, String)> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let at = |e: &csv::Error| e.position().map_or(1, |p| p.line() as usize);
    let headers = reader
        .headers()
        .map_err(|e| (at(&e), 1, e.to_string()))?
        .clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| (at(&e), 1, e.to_string()))?;
        let row: Map<String, Value> = headers
            .iter()
            .zip(record.iter())
            .map(|(h, v)| (h.to_string(), Value::String(v.to_string())))
            .collect();
        rows.push(Value::Object(row));
    }
    Ok(Value::Array(rows))
}

/// Puts every file's value at its place in one tree. Two files for one
/// name (`team.yaml` and `team.json`, or `team.yaml` and a `team/`
/// folder) are an error.
pub fn tree(files: Vec<(PathBuf, Value)>) -> Result<Value, Diagnostics> {
    let mut root = Map::new();
    let mut errs = Diagnostics::default();
    for (rel, value) in files {
        let mut keys: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let Some(last) = keys.pop() else { continue };
        let name = last
            .rsplit_once('.')
            .map_or(last.as_str(), |(stem, _)| stem)
            .to_string();
        if !place(&mut root, &keys, name, value) {
            errs.push(
                Diagnostic::error("two data files for one name: another file or folder has it")
                    .in_file(Path::new("data").join(&rel))
                    .with_help("rename one: each data file and folder needs its own name"),
            );
        }
    }
    if errs.has_errors() {
        Err(errs)
    } else {
        Ok(Value::Object(root))
    }
}

/// Inserts `value` as `name` under the folders `keys`; false when a value
/// is already there.
fn place(map: &mut Map<String, Value>, keys: &[String], name: String, value: Value) -> bool {
    match keys.split_first() {
        None if map.contains_key(&name) => false,
        None => {
            map.insert(name, value);
            true
        }
        Some((key, rest)) => match map
            .entry(key.clone())
            .or_insert_with(|| Value::Object(Map::new()))
        {
            Value::Object(inner) => place(inner, rest, name, value),
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_reports_its_line() {
        assert_eq!(parse("a: 1\nb: [2\n", "yaml").unwrap_err().0, 3);
        assert_eq!(parse("{\n\"a\": 1,\n}", "json").unwrap_err().0, 3);
        assert_eq!(parse("a = 1\nb = \n", "toml").unwrap_err().0, 2);
        assert_eq!(parse("name,role\nAda,CTO\nBob\n", "csv").unwrap_err().0, 3);
    }

    #[test]
    fn csv_rows_are_maps_and_files_nest() {
        let rows = parse("name,price\nArbequina,12\n", "csv").unwrap();
        let t = tree(vec![
            (PathBuf::from("prices/oils.csv"), rows),
            (
                PathBuf::from("team.toml"),
                parse("lead = \"Ada\"", "toml").unwrap(),
            ),
        ])
        .unwrap();
        assert_eq!(t["prices"]["oils"][0]["price"], "12");
        assert_eq!(t["team"]["lead"], "Ada");
    }

    #[test]
    fn toml_dates_are_strings() {
        let v = parse(
            "opens = 2026-03-01\n[[sale]]\nends = 2026-03-08T23:59:00Z\n",
            "toml",
        )
        .unwrap();
        assert_eq!(v["opens"], "2026-03-01");
        assert_eq!(v["sale"][0]["ends"], "2026-03-08T23:59:00Z");
    }

    #[test]
    fn one_name_twice_is_an_error() {
        let t = tree(vec![
            (PathBuf::from("team.json"), Value::Null),
            (PathBuf::from("team.yaml"), Value::Null),
        ]);
        assert!(t.is_err());
    }
}
