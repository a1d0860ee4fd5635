// IAM is eventually consistent: a new access key, or a policy just put, takes seconds to work
// everywhere in AWS. A write that proves it is retried meanwhile, for a bounded time.

/** S3's answers (the cause of our error) while a new key is not known everywhere yet. */
export const newKeyErrors: ReadonlySet<string> = new Set(["InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied"]);
/** S3's answer while a policy just put does not allow the write everywhere yet. */
export const newPolicyErrors: ReadonlySet<string> = new Set(["AccessDenied"]);

const windowMs = 60_000;

/** `call` again, waiting 1 s, 2 s, … (at most 8 s) between tries, while it fails with one of `transient` and time is left. */
export async function whileIamPropagates<T>(call: () => Promise<T>, transient: ReadonlySet<string>, window = windowMs): Promise<T> {
  const deadline = Date.now() + window;
  for (let delay = 1000; ; delay = Math.min(delay * 2, 8000)) {
    try {
      return await call();
    } catch (error) {
      const cause = (error as { cause?: { name?: string } }).cause;
      if (!transient.has(cause?.name ?? "") || Date.now() + delay > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
