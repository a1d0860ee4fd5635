// Clickstream events shaped like the product page's example, for trying things out.
import { randomBytes, randomInt, randomUUID } from "node:crypto";

export interface ClickstreamEvent {
  strmMeta: { schemaId: "clickstream"; nonce: number; timestamp: number; keyLink: string; billingId: string; consentLevels: number[] };
  producerSessionId: string;
  url: string;
  eventType: string;
  referrer: string;
  userAgent: string;
  conversion: number;
  customer: { id: string };
  abTests: string[];
}

interface Session {
  keyLink: string;
  producerSessionId: string;
  customerId: string;
  consentLevels: number[];
}

const pages = [
  "https://www.example.com/",
  "https://www.example.com/pricing",
  "https://www.example.com/docs",
  "https://www.example.com/blog",
  "https://www.example.com/rules",
];
const eventTypes = ["", "pageview", "click", "scroll"];
const consentChoices = [[], [0], [0, 1], [0, 1, 2]];

export class ClickstreamGenerator {
  private readonly sessions: Session[];

  constructor(
    sessionCount = 1000,
    private readonly billingId = "streamdrop-demo",
  ) {
    this.sessions = Array.from({ length: Math.max(1, sessionCount) }, () => ({
      keyLink: randomUUID(),
      producerSessionId: randomBytes(32).toString("base64"),
      customerId: randomBytes(36).toString("base64"),
      consentLevels: consentChoices[randomInt(consentChoices.length)]!,
    }));
  }

  next(now = Date.now()): { key: string; event: ClickstreamEvent } {
    const session = this.sessions[randomInt(this.sessions.length)]!;
    const event: ClickstreamEvent = {
      strmMeta: {
        schemaId: "clickstream",
        nonce: randomInt(2 ** 31 - 1),
        timestamp: now,
        keyLink: session.keyLink,
        billingId: this.billingId,
        consentLevels: session.consentLevels,
      },
      producerSessionId: session.producerSessionId,
      url: pages[randomInt(pages.length)]!,
      eventType: eventTypes[randomInt(eventTypes.length)]!,
      referrer: "",
      userAgent: "Mozilla/5.0 (X11; Linux x86_64) Streamdrop simulator",
      conversion: randomInt(10) === 0 ? 1 : 0,
      customer: { id: session.customerId },
      abTests: [],
    };
    return { key: session.producerSessionId, event };
  }
}
