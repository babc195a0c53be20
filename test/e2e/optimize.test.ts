// "slimdock: Optimize Dockerfile" in real VS Code (code-server + Chromium, the packaged .vsix):
// the CodeLens on the first FROM, the command from the palette (F1), the diff of the proposed file
// (screenshot: test-artifacts/e2e/optimize-diff.png), Apply from the diff's title bar, and the
// saved result compared with `slimdock optimize` of the same files; what stays squiggled is no
// warning or error. Every wait polls with a timeout.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, DIST, cliFindings, copyFixture, execFileP, poll } from './helpers';
import { UI_TIMEOUT, quickOpen, runCommand, squiggleKeys, squiggles, startVSCode, type VSCode } from './vscode';

describe('e2e: Optimize Dockerfile in VS Code (code-server)', function () {
  this.timeout(300_000);
  let vscode: VSCode | undefined;
  let page: Page;
  let workspace = '';
  let reference = '';
  /** `slimdock optimize` of the fixture: the new Dockerfile, and the .dockerignore --write makes. */
  let want = { dockerfile: '', dockerignore: '' };
  let original = '';

  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `optimize-${name}.png`) });

  before(async function () {
    workspace = copyFixture('slimdock-optimize-ws-');
    original = fs.readFileSync(path.join(workspace, 'Dockerfile'), 'utf8');
    assert.ok(!fs.existsSync(path.join(workspace, '.dockerignore')), 'the fixture has no .dockerignore: Optimize creates it');

    // The reference: the bundled CLI on a copy of the same files.
    reference = copyFixture('slimdock-optimize-cli-');
    const cli = path.join(DIST, 'cli.js');
    const printed = await execFileP(process.execPath, [cli, 'optimize', 'Dockerfile'], { cwd: reference });
    await execFileP(process.execPath, [cli, 'optimize', 'Dockerfile', '--write'], { cwd: reference });
    want = { dockerfile: printed.stdout, dockerignore: fs.readFileSync(path.join(reference, '.dockerignore'), 'utf8') };
    assert.notEqual(want.dockerfile, original, 'the CLI rewrites the fixture');
    assert.equal(fs.readFileSync(path.join(reference, 'Dockerfile'), 'utf8'), want.dockerfile, '--write writes what it prints');

    vscode = await startVSCode(workspace);
    page = vscode.page;
  });

  after(async () => {
    await vscode?.stop('code-server-optimize.log');
    for (const dir of [workspace, reference]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows the CodeLens with the estimate on the first FROM of the opened Dockerfile', async () => {
    await quickOpen(page, 'Dockerfile', 'FROM python:3.12');
    const lens = page.locator('.editor-instance .contentWidgets .codelens-decoration', { hasText: 'slimdock: Optimize Dockerfile' }).first();
    await lens.waitFor({ timeout: UI_TIMEOUT }).catch(async (e: Error) => {
      await shot('lens-missing');
      throw e;
    });
    assert.match(await lens.innerText(), /^slimdock: Optimize Dockerfile \(≈ [\d.]+ [kMG]B → ≈ [\d.]+ [kMG]B\)$/);
    // The lens sits above the FROM line (the fixture's first line is a comment).
    const from = original.split('\n').findIndex((l) => l.startsWith('FROM')) + 1;
    const fromLine = page.locator('.editor-instance .margin-view-overlays .line-numbers', { hasText: new RegExp(`^${from}$`) }).first();
    const [lensBox, lineBox] = [await lens.boundingBox(), await fromLine.boundingBox()];
    assert.ok(lensBox && lineBox && lensBox.y < lineBox.y && lineBox.y - lensBox.y < 2 * lineBox.height, `lens just above line ${from}`);
  });

  it('runs "slimdock: Optimize Dockerfile" from the palette and shows the proposed file as a diff', async () => {
    await page.locator('.editor-instance .view-lines').first().click();
    await runCommand(page, 'slimdock: Optimize Dockerfile');
    const diff = page.locator('.monaco-diff-editor').first();
    await diff.waitFor({ timeout: UI_TIMEOUT }).catch(async (e: Error) => {
      await shot('diff-missing');
      throw e;
    });
    // The right (modified) side holds the proposal; the left the file as it is.
    await diff.locator('.editor.modified .view-lines', { hasText: 'AS builder' }).waitFor({ timeout: UI_TIMEOUT });
    await diff.locator('.editor.original .view-lines', { hasText: 'pip install -r requirements.txt' }).waitFor({ timeout: UI_TIMEOUT });
    const tab = page.locator('.tabs-container .tab.active');
    assert.match(await tab.innerText(), /Dockerfile ↔ optimized \(≈ [\d.]+ [kMG]B → ≈ [\d.]+ [kMG]B\)/);
    await poll('the Apply notification', async () => (await page.locator('.notification-toast', { hasText: 'apply the optimized Dockerfile' }).count()) > 0, UI_TIMEOUT);
    assert.equal(await page.locator('.notification-toast .monaco-button', { hasText: /^Apply$/ }).count(), 1);
    assert.equal(await page.locator('.notification-toast .monaco-button', { hasText: /^Cancel$/ }).count(), 1);
    // The diff has settled (both sides rendered, changes marked) before the screenshot.
    await poll('the diff decorations', async () => (await diff.locator('.line-insert, .char-insert').count()) > 0, UI_TIMEOUT);
    await page.screenshot({ path: path.join(ARTIFACTS, 'optimize-diff.png') });
    assert.equal(fs.readFileSync(path.join(workspace, 'Dockerfile'), 'utf8'), original, 'nothing is written before Apply');
  });

  it('applies it from the diff\'s title bar: the saved files equal `slimdock optimize`, no warning or error remains', async () => {
    const apply = page.locator('.editor-actions .action-label[aria-label*="Apply Optimized Dockerfile"]').first();
    await apply.waitFor({ timeout: UI_TIMEOUT });
    await apply.click();
    // The diff closes and the Dockerfile shows the new text.
    await page.locator('.monaco-diff-editor').first().waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    await page.locator('.editor-instance .view-lines', { hasText: 'AS builder' }).first().waitFor({ timeout: UI_TIMEOUT });
    await poll('the report of the applied rewrite', async () => (await page.locator('.notification-toast', { hasText: 'Dockerfile optimized' }).count()) > 0, UI_TIMEOUT);
    assert.match(await page.locator('.notification-toast', { hasText: 'Dockerfile optimized' }).first().innerText(), /Estimated image size ≈ [\d.]+ [kMG]B → ≈ [\d.]+ [kMG]B/);

    // The Dockerfile and the new .dockerignore are edited, not saved: save both.
    await runCommand(page, 'File: Save All Files');
    const file = path.join(workspace, 'Dockerfile');
    await poll('the optimized Dockerfile on disk', () => fs.readFileSync(file, 'utf8') === want.dockerfile, UI_TIMEOUT).catch((e: Error) => {
      throw new Error(`${e.message}\n--- saved\n${fs.readFileSync(file, 'utf8')}\n--- slimdock optimize\n${want.dockerfile}`);
    });
    const ignore = path.join(workspace, '.dockerignore');
    // The new file's text may land after the first Save All (created, then filled): save again while waiting.
    let saved = Date.now();
    await poll('the .dockerignore on disk', async () => {
      if (fs.existsSync(ignore) && fs.readFileSync(ignore, 'utf8') === want.dockerignore) return true;
      if (Date.now() - saved > 3000) {
        saved = Date.now();
        await runCommand(page, 'File: Save All Files');
      }
      return false;
    }, UI_TIMEOUT).catch((e: Error) => {
      throw new Error(`${e.message}\n--- saved\n${fs.existsSync(ignore) ? fs.readFileSync(ignore, 'utf8') : '(missing)'}\n--- slimdock optimize --write\n${want.dockerignore}`);
    });

    // The editor shows the CLI's findings for the new file, and none is a warning or an error.
    await page.locator('.editor-instance .view-lines').first().click();
    const after = await cliFindings(file);
    assert.deepEqual(after.filter((f) => f.severity === 'warning' || f.severity === 'error'), [], 'the CLI finds no warning or error in the optimized file');
    const wantSquiggles = squiggleKeys(after);
    await poll(`squiggles ${wantSquiggles.join(' ') || '(none)'}`, async () => squiggleKeys(await squiggles(page)).join() === wantSquiggles.join(), UI_TIMEOUT).catch(async (e: Error) => {
      await shot('squiggles-mismatch');
      throw new Error(`${e.message}; shown: ${squiggleKeys(await squiggles(page)).join(' ')}`);
    });
    assert.ok(!(await squiggles(page)).some((s) => s.severity === 'warning' || s.severity === 'error'));
    await shot('applied');
    // Optimized already: the lens goes.
    await poll('the CodeLens to go', async () => (await page.locator('.codelens-decoration', { hasText: 'Optimize Dockerfile' }).count()) === 0, UI_TIMEOUT);
  });
});
