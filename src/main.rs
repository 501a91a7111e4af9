use std::process::ExitCode;

use clap::Parser;

// Argon2 takes 19 MiB per hash on whichever blocking thread runs it. After a burst of logins
// glibc's malloc kept those buffers in its per-thread arenas (hundreds of MB) and mimalloc part
// of them; jemalloc gives them back (figures in README's performance section).
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

// jemalloc's settings, read before main (`MALLOC_CONF` in the environment still overrides
// them): one arena instead of four per core (the threads are few and each has its own cache),
// small per-thread caches holding few objects, and freed pages returned at once. Under sixteen
// connections on the kept signed-in lists this holds the server under 30 MB (36.5 → 28.8 MB
// peak, issue 11); the price is paid by pages rendered on every request, which fault their
// buffers in again (a 60 KB list: 3,785 → 2,054 req/s on two cores).
// `MALLOC_CONF=dirty_decay_ms:500` trades the memory back for that speed.
#[allow(non_upper_case_globals)]
#[unsafe(export_name = "malloc_conf")]
pub static malloc_conf: &[u8; 109] =
    b"narenas:1,tcache_max:1024,tcache_nslots_small_max:16,tcache_nslots_large:4,dirty_decay_ms:0,muzzy_decay_ms:0\0";

fn main() -> ExitCode {
    konkurs::cli::run(konkurs::cli::Cli::parse())
}
