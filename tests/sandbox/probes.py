"""The escape probes: one Rust source run from `main` and from `build.rs`, and the traps they hit.

`Traps` is what the test sets up outside the job: secret files (one
anywhere, `credentials.toml` under the fake `$HOME/.cargo`, an ssh key),
paths that must never be written, and TCP/UDP/DNS listeners on 127.0.0.1
that record anything that reaches them. The probe crate tries every
escape from its build script (reported through `cargo:rustc-env`) and
from `main`, and prints one `name=result` line per probe; a result that
starts with `ESCAPED` is an escape. The host-side checks (`Traps.breaches`)
do not trust the probe's word: a write that landed or a packet that
arrived is a breach whatever the output says.
"""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path

SECRET = "rustcoder-secret-7f3a9c"

PROBES_RS = r"""
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs, UdpSocket};
use std::time::Duration;

const SECRETS: [&str; 3] = [@SECRETS@];
const OUTSIDE: &str = @OUTSIDE@;
const LINK_TARGET: &str = @LINK_TARGET@;
const TCP_PORT: u16 = @TCP@;
const UDP_PORT: u16 = @UDP@;
const DNS_PORT: u16 = @DNS@;

fn outcome<T, E: std::fmt::Debug>(result: Result<T, E>, show: impl Fn(T) -> String) -> String {
    match result {
        Ok(value) => format!("ESCAPED {}", show(value)).replace(['\n', ';'], " "),
        Err(err) => format!("blocked {:?}", err).replace(['\n', ';', '='], " "),
    }
}

fn dns_query() -> Result<usize, std::io::Error> {
    let socket = UdpSocket::bind("0.0.0.0:0")?;
    socket.set_read_timeout(Some(Duration::from_millis(1500)))?;
    // A standard query for probe.rustcoder.test, type A.
    let mut query = vec![0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    for label in ["probe", "rustcoder", "test"] {
        query.push(label.len() as u8);
        query.extend_from_slice(label.as_bytes());
    }
    query.extend_from_slice(&[0, 0, 1, 0, 1]);
    socket.send_to(&query, ("127.0.0.1", DNS_PORT))?;
    let mut answer = [0u8; 512];
    socket.recv(&mut answer)
}

pub fn probe_all(tag: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut add = |name: &str, result: String| found.push((format!("{tag}.{name}"), result));
    for (i, path) in SECRETS.iter().enumerate() {
        add(&format!("read_secret{i}"), outcome(std::fs::read_to_string(path), |s| s));
    }
    let home = std::env::var("HOME").unwrap_or_default();
    let in_home = [
        ("home_credentials", ".cargo/credentials.toml"),
        ("home_ssh", ".ssh/id_ed25519"),
    ];
    for (name, rel) in in_home {
        add(name, outcome(std::fs::read_to_string(format!("{home}/{rel}")), |s| s));
    }
    let env: Vec<String> = std::env::vars().map(|(k, v)| format!("{k}:{v}")).collect();
    // Split so that the source handed back in a reply does not itself hold the secret.
    let leaked = env.iter().any(|kv| kv.contains(concat!("@SECRET_A@", "@SECRET_B@")));
    let shown = if leaked { format!("ESCAPED {}", env.join(" ")) } else { "blocked".into() };
    add("environment", shown);
    let outside = format!("{OUTSIDE}.{tag}");
    add("write_outside", outcome(std::fs::write(&outside, "escaped"), |_| outside.clone()));
    // A submitted file swapped for a link to a path outside the job, then written through.
    let link = format!("notes/link-{tag}.txt");
    let target = format!("{LINK_TARGET}.{tag}");
    let _ = std::fs::remove_file(&link);
    let linked = std::os::unix::fs::symlink(&target, &link)
        .and_then(|_| std::fs::write(&link, "escaped"));
    add("write_through_symlink", outcome(linked, |_| target.clone()));
    let addr: SocketAddr = ([127, 0, 0, 1], TCP_PORT).into();
    let tcp = TcpStream::connect_timeout(&addr, Duration::from_millis(1500)).and_then(|mut s| {
        s.write_all(format!("escaped {tag}").as_bytes())?;
        let mut buf = [0u8; 16];
        let _ = s.read(&mut buf);
        Ok(())
    });
    add("tcp_loopback", outcome(tcp, |_| "connected".into()));
    let udp = UdpSocket::bind("0.0.0.0:0")
        .and_then(|s| s.send_to(b"escaped", ("127.0.0.1", UDP_PORT)));
    // Sending succeeds on the sandbox's own loopback; the host listener says whether it arrived.
    let sent = match udp { Ok(_) => "sent".into(), Err(e) => format!("blocked {:?}", e.kind()) };
    add("udp_sent", sent);
    add("dns_query", outcome(dns_query(), |n| format!("{n} bytes")));
    let lookup = "probe.rustcoder.test:80".to_socket_addrs();
    add("dns_lookup", outcome(lookup, |a| format!("{:?}", a.collect::<Vec<_>>())));
    found
}

pub fn report(tag: &str) -> String {
    probe_all(tag).into_iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(";")
}
"""

