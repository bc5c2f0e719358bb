/** The main-area history as a JupyterLab MainAreaWidget. */

import { MainAreaWidget } from '@jupyterlab/apputils';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IPanelContext, PanelContext } from '../context';
import { imageVersionsIcon } from '../icons';
import { HistoryView } from './HistoryView';

export function historyWidget(
  context: IPanelContext,
  image: string
): MainAreaWidget<ReactWidget> {
  const content = ReactWidget.create(
    <PanelContext.Provider value={context}>
      <HistoryView image={image} />
    </PanelContext.Provider>
  );
  const widget = new MainAreaWidget({ content });
  widget.id = `jupyter-image-versions-history-${image}`;
  widget.title.label = context.trans.__('%1 history', image);
  widget.title.icon = imageVersionsIcon;
  widget.title.closable = true;
  widget.addClass('jp-IV-historyWidget');
  return widget;
}
