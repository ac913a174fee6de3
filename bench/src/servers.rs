//! Starting and measuring the two servers.

use std::net::TcpListener;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use tokio::process::{Child, Command};

#[derive(Debug)]
pub struct Server {
    pub url: String,
    /// `None` for a server this benchmark did not start.
    child: Option<Child>,
    _dir: Option<TempDir>,
}

/// A directory removed on drop.
#[derive(Debug)]
struct TempDir(std::path::PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn temp_dir(name: &str) -> Result<TempDir> {
    let p = std::env::temp_dir().join(format!("codraft-bench-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p)?;
    Ok(TempDir(p))
}

impl Server {
    /// Codraft with the embedded store.
    pub async fn codraft(bin: &Path) -> Result<Self> {
        Self::codraft_with(bin, &[]).await
    }

    /// An instance keeping its documents in Redis.
    pub async fn codraft_redis(bin: &Path, redis_url: &str) -> Result<Self> {
        Self::codraft_with(bin, &["--redis-url", redis_url]).await
    }

    async fn codraft_with(bin: &Path, extra: &[&str]) -> Result<Self> {
        if !bin.exists() {
            bail!(
                "{} not found: build it with cargo build --release -p codraft-server",
                bin.display()
            );
        }
        let port = free_port()?;
        let dir = temp_dir(&format!("codraft-{port}"))?;
        let child = Command::new(bin)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            // Like the reference server: no accounts, so both sides do the
            // same protocol work (accounts add one lookup per message).
            .arg("--open-access")
            .args(extra)
            .arg("--data-dir")
            .arg(&dir.0)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .context("starting codraft")?;
        Self::ready("codraft", port, child, dir).await
    }

    pub async fn reference(js_dir: &Path) -> Result<Self> {
        if !js_dir
            .join("node_modules/@automerge/automerge-repo")
            .exists()
        {
            bail!(
                "the reference server needs the npm packages: run npm ci in {}",
                js_dir.display()
            );
        }
        let port = free_port()?;
        let dir = temp_dir("reference")?;
        let child = Command::new("node")
            .arg(js_dir.join("reference-server.mjs"))
            .arg(port.to_string())
            .arg(&dir.0)
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .context("starting the reference server: is Node.js (node) installed?")?;
        Self::ready("reference", port, child, dir).await
    }

    async fn ready(name: &str, port: u16, child: Child, dir: TempDir) -> Result<Self> {
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return Ok(Server {
                    url: format!("ws://127.0.0.1:{port}/sync"),
                    child: Some(child),
                    _dir: Some(dir),
                });
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        bail!("{name} did not start listening on port {port}")
    }

    /// A server started elsewhere.
    pub fn external(url: String) -> Self {
        Server {
            url,
            child: None,
            _dir: None,
        }
    }

    /// The server process's id, if this bench started it and it runs.
    fn pid(&self) -> Result<u32> {
        self.child
            .as_ref()
            .and_then(|c| c.id())
            .context("server not started here, or exited")
    }

    /// CPU time (user + system) the server process has used, in seconds.
    pub fn cpu_seconds(&self) -> Result<f64> {
        crate::procfs::cpu_seconds(self.pid()?)
    }

    /// Context switches of the server's threads so far.
    pub fn context_switches(&self) -> Result<u64> {
        crate::procfs::context_switches(self.pid()?)
    }

    /// Resident memory of the server process, in bytes.
    pub fn rss(&self) -> Result<u64> {
        let pid = self.pid()?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
        let kb: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .context("no VmRSS")?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()?;
        Ok(kb * 1024)
    }

    pub async fn stop(mut self) {
        if let Some(c) = self.child.as_mut() {
            let _ = c.kill().await;
        }
    }
}

/// A `redis-server` for the cross-instance scenario (AOF, `everysec`).
#[derive(Debug)]
pub struct Redis {
    port: u16,
    _child: Child,
    _dir: TempDir,
}

impl Redis {
    pub async fn start() -> Result<Self> {
        let port = free_port()?;
        let dir = temp_dir(&format!("redis-{port}"))?;
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
            ])
            .args(["--appendonly", "yes", "--appendfsync", "everysec"])
            .arg("--dir")
            .arg(&dir.0)
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .context("starting redis-server: is it installed (apt-get install redis-server)?")?;
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return Ok(Redis {
                    port,
                    _child: child,
                    _dir: dir,
                });
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        bail!("redis-server did not start on port {port}")
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }
}
