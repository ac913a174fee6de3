//! Groups, roles and invitations, in SQLite.

use super::*;

impl Groups for SqliteDirectory {
    fn groups(&self) -> BoxFuture<'_, Result<Vec<String>>> {
        self.run(move |c| {
            let mut s = c
                .prepare("SELECT id FROM groups ORDER BY rowid")
                .map_err(backend)?;
            let rows = s.query_map([], |r| r.get(0)).map_err(backend)?;
            rows.collect::<rusqlite::Result<_>>().map_err(backend)
        })
    }

    fn create_group(&self, id: &str) -> BoxFuture<'_, Result<()>> {
        let id = id.to_owned();
        self.run(move |c| {
            c.execute("INSERT OR IGNORE INTO groups (id) VALUES (?1)", params![id])
                .map_err(backend)?;
            Ok(())
        })
    }

    fn members(&self, group: &str) -> BoxFuture<'_, Result<Vec<Member>>> {
        let group = group.to_owned();
        self.run(move |c| {
            let mut s = c
                .prepare(&format!("SELECT {USER_COLS}, m.role FROM members m JOIN users u ON u.id = m.user_id WHERE m.group_id = ?1 ORDER BY u.name"))
                .map_err(backend)?;
            let rows = s
                .query_map(params![group], |r| {
                    let role: String = r.get(6)?;
                    Ok(Member { user: user_row(r)?, role: Role::parse(&role).unwrap_or(Role::Observer) })
                })
                .map_err(backend)?;
            rows.collect::<rusqlite::Result<_>>().map_err(backend)
        })
    }

    fn all_roles(&self) -> BoxFuture<'_, Result<Vec<(String, String, Role)>>> {
        self.run(move |c| {
            let mut s = c
                .prepare("SELECT group_id, user_id, role FROM members")
                .map_err(backend)?;
            let rows = s
                .query_map([], |r| {
                    let role: String = r.get(2)?;
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        Role::parse(&role).unwrap_or(Role::Observer),
                    ))
                })
                .map_err(backend)?;
            rows.collect::<rusqlite::Result<_>>().map_err(backend)
        })
    }

    fn set_role(&self, group: &str, user: &str, role: Role) -> BoxFuture<'_, Result<()>> {
        let (group, user) = (group.to_owned(), user.to_owned());
        self.run(move |c| {
            c.execute(
                "INSERT INTO members (group_id, user_id, role) VALUES (?1, ?2, ?3) ON CONFLICT (group_id, user_id) DO UPDATE SET role = excluded.role",
                params![group, user, role.as_str()],
            )
            .map_err(backend)?;
            Ok(())
        })
    }

    fn remove_member(&self, group: &str, user: &str) -> BoxFuture<'_, Result<bool>> {
        let (group, user) = (group.to_owned(), user.to_owned());
        self.run(move |c| {
            Ok(c.execute(
                "DELETE FROM members WHERE group_id = ?1 AND user_id = ?2",
                params![group, user],
            )
            .map_err(backend)?
                > 0)
        })
    }

    fn create_invitation(&self, token_hash: &str, inv: Invitation) -> BoxFuture<'_, Result<()>> {
        let hash = token_hash.to_owned();
        self.run(move |c| {
            c.execute(
                "INSERT INTO invitations (token_hash, group_id, role, email, invited_by, expires_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![hash, inv.group, inv.role.as_str(), inv.email, inv.invited_by, inv.expires_ms],
            )
            .map_err(backend)?;
            Ok(())
        })
    }

    fn invitation(
        &self,
        token_hash: &str,
        now_ms: i64,
    ) -> BoxFuture<'_, Result<Option<Invitation>>> {
        let hash = token_hash.to_owned();
        self.run(move |c| invitation(c, &hash, now_ms))
    }

    fn use_invitation(
        &self,
        token_hash: &str,
        now_ms: i64,
    ) -> BoxFuture<'_, Result<Option<Invitation>>> {
        let hash = token_hash.to_owned();
        self.run(move |c| {
            let tx = c.transaction().map_err(backend)?;
            let inv = invitation(&tx, &hash, now_ms)?;
            if inv.is_some() {
                tx.execute(
                    "UPDATE invitations SET used_ms = ?2 WHERE token_hash = ?1",
                    params![hash, now_ms],
                )
                .map_err(backend)?;
            }
            tx.commit().map_err(backend)?;
            Ok(inv)
        })
    }

    fn restore_invitation(&self, token_hash: &str) -> BoxFuture<'_, Result<()>> {
        let hash = token_hash.to_owned();
        self.run(move |c| {
            c.execute(
                "UPDATE invitations SET used_ms = NULL WHERE token_hash = ?1",
                params![hash],
            )
            .map_err(backend)?;
            Ok(())
        })
    }
}
