//! The `lander` binary: parse arguments, run the command, print what it
//! returns, exit with 0 (success), 1 (build or input errors) or 2 (usage).

use std::process::ExitCode;

use clap::Parser;

use lander::cli::{Cli, Command};
use lander::cmd;
use lander::error::Diagnostics;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(errs) => {
            report(&errs);
            ExitCode::from(1)
        }
    }
}

fn run(command: Command) -> Result<(), Diagnostics> {
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
            let summary = cmd::build::build(&cmd::build::BuildOptions {
                root: args.root,
                output: args.output,
                base_url: args.base_url,
                drafts: args.drafts,
                form_endpoint: args.form_endpoint,
                now: args.now,
            })?;
            for w in summary.warnings.warnings() {
                eprintln!("{w}");
            }
            println!(
                "Built {} pages in {} ms -> {}/",
                summary.pages,
                summary.elapsed.as_millis(),
                summary.output.display()
            );
        }
    }
    Ok(())
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
