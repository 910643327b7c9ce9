"""A Hugging Face hub stand-in on 127.0.0.1: the few endpoints `snapshot_download` uses.

Serves one repository from memory: the revision info, the file tree, and
HEAD/GET of `/{repo}/resolve/{revision}/{path}` with the commit and ETag
headers huggingface-hub reads. It records the files downloaded, so a test can
tell what `pull` fetched.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlparse

COMMIT = "fedcba9876543210fedcba9876543210fedcba98"


class FakeHub:
    def __init__(self, repo: str, files: dict[str, bytes]):
        self.repo = repo
        self.files = files
        self.downloaded: list[str] = []
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def do_HEAD(self) -> None:
                self.do_GET()

            def do_GET(self) -> None:
                path = unquote(urlparse(self.path).path)
                api = f"/api/models/{hub.repo}/"
                resolve = f"/{hub.repo}/resolve/"
                if path.startswith(api + "revision/"):
                    siblings = [{"rfilename": p} for p in hub.files]
                    body = {"id": hub.repo, "sha": COMMIT, "siblings": siblings}
                    self._send(200, json.dumps(body).encode(), {"Content-Type": "application/json"})
                elif path.startswith(api + "tree/"):
                    tree = [
                        {
                            "type": "file",
                            "oid": hashlib.sha1(data).hexdigest(),
                            "size": len(data),
                            "path": p,
                        }
                        for p, data in hub.files.items()
                    ]
                    self._send(200, json.dumps(tree).encode(), {"Content-Type": "application/json"})
                elif path.startswith(resolve):
                    _revision, _, file_path = path[len(resolve) :].partition("/")
                    data = hub.files.get(file_path)
                    if data is None:
                        self._send(404, b"", {"X-Error-Code": "EntryNotFound"})
                        return
                    if self.command == "GET":
                        hub.downloaded.append(file_path)
                    etag = '"' + hashlib.sha256(data).hexdigest() + '"'
                    self._send(200, data, {"X-Repo-Commit": COMMIT, "ETag": etag})
                else:
                    self._send(404, b"", {"X-Error-Code": "RepoNotFound"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    @contextmanager
    def running(self) -> Iterator[FakeHub]:
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.server.shutdown()
            self.server.server_close()
            thread.join(5)
