/**
 * The image-versions sidebar in a real JupyterLab and Chromium, on the local backend seeded with
 * the demo state (pytorch-training v1..v5, ECR repository ml-platform/pytorch).
 *
 * The tests share one server and run in this order: each later test relies only on what the
 * earlier ones leave (new versions 6 and 7, moved alias, archived v2, deleted v1).
 */
import {
  expect,
  galata,
  IJupyterLabPageFixture,
  test
} from '@jupyterlab/galata';
import { Locator, Request } from '@playwright/test';

import {
  expectReadable,
  openPanel,
  row,
  rowAction,
  setTheme,
  shotPath,
  SIDEBAR_WIDTH,
  THEMES
} from './helpers';

test.describe.configure({ mode: 'serial' });
test.use({ autoGoto: true, mockSettings: galata.DEFAULT_SETTINGS });

const API = '/image-versions/api/';
const XSS = '<img src=x onerror="window.__xss=1">';

async function expand(panel: Locator, version: number): Promise<Locator> {
  const r = row(panel, version);
  await r.locator('.jp-IV-expand').click();
  await expect(r.locator('.jp-IV-details')).toBeVisible();
  return r;
}

/** Requests that change something (anything but GET) made to the API. */
function watchWrites(page: IJupyterLabPageFixture): Request[] {
  const writes: Request[] = [];
  page.on('request', request => {
    if (request.url().includes(API) && request.method() !== 'GET') {
      writes.push(request);
    }
  });
  return writes;
}

test('opens from the command palette and shows the demo history', async ({
  page
}) => {
  const panel = await openPanel(page);
  await expect(panel.locator('.jp-IV-backend')).toHaveText('LOCAL');
  await expect(
    panel.locator('.jp-IV-image[data-image="pytorch-training"]')
  ).toHaveAttribute('aria-pressed', 'true');

  // Newest first, all five versions.
  const numbers = await panel
    .locator('.jp-IV-history .jp-IV-row')
    .evaluateAll(rows => rows.map(r => Number(r.getAttribute('data-version'))));
  expect(numbers).toEqual([5, 4, 3, 2, 1]);

  await expect(row(panel, 5).locator('.jp-IV-alias')).toHaveText([
    '2.3.0×',
    'latest×'
  ]);
  await expect(row(panel, 4).locator('.jp-IV-alias')).toHaveText([
    '2.3.0-cpu×'
  ]);
  await expect(row(panel, 2).locator('.jp-IV-alias')).toHaveText(['2.2.0×']);
  // Enum values in words, the AWS value on hover.
  await expect(row(panel, 1).locator('.jp-IV-guidance')).toHaveText(
    'To be archived'
  );
  await expect(row(panel, 1).locator('.jp-IV-guidance')).toHaveAttribute(
    'data-guidance',
    'TO_BE_ARCHIVED'
  );
  await expect(row(panel, 5).locator('.jp-IV-meta')).toHaveText(
    'PyTorch 2.3 · Python 3.11 · GPU · Training'
  );

  const failed = row(panel, 3);
  await expect(failed.locator('.jp-IV-status')).toHaveText('Create failed');
  await expect(failed.locator('.jp-IV-status')).toHaveAttribute(
    'title',
    'CREATE_FAILED'
  );
  await expect(failed.locator('.jp-IV-failure')).toContainText('2.4-gpu');

  // Created: relative, the exact time on hover; base image with a copy button.
  await expect(row(panel, 5).locator('time.jp-IV-time')).toHaveAttribute(
    'title',
    /\d{4}/
  );
  await expect(row(panel, 5).locator('.jp-IV-baseImage')).toHaveText(
    'ml-platform/pytorch:2.3-gpu'
  );
  await expect(row(panel, 5).locator('.jp-IV-copy')).toBeVisible();

  // The timeline: oldest left, newest right, aliases marked.
  const ticks = panel.locator('.jp-IV-tick');
  await expect(ticks).toHaveCount(5);
  await expect(ticks.last()).toHaveAttribute('data-version', '5');
  await expect(ticks.last().locator('.jp-IV-tickAlias')).toHaveText([
    '2.3.0',
    'latest'
  ]);
  await expect(panel.locator('.jp-IV-tick[data-version="3"]')).toHaveClass(
    /jp-IV-tick-failed/
  );

  // Search filters the image list.
  await panel.locator('.jp-IV-search input').fill('no-such-image');
  await expect(panel.locator('.jp-IV-image')).toHaveCount(0);
  await panel.locator('.jp-IV-search input').fill('PyTorch');
  await expect(panel.locator('.jp-IV-image')).toHaveCount(1);
  await panel.locator('.jp-IV-search input').fill('');

  // Screenshots for the docs, light then dark.
  await page.sidebar.setWidth(460, 'left');
  await expect(panel.locator('.jp-IV-spinner')).toHaveCount(0);
  await panel.screenshot({ path: shotPath('sidebar-light.png') });
  await page.theme.setDarkTheme();
  await expect(panel.locator('.jp-IV-row').first()).toBeVisible();
  await panel.screenshot({ path: shotPath('sidebar-dark.png') });
  await page.theme.setLightTheme();
});

