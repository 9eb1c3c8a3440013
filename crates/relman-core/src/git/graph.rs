//! git's commit-graph file (`.git/objects/info/commit-graph`, written by `git gc`, `git maintenance`
//! and `git commit-graph write`): every commit's parents as indices into one sorted table, so a walk
//! of ancestry reads a few bytes per commit instead of inflating each commit object. libgit2 does not
//! use the file for its walks; [`super::TagIndex::previous`] does, through [`CommitGraph::ancestors`],
//! and falls back to reading objects for commits the file does not hold (made after it was written).
//!
//! Only the single-file form with SHA-1 ids is read; a split graph (`commit-graphs/` chain), another
//! hash or anything malformed means "no graph", and the walk reads objects as before. The format is
//! git's `Documentation/gitformat-commit-graph.txt`: a header, a chunk table, then the chunks OIDF
//! (fanout), OIDL (sorted ids), CDAT (tree, two parents, generation and date) and EDGE (the parents
//! of octopus merges after the first).

use std::collections::HashSet;
use std::path::Path;

use git2::Oid;

const HASH_LEN: usize = 20;
const CDAT_LEN: usize = HASH_LEN + 16;
const NO_PARENT: u32 = 0x7000_0000;
const EXTRA_EDGES: u32 = 0x8000_0000;

/// A commit-graph file, read whole (about 56 bytes a commit).
pub(crate) struct CommitGraph {
    data: Vec<u8>,
    commits: u32,
    oidf: usize,
    oidl: usize,
    cdat: usize,
    edge: Option<usize>,
}

/// A commit of a walk: a row of the graph, or one the graph does not hold.
enum Node {
    Row(u32),
    Loose(Oid),
}

impl CommitGraph {
    /// The repository's commit-graph, when it has one this reader understands.
    pub(crate) fn open(git_dir: &Path) -> Option<Self> {
        let data = std::fs::read(git_dir.join("objects/info/commit-graph")).ok()?;
        Self::parse(data)
    }

    fn parse(data: Vec<u8>) -> Option<Self> {
        // Header: signature, version 1, hash version 1 (SHA-1), chunk count, base graph count 0.
        if data.len() < 8 || &data[..4] != b"CGPH" || data[4] != 1 || data[5] != 1 || data[7] != 0 {
            return None;
        }
        let chunks = data[6] as usize;
        let (mut oidf, mut oidl, mut cdat, mut edge) = (None, None, None, None);
        for i in 0..chunks {
            let at = 8 + i * 12;
            let id = data.get(at..at + 4)?;
            let offset = usize::try_from(u64::from_be_bytes(data.get(at + 4..at + 12)?.try_into().ok()?)).ok()?;
            match id {
                b"OIDF" => oidf = Some(offset),
                b"OIDL" => oidl = Some(offset),
                b"CDAT" => cdat = Some(offset),
                b"EDGE" => edge = Some(offset),
                _ => {}
            }
        }
        let (oidf, oidl, cdat) = (oidf?, oidl?, cdat?);
        let commits = u32::from_be_bytes(data.get(oidf + 255 * 4..oidf + 256 * 4)?.try_into().ok()?);
        let n = commits as usize;
        if data.len() < oidl + n * HASH_LEN || data.len() < cdat + n * CDAT_LEN {
            return None;
        }
        Some(CommitGraph { data, commits, oidf, oidl, cdat, edge })
    }

    fn word(&self, at: usize) -> Option<u32> {
        Some(u32::from_be_bytes(self.data.get(at..at + 4)?.try_into().ok()?))
    }

