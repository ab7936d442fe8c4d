//! The `powerskills` binary: parses the command line and hands over to the library.

/// mimalloc instead of the system allocator (BENCHMARKS.md, "The allocator").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    powerskills::cli::run()
}
