import { InputError } from "./errors";

/** One CSV record and the (1-based) physical line it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * Parses RFC 4180 CSV: comma separated, optional double-quoted fields with `""` as an
 * escaped quote, LF or CRLF line ends, an optional UTF-8 byte order mark. Blank lines
 * are skipped. Malformed quoting is an {@link InputError} naming the line.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let i = 0;

  const endRecord = (): void => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0].trim() === "")) {
      records.push({ line: recordLine, fields });
    }
    fields = [];
    field = "";
  };

  while (i < input.length) {
    const ch = input[i];
    if (ch === '"') {
      if (field.trim() !== "") {
        throw new InputError(`unexpected '"' inside an unquoted field (field ${fields.length + 1})`, line);
      }
      field = "";
      const quoteLine = line;
      i++;
      for (;;) {
        if (i >= input.length) {
          throw new InputError(`quoted field ${fields.length + 1} is never closed`, quoteLine);
        }
        const q = input[i];
        if (q === '"') {
          if (input[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === "\n") line++;
        field += q;
        i++;
      }
      // After a closing quote only a separator, a line end or the end of input may follow.
      while (input[i] === " " || input[i] === "\t") i++;
      if (i < input.length && input[i] !== "," && input[i] !== "\n" && input[i] !== "\r") {
        throw new InputError(`unexpected text after the closing quote of field ${fields.length + 1}`, line);
      }
      continue;
    }
    if (ch === ",") {
      fields.push(field);
      field = "";
      i++;
      continue;
    }
    if (ch === "\r" || ch === "\n") {
      endRecord();
      i += ch === "\r" && input[i + 1] === "\n" ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    field += ch;
    i++;
  }
  if (field !== "" || fields.length > 0) endRecord();
  return records;
}
