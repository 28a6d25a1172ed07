//! Thin entry point: parse arguments, run the library, print errors, set the exit code.

use std::process::ExitCode;

use clap::Parser;
use klimapartner::cli::{Cli, Command};

/// mimalloc instead of the system allocator: typst allocates and frees a great deal per document, and
/// with glibc's allocator a fifth of the run went to malloc/free and memory fragmented over
/// thousands of documents (see the README, "Scale").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => klimapartner::build(&args),
        Command::Check(args) => klimapartner::check(&args),
        Command::Merge(args) => klimapartner::shard::merge(&args),
        Command::Validate(args) => klimapartner::validate::validate(&args),
        Command::Reference(args) => klimapartner::reference::write(&args),
        Command::Fonts(args) => klimapartner::write_fonts(&args),
        Command::Init(args) => klimapartner::init::init(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            klimapartner::errln!("error: {e}");
            for cause in e.chain().skip(1) {
                klimapartner::errln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}
