//! E-mail through a configured SMTP server (`--smtp-url`, `--mail-from`):
//! invitations, and the notifications each person chose to receive by
//! e-mail, at once or in a daily digest ([`prefs`]), worded in their
//! language ([`words`]).
//!
//! Nothing waits on the SMTP server: a message is queued in the
//! directory's outbox ([`crate::directory::Outbox`]) and a background
//! task sends what is due, trying a failed message again later (the delay
//! doubling up to an hour), so an SMTP server that is down delays e-mail
//! and blocks nothing; the notification is in the inbox all along.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use crate::directory::{Directory, DirectoryError, Role};
use crate::inbox::Note;

pub mod prefs;
pub mod words;

pub use prefs::{Delivery, Prefs};

/// The longest a failed message waits before its next try.
const MAX_DELAY: Duration = Duration::from_secs(3600);
/// The outbox's queue of e-mails.
pub const QUEUE: &str = "mail";
/// How long an instance holds a message it is sending.
const LEASE_MS: i64 = 120_000;

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("--smtp-url: {0}")]
    Url(String),
    #[error("--mail-from is not an address: {0}")]
    From(String),
}

/// A message waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    /// Part of this person's daily digest (their id, and their language).
    #[serde(default)]
    pub digest: Option<(String, String)>,
}

/// What an invitation e-mail needs.
#[derive(Debug, Clone)]
pub struct InvitationMail<'a> {
    pub to: &'a str,
    pub group: &'a str,
    pub role: Role,
    /// The inviter's name.
    pub inviter: &'a str,
    pub token: &'a str,
    pub expires_ms: i64,
}

/// A person's due digest parts, by (user, language, address).
type Digests = std::collections::BTreeMap<(String, String, String), Vec<(i64, Mail, u32)>>;

#[derive(Debug, Clone)]
pub struct MailSettings {
    pub smtp_url: String,
    pub from: String,
    /// The first retry's delay (then doubling).
    pub retry: Duration,
    /// How often the outbox is looked at.
    pub poll: Duration,
}

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    settings: MailSettings,
    dir: Arc<dyn Directory>,
    /// The public origin links point to (known once listening).
    base: OnceLock<String>,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from).finish()
    }
}

/// `smtp://[user:pass@]host[:port][?tls=none|opportunistic|required]`
/// (STARTTLS; opportunistic by default) or `smtps://…` (TLS from the
/// start).
pub fn transport(url: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>, MailError> {
    let bad = |m: &str| MailError::Url(format!("{m} in {url:?}"));
    let (scheme, rest) = url.split_once("://").ok_or_else(|| bad("no scheme"))?;
    let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (auth, hostport) = match rest.rsplit_once('@') {
        Some((a, h)) => (Some(a), h),
        None => (None, rest),
    };
    let hostport = hostport.trim_end_matches('/');
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => (h, Some(p.parse::<u16>().map_err(|_| bad("a bad port"))?)),
        None => (hostport, None),
    };
    if host.is_empty() {
        return Err(bad("no host"));
    }
    let params = || TlsParameters::new(host.to_owned()).map_err(|e| MailError::Url(e.to_string()));
    let tls_mode = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("tls="))
        .unwrap_or("opportunistic");
    let (tls, default_port) = match (scheme, tls_mode) {
        ("smtps", _) => (Tls::Wrapper(params()?), 465),
        ("smtp", "none") => (Tls::None, 25),
        ("smtp", "required") => (Tls::Required(params()?), 587),
        ("smtp", "opportunistic") => (Tls::Opportunistic(params()?), 25),
        _ => return Err(bad("an unknown scheme or tls mode")),
    };
    let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .port(port.unwrap_or(default_port))
        .tls(tls)
        .timeout(Some(Duration::from_secs(20)));
    if let Some(a) = auth {
        let (u, p) = a.split_once(':').unwrap_or((a, ""));
        b = b.credentials(Credentials::new(u.to_owned(), p.to_owned()));
    }
    Ok(b.build())
}

