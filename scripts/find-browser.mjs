#!/usr/bin/env node
// Finds a Chromium or Chrome to run the browser tests in: CHROME_PATH first,
// then the usual install paths. Run directly, it prints the path, or one line
// saying what to install and exits 1.
import { accessSync, constants } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

export const MISSING_BROWSER =
  'No Chromium or Chrome found: install one (Debian/Ubuntu: apt-get install -y chromium) or set CHROME_PATH.';

/** @returns {string | undefined} */
export function findBrowser() {
  const paths = process.env.CHROME_PATH ? [process.env.CHROME_PATH] : CANDIDATES;
  return paths.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Flags that keep headless Chromium quiet and working as root on a closed network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = findBrowser();
  if (!path) {
    console.error(MISSING_BROWSER);
    process.exit(1);
  }
  console.log(path);
}
