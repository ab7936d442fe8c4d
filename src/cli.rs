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
        Some(Command::Import(ImportCommand::Catalog(args))) => import_catalog(args),
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
    // Held until the server has stopped: dropping it writes out the queued log lines.
    let _log = telemetry::init(&args.log)?;
    crate::memory::trim_freed_heap_periodically();
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(&args).await.map_err(|e| e.to_string())?;
        tracing::info!(bind = %args.bind, port = app.port(), database = %args.database_url, "serving");
        app.run_until_stopped().await.map_err(|e| format!("server failed: {e}"))
    })
}

fn import_esco(args: crate::config::EscoImportArgs) -> Result<(), String> {
    let started = std::time::Instant::now();
    let parsed = match (&args.skills, &args.groups) {
        (Some(skills), Some(groups)) => crate::import::esco::parse(skills, groups),
        _ => {
            let (skills, groups) = crate::import::esco::bundled();
            crate::import::esco::parse_bytes(
                (crate::import::esco::BUNDLED_SKILLS, &skills),
                (crate::import::esco::BUNDLED_GROUPS, &groups),
            )
        }
    }
    .map_err(|e| e.to_string())?;
    let summary = summary(&parsed.catalog, parsed.alias_count, parsed.bad_rows.len());
    write_import(&args.target, &parsed.catalog, &parsed.bad_rows, &summary, started)
}

fn import_catalog(args: crate::config::CatalogImportArgs) -> Result<(), String> {
    let started = std::time::Instant::now();
    let options = crate::db::connect_options(&args.target.database_url).map_err(|e| e.to_string())?;
    let current =
        actix_web::rt::System::new().block_on(crate::db::read_current(&options)).map_err(|e| e.to_string())?;
    let files = crate::import::catalog::Files {
        skills: &args.skills,
        categories: args.categories.as_deref(),
        faqs: args.faqs.as_deref(),
    };
    let parsed = crate::import::catalog::parse(files, &current).map_err(|e| e.to_string())?;
    let summary = summary(&parsed.catalog, parsed.alias_count, parsed.bad_rows.len());
    write_import(&args.target, &parsed.catalog, &parsed.bad_rows, &summary, started)
}

/// The importer's summary, recorded with the version.
fn summary(c: &crate::db::NewCatalog, aliases: usize, bad_rows: usize) -> String {
    format!(
        "{} skills ({aliases} aliases) in {} categories, {} FAQ entries; {bad_rows} bad rows skipped",
        c.skills.len(),
        c.categories.len(),
        c.faqs.len(),
    )
}

/// Reports bad rows, then writes the catalog (unless `--strict` and there are bad rows).
fn write_import(
    target: &crate::config::ImportTarget,
    catalog: &crate::db::NewCatalog,
    bad_rows: &[crate::import::BadRow],
    summary: &str,
    started: std::time::Instant,
) -> Result<(), String> {
    for bad in bad_rows {
        eprintln!("powerskills: skipped {bad}");
    }
    if target.strict && !bad_rows.is_empty() {
        return Err(format!(
            "{} bad rows and --strict: nothing was imported, the database is unchanged",
            bad_rows.len()
        ));
    }
    let parse_time = started.elapsed();
    let options = crate::db::connect_options(&target.database_url).map_err(|e| e.to_string())?;
    let written = actix_web::rt::System::new()
        .block_on(crate::import::write(&options, catalog, summary, || {
            // Progress on a long import, and the event the crash test waits for.
            eprintln!(
                "powerskills: {} skills written; the rest of the catalog follows in the same transaction",
                catalog.skills.len()
            );
        }))
        .map_err(|e| e.to_string())?;
    println!(
        "imported {summary} into {} as catalog {}, version {}",
        target.database_url, catalog.meta.version, written.recorded.version_id
    );
    println!("{}", crate::import::describe_changes(&written.recorded));
    println!(
        "took {:.2} s: reading the files {:.2} s; then in one transaction of {:.2} s: reading the catalog replaced {:.3} s, computing the changes {:.3} s, writing {:.2} s",
        started.elapsed().as_secs_f64(),
        parse_time.as_secs_f64(),
        written.write_time.as_secs_f64(),
        written.read_time.as_secs_f64(),
        written.diff_time.as_secs_f64(),
        (written.write_time - written.read_time - written.diff_time).as_secs_f64(),
    );
    Ok(())
}
