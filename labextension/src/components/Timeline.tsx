/** The versions on a line, oldest left, newest right: aliases above, guidance as colour. */

import * as React from 'react';

import { usePanel } from '../context';
import { enumWords, localTime } from '../labels';
import { IImageVersion, VENDOR_GUIDANCE } from '../types';
import { guidanceClass } from './common';

export function Timeline(props: { versions: IImageVersion[] }): JSX.Element {
  const { trans } = usePanel();
  const track = React.useRef<HTMLOListElement>(null);
  const ordered = [...props.versions].sort((a, b) => a.version - b.version);
  const newest = ordered.length ? ordered[ordered.length - 1].version : 0;

  React.useLayoutEffect(() => {
    // Start at the newest end, where people look first.
    if (track.current) {
      track.current.scrollLeft = track.current.scrollWidth;
    }
  }, [newest, ordered.length]);

  return (
    <section
      className="jp-IV-timeline"
      aria-label={trans.__('Version timeline')}
    >
      <ol className="jp-IV-timelineTrack" ref={track}>
        {ordered.map(v => {
          const failed = v.status === 'CREATE_FAILED';
          const title = [
            trans.__('v%1', v.version),
            enumWords(v.status),
            enumWords(v.vendor_guidance || 'NOT_PROVIDED'),
            v.aliases.join(', '),
            v.created ? localTime(v.created) : ''
          ]
            .filter(Boolean)
            .join(' · ');
          return (
            <li
              key={v.version}
              className={`jp-IV-tick ${guidanceClass(v.vendor_guidance)}${
                failed ? ' jp-IV-tick-failed' : ''
              }`}
              data-version={v.version}
              title={title}
            >
              <span className="jp-IV-tickAliases">
                {v.aliases.map(alias => (
                  <span key={alias} className="jp-IV-tickAlias">
                    {alias}
                  </span>
                ))}
              </span>
              <span className="jp-IV-dot" aria-hidden="true">
                {failed ? '×' : ''}
              </span>
              <span className="jp-IV-tickLabel">
                {trans.__('v%1', v.version)}
              </span>
            </li>
          );
        })}
      </ol>
      <div className="jp-IV-legend">
        {VENDOR_GUIDANCE.map(value => (
          <span
            key={value}
            className={`jp-IV-legendItem ${guidanceClass(value)}`}
            title={value}
          >
            <span className="jp-IV-dot" aria-hidden="true" />
            {enumWords(value)}
          </span>
        ))}
        <span className="jp-IV-legendItem jp-IV-tick-failed">
          <span className="jp-IV-dot" aria-hidden="true">
            ×
          </span>
          {trans.__('failed')}
        </span>
      </div>
    </section>
  );
}
