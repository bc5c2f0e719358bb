import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { ImageVersionsClient } from './api';
import { imageVersionsIcon } from './icons';
import { openInEditor } from './editor';
import { ImageVersionsPanel } from './widget';

export const PANEL_ID = 'jupyter-image-versions';

export const CommandIDs = {
  open: 'image-versions:open'
};

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-image-versions:plugin',
  description: 'SageMaker image versions in the left sidebar.',
  autoStart: true,
  optional: [ITranslator, ICommandPalette, ILayoutRestorer],
  activate: (
    app: JupyterFrontEnd,
    translator: ITranslator | null,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null
  ) => {
    const trans = (translator ?? nullTranslator).load('jupyter_image_versions');
    const panel = new ImageVersionsPanel(
      new ImageVersionsClient(),
      trans,
      (filename, content) => openInEditor(app, filename, content)
    );
    panel.id = PANEL_ID;
    panel.title.icon = imageVersionsIcon;
    panel.title.caption = trans.__('Image Versions');
    app.shell.add(panel, 'left', { rank: 650 });
    restorer?.add(panel, PANEL_ID);

    app.commands.addCommand(CommandIDs.open, {
      label: trans.__('Image Versions: Open'),
      caption: trans.__('Show SageMaker image versions in the left sidebar'),
      icon: imageVersionsIcon,
      execute: () => app.shell.activateById(panel.id)
    });
    palette?.addItem({
      command: CommandIDs.open,
      category: trans.__('Image Versions')
    });
  }
};

export default plugin;
