//! The `lander` binary: parse arguments, run the command, print what it
//! returns, exit with 0 (success), 1 (build or input errors) or 2 (usage).

use std::process::ExitCode;

use clap::Parser;

use lander::check::formats as check_formats;
use lander::check::report as check_report;
use lander::cli::{CheckFormat, Cli, Command, ReportFormat};
use lander::cmd;
use lander::error::Diagnostics;
use lander::funnel::summary as funnel_summary;
use lander::report as lander_report;

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(errs) => {
            report(&errs);
            ExitCode::from(1)
        }
    }
}

fn run(command: Command) -> Result<ExitCode, Diagnostics> {
    match command {
        Command::Init(args) => {
            let files = cmd::init::init(&args.dir, args.force)?;
            println!(
                "Created a new site in {} ({} files).",
                args.dir.display(),
                files.len()
            );
            println!("Next: lander build --root {}", args.dir.display());
        }
        Command::New(args) => {
            let today = chrono::Local::now().format("%Y-%m-%d").to_string();
            let rel = cmd::new::new(&args.root, args.kind, &args.name, &today)?;
            println!("Created {}", args.root.join(rel).display());
        }
        Command::Build(args) => {
            let opts = cmd::build::BuildOptions {
                cards_svg: args.cards_svg,
                ..args.site.into_options(args.output)
            };
            let summary = cmd::build::build(&opts)?;
            for w in summary.warnings.warnings() {
                eprintln!("{w}");
            }
            if args.timings {
                for (phase, took) in &summary.timings {
                    println!("  {phase:<11} {:>8.1} ms", took.as_secs_f64() * 1000.0);
                }
                // Pages are minified and written while others render: these
                // run inside `templates`, summed over the threads.
                for (phase, took) in &summary.thread_times {
                    let phase = format!("{phase}*");
                    println!("  {phase:<11} {:>8.1} ms", took.as_secs_f64() * 1000.0);
                }
                println!("  * within templates, summed over the threads");
                if let Some(peak) = lander::cmd::build::peak_memory() {
                    println!("  peak memory {:>6} MiB", peak / (1024 * 1024));
                }
            }
            // What the image and card stages did, on the same line.
            let mut done = Vec::new();
            let images = summary.images;
            if images.images > 0 {
                done.push(format!(
                    "{} images: {} encoded into {} files, {} from the cache",
                    images.images,
                    images.encoded,
                    images.files,
                    images.images - images.encoded
                ));
            }
            let cards = summary.cards;
            if cards.rendered + cards.cached > 0 {
                done.push(format!(
                    "{} social cards: {} drawn, {} from the cache",
                    cards.rendered + cards.cached,
                    cards.rendered,
                    cards.cached
                ));
            }
            let images = if done.is_empty() {
                String::new()
            } else {
                format!(" ({})", done.join("; "))
            };
            println!(
                "Built {} pages in {} ms -> {}/{images}",
                summary.pages,
                summary.elapsed.as_millis(),
                summary.output.display()
            );
        }
        Command::Serve(args) => cmd::serve::serve(&cmd::serve::ServeArgs {
            root: args.root,
            bind: args.bind,
            port: args.port,
            capture_forms: !args.no_capture_forms,
        })?,
        Command::Check(args) => {
            let root = args.site.root.clone();
            let checked = cmd::check::check(&args.site.into_options(None));
            match args.format {
                CheckFormat::Text => print!(
                    "{}",
                    check_report::text(&checked, check_report::color_wanted())
                ),
                CheckFormat::Json => print!("{}", check_report::json(&checked)),
                CheckFormat::Github | CheckFormat::Sarif | CheckFormat::Junit => {
                    let prefix = cmd::check::repo_prefix(&root);
                    let text = match args.format {
                        CheckFormat::Github => check_formats::github(&checked, &prefix),
                        CheckFormat::Sarif => check_formats::sarif(&checked, &prefix),
                        _ => check_formats::junit(&checked, &prefix),
                    };
                    print!("{text}");
                }
            }
            if checked.fails(args.strict) {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Funnel(args) => {
            let mut funnel = cmd::funnel::funnel(&args.site.into_options(None))?;
            if let Some(path) = &args.report {
                for w in cmd::funnel::overlay_report(&mut funnel, path)?.warnings() {
                    eprintln!("{w}");
                }
            }
            match &args.output {
                Some(dir) => {
                    for path in cmd::funnel::write(&funnel, dir)? {
                        println!("Wrote {}", path.display());
                    }
                    println!(
                        "{} in the funnel",
                        check_report::plural(funnel.gaps.len(), "gap")
                    );
                }
                None => print!("{}", funnel_summary::text(&funnel)),
            }
        }
        Command::Report(args) => {
            let run = cmd::report::report(&cmd::report::ReportOptions {
                root: args.root,
                leads: args.leads,
                views: args.views,
            })?;
            for w in run.warnings.warnings() {
                eprintln!("{w}");
            }
            let text = match args.format {
                ReportFormat::Text => lander_report::text::text(&run.report),
                ReportFormat::Json => lander_report::json::json(&run.report),
                ReportFormat::Html => lander_report::html::html(&run.report),
            };
            match &args.output {
                Some(path) => {
                    cmd::report::write(path, &text)?;
                    eprintln!("Wrote {}", path.display());
                }
                None => print!("{text}"),
            }
            if let Some(saved) = &run.saved {
                eprintln!("Saved {} (lander check reads it)", saved.display());
            }
            if args.strict && run.report.skipped_rows > 0 {
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn report(errs: &Diagnostics) {
    for d in &errs.0 {
        eprintln!("{d}");
    }
    let n = errs.errors().count();
    if n > 0 {
        eprintln!(
            "error: stopped with {n} error{}; nothing was written, the previous output is unchanged",
            if n == 1 { "" } else { "s" }
        );
    }
}
