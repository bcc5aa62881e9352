//! Command-line arguments → a [`Command`] with its options. No I/O here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::cmd::new::NewKind;

#[derive(Debug, Parser)]
#[command(
    name = "lander",
    version,
    about = "Static site generator for marketing sites: Markdown and YAML offers in, fast SEO-complete landing pages out.",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new site from the built-in starter (site.yaml, home, a post, a product, an offer)
    Init(InitArgs),
    /// Create a content file with commented front matter
    New(NewArgs),
    /// Build the site into the output folder (replaced only if the build succeeds)
    Build(BuildArgs),
    /// Serve the site locally: rebuilds on save, reloads the browser, shows errors, captures forms
    Serve(ServeArgs),
    /// Build in memory and report SEO, link, form and offer problems (for CI)
    Check(CheckArgs),
    /// Map the buyer's journey: pages, offers and calls-to-action by funnel stage, and the gaps
    Funnel(FunnelArgs),
    /// Which A/B variant won: views and leads per offer variant, conversion rates and significance
    Report(ReportArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create the site in
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Write into a folder that is not empty (files with the same names are overwritten)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// What to create
    #[arg(value_enum)]
    pub kind: NewKind,
    /// Name of the file (and of the slug), e.g. spring-harvest
    pub name: String,
    /// Site folder (the one with site.yaml)
    #[arg(short, long, default_value = ".")]
    pub root: PathBuf,
}

/// What `build`, `check` and `funnel` share: which site, for which URL and moment.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// Site folder (the one with site.yaml)
    #[arg(short, long, default_value = ".")]
    pub root: PathBuf,
    /// Absolute URL the site is served from, overriding base_url in site.yaml
    #[arg(short = 'u', long)]
    pub base_url: Option<String>,
    /// Include pages marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Send every form to this endpoint, overriding site.yaml and offers (e.g. staging)
    #[arg(long, value_name = "URL")]
    pub form_endpoint: Option<String>,
    /// Build as of this date or time (YYYY-MM-DD or RFC 3339), for offer schedules
    #[arg(long, value_name = "WHEN")]
    pub now: Option<String>,
}

impl SiteArgs {
    pub fn into_options(self, output: Option<PathBuf>) -> crate::config::options::BuildOptions {
        crate::config::options::BuildOptions {
            root: self.root,
            output,
            base_url: self.base_url,
            drafts: self.drafts,
            form_endpoint: self.form_endpoint,
            now: self.now,
            cards_svg: false,
        }
    }
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output folder [default: ROOT/<output_dir from site.yaml>, i.e. ROOT/public]
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Print the time spent in each phase (load, markdown, templates, write)
    #[arg(long)]
    pub timings: bool,
    /// Write the SVG of each generated social card beside its PNG
    /// (cards/NAME.svg), to see what a card template produced
    #[arg(long)]
    pub cards_svg: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Site folder (the one with site.yaml)
    #[arg(short, long, default_value = ".")]
    pub root: PathBuf,
    /// Port to listen on (0 picks a free one)
    #[arg(short, long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on; anything but a loopback address shows the site
    /// (drafts included) to your network
    #[arg(long, default_value = "127.0.0.1", value_name = "IP")]
    pub bind: std::net::IpAddr,
    /// Keep the forms' real endpoints instead of capturing submissions in
    /// ROOT/.lander/submissions.jsonl
    #[arg(long)]
    pub no_capture_forms: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// For people: grouped by file, coloured on a terminal
    Text,
    /// For tools: one JSON document
    Json,
    /// For GitHub Actions: workflow annotations (`::error file=…,line=…::…`)
    Github,
    /// For code scanning: SARIF 2.1.0, paths relative to the repository
    Sarif,
    /// For CI test reports: JUnit XML, a test suite per rule
    Junit,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: CheckFormat,
    /// Fail (exit code 1) on warnings too, not only on errors
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct FunnelArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Write funnel.svg (the map) and funnel.json (the same as data) into this
    /// folder, instead of printing a summary
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Show the verdicts of a saved `lander report` (ROOT/.lander/report.json,
    /// or `--format json` output) on the offers of the map
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A table per offer, for the terminal
    Text,
    /// One JSON document, as saved in ROOT/.lander/report.json
    Json,
    /// A page with a bar chart per offer (no JavaScript)
    Html,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Leads: the capture file of `lander serve` (ROOT/.lander/submissions.jsonl),
    /// or a CSV export with `offer` and `variant` columns
    #[arg(long, value_name = "FILE")]
    pub leads: PathBuf,
    /// Views: a CSV with the header `offer,variant,views` (from the offer_view events)
    #[arg(long, value_name = "FILE")]
    pub views: PathBuf,
    /// Site folder: when it has a site.yaml, its offers give the variants'
    /// order (the first is the control) and the report is saved in
    /// ROOT/.lander/report.json for `lander check`
    #[arg(short, long, default_value = ".")]
    pub root: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    /// Write the report to this file instead of printing it
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Fail (exit code 1) when a row was skipped
    #[arg(long)]
    pub strict: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn build_flags_parse() {
        let cli = Cli::parse_from([
            "lander",
            "build",
            "--root",
            "s",
            "--base-url",
            "https://x",
            "--drafts",
        ]);
        match cli.command {
            Command::Build(b) => {
                assert_eq!(b.site.root, PathBuf::from("s"));
                assert!(b.site.drafts);
                assert_eq!(b.site.base_url.as_deref(), Some("https://x"));
            }
            _ => panic!("expected build"),
        }
    }

    #[test]
    fn serve_defaults_to_loopback_port_1111_and_capture() {
        match Cli::parse_from(["lander", "serve"]).command {
            Command::Serve(s) => {
                assert_eq!(s.port, 1111);
                assert_eq!(s.bind.to_string(), "127.0.0.1");
                assert!(!s.no_capture_forms);
            }
            _ => panic!("expected serve"),
        }
        assert!(Cli::try_parse_from(["lander", "serve", "--bind", "nowhere"]).is_err());
    }
}
