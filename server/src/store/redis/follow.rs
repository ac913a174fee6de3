//! Following documents other instances write: a pub/sub notice per
//! append and a poll for missed ones, each new stream entry handed in
//! order to the document's actor; ephemeral messages across instances.

use super::*;

/// One task per process: subscribes to the followed documents' channels,
/// reads their logs on notices and every [`POLL`], reconnects when the
/// subscription drops.
pub(super) async fn follower(
    inner: std::sync::Weak<Inner>,
    mut cmds: mpsc::UnboundedReceiver<FollowCmd>,
) {
    let mut backoff = Duration::from_millis(100);
    loop {
        let Some(strong) = inner.upgrade() else {
            return;
        };
        let pubsub = strong.client.get_async_pubsub().await;
        drop(strong);
        let pubsub = match pubsub {
            Ok(p) => p,
            Err(e) => {
                tracing::warn!(error = %e, "redis subscription: retrying");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(5));
                // Follows and unfollows meanwhile are picked up from the map.
                while cmds.try_recv().is_ok() {}
                continue;
            }
        };
        backoff = Duration::from_millis(100);
        let (mut sink, mut stream) = pubsub.split();
        // (Re)subscribe to every followed document and catch up.
        let docs: Vec<DocumentId> = match inner.upgrade() {
            Some(i) => i.follows.lock().unwrap().keys().copied().collect(),
            None => return,
        };
        let mut ok = true;
        for d in &docs {
            ok &= sink
                .subscribe(&[key(*d, "new"), key(*d, "eph")])
                .await
                .is_ok();
        }
        for d in &docs {
            fetch(&inner, *d).await;
        }
        if !ok {
            continue;
        }
        let mut poll = tokio::time::interval(POLL);
        loop {
            tokio::select! {
                msg = stream.next() => {
                    let Some(msg) = msg else { break }; // connection lost
                    let channel = msg.get_channel_name().to_owned();
                    let Some(doc) = channel
                        .strip_prefix("codraft:{")
                        .and_then(|r| r.split_once("}:"))
                        .and_then(|(id, _)| id.parse::<DocumentId>().ok())
                    else { continue };
                    if channel.ends_with(":new") {
                        // Our own entries too: they move the position, in order.
                        fetch(&inner, doc).await;
                    } else if channel.ends_with(":eph") {
                        let payload: Vec<u8> = msg.get_payload().unwrap_or_default();
                        deliver_ephemeral(&inner, doc, payload).await;
                    }
                }
                cmd = cmds.recv() => {
                    let Some(cmd) = cmd else { return };
                    match cmd {
                        FollowCmd::Follow(d) => {
                            let _ = sink.subscribe(&[key(d, "new"), key(d, "eph")]).await;
                            fetch(&inner, d).await;
                        }
                        FollowCmd::Unfollow(d) => {
                            let _ = sink.unsubscribe(&[key(d, "new"), key(d, "eph")]).await;
                        }
                    }
                }
                _ = poll.tick() => {
                    let docs: Vec<DocumentId> = match inner.upgrade() {
                        Some(i) => i.follows.lock().unwrap().keys().copied().collect(),
                        None => return,
                    };
                    for d in docs {
                        fetch(&inner, d).await;
                    }
                }
            }
        }
        tracing::warn!("redis subscription lost: reconnecting");
    }
}

async fn deliver_ephemeral(inner: &std::sync::Weak<Inner>, doc: DocumentId, payload: Vec<u8>) {
    let Some(i) = inner.upgrade() else { return };
    let Some(nl) = payload.iter().position(|b| *b == b'\n') else {
        return;
    };
    if payload[..nl] == *i.instance.as_bytes() {
        return;
    }
    let to = i.follows.lock().unwrap().get(&doc).map(|f| f.to.clone());
    if let Some(to) = to {
        let _ = to.send(Remote::Ephemeral(payload[nl + 1..].to_vec())).await;
    }
}

/// Reads the document's log after the last position handed over, and
/// hands the entries over in order.
async fn fetch(inner: &std::sync::Weak<Inner>, doc: DocumentId) {
    let Some(i) = inner.upgrade() else { return };
    let Some((position, to)) = i
        .follows
        .lock()
        .unwrap()
        .get(&doc)
        .map(|f| (f.position.clone(), f.to.clone()))
    else {
        return;
    };
    let mut c = i.conn.clone();
    // A compaction may have trimmed entries past our position: then the
    // snapshot (which covers them) comes first.
    let reply: Result<(Option<String>, StreamRangeReply), _> = redis::pipe()
        .atomic()
        .get(key(doc, "pos"))
        .cmd("XRANGE")
        .arg(key(doc, "log"))
        .arg(format!("({position}"))
        .arg("+")
        .query_async(&mut c)
        .await;
    let (pos, log) = match reply {
        Ok(r) => {
            i.healthy.store(true, Ordering::Relaxed);
            r
        }
        Err(e) => {
            i.healthy.store(false, Ordering::Relaxed);
            tracing::debug!(error = %e, "reading a document's log");
            return;
        }
    };
    if let Some(pos) = pos
        && parse_id(&pos) > parse_id(&position)
        && log
            .ids
            .first()
            .is_none_or(|e| parse_id(&e.id) > parse_id(&next_id(&position)))
    {
        let snap: Result<Option<Vec<u8>>, _> = c.get(key(doc, "snap")).await;
        if let Ok(Some(bytes)) = snap
            && to
                .send(Remote::Changes {
                    position: pos.clone(),
                    bytes: Some(bytes),
                })
                .await
                .is_err()
        {
            return;
        }
    }
    let mut last = position;
    for entry in log.ids {
        let own =
            matches!(entry.map.get("i"), Some(Value::BulkString(b)) if *b == i.instance.as_bytes());
        let bytes = match entry.map.get("c") {
            Some(Value::BulkString(b)) if !own => Some(b.clone()),
            _ => None,
        };
        if to
            .send(Remote::Changes {
                position: entry.id.clone(),
                bytes,
            })
            .await
            .is_err()
        {
            return;
        }
        last = entry.id;
    }
    if let Some(f) = i.follows.lock().unwrap().get_mut(&doc) {
        f.position = last;
    }
}
