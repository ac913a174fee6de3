//! Running the JS side of the interop tests.

use std::path::PathBuf;
use std::process::Stdio;

use anyhow::{Context, Result, bail};

/// `tests/js`, where package.json and the scripts are.
pub fn js_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("js")
}

/// Fails with a message naming what is missing: Node, or the npm packages.
pub fn require_node() -> Result<()> {
    let ok = std::process::Command::new("node")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        bail!(
            "the interop tests need Node.js (`node` on PATH); install it (apt-get install nodejs npm)"
        );
    }
    if !js_dir()
        .join("node_modules/@automerge/automerge-repo")
        .exists()
    {
        bail!("the interop tests need the npm packages: run `npm ci` in tests/js");
    }
    Ok(())
}

/// Runs `node tests/js/<script> <args>`; returns stdout, fails with stderr.
pub async fn run(script: &str, args: &[&str]) -> Result<String> {
    require_node()?;
    let out = tokio::process::Command::new("node")
        .arg(js_dir().join(script))
        .args(args)
        .current_dir(js_dir())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output()
        .await
        .with_context(|| format!("running node {script}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        bail!(
            "node {script} failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(stdout)
}