test('the diff view highlights what changed', async ({ page }) => {
  const panel = await openPanel(page);
  await row(panel, 4).locator('.jp-IV-select').check();
  await row(panel, 5).locator('.jp-IV-select').check();
  await panel.locator('.jp-IV-compareButton').click();
  const diff = panel.locator('.jp-IV-diff');
  await expect(diff).toBeVisible();
  const field = (name: string) => diff.locator(`tbody[data-field="${name}"]`);
  await expect(field('processor')).toHaveClass(/jp-IV-diff-changed/);
  await expect(field('processor').locator('td')).toHaveText(['CPU', 'GPU']);
  await expect(field('aliases')).toHaveAttribute('data-changed', 'true');
  await expect(field('base_image')).toHaveAttribute('data-changed', 'true');
  for (const same of [
    'ml_framework',
    'programming_lang',
    'job_type',
    'vendor_guidance'
  ]) {
    await expect(field(same)).toHaveAttribute('data-changed', 'false');
  }
  await expect(field('ml_framework').locator('td')).toHaveText([
    'PyTorch 2.3',
    'PyTorch 2.3'
  ]);
  await page.sidebar.setWidth(460, 'left');
  await diff.screenshot({ path: shotPath('sidebar-diff.png') });
});

test('a bad ML framework shows the field message and sends nothing', async ({
  page
}) => {
  const panel = await openPanel(page);
  await panel.locator('.jp-IV-registerButton').click();
  const form = panel.locator('form.jp-IV-register');
  await form
    .locator('input[name="base_image"]')
    .fill(
      '000000000000.dkr.ecr.us-east-1.amazonaws.com/ml-platform/pytorch:2.3-gpu'
    );
  await form.locator('input[name="ml_framework"]').fill('pytorch');
  const writes = watchWrites(page);
  await form.locator('button[type="submit"]').click();
  const message = form.locator(
    '.jp-IV-fieldMessage[data-field="ml_framework"]'
  );
  await expect(message).toBeVisible();
  await expect(message).toContainText("ML framework 'pytorch' must look like");
  await page.waitForTimeout(500);
  expect(writes).toHaveLength(0);

  // A problem only the server knows (the ECR URI form) comes back inline, per field.
  await form.locator('input[name="ml_framework"]').fill('PyTorch 2.3');
  await form
    .locator('input[name="base_image"]')
    .fill('docker.io/library/python:3.11');
  await form.locator('button[type="submit"]').click();
  const server = form.locator('.jp-IV-fieldMessage[data-field="base_image"]');
  await expect(server).toContainText('must be an ECR image URI');
  expect(writes.map(r => r.method())).toEqual(['POST']);
});

