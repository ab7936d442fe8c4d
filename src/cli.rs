//! The command line: parse, dispatch, and turn every failure into one line on stderr and a
//! non-zero exit (never a panic or a backtrace).

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

use crate::config::{Cli, Command, ImportCommand, ServeArgs};
use crate::startup::Application;
use crate::telemetry;

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        None => serve(cli.serve),
        Some(Command::Serve(args)) => serve(args),
        Some(Command::Healthcheck(args)) => crate::healthcheck::probe(&args.url, Duration::from_secs(args.timeout)),
        Some(Command::Openapi) => {
            print!("{}", crate::openapi::document_json());
            Ok(())
        }
        Some(Command::Import(ImportCommand::Esco(args))) => import_esco(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("powerskills: {message}");
            ExitCode::FAILURE
        }
    }
}

fn serve(args: ServeArgs) -> Result<(), String> {
    telemetry::init(&args.log);
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(&args).await.map_err(|e| e.to_string())?;
        tracing::info!(bind = %args.bind, port = app.port(), database = %args.database_url, "serving");
        app.run_until_stopped().await.map_err(|e| format!("server failed: {e}"))
    })
}

fn import_esco(args: crate::config::EscoImportArgs) -> Result<(), String> {
    let started = std::time::Instant::now();
    let parsed = crate::import::esco::parse(&args.skills, &args.groups).map_err(|e| e.to_string())?;
    for bad in &parsed.bad_rows {
        eprintln!("powerskills: skipped {bad}");
    }
    if args.strict && !parsed.bad_rows.is_empty() {
        return Err(format!(
            "{} bad rows and --strict: nothing was imported, the database is unchanged",
            parsed.bad_rows.len()
        ));
    }
    let options = crate::db::connect_options(&args.database_url).map_err(|e| e.to_string())?;
    let catalog = &parsed.catalog;
    actix_web::rt::System::new().block_on(crate::db::replace_catalog(&options, catalog)).map_err(|e| e.to_string())?;
    println!(
        "imported {} skills ({} aliases) in {} categories into {} as catalog {} in {:.2} s; {} bad rows skipped",
        catalog.skills.len(),
        parsed.alias_count,
        catalog.categories.len(),
        args.database_url,
        catalog.meta.version,
        started.elapsed().as_secs_f64(),
        parsed.bad_rows.len(),
    );
    Ok(())
}
