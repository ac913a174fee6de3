//! Accounts, sessions and API tokens, in SQLite.

use super::*;

impl Users for SqliteDirectory {
    fn create_user(&self, u: NewUser) -> BoxFuture<'_, Result<User>> {
        self.run(move |c| {
            let id = uuid::Uuid::new_v4().simple().to_string();
            let now = now_ms();
            match c.execute(
                "INSERT INTO users (id, email, name, organisation, sector, password_hash, admin, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![id, u.email, u.name, u.organisation, u.sector.as_str(), u.password_hash, u.admin as i64, now],
            ) {
                Ok(_) => {}
                Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => {
                    return Err(DirectoryError::Exists(format!("an account with the email {}", u.email)));
                }
                Err(e) => return Err(backend(e)),
            }
            Ok(User { id, email: u.email, name: u.name, organisation: u.organisation, sector: u.sector, admin: u.admin })
        })
    }

    fn user_by_email(&self, email: &str) -> BoxFuture<'_, Result<Option<(User, String)>>> {
        let email = email.to_owned();
        self.run(move |c| {
            c.query_row(
                &format!("SELECT {USER_COLS}, u.password_hash FROM users u WHERE u.email = ?1"),
                params![email],
                |r| Ok((user_row(r)?, r.get(6)?)),
            )
            .optional()
            .map_err(backend)
        })
    }

    fn user(&self, id: &str) -> BoxFuture<'_, Result<Option<User>>> {
        let id = id.to_owned();
        self.run(move |c| {
            c.query_row(
                &format!("SELECT {USER_COLS} FROM users u WHERE u.id = ?1"),
                params![id],
                user_row,
            )
            .optional()
            .map_err(backend)
        })
    }

    fn users(&self) -> BoxFuture<'_, Result<Vec<User>>> {
        self.run(move |c| {
            let mut s = c
                .prepare(&format!("SELECT {USER_COLS} FROM users u ORDER BY u.name"))
                .map_err(backend)?;
            let rows = s.query_map([], user_row).map_err(backend)?;
            rows.collect::<rusqlite::Result<_>>().map_err(backend)
        })
    }

    fn create_session(
        &self,
        user: &str,
        token_hash: &str,
        expires_ms: i64,
    ) -> BoxFuture<'_, Result<()>> {
        let (user, hash) = (user.to_owned(), token_hash.to_owned());
        self.run(move |c| {
            c.execute(
                "INSERT INTO sessions (token_hash, user_id, expires_ms) VALUES (?1, ?2, ?3)",
                params![hash, user, expires_ms],
            )
            .map_err(backend)?;
            Ok(())
        })
    }

    fn session(&self, token_hash: &str, now_ms: i64) -> BoxFuture<'_, Result<Option<Credential>>> {
        let hash = token_hash.to_owned();
        self.run(move |c| {
            credential(c, &format!("SELECT {USER_COLS}, s.token_hash, s.expires_ms FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1 AND s.revoked = 0 AND s.expires_ms > ?2"), &hash, CredentialKind::Session, now_ms)
        })
    }

    fn revoke_session(&self, token_hash: &str) -> BoxFuture<'_, Result<bool>> {
        let hash = token_hash.to_owned();
        self.run(move |c| {
            Ok(c.execute(
                "UPDATE sessions SET revoked = 1 WHERE token_hash = ?1 AND revoked = 0",
                params![hash],
            )
            .map_err(backend)?
                > 0)
        })
    }

    fn revoke_user(&self, user: &str) -> BoxFuture<'_, Result<()>> {
        let user = user.to_owned();
        self.run(move |c| {
            let tx = c.transaction().map_err(backend)?;
            tx.execute(
                "UPDATE sessions SET revoked = 1 WHERE user_id = ?1",
                params![user],
            )
            .map_err(backend)?;
            tx.execute(
                "UPDATE api_tokens SET revoked = 1 WHERE user_id = ?1",
                params![user],
            )
            .map_err(backend)?;
            tx.commit().map_err(backend)
        })
    }

    fn create_token(
        &self,
        user: &str,
        name: &str,
        token_hash: &str,
        now_ms: i64,
    ) -> BoxFuture<'_, Result<String>> {
        let (user, name, hash) = (user.to_owned(), name.to_owned(), token_hash.to_owned());
        self.run(move |c| {
            let id = uuid::Uuid::new_v4().simple().to_string();
            c.execute(
                "INSERT INTO api_tokens (id, token_hash, user_id, name, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, hash, user, name, now_ms],
            )
            .map_err(backend)?;
            Ok(id)
        })
    }

    fn token(&self, token_hash: &str) -> BoxFuture<'_, Result<Option<Credential>>> {
        let hash = token_hash.to_owned();
        self.run(move |c| {
            credential(c, &format!("SELECT {USER_COLS}, t.id FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?1 AND t.revoked = 0 AND ?2 = ?2"), &hash, CredentialKind::ApiToken, 0)
        })
    }

    fn tokens(&self, user: &str) -> BoxFuture<'_, Result<Vec<TokenInfo>>> {
        let user = user.to_owned();
        self.run(move |c| {
            let mut s = c.prepare("SELECT id, name, created_ms, revoked FROM api_tokens WHERE user_id = ?1 ORDER BY created_ms").map_err(backend)?;
            let rows = s
                .query_map(params![user], |r| Ok(TokenInfo { id: r.get(0)?, name: r.get(1)?, created_ms: r.get(2)?, revoked: r.get::<_, i64>(3)? != 0 }))
                .map_err(backend)?;
            rows.collect::<rusqlite::Result<_>>().map_err(backend)
        })
    }

    fn revoke_token(&self, user: &str, id: &str) -> BoxFuture<'_, Result<bool>> {
        let (user, id) = (user.to_owned(), id.to_owned());
        self.run(move |c| {
            Ok(c.execute(
                "UPDATE api_tokens SET revoked = 1 WHERE id = ?1 AND user_id = ?2 AND revoked = 0",
                params![id, user],
            )
            .map_err(backend)?
                > 0)
        })
    }
}
