//! `lander serve`: bind, build in memory, serve until Ctrl-C.

use std::net::IpAddr;
use std::path::PathBuf;

use crate::error::{Diagnostic, Diagnostics};
use crate::serve::watch::Debounce;
use crate::serve::{ServeOptions, Server};

#[derive(Debug, Clone)]
pub struct ServeArgs {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub capture_forms: bool,
}

/// Serves the site until Ctrl-C. Prints what it does: it is the one
/// long-running command.
pub fn serve(args: &ServeArgs) -> Result<(), Diagnostics> {
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: other machines on your network can see the site (drafts included) and post to its forms",
            args.bind
        );
    }
    let (stop_tx, stop_rx) = std::sync::mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    })
    .map_err(|e| Diagnostic::error(format!("could not handle Ctrl-C: {e}")))?;

    let mut server = Server::bind(&ServeOptions {
        root: args.root.clone(),
        bind: args.bind,
        port: args.port,
        capture_forms: args.capture_forms,
        debounce: Debounce::default(),
    })?;
    println!(
        "Building {} in memory (drafts included)…",
        args.root.display()
    );
    server.first_build();
    if args.capture_forms {
        println!(
            "Forms post to this server; submissions go to {}",
            args.root
                .join(crate::serve::capture::CAPTURE_FILE)
                .display()
        );
    }
    println!("Serving at {} (Ctrl-C to stop)", server.home_url());
    server.run(stop_rx)?;
    println!("Stopped.");
    Ok(())
}
