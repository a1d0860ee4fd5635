// Streamdrop patches kafkajs (patches/kafkajs+2.2.4.patch, applied by patch-package on install):
// the batch-level fetch decoder, header lists and batch codecs depend on it. kafkajs is frozen at
// 2.2.4, so the patch stays put; if the version ever changes, this fails first, before the
// decoder meets a kafkajs it was not reviewed against.
import { readFileSync } from "node:fs";
import { createServer, type AddressInfo, type Socket } from "node:net";
import { createRequire } from "node:module";
import { afterEach, describe, expect, it, vi } from "vitest";

const require = createRequire(import.meta.url);
const kafkajsFile = (path: string) => readFileSync(require.resolve(`kafkajs/${path}`), "utf8");

describe("the patched kafkajs", () => {
  it("is the version the patch was written and reviewed for", () => {
    const { version } = JSON.parse(kafkajsFile("package.json")) as { version: string };
    const packageJson = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { dependencies: Record<string, string> };
    expect(version).toBe("2.2.4");
    expect(packageJson.dependencies.kafkajs).toBe("2.2.4");
    expect(() => readFileSync(new URL(`../../../patches/kafkajs+${version}.patch`, import.meta.url))).not.toThrow();
  });

  it("carries the decoder option from kafka.consumer() through to broker.fetch()", () => {
    for (const path of ["src/index.js", "src/consumer/index.js", "src/consumer/consumerGroup.js", "src/broker/index.js"]) {
      expect(kafkajsFile(path), path).toContain("decodeFetchResponse");
    }
    expect(kafkajsFile("src/protocol/recordBatch/record/v0/decoder.js")).toContain("headerList");
  });

  describe("the request queue", () => {
    // A RequestQueue as each broker connection has one; requests are pushed as the connection does.
    const RequestQueue = require("kafkajs/src/network/requestQueue/index.js") as new (options: object) => {
      pending: unknown[];
      inflight: Map<number, unknown>;
      throttleCheckTimeoutId: unknown;
      push(request: object): void;
      fulfillRequest(response: { correlationId: number; payload: Buffer; size: number }): void;
      maybeThrottle(ms: number): void;
      dropFetches(error: Error): boolean;
      scheduleRequestTimeoutCheck(): void;
      destroy(): void;
    };
    const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
    const queue = (options: object = {}) =>
      new RequestQueue({
        maxInFlightRequests: 1,
        requestTimeout: 30_000,
        enforceRequestTimeout: false,
        clientId: "test",
        broker: "test:9092",
        logger,
        isConnected: () => true,
        ...options,
      });
    const request = (correlationId: number, sent: number[]) => ({
      entry: { correlationId, resolve: () => undefined, reject: () => undefined },
      expectResponse: true,
      requestTimeout: 30_000,
      sendRequest: () => sent.push(correlationId),
    });

    afterEach(() => vi.useRealTimers());

    it("schedules no check while nothing is pending (upstream: one every millisecond, at a negative delay)", () => {
      vi.useFakeTimers();
      const sent: number[] = [];
      const requests = queue();
      requests.push(request(1, sent));
      requests.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
      expect(sent).toEqual([1]);
      expect(requests.throttleCheckTimeoutId).toBeNull();
      expect(vi.getTimerCount()).toBe(0);
      requests.destroy();
    });

    it("still sends what waited, once the request in flight is answered or the throttle ends", () => {
      vi.useFakeTimers();
      const sent: number[] = [];
      const requests = queue();
      requests.push(request(1, sent));
      requests.push(request(2, sent)); // one in flight at most: 2 waits
      expect(sent).toEqual([1]);
      requests.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
      expect(sent).toEqual([1, 2]);
      requests.fulfillRequest({ correlationId: 2, payload: Buffer.alloc(0), size: 0 });
      requests.maybeThrottle(500);
      requests.push(request(3, sent));
      expect(sent).toEqual([1, 2]);
      vi.advanceTimersByTime(499);
      expect(sent).toEqual([1, 2]);
      vi.advanceTimersByTime(20);
      expect(sent).toEqual([1, 2, 3]);
      requests.fulfillRequest({ correlationId: 3, payload: Buffer.alloc(0), size: 0 });
      expect(vi.getTimerCount()).toBe(0);
      requests.destroy();
    });

    it("drops the fetches in flight when asked (a disconnect), rejecting them, and keeps every other request", () => {
      const outcomes: string[] = [];
      const requests = queue({ maxInFlightRequests: null });
      const sent = (correlationId: number, apiName: string) => ({
        entry: {
          correlationId,
          apiName,
          resolve: () => outcomes.push(`${apiName} answered`),
          reject: (error: Error) => outcomes.push(`${apiName}: ${error.message}`),
        },
        expectResponse: true,
        requestTimeout: 30_000,
        sendRequest: () => undefined,
      });
      requests.push(sent(1, "Heartbeat"));
      expect(requests.dropFetches(new Error("closed"))).toBe(false);
      requests.push(sent(2, "Fetch"));
      expect(requests.dropFetches(new Error("closed"))).toBe(true);
      expect(outcomes).toEqual(["Fetch: closed"]);
      expect([...requests.inflight.keys()]).toEqual([1]);
      requests.destroy();
    });

    it("checks for timed-out requests only while one is in flight, each tenth of the timeout (upstream: each 100 ms, for every connection's life), and still times them out", () => {
      vi.useFakeTimers();
      const timedOut: number[] = [];
      const requests = queue({ maxInFlightRequests: null, enforceRequestTimeout: true });
      const sent = (correlationId: number) => ({
        entry: { correlationId, apiName: "Metadata", resolve: () => undefined, reject: () => timedOut.push(correlationId) },
        expectResponse: true,
        requestTimeout: 30_000,
        sendRequest: () => undefined,
      });
      requests.scheduleRequestTimeoutCheck(); // as the connection does once connected
      // Idle: no check runs.
      expect(vi.getTimerCount()).toBe(0);
      requests.push(sent(1));
      expect(vi.getTimerCount()).toBe(1);
      requests.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
      vi.advanceTimersByTime(3000);
      // Nothing in flight at the check: it stops.
      expect(vi.getTimerCount()).toBe(0);
      requests.push(sent(2));
      // Checked every 3 s: past its 30 s at the check 33 s after it was sent, not before.
      vi.advanceTimersByTime(32_999);
      expect(timedOut).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(timedOut).toEqual([2]);
      vi.advanceTimersByTime(3000);
      expect(vi.getTimerCount()).toBe(0);
      requests.destroy();
    });
  });

  describe("the connection's reads", () => {
    // A Connection as kafkajs builds one, with a request queue that records what it is handed.
    const Connection = require("kafkajs/src/network/connection.js") as new (options: object) => {
      requestQueue: unknown;
      authHandlers: unknown;
      processData(data: Buffer): void;
    };
    const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, namespace: () => logger };
    const fetchKey = 1;

    function connection(inflight: Map<number, { entry: { recycleResponse?: boolean; apiKey: number } }>) {
      const delivered: Array<{ correlationId: number; payload: Buffer; size: number }> = [];
      const connected = new Connection({
        host: "127.0.0.1",
        port: 9092,
        logger: { namespace: () => logger },
        socketFactory: () => undefined,
        requestTimeout: 30_000,
        connectionTimeout: 1000,
      });
      connected.requestQueue = { inflight, fulfillRequest: (response: (typeof delivered)[number]) => delivered.push(response) };
      return { connected, delivered };
    }

    const response = (correlationId: number, body: Buffer) => {
      const header = Buffer.alloc(8);
      header.writeInt32BE(4 + body.length, 0);
      header.writeInt32BE(correlationId, 4);
      return Buffer.concat([header, body]);
    };

    it("assembles responses cut anywhere, several to a read, from a read buffer that is written over", () => {
      const bodies = [Buffer.from("first"), Buffer.alloc(0), Buffer.from("x".repeat(70_000)), Buffer.from("last one")];
      const stream = Buffer.concat(bodies.map((body, index) => response(index + 1, body)));
      for (const cut of [1, 3, 5, 7, 8, 9, 64, 1000, 65_536, stream.length]) {
        const { connected, delivered } = connection(new Map());
        const reused = Buffer.alloc(cut);
        for (let at = 0; at < stream.length; at += cut) {
          const length = stream.copy(reused, 0, at, at + cut);
          connected.processData(reused.subarray(0, length));
          reused.fill(0xee); // what the socket's next read does to the buffer
        }
        expect(
          delivered.map(({ correlationId }) => correlationId),
          `cut ${cut}`,
        ).toEqual([1, 2, 3, 4]);
        expect(
          delivered.map(({ payload }) => payload.toString()),
          `cut ${cut}`,
        ).toEqual(bodies.map(String));
        expect(delivered.map(({ size }) => size)).toEqual(bodies.map((body) => 4 + body.length));
      }
    });

    it("reuses fetch responses' buffers in turn for a decoder that copies, and gives every other response its own", () => {
      const inflight = new Map([
        [1, { entry: { apiKey: fetchKey, recycleResponse: true } }],
        [2, { entry: { apiKey: fetchKey, recycleResponse: true } }],
        [3, { entry: { apiKey: fetchKey, recycleResponse: true } }],
        [4, { entry: { apiKey: fetchKey } }],
        [5, { entry: { apiKey: 12 } }],
      ]);
      const { connected, delivered } = connection(inflight);
      for (const id of [1, 2, 3, 4, 5]) connected.processData(response(id, Buffer.from(`response ${id}`.padEnd(100, "."))));
      const memory = delivered.map(({ payload }) => payload.buffer);
      expect(memory[2]).toBe(memory[0]); // the third fetch takes the first one's slot, once it is dead
      expect(memory[1]).not.toBe(memory[0]);
      for (const own of [memory[3], memory[4]]) expect([memory[0], memory[1]]).not.toContain(own);
      expect(delivered[2]!.payload.toString().trimEnd()).toBe("response 3".padEnd(100, "."));
    });

    it("hands a raw SASL token over as a copy, since the read buffer is reused", () => {
      const { connected } = connection(new Map());
      const tokens: Buffer[] = [];
      connected.authHandlers = { onSuccess: (data: Buffer) => tokens.push(data) };
      const read = Buffer.from("token");
      connected.processData(read);
      read.fill(0);
      expect(tokens.map(String)).toEqual(["token"]);
    });

    it("reads plain TCP into one reused buffer, handed to onData", async () => {
      const createSocket = require("kafkajs/src/network/socket.js") as (options: object) => Socket;
      const socketFactory = require("kafkajs/src/network/socketFactory.js") as () => unknown;
      const server = createServer((peer) => {
        peer.write("a".repeat(100_000));
        setTimeout(() => peer.end("b".repeat(100_000)), 20);
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      try {
        const reads: Array<{ memory: ArrayBufferLike; text: string }> = [];
        const ended = new Promise<void>((resolve) => {
          createSocket({
            socketFactory: socketFactory(),
            host: "127.0.0.1",
            port: (server.address() as AddressInfo).port,
            ssl: null,
            onConnect: () => undefined,
            onData: (data: Buffer) => reads.push({ memory: data.buffer, text: data.toString() }),
            onEnd: resolve,
            onError: resolve,
            onTimeout: resolve,
          });
        });
        await ended;
        expect(reads.map(({ text }) => text).join("")).toBe("a".repeat(100_000) + "b".repeat(100_000));
        expect(reads.length).toBeGreaterThan(2);
        expect(new Set(reads.map(({ memory }) => memory)).size).toBe(1);
      } finally {
        server.close();
      }
    });
  });
});

describe("the patched OAUTHBEARER authenticator", () => {
  type Authenticate = (sasl: object) => (args: object) => { authenticate(): Promise<void> };
  const authenticatorOf = require("kafkajs/src/broker/saslAuthenticator/oauthBearer.js") as Authenticate;
  const { KafkaJSConnectionError } = require("kafkajs") as typeof import("kafkajs");
  const logger = { debug() {}, error() {} };
  /** The broker's SaslAuthenticate answer: its auth bytes, as Kafka frames them (a length, then the bytes). */
  const answering =
    (challenge: string) =>
    async ({ response }: { response: { decode(raw: Buffer): Promise<Buffer>; parse(bytes: Buffer): unknown } }) => {
      const body = Buffer.from(challenge);
      const framed = Buffer.concat([Buffer.alloc(4), body]);
      framed.writeInt32BE(body.length, 0);
      return response.parse(await response.decode(framed));
    };
  const run = (saslAuthenticate: unknown) => {
    const refused: unknown[] = [];
    const sasl = { oauthBearerProvider: async () => ({ value: "token" }), onTokenRefused: (token: unknown) => refused.push(token) };
    const done = authenticatorOf(sasl)({ host: "b1", port: 9092, logger, saslAuthenticate }).authenticate();
    return { done, refused };
  };

  it("takes an empty answer as success", async () => {
    const { done, refused } = run(answering(""));
    await expect(done).resolves.toBeUndefined();
    expect(refused).toEqual([]);
  });

  it("takes an RFC 7628 error challenge as a refused token, and says so", async () => {
    const { done, refused } = run(answering('{"status":"invalid_token"}'));
    await expect(done).rejects.toMatchObject({ name: "KafkaJSSASLAuthenticationError", message: expect.stringContaining("invalid_token") });
    expect(refused).toEqual([{ value: "token" }]);
  });

  it("leaves a connection lost on the way as it is (retriable), keeping the token", async () => {
    const lost = new KafkaJSConnectionError("Connection closed");
    const { done, refused } = run(async () => {
      throw lost;
    });
    await expect(done).rejects.toBe(lost);
    expect(refused).toEqual([]);
  });
});

describe("kafkajs's consumer group, leaving", () => {
  const ConsumerGroup = require("kafkajs/src/consumer/consumerGroup.js") as { prototype: object };
  const privately = (name: string) =>
    Object.getOwnPropertySymbols(ConsumerGroup.prototype).find((symbol) => symbol.description === `private:ConsumerGroup:${name}`)!;

  /** A member whose join waits for `joined()`; what it asks of the coordinator and the cluster is recorded. */
  function member() {
    const calls: string[] = [];
    let joined: () => void = () => undefined;
    const fields = {
      groupId: "g",
      memberId: null as string | null,
      left: false,
      joining: null,
      retrier: (attempt: (bail: (error: Error) => never) => Promise<void>) =>
        attempt((error) => {
          throw error;
        }),
      coordinator: { leaveGroup: async ({ memberId }: { memberId: string }) => void calls.push(`leave ${memberId}`) },
      cluster: { refreshMetadata: async () => void calls.push("refresh metadata"), removeBroker: () => void calls.push("remove broker") },
      instrumentationEmitter: { emit: () => undefined },
      logger: { info: () => undefined, debug: () => undefined, warn: () => undefined },
      assigned: () => [],
      isLeader: () => false,
      [privately("join")]: async function (this: { memberId: string | null }) {
        calls.push("join");
        await new Promise<void>((resolve) => (joined = resolve));
        this.memberId = "m1";
      },
      [privately("sync")]: async () => undefined,
    };
    const group = Object.assign(Object.create(ConsumerGroup.prototype) as object, fields) as unknown as {
      joinAndSync(): Promise<void>;
      leave(): Promise<void>;
      recoverFromFetch(error: Error): Promise<void>;
    };
    return { group, calls, joined: () => joined() };
  }

  it("leaves once a join under way ends, as the member it made, and joins or recovers no more", async () => {
    const { group, calls, joined } = member();
    const joining = group.joinAndSync();
    await vi.waitFor(() => expect(calls).toEqual(["join"]));
    const leaving = group.leave();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calls).toEqual(["join"]);
    joined();
    await joining;
    await leaving;
    expect(calls).toEqual(["join", "leave m1"]);
    // A fetch the disconnect dropped fails afterwards: kafkajs would refresh and rejoin as a new member.
    await group.recoverFromFetch(Object.assign(new Error("Connection closed"), { name: "KafkaJSConnectionClosedError" }));
    await group.joinAndSync();
    expect(calls).toEqual(["join", "leave m1"]);
  });
});

