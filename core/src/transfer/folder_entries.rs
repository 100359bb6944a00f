//! Which entries of an import folder are read. Hidden entries (a name
//! starting with `.`: `.ipynb_checkpoints`, `.git`, `.DS_Store`) are passed
//! over and named in one note, never read as experiments; a symbolic link
//! that points nowhere is a problem naming it, never passed over in silence;
//! every other folder (a link to one included) is read, in name order.

use std::path::{Path, PathBuf};

/// What an import folder holds for reading.
#[derive(Debug, Default, PartialEq)]
pub struct FolderEntries {
    /// The folders to read, sorted by path.
    pub folders: Vec<PathBuf>,
    /// The hidden entries passed over, by name, sorted.
    pub hidden: Vec<String>,
}

impl FolderEntries {
    /// One line naming the hidden entries of `dir` passed over, if any.
    pub fn hidden_note(&self, dir: &Path) -> Option<String> {
        (!self.hidden.is_empty()).then(|| {
            format!(
                "{}: skipped hidden {} {} (a name starting with '.' is never an experiment)",
                dir.display(),
                if self.hidden.len() == 1 {
                    "entry"
                } else {
                    "entries"
                },
                self.hidden.join(", ")
            )
        })
    }
}

/// The folders of `dir` to read and the hidden entries passed over; or every
/// problem: the directory unreadable, an entry unreadable, each symbolic
/// link that points nowhere.
pub fn folders_of(dir: &Path) -> Result<FolderEntries, Vec<String>> {
    let entries = std::fs::read_dir(dir).map_err(|error| {
        vec![format!(
            "{}: cannot read the directory: {error}",
            dir.display()
        )]
    })?;
    let mut found = FolderEntries::default();
    let mut problems = Vec::new();
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                problems.push(format!("{}: cannot read an entry: {error}", dir.display()));
                continue;
            }
        };
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            found.hidden.push(name);
            continue;
        }
        let is_link = entry.file_type().is_ok_and(|kind| kind.is_symlink());
        // `metadata` follows a link: a link to a folder is a folder.
        match std::fs::metadata(&path) {
            Ok(metadata) if metadata.is_dir() => found.folders.push(path),
            Ok(_) => {}
            Err(_) if is_link => problems.push(dangling(&path)),
            Err(error) => problems.push(format!("{}: cannot read: {error}", path.display())),
        }
    }
    if !problems.is_empty() {
        problems.sort();
        return Err(problems);
    }
    found.folders.sort();
    found.hidden.sort();
    Ok(found)
}

/// A symbolic link whose target does not exist, named with its target.
fn dangling(path: &Path) -> String {
    let target = std::fs::read_link(path)
        .map(|target| format!(" to {}", target.display()))
        .unwrap_or_default();
    format!(
        "{}: a symbolic link{target} that points nowhere; remove it or point it at an experiment folder",
        path.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_entries_are_passed_over_and_named_in_one_line() {
        let dir = tempfile::tempdir().unwrap();
        for folder in ["b_run", "a_run", ".ipynb_checkpoints", ".git"] {
            std::fs::create_dir(dir.path().join(folder)).unwrap();
        }
        std::fs::write(dir.path().join(".DS_Store"), "").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not a folder").unwrap();
        let entries = folders_of(dir.path()).unwrap();
        assert_eq!(
            entries.folders,
            [dir.path().join("a_run"), dir.path().join("b_run")]
        );
        assert_eq!(entries.hidden, [".DS_Store", ".git", ".ipynb_checkpoints"]);
        let note = entries.hidden_note(dir.path()).unwrap();
        assert!(
            note.contains("skipped hidden entries .DS_Store, .git, .ipynb_checkpoints"),
            "{note}"
        );
        assert_eq!(note.lines().count(), 1);
        let plain = tempfile::tempdir().unwrap();
        std::fs::create_dir(plain.path().join("run")).unwrap();
        assert_eq!(
            folders_of(plain.path()).unwrap().hidden_note(plain.path()),
            None
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_pointing_nowhere_is_named_and_one_to_a_folder_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("run")).unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("linked")).unwrap();
        let entries = folders_of(dir.path()).unwrap();
        assert_eq!(
            entries.folders,
            [dir.path().join("linked"), dir.path().join("run")]
        );
        std::os::unix::fs::symlink(dir.path().join("moved_away"), dir.path().join("gone")).unwrap();
        let problems = folders_of(dir.path()).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains("gone")
                && problems[0].contains("moved_away")
                && problems[0].contains("points nowhere"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_missing_directory_is_a_problem() {
        let dir = tempfile::tempdir().unwrap();
        let problems = folders_of(&dir.path().join("nope")).unwrap_err();
        assert!(
            problems[0].contains("cannot read the directory"),
            "{problems:?}"
        );
    }
}
