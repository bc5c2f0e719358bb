/**
 * Galata (Playwright) configuration: Debian's Chromium, one JupyterLab on a free port,
 * started on the local backend with freshly seeded demo data.
 */
const { execFileSync } = require('child_process');
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

// Workers re-read this file; the port chosen first is handed down through the environment.
if (!process.env.IV_UI_PORT) {
  process.env.IV_UI_PORT = execFileSync('python', [
    '-c',
    'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
  ])
    .toString()
    .trim();
}
const port = process.env.IV_UI_PORT;
const url = `http://127.0.0.1:${port}/lab`;

module.exports = {
  ...baseConfig,
  reporter: [['list']],
  timeout: 90000,
  expect: { timeout: 15000 },
  retries: 0,
  workers: 1,
  fullyParallel: false,
  use: {
    ...baseConfig.use,
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update'
      ]
    },
    video: 'off',
    trace: 'off',
    viewport: { width: 1280, height: 860 }
  },
  webServer: {
    command: 'bash start-jupyter.sh',
    url,
    timeout: 120000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'ignore'
  }
};
