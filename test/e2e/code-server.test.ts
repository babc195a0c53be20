// The extension in real VS Code: code-server 4.100.3 (VS Code 1.100.3, installed offline by
// scripts/install-code-server.sh) serves the workbench, Debian's Chromium shows it, playwright-core
// drives it as a person would (Quick Open, hover, Problems panel, typing). The expected findings
// come from the bundled CLI on the same text. Every wait polls with a timeout; each step leaves a
// screenshot in test-artifacts/e2e/. Builds nothing: it packages the existing dist/ into a .vsix.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { ruleById } from '../../server/src/engine';
import { ARTIFACTS, DIST, cliFindings, copyFixture, execFileP, poll, recordTimings, type CliFinding } from './helpers';

import { UI_TIMEOUT, squiggleKeys, squiggles, startVSCode, type VSCode } from './vscode';

describe('e2e: VS Code (code-server) with the packaged extension', function () {
  this.timeout(240_000);
  let workspace = '';
  let vscode: VSCode | undefined;
  let page: Page;
  let expected: CliFinding[] = [];
  let step = 0;

  async function screenshot(name: string): Promise<void> {
    step++;
    await page.screenshot({ path: path.join(ARTIFACTS, `${String(step).padStart(2, '0')}-${name}.png`) });
  }

  before(async function () {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    for (const old of fs.readdirSync(ARTIFACTS)) if (/^\d\d-.*\.png$/.test(old)) fs.rmSync(path.join(ARTIFACTS, old));
    workspace = copyFixture('slimdock-vscode-ws-');
    expected = await cliFindings(path.join(workspace, 'Dockerfile'));
    // The extension exactly as users get it: a .vsix of the current dist/, in a fresh profile.
    vscode = await startVSCode(workspace);
    page = vscode.page;
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'Dockerfile' }).first().waitFor({ timeout: UI_TIMEOUT });
    await screenshot('workbench');
  });

  after(async () => {
    // Even on failure: close the browser, end code-server's whole process group, drop the temp dirs.
    await vscode?.stop('code-server.log');
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('shows squiggles on the lines the CLI reports, after opening the Dockerfile with Quick Open', async () => {
    assert.ok(expected.length >= 3, `the fixture should have several findings, the CLI found ${expected.length}`);
    await page.keyboard.press('Control+P');
    const quickInput = page.locator('.quick-input-widget input');
    await quickInput.waitFor({ timeout: UI_TIMEOUT });
    await quickInput.fill('Dockerfile');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Dockerfile' }).first().waitFor({ timeout: UI_TIMEOUT });
    const opened = Date.now();
    await page.keyboard.press('Enter');
    await page.locator('.editor-instance .view-lines', { hasText: 'FROM python:3.12' }).waitFor({ timeout: UI_TIMEOUT });

    await poll('a first slimdock squiggle', async () => (await squiggles(page)).length > 0, UI_TIMEOUT, 20);
    const firstSquiggleMs = Date.now() - opened;
    console.log(`      time from opening the Dockerfile to the first squiggle: ${firstSquiggleMs} ms`);
    recordTimings({ firstSquiggleMs });

    // Hints too: Monaco draws them as three grey dots (.squiggly-hint), like any other decoration.
    const want = squiggleKeys(expected);
    // Diagnostics can arrive in more than one publish: wait for the full set, then compare exactly.
    await poll(`squiggles ${want.join(' ')}`, async () => squiggleKeys(await squiggles(page)).join() === want.join(), UI_TIMEOUT).catch(async (e: Error) => {
      await screenshot('squiggles-mismatch');
      throw new Error(`${e.message}; shown: ${squiggleKeys(await squiggles(page)).join(' ')}`);
    });
    await screenshot('dockerfile-squiggles');
  });

  it('shows the rule, its text and the estimate when hovering a squiggle', async () => {
    const pipLine = expected.find((f) => f.rule === 'SD101')?.line;
    assert.ok(pipLine, 'the CLI reports SD101 on the fixture');
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'SD101' }).first();
    // The layout can still move after the squiggles are drawn (the Optimize CodeLens above the FROM
    // line, inlay hints): measure the squiggle again before each attempt, and come to it from
    // outside the editor so that Monaco sees a fresh mouse move.
    await poll(`a hover with SD101 over the warning squiggle on line ${pipLine}`, async () => {
      const target = (await squiggles(page)).find((s) => s.severity === 'warning' && s.line === pipLine);
      if (!target) return false;
      await page.mouse.move(1, 1);
      await page.mouse.move(target.x, target.y, { steps: 4 });
      return hover.waitFor({ timeout: 3_000 }).then(() => true, () => false);
    }, UI_TIMEOUT, 0).catch(async (e: Error) => {
      await screenshot('hover-missing');
      throw e;
    });
    // Markers render asynchronously inside the hover: poll its text until everything is in.
    const title = ruleById('SD101')!.title;
    const text = await poll('the hover to show the rule title and an estimate', async () => {
      const t = await hover.innerText();
      return t.includes(title) && t.includes('≈') ? t : undefined;
    }, UI_TIMEOUT).catch(async (e: Error) => {
      await screenshot('hover-mismatch');
      throw new Error(`${e.message}; hover: ${await hover.innerText().catch(() => '?')}`);
    });
    assert.match(text, /pip keeps its download cache/);
    await screenshot('hover');
    await page.keyboard.press('Escape');
  });

  it('lists every finding with its rule id in the Problems panel', async () => {
    await page.keyboard.press('Control+Shift+M');
    const rows = page.locator('.markers-panel .monaco-list-row');
    await rows.first().waitFor({ timeout: UI_TIMEOUT });
    // The Problems panel leaves hints out, as VS Code always does.
    const want = [...new Set(expected.filter((f) => f.severity !== 'hint').map((f) => f.rule))].sort();
    const shown = await poll(`the Problems panel to list ${want.join(' ')}`, async () => {
      const text = (await rows.allInnerTexts()).join('\n');
      const ids = [...new Set(text.match(/\bSD\d{3}\b/g) ?? [])].sort();
      return ids.join() === want.join() ? text : undefined;
    }, UI_TIMEOUT).catch(async (e: Error) => {
      await screenshot('problems-mismatch');
      throw new Error(`${e.message}; shown:\n${(await rows.allInnerTexts()).join('\n')}`);
    });
    assert.match(shown, /slimdock/);
    await screenshot('problems');
  });

  it('shows the finding count and the savable MB in the language status item', async () => {
    // The `{}` entry next to the language mode opens the language status hover with slimdock's item.
    await page.locator('.editor-instance .view-lines').first().click();
    const entry = page.locator('[id="status.languageStatus"]');
    await entry.waitFor({ timeout: UI_TIMEOUT });
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'slimdock' }).first();
    await poll('the language status hover', async () => {
      await page.mouse.move(1, 1);
      await entry.hover();
      return hover.waitFor({ timeout: 3_000 }).then(() => true, () => false);
    }, UI_TIMEOUT, 0);
    const text = await poll('the status item to show the count', async () => {
      const t = await hover.innerText();
      return /slimdock: \d+ findings?/.test(t) ? t : undefined;
    }, UI_TIMEOUT).catch(async (e: Error) => {
      await screenshot('status-mismatch');
      throw new Error(`${e.message}; hover: ${await hover.innerText().catch(() => '?')}`);
    });
    const count = Number(/slimdock: (\d+) findings?/.exec(text)![1]);
    assert.equal(count, expected.length, `the status item counts every slimdock finding of the file: ${text}`);
    assert.match(text, /≈ [\d.]+ [MG]B savable/);
    await screenshot('status');
    await page.keyboard.press('Escape');
  });

  it('removes the pip-cache squiggle once --no-cache-dir is typed', async () => {
    const pip = expected.find((f) => f.rule === 'SD101');
    assert.ok(pip, 'the CLI reports SD101 on the fixture');
    const original = fs.readFileSync(path.join(workspace, 'Dockerfile'), 'utf8');
    const lines = original.split('\n');
    const column = lines[pip.line - 1].indexOf('pip install') + 'pip install'.length + 1; // 1-based, right after it
    assert.ok(column > 'pip install'.length, `line ${pip.line} contains "pip install"`);

    // What the CLI reports for the edited text is what the editor must show after the edit.
    const edited = copyFixture('slimdock-vscode-edited-');
    try {
      lines[pip.line - 1] = `${lines[pip.line - 1].slice(0, column - 1)} --no-cache-dir${lines[pip.line - 1].slice(column - 1)}`;
      fs.writeFileSync(path.join(edited, 'Dockerfile'), lines.join('\n'));
      const after = await cliFindings(path.join(edited, 'Dockerfile'));
      assert.ok(!after.some((f) => f.rule === 'SD101'), 'the CLI no longer reports SD101 after the edit');
      const want = squiggleKeys(after);

      // Go to Line/Column: Ctrl+G opens Quick Open with its `:` prefix, which takes `line:column`.
      await page.locator('.editor-instance .view-lines').first().click();
      await page.keyboard.press('Control+G');
      const goTo = page.locator('.quick-input-widget input');
      await goTo.waitFor({ timeout: UI_TIMEOUT });
      await goTo.fill(`:${pip.line}:${column}`);
      await page.keyboard.press('Enter');
      await goTo.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
      await page.keyboard.type(' --no-cache-dir');
      await page.locator('.editor-instance .view-lines', { hasText: 'pip install --no-cache-dir' }).waitFor({ timeout: UI_TIMEOUT });

      await poll(`squiggles ${want.join(' ')} after the edit`, async () => squiggleKeys(await squiggles(page)).join() === want.join(), UI_TIMEOUT).catch(async (e: Error) => {
        await screenshot('after-fix-mismatch');
        throw new Error(`${e.message}; shown: ${squiggleKeys(await squiggles(page)).join(' ')}`);
      });
      assert.ok(!(await squiggles(page)).some((s) => s.severity === 'warning' && s.line === pip.line), `no warning left on line ${pip.line}`);
      await screenshot('after-fix');
    } finally {
      fs.rmSync(edited, { recursive: true, force: true });
    }
  });


  it('applies the quick fix from the lightbulb (Ctrl+.) and the squiggle goes', async () => {
    // Save what the previous test typed, so the disk holds the editor's text.
    await page.locator('.editor-instance .view-lines').first().click();
    await page.keyboard.press('Control+S');
    const file = path.join(workspace, 'Dockerfile');
    await poll('the save', () => fs.readFileSync(file, 'utf8').includes('--no-cache-dir'), UI_TIMEOUT);
    const before = await cliFindings(file);
    const apt = before.find((f) => f.rule === 'SD201');
    assert.ok(apt, 'the CLI reports SD201 on the fixture');

    await page.keyboard.press('Control+G');
    const goTo = page.locator('.quick-input-widget input');
    await goTo.waitFor({ timeout: UI_TIMEOUT });
    await goTo.fill(`:${apt.line}:${apt.column + 2}`);
    await page.keyboard.press('Enter');
    await goTo.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
    await page.keyboard.press('Control+.');
    const item = page.locator('.action-widget .monaco-list-row', { hasText: 'Remove the apt lists in the same RUN' }).first();
    await item.waitFor({ timeout: UI_TIMEOUT }).catch(async (e: Error) => {
      await screenshot('lightbulb-mismatch');
      throw e;
    });
    await screenshot('lightbulb');
    // The menu is keyboard-driven (a pointer block covers it): move the focus to the fix, then Enter.
    const focused = page.locator('.action-widget .monaco-list-row.focused');
    for (let i = 0; i < 10 && !((await focused.getAttribute('aria-label').catch(() => '')) ?? '').includes('Remove the apt lists'); i++) await page.keyboard.press('ArrowDown');
    assert.match((await focused.getAttribute('aria-label')) ?? '', /Remove the apt lists in the same RUN/);
    await page.keyboard.press('Enter');
    await page.locator('.editor-instance .view-lines', { hasText: 'rm -rf /var/lib/apt/lists/*' }).waitFor({ timeout: UI_TIMEOUT });
    await page.keyboard.press('Control+S');
    await poll('the fixed text on disk', () => fs.readFileSync(file, 'utf8').includes('rm -rf /var/lib/apt/lists/*'), UI_TIMEOUT);
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text.split('\n')[apt.line - 1], /^RUN apt-get update && apt-get install -y build-essential libpq-dev && rm -rf \/var\/lib\/apt\/lists\/\*$/);
    const after = await cliFindings(file);
    assert.ok(!after.some((f) => f.rule === 'SD201'), 'the CLI no longer reports SD201');
    const want = squiggleKeys(after);
    await poll(`squiggles ${want.join(' ')} after the quick fix`, async () => squiggleKeys(await squiggles(page)).join() === want.join(), UI_TIMEOUT);
  });

  it('runs "slimdock: Fix All" from the command palette: the text equals `slimdock check --fix`', async () => {
    const file = path.join(workspace, 'Dockerfile');
    // The reference: the bundled CLI's --fix on a copy of the same files.
    const copy = copyFixture('slimdock-vscode-fixall-');
    try {
      fs.copyFileSync(file, path.join(copy, 'Dockerfile'));
      await execFileP(process.execPath, [path.join(DIST, 'cli.js'), 'check', '--fix', '--fail-on', 'none', path.join(copy, 'Dockerfile')], { cwd: copy });
      const expectedText = fs.readFileSync(path.join(copy, 'Dockerfile'), 'utf8');
      assert.notEqual(expectedText, fs.readFileSync(file, 'utf8'), 'there is something left to fix');

      // The server has caught up with the file as it is (its findings shown), so the fixes it hands
      // the command are for this text (a flake seen once in CI: the command ran and changed nothing).
      const before = squiggleKeys(await cliFindings(file));
      await poll(`squiggles ${before.join(' ')} before Fix All`, async () => squiggleKeys(await squiggles(page)).join() === before.join(), UI_TIMEOUT);
      const fixed = page.locator('.editor-instance .view-lines', { hasText: '--no-install-recommends' });
      // The command asks the server for the edits and applies them asynchronously: wait until the
      // editor shows one of them (running it again, up to three times in all, where it did not), then
      // save; save again while the disk differs (edits that landed after a save leave the editor dirty).
      for (let attempt = 1; ; attempt++) {
        await page.keyboard.press('F1');
        const palette = page.locator('.quick-input-widget input');
        await palette.waitFor({ timeout: UI_TIMEOUT });
        await palette.fill('>slimdock: Fix All');
        // Enter only once the filtered list has settled with slimdock's command focused.
        await poll('"slimdock: Fix All" focused in the palette', async () => /slimdock: Fix All/.test((await page.locator('.quick-input-list .monaco-list-row.focused').first().innerText().catch(() => '')) ?? ''), UI_TIMEOUT);
        await screenshot('fix-all-palette');
        await page.keyboard.press('Enter');
        const landed = await fixed.waitFor({ timeout: attempt < 3 ? UI_TIMEOUT / 3 : UI_TIMEOUT }).then(() => true, () => false);
        if (landed) break;
        if (attempt >= 3) throw new Error('Fix All changed nothing in the editor after three runs of the command');
        await page.keyboard.press('Escape');
      }
      await screenshot('fix-all-ran');
      let saves = 0;
      const text = await poll('the fixed file on disk', async () => {
        const t = fs.readFileSync(file, 'utf8');
        if (t === expectedText) return t;
        if (saves++ % 10 === 0) await page.keyboard.press('Control+S');
        return undefined;
      }, UI_TIMEOUT).catch((e: Error) => {
        throw new Error(`${e.message}\n--- editor (saved)\n${fs.readFileSync(file, 'utf8')}\n--- check --fix\n${expectedText}`);
      });
      assert.match(text, /--no-install-recommends/);
      const after = await cliFindings(file);
      const want = squiggleKeys(after);
      await poll(`squiggles ${want.join(' ')} after Fix All`, async () => squiggleKeys(await squiggles(page)).join() === want.join(), UI_TIMEOUT);
      await screenshot('after-fix-all');
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('colours the shell inside a continued RUN and a heredoc (slimdock\'s injection grammar)', async () => {
    await page.keyboard.press('Control+P');
    const quickInput = page.locator('.quick-input-widget input');
    await quickInput.waitFor({ timeout: UI_TIMEOUT });
    await quickInput.fill('highlight.Dockerfile');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'highlight.Dockerfile' }).first().waitFor({ timeout: UI_TIMEOUT });
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-instance .view-lines', { hasText: 'pip install --no-cache-dir' });
    await editor.waitFor({ timeout: UI_TIMEOUT });
    /** The distinct token colour classes (Monaco's mtkN) on the rendered line holding `text`. */
    const classesOn = async (text: string) =>
      page.evaluate((t) => {
        // Runs in the page: the DOM types are not in this project's lib, so describe the little used.
        type El = { textContent: string | null; className: string; querySelectorAll(s: string): Iterable<El> };
        const doc = (globalThis as unknown as { document: El }).document;
        const line = [...doc.querySelectorAll('.editor-instance .view-line')].find((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ').includes(t));
        return line ? [...new Set([...line.querySelectorAll('span[class*="mtk"]')].map((s) => s.className))] : [];
      }, text);
    // Without the injection the built-in grammar paints a RUN body in one colour.
    const continued = await poll('tokenized continuation line', async () => {
      const c = await classesOn('&& apt-get install -y --no-install-recommends curl');
      return c.length >= 3 ? c : undefined;
    }, UI_TIMEOUT);
    const heredoc = await poll('tokenized heredoc line', async () => {
      const c = await classesOn('pip install --no-cache-dir "flask==3.0.3"');
      return c.length >= 2 ? c : undefined;
    }, UI_TIMEOUT);
    assert.ok(continued.length >= 3 && heredoc.length >= 2, `colours: continuation ${continued.join(' ')}; heredoc ${heredoc.join(' ')}`);
    await screenshot('highlighting');
  });
});
