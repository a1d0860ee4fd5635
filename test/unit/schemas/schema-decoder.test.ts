// Decoding wire-format values with their writer's schema, from a registry stand-in: Avro (with a
// schema reference), JSON Schema, and every way a value can fail to decode, which makes that
// record invalid with a reason; a registry that cannot answer holds the batch instead.
import { expect, it } from "vitest";
import { avroType } from "../../../main/core/schemas/avro-json.js";
import { RegistryError, type RegisteredSchema } from "../../../main/core/schemas/registry-client.js";
import { SchemaDecoder, type SchemaSource } from "../../../main/core/schemas/schema-decoder.js";

const address = { type: "record", name: "Address", namespace: "shop", fields: [{ name: "city", type: "string" }] };
const order = {
  type: "record",
  name: "Order",
  namespace: "shop",
  fields: [
    { name: "id", type: "long" },
    { name: "ship", type: ["null", "shop.Address"] },
  ],
};

const schemas: Record<number, RegisteredSchema> = {
  1: { id: 1, schemaType: "AVRO", schema: JSON.stringify(address), references: [] },
  2: { id: 2, schemaType: "AVRO", schema: JSON.stringify(order), references: [{ name: "shop.Address", subject: "address-value", version: 1 }] },
  3: { id: 3, schemaType: "JSON", schema: '{"type":"object"}', references: [] },
  4: { id: 4, schemaType: "PROTOBUF", schema: 'syntax = "proto3"; message M { Missing m = 1; }', references: [] },
  5: { id: 5, schemaType: "AVRO", schema: "{not json", references: [] },
};

function source(failure?: RegistryError): SchemaSource & { asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    async schema(id) {
      asked.push(id);
      if (failure) throw failure;
      const found = schemas[id];
      if (!found) throw new RegistryError("unknown", `no ${id}`);
      return found;
    },
    async version(subject, version) {
      expect([subject, version]).toEqual(["address-value", 1]);
      return schemas[1]!;
    },
  };
}

const wire = (id: number, payload: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, 0, id]), payload]);
const orderType = avroType(order, { "shop.Address": avroType(address) });
const anOrder = wire(2, orderType.toBuffer({ id: 12345678901234567n, ship: { "shop.Address": { city: "Lyon" } } }));

it("decodes Avro with a referenced type, and JSON Schema values as they are; plain values stay plain", async () => {
  const registry = source();
  const decoder = new SchemaDecoder(registry);
  const json = wire(3, Buffer.from('{"a":1}'));
  await decoder.prepareValues([anOrder, json, Buffer.from("plain"), null, anOrder]);
  expect(decoder.decode(anOrder)).toEqual({ kind: "json", schemaId: 2, text: '{"id":12345678901234567,"ship":{"city":"Lyon"}}' });
  expect(decoder.decode(json)).toEqual({ kind: "payload", schemaId: 3, bytes: Buffer.from('{"a":1}') });
  expect(decoder.decode(Buffer.from("plain"))).toEqual({ kind: "plain" });
  expect(decoder.decode(null)).toEqual({ kind: "plain" });
  // Each schema fetched once, however many values use it.
  await decoder.prepareValues([anOrder]);
  expect(registry.asked).toEqual([2, 3]);
});

it("makes a record invalid, with the reason, for an unknown id, a truncated or overlong payload, and a schema it cannot read", async () => {
  const decoder = new SchemaDecoder(source());
  const unknown = wire(9, Buffer.from([2]));
  const truncated = anOrder.subarray(0, anOrder.length - 2);
  const overlong = Buffer.concat([anOrder, Buffer.from([0])]);
  const protobuf = wire(4, Buffer.from([0]));
  const broken = wire(5, Buffer.from([0]));
  await decoder.prepareValues([unknown, truncated, overlong, protobuf, broken]);
  expect(decoder.decode(unknown)).toEqual({ kind: "invalid", schemaId: 9, reason: "the Schema Registry does not know schema id 9" });
  expect(decoder.decode(truncated)).toMatchObject({ kind: "invalid", schemaId: 2, reason: expect.stringContaining("do not decode with schema id 2") });
  expect(decoder.decode(overlong)).toMatchObject({ kind: "invalid", schemaId: 2, reason: expect.stringContaining("do not decode with schema id 2") });
  expect(decoder.decode(protobuf)).toMatchObject({ kind: "invalid", reason: expect.stringContaining("cannot be read as Protobuf") });
  expect(decoder.decode(broken)).toMatchObject({ kind: "invalid", reason: expect.stringContaining("cannot be read as Avro") });
});

it("holds the batch when the registry cannot answer or refuses, and decodes once it answers", async () => {
  await expect(new SchemaDecoder(source(new RegistryError("unavailable", "down"))).prepareValues([anOrder])).rejects.toMatchObject({ failure: "unavailable" });
  await expect(new SchemaDecoder(source(new RegistryError("refused", "401"))).prepareValues([anOrder])).rejects.toMatchObject({ failure: "refused" });
  const decoder = new SchemaDecoder(source());
  await decoder.prepareValues([anOrder]);
  expect(decoder.decode(anOrder).kind).toBe("json");
});

it("keeps what an entry needs when the cache is full, however long ago it was compiled", async () => {
  const registry = source();
  const decoder = new SchemaDecoder(registry, 2);
  const anAddress = wire(1, avroType(address).toBuffer({ city: "Lyon" }));
  await decoder.prepareValues([anOrder]);
  await decoder.prepareValues([anAddress]);
  // Id 2 is the least recently used, and this entry needs it beside a new one: it stays.
  const json = wire(3, Buffer.from("{}"));
  await decoder.prepareValues([anOrder, json]);
  expect(decoder.decode(anOrder).kind).toBe("json");
  expect(decoder.decode(json).kind).toBe("payload");
  // Id 1 went, and comes back when asked again.
  await decoder.prepareValues([anAddress]);
  expect(decoder.decode(anAddress)).toMatchObject({ kind: "json", text: '{"city":"Lyon"}' });
  expect(registry.asked.filter((id) => id === 1)).toHaveLength(2);
});
