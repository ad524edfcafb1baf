//! Readings of the app's process tree: every thread's switch count at one instant, the wakeups
//! between two such instants, and memory of the app and of its child processes.

use std::collections::BTreeMap;

use crate::procfs::{self, Memory, ThreadSwitches};

/// Every thread of the app and of its descendants at one instant, by (pid, tid).
pub struct Snapshot {
    app_pid: u32,
    threads: BTreeMap<(u32, u32), ThreadSwitches>,
}

impl Snapshot {
    pub fn take(app_pid: u32) -> Snapshot {
        let pids = std::iter::once(app_pid).chain(procfs::descendants(app_pid));
        let threads = pids
            .flat_map(procfs::threads)
            .map(|t| ((t.pid, t.tid), t))
            .collect();
        Snapshot { app_pid, threads }
    }
}

/// The wakeups of the threads that share a name in one process, between two snapshots.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedWakeups {
    /// The thread is the app's own (not one of its child processes').
    pub in_app: bool,
    pub process: String,
    pub thread: String,
    /// How many threads have this name.
    pub threads: usize,
    pub wakeups: u64,
}

/// Wakeups between `start` and `end`, per thread name in each process, most first. A thread
/// that started in between counts all its wakeups; one that ended in between is not counted.
pub fn wakeups(start: &Snapshot, end: &Snapshot) -> Vec<NamedWakeups> {
    let mut named: BTreeMap<(bool, String, String), (usize, u64)> = BTreeMap::new();
    for (key, t) in &end.threads {
        let before = start.threads.get(key).map_or(0, |s| s.switches);
        let in_app = t.pid == end.app_pid;
        let entry = named
            .entry((in_app, t.process.clone(), t.thread.clone()))
            .or_default();
        entry.0 += 1;
        entry.1 += t.switches.saturating_sub(before);
    }
    let mut list: Vec<NamedWakeups> = named
        .into_iter()
        .map(
            |((in_app, process, thread), (threads, wakeups))| NamedWakeups {
                in_app,
                process,
                thread,
                threads,
                wakeups,
            },
        )
        .collect();
    list.sort_by_key(|w| std::cmp::Reverse(w.wakeups));
    list
}

/// Memory of the app and of all its descendants together, at one instant.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TreeMemory {
    pub app: Memory,
    pub children: Memory,
    /// The app and its descendants together.
    pub total: Memory,
    /// How many descendant processes there were.
    pub child_count: usize,
}

impl TreeMemory {
    pub fn read(app_pid: u32) -> TreeMemory {
        let mut tree = TreeMemory {
            app: procfs::memory(app_pid).unwrap_or_default(),
            ..TreeMemory::default()
        };
        for pid in procfs::descendants(app_pid) {
            if let Some(m) = procfs::memory(pid) {
                tree.children = tree.children + m;
                tree.child_count += 1;
            }
        }
        tree.total = tree.app + tree.children;
        tree
    }

    /// The larger of each figure in `self` and `other` (the total's peak is that of the sums).
    pub fn peak(self, other: TreeMemory) -> TreeMemory {
        let max = |a: Memory, b: Memory| Memory {
            rss_kb: a.rss_kb.max(b.rss_kb),
            pss_kb: a.pss_kb.max(b.pss_kb),
            anon_kb: a.anon_kb.max(b.anon_kb),
        };
        TreeMemory {
            app: max(self.app, other.app),
            children: max(self.children, other.children),
            total: max(self.total, other.total),
            child_count: self.child_count.max(other.child_count),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thread(pid: u32, tid: u32, name: &str, switches: u64) -> ((u32, u32), ThreadSwitches) {
        let t = ThreadSwitches {
            pid,
            tid,
            process: format!("p{pid}"),
            thread: name.to_string(),
            switches,
        };
        ((pid, tid), t)
    }

    #[test]
    fn wakeups_are_summed_per_name_and_new_threads_count_in_full() {
        let start = Snapshot {
            app_pid: 1,
            threads: [thread(1, 1, "main", 100), thread(1, 2, "worker", 10)]
                .into_iter()
                .collect(),
        };
        let end = Snapshot {
            app_pid: 1,
            threads: [
                thread(1, 1, "main", 130),
                thread(1, 2, "worker", 15),
                thread(1, 3, "worker", 7),
                thread(2, 4, "main", 50),
            ]
            .into_iter()
            .collect(),
        };
        let list = wakeups(&start, &end);
        let names: Vec<(bool, &str, usize, u64)> = list
            .iter()
            .map(|w| (w.in_app, w.thread.as_str(), w.threads, w.wakeups))
            .collect();
        assert_eq!(
            names,
            [
                (false, "main", 1, 50),
                (true, "main", 1, 30),
                (true, "worker", 2, 12)
            ]
        );
    }
}
