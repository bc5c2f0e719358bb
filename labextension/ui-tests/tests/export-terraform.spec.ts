/**
 * The Terraform export in both themes at the default sidebar width: HCL highlighted by the
 * extension's HCL mode (keywords, attribute names and strings in different colours), only text in
 * spans, the import checkbox, and "Open in editor" as main.tf / main.tf.json.
 */
import { expect, galata, test } from '@jupyterlab/galata';

import {
  openPanel,
  setTheme,
  shotPath,
  SIDEBAR_WIDTH,
  THEMES
} from './helpers';

test.use({ autoGoto: true, mockSettings: galata.DEFAULT_SETTINGS });
test.describe.configure({ mode: 'serial' });

for (const theme of THEMES) {
  test(`Terraform export is highlighted (${theme})`, async ({ page }) => {
    const panel = await openPanel(page);
    await setTheme(page, theme);
    await page.sidebar.setWidth(SIDEBAR_WIDTH, 'left');
    await panel.locator('.jp-IV-exportButton').click();
    const view = panel.locator('.jp-IV-export');
    await view.locator('#jp-IV-export-format').selectOption('terraform');
    const code = view.locator('.jp-IV-exportCode[data-format="terraform"]');
    await expect(code).toContainText('resource "aws_sagemaker_image_version"');
    await expect(code).toContainText('id = "pytorch-training,5"');
    await expect(view.locator('.jp-IV-exportFile')).toHaveAttribute(
      'title',
      'main.tf'
    );

    // Highlighted: `resource` a keyword, `base_image` an attribute name, the strings: three
    // colours at least, and nothing but spans (the content is never parsed as HTML).
    const colourOf = (text: string) =>
      code
        .locator('code span', { hasText: new RegExp(`^${text}$`) })
        .first()
        .evaluate(el => getComputedStyle(el).color);
    const keyword = await colourOf('resource');
    const attribute = await colourOf('base_image');
    const label = await colourOf('"aws_sagemaker_image"');
    expect(new Set([keyword, attribute, label]).size).toBe(3);
    await expect(code.locator(':not(code):not(span)')).toHaveCount(0);
    expect(
      await code.evaluate(el => el.scrollWidth - el.clientWidth)
    ).toBeLessThanOrEqual(0);
    // The screenshot shows the image and its first version's resource.
    await code
      .locator('code span', { hasText: /^resource$/ })
      .first()
      .evaluate(el => el.scrollIntoView({ block: 'start' }));
    await panel.screenshot({
      path: shotPath(`sidebar-terraform-${theme}.png`)
    });

    // Without import blocks, then the JSON syntax: the checkbox only for Terraform.
    const imports = view.locator('input[name="import"]');
    await imports.uncheck();
    await expect(code).not.toContainText('import {');
    await imports.check();
    await expect(code).toContainText('import {');

    const json = theme === 'dark';
    if (json) {
      await view.locator('#jp-IV-export-format').selectOption('terraform-json');
      await expect(view.locator('.jp-IV-exportFile')).toHaveAttribute(
        'title',
        'main.tf.json'
      );
    }
    await view.locator('.jp-IV-openEditor').click();
    const tab = page.locator('.lm-DockPanel-tabBar .lm-TabBar-tab', {
      hasText: json ? 'main.tf.json' : /^main\.tf$/
    });
    await expect(tab.first()).toBeVisible();
    const editor = page.locator('.jp-FileEditor .cm-content').last();
    await expect(editor).toContainText('aws_sagemaker_image_version');
    // The editor tab uses the same language (HCL by .tf, JSON by .json): highlighted spans.
    await expect
      .poll(() => editor.locator('span[class]').count())
      .toBeGreaterThan(5);
    await view.locator('#jp-IV-export-format').selectOption('cdk-python');
    await expect(imports).toHaveCount(0);
  });
}
