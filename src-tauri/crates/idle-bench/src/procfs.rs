//! What Linux's /proc tells about a process: its descendants, its memory, and each thread's
//! name and context switches. A process or thread that ends while it is read is left out.

use std::fs;
use std::path::Path;

/// One thread and the number of times it was switched out so far (voluntary and not): each
/// time it went to sleep or was preempted, so roughly how often it woke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadSwitches {
    pub pid: u32,
    pub tid: u32,
    /// The process's name (`comm`, at most 15 bytes).
    pub process: String,
    /// The thread's name (`comm`, at most 15 bytes).
    pub thread: String,
    pub switches: u64,
}

/// Memory of a process in kB: resident (`VmRSS`), its proportional share of pages shared
/// with others (`Pss`), which can be summed over processes without counting a page twice, and
/// its anonymous pages (`Anonymous`: heap and stacks, what the process itself holds, without
/// the libraries it maps).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Memory {
    pub rss_kb: u64,
    pub pss_kb: u64,
    pub anon_kb: u64,
}

impl std::ops::Add for Memory {
    type Output = Memory;

    fn add(self, other: Memory) -> Memory {
        Memory {
            rss_kb: self.rss_kb + other.rss_kb,
            pss_kb: self.pss_kb + other.pss_kb,
            anon_kb: self.anon_kb + other.anon_kb,
        }
    }
}

/// Every process below `pid` (children, their children...), found by each process's parent.
pub fn descendants(pid: u32) -> Vec<u32> {
    let parents: Vec<(u32, u32)> = fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|p| Some((p, parent_of(p)?)))
        .collect();
    let mut found = vec![pid];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i];
        found.extend(
            parents
                .iter()
                .filter(|(_, pp)| *pp == parent)
                .map(|(p, _)| *p),
        );
        i += 1;
    }
    found.remove(0);
    found
}

/// The parent of `pid`, from /proc/PID/stat (the field after the name, which may hold spaces).
fn parent_of(pid: u32) -> Option<u32> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(1)?.parse().ok()
}

/// The memory of `pid` now, or None if it has ended.
pub fn memory(pid: u32) -> Option<Memory> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let rollup = fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    Some(Memory {
        rss_kb: field(&status, "VmRSS:").unwrap_or(0),
        pss_kb: field(&rollup, "Pss:").unwrap_or(0),
        anon_kb: field(&rollup, "Anonymous:").unwrap_or(0),
    })
}

/// Every thread of `pid` with its switches so far (empty if the process has ended).
pub fn threads(pid: u32) -> Vec<ThreadSwitches> {
    let task = format!("/proc/{pid}/task");
    let process = read_name(Path::new(&format!("/proc/{pid}/comm"))).unwrap_or_default();
    fs::read_dir(&task)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let tid = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let dir = entry.path();
            let status = fs::read_to_string(dir.join("status")).ok()?;
            let switches = field(&status, "voluntary_ctxt_switches:")?
                + field(&status, "nonvoluntary_ctxt_switches:")?;
            Some(ThreadSwitches {
                pid,
                tid,
                process: process.clone(),
                thread: read_name(&dir.join("comm")).unwrap_or_default(),
                switches,
            })
        })
        .collect()
}

fn read_name(path: &Path) -> Option<String> {
    Some(fs::read_to_string(path).ok()?.trim_end().to_string())
}

/// The number after `name` on its line of a /proc text file ("VmRSS:   1234 kB" gives 1234).
fn field(text: &str, name: &str) -> Option<u64> {
    text.lines()
        .find_map(|line| line.strip_prefix(name))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_is_read_from_its_own_line_only() {
        let status = "Name:\tx\nvoluntary_ctxt_switches:\t12\nnonvoluntary_ctxt_switches:\t3\n\
                      VmRSS:\t  2048 kB\n";
        assert_eq!(field(status, "VmRSS:"), Some(2048));
        assert_eq!(field(status, "voluntary_ctxt_switches:"), Some(12));
        assert_eq!(field(status, "nonvoluntary_ctxt_switches:"), Some(3));
        assert_eq!(field(status, "VmHWM:"), None);
    }

    #[test]
    fn this_process_is_read() {
        let me = std::process::id();
        assert!(memory(me).is_some_and(|m| m.rss_kb > 0));
        let threads = threads(me);
        assert!(threads.iter().any(|t| t.tid == me && t.switches > 0));
        assert!(parent_of(me).is_some());
    }
}
