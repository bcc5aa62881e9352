//! Local form capture: `lander serve` points every form at itself and
//! stores what is posted as JSON lines in `SITE/.lander/submissions.jsonl`,
//! so forms and quizzes can be tried without a backend.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde_json::{Map, Value};

/// Where submissions go, relative to the site root.
pub const CAPTURE_FILE: &str = ".lander/submissions.jsonl";

/// Fields the form adds for providers, not typed by the visitor.
const REDIRECT_FIELDS: [&str; 2] = ["_redirect", "_next"];
const HONEYPOTS: [&str; 4] = ["_honey", "_gotcha", "bot-field", "email_address_check"];

/// A parsed submission.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    /// Field name → value (a list when a name was sent more than once).
    pub fields: Map<String, Value>,
}

impl Submission {
    /// Parses a request body as sent by a form: urlencoded (no JavaScript,
    /// or the theme's script), a JSON object (the `json` provider), or the
    /// JSON of HubSpot's and Klaviyo's APIs (`providers.js`), flattened
    /// to the names sent.
    pub fn parse(content_type: &str, body: &[u8]) -> Result<Submission, String> {
        let mime = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let mut fields = Map::new();
        match mime.as_str() {
            "application/json" | "application/vnd.api+json" => {
                match serde_json::from_slice::<Value>(body) {
                    Ok(Value::Object(map)) => fields = flatten_vendor_json(map),
                    Ok(_) => return Err("the JSON body is not an object".into()),
                    Err(e) => return Err(format!("the JSON body does not parse: {e}")),
                }
            }
            "application/x-www-form-urlencoded" | "" => {
                for (k, v) in url::form_urlencoded::parse(body) {
                    let v = Value::String(v.into_owned());
                    match fields.get_mut(k.as_ref()) {
                        Some(Value::Array(list)) => list.push(v),
                        Some(first) => *first = Value::Array(vec![first.clone(), v]),
                        None => {
                            fields.insert(k.into_owned(), v);
                        }
                    }
                }
            }
            other => {
                return Err(format!(
                    "forms are captured as urlencoded or JSON, not `{other}`"
                ))
            }
        }
        Ok(Submission { fields })
    }

    /// A field by lander's name, or as Kit (`fields[offer]`) or Brevo
    /// (`OFFER`) name it.
    fn text(&self, key: &str) -> Option<&str> {
        [
            key.to_string(),
            format!("fields[{key}]"),
            key.to_ascii_uppercase(),
        ]
        .iter()
        .find_map(|k| {
            self.fields
                .get(k)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
        })
    }

    /// The offer the form belongs to (a hidden field of every lander form).
    pub fn offer(&self) -> Option<&str> {
        self.text("offer")
    }

    /// A bot filled the hidden honeypot field.
    pub fn is_spam(&self) -> bool {
        HONEYPOTS.iter().any(|h| self.text(h).is_some())
    }

    /// Where a browser without JavaScript goes next: the form's redirect
    /// field (only its path: never to another site), else the offer's
    /// thank-you page, else `fallback`.
    pub fn redirect(&self, base_path: &str, fallback: &str) -> String {
        if let Some(to) = REDIRECT_FIELDS.iter().find_map(|f| self.text(f)) {
            if let Some(path) = local_path(to) {
                return path;
            }
        }
        if let Some(offer) = self.offer() {
            if offer
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return format!("{base_path}/offers/{offer}/thanks/");
            }
        }
        local_path(fallback).unwrap_or_else(|| format!("{base_path}/"))
    }

    /// One line of the capture file.
    pub fn record(&self, received: &str, page: Option<&str>) -> Value {
        let mut record = Map::new();
        record.insert("received".into(), received.into());
        record.insert(
            "offer".into(),
            self.offer().map_or(Value::Null, |o| o.into()),
        );
        record.insert(
            "page".into(),
            self.text("page").or(page).map_or(Value::Null, |p| p.into()),
        );
        record.insert("spam".into(), self.is_spam().into());
        record.insert("fields".into(), Value::Object(self.fields.clone()));
        Value::Object(record)
    }

    /// `email=… first_name=…`: what the terminal shows of a submission.
    pub fn summary(&self) -> String {
        let skip = |k: &str| {
            // Kit's `fields[offer]`, Brevo's `OFFER`: lander's own fields too.
            let k = &crate::content::form::base_name(k).to_ascii_lowercase();
            let k = k.as_str();
            k.starts_with('_')
                || HONEYPOTS.contains(&k)
                || k.starts_with("utm_")
                || [
                    "offer",
                    "variant",
                    "stage",
                    "page",
                    "lang",
                    "referrer",
                    "form-name",
                ]
                .contains(&k)
        };
        let mut parts: Vec<String> = self
            .fields
            .iter()
            .filter(|(k, v)| !skip(k) && v.as_str() != Some(""))
            .map(|(k, v)| match v {
                Value::String(s) => format!("{k}={s}"),
                other => format!("{k}={other}"),
            })
            .collect();
        if parts.is_empty() {
            parts.push("(no fields)".into());
        }
        parts.join(" ")
    }
}

