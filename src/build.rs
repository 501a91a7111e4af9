//! Build script (Cargo.toml: `build = "src/build.rs"`): links the executables with packed
//! relative relocations (DT_RELR) where the C toolchain and the C library support them.
//!
//! A position-independent executable lists one 24-byte relocation per pointer in its read-only
//! data (vtables, string slices, panic locations): about 2 MB for konkurs, read in full at every
//! start and kept resident for the life of the process. DT_RELR packs them into a bitmap of a few
//! kilobytes (glibc 2.36+, binutils 2.38+ or lld 15+). Tried with a one-line C program first, built
//! and run here, so an older toolchain or C library simply gets the classic table.

use std::path::PathBuf;
use std::process::{Command, Stdio};

fn main() {
    println!("cargo::rerun-if-changed=src/build.rs");
    println!("cargo::rerun-if-env-changed=KONKURS_NO_RELR");
    let target = std::env::var("TARGET").unwrap_or_default();
    let host = std::env::var("HOST").unwrap_or_default();
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
