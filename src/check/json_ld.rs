//! `invalid-json-ld`: every `<script type="application/ld+json">` must be
//! JSON with a schema.org `@context` and a `@type`, and the types Google
//! shows as rich results must have the properties it requires.

use serde_json::{Map, Value};

use super::context::Ctx;
use super::{Finding, Found, Rule};

const HELP: &str = "JSON-LD is written by the templates from the front matter and site.yaml: \
                    fix the value it comes from or the template; test the page with \
                    https://search.google.com/test/rich-results";

pub fn check(ctx: &Ctx, out: &mut Vec<Found>) {
    for (doc, origin) in &ctx.docs {
        for script in &doc.json_ld {
            for (problem, help) in validate(script) {
                out.push(
                    ctx.loc(doc, *origin).put(
                        Finding::new(Rule::InvalidJsonLd, format!("invalid JSON-LD: {problem}"))
                            .with_help(help.unwrap_or(HELP)),
                    ),
                );
            }
        }
    }
}

type Problem = (String, Option<&'static str>);

/// The problems of one JSON-LD script: (message, specific help).
pub fn validate(text: &str) -> Vec<Problem> {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return vec![(format!("not valid JSON ({e})"), None)],
    };
    let mut problems = Vec::new();
    let items: Vec<&Value> = match &value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    if items.is_empty() {
        problems.push(("the script holds no item".to_string(), None));
    }
    for item in items {
        let Some(obj) = item.as_object() else {
            problems.push(("an item is not a JSON object".to_string(), None));
            continue;
        };
        let context = obj.get("@context");
        match obj.get("@graph") {
            Some(Value::Array(graph)) => {
                for node in graph {
                    match node.as_object() {
                        Some(node) => {
                            top_item(node, node.get("@context").or(context), &mut problems)
                        }
                        None => problems.push(("a @graph item is not a JSON object".into(), None)),
                    }
                }
            }
            Some(_) => problems.push(("`@graph` is not a list".into(), None)),
            None => top_item(obj, context, &mut problems),
        }
    }
    problems
}

fn top_item(obj: &Map<String, Value>, context: Option<&Value>, problems: &mut Vec<Problem>) {
    if !context.is_some_and(names_schema_org) {
        problems.push((
            "`@context` is missing or does not name https://schema.org".into(),
            None,
        ));
    }
    if types(obj).is_empty() {
        problems.push(("an item has no `@type`".into(), None));
        return;
    }
    item(obj, "", true, problems);
}

fn names_schema_org(context: &Value) -> bool {
    match context {
        Value::String(s) => s.contains("schema.org"),
        Value::Array(items) => items.iter().any(names_schema_org),
        Value::Object(o) => o.get("@vocab").is_some_and(names_schema_org),
        _ => false,
    }
}

fn types(obj: &Map<String, Value>) -> Vec<&str> {
    match obj.get("@type") {
        Some(Value::String(t)) if !t.trim().is_empty() => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn present(obj: &Map<String, Value>, key: &str) -> bool {
    match obj.get(key) {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(_) => true,
    }
}

/// A property as a list of objects (one object or a list of them).
fn objects<'a>(obj: &'a Map<String, Value>, key: &str) -> Vec<&'a Map<String, Value>> {
    match obj.get(key) {
        Some(Value::Object(o)) => vec![o],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_object).collect(),
        _ => Vec::new(),
    }
}

