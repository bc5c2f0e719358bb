/**
 * Progress on every long operation, light and dark at the default sidebar width: while the
 * request of register, delete, attach, the image check or export is held unanswered, its button
 * or row shows a spinner (and aria-busy); once answered the spinner goes. Writes are answered
 * with a refusal, so the demo state stays as the other tests expect it.
 */
import {
  expect,
  galata,
  IJupyterLabPageFixture,
  test
} from '@jupyterlab/galata';
import { Route } from '@playwright/test';

import {
  openPanel,
  row,
  rowAction,
  setTheme,
  SIDEBAR_WIDTH,
  THEMES
} from './helpers';

test.use({ autoGoto: true, mockSettings: galata.DEFAULT_SETTINGS });

const API = '/image-versions/api/';

/**
 * Hold the requests of `method` to paths ending in `path` until `answer` is called; the
 * returned promise resolves once one has arrived.
 */
async function hold(
  page: IJupyterLabPageFixture,
  method: string,
  path: string
): Promise<{ arrived: Promise<void>; answer: (refusal?: object) => void }> {
  let arrive: () => void = () => undefined;
  let answer: (refusal?: object) => void = () => undefined;
  const arrived = new Promise<void>(resolve => (arrive = resolve));
  const answered = new Promise<object | undefined>(
    resolve => (answer = resolve)
  );
  await page.route(
    url => url.pathname.includes(API) && url.pathname.endsWith(path),
    async (route: Route) => {
      if (route.request().method() !== method) {
        return route.fallback();
      }
      arrive();
      const refusal = await answered;
      if (refusal) {
        await route.fulfill({ status: 409, json: refusal });
      } else {
        await route.continue();
      }
    }
  );
  return { arrived, answer };
}

const REFUSED = { message: 'Refused by the test', code: 'Conflict' };

for (const theme of THEMES) {
  test(`long operations show progress (${theme})`, async ({ page }) => {
    await setTheme(page, theme);
    const panel = await openPanel(page);
    await page.sidebar.setWidth(SIDEBAR_WIDTH, 'left');

    // Delete: the row's ⋯ button turns into a spinner and the row is busy.
    const deleting = await hold(
      page,
      'DELETE',
      'images/pytorch-training/versions/2'
    );
    await rowAction(page, row(panel, 2), 'Delete version…');
    await page.locator('.jp-Dialog button', { hasText: 'Delete' }).click();
    await deleting.arrived;
    const menuButton = row(panel, 2).locator('.jp-IV-rowMenuButton');
    await expect(menuButton.locator('.jp-IV-spinner')).toBeVisible();
    await expect(menuButton).toHaveAttribute('aria-busy', 'true');
    await expect(row(panel, 2)).toHaveAttribute('aria-busy', 'true');
    deleting.answer(REFUSED);
    await expect(menuButton.locator('.jp-IV-spinner')).toHaveCount(0);
    await expect(
      page.locator('.jp-Notification-Toast-error', {
        hasText: 'Version 2 was not deleted'
      })
    ).toBeVisible();

    // The image check: the row's check is loading, with a spinner, until answered.
    const checking = await hold(page, 'GET', 'doctor');
    await rowAction(page, row(panel, 5), 'Check image');
    await checking.arrived;
    const doctor = row(panel, 5).locator('.jp-IV-doctor');
    await expect(doctor).toHaveAttribute('data-state', 'loading');
    await expect(doctor.locator('.jp-IV-spinner')).toBeVisible();
    checking.answer();
    // the demo's versions are real images: the check finishes with a report
    await expect(doctor).toHaveAttribute('data-state', 'done');
    await expect(doctor.locator('.jp-IV-spinner')).toHaveCount(0);

    // Attach: the Attach button shows a spinner while the request runs.
    const attaching = await hold(page, 'POST', 'studio/attach');
    await rowAction(page, row(panel, 5), 'Attach to domain…');
    const attach = row(panel, 5).locator('.jp-IV-attachSubmit');
    await expect(
      row(panel, 5).locator('input[name="domain_id"]')
    ).not.toHaveValue('');
    await attach.click();
    await attaching.arrived;
    await expect(attach.locator('.jp-IV-spinner')).toBeVisible();
    await expect(attach).toHaveAttribute('aria-busy', 'true');
    attaching.answer(REFUSED);
    await expect(attach.locator('.jp-IV-spinner')).toHaveCount(0);
    await expect(row(panel, 5).locator('.jp-IV-attach')).toContainText(
      'Refused by the test'
    );

    // Export: a spinner beside the buttons until the code arrives.
    const exporting = await hold(page, 'GET', 'images/pytorch-training/export');
    await panel.locator('.jp-IV-exportButton').click();
    await exporting.arrived;
    const view = panel.locator('.jp-IV-export');
    await expect(view.locator('.jp-IV-spinner')).toBeVisible();
    exporting.answer();
    await expect(view.locator('.jp-IV-exportCode')).toBeVisible();
    await expect(view.locator('.jp-IV-spinner')).toHaveCount(0);
    await view.locator('button', { hasText: 'Close' }).click();
    await expect(view).toHaveCount(0);

    // Register: the Register button shows a spinner until the server answers.
    const registering = await hold(
      page,
      'POST',
      'images/pytorch-training/versions'
    );
    await panel.locator('.jp-IV-registerButton').click();
    const form = panel.locator('form.jp-IV-register');
    await form
      .locator('input[name="base_image"]')
      .fill(
        '000000000000.dkr.ecr.us-east-1.amazonaws.com/ml-platform/pytorch:2.3-cpu'
      );
    const submit = form.locator('button[type="submit"]');
    await submit.click();
    await registering.arrived;
    await expect(submit.locator('.jp-IV-spinner')).toBeVisible();
    await expect(submit).toHaveAttribute('aria-busy', 'true');
    registering.answer(REFUSED);
    await expect(submit.locator('.jp-IV-spinner')).toHaveCount(0);
    await expect(form.locator('.jp-IV-formMessage')).toContainText(
      'Refused by the test'
    );
    await form.locator('button', { hasText: 'Cancel' }).click();
  });
}
