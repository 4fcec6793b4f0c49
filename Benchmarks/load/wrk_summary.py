"""Reads wrk's text report (run with --latency): requests, throughput, errors, latency percentiles."""
import re


def _ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 1e-3, "ms": 1, "s": 1e3, "m": 6e4}[unit]


def parse(report):
    """A dict: requests, requests_per_s, non_2xx (wrk counts 3xx there too: refer answers none),
    socket_errors (connect + read + write + timeout), and p50_ms/p90_ms/p99_ms when --latency was given."""
    requests = re.search(r"(\d+) requests in", report)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", report)
    if not requests or not rps:
        raise ValueError("not a wrk report:\n" + report)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", report)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", report)
    result = {
        "requests": int(requests.group(1)),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(int(x) for x in errors.groups()) if errors else 0,
        "requests_per_s": float(rps.group(1)),
    }
    for p, v in re.findall(r"^\s+(50|90|99)%\s+(\S+)", report, re.M):
        result[f"p{p}_ms"] = _ms(v)
    return result
