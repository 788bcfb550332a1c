//! `sbm-operator`: `run` reconciles the custom resources; `crdgen` writes the CRDs generated
//! from the Rust types.

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "sbm-operator", version, about = "SBM CRM operator")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the controllers (in a cluster, or against the current kubeconfig).
    Run {
        /// Health (`/healthz`, `/readyz`) and `/metrics`.
        #[arg(long, env = "SBM_OPERATOR_LISTEN", default_value = "0.0.0.0:8080")]
        listen: std::net::SocketAddr,
        /// Take a Lease before reconciling, so that one of several replicas works.
        #[arg(long, env = "SBM_OPERATOR_LEADER_ELECTION", default_value_t = false)]
        leader_election: bool,
        /// Server-side apply the CRDs at start (else only check that they exist).
        #[arg(long, env = "SBM_OPERATOR_INSTALL_CRDS", default_value_t = false)]
        install_crds: bool,
        /// Namespace of the Lease (the operator's own).
        #[arg(long, env = "SBM_OPERATOR_NAMESPACE", default_value = "default")]
        namespace: String,
    },
    /// Write the CRD YAML files (default: into `crds` and the chart's `crds`).
    Crdgen {
        #[arg(long, default_values = ["crds", "charts/sbm-crm/crds"])]
        out: Vec<std::path::PathBuf>,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Run {
            listen,
            leader_election,
            install_crds,
            namespace,
        } => {
            sbm_common::app::init_tracing(sbm_common::config::LogFormat::Json);
            let client = kube::Client::try_default().await?;
            let me = std::env::var("POD_NAME").unwrap_or_else(|_| format!("sbm-operator-{}", std::process::id()));
            let opts = sbm_operator::run::Options {
                listen,
                leader_election: leader_election.then_some((namespace, me)),
                install_crds,
            };
            sbm_operator::run::run(client, opts).await
        }
        Command::Crdgen { out } => {
            for dir in out {
                std::fs::create_dir_all(&dir)?;
                for (name, yaml) in sbm_operator::crds()? {
                    std::fs::write(dir.join(&name), yaml)?;
                    println!("wrote {}", dir.join(&name).display());
                }
            }
            Ok(())
        }
    }
}
