/**
 * Property bags in protobuf wire format (google.protobuf.Struct), encoded straight from plain values.
 *
 * google-protobuf builds a message object for every value of a Struct and encodes the tree through
 * a generic writer; for the 20,000 resources of a large stack that was most of the plan's share of
 * the policy check, and most of its garbage. Here a value is measured once (every length it needs
 * is recorded in order) and then written into one buffer. The pack decodes the bytes with the
 * SDK's generated classes, so what matters is the wire format of struct.proto:
 *
 *   Struct    { map<string, Value> fields = 1 }       map entry { string key = 1; Value value = 2 }
 *   Value     { oneof kind: null_value = 1 (varint 0), number_value = 2 (double), string_value = 3,
 *               bool_value = 4, struct_value = 5, list_value = 6 }
 *   ListValue { repeated Value values = 1 }
 *
 * Messages are concatenations of fields, so a request is the small rest of it encoded by
 * google-protobuf followed by its Struct field encoded here (see resources.ts).
 */

/** What a Struct holds: JSON values (no undefined, no non-finite numbers; see resources.ts). */
export type WireValue = null | boolean | number | string | WireValue[] | { [key: string]: WireValue };

const LENGTH_DELIMITED = 2;
const VARINT = 0;
const FIXED64 = 1;

function tag(field: number, wireType: number): number {
  // Every field number used here is below 16: the tag is one byte.
  return (field << 3) | wireType;
}

function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

/** Bytes of a length-delimited field holding `size` bytes (one-byte tag). */
function delimited(size: number): number {
  return 1 + varintSize(size) + size;
}

/**
 * First pass: the size of the Value (or Struct body), pushing every length the second pass needs
 * (string byte lengths and nested message sizes) in the order it will need them.
 */
function measureValue(value: WireValue, lengths: number[]): number {
  if (value === null || typeof value === "boolean") return 2;
  if (typeof value === "number") return 9;
  if (typeof value === "string") {
    const bytes = Buffer.byteLength(value);
    lengths.push(bytes);
    return delimited(bytes);
  }
  const slot = lengths.push(0) - 1;
  let size = 0;
  if (Array.isArray(value)) {
    for (const item of value) {
      const itemSlot = lengths.push(0) - 1;
      const itemSize = measureValue(item, lengths);
      lengths[itemSlot] = itemSize;
      size += delimited(itemSize);
    }
  } else {
    size = measureStructBody(value, lengths);
  }
  lengths[slot] = size;
  return delimited(size);
}

function measureStructBody(fields: { [key: string]: WireValue }, lengths: number[]): number {
  let size = 0;
  for (const key of Object.keys(fields)) {
    const entrySlot = lengths.push(0) - 1;
    const keyBytes = Buffer.byteLength(key);
    lengths.push(keyBytes);
    const valueSlot = lengths.push(0) - 1;
    const valueSize = measureValue(fields[key], lengths);
    lengths[valueSlot] = valueSize;
    const entrySize = delimited(keyBytes) + delimited(valueSize);
    lengths[entrySlot] = entrySize;
    size += delimited(entrySize);
  }
  return size;
}

/** Second pass: writes into a buffer sized by the first, taking the lengths in the same order. */
class StructWriter {
  private position = 0;
  private next = 0;

  constructor(
    readonly buffer: Buffer,
    private readonly lengths: number[],
  ) {}

  private byte(value: number): void {
    this.buffer[this.position++] = value;
  }

  private varint(value: number): void {
    while (value >= 0x80) {
      this.byte((value % 128) | 0x80);
      value = Math.floor(value / 128);
    }
    this.byte(value);
  }

  private string(field: number, value: string): void {
    const bytes = this.lengths[this.next++];
    this.byte(tag(field, LENGTH_DELIMITED));
    this.varint(bytes);
    this.position += this.buffer.write(value, this.position, bytes, "utf8");
  }

  /** The tag and length of a length-delimited field of `size` bytes. */
  header(field: number, size: number): void {
    this.byte(tag(field, LENGTH_DELIMITED));
    this.varint(size);
  }

  value(field: number, value: WireValue): void {
    this.byte(tag(field, LENGTH_DELIMITED));
    this.varint(this.lengths[this.next++]);
    this.valueBody(value);
  }

  private valueBody(value: WireValue): void {
    if (value === null) {
      this.byte(tag(1, VARINT));
      this.byte(0);
    } else if (typeof value === "boolean") {
      this.byte(tag(4, VARINT));
      this.byte(value ? 1 : 0);
    } else if (typeof value === "number") {
      this.byte(tag(2, FIXED64));
      this.position = this.buffer.writeDoubleLE(value, this.position);
    } else if (typeof value === "string") {
      this.string(3, value);
    } else if (Array.isArray(value)) {
      this.byte(tag(6, LENGTH_DELIMITED));
      this.varint(this.lengths[this.next++]);
      for (const item of value) this.value(1, item);
    } else {
      this.byte(tag(5, LENGTH_DELIMITED));
      this.varint(this.lengths[this.next++]);
      this.structBody(value);
    }
  }

  structBody(fields: { [key: string]: WireValue }): void {
    for (const key of Object.keys(fields)) {
      this.byte(tag(1, LENGTH_DELIMITED));
      this.varint(this.lengths[this.next++]);
      this.string(1, key);
      this.value(2, fields[key]);
    }
  }

  get written(): number {
    return this.position;
  }
}

/** `fields` as a Struct-typed field `field` of an enclosing message (tag, length, Struct body). */
export function encodeStructField(field: number, fields: { [key: string]: WireValue }): Buffer {
  const lengths: number[] = [];
  const body = measureStructBody(fields, lengths);
  const size = delimited(body);
  const writer = new StructWriter(Buffer.allocUnsafe(size), lengths);
  writer.header(field, body);
  writer.structBody(fields);
  if (writer.written !== size) throw new Error(`Struct encoding wrote ${writer.written} of ${size} bytes`);
  return writer.buffer;
}

/**
 * Messages, each given as the parts its bytes are the concatenation of, each as field `field` of
 * an enclosing message (tag, length, bytes), written into one buffer. One message is a singular
 * field; several are a repeated one.
 */
export function encodeMessageFields(field: number, messages: readonly (readonly Uint8Array[])[]): Buffer {
  const sizes = messages.map((parts) => parts.reduce((sum, part) => sum + part.length, 0));
  const total = sizes.reduce((sum, size) => sum + delimited(size), 0);
  const buffer = Buffer.allocUnsafe(total);
  let position = 0;
  messages.forEach((parts, i) => {
    buffer[position++] = tag(field, LENGTH_DELIMITED);
    for (const byte of varintBytes(sizes[i])) buffer[position++] = byte;
    for (const part of parts) {
      buffer.set(part, position);
      position += part.length;
    }
  });
  if (position !== total) throw new Error(`message encoding wrote ${position} of ${total} bytes`);
  return buffer;
}

function varintBytes(value: number): number[] {
  const bytes: number[] = [];
  while (value >= 0x80) {
    bytes.push((value % 128) | 0x80);
    value = Math.floor(value / 128);
  }
  bytes.push(value);
  return bytes;
}
