//! A connection's way out, shared by everyone who sends to it.
//!
//! A frame goes straight onto the socket, in the sender's own task, when
//! nothing is queued before it and the socket takes it at once: a
//! document actor fanning a change out to fifty peers writes fifty
//! sockets in one go instead of waking fifty writer tasks (a wake-up, and
//! often a thread's, per delivery). Otherwise the frame is queued for the
//! connection's writer task (`connection/writer.rs`), which also flushes
//! what the socket could not take at once, pings and closes. The queue is
//! bounded: a client that lets it fill is too slow, and a sender is told
//! so (`Refused::Full`). Order holds: a frame is written directly only
//! when the queue is empty and nothing written before it awaits a flush.

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};

use axum::extract::ws::Message as Frame;
use bytes::Bytes;
use futures_util::task::noop_waker_ref;
use futures_util::{Sink, SinkExt};
use tokio::sync::Notify;

/// What a connection is asked to send.
#[derive(Debug, Clone)]
pub enum Outbound {
    Frame(Bytes),
    /// Send this frame (an `error` message), then close with this code.
    FrameThenClose(Bytes, u16, String),
    /// A keepalive ping (the writer's own).
    Ping,
}

/// Why a frame was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The queue is full: the client does not read fast enough.
    Full,
    /// The connection is closing or closed.
    Closed,
}

/// The last frame before a close (an `error`), with the close's code and
/// reason.
pub type LastWords = (Bytes, u16, String);

/// The socket's sending half, whatever its type (a real WebSocket, or a
/// channel in the unit tests).
pub type FrameSink = Pin<Box<dyn Sink<Frame, Error = ()> + Send>>;

/// A connection's way out (cheap to clone).
#[derive(Clone)]
pub struct Outbox {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbox")
            .field("cap", &self.shared.cap)
            .finish()
    }
}

struct Shared {
    state: Mutex<State>,
    /// The writer has work: queued frames, a flush, or the end.
    work: Notify,
    /// Room was made in the queue.
    room: Notify,
    cap: usize,
}

struct State {
    queue: VecDeque<Outbound>,
    /// None once the writer took it to close.
    sink: Option<FrameSink>,
    /// Written directly, not yet flushed: the writer flushes it.
    unflushed: bool,
    closed: bool,
}

