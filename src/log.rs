//! Lines to stdout and stderr that never panic. `println!`/`eprintln!` panic when the other end of
//! a pipe is gone (`klimapartner check | head -1`: Rust ignores SIGPIPE, so the write fails with
//! EPIPE). A closed stream only loses the lines nobody reads; the run itself goes on, writes its
//! files and exits with the code its result gives.

use std::io::Write;

/// Writes one line to stdout; errors (a closed pipe, a full disk behind a redirect) are ignored.
pub fn out(args: std::fmt::Arguments<'_>) {
    let mut w = std::io::stdout().lock();
    let _ = w.write_fmt(args).and_then(|()| w.write_all(b"\n"));
}

/// Writes one line to stderr; errors are ignored.
pub fn err(args: std::fmt::Arguments<'_>) {
    let mut w = std::io::stderr().lock();
    let _ = w.write_fmt(args).and_then(|()| w.write_all(b"\n"));
}

/// `println!` that tolerates a closed stdout.
#[macro_export]
macro_rules! outln {
    () => { $crate::log::out(format_args!("")) };
    ($($arg:tt)*) => { $crate::log::out(format_args!($($arg)*)) };
}

/// `eprintln!` that tolerates a closed stderr.
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => { $crate::log::err(format_args!($($arg)*)) };
}
