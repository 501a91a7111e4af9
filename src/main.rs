use std::process::ExitCode;

use clap::Parser;

// Argon2 takes 19 MiB per hash on whichever blocking thread runs it; glibc's malloc kept those
// buffers in its per-thread arenas after a burst of logins (hundreds of MB, see README's
// performance section), mimalloc gives them back to the system.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    konkurs::cli::run(konkurs::cli::Cli::parse())
}
