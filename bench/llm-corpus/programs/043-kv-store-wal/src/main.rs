use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::env;
use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// One entry in the write-ahead log.
#[derive(Debug, Clone, PartialEq)]
enum Record {
    Set(String, String),
    Delete(String),
}

fn fnv1a(data: &[u8]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in data {
        hash ^= u32::from(*byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

fn unescape(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next()? {
                '\\' => out.push('\\'),
                't' => out.push('\t'),
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                _ => return None,
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

impl Record {
    /// Encodes as `<crc-hex>\t<payload>\n` so torn or corrupted writes can be detected.
    fn encode(&self) -> String {
        let payload = match self {
            Record::Set(k, v) => format!("SET\t{}\t{}", escape(k), escape(v)),
            Record::Delete(k) => format!("DEL\t{}", escape(k)),
        };
        format!("{:08x}\t{}\n", fnv1a(payload.as_bytes()), payload)
    }

    fn decode(line: &str) -> Option<Record> {
        let (checksum, payload) = line.split_once('\t')?;
        let expected = u32::from_str_radix(checksum, 16).ok()?;
        if fnv1a(payload.as_bytes()) != expected {
            return None;
        }
        let parts: Vec<&str> = payload.split('\t').collect();
        match parts.as_slice() {
            ["SET", k, v] => Some(Record::Set(unescape(k)?, unescape(v)?)),
            ["DEL", k] => Some(Record::Delete(unescape(k)?)),
            _ => None,
        }
    }
}

#[derive(Debug, Default)]
struct Recovery {
    applied: usize,
    corrupt: usize,
    truncated_bytes: usize,
}

struct KvStore {
    path: PathBuf,
    data: BTreeMap<String, String>,
    writer: BufWriter<File>,
    log_records: usize,
    compact_threshold: usize,
}

impl KvStore {
    /// Opens the store, replaying the log to rebuild the in-memory state.
    /// A torn record at the end of the log is truncated away.
    fn open(path: impl AsRef<Path>) -> Result<(Self, Recovery)> {
        let path = path.as_ref().to_path_buf();
        let mut data = BTreeMap::new();
        let mut recovery = Recovery::default();

        if path.exists() {
            let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            let mut offset = 0usize;
            let mut valid_end = 0usize;
            for chunk in bytes.split_inclusive(|b| *b == b'\n') {
                offset += chunk.len();
                let complete = chunk.last() == Some(&b'\n');
                let record = if complete {
                    std::str::from_utf8(&chunk[..chunk.len() - 1])
                        .ok()
                        .and_then(Record::decode)
                } else {
                    None
                };
                match record {
                    Some(Record::Set(k, v)) => {
                        data.insert(k, v);
                        recovery.applied += 1;
                        valid_end = offset;
                    }
                    Some(Record::Delete(k)) => {
                        data.remove(&k);
                        recovery.applied += 1;
                        valid_end = offset;
                    }
                    None => recovery.corrupt += 1,
                }
            }
            if valid_end < bytes.len() {
                let file = OpenOptions::new().write(true).open(&path)?;
                file.set_len(valid_end as u64)?;
                file.sync_all()?;
                recovery.truncated_bytes = bytes.len() - valid_end;
            }
        }

        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .with_context(|| format!("opening {} for append", path.display()))?;
        let store = KvStore {
            path,
            data,
            writer: BufWriter::new(file),
            log_records: recovery.applied,
            compact_threshold: 10_000,
        };
        Ok((store, recovery))
    }

    fn append(&mut self, record: &Record) -> Result<()> {
        self.writer.write_all(record.encode().as_bytes())?;
        self.writer.flush()?;
        self.writer.get_ref().sync_data()?;
        self.log_records += 1;
        Ok(())
    }

    fn set(&mut self, key: &str, value: &str) -> Result<()> {
        if key.is_empty() {
            bail!("key must not be empty");
        }
        // log first, then apply: that's the whole point of a WAL
        self.append(&Record::Set(key.to_string(), value.to_string()))?;
        self.data.insert(key.to_string(), value.to_string());
        self.maybe_compact()
    }

    fn delete(&mut self, key: &str) -> Result<bool> {
        if !self.data.contains_key(key) {
            return Ok(false);
        }
        self.append(&Record::Delete(key.to_string()))?;
        self.data.remove(key);
        self.maybe_compact()?;
        Ok(true)
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.data.get(key).map(String::as_str)
    }

    fn len(&self) -> usize {
        self.data.len()
    }

    fn log_size(&self) -> Result<u64> {
        Ok(fs::metadata(&self.path)?.len())
    }

    /// Rewrites the log so it contains exactly one SET per live key.
    /// Written to a temp file and atomically renamed over the old log.
    fn compact(&mut self) -> Result<()> {
        self.writer.flush()?;
        let tmp = self.path.with_extension("compact.tmp");
        {
            let mut w = BufWriter::new(File::create(&tmp)?);
            for (k, v) in &self.data {
                w.write_all(Record::Set(k.clone(), v.clone()).encode().as_bytes())?;
            }
            w.flush()?;
            w.get_ref().sync_all()?;
        }
        fs::rename(&tmp, &self.path)
            .with_context(|| format!("replacing {}", self.path.display()))?;
        let file = OpenOptions::new().append(true).open(&self.path)?;
        self.writer = BufWriter::new(file);
        self.log_records = self.data.len();
        Ok(())
    }

    fn maybe_compact(&mut self) -> Result<()> {
        if self.log_records >= self.compact_threshold && self.log_records > 2 * self.data.len() {
            self.compact()?;
        }
        Ok(())
    }
}

fn main() -> Result<()> {
    let user_path = env::args().nth(1).map(PathBuf::from);
    let demo = user_path.is_none();
    let path = user_path.unwrap_or_else(|| env::temp_dir().join("kv-store-wal-demo.log"));
    if demo && path.exists() {
        fs::remove_file(&path)?;
    }
    println!("write-ahead log: {}\n", path.display());

    println!("== phase 1: writes ==");
    {
        let (mut store, recovery) = KvStore::open(&path)?;
        println!("opened (replayed {} records)", recovery.applied);
        store.set("user:1", "Alice")?;
        store.set("user:2", "Bob")?;
        store.set("user:3", "Carol\twith a tab")?;
        store.set("motd", "line one\nline two")?;
        for i in 1..=25 {
            store.set("counter", &i.to_string())?;
        }
        store.delete("user:2")?;
        store.set("user:2", "Bobby")?;
        store.delete("user:3")?;
        if !store.delete("missing")? {
            println!("delete of unknown key `missing` was a no-op");
        }
        println!(
            "{} live keys, {} records in log, {} bytes on disk",
            store.len(),
            store.log_records,
            store.log_size()?
        );
    }

    println!("\n== phase 2: crash during a write, then recovery ==");
    {
        let mut file = OpenOptions::new().append(true).open(&path)?;
        file.write_all(b"1badc0de\tSET\tuser:9\tHalf-writ")?;
        println!("appended a partial record without newline (simulated power loss)");
    }
    let snapshot = {
        let (store, recovery) = KvStore::open(&path)?;
        println!(
            "recovered: {} records replayed, {} corrupt, {} bytes truncated",
            recovery.applied, recovery.corrupt, recovery.truncated_bytes
        );
        for (k, v) in &store.data {
            println!("  {:<8} = {:?}", k, v);
        }
        if store.get("user:9").is_some() {
            bail!("torn record must not be applied");
        }
        store.data.clone()
    };

    println!("\n== phase 3: compaction ==");
    {
        let (mut store, _) = KvStore::open(&path)?;
        let (records_before, bytes_before) = (store.log_records, store.log_size()?);
        store.compact()?;
        println!(
            "log records {} -> {}, size {} -> {} bytes",
            records_before,
            store.log_records,
            bytes_before,
            store.log_size()?
        );
        store.set("after-compaction", "still appending")?;
    }

    println!("\n== phase 4: reopen and verify ==");
    let (store, recovery) = KvStore::open(&path)?;
    let mut expected = snapshot;
    expected.insert("after-compaction".to_string(), "still appending".to_string());
    if store.data != expected {
        bail!("state after compaction differs from the state before it");
    }
    println!(
        "replayed {} records; state matches ({} keys)",
        recovery.applied,
        store.len()
    );
    println!("counter = {}", store.get("counter").unwrap_or("<none>"));
    Ok(())
}
