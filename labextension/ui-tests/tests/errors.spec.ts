/**
 * With the API failing, in both themes at the default sidebar width: the panel says what failed
 * and offers Retry, never stale rows under a raw message; Retry brings the history back.
 */
import { expect, galata, test } from '@jupyterlab/galata';

import {
  expectReadable,
  openPanel,
  setTheme,
  SIDEBAR_WIDTH,
  THEMES
} from './helpers';

test.use({ autoGoto: true, mockSettings: galata.DEFAULT_SETTINGS });

for (const theme of THEMES) {
  test(`a failing API shows what failed and Retry (${theme})`, async ({
    page
  }) => {
    const panel = await openPanel(page);
    await setTheme(page, theme);
    await page.sidebar.setWidth(SIDEBAR_WIDTH, 'left');
    const failing = '**/image-versions/api/images/pytorch-training/versions?*';
    await page.route(failing, route =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({
          message: 'SageMaker is unavailable',
          code: 'ServiceUnavailable',
          problems: {}
        })
      })
    );
    await panel.locator('.jp-IV-refresh').first().click();
    const failed = panel.locator('.jp-IV-loadError');
    await expect(failed).toContainText(
      'Could not load the history of pytorch-training: SageMaker is unavailable'
    );
    await expect(panel.locator('.jp-IV-history .jp-IV-row')).toHaveCount(0);
    await expect(panel.locator('.jp-IV-tick')).toHaveCount(0);
    await expectReadable(
      failed.locator('div').first(),
      `load error (${theme})`
    );

    await page.unroute(failing);
    await failed.locator('.jp-IV-retry').click();
    await expect(panel.locator('.jp-IV-loadError')).toHaveCount(0);
    await expect(
      panel.locator('.jp-IV-history .jp-IV-row').first()
    ).toBeVisible();
  });
}
