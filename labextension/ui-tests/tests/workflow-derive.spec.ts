/**
 * Derive from a demo version's row menu: the requirements (a wheel uploaded to the Jupyter root,
 * found with --no-index --find-links .), the plan, the progress, then the new registered row.
 * Screenshots light and dark at the sidebar's default width.
 *
 * Named to run last (the files run in name order, one worker, one server): it adds versions to
 * the shared demo state, which the other specs count from 1 to 5.
 */
import { expect, galata, test } from '@jupyterlab/galata';

import {
  openPanel,
  row,
  rowAction,
  setTheme,
  shotPath,
  THEMES
} from './helpers';

test.use({ autoGoto: true, mockSettings: galata.DEFAULT_SETTINGS });
test.setTimeout(180000);

/** galatapkg 1.0 (py3-none-any, a console script), written by tests/derive_helpers.make_wheel. */
const WHEEL =
  'UEsDBBQAAAAAAAAAIVDlaNeJQQAAAEEAAAAVAAAAZ2FsYXRhcGtnL19faW5pdF9fLnB5X192ZXJzaW9uX18gPSAiMS4wIgoKZGVmIG1haW4oKToKICAgIHByaW50KCJnYWxhdGFwa2cgc2F5cyAxLjAiKQpQSwMEFAAAAAAAAAAhUGLJl+szAAAAMwAAACAAAABnYWxhdGFwa2ctMS4wLmRpc3QtaW5mby9NRVRBREFUQU1ldGFkYXRhLVZlcnNpb246IDIuMQpOYW1lOiBnYWxhdGFwa2cKVmVyc2lvbjogMS4wClBLAwQUAAAAAAAAACFQsNzjoksAAABLAAAAHQAAAGdhbGF0YXBrZy0xLjAuZGlzdC1pbmZvL1dIRUVMV2hlZWwtVmVyc2lvbjogMS4wCkdlbmVyYXRvcjogdGVzdApSb290LUlzLVB1cmVsaWI6IHRydWUKVGFnOiBweTMtbm9uZS1hbnkKUEsDBBQAAAAAAAAAIVDmQbjpLQAAAC0AAAAoAAAAZ2FsYXRhcGtnLTEuMC5kaXN0LWluZm8vZW50cnlfcG9pbnRzLnR4dFtjb25zb2xlX3NjcmlwdHNdCmdhbGF0YXBrZyA9IGdhbGF0YXBrZzptYWluClBLAwQUAAAAAAAAACFQ2f2+KHYBAAB2AQAAHgAAAGdhbGF0YXBrZy0xLjAuZGlzdC1pbmZvL1JFQ09SRGdhbGF0YXBrZy9fX2luaXRfXy5weSxzaGEyNTY9N0pqcWdRTUlfSmpIenRTV1F6eXJIQm5vbFdzVWxVYnVLckJ1RlhmTGg2TSw2NQpnYWxhdGFwa2ctMS4wLmRpc3QtaW5mby9NRVRBREFUQSxzaGEyNTY9VXUwU1FpbWNEVGpfa1g0ci1nMDRGTUp2aVFCV0daTGJ0SS1aWDZJMlppayw1MQpnYWxhdGFwa2ctMS4wLmRpc3QtaW5mby9XSEVFTCxzaGEyNTY9R09KV2ZHS3lfczdaUk10bXJNeUpGdklIeHpvMGdMWlZoR1dXeVRxQjZ1byw3NQpnYWxhdGFwa2ctMS4wLmRpc3QtaW5mby9lbnRyeV9wb2ludHMudHh0LHNoYTI1Nj1ZNnlzZWFMNUNHaHdGR2t1aDdOQVhNSG5KcnFhc2EyY0N5TVFweG9Dd2VRLDQ1CmdhbGF0YXBrZy0xLjAuZGlzdC1pbmZvL1JFQ09SRCwsUEsBAhQDFAAAAAAAAAAhUOVo14lBAAAAQQAAABUAAAAAAAAAAAAAAIABAAAAAGdhbGF0YXBrZy9fX2luaXRfXy5weVBLAQIUAxQAAAAAAAAAIVBiyZfrMwAAADMAAAAgAAAAAAAAAAAAAACAAXQAAABnYWxhdGFwa2ctMS4wLmRpc3QtaW5mby9NRVRBREFUQVBLAQIUAxQAAAAAAAAAIVCw3OOiSwAAAEsAAAAdAAAAAAAAAAAAAACAAeUAAABnYWxhdGFwa2ctMS4wLmRpc3QtaW5mby9XSEVFTFBLAQIUAxQAAAAAAAAAIVDmQbjpLQAAAC0AAAAoAAAAAAAAAAAAAACAAWsBAABnYWxhdGFwa2ctMS4wLmRpc3QtaW5mby9lbnRyeV9wb2ludHMudHh0UEsBAhQDFAAAAAAAAAAhUNn9vih2AQAAdgEAAB4AAAAAAAAAAAAAAIAB3gEAAGdhbGF0YXBrZy0xLjAuZGlzdC1pbmZvL1JFQ09SRFBLBQYAAAAABQAFAH4BAACQAwAAAAA=';