impl Mailer {
    pub fn new(settings: MailSettings, dir: Arc<dyn Directory>) -> Result<Arc<Self>, MailError> {
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|_| MailError::From(settings.from.clone()))?;
        Ok(Arc::new(Mailer {
            transport: transport(&settings.smtp_url)?,
            from,
            settings,
            dir,
            base: OnceLock::new(),
        }))
    }

    /// Where the app is (links in messages point there).
    pub fn set_base(&self, origin: &str) {
        let _ = self.base.set(origin.trim_end_matches('/').to_owned());
    }

    fn base(&self) -> &str {
        self.base
            .get()
            .map(String::as_str)
            .unwrap_or("http://localhost:8080")
    }

    /// A link into the web app (`#/card/…`, `#/meeting/…`, `#/invite/…`).
    pub fn link(&self, route: &str) -> String {
        format!("{}/{route}", self.base())
    }

    async fn queue(&self, mail: &Mail, due_ms: i64) -> Result<(), DirectoryError> {
        let json =
            serde_json::to_string(mail).map_err(|e| DirectoryError::Backend(e.to_string()))?;
        self.dir.out_queue(QUEUE, json, due_ms).await.map(|_| ())
    }

    /// An invitation, in `lang`.
    pub async fn invite(
        &self,
        i: &InvitationMail<'_>,
        lang: codraft_schema::Lang,
    ) -> Result<(), DirectoryError> {
        let link = self.link(&format!("#/invite/{}", i.token));
        let w = words::invitation(
            i.group,
            i.role,
            i.inviter,
            &link,
            &iso_date(i.expires_ms),
            lang,
        );
        let mail = Mail {
            to: i.to.to_owned(),
            subject: w.subject,
            text: w.text,
            digest: None,
        };
        self.queue(&mail, crate::clock::now_ms()).await
    }

    /// The note for `user`, as they chose: at once, in tomorrow's digest,
    /// or not by e-mail.
    pub async fn notify(&self, user: &str, note: &Note) -> Result<(), DirectoryError> {
        let prefs = Prefs::from_json(self.dir.prefs(user).await?.as_deref());
        let delivery = prefs.delivery(note.kind);
        if delivery == Delivery::Off {
            return Ok(());
        }
        let Some(u) = self.dir.user(user).await? else {
            return Ok(());
        };
        let lang = prefs.lang();
        let link = match &note.doc {
            Some(doc) => self.link(&note.kind.route(&urlencode(doc))),
            None => self.link("#/inbox"),
        };
        let w = words::note(note, lang, &link);
        let now = crate::clock::now_ms();
        let (digest, due) = match delivery {
            Delivery::Digest => (
                Some((u.id.clone(), lang.code().to_owned())),
                prefs::next_digest_ms(now),
            ),
            _ => (None, now),
        };
        let mail = Mail {
            to: u.email,
            subject: w.subject,
            text: w.text,
            digest,
        };
        self.queue(&mail, due).await
    }

    /// Sends what is due until `stop`.
    pub async fn run(self: Arc<Self>, stop: CancellationToken) {
        loop {
            if let Err(e) = self.send_due().await {
                tracing::warn!(error = %e, "the outbox could not be read");
            }
            tokio::select! {
                _ = stop.cancelled() => return,
                _ = tokio::time::sleep(self.settings.poll) => {}
            }
        }
    }

    /// One pass: every due message (a person's due digest parts as one).
    pub async fn send_due(&self) -> Result<usize, DirectoryError> {
        let now = crate::clock::now_ms();
        let due = self.dir.out_claim(QUEUE, now, LEASE_MS, 100).await?;
        let mut sent = 0;
        let mut digests = Digests::new();
        for (id, json, attempts) in due {
            let Ok(mail) = serde_json::from_str::<Mail>(&json) else {
                tracing::error!(id, "an unreadable message in the outbox: dropped");
                self.dir.out_done(QUEUE, id).await?;
                continue;
            };
            match &mail.digest {
                Some((user, lang)) => digests
                    .entry((user.clone(), lang.clone(), mail.to.clone()))
                    .or_default()
                    .push((id, mail.clone(), attempts)),
                None => {
                    sent += usize::from(
                        self.try_send(&[(id, attempts)], &mail.to, &mail.subject, &mail.text)
                            .await?,
                    );
                }
            }
        }
        for ((_, lang, to), parts) in digests {
            let lang = codraft_schema::Lang::parse(&lang).unwrap_or_default();
            let texts: Vec<String> = parts.iter().map(|(_, m, _)| m.text.clone()).collect();
            let w = words::digest(&texts, lang);
            let ids: Vec<(i64, u32)> = parts.iter().map(|(id, _, n)| (*id, *n)).collect();
            sent += usize::from(self.try_send(&ids, &to, &w.subject, &w.text).await?);
        }
        Ok(sent)
    }

    /// Sends one message made of the outbox's `ids`; on failure each is
    /// due again after its backoff.
    async fn try_send(
        &self,
        ids: &[(i64, u32)],
        to: &str,
        subject: &str,
        text: &str,
    ) -> Result<bool, DirectoryError> {
        match self.send(to, subject, text).await {
            Ok(()) => {
                for (id, _) in ids {
                    self.dir.out_done(QUEUE, *id).await?;
                }
                Ok(true)
            }
            Err(e) => {
                tracing::warn!(error = %e, to, "an e-mail was not sent: it will be tried again");
                for (id, attempts) in ids {
                    let next = crate::clock::now_ms()
                        + backoff(self.settings.retry, *attempts).as_millis() as i64;
                    self.dir.out_failed(QUEUE, *id, next, e.clone()).await?;
                }
                Ok(false)
            }
        }
    }

    async fn send(&self, to: &str, subject: &str, text: &str) -> Result<(), String> {
        let to: Mailbox = to.parse().map_err(|e| format!("{to}: {e}"))?;
        let m = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .body(text.to_owned())
            .map_err(|e| e.to_string())?;
        self.transport
            .send(m)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// The delay before try number `attempts + 1`.
pub fn backoff(first: Duration, attempts: u32) -> Duration {
    first
        .saturating_mul(1u32.checked_shl(attempts.min(16)).unwrap_or(u32::MAX))
        .min(MAX_DELAY)
}

fn iso_date(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    format!("{:04}-{m:02}-{d:02}", if m <= 2 { y + 1 } else { y })
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls_parse_and_bad_ones_are_refused() {
        assert!(transport("smtp://127.0.0.1:2525?tls=none").is_ok());
        assert!(transport("smtp://u:p@mail.example.org:587?tls=required").is_ok());
        assert!(transport("smtps://mail.example.org").is_ok());
        assert!(transport("mail.example.org").is_err());
        assert!(transport("smtp://:25").is_err());
        assert!(transport("smtp://h:port").is_err());
        assert!(transport("smtp://h?tls=maybe").is_err());
    }

    #[test]
    fn retries_wait_longer_each_time_up_to_an_hour() {
        let s = Duration::from_secs(30);
        assert_eq!(backoff(s, 0), s);
        assert_eq!(backoff(s, 3), Duration::from_secs(240));
        assert_eq!(backoff(s, 40), MAX_DELAY);
    }

    #[test]
    fn dates_and_links() {
        assert_eq!(iso_date(0), "1970-01-01");
        assert_eq!(iso_date(1_770_076_800_000), "2026-02-03");
        assert_eq!(urlencode("automerge:4Xy"), "automerge%3A4Xy");
    }
}