test('registers a version through the form and sees it reach CREATED', async ({
  page
}) => {
  const panel = await openPanel(page);
  await panel.locator('.jp-IV-registerButton').click();
  const form = panel.locator('form.jp-IV-register');
  await form.locator('.jp-IV-pickEcr').click();
  await form.locator('.jp-IV-ecrImages li[data-tag="2.3-gpu"] button').click();
  await expect(form.locator('input[name="base_image"]')).toHaveValue(
    /\/ml-platform\/pytorch:2\.3-gpu$/
  );
  await form.locator('input[name="aliases"]').fill('2.3.1');
  await form.locator('input[name="ml_framework"]').fill('PyTorch 2.3');
  await form.locator('input[name="programming_lang"]').fill('Python 3.11');
  await form.locator('select[name="processor"]').selectOption('GPU');
  await form.locator('select[name="job_type"]').selectOption('TRAINING');
  await form
    .locator('textarea[name="release_notes"]')
    .fill('Rebuilt with cuDNN 9.');
  await form.locator('select[name="vendor_guidance"]').selectOption('STABLE');
  await form.locator('button[type="submit"]').click();

  const live = panel.locator('.jp-IV-liveStatus');
  await expect(live).toHaveAttribute('data-version', '6');
  await expect(live).toHaveAttribute('data-status', 'CREATED');
  await panel
    .locator('.jp-IV-register button', { hasText: 'Back to history' })
    .click();
  await expect(row(panel, 6).locator('.jp-IV-status')).toHaveText('Created');
  await expect(row(panel, 6).locator('.jp-IV-alias')).toHaveText(['2.3.1×']);
});

test('release notes are shown as text, never run as HTML', async ({ page }) => {
  const panel = await openPanel(page);
  await panel.locator('.jp-IV-registerButton').click();
  const form = panel.locator('form.jp-IV-register');
  await form
    .locator('input[name="base_image"]')
    .fill(
      '000000000000.dkr.ecr.us-east-1.amazonaws.com/ml-platform/pytorch:2.3-cpu'
    );
  await form.locator('textarea[name="release_notes"]').fill(XSS);
  await form.locator('button[type="submit"]').click();
  await expect(panel.locator('.jp-IV-liveStatus')).toHaveAttribute(
    'data-status',
    'CREATED'
  );
  await panel
    .locator('.jp-IV-register button', { hasText: 'Back to history' })
    .click();

  const notes = row(panel, 7).locator('.jp-IV-notes');
  await expect(notes).toHaveText(XSS);
  await expect(panel.locator('img[src="x"]')).toHaveCount(0);
  expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
});

test('moves an alias to another version', async ({ page }) => {
  const panel = await openPanel(page);
  const target = await expand(panel, 4);
  await page.sidebar.setWidth(460, 'left');
  await target.screenshot({ path: shotPath('sidebar-actions.png') });
  const writes = watchWrites(page);
  await rowAction(page, target, 'Move alias here', 'latest (now v5)');
  await expect(row(panel, 4).locator('.jp-IV-alias')).toHaveText([
    '2.3.0-cpu×',
    'latest×'
  ]);
  await expect(row(panel, 5).locator('.jp-IV-alias')).toHaveText(['2.3.0×']);
  expect(writes.map(r => r.method())).toEqual(['PATCH']);
  expect(writes[0].postDataJSON()).toEqual({ move_aliases: ['latest'] });
});

test('adds an alias, and removes one from its tag', async ({ page }) => {
  const panel = await openPanel(page);
  const target = await expand(panel, 6);
  await target.locator('.jp-IV-addAlias input').fill('2.3.1-rc');
  await target.locator('.jp-IV-addAlias button').click();
  await expect(row(panel, 6).locator('.jp-IV-alias')).toHaveText([
    '2.3.1×',
    '2.3.1-rc×'
  ]);
  await row(panel, 6)
    .locator('.jp-IV-alias[data-alias="2.3.1-rc"] .jp-IV-alias-remove')
    .click();
  await expect(row(panel, 6).locator('.jp-IV-alias')).toHaveText(['2.3.1×']);

  // A bad alias is named under the field by the shared rule, before any request.
  const writes = watchWrites(page);
  await target.locator('.jp-IV-addAlias input').fill('-bad');
  await target.locator('.jp-IV-addAlias button').click();
  await expect(
    target.locator('.jp-IV-fieldMessage[data-field="alias"]')
  ).toContainText("Alias '-bad' must be letters, digits");
  expect(writes).toHaveLength(0);
  await expect(row(panel, 6).locator('.jp-IV-alias')).toHaveText(['2.3.1×']);
});

