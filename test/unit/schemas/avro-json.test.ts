// Avro values as faithful JSON: every type and logical type the docs promise, written by the
// writer compiled for the schema, and parsed back by a JSON reader.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { avroType, compileJson, decimalText } from "../../../main/core/schemas/avro-json.js";
import { timestampText } from "../../../main/core/schemas/json-text.js";
import { parseWire } from "../../../main/core/schemas/wire-format.js";

const schema = {
  type: "record",
  name: "Order",
  namespace: "shop",
  fields: [
    { name: "id", type: { type: "string", logicalType: "uuid" } },
    { name: "count", type: "int" },
    { name: "big", type: "long" },
    { name: "price", type: { type: "bytes", logicalType: "decimal", precision: 12, scale: 3 } },
    { name: "fixedPrice", type: { type: "fixed", name: "Money", size: 4, logicalType: "decimal", precision: 9, scale: 2 } },
    { name: "at", type: { type: "long", logicalType: "timestamp-millis" } },
    { name: "atMicros", type: { type: "long", logicalType: "timestamp-micros" } },
    { name: "local", type: { type: "long", logicalType: "local-timestamp-millis" } },
    { name: "day", type: { type: "int", logicalType: "date" } },
    { name: "opens", type: { type: "int", logicalType: "time-millis" } },
    { name: "closes", type: { type: "long", logicalType: "time-micros" } },
    { name: "ratio", type: "float" },
    { name: "score", type: "double" },
    { name: "odd", type: "double" },
    { name: "flag", type: "boolean" },
    { name: "note", type: ["null", "string"] },
    { name: "either", type: ["int", "long", "string"] },
    { name: "state", type: { type: "enum", name: "State", symbols: ["NEW", "PAID"] } },
    { name: "tags", type: { type: "array", items: "string" } },
    { name: "attributes", type: { type: "map", values: "long" } },
    { name: "raw", type: "bytes" },
    { name: "address", type: ["null", { type: "record", name: "Address", fields: [{ name: "city", type: "string" }] }] },
    { name: "parent", type: ["null", "Order"], default: null },
  ],
};

const order = {
  id: "7b0a7c1e-3f0c-4d55-9a8e-1b2c3d4e5f60",
  count: 3,
  big: 9007199254740993n,
  price: Buffer.from([0xff, 0xfe, 0x1d, 0xc0]), // -123456 unscaled: -123.456
  fixedPrice: Buffer.from([0x00, 0x00, 0x30, 0x39]), // 12345: 123.45
  at: 1764936000123n,
  atMicros: 1764936000123456n,
  local: 1764936000123n,
  day: 20427,
  opens: 32_400_500,
  closes: 64_800_000_001n,
  ratio: Math.fround(0.1),
  score: 0.30000000000000004,
  odd: Number.NaN,
  flag: true,
  note: { string: 'said "hi"\n' },
  either: { long: -5n },
  state: "PAID",
  tags: ["a", "b"],
  attributes: { x: 1n, y: -9223372036854775808n },
  raw: Buffer.from("hi"),
  address: { "shop.Address": { city: "Lyon" } },
  parent: { "shop.Order": null as unknown },
};

