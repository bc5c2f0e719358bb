import { TranslationBundle } from '@jupyterlab/translation';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ImageVersionsClient } from './api';
import { App } from './components/App';
import { PanelContext } from './context';

/** The left-sidebar panel. */
export class ImageVersionsPanel extends ReactWidget {
  constructor(
    private readonly client: ImageVersionsClient,
    private readonly trans: TranslationBundle
  ) {
    super();
    this.addClass('jp-ImageVersions');
  }

  render(): JSX.Element {
    return (
      <PanelContext.Provider value={{ client: this.client, trans: this.trans }}>
        <App />
      </PanelContext.Provider>
    );
  }
}
