/**
 * The register form's Horovod box has three states: untouched it reads "Not provided" and
 * nothing is sent; ticked and unticked it reads "No" and is sent as false.
 */
import { expect, galata, test } from '@jupyterlab/galata';
import { Request, Route } from '@playwright/test';

import { openPanel, setTheme, SIDEBAR_WIDTH, THEMES } from './helpers';

test.use({ autoGoto: true, mockSettings: galata.DEFAULT_SETTINGS });

const URI =
  '000000000000.dkr.ecr.us-east-1.amazonaws.com/ml-platform/pytorch:2.3-gpu';

/** The register requests' bodies; each is answered 400, so nothing is registered. */
async function registerBodies(page: any): Promise<any[]> {
  const bodies: any[] = [];
  await page.route(
    (url: URL) =>
      url.pathname.includes('/image-versions/api/images/') &&
      url.pathname.endsWith('/versions'),
    async (route: Route, request: Request) => {
      if (request.method() !== 'POST') {
        return route.continue();
      }
      bodies.push(JSON.parse(request.postData() ?? '{}'));
      return route.fulfill({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({ message: 'Stopped by the test.' })
      });
    }
  );
  return bodies;
}

for (const theme of THEMES) {
  test(`Horovod is sent only when touched, and reads so (${theme})`, async ({
    page
  }) => {
    const panel = await openPanel(page);
    await setTheme(page, theme);
    await page.sidebar.setWidth(SIDEBAR_WIDTH, 'left');
    const bodies = await registerBodies(page);
    await panel.locator('.jp-IV-registerButton').click();
    const form = panel.locator('form.jp-IV-register');
    await form.locator('input[name="base_image"]').fill(URI);
    const field = form.locator('[data-field="horovod"]');
    const state = field.locator('.jp-IV-checkState');
    const box = field.locator('input[name="horovod"]');

    // Untouched: "Not provided", the box indeterminate, horovod not sent.
    await expect(state).toHaveText('Not provided');
    expect(await box.evaluate((e: HTMLInputElement) => e.indeterminate)).toBe(
      true
    );
    await form.locator('button[type="submit"]').click();
    await expect.poll(() => bodies.length).toBe(1);
    expect(bodies[0]).not.toHaveProperty('horovod');

    // Ticked: Yes; then unticked: No, sent as false.
    await box.click();
    await expect(state).toHaveText('Yes');
    await box.click();
    await expect(state).toHaveText('No');
    expect(await box.evaluate((e: HTMLInputElement) => e.indeterminate)).toBe(
      false
    );
    await field.screenshot({ path: `test-results/horovod-${theme}.png` });
    await form.locator('button[type="submit"]').click();
    await expect.poll(() => bodies.length).toBe(2);
    expect(bodies[1].horovod).toBe(false);
  });
}
