//! `sbm-operator`: `crdgen` writes the CRDs generated from the Rust types.

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "sbm-operator", version, about = "SBM CRM operator")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the CRD YAML files into a folder (default `crds`).
    Crdgen {
        #[arg(long, default_value = "crds")]
        out: std::path::PathBuf,
    },
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Crdgen { out } => {
            std::fs::create_dir_all(&out)?;
            for (name, yaml) in sbm_operator::crds()? {
                std::fs::write(out.join(&name), yaml)?;
                println!("wrote {}", out.join(&name).display());
            }
            Ok(())
        }
    }
}
