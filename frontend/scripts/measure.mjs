// Measures the exam-taking route: (1) the JavaScript it loads, gzipped, from the build manifest and as
// transferred by the browser; (2) a cold first load over Chrome's "Fast 3G" profile to an interactive
// question, against the real server (e2e/harness.py on its own throwaway database).
// Budgets: JS ≤ 300 KB gzipped, first load ≤ 3 s. Exits 1 when over budget.
import { spawn, execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from '@playwright/test'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..')
const dist = join(root, 'dist')
const PORT = Number(process.env.XUEFA_MEASURE_PORT ?? 8019)
const BASE = `http://127.0.0.1:${PORT}`
const JS_BUDGET = 300 * 1024
const LOAD_BUDGET_MS = 3000
const RUNS = Number(process.env.XUEFA_MEASURE_RUNS ?? 5)
// Chrome DevTools' "Fast 3G" preset
const FAST_3G = { offline: false, latency: 150 * 3.75, downloadThroughput: (1.6 * 1000 * 1000) / 8 * 0.9, uploadThroughput: (750 * 1000) / 8 * 0.9 }
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

// --- 1. what the exam route's JavaScript weighs, from the build ---------------------------------------
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'))
function closure(key, seen = new Set()) {
  const entry = manifest[key]
  if (!entry || seen.has(key)) return seen
  seen.add(key)
  for (const dep of entry.imports ?? []) closure(dep, seen)
  return seen
}
const routeKeys = new Set([...closure('index.html'), ...closure('src/features/exam/ExamTakePage.vue')])
const jsFiles = [...routeKeys].map((k) => manifest[k].file).filter((f) => f.endsWith('.js'))
const cssFiles = [...new Set([...routeKeys].flatMap((k) => manifest[k].css ?? []).concat(Object.values(manifest).filter((e) => e.file.endsWith('.css')).map((e) => e.file)))]
const gz = (f) => gzipSync(readFileSync(join(dist, f)), { level: 9 }).length
const jsRaw = jsFiles.reduce((n, f) => n + readFileSync(join(dist, f)).length, 0)
const jsGzip = jsFiles.reduce((n, f) => n + gz(f), 0)
const cssGzip = cssFiles.reduce((n, f) => n + gz(f), 0)
const kb = (n) => `${(n / 1024).toFixed(1)} KB`
console.log(`Exam route JavaScript: ${jsFiles.length} files, ${kb(jsRaw)} raw, ${kb(jsGzip)} gzipped (budget ${kb(JS_BUDGET)}); CSS ${kb(cssGzip)} gzipped`)

// --- 2. first load over Fast 3G -----------------------------------------------------------------------
const python = join(root, '..', '.venv', 'bin', 'python')
const env = { ...process.env, XUEFA_E2E_DB: `/tmp/xuefa-measure-${PORT}.sqlite3`, DJANGO_DEBUG: '0' }
const fixtures = JSON.parse(execFileSync(python, [join(root, 'e2e', 'harness.py'), 'setup'], { env, encoding: 'utf8' }))
const server = spawn(python, [join(root, 'e2e', 'harness.py'), 'serve', String(PORT)], { env, stdio: 'ignore' })
const results = []
// Runs in every document the measuring page opens: as soon as a question's input exists and its first option
// has a box, the time of the next frame (when it is painted) is kept in window.__xuefaInteractiveAt
// (wall clock, the same clock as Date.now() here).
function markInteractive() {
  const ready = () => {
    const option = document.querySelector('fieldset.question label.option')
    return document.querySelector('fieldset.question input') && option && option.getBoundingClientRect().height > 0
  }
  const observer = new MutationObserver(() => {
    if (!ready()) return
    observer.disconnect()
    requestAnimationFrame(() => {
      window.__xuefaInteractiveAt = Date.now()
    })
  })
  observer.observe(document, { childList: true, subtree: true, attributes: true })
}
let transferredJs = 0
try {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${BASE}/api/v1/site-settings`)).ok) break
    } catch {}
    await new Promise((r) => setTimeout(r, 200))
  }
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ARGS })
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' })
  await context.addInitScript(markInteractive)
  const page = await context.newPage()
  await page.goto(`${BASE}/login`)
  await page.getByLabel('账号').fill('e2e_p1')
  await page.getByLabel('密码', { exact: true }).fill('Xuefa@2026')
  await page.getByRole('button', { name: '登录', exact: true }).click()
  await page.waitForURL(`${BASE}/`)
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
  await cdp.send('Network.emulateNetworkConditions', FAST_3G)
  const sizes = new Map()
  cdp.on('Network.responseReceived', (e) => sizes.set(e.requestId, { url: e.response.url, type: e.type }))
  cdp.on('Network.loadingFinished', (e) => {
    const r = sizes.get(e.requestId)
    if (r) r.bytes = e.encodedDataLength
  })
  for (let run = 1; run <= RUNS; run++) {
    await page.goto('about:blank')
    sizes.clear()
    const started = Date.now()
    await page.goto(`${BASE}/exams/${fixtures.quiz}/take`, { waitUntil: 'commit' })
    // The page records when the first question's options are laid out (see markInteractive); Playwright's own
    // locator waits poll at up to 500 ms intervals, which would round a load up by as much.
    await page.waitForFunction(() => window.__xuefaInteractiveAt, null, { timeout: 30_000 })
    const ms = (await page.evaluate(() => window.__xuefaInteractiveAt)) - started
    const js = [...sizes.values()].filter((r) => r.type === 'Script').reduce((n, r) => n + (r.bytes ?? 0), 0)
    transferredJs = Math.max(transferredJs, js)
    results.push(ms)
    console.log(`Fast 3G run ${run}: interactive question after ${ms} ms; ${sizes.size} requests, JavaScript transferred ${kb(js)}`)
  }
  await browser.close()
} finally {
  server.kill()
}
const sorted = [...results].sort((a, b) => a - b)
const median = sorted[Math.floor(sorted.length / 2)]
const worst = sorted[sorted.length - 1]
console.log(`Fast 3G first load to an interactive question: median ${median} ms, worst ${worst} ms (budget ${LOAD_BUDGET_MS} ms)`)
mkdirSync(join(root, 'test-results'), { recursive: true })
writeFileSync(
  join(root, 'test-results', 'measure.json'),
  JSON.stringify({ jsFiles, jsRawBytes: jsRaw, jsGzipBytes: jsGzip, cssGzipBytes: cssGzip, transferredJsBytes: transferredJs, fast3gMs: results }, null, 2),
)
const over = []
if (jsGzip > JS_BUDGET) over.push(`exam route JavaScript ${kb(jsGzip)} > ${kb(JS_BUDGET)}`)
if (worst > LOAD_BUDGET_MS) over.push(`Fast 3G first load ${worst} ms > ${LOAD_BUDGET_MS} ms`)
if (over.length) {
  console.error(`over budget: ${over.join('; ')}`)
  process.exit(1)
}
console.log('within budget')
