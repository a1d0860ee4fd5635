// Where a worker puts files: one small interface, one implementation per store
// (stores/<store>/object-store.ts, opened by open-object-store.ts). `put` is one attempt;
// exporters/files/storage.ts retries. A store may be asked to store a name again after a crash
// (recovery), always with the same bytes (docs/EXACTLY-ONCE.md).
import type { StreamdropError } from "../errors.js";
import type { FileBody } from "./file-body.js";

export interface ObjectStore {
  uri(key: string): string;
  /** A spooled body is opened afresh by each call. */
  put(key: string, body: FileBody): Promise<void>;
  /** For failures that need the user (credentials, permissions, a missing bucket): what is wrong, and its fixes. */
  authorizationProblem(error: unknown, key: string): StreamdropError | undefined;
  close(): void;
}

/** What a stored file is, by its name's suffix; downloads stay the file itself (no Content-Encoding). */
export { contentTypeOfKey } from "../../../common/record-format.js";