BUILD_RS = """include!("src/probes.rs");

fn main() {
    println!("cargo:rustc-env=PROBE_BUILD={}", report("build"));
    println!("cargo:rerun-if-changed=build.rs");
}
"""

MAIN_RS = """include!("probes.rs");

fn main() {
    for entry in env!("PROBE_BUILD").split(';') {
        println!("{entry}");
    }
    for entry in report("main").split(';') {
        println!("{entry}");
    }
}
"""

#: Probes that exhaust a resource, each its own `main` (the crate name is the stray-process marker).
RESOURCE_MAINS = {
    "fork_bomb": """use std::process::Command;
fn main() {
    let me = std::env::current_exe().unwrap();
    loop {
        let _ = Command::new(&me).spawn();
    }
}
""",
    "huge_allocation": """fn main() {
    let v = vec![7u8; 20 << 30];
    println!("ALLOCATED {}", v[v.len() / 2]);
}
""",
    "endless_loop": """fn main() {
    loop { std::hint::spin_loop(); }
}
""",
    "huge_file": """use std::io::Write;
fn main() {
    let mut file = std::fs::File::create("/tmp/huge").unwrap();
    let chunk = vec![1u8; 1 << 20];
    for _ in 0..5 * 1024 {
        file.write_all(&chunk).unwrap();
    }
    println!("WROTE 5 GB");
}
""",
    "output_flood": """use std::io::Write;
fn main() {
    let line = vec![b'y'; 65536];
    let mut out = std::io::stdout().lock();
    loop {
        if out.write_all(&line).is_err() { break; }
    }
}
""",
    "double_fork": """use std::process::Command;
fn main() {
    let me = std::env::current_exe().unwrap();
    match std::env::args().nth(1).as_deref() {
        None => {
            Command::new(&me).arg("middle").status().unwrap();
            println!("parent done");
        }
        Some("middle") => {
            Command::new(&me).arg("orphan").spawn().unwrap();
        }
        _ => std::thread::sleep(std::time::Duration::from_secs(300)),
    }
}
""",
}


def manifest(name: str, build_rs: bool) -> str:
    build = 'build = "build.rs"\n' if build_rs else ""
    return f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n{build}\n'


