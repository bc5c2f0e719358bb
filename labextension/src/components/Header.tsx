/** The panel's header: which backend it works on, and refresh. */

import { refreshIcon, ToolbarButtonComponent } from '@jupyterlab/ui-components';
import * as React from 'react';

import { usePanel } from '../context';
import { IContext } from '../types';

export function BackendBadge(props: {
  context: IContext | null;
  error: string;
}): JSX.Element {
  const { trans } = usePanel();
  const { context } = props;
  if (!context) {
    return (
      <span
        className="jp-IV-backend jp-IV-backend-unknown"
        data-backend="unknown"
        title={props.error}
      >
        {props.error ? trans.__('AWS: not reachable') : '…'}
      </span>
    );
  }
  if (context.backend === 'local') {
    return (
      <span
        className="jp-IV-backend jp-IV-backend-local"
        data-backend="local"
        title={trans.__(
          'The embedded local SageMaker endpoint%1',
          context.local_db ? ` (${context.local_db})` : ''
        )}
      >
        {trans.__('LOCAL')}
      </span>
    );
  }
  const studio = context.studio?.domain_id
    ? ` · ${context.studio.domain_id}`
    : '';
  return (
    <span
      className="jp-IV-backend jp-IV-backend-aws"
      data-backend="aws"
      title={context.caller_arn ?? ''}
    >
      {`AWS ${context.account ?? '?'} · ${context.region ?? '?'}${studio}`}
    </span>
  );
}

export function Header(props: {
  context: IContext | null;
  error: string;
  onRefresh: () => void;
}): JSX.Element {
  const { trans } = usePanel();
  return (
    <header className="jp-IV-header">
      <h2 className="jp-IV-title">{trans.__('Image versions')}</h2>
      <BackendBadge context={props.context} error={props.error} />
      <ToolbarButtonComponent
        className="jp-IV-refresh"
        icon={refreshIcon}
        tooltip={trans.__('Refresh')}
        onClick={props.onRefresh}
        enabled={true}
      />
    </header>
  );
}
