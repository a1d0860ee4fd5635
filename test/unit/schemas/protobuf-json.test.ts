// Protobuf values as faithful JSON, from schemas as registries hold them (a base64 descriptor, or
// .proto text) and values protobufjs encodes: the well-known types, presence, exact 64-bit
// integers, map keys, enums the schema does not name, recursion, and the message indexes of the
// wire format (the real producer, confluent-kafka's serializer, is in the integration tests).
import protobuf from "protobufjs";
import descriptorExtension from "protobufjs/ext/descriptor/index.js";
import { describe, expect, it } from "vitest";
import { descriptorOf, protobufReader } from "../../../main/core/schemas/protobuf-json.js";
import { descriptorBase64 } from "../../support/proto-descriptors.js";
import { SchemaDecoder } from "../../../main/core/schemas/schema-decoder.js";

const text = `syntax = "proto3";
package t;
import "google/protobuf/struct.proto";
import "google/protobuf/wrappers.proto";
import "google/protobuf/any.proto";
import "google/protobuf/field_mask.proto";
import "google/protobuf/empty.proto";
message Event {
  google.protobuf.Struct attributes = 1;
  google.protobuf.Int64Value count = 2;
  google.protobuf.StringValue label = 3;
  google.protobuf.Any extra = 4;
  google.protobuf.FieldMask mask = 5;
  google.protobuf.Empty nothing = 6;
  optional string maybe = 7;
  sint64 delta = 8;
  float ratio = 9;
  map<int64, string> by_id = 10;
  map<bool, int32> flags = 11;
  Kind kind = 12;
  Node tree = 13;
  google.protobuf.ListValue list = 14;
  enum Kind { KIND_UNSPECIFIED = 0; CLICK = 1; }
}
message Node { string name = 1; repeated Node children = 2; }
`;

const root = new protobuf.Root();
for (const name of ["struct", "wrappers", "any", "field_mask", "empty"])
  root.addJSON((protobuf.common.get(`google/protobuf/${name}.proto`) as { nested: protobuf.INamespace["nested"] }).nested!);
protobuf.parse(text, root, { keepCase: true });
root.resolveAll();
const Event = root.lookupType("t.Event");
const Node = root.lookupType("t.Node");

/** The payload after the schema id: message indexes (a lone 0 for the first message), then the message. */
const payload = (indexes: number[], message: Uint8Array) => {
  const writer = protobuf.Writer.create();
  if (indexes.length === 1 && indexes[0] === 0) writer.sint32(0);
  else {
    writer.sint32(indexes.length);
    for (const index of indexes) writer.sint32(index);
  }
  return Buffer.concat([writer.finish(), message]);
};

const anEvent = Event.encode(
  Event.fromObject({
    attributes: {
      fields: {
        a: { numberValue: 1.5 },
        b: { listValue: { values: [{ stringValue: "x" }, { nullValue: 0 }, { boolValue: true }] } },
        c: { structValue: { fields: {} } },
      },
    },
    count: { value: "9007199254740993" },
    extra: { type_url: "type.googleapis.com/t.Node", value: Buffer.from([1, 2]) },
    mask: { paths: ["a.b", "c"] },
    nothing: {},
    maybe: "",
    delta: "-9007199254740993",
    ratio: 0.1,
    by_id: { "9007199254740993": "big", "-1": "minus" },
    flags: { true: 1 },
    kind: 7,
    tree: { name: "root", children: [{ name: "leaf" }] },
    list: { values: [{ numberValue: 2 }] },
  }),
).finish();

describe("a .proto text schema", () => {
  it("writes every field by its .proto name, the well-known types as JSON, exact 64-bit integers", () => {
    const read = protobufReader([text]);
    const line = read(payload([0], anEvent));
    expect(line).toBe(
      '{"attributes":{"a":1.5,"b":["x",null,true],"c":{}},"count":9007199254740993,"label":null,"extra":{"@type":"type.googleapis.com/t.Node","value":"AQI="},"mask":"a.b,c","nothing":{},"maybe":"","delta":-9007199254740993,"ratio":0.1,"by_id":{"9007199254740993":"big","-1":"minus"},"flags":{"true":1},"kind":7,"tree":{"name":"root","children":[{"name":"leaf","children":[]}]},"list":[2]}',
    );
    expect(JSON.parse(line)).toMatchObject({ maybe: "", kind: 7 });
  });

  it("writes an unset proto3 optional as null, and finds the second message of the file", () => {
    const read = protobufReader([text]);
    expect(JSON.parse(read(payload([0], Event.encode(Event.fromObject({})).finish())))).toMatchObject({
      maybe: null,
      attributes: null,
      delta: 0,
      kind: "KIND_UNSPECIFIED",
    });
    expect(read(payload([1], Node.encode(Node.fromObject({ name: "n" })).finish()))).toBe('{"name":"n","children":[]}');
  });

  it("throws on indexes the schema does not have, and on bytes that are not the message", () => {
    const read = protobufReader([text]);
    expect(() => read(payload([5], Buffer.alloc(0)))).toThrow("names message 5, which the schema does not have");
    expect(() => read(payload([0], Buffer.from([0x0a, 0x05, 0x01])))).toThrow();
  });
});

