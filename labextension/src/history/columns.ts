/** The history table's columns: what each shows and how it sorts. */

import { TranslationBundle } from '@jupyterlab/translation';

import { enumWords, localTime } from '../labels';
import { IImageVersion } from '../types';

export interface IColumn {
  key: string;
  label: string;
  text: (v: IImageVersion) => string;
  sort: (v: IImageVersion) => string | number;
}

function tagOf(uri: string | null): string {
  if (!uri) {
    return '—';
  }
  const at = uri.lastIndexOf(':');
  return at > uri.lastIndexOf('/') ? uri.slice(at + 1) : uri;
}

export function columns(trans: TranslationBundle): IColumn[] {
  const words = (field: keyof IImageVersion) => (v: IImageVersion) =>
    enumWords((v[field] as string | null) ?? null);
  const plain = (field: keyof IImageVersion) => (v: IImageVersion) =>
    (v[field] as string | null) ?? '—';
  return [
    {
      key: 'version',
      label: trans.__('Version'),
      text: v => `v${v.version}`,
      sort: v => v.version
    },
    {
      key: 'status',
      label: trans.__('Status'),
      text: words('status'),
      sort: v => v.status
    },
    {
      key: 'aliases',
      label: trans.__('Aliases'),
      text: v => v.aliases.join(', ') || '—',
      sort: v => v.aliases.join(',')
    },
    {
      key: 'ml_framework',
      label: trans.__('Framework'),
      text: plain('ml_framework'),
      sort: v => v.ml_framework ?? ''
    },
    {
      key: 'programming_lang',
      label: trans.__('Language'),
      text: plain('programming_lang'),
      sort: v => v.programming_lang ?? ''
    },
    {
      key: 'processor',
      label: trans.__('Processor'),
      text: words('processor'),
      sort: v => v.processor ?? ''
    },
    {
      key: 'job_type',
      label: trans.__('Job type'),
      text: words('job_type'),
      sort: v => v.job_type ?? ''
    },
    {
      key: 'vendor_guidance',
      label: trans.__('Guidance'),
      text: v => enumWords(v.vendor_guidance || 'NOT_PROVIDED'),
      sort: v => v.vendor_guidance ?? ''
    },
    {
      key: 'created',
      label: trans.__('Created'),
      text: v => localTime(v.created),
      sort: v => v.created ?? ''
    },
    {
      key: 'tag',
      label: trans.__('Base image tag'),
      text: v => tagOf(v.base_image),
      sort: v => tagOf(v.base_image)
    },
    {
      key: 'release_notes',
      label: trans.__('Notes'),
      text: plain('release_notes'),
      sort: v => v.release_notes ?? ''
    }
  ];
}
