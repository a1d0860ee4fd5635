// One exporter worker: a Kafka consumer in the exporter's group whose batches the commit protocol
// (commit-protocol.ts) stores as files, exactly once. This class is the consumer's life (named
// states, a bounded clean stop) and its timers; its parts come built (worker-parts.ts).
import type { Admin, Consumer, EachBatchPayload, Kafka } from "kafkajs";
import type { ObjectStore } from "../../stores/object-store.js";
import type { FetchedEntry } from "../../streams/fetch-response.js";
import { kafkaClient } from "../../streams/kafka-client.js";
import type { CommitProtocol } from "../commit/commit-protocol.js";
import { nextCut } from "../file-names.js";
import type { StoreFileWriter } from "../files/file-writer.js";
import type { Spool } from "../files/spool.js";
import { kafkaContextOf, kafkaProblem, NeedsPersonError, topicDeleted, type KafkaContext } from "../needs-person.js";
import { exitCodes, stopTimings, type WorkerSpec } from "../worker-protocol.js";
import { ClusterWatch } from "./cluster-watch.js";
import { groupConsumer } from "./group-consumer.js";
import { Mutex, settlesWithin } from "./steps.js";
import { workerParts, type WorkerHooks } from "./worker-parts.js";
import type { WorkerStatusKeeper } from "./worker-status.js";

export type { WorkerHooks };

/** The worker's life: only "running" gathers; "stopping" and "failed" are final. */
type Life = "starting" | "running" | "stopping" | "failed";

/**
 * How often a running worker looks whether a join left files to re-create and whether a boundary
 * passed unseen (a computer asleep: timers do not count the time it slept). A join's files are
 * re-created at once (the join ticks), and the boundary has a timer of its own, so the poll is
 * the safety net; it goes with the cluster watch's look, one wakeup every 5 s for an idle worker.
 */
const pollMs = 5000;

export class ExportWorker {
  private readonly kafka: Kafka;
  private readonly store: ObjectStore;
  private readonly spool: Spool;
  private readonly files: StoreFileWriter;
  private readonly status: WorkerStatusKeeper;
  private readonly protocol: CommitProtocol;
  private consumer?: Consumer;
  private admin?: Admin;
  /** A second admin that does not retry: the 5-second look at the cluster that notices an outage fast. */
  private probe?: Admin;
  private watch?: ClusterWatch;
  private life: Life = "starting";
  private readonly lock = new Mutex();
  private nextBoundary = 0;
  private timers: NodeJS.Timeout[] = [];
  /** The one-shot timer aimed at the next interval boundary (see aimAtBoundary). */
  private boundaryTimer?: NodeJS.Timeout;
  private ticking = false;
  private tickAgain = false;
  /** Aborted by stop(): a storage backoff waiting to retry ends at once. */
  private readonly stopSignal = new AbortController();
  private readonly context: KafkaContext;
  private stopRun?: Promise<void>;
  /** Batches kafkajs has handed over: the cluster watch reads the lag again when this moves. */
  private batchesHandled = 0;

  constructor(
    private readonly spec: WorkerSpec,
    private readonly hooks: WorkerHooks,
    private readonly now: () => number = Date.now,
    build: typeof workerParts = workerParts,
  ) {
    const host = { consumer: () => this.consumer!, admin: () => this.admin!, stopping: this.stopSignal.signal, fail: (error: unknown) => this.fail(error) };
    ({
      kafka: this.kafka,
      store: this.store,
      spool: this.spool,
      files: this.files,
      status: this.status,
      protocol: this.protocol,
    } = build(spec, hooks, now, host));
    this.context = kafkaContextOf(spec);
  }

  /** Its spool folder, which holds the user's events while they are gathered. */
  get spoolDir(): string {
    return this.spool.dir;
  }

  /** Starts consuming; failures are reported through the hooks (status, then fatal). */
  async start(): Promise<void> {
    try {
      await this.startConsuming();
    } catch (error) {
      this.fail(error);
    }
  }

