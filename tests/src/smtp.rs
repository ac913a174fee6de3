//! A real SMTP server process for one test (Python's `aiosmtpd`, from PyPI,
//! installed on first use into a virtual environment under `target/`), on
//! a given or free port; each message it receives, decoded, can be read
//! back (recipient, subject, body).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

#[derive(Debug)]
pub struct SmtpServer {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Child,
    /// Kept open: the server writes to it.
    _out: std::process::ChildStdout,
}

/// A message as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub to: Vec<String>,
    pub subject: String,
    pub body: String,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The virtual environment's Python, with `tests/py/requirements.txt`
/// installed (once).
fn python() -> Result<PathBuf> {
    // The tests of one binary run at once: one installs, the others wait.
    static INSTALL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _once = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    let venv = root().join("target/py-smtp");
    let py = venv.join("bin/python");
    let stamp = venv.join("installed");
    let reqs = root().join("tests/py/requirements.txt");
    let wanted = std::fs::read_to_string(&reqs)?;
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(py);
    }
    let run = |c: &mut Command, what: &str| -> Result<()> {
        let out = c.output().with_context(|| what.to_owned())?;
        if !out.status.success() {
            bail!("{what}: {}", String::from_utf8_lossy(&out.stderr));
        }
        Ok(())
    };
    run(
        Command::new("python3").args(["-m", "venv"]).arg(&venv),
        "the e-mail tests need python3 with venv (Debian: apt-get install python3-venv)",
    )?;
    run(
        Command::new(&py)
            .args([
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                "-r",
            ])
            .arg(&reqs),
        "installing aiosmtpd from PyPI",
    )?;
    std::fs::write(&stamp, wanted)?;
    Ok(py)
}

impl SmtpServer {
    /// On a free port.
    pub fn start() -> Result<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        Self::start_on(port)
    }

    /// On `port` (a test that first lets the server be down picks it).
    pub fn start_on(port: u16) -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let mut child = Command::new(python()?)
            .arg(root().join("tests/py/smtp_sink.py"))
            .arg(port.to_string())
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .context("starting the SMTP server")?;
        let mut out = child.stdout.take().context("its output")?;
        let mut line = [0u8; 5];
        std::io::Read::read_exact(&mut out, &mut line).context("the SMTP server did not start")?;
        if &line != b"ready" {
            bail!("the SMTP server said {:?}", String::from_utf8_lossy(&line));
        }
        Ok(SmtpServer {
            port,
            dir,
            child,
            _out: out,
        })
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}?tls=none", self.port)
    }

    /// Every message received so far, in order.
    pub fn received(&self) -> Result<Vec<Received>> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.path())?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|f| {
                let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(f)?)?;
                Ok(Received {
                    to: v["to"]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|x| x.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default(),
                    subject: v["subject"].as_str().unwrap_or_default().to_owned(),
                    body: v["body"].as_str().unwrap_or_default().to_owned(),
                })
            })
            .collect()
    }

    /// Waits until `n` messages arrived (at most `within`).
    pub async fn wait_for(&self, n: usize, within: Duration) -> Result<Vec<Received>> {
        let start = Instant::now();
        loop {
            let got = self.received()?;
            if got.len() >= n {
                return Ok(got);
            }
            if start.elapsed() > within {
                bail!("{} messages arrived, {n} expected: {got:?}", got.len());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
