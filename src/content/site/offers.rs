//! The checks of every offer's form against site.yaml, when the site is
//! assembled: endpoints (no plain http), vendor ids, provider conventions.

use crate::config::Config;
use crate::content::files::Broken;
use crate::content::form::Provider;
use crate::content::offer::Offer;
use crate::error::{Code, Diagnostic, Diagnostics};

pub(super) fn check_offers(
    offers: &[Offer],
    config: &Config,
    broken: &Broken,
    errs: &mut Diagnostics,
) {
    // The site-wide endpoint, or the one --form-endpoint puts in its place.
    match (&config.forms.endpoint_override, &config.forms.endpoint) {
        (Some(flag), _) if is_plain_http(&flag.0) => {
            errs.push(insecure_endpoint(&format!("--form-endpoint `{}`", flag.0)));
        }
        (None, Some(site)) if is_plain_http(&site.0) => errs.push(
            insecure_endpoint(&format!("the form endpoint `{}` (forms.endpoint)", site.0))
                .in_file(crate::config::CONFIG_FILE),
        ),
        _ => {}
    }
    let known = |id: &str| offers.binary_search_by(|o| o.id.as_str().cmp(id)).is_ok();
    for o in offers {
        if let Some(fallback) = o.def.schedule.as_ref().and_then(|s| s.fallback.as_deref()) {
            if (!known(fallback) && !broken.offers.iter().any(|b| b == fallback))
                || fallback == o.id
            {
                errs.push(
                    Diagnostic::error(format!("unknown fallback offer `{fallback}`"))
                        .in_file(&o.source)
                        .at(o.key_lines.line("schedule"), 1)
                        .with_help("name another offer of offers/, or remove `fallback`"),
                );
            }
        }
        if let Some(endpoint) = &o.def.form.endpoint {
            if is_plain_http(&endpoint.0) {
                errs.push(
                    insecure_endpoint(&format!("the form endpoint `{}`", endpoint.0))
                        .in_file(&o.source)
                        .at(o.key_lines.line("form"), 1),
                );
            }
        }
        let provider = o.def.form.provider.unwrap_or(config.forms.provider);
        let vendor_ready = check_vendor_ids(o, provider, config, errs);
        let has_endpoint = config.forms.endpoint_override.is_some()
            || o.def.form.endpoint.is_some()
            || config.forms.endpoint.is_some()
            || vendor_ready;
        if !has_endpoint && provider != Provider::Netlify {
            errs.push(
                Diagnostic::warning(format!("the form of offer `{}` has no endpoint: submissions would go nowhere", o.id))
                    .in_file(&o.source)
                    .at(o.key_lines.line("form"), 1)
                    .with_help("set forms.endpoint in site.yaml, form.endpoint in the offer, or build with --form-endpoint URL")
                    .with_code(Code::FormWithoutEndpoint),
            );
        }
        if let Some(endpoint) = o
            .def
            .form
            .endpoint
            .as_ref()
            .or(config.forms.endpoint.as_ref())
        {
            if provider == Provider::Brevo && !is_brevo_action(&endpoint.0) {
                errs.push(
                    Diagnostic::error(format!("`{}` is not a Brevo form action", endpoint.0))
                        .in_file(&o.source)
                        .at(o.key_lines.line("form"), 1)
                        .with_help("copy the action URL of your Brevo form (Contacts → Forms → the form → Share → HTML code): https://….sibforms.com/serve/…"),
                );
            }
            if provider == Provider::Mailchimp
                && !endpoint.0.contains("list-manage.com/subscribe/post")
            {
                errs.push(
                    Diagnostic::error(format!("`{}` is not a Mailchimp form action", endpoint.0))
                        .in_file(&o.source)
                        .at(o.key_lines.line("form"), 1)
                        .with_help("copy the action URL of your Mailchimp embedded form: https://…list-manage.com/subscribe/post?u=…&id=…"),
                );
            }
        }
    }
}

