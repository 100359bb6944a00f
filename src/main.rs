//! The `courtside` binary: parse the command line, load the config, call one
//! library function, map errors to exit codes.

use clap::Parser;
use courtside::cli::{self, EXIT_UNKNOWN, args::Cli, args::Command};
use courtside::config::Config;
use std::process::ExitCode;

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    // Piping into `head` must end the program quietly, not panic on a closed pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default action of one signal before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    courtside::logging::init();
    let is_diagnostics_run = matches!(
        cli.command,
        None | Some(Command::Diag(_)) | Some(Command::Backfill(_))
    );
    // A doctor that cannot look is a failure to report, not "works without".
    let error_code = match cli.command {
        _ if is_diagnostics_run => EXIT_UNKNOWN,
        Some(Command::Doctor(_)) => 2,
        _ => 1,
    };
    match run(&cli, started) {
        Ok(code) => ExitCode::from(code.clamp(0, 255) as u8),
        Err(error) => {
            tracing::error!("{error:#}");
            // An error may quote a stored string: shown, never obeyed.
            let text = format!("{error:#}");
            eprintln!(
                "courtside: {}",
                courtside::format::terminal_safe_lines(&text)
            );
            // A source that cannot be reached leaves every answer unknown.
            if courtside::source::is_unreachable(&error) {
                return ExitCode::from(EXIT_UNKNOWN as u8);
            }
            ExitCode::from(error_code as u8)
        }
    }
}

fn run(cli: &Cli, started: std::time::Instant) -> anyhow::Result<i32> {
    let (config, origin) = Config::load(cli.config.as_deref())?;
    courtside::tui::keymap_of(&config)?;
    let globals = cli.globals();
    // The dashboard's `--date`, checked before anything opens.
    let dashboard_date = match (&cli.date, &cli.command) {
        (None, _) => None,
        (Some(text), None) => Some(cli::common::parse_date_arg("--date", text)?),
        (Some(_), Some(_)) => anyhow::bail!(
            "--date before a command is the dashboard's: give the command's own after it (`courtside diag --date D`)"
        ),
    };
    match &cli.command {
        Some(Command::Schema(args)) => Ok(cli::setup::schema(args, &config)),
        // Checking a config file needs no store.
        Some(Command::Exp(cli::exp::ExpArgs {
            command: cli::exp::ExpCommand::Validate { file, json },
        })) => cli::exp_views::validate(file, *json),
        Some(Command::Demo(args)) => cli::setup::demo(&globals, args, &config),
        // Silences and the timeline live in the state store, on every source.
        Some(Command::Silence(args)) => cli::silence::run(&globals, args, &config),
        Some(Command::Timeline(args)) => cli::silence::timeline(&globals, args, &config),
        // Importing into an empty store must not build the demo there first.
        Some(Command::Import(args)) => cli::transfer::import(&globals, args, &config),
        command => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let writes = command.as_ref().is_none_or(Command::writes);
                let context = cli::open_source(&globals, config, &origin, writes).await?;
                let outcome = match command {
                    Some(Command::Diag(args)) => cli::diag::run(&context, args).await,
                    Some(Command::Backfill(args)) => cli::backfill::run(&context, args).await,
                    Some(Command::Gap(args)) => cli::gap::run(&context, args).await,
                    Some(Command::Versus(args)) => cli::versus::run(&context, args).await,
                    Some(Command::Splits(args)) => cli::splits::run(&context, args).await,
                    Some(Command::Alerts(args)) => cli::alerts::run(&context, args).await,
                    Some(Command::Systems(args)) => cli::glance::run(&context, args).await,
                    Some(Command::Clv(args)) => cli::clv::run(&context, args).await,
                    Some(Command::History(args)) => cli::history::run(&context, args).await,
                    Some(Command::Exp(args)) => cli::exp::run(&context, args).await,
                    Some(Command::Watch(args)) => cli::watch::run(&context, &globals, args).await,
                    Some(Command::Export(args)) => cli::transfer::export(&context, args).await,
                    Some(Command::Doctor(args)) => cli::doctor::run(&context, args).await,
                    Some(Command::Slate(args)) => cli::slate::run(&context, args).await,
                    Some(Command::Setup(args)) => cli::warehouse_setup::run(&context, args).await,
                    Some(Command::Snapshot(args)) => {
                        courtside::tui::snapshot::run(&context, args).await
                    }
                    _ => courtside::tui::run(&context, started, dashboard_date, cli.fresh).await,
                };
                cli::common::print_notes(&context);
                outcome
            })
        }
    }
}
