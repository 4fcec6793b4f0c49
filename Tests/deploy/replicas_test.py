#!/usr/bin/env python3
"""Replicas behind HAProxy, end to end on loopback (deploy/haproxy):
- Benchmarks/replicas.sh --replicas 3 --kill 1 on a store of the bundled corpus: its JSON has
  exactly the interface's four fields, and no request failed across the kill and the restart;
- a paper added with `refer ingest` while the replicas serve is found by every replica and
  through HAProxy, without a restart;
- SIGTERM on deploy/haproxy/serve.sh stops HAProxy and every replica.

    replicas_test.py .build/release/refer
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

REFER = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/release/refer")
PORT = 18510
work = tempfile.mkdtemp(prefix="refer-replicas-")
store = os.path.join(work, "store")


def post(port, path, body):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def listening(port):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
        return True
    except OSError:
        return False


try:
    subprocess.run([REFER, "ingest", "datasets/aisys2023/papers.jsonl", "--store", store], check=True, capture_output=True)

    # Load with a replica killed and restarted.
    out = os.path.join(work, "replicas.json")
    p = subprocess.run(["Benchmarks/replicas.sh", "--replicas", "3", "--kill", "1", "--store", store, "--duration", "12",
                        "--restart-delay", "2", "--port", str(PORT), "--json", out], capture_output=True, text=True)
    print(p.stdout[-1500:])
    assert p.returncode == 0, f"replicas.sh exit {p.returncode}\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}"
    result = json.load(open(out))
    assert sorted(result) == ["non_2xx", "requests", "requests_per_s", "socket_errors"], result
    assert result["requests"] > 0 and result["non_2xx"] == 0 and result["socket_errors"] == 0, result
    assert "replica1 UP again" in p.stdout, "the killed replica was not seen back in HAProxy's pool"

    # An ingest reaches every replica.
    run = os.path.join(work, "run")
    serve = subprocess.Popen(["deploy/haproxy/serve.sh", "--store", store, "--replicas", "3", "--port", str(PORT), "--run", run],
                             stdout=subprocess.PIPE, text=True)
    line = serve.stdout.readline()
    assert line.startswith("refer: serving 3 replicas"), line
    draft = {"title": "Lattice sieving for shortest vectors on tensor cores",
             "abstract": "We map lattice sieving, the fastest known attack on the shortest vector problem, "
                         "onto tensor cores and report record dimensions for post-quantum parameter estimates.", "k": 3}
    before = post(PORT, "/v1/similar", draft)["papers"][0]["id"]
    paper = {"id": "replica-test-1", "title": draft["title"], "abstract": draft["abstract"],
             "authors": ["Ada Sieve"], "venue": "Test", "year": 2026}
    with open(os.path.join(work, "new.jsonl"), "w") as f:
        f.write(json.dumps(paper) + "\n")
    subprocess.run([REFER, "ingest", os.path.join(work, "new.jsonl"), "--store", store], check=True, capture_output=True)
    assert before != "replica-test-1"
    for port in [PORT + 1, PORT + 2, PORT + 3, PORT]:
        top = post(port, "/v1/similar", draft)["papers"][0]
        assert top["id"] == "replica-test-1", f"port {port}: top paper {top['id']}, not the ingested one"
    print("ingest reached replicas on ports", PORT + 1, PORT + 2, PORT + 3, "and HAProxy on", PORT)

    # SIGTERM stops everything.
    serve.send_signal(signal.SIGTERM)
    serve.wait(timeout=30)
    time.sleep(0.5)
    for port in [PORT, PORT + 1, PORT + 2, PORT + 3]:
        assert not listening(port), f"port {port} still answers after SIGTERM"
    print("replicas test: passed")
finally:
    shutil.rmtree(work, ignore_errors=True)
