"""`ecommerce-agents specialist NAME --port N` runs one A2A service and shuts down gracefully.

Its card names the public URL (`REVIEW_SENTIMENT_URL`, here a balancer's), not the port it binds,
and `LOG_LEVEL` may be spelled in lower case.
"""

import os
import signal
import subprocess
import sys
import time

import httpx

from tests.support.servers import free_port


def test_one_specialist_serves_its_card_and_stops_on_sigterm(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/store.db",
        "LOG_LEVEL": "warning",
        "REVIEW_SENTIMENT_URL": "http://balancer.internal:8104",
        "REVIEW_SENTIMENT_GRPC_URL": f"127.0.0.1:{free_port()}",
    }
    migrate = [sys.executable, "-m", "orchestrator.cli", "migrate"]
    subprocess.run(migrate, env=env, cwd=tmp_path, check=True, capture_output=True, timeout=60)
    process = subprocess.Popen(
        [sys.executable, "-m", "orchestrator.cli", "specialist", "review-sentiment", "--port", str(port)],
        env=env,
        cwd=tmp_path,
    )
    try:
        deadline, card = time.monotonic() + 60, None
        while card is None and time.monotonic() < deadline and process.poll() is None:
            try:
                card = httpx.get(f"http://127.0.0.1:{port}/.well-known/agent-card.json", timeout=1).json()
            except httpx.HTTPError:
                time.sleep(0.3)
        assert card is not None and card["name"] == "review-sentiment"
        assert card["supportedInterfaces"][0]["url"] == "http://balancer.internal:8104/a2a"
        unauthenticated = httpx.post(f"http://127.0.0.1:{port}/a2a", json={}, timeout=5)
        assert unauthenticated.status_code == 401
        process.send_signal(signal.SIGTERM)
        assert process.wait(20) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal after its graceful shutdown
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
