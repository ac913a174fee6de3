//! What every HTTP request meets before a handler: the origins a browser may
//! call from, the client's address behind a trusted proxy, the security
//! headers of every response, and paths that could turn into a
//! protocol-relative redirect.

use std::net::{IpAddr, SocketAddr};
use std::sync::OnceLock;

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::config::Config;

/// The origins (scheme, host, port) a browser may open the socket and call
/// the API from. Set once the listener is bound (its port may be chosen by
/// the system); never taken from the request's `Host`.
#[derive(Debug, Default)]
pub struct Origins(OnceLock<Vec<String>>);

impl Origins {
    /// The configured origins, or else those of the listening address.
    pub fn set(&self, config: &Config, addr: SocketAddr) {
        let list = if config.allowed_origins.is_empty() {
            let port = addr.port();
            let mut list = vec![format!("http://{addr}")];
            if addr.ip().is_loopback() || addr.ip().is_unspecified() {
                list.push(format!("http://localhost:{port}"));
                list.push(format!("http://127.0.0.1:{port}"));
            }
            if addr.ip().is_unspecified() {
                tracing::warn!(
                    "listening on every address without --allowed-origins: browsers are allowed only from localhost; set the public origin"
                );
            }
            list
        } else {
            config
                .allowed_origins
                .iter()
                .map(|o| o.trim().trim_end_matches('/').to_ascii_lowercase())
                .collect()
        };
        let _ = self.0.set(list);
    }

    /// The first origin: where links sent out (e-mail) point.
    pub fn public(&self) -> Option<String> {
        self.0.get().and_then(|l| l.first().cloned())
    }

    /// No `Origin` (not a browser), or one of ours exactly.
    pub fn allow(&self, headers: &HeaderMap) -> bool {
        let Some(origin) = headers.get(header::ORIGIN) else {
            return true;
        };
        let Ok(origin) = origin.to_str() else {
            return false;
        };
        let origin = origin.trim_end_matches('/').to_ascii_lowercase();
        self.0.get().is_some_and(|list| list.contains(&origin))
    }
}

/// The client's address: the socket's peer, or, when that peer is a trusted
/// proxy, the last address in `X-Forwarded-For` that is not itself one.
pub fn client_ip(trusted: &[IpAddr], peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
    let peer = peer.ip();
    if !trusted.contains(&peer) {
        return peer;
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .filter_map(|s| s.parse::<IpAddr>().ok())
        .find(|ip| !trusted.contains(ip))
        .unwrap_or(peer)
}

/// The Content-Security-Policy of the app: its own scripts (and compiling
/// its WASM), its own styles plus the printable export's inline style (by
/// hash), its own fonts, connections to itself (the socket included), no
/// plugins, and no framing by anyone.
pub fn content_security_policy() -> String {
    let print = base64_sha256(codraft_schema::export::PRINT_CSS.as_bytes());
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'sha256-{print}'; \
         img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; worker-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

fn base64_sha256(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let digest = Sha256::digest(bytes);
    let mut out = String::new();
    for chunk in digest.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Adds the security headers to every response, and answers 404 to a path
/// with an empty segment (`//assets`), which a directory redirect would
/// otherwise turn into a protocol-relative (off-site) `Location`.
pub async fn guard(req: Request, next: Next) -> Response {
    static CSP: OnceLock<HeaderValue> = OnceLock::new();
    let mut res = if req.uri().path().contains("//") {
        (StatusCode::NOT_FOUND, "not found").into_response()
    } else {
        next.run(req).await
    };
    let csp = CSP.get_or_init(|| {
        HeaderValue::from_str(&content_security_policy()).expect("a valid header value")
    });
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, csp.clone());
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_of_a_digest_matches_a_known_value() {
        // echo -n abc | sha256sum | xxd -r -p | base64
        assert_eq!(
            base64_sha256(b"abc"),
            "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
        );
    }

    #[test]
    fn origins_are_compared_whole_and_never_from_host() {
        let mut config = Config::for_tests("/tmp".into());
        let o = Origins::default();
        o.set(&config, "127.0.0.1:8080".parse().unwrap());
        let with = |origin: &str, host: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::ORIGIN, origin.parse().unwrap());
            h.insert(header::HOST, host.parse().unwrap());
            h
        };
        assert!(o.allow(&with("http://127.0.0.1:8080", "127.0.0.1:8080")));
        assert!(o.allow(&with("http://localhost:8080", "localhost:8080")));
        assert!(!o.allow(&with("http://evil.com", "evil.com")));
        assert!(!o.allow(&with("https://127.0.0.1:8080", "127.0.0.1:8080")));
        assert!(o.allow(&HeaderMap::new()), "not a browser");
        config.allowed_origins = vec!["https://codraft.example.org/".into()];
        let o = Origins::default();
        o.set(&config, "0.0.0.0:8080".parse().unwrap());
        assert!(o.allow(&with("https://codraft.example.org", "x")));
        assert!(!o.allow(&with("http://codraft.example.org", "codraft.example.org")));
    }

    #[test]
    fn the_forwarded_address_counts_only_from_a_trusted_proxy() {
        let mut config = Config::for_tests("/tmp".into());
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "6.6.6.6, 203.0.113.7".parse().unwrap());
        let proxy: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        assert_eq!(
            client_ip(&config.trusted_proxies, proxy, &h),
            proxy.ip(),
            "not trusted"
        );
        config.trusted_proxies = vec![proxy.ip()];
        assert_eq!(
            client_ip(&config.trusted_proxies, proxy, &h),
            "203.0.113.7".parse::<IpAddr>().unwrap(),
            "the address the proxy saw, not what the client wrote before it"
        );
    }
}
