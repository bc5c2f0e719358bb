/**
 * The forms, in both themes at the default sidebar width: one alias rule everywhere (a space is
 * named, never split), an alias another version holds offered to move, messages under their
 * labelled field, removal with Undo, Escape and focus, the release-notes counter, enum words.
 */
import { expect, galata, test } from '@jupyterlab/galata';
import { Request } from '@playwright/test';

import {
  expectReadable,
  openPanel,
  row,
  setTheme,
  SIDEBAR_WIDTH,
  THEMES
} from './helpers';

test.use({ autoGoto: true, mockSettings: galata.DEFAULT_SETTINGS });

const API = '/image-versions/api/';
const URI =
  '000000000000.dkr.ecr.us-east-1.amazonaws.com/ml-platform/pytorch:2.3-gpu';

function writes(page: any): Request[] {
  const found: Request[] = [];
  page.on('request', (request: Request) => {
    if (request.url().includes(API) && request.method() !== 'GET') {
      found.push(request);
    }
  });
  return found;
}

for (const theme of THEMES) {
  test(`the register form checks aliases like the server (${theme})`, async ({
    page
  }) => {
    const panel = await openPanel(page);
    await setTheme(page, theme);
    await page.sidebar.setWidth(SIDEBAR_WIDTH, 'left');
    await panel.locator('.jp-IV-registerButton').click();
    const form = panel.locator('form.jp-IV-register');
    // Focus moves into the form.
    await expect(form.locator('input[name="base_image"]')).toBeFocused();
    // Its text inputs are JupyterLab's InputGroup, not plain inputs.
    for (const name of [
      'base_image',
      'aliases',
      'ml_framework',
      'programming_lang'
    ]) {
      await expect(
        form.locator(`.jp-InputGroup > input[name="${name}"]`)
      ).toHaveCount(1);
    }
    await form.locator('input[name="base_image"]').fill(URI);
    const sent = writes(page);

    // 'my alias' is one alias with a space: refused with that reason, under its field.
    await form.locator('input[name="aliases"]').fill('my alias');
    await form.locator('button[type="submit"]').click();
    const message = form.locator('.jp-IV-fieldMessage[data-field="aliases"]');
    await expect(message).toHaveText(
      "Aliases cannot contain a space, as in 'my alias'"
    );
    // An alias another version holds: named, with the offer to move it.
    await form.locator('input[name="aliases"]').fill('latest');
    await form.locator('button[type="submit"]').click();
    await expect(message).toContainText("Aliases 'latest' is held by version");
    await expect(message.locator('.jp-IV-moveHere')).toBeVisible();
    await expectReadable(message, `field message (${theme})`);
    await page.waitForTimeout(300);
    expect(sent).toHaveLength(0);

    // Release notes: a counter against the model's limit (255), over it in the error colour.
    const counter = form.locator('.jp-IV-counter');
    await expect(counter).toHaveText('0 / 255');
    await form.locator('textarea[name="release_notes"]').fill('x'.repeat(256));
    await expect(counter).toHaveText('256 / 255');
    await expect(counter).toHaveAttribute('data-over', 'true');

    // Enum values as words, the AWS value kept as the option's value.
    const guidance = form.locator('select[name="vendor_guidance"] option');
    await expect(
      guidance.filter({ hasText: 'To be archived' })
    ).toHaveAttribute('value', 'TO_BE_ARCHIVED');
    // Placeholders read differently from values.
    const [placeholder, value] = await Promise.all([
      form
        .locator('input[name="ml_framework"]')
        .evaluate(el => getComputedStyle(el, '::placeholder').fontStyle),
      form
        .locator('input[name="base_image"]')
        .evaluate(el => getComputedStyle(el).fontStyle)
    ]);
    expect([placeholder, value]).toEqual(['italic', 'normal']);
    // The main action is accent-coloured and readable.
    await expectReadable(
      form.locator('button[type="submit"]'),
      `Register button (${theme})`
    );

    // Escape closes the form; focus returns to the button that opened it.
    await form.locator('input[name="ml_framework"]').focus();
    await page.keyboard.press('Escape');
    await expect(form).toHaveCount(0);
    await expect(panel.locator('.jp-IV-registerButton')).toBeFocused();
  });
}

test('Add alias on a row uses the same rule, and offers to move a held alias', async ({
  page
}) => {
  const panel = await openPanel(page);
  await page.sidebar.setWidth(SIDEBAR_WIDTH, 'left');
  const target = row(panel, 4);
  await target.locator('.jp-IV-expand').click();
  const input = target.locator('.jp-IV-addAlias input');
  const sent = writes(page);
  await input.fill('my alias');
  await input.press('Enter');
  const message = target.locator('.jp-IV-fieldMessage[data-field="alias"]');
  await expect(message).toHaveText(
    "Alias cannot contain a space, as in 'my alias'"
  );
  expect(sent).toHaveLength(0);

  const holder = await row(panel, 5)
    .locator('.jp-IV-alias[data-alias="latest"]')
    .count();
  expect(holder).toBe(1);
  await input.fill('latest');
  await input.press('Enter');
  await expect(message).toContainText("'latest' is held by version 5");
  expect(sent).toHaveLength(0);
  await message.locator('.jp-IV-moveHere').click();
  await expect(
    target.locator('.jp-IV-alias[data-alias="latest"]')
  ).toBeVisible();
  expect(sent.map(r => r.method())).toEqual(['PATCH']);

  // And back, the same way, so the demo state is as the other tests expect it.
  const back = row(panel, 5);
  await back.locator('.jp-IV-expand').click();
  await back.locator('.jp-IV-addAlias input').fill('latest');
  await back.locator('.jp-IV-addAlias input').press('Enter');
  await back.locator('.jp-IV-moveHere').click();
  await expect(back.locator('.jp-IV-alias[data-alias="latest"]')).toBeVisible();
  await expect(target.locator('.jp-IV-alias[data-alias="latest"]')).toHaveCount(
    0
  );
});

test('removing an alias offers Undo, which puts it back', async ({ page }) => {
  const panel = await openPanel(page);
  await page.sidebar.setWidth(SIDEBAR_WIDTH, 'left');
  const target = row(panel, 2);
  await expect(
    target.locator('.jp-IV-alias[data-alias="2.2.0"]')
  ).toBeVisible();
  await target
    .locator('.jp-IV-alias[data-alias="2.2.0"] .jp-IV-alias-remove')
    .click();
  await expect(target.locator('.jp-IV-alias[data-alias="2.2.0"]')).toHaveCount(
    0
  );
  const toast = page.locator('.Toastify__toast', {
    hasText: 'Removed alias 2.2.0'
  });
  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect(
    target.locator('.jp-IV-alias[data-alias="2.2.0"]')
  ).toBeVisible();
});

test('the base image is shortened from the left, so its tag shows', async ({
  page
}) => {
  const panel = await openPanel(page);
  await page.sidebar.setWidth(SIDEBAR_WIDTH, 'left');
  const base = row(panel, 5).locator('.jp-IV-baseImage');
  await expect(base).toHaveText('ml-platform/pytorch:2.3-gpu');
  // The end of the text (the tag) lies inside the visible box.
  const visible = await base.evaluate(el => {
    const range = document.createRange();
    const text = el.firstChild as Text;
    range.setStart(text, text.length - 1);
    range.setEnd(text, text.length);
    const last = range.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    return last.right <= box.right + 1 && last.left >= box.left - 1;
  });
  expect(visible).toBe(true);
});
