/** The register form's values and the request body made from them. */

import { IObjectSchema, ISpec, Problems } from '../types';
import { checkSpec, splitAliases } from '../validation';

export interface IFormValues {
  image_name: string;
  base_image: string;
  aliases: string;
  ml_framework: string;
  programming_lang: string;
  processor: string;
  job_type: string;
  /** null until the user touches the box: then not sent. */
  horovod: boolean | null;
  release_notes: string;
  vendor_guidance: string;
  create_image: boolean;
  role_arn: string;
}

/** The request body: only what was filled in. */
export function toSpec(values: IFormValues): ISpec {
  const spec: ISpec = {
    image_name: values.image_name.trim(),
    base_image: values.base_image.trim()
  };
  const aliases = splitAliases(values.aliases);
  if (aliases.length) {
    spec.aliases = aliases;
  }
  for (const key of [
    'ml_framework',
    'programming_lang',
    'processor',
    'job_type',
    'vendor_guidance'
  ] as const) {
    const value = values[key].trim();
    if (value) {
      spec[key] = value;
    }
  }
  // Release notes may hold several lines and leading spaces: sent as typed.
  if (values.release_notes) {
    spec.release_notes = values.release_notes;
  }
  if (values.horovod !== null) {
    spec.horovod = values.horovod;
  }
  if (values.create_image) {
    spec.create_image = true;
    if (values.role_arn.trim()) {
      spec.role_arn = values.role_arn.trim();
    }
  }
  return spec;
}

export const FORM_FIELDS = new Set([
  'image_name',
  'base_image',
  'aliases',
  'ml_framework',
  'programming_lang',
  'processor',
  'job_type',
  'horovod',
  'release_notes',
  'vendor_guidance',
  'create_image',
  'role_arn'
]);

/**
 * The form's problems after `field` took a new value (typed or picked): that field's message
 * follows its value, so a fixed field never keeps a stale error. A required field just emptied
 * is said on Register, not while typing.
 */
export function liveProblems(
  values: IFormValues,
  field: keyof IFormValues,
  problems: Problems,
  schema: IObjectSchema | null
): Problems {
  const { create_image, role_arn, ...checked } = toSpec(values);
  void create_image;
  void role_arn;
  const found = checkSpec({ ...checked }, schema);
  const rest = { ...problems };
  delete rest[field];
  if (found[field] && (field in problems || found[field] !== 'is required')) {
    rest[field] = found[field];
  }
  return rest;
}