describe("kafkajs's consumer group, fetching ahead", () => {
  const ConsumerGroup = require("kafkajs/src/consumer/consumerGroup.js") as { prototype: object };
  const SeekOffsets = require("kafkajs/src/consumer/seekOffsets.js") as new () => { set(topic: string, partition: number, offset: string): void };
  type Request = { topic: string; partitions: { partition: number; fetchOffset: string }[] };

  /** A group holding partitions 0 and 1 of t, both resolved to 5, on broker 1; its fetches are recorded, not sent. */
  function group() {
    const requests: Request[][] = [];
    const next = new Map([
      [0, 5],
      [1, 5],
    ]);
    const seekOffset = new SeekOffsets();
    const offsetManager = {
      seek: async ({ partition, offset }: { partition: number; offset: string }) => void next.set(partition, Number(offset)),
      resolveOffsets: async () => undefined,
      committedOffsets: () => ({ t: { 0: "5", 1: "5" } }),
      nextOffset: (_topic: string, partition: number) => next.get(partition),
    };
    const broker = { fetch: async ({ topics }: { topics: Request[] }) => (requests.push(topics), { responses: [] }) };
    const assigned = [{ topic: "t", partitions: [0, 1] }];
    const fields = {
      cluster: { refreshMetadataIfNecessary: async () => undefined, findBroker: async () => broker },
      subscriptionState: { assigned: () => assigned, active: () => assigned },
      logger: { debug: () => undefined },
      seekOffset,
      offsetManager,
      preferredReadReplicasPerTopicPartition: {},
      checkForStaleAssignment: () => undefined,
      filterPartitionsByNode: (_node: number, partitions: unknown) => partitions,
    };
    const consumerGroup = Object.assign(Object.create(ConsumerGroup.prototype) as object, fields) as unknown as {
      fetch(nodeId: number, ahead?: Map<string, string>): Promise<unknown[]>;
      hasSeekOffset(partition: { topic: string; partition: number }): boolean;
    };
    return { consumerGroup, seekOffset, requests };
  }

  const offsets = (request: Request[]) => request.flatMap(({ partitions }) => partitions.map(({ partition, fetchOffset }) => `${partition}@${fetchOffset}`));

  it("leaves a pending seek to the fetch in turn, and a partition being sought out of the fetch ahead", async () => {
    const { consumerGroup, seekOffset, requests } = group();
    seekOffset.set("t", 0, "2");
    await consumerGroup.fetch(
      1,
      new Map([
        ["t|0", "10"],
        ["t|1", "10"],
      ]),
    );
    // The handler of partition 0 still sees its seek (it is stale) and resolves nothing past it.
    expect(consumerGroup.hasSeekOffset({ topic: "t", partition: 0 })).toBe(true);
    await consumerGroup.fetch(1);
    expect(consumerGroup.hasSeekOffset({ topic: "t", partition: 0 })).toBe(false);
    expect(requests.map(offsets)).toEqual([["1@10"], ["0@2", "1@5"]]);
  });
});