impl Outbox {
    /// A way out through `sink`, queueing at most `cap` frames.
    pub fn new<S>(sink: S, cap: usize) -> Outbox
    where
        S: Sink<Frame> + Send + Unpin + 'static,
    {
        let sink: FrameSink = Box::pin(Erased(sink));
        Outbox {
            shared: Arc::new(Shared {
                state: Mutex::new(State {
                    queue: VecDeque::new(),
                    sink: Some(sink),
                    unflushed: false,
                    closed: false,
                }),
                work: Notify::new(),
                room: Notify::new(),
                cap: cap.max(1),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.shared.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sends without waiting: straight onto the socket if it takes the
    /// frame now and nothing is before it, else queued for the writer.
    pub fn try_send(&self, out: Outbound) -> Result<(), Refused> {
        let mut st = self.lock();
        if st.closed {
            return Err(Refused::Closed);
        }
        let out = match out {
            Outbound::Frame(b) if st.queue.is_empty() && !st.unflushed => {
                match direct(&mut st, b) {
                    Ok(written) => {
                        drop(st);
                        if !written {
                            self.shared.work.notify_one();
                        }
                        return Ok(());
                    }
                    Err(b) => Outbound::Frame(b),
                }
            }
            other => other,
        };
        if st.queue.len() >= self.shared.cap {
            return Err(Refused::Full);
        }
        st.queue.push_back(out);
        drop(st);
        self.shared.work.notify_one();
        Ok(())
    }

    /// Sends, waiting for room in the queue (a connection's own reader).
    pub async fn send(&self, out: Outbound) -> Result<(), Refused> {
        loop {
            let room = self.shared.room.notified();
            match self.try_send(out.clone()) {
                Err(Refused::Full) => room.await,
                done => return done,
            }
        }
    }

    /// The writer: wait for work.
    pub(super) async fn work(&self) {
        self.shared.work.notified().await;
    }

    /// The writer: everything queued written and the socket flushed. Ends
    /// early, `Some`, on a frame to send before closing (returned, not
    /// written); `Err` if the socket failed.
    pub(super) async fn drain(&self) -> Result<Option<LastWords>, ()> {
        std::future::poll_fn(|cx| self.poll_drain(cx)).await
    }

    fn poll_drain(&self, cx: &mut Context<'_>) -> Poll<Result<Option<LastWords>, ()>> {
        let mut st = self.lock();
        let st = &mut *st;
        let Some(sink) = st.sink.as_mut() else {
            return Poll::Ready(Err(()));
        };
        let mut made_room = false;
        let out = loop {
            if st.queue.is_empty() {
                break None;
            }
            if let Some(Outbound::FrameThenClose(..)) = st.queue.front() {
                let Some(Outbound::FrameThenClose(b, code, reason)) = st.queue.pop_front() else {
                    unreachable!("just seen")
                };
                break Some((b, code, reason));
            }
            match sink.as_mut().poll_ready(cx) {
                Poll::Ready(Ok(())) => {}
                Poll::Ready(Err(())) => return Poll::Ready(Err(())),
                Poll::Pending => break None,
            }
            let frame = match st.queue.pop_front() {
                Some(Outbound::Frame(b)) => Frame::Binary(b),
                Some(Outbound::Ping) => Frame::Ping(Bytes::new()),
                _ => unreachable!("a frame is queued"),
            };
            made_room = true;
            if sink.as_mut().start_send(frame).is_err() {
                return Poll::Ready(Err(()));
            }
        };
        if made_room {
            self.shared.room.notify_waiters();
        }
        match sink.as_mut().poll_flush(cx) {
            Poll::Ready(Ok(())) => st.unflushed = false,
            Poll::Ready(Err(())) => return Poll::Ready(Err(())),
            Poll::Pending => {
                st.unflushed = true;
                return Poll::Pending;
            }
        }
        if out.is_some() || st.queue.is_empty() {
            Poll::Ready(Ok(out))
        } else {
            // The socket would not take more: woken when it will.
            Poll::Pending
        }
    }

    /// The writer, closing: no more frames are taken; the socket and what
    /// was queued are handed over.
    pub(super) fn close(&self) -> (Option<FrameSink>, VecDeque<Outbound>) {
        let mut st = self.lock();
        st.closed = true;
        let taken = (st.sink.take(), std::mem::take(&mut st.queue));
        drop(st);
        self.shared.room.notify_waiters();
        taken
    }
}

/// `b` written onto the socket now if it takes it without waiting: true
/// if flushed too, false if the flush (the socket full) or a failure is
/// left to the writer; given back if the socket would not take it.
fn direct(st: &mut State, b: Bytes) -> Result<bool, Bytes> {
    let Some(sink) = st.sink.as_mut() else {
        return Err(b);
    };
    let mut cx = Context::from_waker(noop_waker_ref());
    if !matches!(sink.as_mut().poll_ready(&mut cx), Poll::Ready(Ok(()))) {
        return Err(b);
    }
    let flushed = sink.as_mut().start_send(Frame::Binary(b)).is_ok()
        && matches!(sink.as_mut().poll_flush(&mut cx), Poll::Ready(Ok(())));
    st.unflushed = !flushed;
    Ok(flushed)
}

/// A sink whose error is only that it failed (`SinkMapErr` panics when
/// used after its first error; a socket here may be tried again).
struct Erased<S>(S);

impl<S: Sink<Frame> + Unpin> Sink<Frame> for Erased<S> {
    type Error = ();
    fn poll_ready(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), ()>> {
        self.0.poll_ready_unpin(cx).map_err(|_| ())
    }
    fn start_send(mut self: Pin<&mut Self>, f: Frame) -> Result<(), ()> {
        self.0.start_send_unpin(f).map_err(|_| ())
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), ()>> {
        self.0.poll_flush_unpin(cx).map_err(|_| ())
    }
    fn poll_close(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), ()>> {
        self.0.poll_close_unpin(cx).map_err(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::task::Waker;

    use super::*;

    /// A socket that takes frames only while `open`.
    #[derive(Clone, Default)]
    struct Socket {
        written: Arc<Mutex<Vec<Bytes>>>,
        open: Arc<AtomicBool>,
        waker: Arc<Mutex<Option<Waker>>>,
    }

    impl Socket {
        fn open(&self) {
            self.open.store(true, Ordering::SeqCst);
            if let Some(w) = self.waker.lock().unwrap().take() {
                w.wake();
            }
        }
        fn written(&self) -> Vec<Bytes> {
            self.written.lock().unwrap().clone()
        }
    }

    impl Sink<Frame> for Socket {
        type Error = ();
        fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), ()>> {
            if self.open.load(Ordering::SeqCst) {
                Poll::Ready(Ok(()))
            } else {
                *self.waker.lock().unwrap() = Some(cx.waker().clone());
                Poll::Pending
            }
        }
        fn start_send(self: Pin<&mut Self>, f: Frame) -> Result<(), ()> {
            if let Frame::Binary(b) = f {
                self.written.lock().unwrap().push(b);
            }
            Ok(())
        }
        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), ()>> {
            Poll::Ready(Ok(()))
        }
        fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), ()>> {
            Poll::Ready(Ok(()))
        }
    }

    fn frame(s: &'static str) -> Outbound {
        Outbound::Frame(Bytes::from_static(s.as_bytes()))
    }

    #[tokio::test]
    async fn a_frame_goes_onto_a_socket_that_takes_it_in_the_senders_task() {
        let socket = Socket::default();
        socket.open();
        let out = Outbox::new(socket.clone(), 4);
        out.try_send(frame("a")).unwrap();
        // No writer runs: the sender wrote it.
        assert_eq!(socket.written(), vec![Bytes::from_static(b"a")]);
    }

    #[tokio::test]
    async fn frames_the_socket_cannot_take_wait_in_order_and_a_full_queue_refuses() {
        let socket = Socket::default();
        let out = Outbox::new(socket.clone(), 2);
        out.try_send(frame("a")).unwrap();
        out.try_send(frame("b")).unwrap();
        assert_eq!(out.try_send(frame("c")), Err(Refused::Full));
        assert!(socket.written().is_empty());
        let writer = {
            let out = out.clone();
            tokio::spawn(async move { out.drain().await })
        };
        tokio::task::yield_now().await;
        socket.open();
        assert_eq!(writer.await.unwrap(), Ok(None));
        // With the queue drained, the next frame goes directly, after them.
        out.try_send(frame("d")).unwrap();
        let want: Vec<Bytes> = ["a", "b", "d"]
            .iter()
            .map(|s| Bytes::from_static(s.as_bytes()))
            .collect();
        assert_eq!(socket.written(), want);
    }

    #[tokio::test]
    async fn a_frame_never_overtakes_one_queued_before_it() {
        let socket = Socket::default();
        let out = Outbox::new(socket.clone(), 8);
        out.try_send(frame("first")).unwrap();
        // The socket takes frames again, but "first" is still queued: the
        // next one queues behind it instead of going directly.
        socket.open();
        out.try_send(frame("second")).unwrap();
        assert!(socket.written().is_empty());
        out.drain().await.unwrap();
        assert_eq!(
            socket.written(),
            vec![Bytes::from_static(b"first"), Bytes::from_static(b"second")]
        );
    }

    #[tokio::test]
    async fn a_closed_outbox_refuses_and_hands_over_the_last_words() {
        let socket = Socket::default();
        let out = Outbox::new(socket.clone(), 8);
        out.try_send(frame("lost")).unwrap();
        out.try_send(Outbound::FrameThenClose(
            Bytes::from_static(b"error"),
            1008,
            "why".into(),
        ))
        .unwrap();
        let (sink, queued) = out.close();
        assert!(sink.is_some());
        assert_eq!(queued.len(), 2);
        assert!(matches!(
            queued.back(),
            Some(Outbound::FrameThenClose(_, 1008, _))
        ));
        assert_eq!(out.try_send(frame("late")), Err(Refused::Closed));
    }
}
