//! The `powerskills` binary: parses the command line and hands over to the library.

/// mimalloc instead of the system allocator (src/memory.rs has its options and why).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    powerskills::memory::configure();
    powerskills::cli::run()
}
