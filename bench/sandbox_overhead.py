"""What the bubblewrap sandbox costs a `/compile` round trip (goal: at most 10 % more).

Starts two real `rustcoder api` servers on 127.0.0.1, one sandboxed and one
with `--unsafe-no-sandbox` (bubblewrap hidden from it), and posts the same
small crate to each in turn (A, B, A, B, ... so that load on the machine
hits both alike). Each request builds a fresh crate with cargo and runs
it: the figure is the whole round trip a client sees.

Usage: .venv/bin/python bench/sandbox_overhead.py [--rounds 15]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time

CRATE = (
    '[filename: Cargo.toml]\n[package]\nname = "bench"\nversion = "0.1.0"\nedition = "2021"\n\n'
    "[filename: src/main.rs]\nfn main() {\n    let v: Vec<u64> = (1..=10).collect();\n"
    '    println!("{} {}", v.len(), v.iter().sum::<u64>());\n}\n'
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def request(
    port: int, method: str, path: str, body: object = None
) -> tuple[int, dict[str, object]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    data = json.dumps(body).encode() if body is not None else None
    conn.request(method, path, body=data, headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    payload = json.loads(response.read())
    conn.close()
    return response.status, payload


def start(sandboxed: bool) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = dict(os.environ)
    argv = [sys.executable, "-m", "rustcoder", "api", "--port", str(port)]
    if not sandboxed:
        env["RUSTCODER_BWRAP"] = "/nonexistent/bwrap"
        argv.append("--unsafe-no-sandbox")
    process = subprocess.Popen(argv, env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, health = request(port, "GET", "/health")
            if status == 200:
                expected = "bubblewrap" if sandboxed else "none"
                isolation = health["isolation"]
                assert isinstance(isolation, dict) and isolation["sandbox"] == expected, health
                return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the API server did not start")


def one(port: int) -> float:
    started = time.perf_counter()
    status, body = request(port, "POST", "/compile", {"code": CRATE})
    took = time.perf_counter() - started
    if status != 200 or body.get("run_output") != "10 55\n":
        raise SystemExit(f"unexpected reply: {status} {body}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    servers = {"sandboxed": start(True), "unsandboxed": start(False)}
    times: dict[str, list[float]] = {name: [] for name in servers}
    try:
        for _, port in servers.values():  # warm-up: imports, first cargo start
            one(port)
        for _ in range(args.rounds):
            for name, (_, port) in servers.items():
                times[name].append(one(port))
    finally:
        for process, _ in servers.values():
            process.terminate()
            process.wait(10)
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, values in times.items():
        print(
            f"/compile round trip, {name}, median of {len(values)}: {medians[name] * 1000:.0f} ms "
            f"(min {min(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms)"
        )
    ratio = medians["sandboxed"] / medians["unsandboxed"]
    print(f"sandbox overhead: ratio {ratio:.3f} (goal <= 1.10)")


if __name__ == "__main__":
    main()
