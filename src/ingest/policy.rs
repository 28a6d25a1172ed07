//! The one file policy for every read.
//!
//! A path the user names on the command line (`--inputs`, `--config`, `--templates`, `--output`)
//! is trusted: it is used as given, links included. Inside such a folder only regular files are
//! read: a symbolic link (of the file or of a folder on the way to it) that leads out of the folder
//! is refused, and so are named pipes, sockets and devices — a FIFO would otherwise block the run
//! forever. The type is checked before the file is opened, and it is opened without blocking and
//! without following a last link, so a file swapped in between cannot get around the checks.
//! Every read of configuration, data, catalogues, templates and the manifest goes through
//! [`read_file`].

use std::io::Read;
use std::path::Path;

use crate::error::InputError;

/// Where a file to read comes from.
#[derive(Debug, Clone, Copy)]
pub enum Place<'a> {
    /// Named on the command line (`--config FILE`): trusted, read as given.
    Named,
    /// Inside a folder named on the command line (`--inputs DIR`, `--templates DIR`).
    Inside(&'a Path),
}

/// True if something (a file, a folder, a link, even a broken one) is at `path`. Whether it may
/// be read is for [`read_file`] to say; a broken link is then an error, not a missing file.
pub fn present(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// Reads the file at `path` under the policy; `shown` is how errors name it (the path relative to
/// the inputs folder where there is one). Errors name the file and say what to do.
pub fn read_file(place: Place<'_>, path: &Path, shown: &str) -> Result<Vec<u8>, InputError> {
    let mut file = open_file(place, path, shown)?;
    let mut bytes = Vec::with_capacity(file.metadata().map(|m| m.len() as usize).unwrap_or(0));
    file.read_to_end(&mut bytes).map_err(|e| {
        InputError::new(
            shown,
            format!("cannot be read: {e}"),
            "check that the file is readable (its permissions and those of its folder)",
        )
    })?;
    Ok(bytes)
}

/// Opens the file at `path` under the policy, for a reader that streams it (the checks of
/// [`read_file`]).
pub fn open_file(place: Place<'_>, path: &Path, shown: &str) -> Result<std::fs::File, InputError> {
    let cannot = |e: std::io::Error| {
        if e.kind() == std::io::ErrorKind::NotFound {
            InputError::new(
                shown,
                format!("cannot be read: there is no such file ({})", path.display()),
                "check the name and that the file exists",
            )
        } else {
            InputError::new(
                shown,
                format!("cannot be read: {e}"),
                "check that the file is readable (its permissions and those of its folder)",
            )
        }
    };
    let target = match place {
        Place::Named => path.to_path_buf(),
        Place::Inside(root) => {
            std::fs::symlink_metadata(path).map_err(cannot)?;
            let root = root.canonicalize().map_err(|e| {
                InputError::new(
                    root.display().to_string(),
                    format!("cannot be read: {e}"),
                    "check the folder given on the command line",
                )
            })?;
            let real = path.canonicalize().map_err(|e| {
                InputError::new(
                    shown,
                    format!("cannot be read: it is a symbolic link whose target cannot be found ({e})"),
                    format!("replace the link {shown} by the file itself"),
                )
            })?;
            if !real.starts_with(&root) {
                return Err(InputError::new(
                    shown,
                    format!(
                        "cannot be read: it is a symbolic link (or lies in a linked folder) leading outside {} to {}; \
                         links out of the folder are not followed",
                        root.display(),
                        real.display()
                    ),
                    format!("copy the file into the folder as {shown} instead of linking to it"),
                ));
            }
            real
        }
    };
    // Type first (stat does not open, so a FIFO cannot block here), then open and check again.
    let meta = std::fs::metadata(&target).map_err(cannot)?;
    check_type(&meta, shown, matches!(place, Place::Named))?;
    let file = open(&target, matches!(place, Place::Inside(_))).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    check_type(&meta, shown, matches!(place, Place::Named))?;
    Ok(file)
}

/// Folders are never read as files; inside a folder only regular files are (a named file may also
/// be a pipe, e.g. `--config <(…)`).
fn check_type(meta: &std::fs::Metadata, shown: &str, named: bool) -> Result<(), InputError> {
    let t = meta.file_type();
    if t.is_dir() {
        return Err(InputError::new(
            shown,
            "cannot be read: it is a folder, but a file is expected here",
            format!("replace the folder by the file {shown} (see the README's table of the inputs folder)"),
        ));
    }
    if t.is_file() || named {
        return Ok(());
    }
    let what = special_kind(&t);
    Err(InputError::new(
        shown,
        format!("cannot be read: it is {what}, not a regular file; only regular files are read"),
        format!("replace {shown} by a regular file with its content"),
    ))
}

#[cfg(unix)]
fn special_kind(t: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        "a named pipe (FIFO)"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_block_device() || t.is_char_device() {
        "a device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "a special file"
}

/// Opens for reading; inside a folder without blocking (a FIFO swapped in after the check) and
/// without following a link in the last component (the path is already resolved).
fn open(path: &Path, strict: bool) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    if strict {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    #[cfg(not(unix))]
    let _ = strict;
    o.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_inside_are_read_and_links_out_are_not() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("inputs");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(root.join("a.csv"), "x").unwrap();
        std::fs::write(tmp.path().join("secret"), "s").unwrap();
        assert_eq!(
            read_file(Place::Inside(&root), &root.join("a.csv"), "a.csv").unwrap(),
            b"x"
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("a.csv", root.join("inner")).unwrap();
            std::os::unix::fs::symlink(tmp.path().join("secret"), root.join("outer")).unwrap();
            std::os::unix::fs::symlink(tmp.path(), root.join("sub/up")).unwrap();
            assert_eq!(
                read_file(Place::Inside(&root), &root.join("inner"), "inner").unwrap(),
                b"x"
            );
            let e = read_file(Place::Inside(&root), &root.join("outer"), "outer").unwrap_err();
            assert!(e.message.contains("outside"), "{e}");
            let e = read_file(Place::Inside(&root), &root.join("sub/up/secret"), "sub/up/secret").unwrap_err();
            assert!(e.message.contains("outside"), "{e}");
            assert_eq!(read_file(Place::Named, &root.join("outer"), "outer").unwrap(), b"s");
        }
        let e = read_file(Place::Inside(&root), &root.join("sub"), "sub").unwrap_err();
        assert!(e.message.contains("is a folder"), "{e}");
        let e = read_file(Place::Inside(&root), &root.join("none"), "none").unwrap_err();
        assert!(e.message.contains("no such file"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_inside_is_refused_without_blocking() {
        let tmp = tempfile::tempdir().unwrap();
        let fifo = tmp.path().join("partnership.toml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo on this system
        }
        let e = read_file(Place::Inside(tmp.path()), &fifo, "partnership.toml").unwrap_err();
        assert!(e.message.contains("named pipe"), "{e}");
    }
}
