// The logger every AWS SDK client and credentials provider of ours is given. Apart from client.ts
// so that what only logs (an MSK login's credentials) does not load the S3 client with it.
import type { S3ClientConfig } from "@aws-sdk/client-s3";

/**
 * A logger that drops everything. Without one the SDK prints to the console itself: each failed
 * put of a stream body (every spooled batch file) printed an unlabelled "An error was encountered
 * in a non-retryable streaming request." to the stderr of `streamdrop run`, beside our own status
 * for the same failure ("Storing a file failed (cause); retry n in s", issue #31). Not routed to
 * our log instead: the SDK's other lines carry each call's input and output, more than the log
 * should be trusted with, and a worker's log has no debug level to hold them.
 */
export const quietSdkLogger: NonNullable<S3ClientConfig["logger"]> = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
