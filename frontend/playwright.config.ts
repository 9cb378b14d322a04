import { defineConfig } from '@playwright/test'

const PORT = Number(process.env.XUEFA_E2E_PORT ?? 8011)
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

// Browser tests against the real Django server on a throwaway SQLite database (e2e/harness.py), with
// Debian's chromium: nothing is downloaded.
export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results/artifacts',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
  },
  webServer: {
    command: `mkdir -p test-results && ../.venv/bin/python e2e/harness.py setup > test-results/fixtures.json && exec ../.venv/bin/python e2e/harness.py serve ${PORT}`,
    url: `http://127.0.0.1:${PORT}/api/v1/site-settings`,
    reuseExistingServer: false,
    timeout: 300_000, // setup loads the shipped banks and law texts: about 100 s on a loaded 2-core machine
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      XUEFA_E2E_DB: `/tmp/xuefa-e2e-${PORT}.sqlite3`,
      // production settings (no debug), which refuse to start without a secret key: a throwaway one for tests
      DJANGO_DEBUG: '0',
      DJANGO_SECRET_KEY: process.env.DJANGO_SECRET_KEY ?? 'e2e-tests-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
      LOG_LEVEL: 'WARNING',
    },
  },
})
