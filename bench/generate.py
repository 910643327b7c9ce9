"""Generation benchmark: compile rate and test-pass rate over bench/generate_descriptions.toml.

With `--endpoint URL [--model NAME]` (an OpenAI-compatible server) or
`--model NAME` (a pulled local model) it measures the model through the whole
pipeline. Without one it runs in *replay* mode: a local stand-in model that
answers every request with the project template closest to the description,
which measures the pipeline's own overhead (template search, parsing, the
contained build, compile-and-fix, tests) and is stated as such. Prints one
line per description and a summary.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import sys
import threading
import time
import tomllib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from rustcoder.config import Settings
from rustcoder.generate.compile_fix import ModelChoice
from rustcoder.generate.pipeline import GenerateRequest, generate
from rustcoder.generate.templates import TemplateFinder, finder
from rustcoder.models.backend import GenerationParams
from rustcoder.runtime import Runtime

DESCRIPTIONS = Path(__file__).with_name("generate_descriptions.toml")


def replay_server(templates: TemplateFinder) -> ThreadingHTTPServer:
    """An OpenAI-compatible stand-in that answers with the best template for the prompt."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            prompt = body["messages"][-1]["content"]
            first_line = prompt.split("\n", 1)[0]
            template = templates(first_line, 1)[0]
            reply = {
                "id": "replay",
                "object": "chat.completion",
                "model": "replay",
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": template.flattened()},
                        "finish_reason": "stop",
                    }
                ],
            }
            data = json.dumps(reply).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


async def run(
    descriptions: list[str], choice: ModelChoice, api_key: str | None, kb_templates: TemplateFinder
) -> list[Any]:
    model = choice.load(api_key, 300.0)
    assert model is not None
    rows = []
    for description in descriptions:
        started = time.perf_counter()
        result = await generate(
            GenerateRequest(description=description, max_attempts=3),
            model,
            choice,
            GenerationParams(max_tokens=4096, temperature=0.2, timeout_s=300),
            templates=kb_templates,
        )
        seconds = time.perf_counter() - started
        rows.append((description, result, seconds))
        tests = {True: "pass", False: "FAIL", None: "-"}[result.test_success]
        print(
            f"{'build' if result.build_success else 'NO BUILD':8} tests {tests:4} "
            f"{seconds:6.1f} s  {description[:70]}",
            flush=True,
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--endpoint")
    parser.add_argument("--model")
    parser.add_argument("--api-key")
    parser.add_argument("--limit", type=int, default=0, help="only the first N descriptions")
    args = parser.parse_args()
    descriptions = tomllib.loads(DESCRIPTIONS.read_text())["descriptions"]
    if args.limit:
        descriptions = descriptions[: args.limit]
    runtime = Runtime.open(Settings(), learn=False)  # the KB holds the templates
    templates = finder(runtime.kb)
    replay = None
    if args.endpoint or args.model:
        choice = ModelChoice(args.model, args.endpoint)
        label = args.endpoint or args.model
    else:
        replay = replay_server(templates)
        choice = ModelChoice(endpoint=f"http://127.0.0.1:{replay.server_address[1]}/v1")
        label = "replay (pipeline overhead only: answers with the closest template)"
    print(f"machine: {platform.machine()} {platform.system()}, Python {platform.python_version()}")
    print(f"model: {label}; {len(descriptions)} descriptions")
    rows = asyncio.run(run(descriptions, choice, args.api_key, templates))
    built = sum(1 for _, r, _ in rows if r.build_success)
    tested = sum(1 for _, r, _ in rows if r.test_success)
    times = [s for _, _, s in rows]
    print(
        f"compile rate {built}/{len(rows)} ({100 * built / len(rows):.0f}%), "
        f"test-pass rate {tested}/{len(rows)} ({100 * tested / len(rows):.0f}%), "
        f"time per crate median {statistics.median(times):.1f} s, max {max(times):.1f} s"
    )
    if replay is not None:
        replay.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
