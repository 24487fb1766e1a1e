"""Starts `numeral serve` on a free loopback port with its own data directory, and talks to it."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request


class Server:
    def __init__(self, binary, extra_args=()):
        self.binary = os.path.abspath(binary)
        self.directory = tempfile.mkdtemp(prefix="numeral-web-")
        self.admin = self.token("admin")
        self.viewer = self.token("viewer")
        self.process = subprocess.Popen(
            [self.binary, "serve", "--port", "0", "--data-dir", self.directory, "--rate", "1000", "--burst", "1000",
             *extra_args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.time() + 60
        self.url = None
        while time.time() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            match = re.search(r"on (http://[0-9.]+:\d+)/", line)
            if match:
                self.url = match.group(1)
                break
        if not self.url:
            self.stop()
            raise RuntimeError("numeral serve did not start")

    def token(self, role):
        out = subprocess.run([self.binary, "serve", "token", "create", "--role", role, "--data-dir", self.directory],
                             capture_output=True, text=True, check=True)
        return out.stdout.strip()

    def request(self, method, path, body=None, content_type=None, token=None, timeout=20):
        headers = {}
        if content_type:
            headers["Content-Type"] = content_type
        if token:
            headers["Authorization"] = "Bearer " + token
        data = body.encode() if isinstance(body, str) else body
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def stats(self, *args):
        out = subprocess.run([self.binary, "stats", "--json", "--data-dir", self.directory, *args],
                             capture_output=True, text=True, check=True)
        return json.loads(out.stdout)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.directory, ignore_errors=True)
