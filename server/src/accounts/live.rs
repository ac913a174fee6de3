//! The live sockets of signed-in users, so that a revocation or a role
//! change closes them (on this instance, and after a lost subscription).

use super::*;

impl Accounts {
    /// After a reload: closes the sockets of users whose roles changed
    /// since `before`, and those whose session or token is no longer valid.
    pub(super) async fn recheck_live(&self, before: &HashMap<(String, String), Role>) {
        let changed: HashSet<String> = {
            let now = &self.view.read().unwrap().roles;
            before
                .iter()
                .filter(|(k, r)| now.get(*k) != Some(*r))
                .map(|((_, user), _)| user.clone())
                .collect()
        };
        for user in &changed {
            self.close_user(user, "your access to a group changed: reconnect");
        }
        let held: Vec<(String, String, CredentialKind)> = {
            let live = self.live.lock().unwrap();
            live.iter()
                .flat_map(|(user, list)| {
                    list.iter()
                        .map(|l| (user.clone(), l.credential.clone(), l.kind))
                })
                .collect()
        };
        let now_ms = crate::clock::now_ms();
        let mut tokens: HashMap<String, Vec<TokenInfo>> = HashMap::new();
        for (user, credential, kind) in held {
            let valid = match kind {
                CredentialKind::Session => self
                    .dir
                    .session(&credential, now_ms)
                    .await
                    .map(|c| c.is_some()),
                CredentialKind::ApiToken => {
                    if !tokens.contains_key(&user) {
                        match self.dir.tokens(&user).await {
                            Ok(t) => {
                                tokens.insert(user.clone(), t);
                            }
                            Err(e) => {
                                tracing::error!(error = %e, "re-checking live tokens");
                                continue;
                            }
                        }
                    }
                    Ok(tokens[&user]
                        .iter()
                        .any(|t| t.id == credential && !t.revoked))
                }
            };
            match valid {
                Ok(true) => {}
                Ok(false) => {
                    self.close_credential(&credential, "your session or token was revoked")
                }
                Err(e) => tracing::error!(error = %e, "re-checking live credentials"),
            }
        }
    }

    /// Remembers a live socket of a signed-in user.
    pub fn attach(
        &self,
        user: &str,
        credential: &str,
        kind: CredentialKind,
        conn_id: u64,
        close: Box<dyn Fn(&str) + Send + Sync>,
    ) {
        self.live
            .lock()
            .unwrap()
            .entry(user.to_owned())
            .or_default()
            .push(Live {
                conn_id,
                credential: credential.to_owned(),
                kind,
                close,
            });
    }

    pub fn detach(&self, user: &str, conn_id: u64) {
        let mut live = self.live.lock().unwrap();
        if let Some(list) = live.get_mut(user) {
            list.retain(|l| l.conn_id != conn_id);
            if list.is_empty() {
                live.remove(user);
            }
        }
    }

    pub(super) fn close_user(&self, user: &str, why: &str) {
        let gone = self.live.lock().unwrap().remove(user).unwrap_or_default();
        for l in gone {
            (l.close)(why);
        }
    }

    pub(super) fn close_credential(&self, credential: &str, why: &str) {
        let mut live = self.live.lock().unwrap();
        for list in live.values_mut() {
            list.retain(|l| {
                if l.credential == credential {
                    (l.close)(why);
                    false
                } else {
                    true
                }
            });
        }
    }
}