describe("a base64 descriptor (what Confluent's serializers register)", () => {
  it("numbers messages as the descriptor lists them, map entries included", () => {
    const { base64, root: withMap } = descriptorBase64(
      `syntax = "proto3"; package d; message Outer { map<string, int32> m = 1; message Inner { string s = 1; } Inner inner = 2; }`,
      "d/outer.proto",
    );
    expect(descriptorOf(base64)?.name).toBe("d/outer.proto");
    expect(descriptorOf(text)).toBeUndefined();
    const nested = (descriptorOf(base64)!.messageType![0]!.nestedType ?? []).map((message) => message.name);
    const inner = withMap.lookupType("d.Outer.Inner");
    const read = protobufReader([base64]);
    expect(read(payload([0, nested.indexOf("Inner")], inner.encode(inner.fromObject({ s: "x" })).finish()))).toBe('{"s":"x"}');
  });
});

describe("what the review found", () => {
  it("takes a registered copy of a well-known file (Java's serializer registers them) without defining its types twice", () => {
    const timestampCopy = `syntax = "proto3";\npackage google.protobuf;\nmessage Timestamp { int64 seconds = 1; int32 nanos = 2; }\n`;
    const main = `syntax = "proto3"; package w; import "google/protobuf/timestamp.proto"; message At { google.protobuf.Timestamp at = 1; }`;
    const textRead = protobufReader([timestampCopy, main]);
    const own = new protobuf.Root();
    own.addJSON((protobuf.common.get("google/protobuf/timestamp.proto") as { nested: protobuf.INamespace["nested"] }).nested!);
    protobuf.parse(main, own, { keepCase: true });
    own.resolveAll();
    const At = own.lookupType("w.At");
    const bytes = payload([0], At.encode(At.fromObject({ at: { seconds: 1764936000, nanos: 5_000_000 } })).finish());
    expect(textRead(bytes)).toBe('{"at":"2025-12-05T12:00:00.005Z"}');

    // The same as descriptors, as Confluent's serializers register them.
    const { FileDescriptorProto } = descriptorExtension as unknown as { FileDescriptorProto: { encode(file: unknown): { finish(): Uint8Array } } };
    const files = (own as unknown as { toDescriptor(edition: string): { file: Array<{ name?: string; package?: string }> } }).toDescriptor("proto3").file;
    const named = files.map((file) => ({ ...file, name: file.package === "google.protobuf" ? "google/protobuf/timestamp.proto" : "w/at.proto" }));
    const base64 = named.map((file) => Buffer.from(FileDescriptorProto.encode(file).finish()).toString("base64"));
    const mainFirst = named.findIndex((file) => file.name === "w/at.proto");
    const ordered = [...base64.filter((_, index) => index !== mainFirst), base64[mainFirst]!];
    expect(protobufReader(ordered)(bytes)).toBe('{"at":"2025-12-05T12:00:00.005Z"}');
  });

  it("writes a 64-bit map key whose 8 bytes are ASCII digits as its number", () => {
    const read = protobufReader([text]);
    const key = "3472328296227680304"; // 0x3030303030303030: the bytes "00000000"
    expect(JSON.parse(read(payload([0], Event.encode(Event.fromObject({ by_id: { [key]: "x" } })).finish()))).by_id).toEqual({ [key]: "x" });
  });

  it("refuses a timestamp past the years 0 to 9999, rather than write a six-digit year", () => {
    const schema = `syntax = "proto3"; package y; import "google/protobuf/timestamp.proto"; message T { google.protobuf.Timestamp at = 1; }`;
    const own = new protobuf.Root();
    own.addJSON((protobuf.common.get("google/protobuf/timestamp.proto") as { nested: protobuf.INamespace["nested"] }).nested!);
    protobuf.parse(schema, own, { keepCase: true });
    own.resolveAll();
    const T = own.lookupType("y.T");
    expect(() => protobufReader([schema])(payload([0], T.encode(T.fromObject({ at: { seconds: 253402300800, nanos: 0 } })).finish()))).toThrow(
      "outside the years 0 to 9999",
    );
  });
});

describe("a registry that answers with .proto text", () => {
  it("is asked for the descriptor, which numbers a nested message after a map entry as producers do", async () => {
    const proto = `syntax = "proto3"; package n; message Outer { map<string, int32> m = 1; message Inner { string s = 1; } Inner inner = 2; }`;
    const { base64, root: own } = descriptorBase64(proto, "n/outer.proto");
    const innerIndex = (descriptorOf(base64)!.messageType![0]!.nestedType ?? []).findIndex((message) => message.name === "Inner");
    expect(innerIndex).toBe(1);
    const source = {
      schema: async (id: number) => ({ id, schemaType: "PROTOBUF" as const, schema: proto, references: [] }),
      version: async () => {
        throw new Error("no references");
      },
      serialized: async () => base64,
      serializedVersion: async () => base64,
    };
    const decoder = new SchemaDecoder(source);
    const Inner = own.lookupType("n.Outer.Inner");
    const value = Buffer.concat([Buffer.from([0, 0, 0, 0, 5]), payload([0, innerIndex], Inner.encode(Inner.fromObject({ s: "x" })).finish())]);
    await decoder.prepare([5]);
    expect(decoder.decode(value)).toEqual({ kind: "json", schemaId: 5, text: '{"s":"x"}' });
  });
});