  private async startConsuming(): Promise<void> {
    this.status.set("starting");
    if (this.spec.validate) await this.files.writeValidationFile(this.spec.shape, this.spec.validate.checks);
    this.admin = this.kafka.admin();
    await this.admin.connect();
    // Its own client: kafkajs retries connecting at the client level, which would hide an outage for 10 s and more.
    this.probe = kafkaClient(this.spec.kafka, `streamdrop-${this.spec.exporterName}-${this.spec.workerIndex}-probe`, undefined, { retries: 0 }).admin({
      retry: { retries: 0 },
    });
    await this.probe.connect();
    // A missing topic needs a person; subscribing would only retry (never auto-create it: see below).
    if (!(await this.admin.listTopics()).includes(this.spec.topic)) throw topicDeleted(this.context);
    this.watch = new ClusterWatch({
      probe: this.probe,
      topic: this.spec.topic,
      groupId: this.spec.groupId,
      status: this.status,
      assignment: () => this.protocol.assignment,
      activity: () => ({ batches: this.batchesHandled, joins: this.protocol.joins }),
      topicGone: () => this.fail(topicDeleted(this.context)),
      refused: (error) => {
        const problem = kafkaProblem(error, this.context);
        if (problem) this.fail(problem);
        return problem !== undefined;
      },
      now: this.now,
    });
    await this.watch.readRetention(this.admin);
    if (this.life !== "starting") return; // Stopped (or failed) meanwhile: no consumer to join.
    const consumer = groupConsumer(this.kafka, this.spec);
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.protocol.joined(payload.memberAssignment[this.spec.topic] ?? []);
      this.status.joined(this.protocol.assignment);
      this.hooks.log("info", "joined the consumer group", { partitions: this.protocol.assignment });
      // An idle partition's pending file must not wait for an event (the first join's, once running).
      void this.tick();
    });
    // kafkajs restarts the consumer itself after retriable crashes (it then rejoins, which starts a
    // new epoch); only a crash it gives up on ends the worker.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (this.life !== "stopping" && !payload.restart) this.fail(payload.error);
      else this.hooks.log("warn", "the Kafka consumer restarts after an error", { error: payload.error.message });
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.spec.topic, fromBeginning: this.spec.fromBeginning });
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (payload) => this.onBatch(payload) });
    if (this.life !== "starting") {
      // Stopped (or failed) while joining: stop() may have found no consumer yet, so leave the group here.
      await consumer.disconnect().catch(() => undefined);
      return;
    }
    this.life = "running";
    this.nextBoundary = nextCut(this.now(), this.spec.intervalSeconds);
    this.timers = [
      setInterval(() => {
        void this.tick();
        void this.look();
      }, pollMs),
    ];
    void this.tick();
    this.aimAtBoundary();
    this.status.set("running");
  }

  /**
   * Stops consuming; a batch not yet stored is dropped uncommitted and read again next time. A
   * file being stored finishes (or gives up, now that we are stopping) before we leave the group;
   * but a commit kafkajs retries through a rebalance can take a minute, and the supervisor's grace
   * is shorter: past `fileMs` the worker leaves it pending, as a crash would.
   */
  stop(): Promise<void> {
    // Asked twice (the supervisor's message, then its SIGTERM should the message be slow): one stop.
    return (this.stopRun ??= this.stopOnce());
  }

  private async stopOnce(): Promise<void> {
    this.life = "stopping";
    this.protocol.close();
    this.stopSignal.abort();
    this.timers.forEach((timer) => clearInterval(timer));
    clearTimeout(this.boundaryTimer);
    const began = this.now();
    const file = this.lock.run(() => this.protocol.settled());
    if (!(await settlesWithin(file, stopTimings.fileMs)))
      this.hooks.log("warn", "stopping with a file unfinished; the next start re-creates it from its intent", { waitedSeconds: stopTimings.fileMs / 1000 });
    const settled = this.now();
    const leave = Promise.all([this.consumer?.disconnect(), this.admin?.disconnect(), this.probe?.disconnect()]);
    if (!(await settlesWithin(leave, stopTimings.leaveMs)))
      this.hooks.log("warn", "stopping without having left the consumer group; the broker ends the membership at its session timeout", {
        waitedSeconds: stopTimings.leaveMs / 1000,
      });
    this.store.close();
    this.spool.clear();
    this.status.set("stopped");
    this.hooks.log("info", "stopped", { fileMs: settled - began, leaveMs: this.now() - settled });
  }

  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    this.batchesHandled += 1;
    const beat = setInterval(() => void heartbeat().catch(() => undefined), 2500);
    // Offsets are resolved (the next fetch starts after them) up to the last record added; when
    // that is the batch's last entry, kafkajs resolves through the batch's end, past any
    // transaction markers after it, which is where it fetched ahead from (see patches/).
    let added: string | undefined;
    // A join while this batch is handled (kafkajs may rejoin from another fetch, and a new join
    // resets the offsets it fetches from to the committed ones) voids the batch: resolving it then
    // would move the new join's fetch past records no file holds.
    const joins = this.protocol.joins;
    const going = () => isRunning() && !isStale() && this.life !== "stopping" && this.protocol.joins === joins;
    try {
      await this.lock.run(async () => {
        await this.protocol.prepare();
        for (const entry of batch.messages as FetchedEntry[]) {
          if (!(await this.protocol.gather(batch.partition, Number(batch.fetchedOffset), entry, going, (offset) => (added = offset)))) return;
        }
      });
    } catch (error) {
      this.fail(error);
    } finally {
      if (added !== undefined && this.protocol.joins === joins) resolveOffset(added);
      clearInterval(beat);
    }
  }

  /**
   * A timer at the next boundary, so a file is cut when its interval ends (a poll would add its
   * period to every file's latency, and wake an idle worker that often); aimed again after each
   * tick, which moves the boundary on once it has passed (or finds another tick under way, and
   * tries again a moment later). The poll catches a boundary a timer missed (a computer asleep).
   */
  private aimAtBoundary(): void {
    clearTimeout(this.boundaryTimer);
    if (this.life !== "running") return;
    const remaining = this.nextBoundary * 1000 - this.now();
    // Past it already: a tick under way (a join's recovery, an upload) cuts once it can; look again soon.
    this.boundaryTimer = setTimeout(() => void this.tick().finally(() => this.aimAtBoundary()), remaining > 0 ? remaining + 5 : 50);
  }

  /** At the boundary, after a join and every poll: cuts at the interval's boundary, and re-creates pending files after a join even while nothing is fetched. */
  private async tick(): Promise<void> {
    if (this.life !== "running") return;
    // A join or a boundary while a tick is under way: it runs again once that one ends.
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    this.ticking = true;
    try {
      const now = this.now();
      const due = now >= this.nextBoundary * 1000;
      const boundary = this.nextBoundary;
      if (due) this.nextBoundary = nextCut(now, this.spec.intervalSeconds);
      if (due || !this.protocol.ready) {
        await this.lock.run(async () => {
          await this.protocol.prepare();
          if (due) await this.protocol.cut(boundary);
        });
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.ticking = false;
      if (this.tickAgain) {
        this.tickAgain = false;
        void this.tick();
      }
    }
  }

  /** The cluster watch's look; it touches the spool folder too, which tells other machines' workers sharing the data folder that this one lives. */
  private async look(): Promise<void> {
    this.spool.touch();
    if (this.life === "running") await this.watch?.look();
  }

  /** The worker cannot go on. A failure that needs a person says so in the status, and its exit code makes the supervisor wait longer. */
  private fail(error: unknown): void {
    if (this.life === "stopping" || this.life === "failed") return;
    this.life = "failed";
    this.protocol.close();
    const problem = error instanceof NeedsPersonError ? error : kafkaProblem(error, this.context);
    this.status.failed((problem ?? (error as Error)).message, problem);
    this.hooks.fatal(problem ?? error, problem ? exitCodes.needsPerson : exitCodes.crashed);
  }
}