test('archives a version', async ({ page }) => {
  const panel = await openPanel(page);
  const target = await expand(panel, 2);
  await rowAction(page, target, 'Set guidance', 'Archived');
  await expect(row(panel, 2).locator('.jp-IV-guidance')).toHaveText('Archived');
  await expect(panel.locator('.jp-IV-tick[data-version="2"]')).toHaveClass(
    /jp-IV-guidance-ARCHIVED/
  );
  // It stays so after a refresh from the server.
  await panel.locator('.jp-IV-refresh').click();
  await expect(row(panel, 2).locator('.jp-IV-guidance')).toHaveText('Archived');
});

test('deletes a version only after confirming', async ({ page }) => {
  const panel = await openPanel(page);
  const writes = watchWrites(page);
  let target = row(panel, 1);
  await rowAction(page, target, 'Delete version…');
  const dialog = page.locator('.jp-Dialog');
  await expect(dialog).toContainText('Delete version 1?');
  await dialog.locator('button', { hasText: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  expect(writes).toHaveLength(0);
  await expect(row(panel, 1)).toBeVisible();

  target = row(panel, 1);
  const answered = page.waitForResponse(
    r =>
      r.url().includes(`${API}images/pytorch-training/versions/1`) &&
      r.request().method() === 'DELETE'
  );
  await rowAction(page, target, 'Delete version…');
  await page.locator('.jp-Dialog button', { hasText: 'Delete' }).click();
  // AWS deletes in the background: 202 with the version DELETING.
  const response = await answered;
  expect(response.status()).toBe(202);
  expect((await response.json()).status).toBe('DELETING');
  // Shown as deleting (greyed, a spinner, no actions) until the poll finds it gone.
  const deleting = row(panel, 1);
  await expect(deleting).toHaveClass(/jp-IV-deleting/);
  await expect(deleting).toHaveAttribute('data-status', 'DELETING');
  await expect(deleting.locator('.jp-IV-spinner')).toBeVisible();
  await expect(deleting.locator('.jp-IV-expand')).toBeDisabled();
  await expect(deleting.locator('.jp-IV-details')).toHaveCount(0);
  expect(
    await deleting.evaluate(el => Number(getComputedStyle(el).opacity))
  ).toBeLessThan(1);
  await expect(row(panel, 1)).toHaveCount(0);
  expect(writes.map(r => r.method())).toEqual(['DELETE']);
  await expect(panel.locator('.jp-IV-tick[data-version="1"]')).toHaveCount(0);
});

test('loads the history a page at a time', async ({ page }) => {
  // Five more versions through the API (two pages' worth with the six left by earlier tests).
  const base = `${API}images/pytorch-training/versions`;
  for (let n = 1; n <= 5; n++) {
    const response = await page.request.post(base, {
      data: {
        base_image:
          '000000000000.dkr.ecr.us-east-1.amazonaws.com/ml-platform/pytorch:2.3-cpu',
        release_notes: `Nightly build ${n}`
      }
    });
    expect(response.status()).toBe(202);
  }
  // The second page is held back until the first one has been checked: whether the
  // end-of-list observer or the Load more button asks for it first, it cannot arrive early.
  let release: () => void = () => undefined;
  const held = new Promise<void>(resolve => (release = resolve));
  const secondPage: string[] = [];
  await page.route(
    url =>
      url.pathname.endsWith('/images/pytorch-training/versions') &&
      url.searchParams.has('next'),
    async route => {
      secondPage.push(route.request().url());
      await held;
      await route.continue();
    }
  );
  const panel = await openPanel(page);
  const rows = panel.locator('.jp-IV-history .jp-IV-row');
  await expect(rows).toHaveCount(10);
  await expect(rows.first()).toHaveAttribute('data-version', '12');
  await expect(row(panel, 2)).toHaveCount(0);
  // The end of the list in view asks for the next page (still held, so it is still there).
  await panel.locator('.jp-IV-more').scrollIntoViewIfNeeded();
  await expect.poll(() => secondPage.length).toBeGreaterThanOrEqual(1);
  release();
  await expect(row(panel, 2)).toBeVisible();
  await expect(rows).toHaveCount(11);
  await expect(panel.locator('.jp-IV-more')).toHaveCount(0);
  // The new versions settle from CREATING to CREATED without a refresh.
  await expect(row(panel, 12).locator('.jp-IV-status')).toHaveText('Created');
});

test('exports the image as CloudFormation; a bad range is named', async ({
  page
}) => {
  const panel = await openPanel(page);
  await panel.locator('.jp-IV-exportButton').click();
  const view = panel.locator('.jp-IV-export');
  const code = view.locator('.jp-IV-exportCode');
  await expect(view.locator('select[name="format"]')).toHaveValue(
    'cloudformation-yaml'
  );
  await expect(code).toContainText('AWS::SageMaker::ImageVersion');
  // Each version depends on the one before: the chain recreates the numbering.
  await expect(code).toContainText('DependsOn: ImagePytorchTraining');
  await expect(code).toContainText('DependsOn: PytorchTrainingV4');
  await expect(view.locator('.jp-IV-exportFile')).toHaveAttribute(
    'title',
    'pytorch-training.template.yaml'
  );
  // Highlighted by CodeMirror: text in spans only, never parsed as HTML.
  await expect(code.locator('code span').first()).toBeVisible();
  expect(
    await code.evaluate(el =>
      [...el.querySelectorAll('*')].every(n =>
        ['CODE', 'SPAN'].includes(n.tagName)
      )
    )
  ).toBe(true);

  await view.locator('input[name="versions"]').fill('7-3');
  await expect(
    view.locator('.jp-IV-fieldMessage[data-field="versions"]')
  ).toContainText("'7-3' counts down");
  await expect(code).toHaveCount(0);

  await view.locator('input[name="versions"]').fill('4-5');
  await view.locator('select[name="format"]').selectOption('cdk-typescript');
  await expect(code).toContainText(
    'sagemaker.CfnImageVersion(this, "PytorchTrainingV5"'
  );
  await expect(code).toContainText('addDependency');
  await expect(code).not.toContainText('PytorchTrainingV2');
  await view
    .locator('select[name="format"]')
    .selectOption('cloudformation-yaml');
  await expect(code).toContainText('AWS::SageMaker::ImageVersion');
  await page.sidebar.setWidth(460, 'left');
  await panel.screenshot({ path: shotPath('sidebar-export.png') });

  const download = page.waitForEvent('download');
  await view.locator('.jp-IV-download').click();
  expect((await download).suggestedFilename()).toBe(
    'pytorch-training.template.yaml'
  );
  await view.locator('button', { hasText: 'Close' }).click();
  await expect(panel.locator('.jp-IV-history')).toBeVisible();
});

test('attaches version 5 to the demo Studio domain', async ({ page }) => {
  const domain = 'd-766c6464086d';
  const panel = await openPanel(page);
  const target = row(panel, 5);
  await rowAction(page, target, 'Attach to domain…');
  const form = target.locator('.jp-IV-attach');
  // The local backend has one domain (the demo's): it is offered.
  const domainId = form.locator('input[name="domain_id"]');
  await expect(domainId).toHaveValue(domain);

  // A malformed domain id comes back as the field's problem, inline.
  await domainId.fill('not a domain');
  await form.locator('.jp-IV-attachSubmit').click();
  await expect(
    form.locator('.jp-IV-fieldMessage[data-field="domain_id"]')
  ).toContainText('must match the pattern');

  await domainId.fill(domain);
  await expect(form.locator('.jp-IV-fieldMessage')).toHaveCount(0);
  await form.locator('select[name="app_type"]').selectOption('KernelGateway');
  await form.locator('input[name="kernel_name"]').fill('python3');
  await form.locator('input[name="display_name"]').fill('PyTorch 2.3 (v5)');
  await page.sidebar.setWidth(460, 'left');
  await form.screenshot({ path: shotPath('sidebar-attach.png') });
  const answer = page.waitForResponse(
    r => r.url().includes(`${API}studio/attach`) && r.status() === 200
  );
  await form.locator('.jp-IV-attachSubmit').click();
  await expect(
    page.locator('.jp-Notification-Toast-success', {
      hasText: `Attached pytorch-training v5 to domain ${domain}`
    })
  ).toBeVisible();
  await expect(form).toHaveCount(0);
  const attached = await (await answer).json();
  expect(attached.custom_images).toContainEqual({
    image_name: 'pytorch-training',
    version: 5,
    app_image_config: 'pytorch-training-kernelgateway-config'
  });

  // The server reads the domain back: detaching finds the entry (a 404 if it were missing).
  const detached = await page.request.post(`${API}studio/detach`, {
    data: {
      image_name: 'pytorch-training',
      domain_id: domain,
      app_type: 'KernelGateway'
    }
  });
  expect(detached.status()).toBe(200);
  expect((await detached.json()).custom_images).toEqual([]);
});

test('the main-area time axis draws deleted versions as gaps', async ({
  page
}) => {
  // v1 was deleted above; v6 goes now: gaps before v2 and between v5 and v7.
  const gone = await page.request.delete(
    `${API}images/pytorch-training/versions/6`
  );
  expect(gone.status()).toBe(202);
  await expect
    .poll(
      async () =>
        (
          await page.request.get(`${API}images/pytorch-training/versions/6`)
        ).status(),
      { timeout: 30000 }
    )
    .toBe(404);
  for (const theme of THEMES) {
    await setTheme(page, theme);
    const panel = await openPanel(page);
    await page.sidebar.setWidth(SIDEBAR_WIDTH, 'left');
    await panel.locator('.jp-IV-historyButton').click();
    const view = page.locator('.jp-IV-historyView');
    const axis = view.locator('.jp-IV-timeAxis');
    await expect(
      view.locator('.jp-IV-axisTick[data-version="7"]')
    ).toBeVisible();
    await expect(axis).toHaveAttribute('data-deleted', '1,6');
    const centre = async (selector: string) => {
      const box = await view.locator(selector).boundingBox();
      return box!.x + box!.width / 2;
    };
    const gap6 = await centre('.jp-IV-axisGap[data-version="6"] .jp-IV-gapDot');
    expect(gap6).toBeGreaterThan(
      await centre('.jp-IV-axisTick[data-version="5"] .jp-IV-dot')
    );
    expect(gap6).toBeLessThan(
      await centre('.jp-IV-axisTick[data-version="7"] .jp-IV-dot')
    );
    expect(
      await centre('.jp-IV-axisGap[data-version="1"] .jp-IV-gapDot')
    ).toBeLessThan(
      await centre('.jp-IV-axisTick[data-version="2"] .jp-IV-dot')
    );
    // Versions made at the same moment (the demo's, the API's five) do not hide each other:
    // left to right in number order, each dot clear of the one before.
    const dots = await view
      .locator('.jp-IV-axisTick, .jp-IV-axisGap')
      .evaluateAll(els =>
        els
          .map(el => {
            const dot = el.querySelector('.jp-IV-dot, .jp-IV-gapDot')!;
            const r = dot.getBoundingClientRect();
            return [Number(el.getAttribute('data-version')), r.left, r.right];
          })
          .sort((a, b) => a[0] - b[0])
      );
    for (let i = 1; i < dots.length; i++) {
      expect(
        dots[i][1],
        `v${dots[i][0]} clear of v${dots[i - 1][0]}`
      ).toBeGreaterThan(dots[i - 1][2]);
    }
    // Their labels (number and aliases) do not run into each other either.
    const labels = await view
      .locator('.jp-IV-axisTick, .jp-IV-axisGap')
      .evaluateAll(els =>
        els
          .map(el => {
            const r = el.getBoundingClientRect();
            return [Number(el.getAttribute('data-version')), r.left, r.right];
          })
          .sort((a, b) => a[1] - b[1])
      );
    for (let i = 1; i < labels.length; i++) {
      expect(
        labels[i][1],
        `labels of v${labels[i][0]} clear of v${labels[i - 1][0]}'s`
      ).toBeGreaterThanOrEqual(labels[i - 1][2]);
    }
    // Hollow and dashed, not a version's filled dot; named on hover.
    const dot = view.locator('.jp-IV-axisGap[data-version="6"] .jp-IV-gapDot');
    expect(await dot.evaluate(el => getComputedStyle(el).borderTopStyle)).toBe(
      'dashed'
    );
    await expect(
      view.locator('.jp-IV-axisGap[data-version="6"]')
    ).toHaveAttribute('title', 'v6 was deleted');
    await expectReadable(
      view.locator('.jp-IV-axisGap .jp-IV-axisLabel'),
      `gap labels (${theme})`
    );
    await axis.screenshot({ path: shotPath(`history-gaps-${theme}.png`) });
    await page
      .locator('.lm-TabBar-tab.lm-mod-current .lm-TabBar-tabCloseIcon')
      .first()
      .click();
  }
});
