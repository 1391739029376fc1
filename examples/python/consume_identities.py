#!/usr/bin/python3
"""Consume facestream's identity stream (topic `identities`, one FaceIdentity per face).

Prints one JSON object per record on stdout and a count on stderr. Reads with
isolation.level=read_committed: the job writes in Kafka transactions, and records of aborted
transactions (a job restart) must not be read.

Wire formats (the job's `kafka.wire-format`):
  avro       the value is the Avro binary of FaceIdentity, no header; the writer's schema is the
             FaceIdentity.avsc of the facestream-schemas version the job runs (--schemas: that jar,
             or a folder of .avsc files; default: this checkout's schemas/src/main/avro)
  confluent  magic byte 0, 4-byte big-endian schema id, Avro binary; the writer's schema is fetched
             by id from the registry (--schema-registry-url, its Confluent-compatible API)

Needs Debian's python3-confluent-kafka, python3-requests and python3-avro; run it with
/usr/bin/python3 (another python3 on PATH may not see Debian's packages):

  /usr/bin/python3 examples/python/consume_identities.py --bootstrap-servers localhost:9092 \
      [--topic identities] [--group facestream-example-py] [--wire-format avro|confluent] \
      [--schema-registry-url http://localhost:8081] [--schemas DIR_OR_JAR] [--idle-timeout S]

With --idle-timeout it ends once it has read everything committed so far and nothing came for S
seconds; without, it runs until interrupted.
"""
import argparse
import io
import json
import os
import struct
import sys
import time
import zipfile

try:
    import avro.errors
    import avro.io
    import avro.name
    import avro.schema
    from confluent_kafka import Consumer, KafkaError
    from confluent_kafka.schema_registry import SchemaRegistryClient
except ImportError as e:
    sys.stderr.write(
        "consume_identities.py: %s\n  needs Debian's packages: apt-get install python3-confluent-kafka"
        " python3-requests python3-avro\n  and Debian's interpreter: /usr/bin/python3 %s\n"
        % (e, " ".join(sys.argv)))
    sys.exit(3)

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SCHEMAS = os.path.normpath(os.path.join(HERE, "..", "..", "schemas", "src", "main", "avro"))


def load_avsc(source):
    """Every top-level .avsc of a folder or of the facestream-schemas jar, by file name."""
    if os.path.isdir(source):
        return {f[:-5]: open(os.path.join(source, f), encoding="utf-8").read()
                for f in os.listdir(source) if f.endswith(".avsc")}
    with zipfile.ZipFile(source) as jar:
        prefix = "io/facestream/schema/"
        return {n[len(prefix):-5]: jar.read(n).decode("utf-8") for n in jar.namelist()
                if n.startswith(prefix) and n.endswith(".avsc") and "/" not in n[len(prefix):]}


def parse_with_references(texts, wanted):
    """Parses `wanted`, whose .avsc refers to other files' named types (Box, Point, Candidate):
    parses every file into one set of names, retrying those whose references are not parsed yet."""
    names = avro.name.Names()
    parsed, pending = {}, dict(texts)
    while pending:
        progress = False
        for name, text in list(pending.items()):
            known = dict(names.names)
            try:
                parsed[name] = avro.schema.make_avsc_object(json.loads(text), names)
            except avro.errors.SchemaParseException:
                names.names = known  # a failed parse leaves its own name behind
                continue
            del pending[name]
            progress = True
        if not progress:
            raise SystemExit("cannot parse %s: unresolved types" % ", ".join(sorted(pending)))
    if wanted not in parsed:
        raise SystemExit("no %s.avsc among the schemas" % wanted)
    return parsed[wanted]


class PlainAvro:
    """kafka.wire-format: avro. The writer's schema is the local FaceIdentity.avsc."""

    def __init__(self, schemas):
        self.reader = avro.io.DatumReader(parse_with_references(load_avsc(schemas), "FaceIdentity"))

    def decode(self, value):
        return self.reader.read(avro.io.BinaryDecoder(io.BytesIO(value)))