describe("kafkajs's fetcher, patched to fetch ahead", () => {
  interface FakeBatch {
    topic: string;
    partition: number;
    fetchedOffset: string;
    lastOffset(): string;
    isEmptyIncludingFiltered(): boolean;
  }
  type Ahead = Map<string, string> | undefined;
  const createFetcher = require("kafkajs/src/consumer/fetcher.js") as (options: {
    nodeId: number;
    workerQueue: { push(...batches: FakeBatch[]): Promise<void> };
    partitionAssignments: Map<string, number>;
    fetch(nodeId: number, ahead?: Ahead): Promise<FakeBatch[]>;
    isFetchCurrent?(batch: FakeBatch): boolean;
    logger: { namespace(): object };
  }) => { start(): Promise<void>; stop(): Promise<void>; handed(): Promise<void> };
  const logger = { namespace: () => ({ info: () => undefined, debug: () => undefined }) };
  const batch = (partition: number, first: number, last: number | undefined): FakeBatch => ({
    topic: "t",
    partition,
    fetchedOffset: String(first),
    lastOffset: () => String(last ?? first - 1),
    isEmptyIncludingFiltered: () => last === undefined,
  });

  /**
   * A fetcher over scripted fetches, as the consumer group answers them: a batch fetched ahead is
   * current when its offset is where the handler resolved its partition to (`through`: the whole
   * batch unless said). Each push waits until the test lets the handler finish.
   */
  function scripted(
    answers: ((ahead: Ahead) => FakeBatch[] | Promise<FakeBatch[]>)[],
    through: (batch: FakeBatch) => number = (one) => Number(one.lastOffset()),
  ) {
    const calls: { ahead: Ahead; handled: number }[] = [];
    const pushed: FakeBatch[][] = [];
    const next = new Map<number, number>();
    let handled = 0;
    let finish: (() => void) | undefined;
    let refuse: ((error: Error) => void) | undefined;
    const fetch = async (_node: number, ahead?: Ahead) => {
      calls.push({ ahead, handled });
      const answer = answers.shift();
      if (!answer) {
        void fetcher.stop();
        return [];
      }
      return answer(ahead);
    };
    const workerQueue = {
      push: (...batches: FakeBatch[]) => {
        pushed.push(batches);
        return new Promise<void>((resolve, reject) => {
          refuse = reject;
          finish = () => {
            for (const one of batches) if (!one.isEmptyIncludingFiltered()) next.set(one.partition, through(one) + 1);
            handled += 1;
            finish = undefined;
            resolve();
          };
        });
      },
    };
    const isFetchCurrent = (one: FakeBatch) => one.fetchedOffset === String(next.get(one.partition) ?? 0);
    const fetcher = createFetcher({ nodeId: 1, workerQueue, partitionAssignments: new Map(), fetch, isFetchCurrent, logger });
    const handle = async () => {
      await vi.waitFor(() => expect(finish).toBeDefined());
      // Let the fetch ahead (if any) be sent and answered before the handler finishes.
      await new Promise((resolve) => setTimeout(resolve, 5));
      finish!();
    };
    /** The handler fails (a rebalance its heartbeat meets). */
    const fail = async (error: Error) => {
      await vi.waitFor(() => expect(finish).toBeDefined());
      refuse!(error);
    };
    /** Starts the fetcher, lets the handler finish `rounds` pushes, and waits for the fetcher to end. */
    const drive = async (rounds: number) => {
      const running = fetcher.start();
      for (let round = 0; round < rounds; round += 1) await handle();
      await running;
    };
    return { fetcher, calls, pushed, handle, fail, drive };
  }

  const shown = (pushed: FakeBatch[][]) => pushed.map((batches) => batches.map((one) => `${one.partition}@${one.fetchedOffset}`));

  it("sends the next fetch while the batches are handled, from the offsets after them", async () => {
    const { calls, pushed, drive } = scripted([() => [batch(0, 0, 9), batch(1, 5, undefined)], () => [batch(0, 10, 19)]]);
    await drive(2);
    // The second fetch went out before the first batches were handled, from partition 0's next offset (1 had nothing).
    expect(calls.slice(0, 2)).toEqual([
      { ahead: undefined, handled: 0 },
      { ahead: new Map([["t|0", "10"]]), handled: 0 },
    ]);
    expect(shown(pushed)).toEqual([["0@0", "1@5"], ["0@10"]]);
  });

  it("drops what it fetched ahead for a partition the handler did not finish, and reads it again from where it stopped", async () => {
    const { pushed, drive } = scripted(
      [() => [batch(0, 0, 9), batch(1, 0, 4)], () => [batch(0, 10, 19), batch(1, 5, 8)], () => [batch(1, 3, 8)]],
      // The handler stops partition 1's first batch after offset 2 (a cut, a stop).
      (one) => (one.partition === 1 && one.fetchedOffset === "0" ? 2 : Number(one.lastOffset())),
    );
    await drive(3);
    expect(shown(pushed)).toEqual([["0@0", "1@0"], ["0@10"], ["1@3"]]);
  });

  it("fetches nothing ahead when nothing was read, as when the topic is idle", async () => {
    const { calls, drive } = scripted([() => [batch(0, 7, undefined)]]);
    await drive(1);
    expect(calls).toEqual([
      { ahead: undefined, handled: 0 },
      { ahead: undefined, handled: 1 },
    ]);
  });

  it("when stopped, waits for the fetch ahead to end and hands none of its batches on", async () => {
    let answerAhead: (batches: FakeBatch[]) => void = () => undefined;
    const { fetcher, pushed, handle } = scripted([() => [batch(0, 0, 9)], () => new Promise<FakeBatch[]>((resolve) => (answerAhead = resolve))]);
    const running = fetcher.start();
    const stopped = handle().then(() => fetcher.stop());
    let done = false;
    void stopped.then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(done).toBe(false);
    answerAhead([batch(0, 10, 19)]);
    await stopped;
    await running;
    expect(pushed).toHaveLength(1);
  });

  it("takes a failed fetch ahead as not sent: the fetch sent in turn, once the batches are handled, meets the error", async () => {
    const { calls, pushed, drive } = scripted([() => [batch(0, 0, 9)], () => Promise.reject(new Error("not the leader")), () => [batch(0, 10, 19)]]);
    await drive(2);
    expect(calls.slice(0, 3)).toEqual([
      { ahead: undefined, handled: 0 },
      { ahead: new Map([["t|0", "10"]]), handled: 0 },
      { ahead: undefined, handled: 1 },
    ]);
    expect(shown(pushed)).toEqual([["0@0"], ["0@10"]]);
  });

  it("when a handler fails, ends only once its fetch ahead has, so none outlives it into the consumer's next start", async () => {
    let aheadDone = false;
    const { fetcher, fail } = scripted([
      () => [batch(0, 0, 9)],
      () => new Promise<FakeBatch[]>((resolve) => setTimeout(() => ((aheadDone = true), resolve([])), 30)),
    ]);
    const refused = new Error("the group is rebalancing");
    const running = fetcher.start();
    await fail(refused);
    await expect(running).rejects.toBe(refused);
    expect(aheadDone).toBe(true);
  });

  it("when stopped while the broker holds a fetch, says at once that nothing is being handed on, and ends quietly when the disconnect drops the fetch", async () => {
    let drop: (error: Error) => void = () => undefined;
    const { fetcher, pushed } = scripted([() => new Promise<FakeBatch[]>((_, reject) => (drop = reject))]);
    const running = fetcher.start();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const stopped = fetcher.stop();
    await fetcher.handed();
    let ended = false;
    void stopped.then(() => (ended = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    // The fetch is still held: the fetcher has not ended, but nothing waits on it to leave the group.
    expect(ended).toBe(false);
    drop(new Error("Connection closed with a fetch unanswered"));
    await expect(running).resolves.toBeUndefined();
    await stopped;
    expect(pushed).toHaveLength(0);
  });

  it("when stopped while batches are handled, says nothing is being handed on only once they are", async () => {
    const { fetcher, pushed, handle } = scripted([() => [batch(0, 0, 9)]]);
    const running = fetcher.start();
    await vi.waitFor(() => expect(pushed).toHaveLength(1));
    void fetcher.stop();
    let handed = false;
    void fetcher.handed().then(() => (handed = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(handed).toBe(false);
    await handle();
    await vi.waitFor(() => expect(handed).toBe(true));
    await running;
  });

  it("still fails with a running fetch's error", async () => {
    const refused = new Error("not the leader");
    const { fetcher } = scripted([() => Promise.reject(refused)]);
    await expect(fetcher.start()).rejects.toBe(refused);
  });
});
