//! The floor of a build: what any generator must spend on a site, measured
//! on the same machine as the tools. Reads every Markdown file under
//! `SITE/content`, renders its body with pulldown-cmark (the same options as
//! lander) on every core, and writes each page to `OUT/<n>/index.html`.
//! No templates, no front matter, no links: the part no generator avoids.
//!
//!     cargo build --release --example floor
//!     target/release/examples/floor SITE OUT
//!
//! Prints `floor: SECONDS s, PAGES pages`. `benches/bench.py` runs it beside
//! the tools when it is built.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let [_, site, out] = args.as_slice() else {
        eprintln!("usage: floor SITE OUT");
        return std::process::ExitCode::from(2);
    };
    let start = Instant::now();
    let files: Vec<PathBuf> = walkdir::WalkDir::new(Path::new(site).join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(walkdir::DirEntry::into_path)
        .collect();
    let out = Path::new(out);
    let written: Result<Vec<()>, std::io::Error> = files
        .par_iter()
        .enumerate()
        .map(|(n, path)| {
            let text = std::fs::read_to_string(path)?;
            // The body: what follows the closing `---` of the front matter.
            let body = text
                .strip_prefix("---")
                .and_then(|rest| rest.split_once("\n---").map(|(_, b)| b))
                .unwrap_or(&text);
            let mut html = String::with_capacity(body.len() * 3 / 2);
            let parser = pulldown_cmark::Parser::new_ext(body, lander::base::cmark::options());
            pulldown_cmark::html::push_html(&mut html, parser);
            let dir = out.join(n.to_string());
            std::fs::create_dir_all(&dir)?;
            std::fs::write(dir.join("index.html"), html)
        })
        .collect();
    if let Err(e) = written {
        eprintln!("floor: {e}");
        return std::process::ExitCode::FAILURE;
    }
    println!(
        "floor: {:.3} s, {} pages",
        start.elapsed().as_secs_f64(),
        files.len()
    );
    std::process::ExitCode::SUCCESS
}
