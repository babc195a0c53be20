// Real VS Code for the e2e tests: code-server 4.100.3 with the packaged extension (.vsix of the
// current dist/), shown in Debian's Chromium driven by playwright-core. The same start-up as
// code-server.test.ts, as a function: `startVSCode()` → a page with the workspace open, `stop()`.
// Also the squiggle reader: Monaco's decorations placed on their lines by the line numbers.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ARTIFACTS, CACHE, DIST, INSTALL_HINT, ROOT, execFileP, freePort, poll } from './helpers';

export const CODE_SERVER =
  process.env.SLIMDOCK_CODE_SERVER ?? path.join(CACHE, 'code-server-4.100.3', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.SLIMDOCK_CHROMIUM ?? '/usr/bin/chromium';
/** Headless on a closed network, as root: no sandbox, no background connections. */
export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Generous: the first start of the extension host on a loaded machine takes a while. */
export const UI_TIMEOUT = 60_000;

/** What a person would turn off before a demo: nothing may cover the editor or steal focus. */
export const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.commandCenter.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'editor.hover.delay': 200,
  'editor.minimap.enabled': false,
  'files.autoSave': 'off',
};

export interface VSCode {
  page: Page;
  /** Closes the browser, ends code-server's process group, removes its temp folder; keeps the log. */
  stop(logName: string): Promise<void>;
}

/** Packages dist/ as a .vsix, installs it into a fresh code-server profile and opens `workspace` in Chromium. */
export async function startVSCode(workspace: string): Promise<VSCode> {
  const missing = [
    [CODE_SERVER, 'code-server 4.100.3'],
    [CHROMIUM, 'Chromium'],
  ].filter(([file]) => !fs.existsSync(file));
  if (missing.length) throw new Error(`${missing.map(([f, what]) => `${what} (${f})`).join(' and ')} not installed: ${INSTALL_HINT}`);
  for (const file of ['extension.js', 'server.js', 'cli.js']) {
    if (!fs.existsSync(path.join(DIST, file))) throw new Error(`dist/${file} is missing: run \`npm run build\` first`);
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slimdock-vscode-'));
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  let log = '';

  const stop = async (logName: string) => {
    await browser?.close().catch(() => undefined);
    if (server?.pid && server.exitCode === null && server.signalCode === null) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      await poll('code-server to exit', () => server!.exitCode !== null || server!.signalCode !== null, 10_000).catch(() => {
        try {
          process.kill(-server!.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      });
    }
    if (log) fs.writeFileSync(path.join(ARTIFACTS, logName), log);
    fs.rmSync(tmp, { recursive: true, force: true });
  };

  try {
    const vsix = path.join(tmp, 'slimdock.vsix');
    await execFileP(path.join(ROOT, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix], { cwd: ROOT });
    const userData = path.join(tmp, 'user-data');
    const extensions = path.join(tmp, 'extensions');
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
    const install = await execFileP(process.execPath, [CODE_SERVER, '--install-extension', vsix, '--extensions-dir', extensions, '--user-data-dir', userData]);
    assert.match(install.stdout, /was successfully installed/, `code-server did not install the .vsix:\n${install.stdout}${install.stderr}`);

    const port = await freePort();
    // Its own process group, so that stop() ends code-server with everything it started.
    server = spawn(
      process.execPath,
      [CODE_SERVER, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-workspace-trust',
        '--disable-update-check', '--disable-getting-started-override', '--user-data-dir', userData, '--extensions-dir', extensions],
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    server.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const url = `http://127.0.0.1:${port}/`;
    await poll('code-server to answer', async () => {
      if (server!.exitCode !== null) throw new Error(`code-server exited (${server!.exitCode}):\n${log}`);
      return (await fetch(url)).ok;
    }, UI_TIMEOUT);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_FLAGS,
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${url}?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: UI_TIMEOUT });
    // The explorer lists the workspace once the remote file system answers.
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: UI_TIMEOUT });
    return { page, stop };
  } catch (e) {
    await stop('code-server-start.log');
    throw e;
  }
}

/** Opens a workspace file with Quick Open (Ctrl+P) and waits until its editor shows `shows`. */
export async function quickOpen(page: Page, name: string, shows: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: UI_TIMEOUT });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: UI_TIMEOUT });
  await page.keyboard.press('Enter');
  await page.locator('.editor-instance .view-lines', { hasText: shows }).first().waitFor({ timeout: UI_TIMEOUT });
}

/** Runs a command from the palette (F1) once the filtered list has it focused. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const palette = page.locator('.quick-input-widget input');
  await palette.waitFor({ timeout: UI_TIMEOUT });
  await palette.fill(`>${title}`);
  const focused = page.locator('.quick-input-list .monaco-list-row.focused').first();
  let seen = '';
  await poll(`"${title}" focused in the palette`, async () => {
    // The row's label is its first line; a keybinding or "recently used" may follow it.
    seen = (await focused.innerText().catch(() => '')) ?? '';
    return seen.split('\n')[0].trim() === title;
  }, UI_TIMEOUT).catch((e: Error) => {
    throw new Error(`${e.message}; focused: ${JSON.stringify(seen)}`);
  });
  await page.keyboard.press('Enter');
  await palette.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
}

/** Monaco's decoration class for each severity. */
const SQUIGGLE: Record<string, string> = { error: 'squiggly-error', warning: 'squiggly-warning', info: 'squiggly-info', hint: 'squiggly-hint' };

export interface Squiggle {
  severity: string;
  line: number;
  x: number;
  y: number;
}

/** The squiggles in the first visible editor, each placed on its line by the line number beside it. */
export async function squiggles(page: Page): Promise<Squiggle[]> {
  const editor = page.locator('.editor-instance .monaco-editor').first();
  const numbers = await editor.locator('.margin-view-overlays .line-numbers').evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return { line: Number(el.textContent), top: r.top, bottom: r.bottom };
    }),
  );
  const found: Squiggle[] = [];
  for (const [severity, cls] of Object.entries(SQUIGGLE)) {
    const boxes = await editor.locator(`.view-overlays .${cls}`).evaluateAll((els) =>
      els.map((el) => {
        const r = el.getBoundingClientRect();
        return { left: r.left, width: r.width, y: r.top + r.height / 2 };
      }),
    );
    for (const b of boxes) {
      const row = numbers.find((n) => b.y >= n.top && b.y < n.bottom);
      if (row) found.push({ severity, line: row.line, x: b.left + Math.min(b.width / 2, 20), y: b.y });
    }
  }
  return found;
}

/** `severity@line`, sorted and de-duplicated (one line may carry several findings of one severity). */
export function squiggleKeys(items: { severity: string; line: number }[]): string[] {
  return [...new Set(items.map((s) => `${s.severity}@${s.line}`))].sort();
}
