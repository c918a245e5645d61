/**
 * The handful of ASN.1 DER encoders needed to build an X.509 certificate. node:crypto can parse
 * certificates but not create them, and the simulator must serve real ones in platform-certificate mode.
 */

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function derNode(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

export function derSequence(...items: Buffer[]): Buffer {
  return derNode(0x30, Buffer.concat(items));
}

export function derSet(...items: Buffer[]): Buffer {
  return derNode(0x31, Buffer.concat(items));
}

/** An unsigned big-endian integer; DER needs a leading zero byte when the top bit is set. */
export function derUnsignedInteger(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
  const trimmed = bytes.subarray(start);
  const needsPad = (trimmed[0] ?? 0) & 0x80;
  return derNode(0x02, needsPad ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

export function derSmallInteger(value: number): Buffer {
  return derUnsignedInteger(Buffer.from([value]));
}

export function derObjectId(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk: number[] = [arc & 0x7f];
    for (let value = arc >>> 7; value > 0; value >>>= 7) chunk.unshift((value & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return derNode(0x06, Buffer.from(bytes));
}

export function derNull(): Buffer {
  return Buffer.from([0x05, 0x00]);
}

export function derUtf8String(text: string): Buffer {
  return derNode(0x0c, Buffer.from(text, 'utf8'));
}

export function derPrintableString(text: string): Buffer {
  return derNode(0x13, Buffer.from(text, 'ascii'));
}

export function derBitString(bytes: Buffer): Buffer {
  return derNode(0x03, Buffer.concat([Buffer.from([0]), bytes]));
}

/** UTCTime (YYMMDDHHMMSSZ) is what RFC 5280 requires for dates before 2050. */
export function derUtcTime(date: Date): Buffer {
  const iso = date.toISOString();
  const text = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return derNode(0x17, Buffer.from(text, 'ascii'));
}

export function derExplicit(tagNumber: number, content: Buffer): Buffer {
  return derNode(0xa0 | tagNumber, content);
}