/// `https://<id>.sibforms.com/serve/…`, the action of a Brevo form.
fn is_brevo_action(endpoint: &str) -> bool {
    url::Url::parse(endpoint).is_ok_and(|u| {
        u.scheme() == "https"
            && u.host_str()
                .is_some_and(|h| h == "sibforms.com" || h.ends_with(".sibforms.com"))
            && u.path().starts_with("/serve/")
    })
}

/// The ids a vendor's address is made of, from the offer's `form:` over
/// site.yaml's `forms:`: each missing one is an error at the offer's
/// `form` (an endpoint of the offer or the site, a proxy, stands in for
/// HubSpot's and Kit's, not for Klaviyo's list). Returns whether lander
/// can make the vendor's address.
fn check_vendor_ids(
    o: &Offer,
    provider: Provider,
    config: &Config,
    errs: &mut Diagnostics,
) -> bool {
    let ids = o.def.form.vendor_ids().over(&config.forms.vendor_ids());
    let proxied = o.def.form.endpoint.is_some() || config.forms.endpoint.is_some();
    let (key, missing, help): (&str, Vec<&str>, &str) = match provider {
        Provider::Hubspot => {
            let h = ids.hubspot.unwrap_or_default();
            let mut m = Vec::new();
            if h.portal_id.is_none() {
                m.push("portal_id");
            }
            if h.form_guid.is_none() {
                m.push("form_guid");
            }
            (
                "hubspot",
                m,
                "both are in the form's address in HubSpot: app.hubspot.com/forms/PORTAL_ID/FORM_GUID/edit",
            )
        }
        Provider::Kit => {
            let k = ids.kit.unwrap_or_default();
            (
                "kit",
                if k.form_id.is_none() { vec!["form_id"] } else { Vec::new() },
                "it is in the form's embed code (HTML): action=\"https://app.kit.com/forms/FORM_ID/subscriptions\"",
            )
        }
        Provider::Klaviyo => {
            let k = ids.klaviyo.unwrap_or_default();
            let mut m = Vec::new();
            if k.public_key.is_none() {
                m.push("public_key");
            }
            if k.list_id.is_none() {
                m.push("list_id");
            }
            return if m.is_empty() {
                true
            } else {
                errs.push(missing_ids(o, provider, "klaviyo", &m, "the public key (site id) is under Settings → API keys, the list id under Lists & segments → the list → Settings"));
                false
            };
        }
        _ => return false,
    };
    if missing.is_empty() {
        return true;
    }
    if !proxied {
        errs.push(missing_ids(o, provider, key, &missing, help));
    }
    false
}

fn missing_ids(
    o: &Offer,
    provider: Provider,
    key: &str,
    missing: &[&str],
    help: &str,
) -> Diagnostic {
    let list = missing
        .iter()
        .map(|m| format!("`{m}`"))
        .collect::<Vec<_>>()
        .join(" and ");
    let example = missing
        .iter()
        .map(|m| format!("{m}: …"))
        .collect::<Vec<_>>()
        .join(", ");
    Diagnostic::error(format!(
        "the {} form of offer `{}` has no {list}",
        provider.name(),
        o.id
    ))
    .in_file(&o.source)
    .at(o.key_lines.line("form"), 1)
    .with_help(format!(
        "add `{key}: {{ {example} }}` to the offer's `form:` or to `forms:` in site.yaml; {help}"
    ))
}

/// An `http://` endpoint on another machine: submissions travel in clear.
pub fn is_plain_http(endpoint: &str) -> bool {
    match url::Url::parse(endpoint) {
        Ok(u) => {
            u.scheme() == "http"
                && !matches!(u.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"))
        }
        Err(_) => false,
    }
}

/// `what` names the endpoint: "the form endpoint `http://…`".
fn insecure_endpoint(what: &str) -> Diagnostic {
    Diagnostic::warning(format!(
        "{what} is not https: visitors' emails would travel unencrypted"
    ))
    .with_help("use the https:// address of your form backend")
    .with_code(Code::InsecureEndpoint)
}
