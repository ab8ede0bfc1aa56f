/**
 * A validator for the subset of JSON Schema (draft 2020-12) that search-spaces/schema.json uses,
 * so that the shipped spaces are checked against the schema without a new dependency. It throws
 * on any keyword outside that subset, so the schema cannot silently grow past what is checked.
 */

type Schema = Readonly<Record<string, unknown>>;

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'default']);

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeMatches(type: unknown, value: unknown): boolean {
  if (Array.isArray(type)) return type.some((t) => typeMatches(t, value));
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    default:
      return typeof value === type;
  }
}

/**
 * Validates `value` against `schema` (resolving `#/$defs/...` against `root`).
 * @returns the list of violations, each as `path: problem`; empty when valid
 */
export function validateAgainstSchema(value: unknown, schema: Schema, root: Schema = schema, path = '$'): string[] {
  const errors: string[] = [];
  const fail = (message: string) => errors.push(`${path}: ${message}`);
  for (const [keyword, arg] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword) || keyword === '$defs') continue;
    switch (keyword) {
      case '$ref': {
        const name = String(arg).replace('#/$defs/', '');
        const defs = root.$defs;
        const target = isObject(defs) ? defs[name] : undefined;
        if (!isObject(target)) throw new Error(`unresolved $ref ${String(arg)}`);
        errors.push(...validateAgainstSchema(value, target, root, path));
        break;
      }
      case 'type':
        if (!typeMatches(arg, value)) fail(`expected type ${JSON.stringify(arg)}`);
        break;
      case 'const':
        if (value !== arg) fail(`expected ${JSON.stringify(arg)}`);
        break;
      case 'enum':
        if (!Array.isArray(arg) || !arg.includes(value)) fail(`expected one of ${JSON.stringify(arg)}`);
        break;
      case 'required':
        if (isObject(value) && Array.isArray(arg)) for (const k of arg) if (!(String(k) in value)) fail(`missing ${String(k)}`);
        break;
      case 'properties':
        if (isObject(value) && isObject(arg)) {
          for (const [k, sub] of Object.entries(arg)) {
            if (k in value && isObject(sub)) errors.push(...validateAgainstSchema(value[k], sub, root, `${path}.${k}`));
          }
        }
        break;
      case 'additionalProperties': {
        const props = schema.properties;
        if (arg !== false) throw new Error('only additionalProperties: false is supported');
        if (isObject(value) && isObject(props)) for (const k of Object.keys(value)) if (!(k in props)) fail(`unexpected key ${k}`);
        break;
      }
      case 'items':
        if (Array.isArray(value) && isObject(arg)) value.forEach((v, i) => errors.push(...validateAgainstSchema(v, arg, root, `${path}[${i}]`)));
        break;
      case 'minItems':
        if (Array.isArray(value) && value.length < Number(arg)) fail(`expected at least ${String(arg)} items`);
        break;
      case 'uniqueItems':
        if (Array.isArray(value) && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) fail('expected unique items');
        break;
      case 'pattern':
        if (typeof value === 'string' && !new RegExp(String(arg), 'u').test(value)) fail(`expected to match ${String(arg)}`);
        break;
      case 'minLength':
        if (typeof value === 'string' && value.length < Number(arg)) fail(`expected at least ${String(arg)} characters`);
        break;
      case 'oneOf': {
        const matches = Array.isArray(arg) ? arg.filter((s) => isObject(s) && validateAgainstSchema(value, s, root, path).length === 0) : [];
        if (matches.length !== 1) fail(`expected exactly one alternative to match, ${matches.length} did`);
        break;
      }
      case 'allOf':
        if (Array.isArray(arg)) for (const s of arg) if (isObject(s)) errors.push(...validateAgainstSchema(value, s, root, path));
        break;
      case 'not':
        if (isObject(arg) && validateAgainstSchema(value, arg, root, path).length === 0) fail('matches a forbidden schema');
        break;
      default:
        throw new Error(`keyword ${keyword} is outside the supported subset`);
    }
  }
  return errors;
}
