use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    konkurs::cli::run(konkurs::cli::Cli::parse())
}
