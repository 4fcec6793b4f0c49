# Sourced (from the repository root) by benchmarks whose Python driver needs numpy: VENV is
# refer's venv (made if missing) with numpy in it, refer is built for release, and WORK is a
# scratch folder removed on exit.
VENV="${REFER_VENV:-$HOME/.cache/refer/venv}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -c "import numpy" 2>/dev/null || "$VENV/bin/pip" install -q --disable-pip-version-check numpy
swift build -c release --product refer 2>&1 | tail -n 1
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
