// The one Chromium every test and the bench run in: Debian's (Playwright cannot download
// browsers here: TOOLCHAIN.md), quiet flags for a shared machine. CHROMIUM_PATH overrides it.
export const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const args = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
