// The WebAssembly kernel of the hot path against the JavaScript it stands in for: the module is
// the one its .wat assembles to, its JSON check agrees with isPlainJsonObject, and a batch it
// gathers holds the bytes Batch.add writes record by record, whatever the records (plain
// events, pretty-printed JSON, invalid values, tombstones, binary), wherever a span starts and
// ends, and wherever the batch fills up.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assemble, committedModule, generatedModule, wasmModules } from "../../../../scripts/build-wasm.js";
import { Batch } from "../../../../main/core/exporters/files/batch.js";
import { GatherKernel, gatherKernels } from "../../../../main/core/exporters/lines/gather-kernel.js";
import { isPlainJsonObject, keyHash } from "../../../../main/core/exporters/lines/json-bytes.js";
import { RecordBatch, forEachRecord, kafkaRecordOf } from "../../../../main/core/streams/record-batch.js";
import type { FetchedEntry } from "../../../../main/core/streams/fetch-response.js";
import { encodeBatch, encodeRecord } from "../../../support/record-batches.js";

describe("the gather kernel", () => {
  it("is the module its .wat assembles to (run `npm run build:wasm` after editing it)", async () => {
    const module = wasmModules.gatherKernel;
    expect(committedModule(module)).toBe(generatedModule(module, await assemble(module)));
  });

  it("keeps the process's kernel from batch to batch, except one a huge batch grew, whose memory goes with it", () => {
    const kernel = gatherKernels.use((kernel) => kernel);
    expect(gatherKernels.use((again) => again)).toBe(kernel);
    gatherKernels.use((kernel) => kernel.plain(Buffer.alloc(gatherKernels.capBytes + 1, 0x20))); // its memory grows to hold the value
    expect(kernel.memoryBytes).toBeGreaterThan(gatherKernels.capBytes);
    expect(gatherKernels.memoryBytes).toBe(0);
    expect(gatherKernels.use((again) => again)).not.toBe(kernel);
    expect(gatherKernels.memoryBytes).toBeGreaterThan(0);
    expect(gatherKernels.memoryBytes).toBeLessThan(gatherKernels.capBytes);
  });

  it("checks JSON exactly as isPlainJsonObject does", () => {
    const kernel = new GatherKernel();
    const texts = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
      fc.string({ unit: "binary", maxLength: 40 }).map((text) => `{"a":${text}}`),
      fc.string({ unit: "binary", maxLength: 40 }).map((text) => `{${text}}`),
      fc.string({ unit: "binary", maxLength: 40 }).map((text) => `{"${text}":1}`),
    );
    const bytes = fc.oneof(
      texts.map((text) => Buffer.from(text)),
      fc.uint8Array({ maxLength: 30 }).map((middle) => Buffer.concat([Buffer.from("{"), Buffer.from(middle), Buffer.from("}")])),
    );
    fc.assert(
      fc.property(bytes, (value) => kernel.plain(value) === isPlainJsonObject(value, 0, value.length)),
      { numRuns: 60_000 },
    );
    const deep = Buffer.from(`{"a":${"[".repeat(300)}${"]".repeat(300)}}`);
    expect(kernel.plain(deep)).toBe(false);
    // Names: objects of few keys drawn from few names (so repeats are common), nested in objects and arrays.
    // Names of four bytes and more are hashed a word at a time, with a backslash in the first word, a later one, or the last bytes.
    const names = fc.constantFrom("a", "b", "ab", "ba", "\\u0061", "c", "abcd", "abcdefgh", "abcdefgi", "bcdaefgh", "\\u0061bcd", "abcd\\u0065", "abcdefgh\\n");
    const object = fc.letrec<{ node: string }>((tie) => ({
      node: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.constantFrom("1", '"x"', "null"),
        fc.array(fc.tuple(names, tie("node")), { maxLength: 5 }).map((pairs) => `{${pairs.map(([name, node]) => `"${name}":${node}`).join(",")}}`),
        fc.array(tie("node"), { maxLength: 3 }).map((items) => `[${items.join(",")}]`),
      ),
    })).node;
    fc.assert(
      fc.property(object, (text) => kernel.plain(Buffer.from(`{"o":${text}}`)) === isPlainJsonObject(Buffer.from(`{"o":${text}}`), 0, text.length + 6)),
      { numRuns: 20_000 },
    );
    // Strings longer than 16 bytes, with their first special byte (a quote, a backslash, a control character, UTF-8) at every place of a chunk.
    for (let at = 0; at < 40; at += 1)
      for (const special of ['\\"', "\\\\", "\\n", "é", "\u0001"]) {
        const text = `{"${"k".repeat(at)}":"${"v".repeat(at)}${special}${"w".repeat(40 - at)}","${"k".repeat(at)}x":1}`;
        expect(kernel.plain(Buffer.from(text)), text).toBe(isPlainJsonObject(Buffer.from(text), 0, Buffer.byteLength(text)));
      }
    // Two different keys of one hash: both refuse the value (JavaScript then writes it), so they must hash alike.
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let n = 0; !pair; n += 1) {
      const name = `key-${n}`;
      const hash = keyHash(Buffer.from(name), 0, name.length)!;
      const earlier = seen.get(hash);
      if (earlier !== undefined) pair = [earlier, name];
      else seen.set(hash, name);
    }
    const colliding = Buffer.from(`{"${pair[0]}":1,"${pair[1]}":2}`);
    expect([kernel.plain(colliding), isPlainJsonObject(colliding, 0, colliding.length)]).toEqual([false, false]);
    expect(kernel.plain(Buffer.from(`{"${pair[0]}":1,"other":2}`))).toBe(true);
    for (const text of [
      '{"a":1,"a":2}',
      '{"a":{"b":1},"b":2}',
      '{"x":[{"a":1,"a":1}]}',
      `{${Array.from({ length: 1100 }, (_, i) => `"k${i}":${i}`).join(",")}}`,
    ]) {
      expect(kernel.plain(Buffer.from(text)), text.slice(0, 40)).toBe(isPlainJsonObject(Buffer.from(text), 0, text.length));
    }
  }, 120_000);

  const value = fc.oneof(
    { weight: 6, arbitrary: fc.record({ id: fc.nat(), text: fc.string({ maxLength: 30 }) }).map((event) => Buffer.from(JSON.stringify(event))) },
    { weight: 1, arbitrary: fc.record({ id: fc.nat() }).map((event) => Buffer.from(JSON.stringify(event, null, 2))) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        Buffer.from("not json"),
        Buffer.from("[1,2]"),
        Buffer.from(""),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('{"sep":"\u2028"}'),
        Buffer.from(' {"padded":1}'),
      ),
    },
    { weight: 1, arbitrary: fc.constant(null) },
  );
  const batches = fc.record({
    base: fc.integer({ min: 0, max: 1_000_000 }),
    records: fc.array(fc.record({ gap: fc.integer({ min: 1, max: 3 }), key: fc.option(fc.string({ maxLength: 5 }).map((key) => Buffer.from(key))), value }), {
      minLength: 1,
      maxLength: 60,
    }),
  });

  async function recordBatch(base: number, records: { gap: number; key: Buffer | null; value: Buffer | null }[]): Promise<RecordBatch> {
    let delta = -1;
    const encoded = records.map((record, index) =>
      encodeRecord({
        offsetDelta: (delta += record.gap),
        timestampDelta: index,
        key: record.key,
        value: record.value,
        headers: index % 4 === 0 ? { h: Buffer.from("v") } : {},
      }),
    );
    const { buffer } = await encodeBatch({
      firstOffset: String(base),
      firstTimestamp: 1_700_000_000_000,
      maxTimestamp: 1_700_000_000_000 + records.length,
      lastOffsetDelta: delta,
      records: encoded,
    });
    return new RecordBatch(buffer);
  }

  it("gathers the bytes Batch.add writes, for any records, span and batch size", async () => {
    await fc.assert(
      fc.asyncProperty(
        batches,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.option(fc.integer({ min: 1, max: 3000 })),
        async ({ base, records }, fromPick, throughPick, maxBytes) => {
          const batch = await recordBatch(base, records);
          const span = batch.lastOffset - base + 2;
          const from = base - 1 + Math.floor(fromPick * span);
          const through = from + Math.floor(throughPick * span);
          const gathered = new Batch();
          const viaKernel = gathered.addEntry(3, { offset: String(batch.lastOffset), isControlRecord: false, key: null, recordBatch: batch } as FetchedEntry, {
            from,
            through,
            ...(maxBytes ? { maxBytes } : {}),
          });
          // Record by record, stopping where the batch first holds maxBytes.
          const expected = new Batch();
          let stoppedAt: number | undefined;
          forEachRecord(batch, from, (record) => {
            if (record.offset > through) return false;
            expected.add(kafkaRecordOf(3, record));
            if (maxBytes && expected.bytes >= maxBytes) {
              stoppedAt = record.offset;
              return false;
            }
            return true;
          });
          expect(viaKernel).toBe(stoppedAt);
          expect(gathered.content()).toEqual(expected.content());
        },
      ),
      { numRuns: 3000 },
    );
  }, 120_000);
});
