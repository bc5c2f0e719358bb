/**
 * Client-side checks of a registration, read from the server's OpenAPI schema.
 *
 * The rules (lengths, enums, patterns) are botocore's, served by the API at /openapi.json, so the
 * sidebar never keeps its own copy of a rule. Messages follow the server's wording. Anything not
 * in the schema (such as the ECR URI form) is left to the server, whose 400 problems are shown
 * the same way.
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
    "must look like 'Python 3.11' (letters, optional space, major.minor[.patch])"
};

function describe(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

function compile(pattern: string): RegExp | null {
  try {
    // The server compiles with re.DOTALL; 's' is the same here.
    return new RegExp(pattern, 's');
  } catch {
    return null;
  }
}

/** The problem with one string against its schema, or null. */
export function stringProblem(
  name: string,
  value: string,
  schema: IFieldSchema
): string | null {
  if (schema.enum && schema.enum.length > 0) {
    return schema.enum.includes(value)
      ? null
      : `${name} ${describe(value)} must be one of ${schema.enum.join(', ')}`;
  }
  if (schema.minLength !== undefined && value.length < schema.minLength) {
    return schema.minLength === 1
      ? `${name} must not be empty`
      : `${name} must be at least ${schema.minLength} characters`;
  }
  if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    return `${name} is ${value.length} characters; at most ${schema.maxLength} allowed`;
  }
  if (schema.pattern) {
    const regex = compile(schema.pattern);
    if (regex && !regex.test(value)) {
      const hint =
        schema.description ||
        PATTERN_HINTS[name] ||
        `must match the pattern ${schema.pattern}`;
      return `${name} ${describe(value)} ${hint}`;
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
      problems[name] = `${name} is required`;
    }
  }
  for (const [name, value] of Object.entries(values)) {
    const field = schema.properties[name];
    if (!field || problems[name] || value === undefined || value === null) {
      continue;
    }
    if (Array.isArray(value)) {
      const seen = new Set<string>();
      for (const item of value) {
        const problem = field.items
          ? stringProblem('alias', String(item), field.items)
          : null;
        if (problem) {
          problems[name] = `${name}: ${problem}`;
          break;
        }
        if (seen.has(item)) {
          problems[name] =
            `${name}: '${item}' is given twice; each alias may appear once`;
          break;
        }
        seen.add(item);
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

/** "a, b  c" -> ["a", "b", "c"]: aliases as typed in one text box. */
export function splitAliases(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map(part => part.trim())
    .filter(part => part.length > 0);
}
