// A bearer token kept for the connections of one Kafka client, refreshed before it expires: the
// OAUTHBEARER logins (OIDC and MSK IAM) hand kafkajs a token on every (re-)authentication.
//
// Why early: kafkajs re-authenticates a connection when its session has `thresholdMs` left, and
// the broker makes the session last as long as the token. A token handed out with less than that
// left gives a session kafkajs must re-authenticate again at once, which the broker refuses within
// a second of the last (ILLEGAL_SASL_STATE, fatal): so a token is replaced while it still has
// max(a fifth of its life, threshold + 10 s) left, and never handed out with less than threshold + 2 s.
//
// Failures: while the kept token is still good, a failed refresh is transient (the next
// authentication tries again); once it is too old to hand out, failures that began while it was
// still good need a person. Failures that began only after it ran out (a laptop waking from sleep
// before its network is back) get a minute more before they do.
import { NeedsPersonError } from "../../exporters/needs-person.js";

export interface BearerToken {
  value: string;
  /** When the token stops being accepted (ms since the epoch). */
  expiresAt: number;
}

export interface RefreshingTokenOptions {
  /** Gets a new token; throws NeedsPersonError for refusals a retry cannot mend (a revoked secret). */
  fetch: () => Promise<BearerToken>;
  /** Says a failed fetch once no good token is left, as a person should read it. */
  expired: (error: unknown) => NeedsPersonError;
  /** kafkajs's reauthenticationThreshold (its default is 10 s). */
  thresholdMs?: number;
  now?: () => number;
}

export const defaultReauthThresholdMs = 10_000;

/** How long failures that began after the kept token ran out stay transient. */
export const staleTokenGraceMs = 60_000;

export class RefreshingToken {
  private kept?: { token: BearerToken; fetchedAt: number };
  private inFlight?: Promise<BearerToken>;
  /** When the refreshes began failing, in a row (cleared by a success). */
  private failingSince?: number;
  private readonly thresholdMs: number;
  private readonly now: () => number;

  constructor(private readonly options: RefreshingTokenOptions) {
    this.thresholdMs = options.thresholdMs ?? defaultReauthThresholdMs;
    this.now = options.now ?? Date.now;
  }

  /** The least life a token must have to be worth taking: three re-authentication thresholds. */
  get shortestLifeMs(): number {
    return 3 * this.thresholdMs;
  }

  /** A token good for a new session: the kept one while it has enough life left, else a new one. */
  async token(): Promise<BearerToken> {
    const kept = this.kept;
    if (kept && !this.dueForRefresh(kept)) return kept.token;
    try {
      const token = await this.refresh();
      delete this.failingSince;
      return token;
    } catch (error) {
      const since = (this.failingSince ??= this.now());
      // The kept token still serves while it can; the next authentication tries again.
      if (kept && this.canHandOut(kept.token)) return kept.token;
      if (error instanceof NeedsPersonError) throw error;
      if (kept && (since < this.lastHandOut(kept.token) || this.now() - since >= staleTokenGraceMs)) throw this.options.expired(error);
      throw error;
    }
  }

  /** Forgets the kept token (the broker refused it): the next authentication fetches a new one. */
  forget(): void {
    delete this.kept;
  }

  private dueForRefresh({ token, fetchedAt }: { token: BearerToken; fetchedAt: number }): boolean {
    const life = token.expiresAt - fetchedAt;
    const margin = Math.max(life / 5, this.thresholdMs + 10_000);
    return token.expiresAt - this.now() < margin;
  }

  private canHandOut(token: BearerToken): boolean {
    return this.now() < this.lastHandOut(token);
  }

  /** The last moment a token may start a session: kafkajs must not have to renew that session at once. */
  private lastHandOut(token: BearerToken): number {
    return token.expiresAt - this.thresholdMs - 2_000;
  }

  /** One fetch at a time, however many connections authenticate at once. */
  private refresh(): Promise<BearerToken> {
    this.inFlight ??= (async () => {
      try {
        const fetchedAt = this.now();
        const token = await this.options.fetch();
        const life = token.expiresAt - fetchedAt;
        if (life < this.shortestLifeMs)
          throw new NeedsPersonError(
            "sasl",
            `The tokens given to Streamdrop live ${Math.max(0, Math.round(life / 1000))} s; a Kafka login needs tokens that live at least ${this.shortestLifeMs / 1000} s, to renew each session before it ends. Give the client a longer token lifetime at the identity provider.`,
          );
        this.kept = { token, fetchedAt };
        return token;
      } finally {
        delete this.inFlight;
      }
    })();
    return this.inFlight;
  }
}
