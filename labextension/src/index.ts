import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { IEditorLanguageRegistry } from '@jupyterlab/codemirror';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { ImageVersionsClient } from './api';
import { imageVersionsIcon } from './icons';
import { openInEditor } from './editor';
import { addContentsCommand } from './contents/commands';
import { registerHcl } from './hcl';
import { historyWidget } from './history/widget';
import { ImageVersionsPanel } from './widget';

export const PANEL_ID = 'jupyter-image-versions';

export const CommandIDs = {
  open: 'image-versions:open',
  history: 'image-versions:open-history',
  contents: 'image-versions:open-contents'
};

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-image-versions:plugin',
  description: 'SageMaker image versions in the left sidebar.',
  autoStart: true,
  optional: [
    ITranslator,
    ICommandPalette,
    ILayoutRestorer,
    IEditorLanguageRegistry
  ],
  activate: (
    app: JupyterFrontEnd,
    translator: ITranslator | null,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    languages: IEditorLanguageRegistry | null
  ) => {
    const trans = (translator ?? nullTranslator).load('jupyter_image_versions');
    if (languages) {
      registerHcl(languages); // the Terraform export, highlighted
    }
    const client = new ImageVersionsClient();
    const openEditor = (filename: string, content: string) =>
      openInEditor(app, filename, content);
    const openHistory = (image: string) =>
      void app.commands.execute(CommandIDs.history, { image });
    const openContents = (image: string, version: number) =>
      void app.commands.execute(CommandIDs.contents, { image, version });
    const panel = new ImageVersionsPanel({
      client,
      trans,
      openEditor,
      openHistory,
      openContents,
      languages
    });
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

    // The full history of the image selected in the sidebar, in the main area.
    app.commands.addCommand(CommandIDs.history, {
      label: trans.__('Image Versions: Open history'),
      icon: imageVersionsIcon,
      execute: args => {
        const image =
          (args.image as string | undefined) ??
          panel.node
            .querySelector('.jp-IV-image[aria-pressed="true"]')
            ?.getAttribute('data-image');
        if (!image) {
          // Said, not silently ignored: the sidebar opens to choose one.
          Notification.info(
            trans.__(
              'Choose an image in the sidebar first, then Open history.'
            ),
            { autoClose: 5000 }
          );
          app.shell.activateById(panel.id);
          return;
        }
        const id = `jupyter-image-versions-history-${image}`;
        const open = [...app.shell.widgets('main')].find(w => w.id === id);
        if (open) {
          app.shell.activateById(id);
          return;
        }
        const widget = historyWidget(
          { client, trans, openEditor, openHistory, openContents, languages },
          image
        );
        app.shell.add(widget, 'main');
        app.shell.activateById(widget.id);
      }
    });
    palette?.addItem({
      command: CommandIDs.history,
      category: trans.__('Image Versions')
    });
    addContentsCommand(app, CommandIDs.contents, {
      client,
      trans,
      openEditor,
      openHistory,
      openContents,
      languages
    });
  }
};

export default plugin;
