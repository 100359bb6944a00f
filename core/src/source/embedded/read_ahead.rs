//! Reading a store file ahead of a day-stats pass: the pages arrive in file
//! order, at the disk's sequential speed, while the pass starts.
//!
//! The file is opened once per path and never closed: closing any
//! descriptor of a file drops every POSIX lock the process holds on it,
//! SQLite's included ("How To Corrupt An SQLite Database File", section
//! 2.2), which would let another process check the write-ahead log into the
//! file under a connection still reading it.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// The largest store whose pages a day-stats pass asks the kernel to read
/// ahead: 4 GiB, well inside the page cache of the machines it runs on.
const READ_AHEAD_MAX: u64 = 4 << 30;

/// The reader's buffer.
const BLOCK: usize = 4 << 20;

/// A file with at least this share of its pages in the page cache is not
/// read ahead: reading it would only copy memory on a core the pass needs.
const CACHED_SHARE: f64 = 0.9;

/// The files opened for reading ahead, by path; `None` while one is read.
fn opened() -> &'static Mutex<HashMap<PathBuf, Option<Arc<File>>>> {
    static OPENED: OnceLock<Mutex<HashMap<PathBuf, Option<Arc<File>>>>> = OnceLock::new();
    OPENED.get_or_init(Default::default)
}

/// Reads the store file through once, in order, on a thread of its own
/// while the pass starts: a pass reads most of a store, and pages read in
/// file order arrive at the disk's sequential speed instead of one random
/// read each (rows imported out of date order leave the index pages
/// scattered). Measured on a 1M-row store imported in random order with the
/// file out of the page cache: the full-range backfill 2.5 s -> 1.4 s (the
/// kernel's own read-ahead advice, `posix_fadvise(WILLNEED)`, gained
/// nothing). A file already in the page cache (asked of the kernel with
/// `mincore`, on Linux) is left alone. One reader per file at a time.
pub(super) fn start(path: &Path) {
    let Some(file) = take(path) else {
        return;
    };
    let key = path.to_path_buf();
    let spawned = std::thread::Builder::new()
        .name("courtside-read-ahead".to_string())
        .spawn({
            let file = Arc::clone(&file);
            let key = key.clone();
            move || {
                read_through(&file);
                give_back(key, file);
            }
        });
    if spawned.is_err() {
        give_back(key, file);
    }
}

/// The path's file, opened on first use; `None` when it is being read, is
/// too large or does not open.
fn take(path: &Path) -> Option<Arc<File>> {
    let mut opened = opened().lock().ok()?;
    let slot = match opened.get_mut(path) {
        Some(slot) => slot.take()?,
        None => {
            let file = Arc::new(File::open(path).ok()?);
            opened.insert(path.to_path_buf(), None);
            file
        }
    };
    if !slot
        .metadata()
        .is_ok_and(|meta| meta.len() <= READ_AHEAD_MAX)
    {
        opened.insert(path.to_path_buf(), Some(slot));
        return None;
    }
    Some(slot)
}

fn give_back(path: PathBuf, file: Arc<File>) {
    if let Ok(mut opened) = opened().lock() {
        opened.insert(path, Some(file));
    }
}

fn read_through(file: &File) {
    if resident_share(file).is_some_and(|share| share >= CACHED_SHARE) {
        return;
    }
    let mut buffer = vec![0u8; BLOCK];
    let mut offset = 0u64;
    while let Ok(read) = read_at(file, &mut buffer, offset) {
        if read == 0 {
            return;
        }
        offset += read as u64;
    }
}

/// The share of the file's pages in the page cache; `None` when it cannot
/// be told.
#[cfg(target_os = "linux")]
fn resident_share(file: &File) -> Option<f64> {
    use std::os::fd::AsRawFd;
    let length = usize::try_from(file.metadata().ok()?.len()).ok()?;
    // SAFETY: sysconf has no preconditions.
    let page = usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).ok()?;
    if length == 0 || page == 0 {
        return None;
    }
    let mut resident = vec![0u8; length.div_ceil(page)];
    // SAFETY: a read-only shared mapping of an open file, of its length;
    // only its address is used (mincore reads the page tables, never the
    // pages) and it is unmapped before the function returns.
    unsafe {
        let address = libc::mmap(
            std::ptr::null_mut(),
            length,
            libc::PROT_READ,
            libc::MAP_SHARED,
            file.as_raw_fd(),
            0,
        );
        if address == libc::MAP_FAILED {
            return None;
        }
        let asked = libc::mincore(address, length, resident.as_mut_ptr());
        libc::munmap(address, length);
        if asked != 0 {
            return None;
        }
    }
    let cached = resident.iter().filter(|flag| **flag & 1 == 1).count();
    Some(cached as f64 / resident.len() as f64)
}

#[cfg(not(target_os = "linux"))]
fn resident_share(_: &File) -> Option<f64> {
    None
}

#[cfg(unix)]
fn read_at(file: &File, buffer: &mut [u8], offset: u64) -> std::io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buffer, offset)
}

#[cfg(windows)]
fn read_at(file: &File, buffer: &mut [u8], offset: u64) -> std::io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buffer, offset)
}

#[cfg(not(any(unix, windows)))]
fn read_at(_: &File, _: &mut [u8], _: u64) -> std::io::Result<usize> {
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_by_one_reader_at_a_time_and_never_closed() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("store.sqlite");
        std::fs::write(&path, vec![7u8; 3 * BLOCK + 5]).expect("a file");
        let first = take(&path).expect("the first reader gets the file");
        assert!(take(&path).is_none(), "a second reader while one reads");
        give_back(path.clone(), Arc::clone(&first));
        let again = take(&path).expect("the file once given back");
        assert!(
            Arc::ptr_eq(&first, &again),
            "the same open file, not a new one"
        );
        give_back(path, again);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_just_written_is_in_the_page_cache() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("store.sqlite");
        std::fs::write(&path, vec![7u8; 2 * BLOCK]).expect("a file");
        let file = File::open(&path).expect("the file");
        let share = resident_share(&file).expect("mincore answers on Linux");
        assert!(share >= CACHED_SHARE, "{share}");
        assert_eq!(
            resident_share(&File::open(dir.path()).expect("the folder")),
            None
        );
    }
}
