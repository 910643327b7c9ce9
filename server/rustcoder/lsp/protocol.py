"""A protocol that answers requests it cannot even deserialize.

pygls logs a request whose params do not match the LSP types and drops it, so
the client waits forever. Answering with InvalidParams instead keeps clients
responsive and tells them what went wrong.
"""

from __future__ import annotations

import logging
from typing import Any

from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.protocol import LanguageServerProtocol

log = logging.getLogger(__name__)


class _Answered:
    """Stands in for a message that was already answered with an error."""


ANSWERED = _Answered()


class RustcoderProtocol(LanguageServerProtocol):
    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if isinstance(data, dict) and "id" in data and "method" in data:
                log.warning("answering malformed %r request with an error", data.get("method"))
                error = exc if isinstance(exc, JsonRpcInvalidParams) else JsonRpcInvalidParams()
                error.message = f"invalid params for {data.get('method')!r}"
                self._send_response(data["id"], error=error.to_response_error())
                return ANSWERED
            raise

    def handle_message(self, message: Any) -> None:
        if message is ANSWERED:
            return
        super().handle_message(message)
