#!/usr/bin/env bash
# The test command (README): provisions what the tests need, then runs every test.
#   scripts/test.sh            # unit tests + ITCases (real ONNX models, real Redis 8, real photos)
#   scripts/test.sh -Dtest=X   # extra Maven arguments are passed through
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ ! -d ../shared/models || ! -d ../shared/data ]]; then
  echo "test.sh: ../shared (models and data) must sit beside the project: $(cd .. && pwd)/shared" >&2
  exit 1
fi

# Redis 8 with vector sets, built once from Debian's source package into ~/.cache (cached after).
"$root/scripts/redis8.sh" build >&2
# The same with TLS (BUILD_TLS=yes; installs libssl-dev when missing), cached apart: RedisTlsITCase.
"$root/scripts/redis8.sh" build --tls >&2

# Headless Chromium for the replay report's rendering test (Debian's package).
command -v chromium >/dev/null || (apt-get update && apt-get install -y --no-install-recommends chromium) >&2

# GStreamer's RTSP server for the live-camera tests (../shared/tools/rtsp/serve.py, Debian packages).
rtsp_pkgs=(gir1.2-gst-rtsp-server-1.0 gstreamer1.0-rtsp gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly python3-gi)
dpkg -s "${rtsp_pkgs[@]}" >/dev/null 2>&1 \
  || (apt-get update && apt-get install -y --no-install-recommends "${rtsp_pkgs[@]}") >&2

# Debian's Kafka and Avro Python packages for the Python example consumer, run by
# IdentityConsumersITCase with Debian's own /usr/bin/python3 (the python3 on PATH may be another).
py_pkgs=(python3 python3-confluent-kafka python3-requests python3-avro)
dpkg -s "${py_pkgs[@]}" >/dev/null 2>&1 \
  || (apt-get update && apt-get install -y --no-install-recommends "${py_pkgs[@]}") >&2

mvn -B -ntp verify "$@"