class Confluent:
    """kafka.wire-format: confluent. One reader per writer schema id, fetched from the registry."""

    def __init__(self, registry_url):
        self.registry = SchemaRegistryClient({"url": registry_url})
        self.readers = {}

    def decode(self, value):
        if value is None or len(value) < 5:
            raise ValueError("not the Confluent wire format: %s bytes, the header alone is 5"
                             % (0 if value is None else len(value)))
        magic, schema_id = struct.unpack(">bI", value[:5])
        if magic != 0:
            raise ValueError("not the Confluent wire format: magic byte is %d, not 0" % magic)
        reader = self.readers.get(schema_id)
        if reader is None:
            schema = avro.schema.parse(self.registry.get_schema(schema_id).schema_str)
            reader = self.readers[schema_id] = avro.io.DatumReader(schema)
        return reader.read(avro.io.BinaryDecoder(io.BytesIO(value[5:])))


def summary(msg, identity):
    """The fields a downstream service typically keeps (timestamps are datetimes in python-avro)."""
    return {
        "partition": msg.partition(), "offset": msg.offset(),
        "key": msg.key().decode("utf-8") if msg.key() is not None else None,
        "cameraId": identity["cameraId"], "frameSequence": identity["frameSequence"],
        "faceIndex": identity["faceIndex"], "status": identity["status"],
        "identity": identity.get("identity"), "similarity": identity.get("similarity"),
        "trackId": identity.get("trackId"),
        "timestampMs": int(identity["timestamp"].timestamp() * 1000),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bootstrap-servers", required=True)
    ap.add_argument("--topic", default="identities")
    ap.add_argument("--group", default="facestream-example-py")
    ap.add_argument("--wire-format", choices=["avro", "confluent"], default="avro")
    ap.add_argument("--schema-registry-url")
    ap.add_argument("--schemas", default=DEFAULT_SCHEMAS)
    ap.add_argument("--idle-timeout", type=float, default=0)
    args = ap.parse_args()
    if args.wire_format == "confluent":
        if not args.schema_registry_url:
            ap.error("--wire-format confluent needs --schema-registry-url")
        decoder = Confluent(args.schema_registry_url)
    else:
        decoder = PlainAvro(args.schemas)

    consumer = Consumer({
        "bootstrap.servers": args.bootstrap_servers,
        "group.id": args.group,
        "isolation.level": "read_committed",
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest",
        # End-of-partition events tell "read everything committed so far" (--idle-timeout).
        "enable.partition.eof": True,
    })
    assigned, at_end = set(), set()

    def on_assign(c, partitions):
        assigned.update(p.partition for p in partitions)

    def on_revoke(c, partitions):
        assigned.difference_update(p.partition for p in partitions)

    consumer.subscribe([args.topic], on_assign=on_assign, on_revoke=on_revoke)
    count, last = 0, time.monotonic()
    try:
        while True:
            msgs = consumer.consume(num_messages=500, timeout=0.5)
            handled = False
            for msg in msgs:
                if msg.error():
                    if msg.error().code() == KafkaError._PARTITION_EOF:
                        at_end.add(msg.partition())
                        continue
                    raise SystemExit("consume_identities.py: %s" % msg.error())
                at_end.discard(msg.partition())
                try:
                    identity = decoder.decode(msg.value())
                except Exception as e:  # a record that does not decode is never skipped silently
                    sys.stderr.write("consume_identities.py: cannot decode %s/%d@%d: %s\n"
                                     % (msg.topic(), msg.partition(), msg.offset(), e))
                    sys.exit(2)
                print(json.dumps(summary(msg, identity)), flush=False)
                count += 1
                handled = True
            if handled:
                sys.stdout.flush()
                consumer.commit(asynchronous=False)
                last = time.monotonic()
            elif (args.idle_timeout > 0 and assigned and assigned <= at_end
                  and time.monotonic() - last > args.idle_timeout):
                break
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()
    sys.stderr.write("%d identity records\n" % count)


if __name__ == "__main__":
    main()
