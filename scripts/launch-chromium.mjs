// Debian's Chromium (or the one CHROME_PATH names) under playwright-core, for the end-to-end
// tests and the benchmarks: never a browser of playwright's own.
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, MISSING_BROWSER, findBrowser } from './find-browser.mjs';

/** Launches Chromium headless; throws the one-line "install chromium" message when there is none. */
export function launchChromium() {
  const executablePath = findBrowser();
  if (!executablePath) throw new Error(MISSING_BROWSER);
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}
