// The gather kernel alone (main/core/exporters/lines/gather-kernel.wat), in this process: the
// bench's clickstream events as a record batch's records, walked, checked and copied out as lines
// again and again; CPU per event from the process's own clock. The drain's CPU per event holds this
// and everything around it (Kafka's socket, the spool, the upload); this says what the kernel's
// share is, and what a change to it bought, without the noise of a drain.
import { GatherKernel } from "../main/core/exporters/lines/gather-kernel.js";
import { encodeRecord } from "../test/support/record-batches.js";
import { median } from "./report.js";
import { clickstreamEvent } from "./workload.js";

export interface KernelCost {
  /** CPU µs per event, the median of the rounds. */
  us: number;
  bytesPerEvent: number;
}

/** `rounds` rounds of `events` events each (a record batch's worth), each timed alone. */
export function measureKernel(events = 2000, rounds = 7, passes = 200): KernelCost {
  const records = Buffer.concat(
    Array.from(
      { length: events },
      (_, i) =>
        (
          encodeRecord({ offsetDelta: i, timestampDelta: 0, key: Buffer.from(String(i)), value: Buffer.from(clickstreamEvent(i)), headers: {} }) as {
            buffer: Buffer;
          }
        ).buffer,
    ),
  );
  const kernel = new GatherKernel();
  const perRound: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const began = process.cpuUsage();
    for (let pass = 0; pass < passes; pass += 1) {
      kernel.load(records, events);
      const result = kernel.gather(0, 0, events, 2 ** 30, 0, 2 ** 30);
      if (result.copied !== events) throw new Error(`The kernel copied ${result.copied} of ${events} events (${result.reason}).`);
    }
    const spent = process.cpuUsage(began);
    perRound.push((spent.user + spent.system) / (passes * events));
  }
  return { us: Math.round(median(perRound) * 1000) / 1000, bytesPerEvent: Math.round(records.length / events) };
}
