/**
 * Human words for API names: field labels ("ML framework") and enum values ("To be archived").
 *
 * The API's names stay the data (REST keys, AWS values); these are only what people read, with
 * the API value kept on hover.
 */

import { TranslationBundle } from '@jupyterlab/translation';

/** field key -> label, in the sidebar's words. */
export function fieldLabel(trans: TranslationBundle, field: string): string {
  const labels: Record<string, string> = {
    image_name: trans.__('Image name'),
    version: trans.__('Version'),
    status: trans.__('Status'),
    aliases: trans.__('Aliases'),
    alias: trans.__('Alias'),
    aliases_to_add: trans.__('Aliases'),
    aliases_to_delete: trans.__('Aliases'),
    move_aliases: trans.__('Aliases'),
    base_image: trans.__('Base image'),
    container_image: trans.__('Resolved image'),
    digest: trans.__('Digest'),
    ml_framework: trans.__('ML framework'),
    programming_lang: trans.__('Language'),
    processor: trans.__('Processor'),
    job_type: trans.__('Job type'),
    horovod: trans.__('Horovod'),
    release_notes: trans.__('Release notes'),
    vendor_guidance: trans.__('Guidance'),
    failure_reason: trans.__('Failure'),
    created: trans.__('Created'),
    modified: trans.__('Modified'),
    arn: trans.__('ARN'),
    role_arn: trans.__('Role ARN')
  };
  return labels[field] ?? field;
}

/** An AWS enum value in words: 'TO_BE_ARCHIVED' -> 'To be archived'; acronyms kept. */
export function enumWords(value: string | null | undefined): string {
  if (!value) {
    return '—';
  }
  if (value === 'CPU' || value === 'GPU') {
    return value;
  }
  const words = value.toLowerCase().split('_').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** An ISO time in the user's locale (date and minutes), or '—'. */
export function localTime(value: string | null | undefined): string {
  if (!value) {
    return '—';
  }
  const date = new Date(value);
  if (isNaN(date.getTime())) {
    return value;
  }
  return new Intl.DateTimeFormat(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short'
  }).format(date);
}

/** The image URI's digest part ('sha256:…'), or null. */
export function digestOf(uri: string | null | undefined): string | null {
  if (!uri) {
    return null;
  }
  const at = uri.indexOf('@');
  return at >= 0 ? uri.slice(at + 1) : null;
}
