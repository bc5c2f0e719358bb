import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-image-versions:plugin',
  description: 'SageMaker image versions in the left sidebar.',
  autoStart: true,
  activate: (app: JupyterFrontEnd) => {
    console.log('jupyter-image-versions activated');
  }
};

export default plugin;
