#!/usr/bin/env bash
# Prints the path of a Python >= 3.12 (Django 6.1 needs it), or explains what to install.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
candidates=("${PYTHON:-}" python3.13 python3.12 python3)
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for dir in "$root"/versions/3.1[2-9]*; do [ -x "$dir/bin/python3" ] && candidates+=("$dir/bin/python3"); done
fi
for dir in /root/.pyenv/versions/3.1[2-9]* /usr/local/bin /usr/bin; do
  for exe in "$dir"/bin/python3 "$dir"/python3.13 "$dir"/python3.12; do [ -x "$exe" ] && candidates+=("$exe"); done
done
for c in "${candidates[@]}"; do
  [ -n "$c" ] || continue
  path=$(command -v "$c" 2>/dev/null) || continue
  if ok "$path"; then echo "$path"; exit 0; fi
done
# Last resort (e.g. a machine with only Python 3.11): let uv fetch a managed CPython 3.12.
for c in python3 python; do
  base=$(command -v "$c" 2>/dev/null) || continue
  "$base" -m uv --version >/dev/null 2>&1 || "$base" -m pip install --quiet --user uv >/dev/null 2>&1 || continue
  if "$base" -m uv python install 3.12 >/dev/null 2>&1; then
    found=$("$base" -m uv python find 3.12 2>/dev/null) && ok "$found" && { echo "$found"; exit 0; }
  fi
done
echo "error: Xuefa needs Python 3.12 or newer (Django 6.1 requires it); install python3.12 or set PYTHON=/path/to/python3.12" >&2
exit 1
