/** RFC 4180 field encoding, and decoding of one record (used to read an existing header on append). */

const NEEDS_QUOTES = /[",\r\n]/;

/** Quotes a field when it holds a comma, a quote, CR or LF; quotes inside are doubled. */
export function escapeCsvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * One cell: null/undefined and non-finite numbers -> empty; Dates -> ISO UTC (invalid Dates -> empty); objects
 * and arrays -> JSON text (so a JSONB/VARIANT column can take `answers_json` however it was built).
 */
export function csvCell(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return escapeCsvField(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : '';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'undefined':
      return '';
    case 'object': {
      if (value === null) return '';
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
      return escapeCsvField(JSON.stringify(value) ?? '');
    }
    default:
      return '';
  }
}

export function csvLine(fields: readonly string[], eol: string): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) line += (i === 0 ? '' : ',') + escapeCsvField(fields[i] ?? '');
  return line + eol;
}

/** Splits one CSV record (without its line ending) into fields, honouring quotes. */
export function parseCsvRecord(record: string): string[] {
  const fields: string[] = [];
  let field = '';
  let inQuotes = false;
  for (let i = 0; i < record.length; i++) {
    const c = record[i];
    if (inQuotes) {
      if (c === '"') {
        if (record[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else field += c;
    } else if (c === '"') inQuotes = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}
