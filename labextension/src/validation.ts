/**
 * Client-side checks, read from the server's OpenAPI schema: one source for every form.
 *
 * The rules (lengths, enums, patterns) are botocore's, served by the API at /openapi.json, so the
 * sidebar never keeps its own copy of a rule. Messages follow the server's wording and, like the
 * server's, do not name the field: each one is shown under its labelled field. Anything not in
 * the schema (such as the ECR URI form) is left to the server, whose 400 problems are shown the
 * same way.
 */

import { IFieldSchema, IObjectSchema, Problems } from './types';

/**
 * The server's wording for its patterns (spec.PATTERN_HINTS), used when the schema's property
 * has no description. Only the words are kept here; the patterns come from the schema.
 */
const PATTERN_HINTS: Record<string, string> = {
  image_name:
    "must be 1-63 letters or digits, optionally joined by single '-' or '.'",
  ml_framework:
    "must look like 'PyTorch 2.3' (letters, optional space, major.minor[.patch])",
  programming_lang:
    "must look like 'Python 3.11' (letters, optional space, major.minor[.patch])",
  aliases:
    "must be letters, digits, '-', '_' or '.', and not start with '-' or '.'"
};

/** The schema served at /openapi.json, once the panel loaded it (set by the App). */
let served: IObjectSchema | null = null;

export function setServedSchema(schema: IObjectSchema | null): void {
  served = schema;
}

function describe(value: unknown): string {
  if (typeof value !== 'string') {
    return JSON.stringify(value);
  }
  const text = `'${value}'`;
  return text.length <= 60 ? text : text.slice(0, 57) + "...'";
}

function compile(pattern: string): RegExp | null {
  try {
    // The server compiles with re.DOTALL; 's' is the same here.
    return new RegExp(pattern, 's');
  } catch {
    return null;
  }
}

/** The problem with one string against its schema, or null; `hint` names the pattern's words. */
export function stringProblem(
  hint: string,
  value: string,
  schema: IFieldSchema
): string | null {
  if (schema.enum && schema.enum.length > 0) {
    return schema.enum.includes(value)
      ? null
      : `${describe(value)} must be one of ${schema.enum.join(', ')}`;
  }
  if (schema.minLength !== undefined && value.length < schema.minLength) {
    return schema.minLength === 1
      ? 'must not be empty'
      : `must be at least ${schema.minLength} characters`;
  }
  if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    return `is ${value.length} characters; at most ${schema.maxLength} allowed`;
  }
  if (schema.pattern) {
    const regex = compile(schema.pattern);
    if (regex && !regex.test(value)) {
      const words =
        schema.description ||
        PATTERN_HINTS[hint] ||
        `must match the pattern ${schema.pattern}`;
      return `${describe(value)} ${words}`;
    }
  }
  return null;
}

/** The problem with one alias (spec.alias_problem's rule and words), or null. */
export function aliasProblem(
  alias: string,
  schema: IObjectSchema | null = served
): string | null {
  if (alias && /\s/.test(alias)) {
    return `cannot contain a space, as in ${describe(alias)}`;
  }
  const items = schema?.properties.aliases?.items;
  return items ? stringProblem('aliases', alias, items) : null;
}

/**
 * The problem with a list of aliases for `version`: each alias's rule, duplicates, and aliases
 * another version holds (`held`: alias -> version), which are returned to offer a move.
 */
export function aliasesProblem(
  aliases: string[],
  schema: IObjectSchema | null = served,
  held: Record<string, number> = {},
  version: number | null = null
): { message: string; heldBy?: [string, number] } | null {
  const seen = new Set<string>();
  for (const alias of aliases) {
    const problem = aliasProblem(alias, schema);
    if (problem) {
      return { message: problem };
    }
    if (seen.has(alias)) {
      return {
        message: `'${alias}' is given twice; each alias may appear once`
      };
    }
    seen.add(alias);
  }
  for (const alias of aliases) {
    const holder = held[alias];
    if (holder !== undefined && holder !== version) {
      return {
        message: `'${alias}' is held by version ${holder}`,
        heldBy: [alias, holder]
      };
    }
  }
  return null;
}

/** field -> message for every rule the values break; {} when none (or no schema). */
export function checkSpec(
  values: Record<string, unknown>,
  schema: IObjectSchema | null
): Problems {
  const problems: Problems = {};
  if (!schema) {
    return problems;
  }
  for (const name of schema.required ?? []) {
    const value = values[name];
    if (value === undefined || value === null || value === '') {
      problems[name] = 'is required';
    }
  }
  for (const [name, value] of Object.entries(values)) {
    const field = schema.properties[name];
    if (!field || problems[name] || value === undefined || value === null) {
      continue;
    }
    if (Array.isArray(value)) {
      const problem = aliasesProblem(value.map(String), schema);
      if (problem) {
        problems[name] = problem.message;
      }
    } else if (typeof value === 'string') {
      const problem = stringProblem(name, value, field);
      if (problem) {
        problems[name] = problem;
      }
    }
  }
  return problems;
}

/**
 * "a, b" -> ["a", "b"]: aliases as typed in one text box, separated by commas only; a space
 * inside an alias stays, so the rule can name it ("'my alias' contains a space").
 */
export function splitAliases(text: string): string[] {
  return text
    .split(',')
    .map(part => part.trim())
    .filter(part => part.length > 0);
}
