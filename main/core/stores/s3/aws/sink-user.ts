// The IAM user Streamdrop's setup made for a sink (`iamUser` on its record): the one identity
// whose key the app may rotate and whose policy it may change, with admin credentials lent once.
// Any other sink's credentials are someone else's to manage.
import type { Fix } from "../../../../../common/fixes.js";
import { stores } from "../../../../../common/stores.js";
import type { SinkRecord } from "../../../config/schema.js";
import { StreamdropError } from "../../../errors.js";
import type { S3SinkRecord } from "../record.js";

export interface SinkUser {
  sink: S3SinkRecord;
  userName: string;
}

/** `cannot`: what cannot be done otherwise, as the end of a sentence; `fixes`: what to do instead. */
export function sinkUserOf(sink: SinkRecord, cannot: string, fixes: (sink: S3SinkRecord) => Fix[]): SinkUser {
  if (sink.type !== "S3") throw new StreamdropError("invalid-input", `Sink ${sink.name} writes to ${stores[sink.type].fullName}, not Amazon S3, so ${cannot}.`);
  if (!sink.iamUser)
    throw new StreamdropError("invalid-input", `Sink ${sink.name} was not set up by Streamdrop with an IAM user of its own, so ${cannot}.`, {
      fixes: fixes(sink),
    });
  return { sink, userName: sink.iamUser };
}
