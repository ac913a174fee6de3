//! What `/proc` tells of a process, shared by `codraft-bench` and
//! `socket-floor` (included by path in the latter).

use anyhow::{Context, Result};

/// CPU time (user + system) process `pid` has used, in seconds.
pub fn cpu_seconds(pid: u32) -> Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name (which may hold spaces) end with ')'.
    let rest = stat.rsplit_once(')').context("odd /proc stat")?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line.
    let ticks: f64 = f[11].parse::<f64>()? + f[12].parse::<f64>()?;
    // Clock ticks per second: 100 on Linux.
    Ok(ticks / 100.0)
}
