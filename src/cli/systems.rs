//! The systems a diagnostics command covers: `--system` (repeatable),
//! `--all-systems`, or the configured production system.

use crate::service::{self, Context};
use anyhow::Result;
use clap::Args;

#[derive(Debug, Default, Clone, Args)]
pub struct SystemsArgs {
    /// System id (repeatable; default: the configured production system).
    #[arg(long = "system", value_name = "SYSTEM")]
    pub systems: Vec<String>,
    /// Every system with predictions in the store, in one pass.
    #[arg(long, conflicts_with = "systems")]
    pub all_systems: bool,
}

impl SystemsArgs {
    /// The systems asked for, each checked against the source, in the order given.
    pub async fn resolve(&self, context: &Context) -> Result<Vec<String>> {
        let source = context.source.as_ref();
        if self.all_systems {
            let all = source.systems().await?;
            if all.is_empty() {
                anyhow::bail!("--all-systems: the source has no predictions of any system");
            }
            return Ok(all);
        }
        let mut systems: Vec<String> = Vec::new();
        for system in &self.systems {
            if !systems.contains(system) {
                systems.push(system.clone());
            }
        }
        if systems.is_empty() {
            systems.push(context.config.production_system.clone());
        }
        for system in &systems {
            service::check_system(source, system).await?;
        }
        Ok(systems)
    }
}
