"""Produces records with confluent-kafka's own Schema Registry serializers (librdkafka underneath),
so tests decode what a real producer wrote, not what our own encoder would.

Reads one JSON spec from stdin:
  {"brokers": "...", "registry": "...", "topic": "...", "format": "avro",
   "schema": {...}, "keySchema": {...} | null, "records": [{"key": ..., "value": ...}]}
Values may hold tagged scalars for Avro's logical types: {"$decimal": "12.30"},
{"$timestamp": "2025-12-05T12:00:00.123456+00:00"}, {"$date": "2025-12-05"},
{"$time": "09:00:00.500"}, {"$uuid": "..."}, {"$bytes": "<base64>"}, {"$long": "<digits>"}.
Prints one JSON line per record: {"partition": p, "offset": o}.
"""
import base64
import datetime
import decimal
import json
import sys
import uuid

from confluent_kafka import Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer
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


def main():
    spec = json.load(sys.stdin)
    registry = SchemaRegistryClient({"url": spec["registry"]})
    if spec["format"] != "avro":
        raise SystemExit(f"unknown format {spec['format']}")
    value_serializer = AvroSerializer(registry, json.dumps(spec["schema"]), conf={"auto.register.schemas": True})
    key_serializer = AvroSerializer(registry, json.dumps(spec["keySchema"])) if spec.get("keySchema") else None
    producer = Producer({"bootstrap.servers": spec["brokers"], "enable.idempotence": True, "linger.ms": 50})
    acks = [None] * len(spec["records"])

    def delivered(index):
        def report(error, message):
            if error is not None:
                raise SystemExit(f"record {index} was not delivered: {error}")
            acks[index] = {"partition": message.partition(), "offset": message.offset()}
        return report

    for index, record in enumerate(spec["records"]):
        value = value_serializer(typed(record["value"]), SerializationContext(spec["topic"], MessageField.VALUE))
        key = record.get("key")
        if key is not None and key_serializer:
            key = key_serializer(typed(key), SerializationContext(spec["topic"], MessageField.KEY))
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
