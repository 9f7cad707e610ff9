"""A hostile JSON-RPC node for tests: a proxy on 127.0.0.1 in front of a real node (anvil)
that passes every call through and, when told to, lies about fees or fails broadcasts.

    with HostileNode(anvil_url) as node:
        chain = client.connect_rpc(node.url, manifest)
        node.base_fee_factor = 10      # every block's and the fee history's base fee x10
        ...
        node.raw_sent                  # every signed transaction it was given, as bytes
"""

from __future__ import annotations

import json
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class HostileNode:
    def __init__(self, upstream: str):
        self.upstream = upstream
        self.base_fee_factor = 1.0  # base fees of every block and of eth_feeHistory (a consistent lie, or a spike)
        self.pending_base_factor = 1.0  # only the pending block's base fee (a lie the history contradicts)
        self.tip_factor = 1.0  # eth_maxPriorityFeePerGas
        self.refuse_broadcast = False  # answer eth_sendRawTransaction with an error, without passing it on
        self.hang_up_after_broadcast = False  # pass it on, then fail the HTTP reply (a dropped connection)
        self.stale_pending_nonce = False  # answer the pending transaction count with the latest one
        self.raw_sent: list[bytes] = []  # what reached the node
        self.on_answered = None  # called with each method name once answered (to script a chain that moves)
        node = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server hook
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                calls = body if isinstance(body, list) else [body]
                answers = []
                for call in calls:
                    answer = node._answer(call)
                    if answer is None:
                        self.send_error(502)
                        return
                    answers.append(answer)
                out = json.dumps(answers if isinstance(body, list) else answers[0]).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def _forward(self, call: dict) -> dict:
        request = urllib.request.Request(self.upstream, json.dumps(call).encode(),
                                         {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def _answer(self, call: dict) -> dict | None:
        method, params = call.get("method"), call.get("params") or []
        if method == "eth_sendRawTransaction":
            if self.refuse_broadcast:
                return {"jsonrpc": "2.0", "id": call.get("id"),
                        "error": {"code": -32000, "message": "internal error: try again later"}}
            self.raw_sent.append(bytes.fromhex(params[0][2:]))
        if method == "eth_getTransactionCount" and self.stale_pending_nonce and params[1:] == ["pending"]:
            call = {**call, "params": [params[0], "latest"]}
        answer = self._forward(call)
        if method == "eth_sendRawTransaction" and self.hang_up_after_broadcast:
            return None
        result = answer.get("result")
        if method in ("eth_getBlockByNumber", "eth_getBlockByHash") and isinstance(result, dict) \
                and result.get("baseFeePerGas"):
            factor = self.base_fee_factor * (self.pending_base_factor if params[0] == "pending" else 1)
            result["baseFeePerGas"] = _scaled(result["baseFeePerGas"], factor)
        elif method == "eth_feeHistory" and isinstance(result, dict):
            result["baseFeePerGas"] = [_scaled(v, self.base_fee_factor) for v in result["baseFeePerGas"]]
        elif method == "eth_maxPriorityFeePerGas" and result:
            answer["result"] = _scaled(result, self.tip_factor)
        elif method == "eth_gasPrice" and result:
            answer["result"] = _scaled(result, self.base_fee_factor)
        if self.on_answered is not None:
            self.on_answered(method)
        return answer

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "HostileNode":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def set_base_fee(chain, gwei: int = 10) -> None:
    """Give anvil (``chain``: a direct Chain on it) a base fee of a few gwei over its last
    blocks, so that the base fee, not the 1 gwei tip, makes the fee: anvil's own drifts
    towards zero as the other tests mine empty blocks."""
    chain._dev_rpc("anvil_setNextBlockBaseFeePerGas", [hex(gwei * 10**9)])
    chain.advance(11)


def _scaled(hex_value: str, factor: float) -> str:
    return hex(int(int(hex_value, 16) * factor))


def signed_fields(raw: bytes) -> dict:
    """The fields of a signed transaction (gas, maxFeePerGas, maxPriorityFeePerGas, nonce …)."""
    from eth_account.typed_transactions import TypedTransaction
    from hexbytes import HexBytes

    return TypedTransaction.from_bytes(HexBytes(raw)).as_dict()
