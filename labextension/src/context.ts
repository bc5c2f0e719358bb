import { IEditorLanguageRegistry } from '@jupyterlab/codemirror';
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ImageVersionsClient } from './api';

/** What every component of the panel needs: the API client and the translations. */
export interface IPanelContext {
  client: ImageVersionsClient;
  trans: TranslationBundle;
  /** Open text in a new editor tab as a file of that name (absent outside JupyterLab). */
  openEditor?: (filename: string, content: string) => Promise<string>;
  /** Open an image's full history in the main area (absent outside JupyterLab). */
  openHistory?: (image: string) => void;
  /** Open what a version holds (packages, OS, Python) in the main area. */
  openContents?: (image: string, version: number) => void;
  /** CodeMirror's languages, to show exported code highlighted (absent outside JupyterLab). */
  languages?: IEditorLanguageRegistry | null;
}

export const PanelContext = React.createContext<IPanelContext | null>(null);

export function usePanel(): IPanelContext {
  const value = React.useContext(PanelContext);
  if (!value) {
    throw new Error('PanelContext is not provided');
  }
  return value;
}