/// HubSpot's `{fields: [{name, value}], context: {pageUri}}` and Klaviyo's
/// `{data: {attributes: {profile: {data: {attributes: {email, …,
/// properties}}}}}}` as plain fields; any other object as it is.
fn flatten_vendor_json(map: Map<String, Value>) -> Map<String, Value> {
    if let (Some(Value::Array(list)), Some(context)) = (map.get("fields"), map.get("context")) {
        let mut out = Map::new();
        for f in list {
            if let (Some(name), Some(value)) = (f["name"].as_str(), f.get("value")) {
                out.insert(name.to_string(), value.clone());
            }
        }
        if let Some(path) = context["pageUri"].as_str().and_then(local_path) {
            let path = path.split('?').next().unwrap_or_default().to_string();
            out.entry("page").or_insert(path.into());
        }
        return out;
    }
    let profile =
        &map.get("data").unwrap_or(&Value::Null)["attributes"]["profile"]["data"]["attributes"];
    if let Value::Object(attributes) = profile {
        let mut out = Map::new();
        for (k, v) in attributes {
            match (k.as_str(), v) {
                ("properties", Value::Object(props)) => {
                    out.extend(props.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
                _ => {
                    out.insert(k.clone(), v.clone());
                }
            }
        }
        return out;
    }
    map
}

/// The path (and query) of a same-site or absolute URL; `None` for
/// anything that is not a plain path.
fn local_path(to: &str) -> Option<String> {
    if to.starts_with('/') && !to.starts_with("//") && !to.contains('\\') {
        return Some(to.to_string());
    }
    let url = url::Url::parse(to).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    Some(match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    })
}

/// Appends submissions to the capture file, one JSON object per line.
pub struct Sink {
    path: PathBuf,
    lock: Mutex<()>,
}

impl Sink {
    pub fn new(root: &Path) -> Sink {
        Sink {
            path: root.join(CAPTURE_FILE),
            lock: Mutex::new(()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn append(&self, record: &Value) -> std::io::Result<()> {
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut line = serde_json::to_string(record).map_err(std::io::Error::other)?;
        line.push('\n');
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        file.write_all(line.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlencoded_fields_with_repeats() {
        let s = Submission::parse(
            "application/x-www-form-urlencoded; charset=UTF-8",
            b"email=a%40b.co&offer=spring&taste=green&taste=fruity&_honey=",
        )
        .unwrap();
        assert_eq!(s.fields["email"], "a@b.co");
        assert_eq!(s.fields["taste"], serde_json::json!(["green", "fruity"]));
        assert_eq!(s.offer(), Some("spring"));
        assert!(!s.is_spam());
        assert_eq!(s.summary(), "email=a@b.co taste=[\"green\",\"fruity\"]");
    }

    #[test]
    fn json_objects_only() {
        let s = Submission::parse("application/json", br#"{"email":"a@b.co","n":3}"#).unwrap();
        assert_eq!(s.fields["n"], 3);
        assert!(Submission::parse("application/json", b"[1]").is_err());
        assert!(Submission::parse("multipart/form-data; boundary=x", b"").is_err());
    }

    #[test]
    fn vendor_shapes_are_captured_by_their_names() {
        let hubspot = br#"{"fields":[{"objectTypeId":"0-1","name":"email","value":"a@b.co"},{"objectTypeId":"0-1","name":"offer","value":"guide"}],"context":{"pageUri":"http://127.0.0.1:1111/blog/x/?utm_source=n","pageName":"X"}}"#;
        let s = Submission::parse("application/json", hubspot).unwrap();
        assert_eq!(s.fields["email"], "a@b.co");
        assert_eq!(s.offer(), Some("guide"));
        assert_eq!(s.record("t", None)["page"], "/blog/x/");
        let klaviyo = br#"{"data":{"type":"subscription","attributes":{"profile":{"data":{"type":"profile","attributes":{"email":"a@b.co","properties":{"offer":"pop"}}}}}}}"#;
        let s = Submission::parse("application/vnd.api+json", klaviyo).unwrap();
        assert_eq!(s.fields["email"], "a@b.co");
        assert_eq!(s.offer(), Some("pop"));
        let kit = Submission::parse("", b"email_address=a%40b.co&fields%5Boffer%5D=guide").unwrap();
        assert_eq!(kit.offer(), Some("guide"));
        let brevo =
            Submission::parse("", b"EMAIL=a%40b.co&OFFER=guide&email_address_check=x").unwrap();
        assert_eq!(brevo.offer(), Some("guide"));
        assert!(brevo.is_spam());
    }

    #[test]
    fn redirects_stay_on_the_dev_server() {
        let s = |body: &str| Submission::parse("", body.as_bytes()).unwrap();
        assert_eq!(
            s("_redirect=http%3A%2F%2F127.0.0.1%3A1111%2Foffers%2Fa%2Fthanks%2F").redirect("", "/"),
            "/offers/a/thanks/"
        );
        assert_eq!(
            s("_next=https%3A%2F%2Fevil.example%2Fphish").redirect("", "/"),
            "/phish"
        );
        assert_eq!(
            s("offer=spring").redirect("/shop", "/"),
            "/shop/offers/spring/thanks/"
        );
        assert_eq!(s("offer=..%2F..").redirect("", "/x/"), "/x/");
        assert_eq!(s("_redirect=%2F%2Fevil.example").redirect("", "/"), "/");
        assert_eq!(s("_redirect=javascript%3Aalert(1)").redirect("", "/"), "/");
    }

    #[test]
    fn records_say_offer_page_and_spam() {
        let s = Submission::parse("", b"offer=quiz&page=%2Fquiz%2F&bot-field=x").unwrap();
        let r = s.record("2025-01-01T00:00:00Z", Some("/other/"));
        assert_eq!(r["offer"], "quiz");
        assert_eq!(r["page"], "/quiz/");
        assert_eq!(r["spam"], true);
    }

    #[test]
    fn the_sink_appends_lines() {
        let dir = tempfile::tempdir().unwrap();
        let sink = Sink::new(dir.path());
        sink.append(&serde_json::json!({"a": 1})).unwrap();
        sink.append(&serde_json::json!({"a": 2})).unwrap();
        let text = std::fs::read_to_string(dir.path().join(CAPTURE_FILE)).unwrap();
        assert_eq!(text, "{\"a\":1}\n{\"a\":2}\n");
    }
}