/// Checks one typed item, then the typed items inside it. `at` names where
/// it is ("" at the top, "Product › offers" inside).
fn item(obj: &Map<String, Value>, at: &str, top: bool, problems: &mut Vec<Problem>) {
    for t in types(obj) {
        let here = if at.is_empty() {
            t.to_string()
        } else {
            format!("{at} ({t})")
        };
        let mut missing = |what: &str, help: Option<&'static str>| {
            problems.push((format!("{here} has no {what}"), help));
        };
        match t {
            "Product" => {
                if !present(obj, "name") {
                    missing("`name`", None);
                }
                if !["offers", "review", "aggregateRating"]
                    .iter()
                    .any(|k| present(obj, k))
                {
                    missing(
                        "`offers`, `review` or `aggregateRating` (Google needs one of them)",
                        Some("give the product `price:` and `currency:`, or `rating:` or `reviews:`, in its front matter"),
                    );
                }
            }
            "Offer" => {
                let spec = objects(obj, "priceSpecification");
                if !present(obj, "price") && !spec.iter().any(|s| present(s, "price")) {
                    missing(
                        "`price`",
                        Some("give the product `price:` in its front matter"),
                    );
                }
                if !present(obj, "priceCurrency")
                    && !spec.iter().any(|s| present(s, "priceCurrency"))
                {
                    missing(
                        "`priceCurrency`",
                        Some("give the product `currency:` (e.g. EUR) in its front matter"),
                    );
                }
            }
            "AggregateOffer" => {
                for key in ["lowPrice", "priceCurrency"] {
                    if !present(obj, key) {
                        missing(&format!("`{key}`"), None);
                    }
                }
            }
            "AggregateRating" => {
                if !present(obj, "ratingValue") {
                    missing("`ratingValue`", None);
                }
                if !present(obj, "reviewCount") && !present(obj, "ratingCount") {
                    missing("`reviewCount` or `ratingCount`", None);
                }
            }
            "Review" => {
                if !present(obj, "author") {
                    missing("`author`", Some("give every review an `author:`"));
                }
                if !present(obj, "reviewRating") {
                    missing("`reviewRating`", Some("give every review a `rating:`"));
                }
            }
            "BlogPosting" | "Article" | "NewsArticle" if !present(obj, "headline") => {
                missing("`headline`", None);
            }
            "BreadcrumbList" => {
                let list = objects(obj, "itemListElement");
                if list.is_empty() {
                    missing("`itemListElement`", None);
                }
                for (n, li) in list.iter().enumerate() {
                    let nested = li.get("item").and_then(Value::as_object);
                    if !present(li, "position") {
                        missing(&format!("`position` in item {}", n + 1), None);
                    }
                    if !present(li, "name") && !nested.is_some_and(|o| present(o, "name")) {
                        missing(&format!("`name` in item {}", n + 1), None);
                    }
                    // Google allows the last crumb (the page itself) without a URL.
                    if n + 1 < list.len() && !present(li, "item") {
                        missing(&format!("`item` (its URL) in item {}", n + 1), None);
                    }
                }
            }
            "FAQPage" => {
                let questions = objects(obj, "mainEntity");
                if questions.is_empty() {
                    missing("`mainEntity` (the questions)", None);
                }
                for (n, q) in questions.iter().enumerate() {
                    if !present(q, "name") {
                        missing(&format!("`name` in question {}", n + 1), None);
                    }
                    let answers = objects(q, "acceptedAnswer");
                    if !answers.iter().any(|a| present(a, "text")) {
                        missing(
                            &format!("`acceptedAnswer` with `text` in question {}", n + 1),
                            None,
                        );
                    }
                }
            }
            "Organization" | "WebSite" => {
                if !present(obj, "name") {
                    missing("`name`", None);
                }
                // Nested (a publisher, a brand) a name is enough.
                if top && !present(obj, "url") {
                    missing("`url`", None);
                }
            }
            _ => {}
        }
    }
    let here = types(obj).first().copied().unwrap_or_default().to_string();
    for (key, value) in obj {
        let children: Vec<&Map<String, Value>> = match value {
            Value::Object(o) => vec![o],
            Value::Array(a) => a.iter().filter_map(Value::as_object).collect(),
            _ => continue,
        };
        for child in children.into_iter().filter(|c| !types(c).is_empty()) {
            let at = if at.is_empty() {
                format!("{here} › {key}")
            } else {
                format!("{at} › {key}")
            };
            item(child, &at, false, problems);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(text: &str) -> Vec<String> {
        validate(text).into_iter().map(|(m, _)| m).collect()
    }

    #[test]
    fn valid_items_pass() {
        let product = r#"{"@context":"https://schema.org","@type":"Product","name":"Oil",
            "offers":{"@type":"Offer","price":"14.50","priceCurrency":"EUR"},
            "aggregateRating":{"@type":"AggregateRating","ratingValue":4.8,"reviewCount":12},
            "review":[{"@type":"Review","author":{"@type":"Person","name":"Ann"},"reviewRating":{"@type":"Rating","ratingValue":5}}],
            "brand":{"@type":"Organization","name":"Oliva"}}"#;
        assert_eq!(messages(product), Vec::<String>::new());
        let graph = r#"{"@context":"https://schema.org","@graph":[
            {"@type":"WebSite","name":"S","url":"https://s.test/"},
            {"@type":"BreadcrumbList","itemListElement":[
                {"@type":"ListItem","position":1,"name":"Home","item":"https://s.test/"},
                {"@type":"ListItem","position":2,"name":"Blog"}]},
            {"@type":"FAQPage","mainEntity":[{"@type":"Question","name":"Q?","acceptedAnswer":{"@type":"Answer","text":"A."}}]}]}"#;
        assert_eq!(messages(graph), Vec::<String>::new());
    }

    #[test]
    fn problems_are_named() {
        assert!(messages("{oops")[0].starts_with("not valid JSON"));
        assert_eq!(
            messages(r#"{"@type":"Thing"}"#),
            ["`@context` is missing or does not name https://schema.org"]
        );
        assert_eq!(
            messages(r#"{"@context":"https://schema.org","name":"x"}"#),
            ["an item has no `@type`"]
        );
        assert_eq!(
            messages(
                r#"{"@context":"https://schema.org","@type":"Product","name":"Oil","offers":{"@type":"Offer","price":3}}"#
            ),
            ["Product › offers (Offer) has no `priceCurrency`"]
        );
        assert_eq!(
            messages(r#"{"@context":"https://schema.org","@type":"Product","name":"Oil"}"#),
            ["Product has no `offers`, `review` or `aggregateRating` (Google needs one of them)"]
        );
        assert_eq!(
            messages(
                r#"{"@context":"https://schema.org","@type":"FAQPage","mainEntity":[{"@type":"Question","name":"Q"}]}"#
            ),
            ["FAQPage has no `acceptedAnswer` with `text` in question 1"]
        );
        assert_eq!(
            messages(r#"[{"@context":"https://schema.org","@type":"Organization","name":"O"}]"#),
            ["Organization has no `url`"]
        );
    }
}
