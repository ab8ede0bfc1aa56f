/**
 * The ARFF header: `@relation`, `@attribute` declarations, up to `@data`. Keywords are
 * case-insensitive; names and nominal values may be quoted with `'` or `"`.
 */
import { DatasetError } from '../../errors.ts';
import { TokenError, findClosingBrace, newFieldList, readWord, skipSpaces, splitFields } from './tokenize.ts';

/** The declared type of an ARFF attribute. */
export type ArffType =
  | { readonly kind: 'numeric'; readonly declared: 'numeric' | 'real' | 'integer' }
  | { readonly kind: 'nominal'; readonly levels: readonly string[] }
  | { readonly kind: 'string' }
  | { readonly kind: 'date'; readonly format: string };

/** One `@attribute` declaration. */
export interface ArffAttribute {
  readonly name: string;
  readonly type: ArffType;
  /** 1-based line of the declaration. */
  readonly line: number;
}

/** A parsed header. */
export interface ArffHeader {
  readonly relation: string;
  readonly attributes: readonly ArffAttribute[];
  /** 0-based index of the first line after `@data`. */
  readonly dataStart: number;
}

/** Weka's default date format (ISO-8601 without zone). */
export const DEFAULT_DATE_FORMAT = "yyyy-MM-dd'T'HH:mm:ss";

/**
 * Parses the header lines of an ARFF file.
 * @param lines - the file's lines (line ends may keep a trailing `\r`)
 * @param file - path for error messages
 * @returns the relation, the attributes and where the data starts
 * @throws DatasetError on a missing `@relation` or `@data`, a bad type, or a duplicate name
 */
export function parseHeader(lines: readonly string[], file: string): ArffHeader {
  let relation: string | undefined;
  const attributes: ArffAttribute[] = [];
  const seen = new Set<string>();
  let lastContentLine = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const pos = skipSpaces(line, 0);
    if (pos >= line.length || line[pos] === '%') continue;
    const where = { file, line: i + 1 };
    lastContentLine = i + 1;
    const keyword = located(where, () => readWord(line, pos));
    const directive = keyword === null ? '' : keyword.text.toLowerCase();
    if (relation === undefined && directive !== '@relation') {
      throw new DatasetError(`expected '@relation' to start an ARFF file, found '${clip(line.trim())}'`, where);
    }
    if (directive === '@relation') {
      if (relation !== undefined) throw new DatasetError('a second @relation', where);
      relation = located(where, () => readWord(line, keyword?.end ?? pos))?.text ?? '';
    } else if (directive === '@attribute') {
      const attribute = located(where, () => parseAttribute(line, keyword?.end ?? pos, i + 1));
      if (seen.has(attribute.name)) {
        throw new DatasetError(`duplicate attribute name '${attribute.name}'`, where);
      }
      seen.add(attribute.name);
      attributes.push(attribute);
    } else if (directive === '@data') {
      if (attributes.length === 0) throw new DatasetError('@data before any @attribute', where);
      return { relation: relation ?? '', attributes, dataStart: i + 1 };
    } else {
      throw new DatasetError(`unknown ARFF directive '${clip(keyword?.text ?? '')}' (expected @attribute or @data)`, where);
    }
  }
  if (relation === undefined) throw new DatasetError('empty ARFF file: no @relation', { file, line: Math.max(1, lines.length - (lines[lines.length - 1] === '' ? 1 : 0)) });
  throw new DatasetError(`missing @data section after ${attributes.length} attributes`, { file, line: lastContentLine });
}

function parseAttribute(line: string, pos: number, lineNo: number): ArffAttribute {
  const name = readWord(line, pos);
  if (name === null || name.text === '') throw new TokenError('@attribute without a name', pos + 1);
  const typeStart = skipSpaces(line, name.end);
  if (typeStart >= line.length || line[typeStart] === '%') {
    throw new TokenError(`attribute '${name.text}' has no type`, typeStart + 1);
  }
  return { name: name.text, type: parseType(line, typeStart, name.text), line: lineNo };
}

function parseType(line: string, pos: number, name: string): ArffType {
  if (line[pos] === '{') {
    const close = findClosingBrace(line, pos);
    if (close < 0) throw new TokenError(`nominal list of '${name}' is not closed with '}'`, pos + 1);
    const fields = newFieldList();
    splitFields(line, fields, pos + 1, close);
    const levels = fields.values.slice(0, fields.count);
    if (new Set(levels).size !== levels.length) {
      throw new TokenError(`nominal list of '${name}' declares a value twice`, pos + 1);
    }
    return { kind: 'nominal', levels };
  }
  const word = readWord(line, pos);
  const type = (word?.text ?? '').toLowerCase();
  if (type === 'numeric' || type === 'real' || type === 'integer') return { kind: 'numeric', declared: type };
  if (type === 'string') return { kind: 'string' };
  if (type === 'date') {
    const format = readWord(line, word?.end ?? pos);
    return { kind: 'date', format: format?.text ?? DEFAULT_DATE_FORMAT };
  }
  throw new TokenError(
    `unknown type '${clip(word?.text ?? '')}' for attribute '${name}' (expected numeric, real, integer, string, date or {...})`,
    pos + 1,
  );
}

function located<T>(where: { file: string; line: number }, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof TokenError) {
      throw new DatasetError(error.message, { ...where, column: error.column });
    }
    throw error;
  }
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}
