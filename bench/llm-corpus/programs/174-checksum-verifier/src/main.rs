//! CRC-32 (IEEE, reflected) and Adler-32 implemented by hand, used to build a
//! manifest of a directory and verify the files against it later.
//!
//! The manifest is generic over its key and value types; its `Display`
//! output is the on-disk manifest format.

use std::collections::HashMap;
use std::fmt::{self, Display};
use std::fs::{self, File};
use std::hash::Hash;
use std::io::{self, BufReader, Read};
use std::path::Path;

struct Crc32 {
    table: [u32; 256],
    state: u32,
}

impl Crc32 {
    fn new() -> Self {
        let mut table = [0u32; 256];
        for (i, entry) in table.iter_mut().enumerate() {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            }
            *entry = c;
        }
        Crc32 { table, state: 0xFFFF_FFFF }
    }

    fn update(&mut self, data: &[u8]) {
        for &b in data {
            self.state = self.table[((self.state ^ b as u32) & 0xFF) as usize] ^ (self.state >> 8);
        }
    }

    fn finish(&self) -> u32 {
        self.state ^ 0xFFFF_FFFF
    }
}

struct Adler32 {
    a: u32,
    b: u32,
}

impl Adler32 {
    const MOD: u32 = 65_521;
    /// Largest block for which the sums cannot overflow a u32.
    const NMAX: usize = 5_552;

    fn new() -> Self {
        Adler32 { a: 1, b: 0 }
    }

    fn update(&mut self, data: &[u8]) {
        for block in data.chunks(Self::NMAX) {
            for &x in block {
                self.a += x as u32;
                self.b += self.a;
            }
            self.a %= Self::MOD;
            self.b %= Self::MOD;
        }
    }

    fn finish(&self) -> u32 {
        (self.b << 16) | self.a
    }
}

fn crc32(data: &[u8]) -> u32 {
    let mut c = Crc32::new();
    c.update(data);
    c.finish()
}

fn adler32(data: &[u8]) -> u32 {
    let mut a = Adler32::new();
    a.update(data);
    a.finish()
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Checksums {
    crc32: u32,
    adler32: u32,
    size: u64,
}

impl Display for Checksums {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:08x} {:08x} {}", self.crc32, self.adler32, self.size)
    }
}

fn checksum_reader<R: Read>(mut reader: R) -> io::Result<Checksums> {
    let (mut crc, mut adler, mut size) = (Crc32::new(), Adler32::new(), 0u64);
    let mut buf = [0u8; 8192];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        crc.update(&buf[..n]);
        adler.update(&buf[..n]);
        size += n as u64;
    }
    Ok(Checksums { crc32: crc.finish(), adler32: adler.finish(), size })
}

fn checksum_file(path: &Path) -> io::Result<Checksums> {
    checksum_reader(BufReader::new(File::open(path)?))
}

/// CRC-32 shown in hex, for the chunk-level manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Crc(u32);

impl Display for Crc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:08x}", self.0)
    }
}

#[derive(Debug, Clone)]
struct Manifest<K, V> {
    title: String,
    entries: HashMap<K, V>,
}

#[derive(Debug, Clone, PartialEq)]
enum Status<V> {
    Verified,
    Mismatch { expected: V, actual: V },
    Missing(String),
    Untracked,
}

struct Report<K, V> {
    entries: Vec<(K, Status<V>)>,
}

impl<K, V> Report<K, V> {
    fn problems(&self) -> usize {
        self.entries.iter().filter(|(_, s)| !matches!(s, Status::Verified)).count()
    }
}

