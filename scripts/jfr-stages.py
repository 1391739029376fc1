#!/usr/bin/env python3
"""Summarise a Java Flight Recorder file of the job: CPU samples per pipeline stage and top frames.

Usage: scripts/jfr-stages.py RECORDING.jfr

Reads `jfr print --json` (the JDK's own tool, no JMC). Counts jdk.ExecutionSample events (threads
running Java code, every 10 ms with settings=profile) and those jdk.NativeMethodSample events
(every 20 ms, so weighted x2) whose stack is in model or OpenCV code, i.e. busy in native code
rather than parked or waiting on a socket. Each sample is put in the first stage whose marker
appears in its stack, innermost frame first. GC and JIT threads are not Java threads and do not
appear: read their share from process CPU time.
"""
import collections
import json
import subprocess
import sys

# (stage, marker) in order: the first marker found walking the stack from the innermost frame wins.
STAGES = [
    ("detector inference (ORT run)", "io.facestream.detect.OnnxFaceDetector.detectUnpadded", "ai.onnxruntime.OrtSession.run"),
    ("embedder inference (ORT run)", "io.facestream.embed.FaceEmbedder", "ai.onnxruntime.OrtSession.run"),
    ("tensor packing (split + convertTo)", "io.facestream.model.TensorPacker", None),
    ("letterbox (resize + pad)", "io.facestream.detect.Letterbox", None),
    ("detector post-processing (decode + NMS)", "io.facestream.detect", None),
    ("JPEG decode", "io.facestream.decode", None),
    ("JPEG encode", "io.facestream.annotate.Jpeg", None),
    ("alignment (warpAffine)", "io.facestream.align", None),
    ("quality gates", "io.facestream.quality", None),
    ("tracker", "io.facestream.track", None),
    ("gallery lookup (Redis)", "io.facestream.gallery", None),
    ("Avro (de)serialisation", "org.apache.avro", None),
    ("Flink serialisation / network", "org.apache.flink.runtime.io.network", None),
    ("Flink serialisation / network", "org.apache.flink.api.common.typeutils", None),
    ("bench harness (frame generator, collect)", "io.facestream.bench", None),
    ("other facestream code", "io.facestream", None),
]
IDLE = ("park", "wait", "sleep", "epollWait", "poll", "read0", "accept", "socketRead0")


def frames(ev):
    st = ev["values"].get("stackTrace") or {}
    out = []
    for f in st.get("frames", []):
        m = f["method"]
        out.append(m["type"]["name"].replace("/", ".") + "." + m["name"])
    return out


def stage(fr):
    for name, marker, inner in STAGES:
        for i, f in enumerate(fr):
            if f.startswith(marker):
                if inner is None or any(g.startswith(inner) for g in fr[:i]):
                    return name
                break
    return "Flink runtime and the rest"


def main():
    path = sys.argv[1]
    raw = subprocess.run(
        ["jfr", "print", "--json", "--stack-depth", "96", "--events",
         "jdk.ExecutionSample,jdk.NativeMethodSample", path],
        check=True, capture_output=True, text=True).stdout
    events = json.loads(raw)["recording"]["events"]
    t0 = min(e["values"]["startTime"] for e in events) if events else ""
    by_stage = collections.Counter()
    top = collections.Counter()
    threads = collections.Counter()
    total = 0
    for ev in events:
        fr = frames(ev)
        if not fr:
            continue
        native = ev["type"] == "jdk.NativeMethodSample"
        if native:
            if fr[0].split(".")[-1] in IDLE or not any(
                    f.startswith(("ai.onnxruntime", "org.bytedeco", "io.facestream")) for f in fr):
                continue
        w = 2 if native else 1
        total += w
        by_stage[stage(fr)] += w
        top[fr[0]] += w
        th = ev["values"].get("sampledThread") or {}
        name = th.get("javaName") or th.get("osName") or "?"
        threads[name.split(" (")[0][:60]] += w
    print(f"{total} weighted samples (10 ms each) in Java threads, from {t0}\n")
    print("| stage | share of samples |\n|---|---:|")
    for s, n in by_stage.most_common():
        print(f"| {s} | {100.0 * n / total:.1f} % |")
    print("\n| top frame (innermost method) | share |\n|---|---:|")
    for f, n in top.most_common(15):
        print(f"| `{f}` | {100.0 * n / total:.1f} % |")
    print("\n| thread (operator chain) | share |\n|---|---:|")
    for t, n in threads.most_common(10):
        print(f"| {t} | {100.0 * n / total:.1f} % |")


if __name__ == "__main__":
    main()
