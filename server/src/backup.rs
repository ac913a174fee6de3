//! Backup and restore of the embedded store: both SQLite files of a data
//! directory (`codraft.sqlite3`: documents; `directory.sqlite3`: accounts,
//! groups, audit log), copied with SQLite's online backup, so a backup can
//! be taken while the server runs and is a consistent snapshot of each
//! file. With Redis, back up Redis instead (see `deploy/README.md`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

/// The files of a data directory, in the order they are copied.
pub const FILES: [&str; 2] = ["codraft.sqlite3", "directory.sqlite3"];

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} has no {1}: is it a Codraft data directory?")]
    Missing(PathBuf, &'static str),
    #[error("{0} already holds data ({1}): restore into a new, empty directory")]
    NotEmpty(PathBuf, &'static str),
    #[error("{0} is not a sound SQLite file: {1}")]
    Damaged(PathBuf, String),
    #[error("{0}: {1}")]
    Sqlite(PathBuf, #[source] rusqlite::Error),
    #[error("{0}: {1}")]
    Io(PathBuf, #[source] std::io::Error),
}

/// Copies `from` into `to` with the online backup API (the source may be
/// in use by a running server).
fn copy(from: &Path, to: &Path) -> Result<(), BackupError> {
    let src = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| BackupError::Sqlite(from.into(), e))?;
    let mut dst = Connection::open(to).map_err(|e| BackupError::Sqlite(to.into(), e))?;
    let backup = rusqlite::backup::Backup::new(&src, &mut dst)
        .map_err(|e| BackupError::Sqlite(to.into(), e))?;
    backup
        .run_to_completion(256, Duration::from_millis(5), None)
        .map_err(|e| BackupError::Sqlite(to.into(), e))
}

fn check(path: &Path) -> Result<(), BackupError> {
    let c = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| BackupError::Sqlite(path.into(), e))?;
    let verdict: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| BackupError::Damaged(path.into(), e.to_string()))?;
    if verdict != "ok" {
        return Err(BackupError::Damaged(path.into(), verdict));
    }
    Ok(())
}

/// Writes a backup of `data_dir` into the directory `to` (created if
/// missing); returns the files written.
pub fn backup(data_dir: &Path, to: &Path) -> Result<Vec<PathBuf>, BackupError> {
    std::fs::create_dir_all(to).map_err(|e| BackupError::Io(to.into(), e))?;
    let mut written = Vec::new();
    for f in FILES {
        let src = data_dir.join(f);
        if !src.is_file() {
            return Err(BackupError::Missing(data_dir.into(), f));
        }
        let dst = to.join(f);
        if dst.exists() {
            return Err(BackupError::NotEmpty(to.into(), f));
        }
        copy(&src, &dst)?;
        check(&dst)?;
        written.push(dst);
    }
    Ok(written)
}

/// Restores the backup in `from` into `data_dir`, which must not hold
/// data yet (created if missing). Each file is checked first.
pub fn restore(from: &Path, data_dir: &Path) -> Result<Vec<PathBuf>, BackupError> {
    for f in FILES {
        let src = from.join(f);
        if !src.is_file() {
            return Err(BackupError::Missing(from.into(), f));
        }
        check(&src)?;
        if data_dir.join(f).exists() {
            return Err(BackupError::NotEmpty(data_dir.into(), f));
        }
    }
    std::fs::create_dir_all(data_dir).map_err(|e| BackupError::Io(data_dir.into(), e))?;
    let mut written = Vec::new();
    for f in FILES {
        let dst = data_dir.join(f);
        copy(&from.join(f), &dst)?;
        written.push(dst);
    }
    Ok(written)
}
