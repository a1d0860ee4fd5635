// Confluent's wire format, which every Schema Registry serializer writes: a 0 byte, the schema's
// id (4 bytes, big-endian), then the payload. Protobuf's payload starts with the message indexes
// (which message of the schema's file), read by the Protobuf decoder.

export interface WireValue {
  schemaId: number;
  payload: Buffer;
}

/** At least the magic byte and the id. */
export const wireHeaderBytes = 5;

/** The schema id and payload of a value in the wire format; undefined when the value is not in it. */
export function parseWire(value: Buffer | null): WireValue | undefined {
  if (value === null || value.length < wireHeaderBytes || value[0] !== 0) return undefined;
  return { schemaId: value.readUInt32BE(1), payload: value.subarray(wireHeaderBytes) };
}
