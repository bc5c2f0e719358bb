/**
 * The image doctor in the sidebar: the register form checks the chosen base image and shows
 * the findings of the demo's failing image (ml-platform/studio-images:arm64-root) before
 * anything is sent; a version's row checks its base image on demand. Nothing is changed.
 */
import {
  expect,
  galata,
  IJupyterLabPageFixture,
  test
} from '@jupyterlab/galata';
import { Request } from '@playwright/test';

import { openPanel, rowAction } from './helpers';

test.use({ autoGoto: true, mockSettings: galata.DEFAULT_SETTINGS });

const API = '/image-versions/api/';
const REGISTRY = '000000000000.dkr.ecr.us-east-1.amazonaws.com';

function watchRequests(page: IJupyterLabPageFixture): Request[] {
  const seen: Request[] = [];
  page.on('request', request => {
    if (request.url().includes(API)) {
      seen.push(request);
    }
  });
  return seen;
}

test('register shows the failing image findings before anything is sent', async ({
  page
}) => {
  const panel = await openPanel(page);
  await panel.locator('.jp-IV-registerButton').click();
  const form = panel.locator('form.jp-IV-register');
  const requests = watchRequests(page);
  await form
    .locator('input[name="base_image"]')
    .fill(`${REGISTRY}/ml-platform/studio-images:arm64-root`);
  const doctor = form.locator('.jp-IV-doctor');
  await expect(doctor).toHaveAttribute('data-state', 'done');
  await expect(doctor.locator('.jp-IV-doctorVerdict')).toHaveAttribute(
    'data-ok',
    'false'
  );
  for (const code of ['architecture', 'user', 'large-id', 'server']) {
    await expect(
      doctor.locator(
        `.jp-IV-finding[data-severity="error"][data-code="${code}"]`
      )
    ).toBeVisible();
  }
  await expect(
    doctor.locator('.jp-IV-finding[data-code="large-id"]')
  ).toContainText('/opt/tool/data.bin in layer 2');
  await expect(
    doctor.locator('.jp-IV-finding[data-code="no-kernels"]')
  ).toHaveAttribute('data-severity', 'warning');
  // KernelGateway: no kernelspec is an error there
  await doctor
    .locator('select.jp-IV-doctorAppType, .jp-IV-doctorAppType select')
    .first()
    .selectOption('KernelGateway');
  await expect(
    doctor.locator(
      '.jp-IV-finding[data-severity="error"][data-code="no-kernels"]'
    )
  ).toBeVisible();
  // only reads so far: nothing was registered
  expect(requests.filter(r => r.method() !== 'GET')).toHaveLength(0);
  expect(requests.some(r => r.url().includes(API + 'doctor?'))).toBe(true);

  await form
    .locator('input[name="base_image"]')
    .fill(`${REGISTRY}/ml-platform/studio-images:jupyterlab-ok`);
  await doctor.locator('select').first().selectOption('JupyterLab');
  await expect(doctor.locator('.jp-IV-doctorVerdict')).toHaveAttribute(
    'data-ok',
    'true'
  );
  await expect(
    doctor.locator('.jp-IV-finding[data-severity="error"]')
  ).toHaveCount(0);
  await form.locator('button', { hasText: 'Cancel' }).click();
  expect(requests.filter(r => r.method() !== 'GET')).toHaveLength(0);
});

test('a version row checks its base image on demand', async ({ page }) => {
  const panel = await openPanel(page);
  const row = panel.locator('.jp-IV-history .jp-IV-row[data-version="5"]');
  // Nothing is checked until asked for, from the row's menu.
  await row.locator('.jp-IV-expand').click();
  await expect(row.locator('.jp-IV-details')).toBeVisible();
  const doctor = row.locator('.jp-IV-details .jp-IV-doctor');
  await expect(doctor).toHaveCount(0);
  const requests = watchRequests(page);
  await rowAction(page, row, 'Check image');
  // the demo's pytorch versions were seeded as bare manifests: a clear message, not a crash
  await expect(doctor).toHaveAttribute('data-state', 'failed');
  // in words, not the manifest's internals
  await expect(doctor.locator('.jp-IV-doctorError')).toContainText(
    'is not a complete container image'
  );
  await expect(doctor.locator('.jp-IV-doctorError')).not.toContainText(
    'sha256'
  );
  expect(requests.map(r => r.method())).toEqual(['GET']);
});
