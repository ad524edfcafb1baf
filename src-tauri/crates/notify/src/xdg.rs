//! Waiting for the answers of notices on the freedesktop notification spec.

use std::collections::VecDeque;
use std::future::{poll_fn, Future};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::task::{Poll, Waker};

use notify_rust::{NotificationHandle, NotificationResponse};
use onbehalf_engine::sync::notices::Notice;

use super::{answer_to, Answering, MAX_WAITING};

/// The notices waiting for an answer, oldest first, and whether the server offers actions.
#[derive(Default)]
pub(super) struct Waiting {
    actions: OnceLock<bool>,
    waiters: Mutex<Waiters>,
}

#[derive(Default)]
struct Waiters {
    next: u64,
    live: VecDeque<Waiter>,
}

/// One showing of a notice, waiting: only the newest of a `replaces_id` may answer.
struct Waiter {
    replaces_id: u32,
    generation: u64,
    stop: Arc<Stop>,
}

impl Waiting {
    fn waiters(&self) -> MutexGuard<'_, Waiters> {
        self.waiters.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A new showing of `replaces_id`: the earlier ones of it stop waiting, and so does the
    /// oldest beyond [`MAX_WAITING`].
    fn register(&self, replaces_id: u32) -> (u64, Arc<Stop>) {
        let mut w = self.waiters();
        w.next += 1;
        let generation = w.next;
        w.live.retain(|old| {
            let superseded = old.replaces_id == replaces_id;
            if superseded {
                old.stop.stop();
            }
            !superseded
        });
        while w.live.len() >= MAX_WAITING {
            if let Some(oldest) = w.live.pop_front() {
                oldest.stop.stop();
            }
        }
        let stop = Arc::new(Stop::default());
        w.live.push_back(Waiter {
            replaces_id,
            generation,
            stop: Arc::clone(&stop),
        });
        (generation, stop)
    }

    /// Whether `generation` may answer (it is still the newest of its notice and was not
    /// stopped); it is done waiting either way.
    fn claim(&self, generation: u64) -> bool {
        let mut w = self.waiters();
        let at = w.live.iter().position(|x| x.generation == generation);
        at.and_then(|at| w.live.remove(at)).is_some()
    }
}

impl Answering {
    /// Whether the server offers actions: asked once, kept once it answered.
    pub(super) fn server_has_actions(&self) -> bool {
        if let Some(&known) = self.xdg.actions.get() {
            return known;
        }
        match notify_rust::get_capabilities() {
            Ok(caps) => *self
                .xdg
                .actions
                .get_or_init(|| caps.iter().any(|c| c == "actions")),
            // No server to ask (yet): no actions this time, ask again the next.
            Err(_) => false,
        }
    }

    /// Waits for the answer to `handle`, the notice just shown, on a thread of its own.
    ///
    /// notify-rust starts listening for the server's signals only once the thread runs: a
    /// click in the few milliseconds between the notification appearing and that is not
    /// heard (no person clicks that fast; the tests click until they are answered).
    pub(super) fn wait(
        self: &Arc<Self>,
        replaces_id: u32,
        handle: NotificationHandle,
        notice: &Notice,
    ) {
        let (generation, stop) = self.xdg.register(replaces_id);
        let answering = Arc::clone(self);
        let opens = notice.opens.clone();
        let actions = notice.actions.clone();
        let spawned = std::thread::Builder::new()
            .name("onbehalf-notice".into())
            .spawn(move || {
                // Done waiting however the thread ends (answered, closed, stopped, panicked).
                let _done = Done(&answering, generation);
                let answer = futures_lite::future::block_on(futures_lite::future::or(
                    async {
                        loop {
                            let mut response = None;
                            handle
                                .wait_for_action_async(|r| response = Some(r.clone()))
                                .await;
                            let key = match &response {
                                Some(NotificationResponse::Default) => super::DEFAULT_KEY,
                                Some(NotificationResponse::Action(key)) => key.as_str(),
                                // Closed, expired or dismissed (notify-rust's "__closed"),
                                // a reply (not in the spec), or the bus gone: no answer.
                                Some(
                                    NotificationResponse::Closed(_)
                                    | NotificationResponse::Reply(_),
                                )
                                | None => return None,
                            };
                            // A key the notice did not offer (not from a server that keeps
                            // to the spec): wait on.
                            if let Some(answer) = answer_to(key, &opens, &actions) {
                                return Some(answer);
                            }
                        }
                    },
                    async {
                        stop.stopped().await;
                        None
                    },
                ));
                let Some(answer) = answer else {
                    return;
                };
                if answering.xdg.claim(generation) {
                    (answering.handler)(answer);
                }
            });
        if spawned.is_err() {
            // No thread to wait on: the notice is shown and answers nothing.
            self.xdg.claim(generation);
        }
    }
}

/// Takes a showing off the waiting list when its thread ends.
struct Done<'a>(&'a Answering, u64);

impl Drop for Done<'_> {
    fn drop(&mut self) {
        self.0.xdg.claim(self.1);
    }
}

/// Tells a waiting thread to stop waiting.
#[derive(Default)]
struct Stop(Mutex<(bool, Option<Waker>)>);

impl Stop {
    fn state(&self) -> MutexGuard<'_, (bool, Option<Waker>)> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn stop(&self) {
        let waker = {
            let mut s = self.state();
            s.0 = true;
            s.1.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    fn stopped(&self) -> impl Future<Output = ()> + '_ {
        poll_fn(|cx| {
            let mut s = self.state();
            if s.0 {
                Poll::Ready(())
            } else {
                s.1 = Some(cx.waker().clone());
                Poll::Pending
            }
        })
    }
}
