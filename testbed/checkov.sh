#!/usr/bin/env bash
# Installs checkov from PyPI into a virtualenv in the wolke cache, once; prints the checkov path.
set -euo pipefail
version=3.3.30
venv=${WOLKE_CACHE:-$HOME/.cache/wolke}/checkov-$version
if [ ! -f "$venv/.installed" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "checkov==$version" >&2
  touch "$venv/.installed"
fi
echo "$venv/bin/checkov"
