// A Kafka record as the exporter sees it: what kafkajs decoded, with the headers as Kafka holds
// them (in order, repeated keys apart, values as bytes). kafkajs itself merges repeated header
// keys into one object, which loses their order; our patch to it (patches/kafkajs+2.2.4.patch,
// applied by `npm install`) keeps the list as `headerList` beside.
import type { KafkaMessage } from "kafkajs";

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface KafkaRecord {
  partition: number;
  /** Decimal strings, as kafkajs gives them (int64). */
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

type PatchedMessage = KafkaMessage & { headerList?: Array<{ key: string; value: Buffer | null }>; magicByte?: number };

const noHeaders: RecordHeader[] = [];

export function recordOf(partition: number, message: KafkaMessage): KafkaRecord {
  const { headerList, magicByte } = message as PatchedMessage;
  // Message formats v0 and v1 have no headers; kafkajs decodes them with its message-set decoder.
  if (headerList === undefined && magicByte !== undefined && magicByte < 2) {
    // v0 has no timestamp either: -1, as Kafka says "none".
    return { partition, offset: message.offset, timestamp: message.timestamp ?? "-1", key: message.key ?? null, value: message.value, headers: noHeaders };
  }
  if (headerList === undefined) {
    throw new Error(
      "kafkajs is not patched (its messages lack headerList), so headers would be lost. Run `npm install`, which applies patches/kafkajs+2.2.4.patch.",
    );
  }
  return {
    partition,
    offset: message.offset,
    timestamp: message.timestamp,
    key: message.key ?? null,
    value: message.value,
    headers: headerList.length === 0 ? noHeaders : headerList.map((header) => ({ key: header.key, value: header.value ?? null })),
  };
}
