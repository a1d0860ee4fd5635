"""Produces records with confluent-kafka's own Schema Registry serializers (librdkafka underneath),
so tests decode what a real producer wrote, not what our own encoder would.

Reads one JSON spec from stdin: {"brokers": "...", "registry": "...", "topic": "...",
"format": ..., "records": [{"key": ..., "value": ...}]} and, by format:

  "avro": AvroSerializer. "schema": {...}, "keySchema": {...} | null, and "references":
    [{"name": "<full name>", "subject": "...", "schema": {...}}] | null, named types the schema
    uses from other subjects (registered first, then referenced by the value's schema).
    Values may hold tagged scalars for Avro's logical types: {"$decimal": "12.30"},
    {"$timestamp": "2025-12-05T12:00:00.123456+00:00"}, {"$date": "2025-12-05"},
    {"$time": "09:00:00.500"}, {"$uuid": "..."}, {"$bytes": "<base64>"}, {"$long": "<digits>"}.

  "protobuf": ProtobufSerializer ({"use.deprecated.format": False}, otherwise its defaults).
    "protos": {"<file name>.proto": "<.proto text>", ...}, "message": "<package.Message>",
    "keyMessage": "<package.Message>" | null. The files may import each other, the well-known
    types (google/protobuf/*.proto) and googleapis' google/type/*.proto. They are compiled at run
    time with grpcio-tools' protoc into _pb2 modules, imported as a Python producer would import
    its generated code (so a file's path must not shadow a module Python has already loaded,
    e.g. "json/…" or "google/protobuf/…"). Values are the proto3 JSON mapping
    (google.protobuf.json_format.ParseDict: int64 as a string, bytes as base64, enums by name,
    Timestamp as RFC 3339).
    The serializer registers each imported file under the subject named by the file (its
    reference subject strategy) and the message's file under "<topic>-value" / "<topic>-key",
    references attached; the well-known and google/type files are skipped (skip.known.types
    defaults to True). Schemas are registered as base64 FileDescriptorProtos.

  "json": JSONSerializer (JSON Schema; validates each value). "schema": {...},
    "keySchema": {...} | null. Values are written as given, but for {"$long": "<digits>"}, written
    as that integer (beyond 2^53 a JSON number in the spec would already have been rounded).

A key without a key schema or message is written as UTF-8 when it is a string.
Prints one JSON line per record: {"partition": p, "offset": o}.
"""
import base64
import datetime
import decimal
import importlib
import importlib.resources
import json
import os
import sys
import tempfile
import uuid

from confluent_kafka import Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.serialization import MessageField, SerializationContext


def typed(value):
    if isinstance(value, list):
        return [typed(item) for item in value]
    if isinstance(value, dict):
        if len(value) == 1:
            (tag, raw), = value.items()
            if tag == "$decimal":
                return decimal.Decimal(raw)
            if tag == "$timestamp":
                return datetime.datetime.fromisoformat(raw)
            if tag == "$date":
                return datetime.date.fromisoformat(raw)
            if tag == "$time":
                return datetime.time.fromisoformat(raw)
            if tag == "$uuid":
                return uuid.UUID(raw)
            if tag == "$bytes":
                return base64.b64decode(raw)
            if tag == "$long":
                return int(raw)
        return {key: typed(item) for key, item in value.items()}
    return value


def longs(value):
    if isinstance(value, list):
        return [longs(item) for item in value]
    if isinstance(value, dict):
        if len(value) == 1 and "$long" in value:
            return int(value["$long"])
        return {key: longs(item) for key, item in value.items()}
    return value


def avro(spec, registry):
    """(value serialize, key serialize or None): each takes the spec's JSON and a SerializationContext."""
    from confluent_kafka.schema_registry import Schema, SchemaReference
    from confluent_kafka.schema_registry.avro import AvroSerializer

    # Named types from other subjects: registered first, then named by the value's schema as references.
    references = []
    for reference in spec.get("references") or []:
        registry.register_schema(reference["subject"], Schema(json.dumps(reference["schema"]), "AVRO"))
        version = registry.get_latest_version(reference["subject"]).version
        references.append(SchemaReference(reference["name"], reference["subject"], version))
    schema = Schema(json.dumps(spec["schema"]), "AVRO", references) if references else json.dumps(spec["schema"])
    value_serializer = AvroSerializer(registry, schema, conf={"auto.register.schemas": True})
    key_serializer = AvroSerializer(registry, json.dumps(spec["keySchema"])) if spec.get("keySchema") else None
    return (
        lambda value, ctx: value_serializer(typed(value), ctx),
        (lambda key, ctx: key_serializer(typed(key), ctx)) if key_serializer else None,
    )