impl<K, V> Manifest<K, V>
where
    K: Hash + Ord + Display + Clone,
    V: Display + Clone + PartialEq,
{
    fn new(title: &str) -> Self {
        Manifest { title: title.to_string(), entries: HashMap::new() }
    }

    fn insert(&mut self, key: K, value: V) -> Option<V> {
        self.entries.insert(key, value)
    }

    fn len(&self) -> usize {
        self.entries.len()
    }

    fn sorted_keys(&self) -> Vec<&K> {
        let mut keys: Vec<&K> = self.entries.keys().collect();
        keys.sort();
        keys
    }

    /// Recomputes every entry with `compute` and compares; `present` lists
    /// the keys that currently exist so untracked ones can be reported.
    fn verify<F, E>(&self, present: &[K], mut compute: F) -> Report<K, V>
    where
        F: FnMut(&K) -> Result<V, E>,
        E: Display,
    {
        let mut entries = Vec::new();
        for key in self.sorted_keys() {
            let expected = &self.entries[key];
            let status = match compute(key) {
                Ok(actual) if &actual == expected => Status::Verified,
                Ok(actual) => Status::Mismatch { expected: expected.clone(), actual },
                Err(e) => Status::Missing(e.to_string()),
            };
            entries.push((key.clone(), status));
        }
        let mut extra: Vec<&K> = present.iter().filter(|k| !self.entries.contains_key(*k)).collect();
        extra.sort();
        entries.extend(extra.into_iter().map(|k| (k.clone(), Status::Untracked)));
        Report { entries }
    }
}

impl<K, V> Display for Manifest<K, V>
where
    K: Hash + Ord + Display + Clone,
    V: Display + Clone + PartialEq,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "# {}", self.title)?;
        for key in self.sorted_keys() {
            writeln!(f, "{}  {}", self.entries[key], key)?;
        }
        Ok(())
    }
}

impl<K: Display, V: Display> Display for Report<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (key, status) in &self.entries {
            match status {
                Status::Verified => writeln!(f, "  OK         {key}")?,
                Status::Mismatch { expected, actual } => {
                    writeln!(f, "  MISMATCH   {key}")?;
                    writeln!(f, "             expected {expected}")?;
                    writeln!(f, "             actual   {actual}")?;
                }
                Status::Missing(e) => writeln!(f, "  MISSING    {key} ({e})")?,
                Status::Untracked => writeln!(f, "  UNTRACKED  {key}")?,
            }
        }
        let problems = self.entries.iter().filter(|(_, s)| !matches!(s, Status::Verified)).count();
        write!(f, "  {} checked, {} problem(s)", self.entries.len(), problems)
    }
}

fn parse_manifest(text: &str) -> Result<Manifest<String, Checksums>, String> {
    let mut lines = text.lines().enumerate();
    let title = match lines.next() {
        Some((_, l)) => l.strip_prefix("# ").unwrap_or("manifest").to_string(),
        None => return Err("empty manifest".into()),
    };
    let mut manifest = Manifest::new(&title);
    for (i, line) in lines {
        let line_no = i + 1;
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (meta, path) = line
            .split_once("  ")
            .ok_or_else(|| format!("line {line_no}: expected '<crc32> <adler32> <size>  <path>'"))?;
        let parts: Vec<&str> = meta.split_whitespace().collect();
        if parts.len() != 3 {
            return Err(format!("line {line_no}: expected 3 fields before the path, found {}", parts.len()));
        }
        let crc32 = u32::from_str_radix(parts[0], 16).map_err(|e| format!("line {line_no}: bad crc32: {e}"))?;
        let adler32 = u32::from_str_radix(parts[1], 16).map_err(|e| format!("line {line_no}: bad adler32: {e}"))?;
        let size = parts[2].parse::<u64>().map_err(|e| format!("line {line_no}: bad size: {e}"))?;
        if manifest.insert(path.to_string(), Checksums { crc32, adler32, size }).is_some() {
            return Err(format!("line {line_no}: duplicate entry for {path}"));
        }
    }
    Ok(manifest)
}

fn list_files(root: &Path, dir: &Path, out: &mut Vec<String>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            list_files(root, &path, out)?;
        } else {
            let rel = path.strip_prefix(root).map_err(|e| io::Error::new(io::ErrorKind::Other, e))?;
            let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            out.push(parts.join("/"));
        }
    }
    Ok(())
}

fn self_test() -> bool {
    let fox = b"The quick brown fox jumps over the lazy dog";
    let cases: [(&str, u32, u32); 4] = [
        ("crc32(\"123456789\")", crc32(b"123456789"), 0xCBF4_3926),
        ("crc32(fox)", crc32(fox), 0x414F_A339),
        ("adler32(\"Wikipedia\")", adler32(b"Wikipedia"), 0x11E6_0398),
        ("adler32(fox)", adler32(fox), 0x5BDC_0FDA),
    ];
    let mut ok = crc32(b"") == 0 && adler32(b"") == 1;
    for (name, got, want) in cases {
        let pass = got == want;
        ok &= pass;
        println!("  {name:<24} = {got:08x} (expected {want:08x}) {}", if pass { "ok" } else { "FAIL" });
    }
    // Adler-32 must stay correct across the NMAX block boundary.
    let big = vec![0xFFu8; 100_000];
    let naive = big.iter().fold((1u64, 0u64), |(a, b), &x| {
        let a = (a + x as u64) % 65_521;
        (a, (b + a) % 65_521)
    });
    let blocked_ok = adler32(&big) == ((naive.1 << 16) | naive.0) as u32;
    println!("  adler32 on 100k x 0xFF matches naive modular version: {blocked_ok}");
    ok && blocked_ok
}

