// Checks of a sink's input that several stores make the same way.
import { stores, type StoreType } from "../../../common/stores.js";
import { invalidInput } from "../errors.js";
import type { SinkInput } from "./sink-input.js";

/** The region and the role to assume are AWS's: another store has neither. */
export function refuseAwsOnlySettings(input: SinkInput, type: StoreType): void {
  for (const [option, value] of [
    ["region", input.region],
    ["role to assume", input.assumeRoleArn],
  ] as const) {
    if (value !== undefined)
      throw invalidInput(`The ${option} applies to S3 sinks only; ${stores[type].article} ${stores[type].fullName} sink has none. Leave it out.`);
  }
}
