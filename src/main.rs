use std::process::ExitCode;

use clap::Parser;

// Argon2 takes 19 MiB per hash on whichever blocking thread runs it. After a burst of logins
// glibc's malloc kept those buffers in its per-thread arenas (hundreds of MB) and mimalloc part
// of them; jemalloc gives them back (figures in README's performance section).
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

// jemalloc's settings, read before main (`MALLOC_CONF` in the environment still overrides
// them): one arena instead of four per core (the threads are few and each has its own cache),
// small per-thread caches, and freed pages returned within half a second rather than ten. Under
// sixteen connections this took the server from 50 to 43 MB at the same request rate.
#[allow(non_upper_case_globals)]
#[unsafe(export_name = "malloc_conf")]
pub static malloc_conf: &[u8; 62] =
    b"narenas:1,tcache_max:1024,dirty_decay_ms:500,muzzy_decay_ms:0\0";

fn main() -> ExitCode {
    konkurs::cli::run(konkurs::cli::Cli::parse())
}
