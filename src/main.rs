use std::process::ExitCode;

use clap::Parser;

// Argon2 takes 19 MiB per hash on whichever blocking thread runs it. After a burst of logins
// glibc's malloc kept those buffers in its per-thread arenas (hundreds of MB) and mimalloc part
// of them; jemalloc gives them back (figures in README's performance section).
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    konkurs::cli::run(konkurs::cli::Cli::parse())
}