class Listener:
    """A TCP, UDP or DNS listener on 127.0.0.1 recording everything that reaches it."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.received: list[bytes] = []
        family = socket.SOCK_STREAM if kind == "tcp" else socket.SOCK_DGRAM
        self.sock = socket.socket(socket.AF_INET, family)
        self.sock.bind(("127.0.0.1", 0))
        if kind == "tcp":
            self.sock.listen(16)
        self.sock.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                if self.kind == "tcp":
                    conn, _ = self.sock.accept()
                    with conn:
                        conn.settimeout(1)
                        self.received.append(b"connection:" + conn.recv(1024))
                else:
                    data, peer = self.sock.recvfrom(2048)
                    self.received.append(data)
                    if self.kind == "dns":  # answer, so that a lookup that got here "works"
                        self.sock.sendto(data[:2] + b"\x81\x80" + data[4:], peer)
            except OSError:
                continue

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@dataclass
class Traps:
    root: Path
    home: Path
    secret_file: Path
    tcp: Listener
    udp: Listener
    dns: Listener
    outside: Path = field(init=False)
    link_target: Path = field(init=False)
    #: Every path under `root` before the runs (anything new is a write from outside).
    baseline: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.outside = self.root / "written-outside"
        self.link_target = self.root / "written-through-link"

    @classmethod
    def create(cls, root: Path) -> Traps:
        home = root / "home"
        (home / ".cargo").mkdir(parents=True)
        (home / ".ssh").mkdir()
        (home / ".cargo" / "credentials.toml").write_text(f'[registry]\ntoken = "{SECRET}-cargo"\n')
        (home / ".ssh" / "id_ed25519").write_text(f"-----BEGIN KEY-----\n{SECRET}-ssh\n")
        secret = root / "secret.txt"
        secret.write_text(f"{SECRET}-file\n")
        return cls(root, home, secret, Listener("tcp"), Listener("udp"), Listener("dns"))

    def close(self) -> None:
        for listener in (self.tcp, self.udp, self.dns):
            listener.close()

    def server_env(self, base: dict[str, str]) -> dict[str, str]:
        """The server's environment: the fake $HOME, and a secret in a variable."""
        return {
            **base,
            "HOME": str(self.home),
            "RUSTUP_HOME": base.get("RUSTUP_HOME") or str(Path.home() / ".rustup"),
            "RUSTCODER_API_KEY": f"{SECRET}-env",
        }

    def probes_rs(self) -> str:
        secrets = [
            self.secret_file,
            self.home / ".cargo" / "credentials.toml",
            self.home / ".ssh" / "id_ed25519",
        ]
        values = {
            "@SECRETS@": ", ".join(json.dumps(str(p)) for p in secrets),
            "@OUTSIDE@": json.dumps(str(self.outside)),
            "@LINK_TARGET@": json.dumps(str(self.link_target)),
            "@TCP@": str(self.tcp.port),
            "@UDP@": str(self.udp.port),
            "@DNS@": str(self.dns.port),
            "@SECRET_A@": SECRET[:8],
            "@SECRET_B@": SECRET[8:],
        }
        text = PROBES_RS
        for key, value in values.items():
            text = text.replace(key, value)
        return text

    def escape_crate(self, name: str, main_rs: str = MAIN_RS) -> str:
        """The flattened crate probing from build.rs and main."""
        files = {
            "Cargo.toml": manifest(name, build_rs=True),
            "build.rs": BUILD_RS,
            "src/probes.rs": self.probes_rs(),
            "src/main.rs": main_rs,
            "notes/link-build.txt": "submitted\n",
            "notes/link-main.txt": "submitted\n",
        }
        return "\n".join(f"[filename: {path}]\n{text}" for path, text in files.items())

    def breaches(self, reply: str = "") -> list[str]:
        """What reached the host: files written, packets received, secrets in the reply."""
        found = []
        for tag in ("main", "build"):
            for path in (self.outside, self.link_target):
                written = path.with_name(f"{path.name}.{tag}")
                if written.exists():
                    found.append(f"{written} was written")
        for listener in (self.tcp, self.udp, self.dns):
            if listener.received:
                found.append(f"{listener.kind} listener got {listener.received[:3]!r}")
        if SECRET in reply:
            found.append("a secret is in the reply")
        return found


def resource_crate(probe: str, name: str) -> str:
    files = {"Cargo.toml": manifest(name, build_rs=False), "src/main.rs": RESOURCE_MAINS[probe]}
    return "\n".join(f"[filename: {path}]\n{text}" for path, text in files.items())


def probe_results(output: str) -> dict[str, str]:
    """`tag.probe` -> result, from the program's output."""
    results = {}
    for line in output.splitlines():
        name, sep, value = line.partition("=")
        if sep and "." in name and " " not in name:
            results[name] = value
    return results


PROBE_NAMES = [
    "read_secret0",
    "read_secret1",
    "read_secret2",
    "home_credentials",
    "home_ssh",
    "environment",
    "write_outside",
    "write_through_symlink",
    "tcp_loopback",
    "udp_sent",
    "dns_query",
    "dns_lookup",
]