for (const theme of THEMES) {
  test(`derive a new registered version from a row's menu (${theme})`, async ({
    page
  }) => {
    await setTheme(page, theme);
    await page.contents.uploadContent(
      WHEEL,
      'base64',
      'galatapkg-1.0-py3-none-any.whl'
    );
    const panel = await openPanel(page);
    // the demo's image (the sidebar reopens on the last image chosen: another spec's maybe)
    await panel.locator('.jp-IV-image[data-image="pytorch-training"]').click();
    await expect(
      panel.locator('.jp-IV-history .jp-IV-row[data-status="CREATED"]').first()
    ).toBeVisible();
    // Every version loaded first: a reload keeps as many rows as were shown, so the oldest
    // one shown leaves the page when a version is added (a form open on it would go too).
    const more = panel.locator('.jp-IV-more button');
    while ((await more.count()) > 0) {
      if (await more.isEnabled()) {
        await more.click();
      }
      await page.waitForTimeout(200);
    }
    // a created demo version (a real image: conda Python 3.11), never one derived here,
    // another one per theme so that each run uploads a new layer
    const number = theme === 'light' ? 5 : 4;
    await expect(row(panel, number)).toHaveAttribute('data-status', 'CREATED');
    const source = row(panel, number);
    const before = await panel.locator('.jp-IV-history .jp-IV-row').count();
    const top = Number(
      await panel
        .locator('.jp-IV-history .jp-IV-row')
        .first()
        .getAttribute('data-version')
    );
    await rowAction(page, source, 'Derive new version…');
    const form = source.locator('form.jp-IV-derive');
    await expect(form).toBeVisible();
    await form
      .locator('textarea[name="requirements"]')
      .fill('--no-index\n--find-links .\ngalatapkg==1.0\n');
    await form.locator('input[name="tag"]').fill(`derived-${theme}`);
    await form
      .locator('input[name="alias"]')
      .fill(`9.0.${theme === 'light' ? 1 : 2}`);
    await form.locator('.jp-IV-deriveSubmit').click();
    const plan = form.locator('.jp-IV-derivePlan');
    await expect(plan).toContainText('add galatapkg 1.0', { timeout: 60000 });
    await expect(plan).toContainText('/opt/conda/lib/python3.11/site-packages');
    await expect(form.locator('.jp-IV-deriveState')).toHaveAttribute(
      'data-state',
      /pushing|checking|registering|done/,
      { timeout: 60000 }
    );
    await expect(form.locator('.jp-IV-deriveState')).toHaveAttribute(
      'data-state',
      'done',
      { timeout: 120000 }
    );
    await expect(form.locator('.jp-IV-deriveState')).toContainText(
      `Registered v${top + 1}`
    );
    // the plan, the bytes uploaded and the outcome, in the form
    await form.screenshot({ path: shotPath(`derive-form-${theme}.png`) });
    const added = row(panel, top + 1);
    await expect(added).toBeVisible();
    await expect(added).toHaveAttribute('data-status', 'CREATED');
    await expect(added.locator('.jp-IV-notes')).toContainText('galatapkg 1.0');
    // the new row at the top; the rows before it all still there (up to a page)
    await expect(
      panel.locator('.jp-IV-history .jp-IV-row').first()
    ).toHaveAttribute('data-version', String(top + 1));
    expect(
      await panel.locator('.jp-IV-history .jp-IV-row').count()
    ).toBeGreaterThanOrEqual(Math.min(before + 1, 10));
    expect(number).toBeGreaterThan(0);
    // the new row at the top of the history, the source row's details closed
    await form.getByRole('button', { name: 'Close' }).click();
    await source.locator('.jp-IV-expand').click();
    await panel.evaluate(root =>
      root.querySelectorAll('*').forEach(e => {
        e.scrollTop = 0;
      })
    );
    await panel.screenshot({ path: shotPath(`derive-row-${theme}.png`) });
  });
}
