//! Build script (Cargo.toml: `build = "src/build.rs"`): links the executables with packed
//! relative relocations (DT_RELR) where the C toolchain and the C library support them, and an
//! optimised build with the code that serves requests laid out together (src/link-order.txt).
//!
//! A position-independent executable lists one 24-byte relocation per pointer in its read-only
//! data (vtables, string slices, panic locations): about 2 MB for konkurs, read in full at every
//! start and kept resident for the life of the process. DT_RELR packs them into a bitmap of a few
//! kilobytes (glibc 2.36+, binutils 2.38+ or lld 15+). Tried with a one-line C program first, built
//! and run here, so an older toolchain or C library simply gets the classic table.
//!
//! The kernel maps a program's code in 64 KB windows around each page that runs. With the
//! functions in the compiler's order, the 5.7 MB of code that start-up and the pages run is spread
//! over 15 MB of the 17 MB of code, and all of that stays in the server's memory. rust-lld (the
//! linker rustc uses on x86-64 Linux since 1.90) puts the functions listed in the order file
//! first, in its order; names it does not find (another compiler or dependency version) are
//! skipped, so a stale list costs memory, never a failed build. `benches/link_order.py` writes it.

use std::path::PathBuf;
use std::process::{Command, Stdio};

fn main() {
    println!("cargo::rerun-if-changed=src/build.rs");
    println!("cargo::rerun-if-env-changed=KONKURS_NO_RELR");
    println!("cargo::rerun-if-changed=src/link-order.txt");
    println!("cargo::rerun-if-env-changed=KONKURS_NO_LINK_ORDER");
    let target = std::env::var("TARGET").unwrap_or_default();
    let host = std::env::var("HOST").unwrap_or_default();
    if let Some(order) = link_order(&target) {
        println!("cargo::rustc-link-arg-bins=-Wl,--symbol-ordering-file={order}");
        println!("cargo::rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    }
    // Cross builds cannot run the probe; other platforms have no DT_RELR in their C library.
    if target != host
        || !target.contains("linux-gnu")
        || std::env::var_os("KONKURS_NO_RELR").is_some()
    {
        return;
    }
    if relr_works() {
        println!("cargo::rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    } else {
        println!(
            "cargo::warning=the linker or C library cannot pack relocations (DT_RELR): linked without"
        );
    }
}

/// Links and runs a position-independent C program with `-z pack-relative-relocs`, warnings
/// fatal (an old GNU ld only warns about an option it does not know).
fn relr_works() -> bool {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let source = out.join("relr.c");
    let program = out.join("relr");
    // A pointer in initialised data: the executable needs at least one relative relocation.
    if std::fs::write(
        &source,
        "static const char *p = \"relr\";\nint main(void) { return p[0] == 'r' ? 0 : 1; }\n",
    )
    .is_err()
    {
        return false;
    }
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let linked = Command::new(cc)
        .args([
            "-pie",
            "-fPIE",
            "-Wl,-z,pack-relative-relocs",
            "-Wl,--fatal-warnings",
            "-o",
        ])
        .arg(&program)
        .arg(&source)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    linked && Command::new(&program).status().is_ok_and(|s| s.success())
}

/// The order file's path, when this is an optimised build that rustc links with its own lld.
fn link_order(target: &str) -> Option<String> {
    let optimised = std::env::var("OPT_LEVEL").is_ok_and(|l| l != "0");
    // The linker was chosen by hand (RUSTFLAGS or CARGO_TARGET_<triple>_LINKER): it may not be lld.
    let rustflags = std::env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    let chosen = rustflags.contains("linker")
        || std::env::vars_os().any(|(k, _)| {
            k.to_str()
                .is_some_and(|k| k.starts_with("CARGO_TARGET_") && k.ends_with("_LINKER"))
        });
    if !optimised
        || chosen
        || target != "x86_64-unknown-linux-gnu"
        || std::env::var_os("KONKURS_NO_LINK_ORDER").is_some()
        || rustc_minor().is_none_or(|m| m < 90)
    {
        return None;
    }
    let dir = std::env::var("CARGO_MANIFEST_DIR").ok()?;
    let order = PathBuf::from(dir).join("src").join("link-order.txt");
    order
        .is_file()
        .then(|| order.to_string_lossy().into_owned())
}

/// The minor version of the compiler building this crate (`rustc 1.95.0 (…)` gives 95).
fn rustc_minor() -> Option<u32> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(rustc).arg("-V").output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    text.split_whitespace()
        .nth(1)?
        .split('.')
        .nth(1)?
        .parse()
        .ok()
}
