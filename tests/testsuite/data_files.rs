//! Data files: `data/**/*.{yaml,json,toml,csv}` as `data.path.name` in every
//! template and shortcode, and their syntax errors reported at file:line
//! with exit code 1 and the last good output intact.

use crate::common::{snapshot, TestSite};

/// A site whose footer and a shortcode read data files of every format.
fn site() -> TestSite {
    TestSite::minimal()
        .file("data/team.yaml", "lead:\n  name: \"Ada <Lovelace>\"\n")
        .file("data/shop.json", "{\"phone\": \"+39 0742 000\"}")
        .file("data/hours.toml", "open = \"9:00\"\ndays = [\"Mon\", \"Tue\"]\n")
        .file(
            "data/prices/oils.csv",
            "name,price\nArbequina,12.50\n\"Moraiolo, early\",14\n",
        )
        .file(
            "templates/partials/footer.html",
            "<footer><p class=\"lead\">{{ data.team.lead.name }}</p><p class=\"phone\">{{ data.shop.phone }}</p><p class=\"hours\">{{ data.hours.open }} {{ data.hours.days | join(sep=\",\") }}</p></footer>",
        )
        .file(
            "templates/shortcodes/prices.html",
            "<table class=\"prices\"><tbody>{% for row in data.prices.oils %}<tr><td>{{ row.name }}</td><td>{{ row.price }}</td></tr>{% endfor %}</tbody></table>",
        )
        .file(
            "content/blog/a.md",
            "---\ntitle: A post\ndate: 2025-03-01\n---\nOur prices:\n\n{{ prices() }}\n",
        )
}

#[test]
fn every_format_is_data_in_templates_and_shortcodes() {
    let site = site();
    site.build(&[]).assert_ok();
    for rel in ["index.html", "blog/a/index.html"] {
        let page = site.html(rel);
        assert_eq!(page.text("footer .lead"), "Ada <Lovelace>", "{rel}");
        assert_eq!(page.text("footer .phone"), "+39 0742 000", "{rel}");
        assert_eq!(page.text("footer .hours"), "9:00 Mon,Tue", "{rel}");
    }
    let page = site.html("blog/a/index.html");
    let cells: Vec<String> = page
        .all("table.prices td")
        .iter()
        .map(|c| c.text().collect())
        .collect();
    assert_eq!(cells, ["Arbequina", "12.50", "Moraiolo, early", "14"]);
}

/// Breaks one data file of a good site: the error names it and its line.
#[track_caller]
fn assert_broken(rel: &str, text: &str, location: &str) {
    let site = site();
    site.build(&[]).assert_ok();
    let before = snapshot(&site.out());
    site.write(rel, text.as_bytes());
    site.build(&[])
        .assert_fails()
        .assert_stderr_has(&format!("error: {location}: the data file cannot be read"));
    assert_eq!(
        snapshot(&site.out()),
        before,
        "{rel}: the last good output stays"
    );
}

#[test]
fn yaml_errors_name_the_line() {
    assert_broken(
        "data/team.yaml",
        "lead:\n  name: [\"Ada\"\n  role: x\n",
        "data/team.yaml:3:3",
    );
}

#[test]
fn json_errors_name_the_line() {
    assert_broken(
        "data/shop.json",
        "{\n  \"phone\": \"1\",\n}\n",
        "data/shop.json:3:1",
    );
}

#[test]
fn toml_errors_name_the_line() {
    assert_broken(
        "data/hours.toml",
        "open = \"9:00\"\ndays = [\"Mon\"\n",
        "data/hours.toml:2:14",
    );
}

#[test]
fn csv_errors_name_the_line() {
    assert_broken(
        "data/prices/oils.csv",
        "name,price\nArbequina,12\nLeccino\n",
        "data/prices/oils.csv:3:1",
    );
}

#[test]
fn two_files_for_one_name_are_an_error() {
    let site = site().file("data/team.json", "{}");
    site.build(&[])
        .assert_fails()
        .assert_stderr_has("data/team.yaml: two data files for one name");
}
