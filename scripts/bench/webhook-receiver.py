#!/usr/bin/env python3
"""A webhook endpoint for scripts/bench-webhooks.sh: answers 200 at once and logs, per delivery, the path (which
subscription), the webhook-id and the milliseconds from the event's recording (the CloudEvent's time) to its arrival."""
import json, sys, time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

out = open(sys.argv[2], "a", buffering=1)

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        arrived = time.time()
        recorded = datetime.fromisoformat(json.loads(body)["time"].replace("Z", "+00:00")).timestamp()
        out.write(f"{self.path} {self.headers.get('webhook-id')} {(arrived - recorded) * 1000:.1f}\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass

ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
