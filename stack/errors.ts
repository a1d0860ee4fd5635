/** A failure the user can act on: its message says what is wrong and what to do. */
export class StackError extends Error {
  override name = "StackError";
}
