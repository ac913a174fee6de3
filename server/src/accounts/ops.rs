//! What the rest of the server asks of the directory, through [`Accounts`]:
//! reads, and the writes that need no rule beyond the directory's own
//! (the ones that change who may do what are in `mod.rs`, where the view
//! and the live sockets follow them).

use std::net::IpAddr;

use codraft_protocol::DocumentId;

use super::Accounts;
use crate::clock::now_ms;
use crate::directory::{
    AuditEntry, Credential, DirectoryError, DocInfo, Invitation, Member, NewUser, TokenInfo, User,
};
use crate::limiter::Verdict;

type Result<T> = std::result::Result<T, DirectoryError>;

impl Accounts {
    pub async fn create_user(&self, u: NewUser) -> Result<User> {
        self.dir.create_user(u).await
    }
    /// The account and its password hash.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<(User, String)>> {
        self.dir.user_by_email(email).await
    }
    pub async fn user(&self, id: &str) -> Result<Option<User>> {
        self.dir.user(id).await
    }
    pub async fn users(&self) -> Result<Vec<User>> {
        self.dir.users().await
    }
    pub async fn create_session(&self, user: &str, hash: &str, expires_ms: i64) -> Result<()> {
        self.dir.create_session(user, hash, expires_ms).await
    }
    /// A session by the hash of its secret, if valid now.
    pub async fn session(&self, hash: &str) -> Result<Option<Credential>> {
        self.dir.session(hash, now_ms()).await
    }
    /// An API token by the hash of its secret, if not revoked.
    pub async fn token(&self, hash: &str) -> Result<Option<Credential>> {
        self.dir.token(hash).await
    }
    pub async fn tokens(&self, user: &str) -> Result<Vec<TokenInfo>> {
        self.dir.tokens(user).await
    }
    pub async fn create_token(&self, user: &str, name: &str, hash: &str) -> Result<String> {
        self.dir.create_token(user, name, hash, now_ms()).await
    }
    pub async fn groups(&self) -> Result<Vec<String>> {
        self.dir.groups().await
    }
    pub async fn create_group(&self, id: &str) -> Result<()> {
        self.dir.create_group(id).await
    }
    pub async fn members(&self, group: &str) -> Result<Vec<Member>> {
        self.dir.members(group).await
    }
    pub async fn documents(&self) -> Result<Vec<DocInfo>> {
        self.dir.documents().await
    }
    pub async fn audit(&self, doc: DocumentId) -> Result<Vec<AuditEntry>> {
        self.dir.audit(doc).await
    }
    pub async fn create_invitation(&self, hash: &str, inv: Invitation) -> Result<()> {
        self.dir.create_invitation(hash, inv).await
    }
    /// An invitation that is neither used nor expired.
    pub async fn invitation(&self, hash: &str) -> Result<Option<Invitation>> {
        self.dir.invitation(hash, now_ms()).await
    }
    /// Uses an invitation up (once: a second use finds nothing).
    pub async fn use_invitation(&self, hash: &str) -> Result<Option<Invitation>> {
        self.dir.use_invitation(hash, now_ms()).await
    }
    /// Gives a used invitation back (its acceptance failed after all).
    pub async fn restore_invitation(&self, hash: &str) -> Result<()> {
        self.dir.restore_invitation(hash).await
    }
    /// Whether (and when) a sign-in may be tried.
    pub async fn sign_in_verdict(&self, email: &str, addr: IpAddr) -> Result<Verdict> {
        self.limiter.verdict(self.dir.as_ref(), email, addr).await
    }
    pub async fn sign_in_failed(&self, email: &str, addr: IpAddr) -> Result<()> {
        self.limiter.failed(self.dir.as_ref(), email, addr).await
    }
}