describe("an Avro record as JSON", () => {
  const type = avroType(schema);
  const write = compileJson(type);
  const child = { ...order, parent: null, note: null, address: null };
  const value = type.fromBuffer(type.toBuffer({ ...order, parent: { "shop.Order": child } }));
  const text = write(value);
  const json = JSON.parse(text) as Record<string, unknown>;

  it("writes each logical type at its own precision, and longs and decimals exactly", () => {
    expect(json).toMatchObject({
      id: "7b0a7c1e-3f0c-4d55-9a8e-1b2c3d4e5f60",
      count: 3,
      at: "2025-12-05T12:00:00.123Z",
      atMicros: "2025-12-05T12:00:00.123456Z",
      local: "2025-12-05T12:00:00.123",
      day: "2025-12-05",
      opens: "09:00:00.500",
      closes: "18:00:00.000001",
      flag: true,
      state: "PAID",
      tags: ["a", "b"],
      raw: "aGk=",
    });
    // Exact in the text, where a double would round them.
    expect(text).toContain('"big":9007199254740993');
    expect(text).toContain('"price":-123.456');
    expect(text).toContain('"fixedPrice":123.45');
    expect(text).toContain('"attributes":{"x":1,"y":-9223372036854775808}');
  });

  it("writes unions as their bare value, floats as short as they read back, NaN as a string", () => {
    expect(json).toMatchObject({ note: 'said "hi"\n', either: -5, address: { city: "Lyon" }, ratio: 0.1, score: 0.30000000000000004, odd: "NaN" });
    expect((json.parent as Record<string, unknown>).note).toBeNull();
    expect((json.parent as Record<string, unknown>).parent).toBeNull();
  });
});

it("keeps a decimal's scale, sign and leading zeros", () => {
  expect(decimalText(Buffer.from([0x01]), 3)).toBe("0.001");
  expect(decimalText(Buffer.from([0xff]), 2)).toBe("-0.01");
  expect(decimalText(Buffer.from([0x04, 0xd2]), 0)).toBe("1234");
  expect(decimalText(Buffer.from([0x27, 0x10]), 2)).toBe("100.00");
  expect(decimalText(Buffer.alloc(0), 1)).toBe("0.0");
});

it("reads the wire format's schema id and payload, and nothing else as it", () => {
  expect(parseWire(Buffer.from([0, 0, 0, 1, 2, 9, 9]))).toEqual({ schemaId: 258, payload: Buffer.from([9, 9]) });
  expect(parseWire(Buffer.from([0, 0, 0, 7]))).toBeUndefined();
  expect(parseWire(Buffer.from('{"a":1}'))).toBeUndefined();
  expect(parseWire(null)).toBeUndefined();
});

describe("the fast paths of timestamps and decimals", () => {
  const times = avroType({
    type: "record",
    name: "Times",
    fields: [
      { name: "millis", type: { type: "long", logicalType: "timestamp-millis" } },
      { name: "micros", type: { type: "long", logicalType: "timestamp-micros" } },
    ],
  });
  const write = compileJson(times);

  it("write what the exact path writes, at the edges of Date's years and past them", () => {
    const edges = [
      0n,
      -1n,
      1n,
      -62_167_219_200_000n,
      253_402_300_799_999n,
      253_402_300_800_000n,
      -62_167_219_200_001n,
      9_007_199_254_740_993n,
      -9_007_199_254_740_993n,
    ];
    const check = (millis: bigint, micros: bigint) => {
      const expected = (units: bigint, digits: number) => {
        try {
          return `"${timestampText(units, digits)}Z"`;
        } catch {
          return "throws";
        }
      };
      let line: string;
      try {
        line = write(times.fromBuffer(times.toBuffer({ millis, micros })));
      } catch {
        line = "throws";
      }
      const wanted = [expected(millis, 3), expected(micros, 6)];
      if (wanted.includes("throws")) expect(line).toBe("throws");
      else expect(line).toBe(`{"millis":${wanted[0]},"micros":${wanted[1]}}`);
    };
    for (const edge of edges) check(edge, edge);
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }), fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }), (millis, micros) =>
        check(millis, micros),
      ),
      { numRuns: 5000 },
    );
  });

  it("give decimals of up to six bytes the digits the exact path gives", () => {
    for (const [hex, scale, text] of [
      ["00", 2, "0.00"],
      ["ff", 2, "-0.01"],
      ["7fffffffffff", 3, "140737488355.327"],
      ["800000000000", 0, "-140737488355328"],
      ["00800000000000", 1, "14073748835532.8"],
    ] as const)
      expect(decimalText(Buffer.from(hex, "hex"), scale)).toBe(text);
  });
});
