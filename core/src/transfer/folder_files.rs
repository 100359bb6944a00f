//! The files of an experiment folder, opened only when they are regular
//! files: `std::fs::metadata` (following symlinks) is asked first, so a
//! FIFO, a socket or a device named like one of the folder's files is
//! refused by name and never opened (opening a FIFO waits for a writer
//! forever). The small files (results, error text, commit) are read whole,
//! up to a limit.

use std::io::Read;
use std::path::Path;

/// The most a small file (results, error text, commit) may hold.
pub const MAX_SMALL_FILE: u64 = 16 << 20;

/// Whether `path` is there: `Ok(false)` when it is not, `Ok(true)` for a
/// regular file (or a link to one); anything else is refused, unopened,
/// with the reason.
pub fn regular_file(path: &Path) -> Result<bool, String> {
    match std::fs::metadata(path) {
        Ok(metadata) if metadata.is_file() => Ok(true),
        Ok(metadata) => Err(format!(
            "{}: {}, not a regular file; refused without opening it",
            path.display(),
            kind(&metadata)
        )),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(error) => Err(format!("{}: cannot read: {error}", path.display())),
    }
}

/// What a file that is not a regular one is, for the message.
fn kind(metadata: &std::fs::Metadata) -> &'static str {
    let file_type = metadata.file_type();
    if file_type.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device";
        }
    }
    "a special file"
}

/// The text of a small file, `None` when it is not there; a problem (not
/// a regular file, unreadable, too large, not UTF-8) is added to `problems`.
pub fn read_small(path: &Path, problems: &mut Vec<String>) -> Option<String> {
    match regular_file(path) {
        Ok(true) => {}
        Ok(false) => return None,
        Err(problem) => {
            problems.push(problem);
            return None;
        }
    }
    let mut bytes = Vec::new();
    let read = std::fs::File::open(path)
        .and_then(|file| file.take(MAX_SMALL_FILE + 1).read_to_end(&mut bytes));
    if let Err(error) = read {
        problems.push(format!("{}: cannot read: {error}", path.display()));
        return None;
    }
    if bytes.len() as u64 > MAX_SMALL_FILE {
        problems.push(format!(
            "{}: over the {MAX_SMALL_FILE}-byte limit",
            path.display()
        ));
        return None;
    }
    String::from_utf8(bytes)
        .map_err(|_| problems.push(format!("{}: not UTF-8 text", path.display())))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_regular_and_special_files() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("results.json");
        assert_eq!(regular_file(&file), Ok(false));
        std::fs::write(&file, "{}").unwrap();
        assert_eq!(regular_file(&file), Ok(true));
        let problem = regular_file(dir.path()).unwrap_err();
        assert!(
            problem.contains("a directory, not a regular file"),
            "{problem}"
        );
        let mut problems = Vec::new();
        assert_eq!(read_small(&file, &mut problems).as_deref(), Some("{}"));
        assert!(problems.is_empty());
    }
}
