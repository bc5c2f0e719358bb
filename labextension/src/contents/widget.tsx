/** The main-area views of what versions hold: Contents as a JupyterLab MainAreaWidget. */

import { MainAreaWidget } from '@jupyterlab/apputils';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IPanelContext, PanelContext } from '../context';
import { imageVersionsIcon } from '../icons';
import { ContentsView } from './ContentsView';

export function contentsWidgetId(image: string, version: number): string {
  return `jupyter-image-versions-contents-${image}-${version}`;
}

export function contentsWidget(
  context: IPanelContext,
  image: string,
  version: number
): MainAreaWidget<ReactWidget> {
  const content = ReactWidget.create(
    <PanelContext.Provider value={context}>
      <ContentsView image={image} version={version} />
    </PanelContext.Provider>
  );
  const widget = new MainAreaWidget({ content });
  widget.id = contentsWidgetId(image, version);
  widget.title.label = context.trans.__('%1 v%2 contents', image, version);
  widget.title.icon = imageVersionsIcon;
  widget.title.closable = true;
  widget.addClass('jp-IV-contentsWidget');
  return widget;
}