def compile_protos(protos, workdir):
    """Compiles the .proto files with grpcio-tools' protoc and imports the generated _pb2 modules."""
    from google.type import date_pb2
    from grpc_tools import protoc

    source = os.path.join(workdir, "proto")
    generated = os.path.join(workdir, "generated")
    for name, text in protos.items():
        path = os.path.join(source, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as file:
            file.write(text)
    os.makedirs(generated)
    well_known = str(importlib.resources.files("grpc_tools").joinpath("_proto"))
    googleapis = os.path.dirname(os.path.dirname(os.path.dirname(date_pb2.__file__)))  # holds google/type/*.proto
    arguments = ["protoc", f"-I{source}", f"-I{well_known}", f"-I{googleapis}", f"--python_out={generated}", *protos]
    if protoc.main(arguments) != 0:
        raise SystemExit("protoc could not compile the .proto files (see above)")
    # Regular packages (not namespace ones), so the generated code wins over a same-named module further on sys.path.
    modules = []
    for directory, _, files in os.walk(generated):
        relative = os.path.relpath(directory, generated)
        if relative != ".":
            open(os.path.join(directory, "__init__.py"), "a").close()
        package = [] if relative == "." else relative.split(os.sep)
        modules += [".".join([*package, file[: -len(".py")]]) for file in files if file.endswith("_pb2.py")]
    sys.path.insert(0, generated)
    for module in sorted(modules):
        top = module.split(".")[0]
        loaded = sys.modules.get(top)
        if loaded is not None and not (getattr(loaded, "__file__", None) or "").startswith(generated):
            raise SystemExit(f"the generated module {module} would shadow Python's already loaded {top}: rename its .proto file")
        importlib.import_module(module)


def protobuf(spec, registry, workdir):
    from google.protobuf import descriptor_pool, json_format, message_factory
    from confluent_kafka.schema_registry.protobuf import ProtobufSerializer

    compile_protos(spec["protos"], workdir)

    def serializer(message_name):
        message_class = message_factory.GetMessageClass(descriptor_pool.Default().FindMessageTypeByName(message_name))
        serialize = ProtobufSerializer(message_class, registry, {"use.deprecated.format": False})
        return lambda value, ctx: serialize(json_format.ParseDict(value, message_class()), ctx)

    return serializer(spec["message"]), serializer(spec["keyMessage"]) if spec.get("keyMessage") else None


def json_schema(spec, registry):
    from confluent_kafka.schema_registry.json_schema import JSONSerializer

    value_serializer = JSONSerializer(json.dumps(spec["schema"]), registry)
    key_serializer = JSONSerializer(json.dumps(spec["keySchema"]), registry) if spec.get("keySchema") else None
    return (
        lambda value, ctx: value_serializer(longs(value), ctx),
        (lambda key, ctx: key_serializer(longs(key), ctx)) if key_serializer else None,
    )


def main():
    spec = json.load(sys.stdin)
    registry = SchemaRegistryClient({"url": spec["registry"]})
    with tempfile.TemporaryDirectory(prefix="streamdrop-produce-") as workdir:
        if spec["format"] == "avro":
            value_serializer, key_serializer = avro(spec, registry)
        elif spec["format"] == "protobuf":
            value_serializer, key_serializer = protobuf(spec, registry, workdir)
        elif spec["format"] == "json":
            value_serializer, key_serializer = json_schema(spec, registry)
        else:
            raise SystemExit(f"unknown format {spec['format']}")
        produce(spec, value_serializer, key_serializer)


def produce(spec, value_serializer, key_serializer):
    producer = Producer({"bootstrap.servers": spec["brokers"], "enable.idempotence": True, "linger.ms": 50})
    acks = [None] * len(spec["records"])

    def delivered(index):
        def report(error, message):
            if error is not None:
                raise SystemExit(f"record {index} was not delivered: {error}")
            acks[index] = {"partition": message.partition(), "offset": message.offset()}
        return report

    for index, record in enumerate(spec["records"]):
        value = record["value"]
        if value is not None:
            value = value_serializer(value, SerializationContext(spec["topic"], MessageField.VALUE))
        key = record.get("key")
        if key is not None and key_serializer:
            key = key_serializer(key, SerializationContext(spec["topic"], MessageField.KEY))
        elif isinstance(key, str):
            key = key.encode()
        producer.produce(spec["topic"], value=value, key=key, on_delivery=delivered(index))
        producer.poll(0)
    if producer.flush(30) != 0:
        raise SystemExit("not every record was delivered within 30 s")
    for ack in acks:
        print(json.dumps(ack))


if __name__ == "__main__":
    main()
