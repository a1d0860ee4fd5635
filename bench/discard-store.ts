// The discard store: a minimal S3-compatible endpoint on 127.0.0.1 for timing a drain, so the
// store's own cost (gofakes3 spends microseconds per event hashing and indexing what it is sent)
// is taken out of the two shared cores' budget. It keeps each body in memory as it arrived, never
// hashing or parsing it, and answers as S3 does for what a worker and the read-back ask: buckets
// (create, head, location), objects (put, create-only put, get, head, delete, list v2) and multipart
// uploads. Bodies are kept, so the drain is still read back and checked exactly once afterwards.
//
// Run as its own process, so its CPU is read from /proc apart from the workers' and the bench's:
// `node --import tsx bench/discard-store.ts <port> [<cert.pem> <key.pem>]` (with a certificate and
// its key, over HTTPS).
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";

const objects = new Map<string, Buffer>();
const uploads = new Map<string, Map<number, Buffer>>();
let uploadCounter = 0;

const xml = (response: ServerResponse, status: number, body: string) => {
  response.writeHead(status, { "content-type": "application/xml", "content-length": Buffer.byteLength(body) });
  response.end(body);
};

const s3Error = (response: ServerResponse, status: number, code: string, message: string) =>
  xml(response, status, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);

const xmlText = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The request's body, its chunks kept as they came (joined once, when the object is stored). */
function bodyOf(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function list(response: ServerResponse, bucket: string, query: URLSearchParams): void {
  const prefix = query.get("prefix") ?? "";
  const after = query.get("continuation-token") ?? query.get("start-after") ?? "";
  const max = Number(query.get("max-keys") ?? 1000);
  const keys = [...objects.keys()]
    .filter((key) => key.startsWith(`${bucket}/${prefix}`) && key > `${bucket}/${after}`)
    .sort()
    .map((key) => key.slice(bucket.length + 1));
  const page = keys.slice(0, max);
  const truncated = keys.length > page.length;
  const contents = page.map((key) => `<Contents><Key>${xmlText(key)}</Key><Size>${objects.get(`${bucket}/${key}`)!.length}</Size><ETag>"0"</ETag></Contents>`);
  xml(
    response,
    200,
    `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${xmlText(bucket)}</Name><Prefix>${xmlText(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents.join("")}${truncated ? `<NextContinuationToken>${xmlText(page.at(-1)!)}</NextContinuationToken>` : ""}</ListBucketResult>`,
  );
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  const [bucket = "", ...rest] = url.pathname.slice(1).split("/");
  const key = decodeURIComponent(rest.join("/"));
  const path = `${decodeURIComponent(bucket)}/${key}`;
  const query = url.searchParams;
  if (request.headers["content-encoding"]?.includes("aws-chunked"))
    return s3Error(response, 400, "NotImplemented", "aws-chunked bodies are not kept by the discard store");
  if (key === "") {
    if (request.method === "GET" && query.has("location"))
      return xml(response, 200, '<?xml version="1.0" encoding="UTF-8"?><LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>');
    if (request.method === "GET") return list(response, bucket, query);
    await bodyOf(request);
    response.writeHead(200).end();
    return;
  }
  switch (request.method) {
    case "PUT": {
      const body = await bodyOf(request);
      const uploadId = query.get("uploadId");
      if (uploadId) {
        uploads.get(uploadId)?.set(Number(query.get("partNumber")), body);
        response.writeHead(200, { etag: `"${query.get("partNumber")}"` }).end();
        return;
      }
      if (request.headers["if-none-match"] === "*" && objects.has(path)) return s3Error(response, 412, "PreconditionFailed", "the object exists");
      objects.set(path, body);
      response.writeHead(200, { etag: '"0"' }).end();
      return;
    }
    case "POST": {
      await bodyOf(request);
      if (query.has("uploads")) {
        const uploadId = String((uploadCounter += 1));
        uploads.set(uploadId, new Map());
        return xml(
          response,
          200,
          `<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult><Bucket>${xmlText(bucket)}</Bucket><Key>${xmlText(key)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
        );
      }
      const parts = uploads.get(query.get("uploadId") ?? "");
      if (!parts) return s3Error(response, 404, "NoSuchUpload", "no such upload");
      objects.set(path, Buffer.concat([...parts].sort((a, b) => a[0] - b[0]).map(([, part]) => part)));
      uploads.delete(query.get("uploadId")!);
      return xml(
        response,
        200,
        `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUploadResult><Bucket>${xmlText(bucket)}</Bucket><Key>${xmlText(key)}</Key><ETag>"0"</ETag></CompleteMultipartUploadResult>`,
      );
    }
    case "GET":
    case "HEAD": {
      const object = objects.get(path);
      if (!object) return request.method === "HEAD" ? void response.writeHead(404).end() : s3Error(response, 404, "NoSuchKey", "no such key");
      response.writeHead(200, { "content-length": object.length, etag: '"0"' });
      response.end(request.method === "GET" ? object : undefined);
      return;
    }
    case "DELETE":
      if (query.has("uploadId")) uploads.delete(query.get("uploadId")!);
      else objects.delete(path);
      response.writeHead(204).end();
      return;
    default:
      return s3Error(response, 405, "MethodNotAllowed", `${request.method ?? "?"} is not served`);
  }
}

const [port, certFile, keyFile] = [Number(process.argv[2]), process.argv[3], process.argv[4]];
const serve = (request: IncomingMessage, response: ServerResponse) =>
  void handle(request, response).catch((error: unknown) => s3Error(response, 500, "InternalError", (error as Error).message));
// With a certificate and its key, over HTTPS, as S3 itself is reached.
const server = certFile && keyFile ? createTlsServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, serve) : createServer(serve);
server.listen(port, "127.0.0.1", () => process.stdout.write(`listening on ${port}\n`));