fn main() -> io::Result<()> {
    println!("Self-test:");
    if !self_test() {
        eprintln!("checksum self-test failed");
        std::process::exit(1);
    }

    let dir = std::env::temp_dir().join("checksum-verifier-demo");
    if dir.exists() {
        fs::remove_dir_all(&dir)?;
    }
    fs::create_dir_all(dir.join("data"))?;
    fs::create_dir_all(dir.join("assets"))?;
    fs::write(dir.join("readme.txt"), "Checksum demo\nThese files are verified against MANIFEST.txt.\n")?;
    let csv: String = (1..=200).map(|i| format!("{i},{}\n", i * i)).collect();
    fs::write(dir.join("data/numbers.csv"), csv)?;
    let binary: Vec<u8> = (0..8192u32).map(|i| (i * 31 % 251) as u8).collect();
    fs::write(dir.join("assets/blob.bin"), &binary)?;
    fs::write(dir.join("empty.dat"), b"")?;

    // Build and write the manifest.
    let manifest_name = "MANIFEST.txt";
    let mut files = Vec::new();
    list_files(&dir, &dir, &mut files)?;
    files.retain(|f| f != manifest_name);
    let mut manifest: Manifest<String, Checksums> = Manifest::new("checksum-verifier manifest (crc32 adler32 size  path)");
    for f in &files {
        manifest.insert(f.clone(), checksum_file(&dir.join(f))?);
    }
    fs::write(dir.join(manifest_name), manifest.to_string())?;
    println!("\nWrote {} entries to {}:\n{manifest}", manifest.len(), dir.join(manifest_name).display());

    // Chunk-level manifest of the binary file, keyed by chunk index.
    let chunk_size = 1024;
    let mut chunks: Manifest<usize, Crc> = Manifest::new("blob.bin chunks");
    for (i, chunk) in binary.chunks(chunk_size).enumerate() {
        chunks.insert(i, Crc(crc32(chunk)));
    }

    // Tamper with the directory.
    fs::write(dir.join("readme.txt"), "Checksum demo\nThese files are verified against MANIFEST.txt!\n")?;
    fs::remove_file(dir.join("empty.dat"))?;
    fs::write(dir.join("notes.md"), "# new file not in the manifest\n")?;
    let mut corrupted = binary.clone();
    corrupted[5000] ^= 0x01;
    fs::write(dir.join("assets/blob.bin"), &corrupted)?;
    println!("Tampered: edited readme.txt, deleted empty.dat, added notes.md, flipped one bit in blob.bin\n");

    // Verify against the manifest read back from disk.
    let text = fs::read_to_string(dir.join(manifest_name))?;
    let loaded = match parse_manifest(&text) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("manifest is corrupt: {e}");
            std::process::exit(1);
        }
    };
    let mut present = Vec::new();
    list_files(&dir, &dir, &mut present)?;
    present.retain(|f| f != manifest_name);
    let report = loaded.verify(&present, |rel: &String| checksum_file(&dir.join(rel)));
    println!("File verification ({}):\n{report}", loaded.title);

    let on_disk = fs::read(dir.join("assets/blob.bin"))?;
    let disk_chunks: Vec<&[u8]> = on_disk.chunks(chunk_size).collect();
    let chunk_report = chunks.verify(&[], |&i: &usize| {
        disk_chunks.get(i).map(|c| Crc(crc32(c))).ok_or_else(|| format!("chunk {i} missing"))
    });
    println!("\nChunk verification of blob.bin ({} chunks of {chunk_size} bytes):\n{chunk_report}", chunks.len());

    let problems = report.problems() + chunk_report.problems();
    println!("\n{problems} problem(s) found in total");
    Ok(())
}
