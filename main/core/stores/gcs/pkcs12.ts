// Recognises a PKCS#12 (P12) file by its structure, whatever it is called: one DER (or BER)
// PFX = SEQUENCE { INTEGER 3, ContentInfo { OID pkcs7-data or pkcs7-signedData, [0] ... }, ... }
// spanning the whole file. Google's legacy service-account keys are P12 files.
const pkcs7Data = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
const pkcs7SignedData = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];

/** A DER length at `at`: [length, index after it]; length -1 for BER's indefinite form. */
function readLength(bytes: Uint8Array, at: number): [number, number] | undefined {
  const first = bytes[at];
  if (first === undefined) return undefined;
  if (first < 0x80) return [first, at + 1];
  if (first === 0x80) return [-1, at + 1];
  const count = first & 0x7f;
  if (count > 4 || at + 1 + count > bytes.length) return undefined;
  let length = 0;
  for (let i = 0; i < count; i += 1) length = length * 256 + bytes[at + 1 + i]!;
  return [length, at + 1 + count];
}

export function looksLikePkcs12(bytes: Uint8Array): boolean {
  if (bytes[0] !== 0x30) return false;
  const outer = readLength(bytes, 1);
  if (!outer) return false;
  let at = outer[1];
  if (outer[0] >= 0 && at + outer[0] !== bytes.length) return false; // exactly one PFX, nothing after
  if (bytes[at] !== 0x02 || bytes[at + 1] !== 0x01 || bytes[at + 2] !== 0x03) return false; // version 3
  at += 3;
  if (bytes[at] !== 0x30) return false;
  const contentInfo = readLength(bytes, at + 1);
  if (!contentInfo) return false;
  at = contentInfo[1];
  if (bytes[at] !== 0x06 || bytes[at + 1] !== 0x09) return false; // an OID of 9 bytes
  const oid = Array.from(bytes.subarray(at + 2, at + 11));
  const is = (expected: number[]) => expected.every((byte, i) => byte === oid[i]);
  if (!is(pkcs7Data) && !is(pkcs7SignedData)) return false;
  return bytes[at + 11] === 0xa0; // [0] EXPLICIT content
}
