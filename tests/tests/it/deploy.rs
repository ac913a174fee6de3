//! The deploy files, checked without a Docker engine: the compose file's
//! services, health checks, ports and Redis durability; the proxy's
//! WebSocket upgrade; the Dockerfile's stages, user, health check and pinned
//! wasm-bindgen; the systemd unit.

use std::path::PathBuf;

use serde_norway::Value;

fn deploy(file: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../deploy")
        .join(file);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn s<'a>(v: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(v, |v, k| &v[*k])
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::Sequence(items) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_owned))
            .collect(),
        Value::String(s) => vec![s.clone()],
        _ => vec![],
    }
}

#[test]
fn compose_runs_redis_two_instances_and_a_proxy_with_health_checks() {
    let mut compose: Value = serde_norway::from_str(&deploy("compose.yaml")).unwrap();
    // `<<: *codraft` merge keys, as Compose applies them.
    compose.apply_merge().unwrap();
    let services = s(&compose, &["services"]).as_mapping().expect("services");
    let names: Vec<&str> = services.keys().filter_map(Value::as_str).collect();
    for want in ["redis", "codraft-1", "codraft-2", "proxy"] {
        assert!(names.contains(&want), "no service {want} in {names:?}");
    }
    for name in &names {
        let test = strings(s(&compose, &["services", name, "healthcheck", "test"]));
        assert!(!test.is_empty(), "{name} has no health check");
    }
    // The instances (the second inherits the first through a YAML anchor).
    for name in ["codraft-1", "codraft-2"] {
        let env = s(&compose, &["services", name, "environment"]);
        assert_eq!(
            env["CODRAFT_REDIS_URL"].as_str(),
            Some("redis://redis:6379/"),
            "{name}"
        );
        assert!(env["CODRAFT_ALLOWED_ORIGINS"].as_str().is_some(), "{name}");
        // The proxy's X-Forwarded-For is believed only from its fixed address.
        assert_eq!(
            env["CODRAFT_TRUSTED_PROXIES"].as_str(),
            s(
                &compose,
                &["services", "proxy", "networks", "default", "ipv4_address"]
            )
            .as_str(),
            "{name}"
        );
        let metrics = env["CODRAFT_METRICS_LISTEN"].as_str().unwrap_or("");
        assert!(
            metrics.ends_with(":9090"),
            "{name}: metrics on their own port"
        );
        let health = strings(s(&compose, &["services", name, "healthcheck", "test"])).join(" ");
        assert!(health.contains("/readyz"), "{name}: {health}");
        assert_eq!(
            s(
                &compose,
                &["services", name, "depends_on", "redis", "condition"]
            )
            .as_str(),
            Some("service_healthy")
        );
    }
    let ports = strings(s(&compose, &["services", "proxy", "ports"]));
    assert!(ports.iter().any(|p| p.ends_with(":80")), "{ports:?}");
    // Redis keeps an append-only file.
    let conf = deploy("redis.conf");
    assert!(conf.lines().any(|l| l.trim() == "appendonly yes"));
    assert!(conf.lines().any(|l| l.trim().starts_with("appendfsync ")));
    assert!(
        conf.contains("appendfsync always"),
        "the strict option is documented"
    );
}

#[test]
fn the_proxy_passes_websocket_upgrades_to_every_instance() {
    let nginx = deploy("nginx.conf");
    for want in [
        "server codraft-1:8080",
        "server codraft-2:8080",
        "location /sync",
        "proxy_http_version 1.1;",
        "proxy_set_header Upgrade $http_upgrade;",
        "proxy_set_header Connection $connection_upgrade;",
        "default upgrade;",
    ] {
        assert!(nginx.contains(want), "nginx.conf lacks {want:?}");
    }
}

#[test]
fn the_proxy_logs_no_query_strings() {
    // `?token=` carries API tokens: the access log names the path only.
    let nginx = deploy("nginx.conf");
    let format = nginx
        .split("log_format codraft")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .expect("nginx.conf defines log_format codraft");
    assert!(format.contains("$uri"), "the log names the path: {format}");
    for leaky in [
        "$request ",
        "$request\"",
        "$request_uri",
        "$args",
        "$query_string",
    ] {
        assert!(
            !format.contains(leaky),
            "the log format has {leaky}: {format}"
        );
    }
    let uses: Vec<&str> = nginx
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("access_log") && !l.ends_with("off;"))
        .collect();
    assert!(!uses.is_empty(), "an access log is kept");
    assert!(
        uses.iter().all(|l| l.ends_with(" codraft;")),
        "every access log uses the format without queries: {uses:?}"
    );
}

#[test]
fn the_image_is_built_in_stages_and_runs_unprivileged_with_a_health_check() {
    let docker = deploy("Dockerfile");
    let froms = docker.lines().filter(|l| l.starts_with("FROM ")).count();
    assert!(froms >= 2, "multi-stage build");
    assert!(docker.contains("cargo install --locked wasm-bindgen-cli"));
    assert!(
        docker.contains("Cargo.lock"),
        "wasm-bindgen-cli pinned to the lock file"
    );
    assert!(docker.contains("scripts/build-web.sh --optimize"));
    let user = docker
        .lines()
        .rfind(|l| l.starts_with("USER "))
        .expect("a USER");
    assert_ne!(user.trim(), "USER root");
    assert!(docker.lines().any(|l| l.starts_with("HEALTHCHECK")));
    assert!(docker.contains("/readyz"));
    assert!(docker.lines().any(|l| l.trim() == "EXPOSE 8080"));
    let ignore =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.dockerignore"))
            .unwrap();
    assert!(ignore.lines().any(|l| l == "target"));
}

#[test]
fn the_systemd_unit_runs_the_server_hardened() {
    let unit = deploy("codraft.service");
    for want in [
        "ExecStart=/usr/local/bin/codraft serve",
        "StateDirectory=codraft",
        "NoNewPrivileges=yes",
        "KillSignal=SIGTERM",
        "CODRAFT_SECURE_COOKIES=true",
        "CODRAFT_TRUSTED_PROXIES=127.0.0.1",
        "CODRAFT_METRICS_LISTEN=127.0.0.1:",
    ] {
        assert!(unit.contains(want), "codraft.service lacks {want:?}");
    }
    let readme = deploy("README.md");
    for want in [
        "TLS",
        "CODRAFT_SECURE_COOKIES",
        "CODRAFT_ALLOWED_ORIGINS",
        "Backups",
        "backup --to",
        "restore --from",
        "CODRAFT_TRUSTED_PROXIES",
    ] {
        assert!(readme.contains(want), "the checklist lacks {want}");
    }
}
