//! The search worker: a thread that owns the search index and answers queries, so that typing
//! never waits for matching. It builds the index when the first query comes (or a reloaded
//! corpus arrives), answers only the newest query when several are waiting, and narrows from
//! the previous keystroke's results through a [`Searcher`].

use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::thread;
use std::time::{Duration, Instant};

use crate::query::Filter;
use crate::search::{Hit, SearchIndex, Searcher};
use crate::store::Corpus;

/// The most results a query returns; the list draws only the rows on screen.
pub const LIMIT: usize = 1000;

enum Request {
    Corpus(Arc<Corpus>),
    Query {
        generation: u64,
        filter: Box<Filter>,
        text: String,
    },
}

type Answer = (u64, Vec<Hit>, Duration);

pub struct Worker {
    requests: Sender<Request>,
    answers: Receiver<Answer>,
}

impl Worker {
    pub fn start(corpus: Arc<Corpus>) -> Worker {
        let (requests, inbox) = mpsc::channel();
        let (outbox, answers) = mpsc::channel();
        thread::Builder::new()
            .name("search".into())
            .spawn(move || serve(corpus, &inbox, &outbox))
            .expect("the search thread starts");
        Worker { requests, answers }
    }

    /// Asks for a search; the answer comes back through [`Worker::answer`].
    pub fn ask(&self, generation: u64, filter: Filter, text: String) {
        let _ = self.requests.send(Request::Query {
            generation,
            filter: Box::new(filter),
            text,
        });
    }

    /// Searches the reloaded corpus from now on.
    pub fn use_corpus(&self, corpus: Arc<Corpus>) {
        let _ = self.requests.send(Request::Corpus(corpus));
    }

    /// Waits for the next answer.
    pub fn wait(&self) -> Option<Answer> {
        self.answers.recv().ok()
    }

    /// An answer, when one has come.
    pub fn answer(&self) -> Option<Answer> {
        self.answers.try_recv().ok()
    }
}

fn serve(mut corpus: Arc<Corpus>, inbox: &Receiver<Request>, outbox: &Sender<Answer>) {
    // The index is built as soon as a corpus comes, before the first query, so the first
    // keystroke does not wait for it.
    loop {
        let mut waiting = None;
        let index = SearchIndex::new(&corpus);
        index.prepare();
        let mut searcher = Searcher::new(&index);
        // Answer queries against this index until a new corpus comes.
        corpus = loop {
            let mut latest = match waiting.take() {
                Some(r) => r,
                None => match inbox.recv() {
                    Ok(r) => r,
                    Err(_) => return,
                },
            };
            // Only the newest of the queries waiting is worth answering.
            loop {
                match inbox.try_recv() {
                    Ok(r @ Request::Query { .. }) => latest = r,
                    Ok(r @ Request::Corpus(_)) => {
                        latest = r;
                        break;
                    }
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => return,
                }
            }
            match latest {
                Request::Corpus(c) => break c,
                Request::Query {
                    generation,
                    filter,
                    text,
                } => {
                    let started = Instant::now();
                    let hits = searcher.search(&corpus, &text, &filter, LIMIT);
                    if outbox.send((generation, hits, started.elapsed())).is_err() {
                        return;
                    }
                }
            }
        };
    }
}
