//! Work on the document itself, for the review API: reads (history,
//! differences, attribution) and edits the server makes on someone's
//! behalf (restore). Both run on the blocking pool like the session's own
//! work; an edit's changes are stored, synced and audited like any peer's.

use tokio::sync::oneshot;

use super::*;
use crate::directory::AuditRow;
use crate::hub::peer::Job;

/// Runs `f` on the document (loading it if no actor has it open).
pub async fn read<T: Send + 'static>(
    hub: &Arc<Hub>,
    doc: DocumentId,
    f: impl FnOnce(&automerge::Automerge) -> T + Send + 'static,
) -> Result<T, JobError> {
    let (tx, rx) = oneshot::channel();
    let job = Job::Read(Box::new(move |d| {
        let _ = tx.send(f(d));
    }));
    if hub.shutdown.is_cancelled() {
        return Err(JobError::ShuttingDown);
    }
    deliver(hub, doc, DocCommand::Job(job)).await;
    rx.await.map_err(|_| JobError::Failed)
}

/// Makes `f`'s changes to the document as `user`; the hashes of the
/// changes made, once durable (none if `f` changed nothing).
pub async fn edit(
    hub: &Arc<Hub>,
    doc: DocumentId,
    user: &str,
    f: impl FnOnce(&mut automerge::Automerge) + Send + 'static,
) -> Result<Vec<String>, JobError> {
    edit_accepted(hub, doc, user, None, f).await
}

/// [`edit`], recording that the changes apply `user`'s suggestion,
/// accepted by `accepted_by`.
pub async fn edit_accepted(
    hub: &Arc<Hub>,
    doc: DocumentId,
    user: &str,
    accepted_by: Option<codraft_schema::review::summary::AcceptedBy>,
    f: impl FnOnce(&mut automerge::Automerge) + Send + 'static,
) -> Result<Vec<String>, JobError> {
    let (done, rx) = oneshot::channel();
    let job = Job::Edit {
        user: user.to_owned(),
        accepted_by,
        edit: Box::new(f),
        done,
    };
    if hub.shutdown.is_cancelled() {
        return Err(JobError::ShuttingDown);
    }
    deliver(hub, doc, DocCommand::Job(job)).await;
    rx.await.map_err(|_| JobError::Failed)?
}

/// Separates a batch's jobs from its messages (jobs run after them).
pub(super) fn split(batch: Vec<DocCommand>) -> (Vec<DocCommand>, Vec<Job>) {
    let mut jobs = Vec::new();
    let rest = batch
        .into_iter()
        .filter_map(|c| match c {
            DocCommand::Job(j) => {
                jobs.push(j);
                None
            }
            other => Some(other),
        })
        .collect();
    (rest, jobs)
}

impl DocActor {
    /// Runs one job; `None` if it panicked (the session is gone).
    pub(super) async fn run_job(
        &mut self,
        session: Session,
        job: Job,
        pipeline: &mut Pipeline,
    ) -> Option<Session> {
        match job {
            Job::Read(f) => tokio::task::spawn_blocking(move || {
                let mut session = session;
                session.materialise();
                f(session.doc());
                session
            })
            .await
            .inspect_err(|e| tracing::error!(error = %e, "document read failed"))
            .ok(),
            Job::Edit {
                user,
                accepted_by,
                edit,
                done,
            } => {
                let worked = tokio::task::spawn_blocking(move || {
                    let mut session = session;
                    // Current first, so that only this edit's changes follow `before`.
                    session.materialise();
                    let before = session.doc().get_heads();
                    edit(session.doc_mut());
                    let fx = session.handle([Event::Tick { now_ms: now_ms() }]);
                    let made: Vec<automerge::ChangeHash> = session
                        .doc()
                        .get_changes(&before)
                        .iter()
                        .map(|c| c.hash())
                        .collect();
                    let rows: Vec<AuditRow> = made
                        .iter()
                        .map(|h| AuditRow {
                            change: h.to_string(),
                            user: user.clone(),
                            time_ms: now_ms() as i64,
                            summary: codraft_schema::review::summary::ChangeSummary {
                                accepted_by: accepted_by.clone(),
                                ..codraft_schema::review::summary::summarize(session.doc(), h)
                            },
                        })
                        .collect();
                    (session, fx, rows)
                })
                .await
                .inspect_err(|e| tracing::error!(error = %e, "document edit failed"))
                .ok();
                let (session, fx, audit) = worked?;
                self.settle(&session, fx.messages.iter().filter_map(Message::target_id));
                pipeline.push(
                    &self.hub,
                    self.doc,
                    Batch {
                        fx,
                        senders: HashMap::new(),
                        audit,
                        since: None,
                        done: Some(done),
                    },
                );
                Some(session)
            }
        }
    }
}
