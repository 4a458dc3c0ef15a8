"""A real Label Studio server on 127.0.0.1 for the tests and the review benchmark, with a generated token.

label-studio pins numpy below the version our torch / datasets stack uses, so the server lives in its own virtual
environment, made on first use under the git-ignored `.label-studio/venv` and kept for later runs.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV = REPO / ".label-studio" / "venv"
VERSION = "1.23.2"
USER = "reviewer@example.com"


def installed() -> Path:
    """The `label-studio` program, installed into its own environment when it is not there yet (a few minutes)."""
    program = VENV / "bin" / "label-studio"
    if not program.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", f"label-studio=={VERSION}"], check=True)
    return program


class Server:
    """One server process on a free port with its data in `data_dir` and its log in `log`; it can be killed and
    started again on the same data, as an office's server that stops and comes back."""

    def __init__(self, data_dir: Path, log: Path) -> None:
        self.data_dir, self.log = data_dir, log
        self.token = secrets.token_hex(20)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 300) -> None:
        env = {
            **os.environ,
            "LABEL_STUDIO_BASE_DATA_DIR": str(self.data_dir),
            "LABEL_STUDIO_USERNAME": USER,
            "LABEL_STUDIO_PASSWORD": secrets.token_hex(12),
            "LABEL_STUDIO_USER_TOKEN": self.token,
            "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
            "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
        }
        command = [str(installed()), "start", "--no-browser", "--host", "127.0.0.1", "--port", str(self.port),
                   "--data-dir", str(self.data_dir)]
        with self.log.open("ab") as log:
            self._process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                             start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"label-studio exited with {self._process.returncode}; see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(1)
        self.stop()
        raise RuntimeError(f"label-studio did not answer /health within {timeout} s; see {self.log}")

    def stop(self, kill: bool = False) -> None:
        """Stop the server (all its processes); `kill` stops it as a crash or a pulled plug would."""
        if self._process is None:
            return
        try:
            os.killpg(self._process.pid, signal.SIGKILL if kill else signal.SIGTERM)
            self._process.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()
        self._process = None