    /// The row of `oid`, found by its first byte's fanout range and a binary search.
    fn row(&self, oid: Oid) -> Option<u32> {
        let bytes = oid.as_bytes();
        let first = bytes[0] as usize;
        let low = if first == 0 { 0 } else { self.word(self.oidf + (first - 1) * 4)? };
        let high = self.word(self.oidf + first * 4)?.min(self.commits);
        let (mut low, mut high) = (low, high);
        while low < high {
            let mid = low + (high - low) / 2;
            let at = self.oidl + mid as usize * HASH_LEN;
            match self.data[at..at + HASH_LEN].cmp(bytes) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    fn oid(&self, row: u32) -> Oid {
        let at = self.oidl + row as usize * HASH_LEN;
        Oid::from_bytes(&self.data[at..at + HASH_LEN]).unwrap_or(Oid::ZERO_SHA1)
    }

    /// The rows of a row's parents; None when the file points outside itself.
    fn parents(&self, row: u32, out: &mut Vec<u32>) -> Option<()> {
        let at = self.cdat + row as usize * CDAT_LEN + HASH_LEN;
        let (first, second) = (self.word(at)?, self.word(at + 4)?);
        if first != NO_PARENT {
            out.push(self.checked(first)?);
        }
        if second == NO_PARENT {
            return Some(());
        }
        if second & EXTRA_EDGES == 0 {
            out.push(self.checked(second)?);
            return Some(());
        }
        let mut at = self.edge? + (second & !EXTRA_EDGES) as usize * 4;
        loop {
            let entry = self.word(at)?;
            out.push(self.checked(entry & !EXTRA_EDGES)?);
            if entry & EXTRA_EDGES != 0 {
                return Some(());
            }
            at += 4;
        }
    }

    fn checked(&self, row: u32) -> Option<u32> {
        (row < self.commits).then_some(row)
    }

    /// Walks `to`'s history (itself included), calling `visit` on each commit once until it returns
    /// false. Commits the file does not hold are read with `read_parents`. None when the file turned
    /// out to be inconsistent part-way; the caller then walks without it.
    pub(crate) fn ancestors(
        &self,
        to: Oid,
        mut read_parents: impl FnMut(Oid) -> Option<Vec<Oid>>,
        mut visit: impl FnMut(Oid) -> bool,
    ) -> Option<()> {
        let mut seen_rows = vec![false; self.commits as usize];
        let mut seen_loose: HashSet<Oid> = HashSet::new();
        let mut stack = vec![self.node(to)];
        let mut parents = Vec::new();
        while let Some(node) = stack.pop() {
            match node {
                Node::Row(row) => {
                    if std::mem::replace(&mut seen_rows[row as usize], true) {
                        continue;
                    }
                    if !visit(self.oid(row)) {
                        return Some(());
                    }
                    parents.clear();
                    self.parents(row, &mut parents)?;
                    stack.extend(parents.iter().map(|&p| Node::Row(p)));
                }
                Node::Loose(oid) => {
                    if !seen_loose.insert(oid) {
                        continue;
                    }
                    if !visit(oid) {
                        return Some(());
                    }
                    stack.extend(read_parents(oid)?.into_iter().map(|p| self.node(p)));
                }
            }
        }
        Some(())
    }

    fn node(&self, oid: Oid) -> Node {
        self.row(oid).map_or(Node::Loose(oid), Node::Row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str]) -> String {
        let out = std::process::Command::new("git")
            .current_dir(dir)
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_DATE", "@1767225600 +0000")
            .env("GIT_COMMITTER_DATE", "@1767225600 +0000")
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    /// main: a - b - m (merging c, on a side branch from a) - d; then the graph; then e, after it.
    fn repository() -> (tempfile::TempDir, Vec<Oid>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path();
        git(path, &["init", "-q", "-b", "main"]);
        let commit = |message: &str| {
            git(
                path,
                &[
                    "-c",
                    "user.name=P",
                    "-c",
                    "user.email=p@example.com",
                    "commit",
                    "-q",
                    "--allow-empty",
                    "-m",
                    message,
                ],
            );
            Oid::from_str(&git(path, &["rev-parse", "HEAD"])).unwrap()
        };
        let a = commit("a");
        let b = commit("b");
        git(path, &["checkout", "-q", "-b", "side", &a.to_string()]);
        let c = commit("c");
        git(path, &["checkout", "-q", "main"]);
        git(
            path,
            &["-c", "user.name=P", "-c", "user.email=p@example.com", "merge", "-q", "--no-ff", "-m", "m", "side"],
        );
        let m = Oid::from_str(&git(path, &["rev-parse", "HEAD"])).unwrap();
        let d = commit("d");
        git(path, &["commit-graph", "write", "--reachable"]);
        let e = commit("e");
        (dir, vec![a, b, c, m, d, e])
    }

    #[test]
    fn the_graph_walks_ancestry_without_reading_commits_it_holds() {
        let (dir, ids) = repository();
        let [a, b, c, m, d, e] = ids[..] else { unreachable!() };
        let graph = CommitGraph::open(&dir.path().join(".git")).expect("git wrote a graph");
        assert_eq!(graph.commits, 5, "a, b, c, the merge and d; e came after");

        let mut seen = Vec::new();
        let read = |_: Oid| -> Option<Vec<Oid>> { panic!("every commit of d's history is in the graph") };
        graph.ancestors(d, read, |oid| {
            seen.push(oid);
            true
        });
        seen.sort();
        let mut expected = vec![a, b, c, m, d];
        expected.sort();
        assert_eq!(seen, expected, "both parents of the merge are followed");

        // e is not in the graph: its parents are read, then the walk goes on in the graph.
        let mut read_for = Vec::new();
        let mut count = 0;
        graph.ancestors(
            e,
            |oid| {
                read_for.push(oid);
                Some(vec![d])
            },
            |_| {
                count += 1;
                true
            },
        );
        assert_eq!((read_for, count), (vec![e], 6), "one commit read, six visited");

        let mut visited = 0;
        graph.ancestors(
            d,
            |_| None,
            |_| {
                visited += 1;
                visited < 2
            },
        );
        assert_eq!(visited, 2, "the walk stops when told");
    }

    #[test]
    fn a_damaged_or_foreign_file_is_not_a_graph() {
        let (dir, _) = repository();
        let file = dir.path().join(".git/objects/info/commit-graph");
        let bytes = std::fs::read(&file).unwrap();
        assert!(CommitGraph::parse(bytes[..bytes.len() / 2].to_vec()).is_none(), "truncated");
        let mut other_hash = bytes.clone();
        other_hash[5] = 2;
        assert!(CommitGraph::parse(other_hash).is_none(), "SHA-256 graphs are not read");
        assert!(CommitGraph::parse(b"CGPH".to_vec()).is_none());
    }
}
