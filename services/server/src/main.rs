//! `sbm-crm`: the one binary of the platform.

use std::io::Read;

use anyhow::Context;
use clap::{Parser, Subcommand};
use sbm_common::config::Config;
use tokio_util::sync::CancellationToken;

/// mimalloc instead of glibc's malloc: allocation was the largest item of a request's profile.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "sbm-crm", version, about = "SBM CRM: a Kubernetes-native loyalty platform")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (all services on one port unless --services or SBM_SERVICES says otherwise).
    Serve {
        /// Comma-separated subset, e.g. `auth,point`.
        #[arg(long)]
        services: Option<String>,
    },
    /// Apply pending database migrations (`migrate status` lists them all).
    #[command(args_conflicts_with_subcommands = true)]
    Migrate {
        /// Only check: list the pending migrations and exit 1 when there are any.
        #[arg(long)]
        check: bool,
        #[command(subcommand)]
        action: Option<MigrateAction>,
    },
    /// Print a service's OpenAPI document.
    Openapi {
        /// auth, point, reward, cluster or notification.
        service: String,
    },
    /// Create an admin account; the password is read from standard input.
    CreateAdmin {
        #[arg(long)]
        email: String,
    },
    /// Print a new Ed25519 signing key (PKCS#8 PEM) for SBM_JWT_SIGNING_KEY_FILE.
    GenJwtKey,
}

#[derive(Subcommand)]
enum MigrateAction {
    /// List every migration, oldest first: applied (with when) or pending. Changes nothing.
    Status,
}

fn main() {
    // SBM_WORKER_THREADS sizes the runtime (default: one per core).
    let mut rt = tokio::runtime::Builder::new_multi_thread();
    rt.enable_all();
    if let Some(n) = std::env::var("SBM_WORKER_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| *n > 0)
    {
        rt.worker_threads(n);
    }
    let result = rt
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|rt| rt.block_on(run()));
    if let Err(e) = result {
        eprintln!("error: {e:#}");
        std::process::exit(2);
    }
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let mut config = Config::from_env()?;
    sbm_common::app::init_tracing(config.log_format);
    match cli.command {
        Command::Serve { services } => {
            if let Some(s) = services {
                config.services =
                    sbm_common::config::parse_services(&s).map_err(|m| anyhow::anyhow!("--services: {m}"))?;
                config.services_explicit = true;
            }
            let listener = tokio::net::TcpListener::bind(config.listen)
                .await
                .with_context(|| format!("SBM_LISTEN: cannot bind {}", config.listen))?;
            let shutdown = CancellationToken::new();
            let running = sbm_crm::start(config, listener, shutdown.clone()).await?;
            sbm_common::app::shutdown_signal().await;
            running.stop().await;
            Ok(())
        }
        Command::Migrate { check, action } => {
            let db = sbm_common::db::connect(&config).await?;
            if let Some(MigrateAction::Status) = action {
                for m in sbm_migrations::status(&db).await? {
                    let state = if m.applied { "applied" } else { "pending" };
                    let at = m
                        .applied_at
                        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
                        .unwrap_or_else(|| if m.applied { "-".into() } else { String::new() });
                    println!("{state:<8} {at:<20} {}", m.name);
                }
                return Ok(());
            }
            if check {
                let pending = sbm_migrations::pending(&db).await?;
                for name in &pending {
                    println!("pending: {name}");
                }
                if pending.is_empty() {
                    println!("database is up to date");
                    return Ok(());
                }
                std::process::exit(1);
            }
            let applied = sbm_migrations::migrate(&db).await?;
            for name in &applied {
                println!("applied: {name}");
            }
            println!("applied {} migration(s)", applied.len());
            Ok(())
        }
        Command::Openapi { service } => {
            println!("{}", sbm_crm::openapi_json(&service)?);
            Ok(())
        }
        Command::CreateAdmin { email } => {
            let mut pw = String::new();
            std::io::stdin()
                .read_to_string(&mut pw)
                .context("reading the password from standard input")?;
            let pw = pw.trim_end_matches(['\r', '\n']).to_string();
            let db = sbm_common::db::connect(&config).await?;
            sbm_migrations::migrate(&db).await?;
            let created = sbm_crm::create_admin(db, &email, &pw).await?;
            println!("admin {} created ({created})", email);
            Ok(())
        }
        Command::GenJwtKey => {
            print!("{}", sbm_common::identity::generate_signing_key_pem());
            Ok(())
        }
    }
}
