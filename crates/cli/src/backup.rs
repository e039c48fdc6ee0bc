//! Backup: `VACUUM INTO` gives a consistent copy of a live SQLite database; the rest of the data
//! dir (key files, uploads) is copied beside it into one tar file. PostgreSQL uses pg_dump.

use anyhow::{Context, bail};
use gongzhi_store::Store;
use std::path::Path;

const DB_NAME: &str = "gongzhi.db";

pub async fn backup(store: &Store, data_dir: &Path, to: &Path) -> anyhow::Result<()> {
    let tmp = data_dir.join(format!(".backup-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    store
        .sqlite_snapshot(&tmp)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let result = (|| -> anyhow::Result<()> {
        let file =
            std::fs::File::create(to).with_context(|| format!("creating {}", to.display()))?;
        let mut tar = tar::Builder::new(file);
        tar.append_path_with_name(&tmp, DB_NAME)?;
        for entry in std::fs::read_dir(data_dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().to_string();
            // The live database and its WAL are represented by the snapshot.
            if name.starts_with(DB_NAME) || name.starts_with(".backup-") {
                continue;
            }
            let path = entry.path();
            if path.is_dir() {
                tar.append_dir_all(&name, &path)?;
            } else {
                tar.append_path_with_name(&path, &name)?;
            }
        }
        tar.into_inner()?.sync_all()?;
        Ok(())
    })();
    let _ = std::fs::remove_file(&tmp);
    result
}

pub fn restore(from: &Path, data_dir: &Path, force: bool) -> anyhow::Result<()> {
    let db = data_dir.join(DB_NAME);
    if db.exists() && !force {
        bail!(
            "数据目录中已有数据库 {}；确认已停止服务后加 --force 覆盖\n\
             {} already holds a database; stop the server and add --force to replace it",
            db.display(),
            data_dir.display()
        );
    }
    std::fs::create_dir_all(data_dir)?;
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(data_dir.join(format!("{DB_NAME}{suffix}")));
    }
    let file = std::fs::File::open(from).with_context(|| format!("opening {}", from.display()))?;
    let mut archive = tar::Archive::new(file);
    archive.set_overwrite(true);
    archive.set_preserve_permissions(true);
    archive
        .unpack(data_dir)
        .with_context(|| format!("unpacking into {}", data_dir.display()))?;
    Ok(())
}
