import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import AxeBuilder from '@axe-core/playwright'
import { test as base, expect, type BrowserContext, type Locator, type Page } from '@playwright/test'

const here = dirname(fileURLToPath(import.meta.url))
export const PASSWORD = 'Xuefa@2026'
const SCREENS = join(here, '..', 'test-results', 'screens')
mkdirSync(SCREENS, { recursive: true })

export function fixtureIds(): { quiz: number; roster: number; upcoming: number } {
  return JSON.parse(readFileSync(join(here, '..', 'test-results', 'fixtures.json'), 'utf8'))
}

export function harness(...args: string[]): string {
  const port = process.env.XUEFA_E2E_PORT ?? '8011'
  return execFileSync(join(here, '..', '..', '.venv', 'bin', 'python'), [join(here, 'harness.py'), ...args], {
    env: {
      // the same key as the web server in playwright.config.ts: settings refuse to load without one when DEBUG is off
      DJANGO_SECRET_KEY: 'e2e-tests-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
      ...process.env,
      XUEFA_E2E_DB: `/tmp/xuefa-e2e-${port}.sqlite3`,
      DJANGO_DEBUG: '0',
    },
    encoding: 'utf8',
  })
}

/** What the database holds for a person's latest attempt (checked on the server, not in the page). */
export function savedAnswers(username: string, examId: number): {
  attempt: number
  status: string
  answers: Record<string, { choices: string[]; seq: number }>
} {
  return JSON.parse(harness('answers', username, String(examId)))
}

/** A new participant who has passed the exam (every answer right): their attempt and certificate code. */
export function passedParticipant(username: string, examId: number): { attempt: number; code: string } {
  return JSON.parse(harness('passed', username, String(examId)))
}

export function createShortExam(seconds: number): number {
  return JSON.parse(harness('short-exam', String(seconds))).id
}

export function createLeaveLimitExam(limit: number): number {
  return JSON.parse(harness('leave-limit-exam', String(limit))).id
}

/** The browser hides the page (another app, a call) or shows it again: what a phone does on switching. */
export async function setPageHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') })
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h })
    document.dispatchEvent(new Event('visibilitychange'))
  }, hidden)
}

export async function shot(page: Page, name: string): Promise<void> {
  await stillness(page) // what a person sees once popups have finished sliding and fading
  await page.screenshot({ path: join(SCREENS, `${name}.png`) })
}

/**
 * Watches every request of a browser context: the app must load nothing from outside its own origin,
 * and the strict Content-Security-Policy must never have to block anything.
 */
export function guardOrigin(context: BrowserContext, origin: string) {
  const foreign: string[] = []
  const cspViolations: string[] = []
  context.on('request', (request) => {
    const url = request.url()
    if (!url.startsWith(origin + '/')) foreign.push(url)
  })
  context.on('page', (page) => watchConsole(page, cspViolations))
  for (const page of context.pages()) watchConsole(page, cspViolations)
  return {
    check() {
      expect(foreign, 'requests outside the app origin').toEqual([])
      expect(cspViolations, 'Content-Security-Policy violations').toEqual([])
    },
  }
}

function watchConsole(page: Page, sink: string[]) {
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content.Security.Policy/i.test(msg.text())) sink.push(msg.text())
  })
}

export async function login(page: Page, username: string, password = PASSWORD): Promise<void> {
  await page.getByLabel('账号').fill(username)
  await page.getByLabel('密码', { exact: true }).fill(password)
  await page.getByRole('button', { name: '登录', exact: true }).click()
}

/** Answer the question on screen by its n-th shown option (0-based); returns that option's own letter. */
export async function chooseOption(page: Page, n: number): Promise<string> {
  const option = page.locator('fieldset.question label.option').nth(n)
  await option.click()
  return (await option.locator('input').getAttribute('value'))!
}

/** The letters checked on the question on screen. */
export async function checkedLetters(page: Page): Promise<string[]> {
  return page.locator('fieldset.question input:checked').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))
}

export async function questionId(page: Page): Promise<string> {
  const name = await page.locator('fieldset.question input').first().getAttribute('name')
  return name!.replace('q-', '')
}

export async function next(page: Page): Promise<void> {
  await page.getByRole('button', { name: '下一题' }).click()
}

export async function saved(page: Page): Promise<void> {
  await expect(page.getByTestId('save-status')).toHaveText('已保存')
}

type Fixtures = { originGuard: ReturnType<typeof guardOrigin> }

export const test = base.extend<Fixtures>({
  originGuard: [
    async ({ context, baseURL }, use) => {
      const guard = guardOrigin(context, baseURL!)
      await use(guard)
      guard.check()
    },
    { auto: true },
  ],
})
export { expect }

/** Open an Element Plus select by its accessible name (its box, not the tiny input under the sticky header). */
export async function openSelect(scope: Page | Locator, name: string) {
  const input = scope.getByRole('combobox', { name })
  await input.scrollIntoViewIfNeeded()
  await input.locator('xpath=ancestor::div[contains(@class,"el-select__wrapper")]').click()
}

/** The console's users work at a desk: 1366×768, a mouse, no touch. `test.use(DESKTOP)` in console specs. */
export const DESKTOP = { viewport: { width: 1366, height: 768 }, isMobile: false, hasTouch: false }

/** An element in a Vue transition (a popup or toast entering or leaving). */
const TRANSITIONING = '[class*="-enter-active"], [class*="-leave-active"]'

/** Nothing on the page is in motion: no Vue transition class, no finite CSS animation or transition running
 * (a spinner's endless loop is its resting state). */
async function stillness(page: Page) {
  await page.waitForFunction(
    (transitioning) =>
      !document.querySelector(transitioning) &&
      document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity),
    TRANSITIONING,
  )
}

type MotionWatch = { moved: number; stop: () => void }

/** From now on, count what starts to move: a transition or animation starting, or a Vue transition class added
 * (a toast whose timer runs out starts to fade without anyone touching the page). */
async function watchMotion(page: Page) {
  await page.evaluate((transitioning) => {
    const w = window as unknown as { __xuefaMotion?: MotionWatch }
    w.__xuefaMotion?.stop()
    const watch: MotionWatch = { moved: 0, stop: () => {} }
    const moved = () => void watch.moved++
    const events = ['transitionrun', 'animationstart'] as const // transitionrun: every transition, even delayed
    for (const e of events) document.addEventListener(e, moved, true)
    const observer = new MutationObserver((records) => {
      if (records.some((r) => (r.target as Element).matches?.(transitioning))) moved()
    })
    observer.observe(document.documentElement, { subtree: true, attributes: true, attributeFilter: ['class'] })
    watch.stop = () => {
      for (const e of events) document.removeEventListener(e, moved, true)
      observer.disconnect()
    }
    w.__xuefaMotion = watch
  }, TRANSITIONING)
}

async function motionSinceWatch(page: Page): Promise<number> {
  return page.evaluate(() => {
    const w = window as unknown as { __xuefaMotion?: MotionWatch }
    const moved = w.__xuefaMotion?.moved ?? 0
    w.__xuefaMotion?.stop()
    delete w.__xuefaMotion
    return moved
  })
}

/** axe-core (WCAG 2.1 A/AA) finds nothing serious or critical on the page as it is now.
 *
 * Half-faded text is not what people read, so axe reads the page only while nothing moves, and its reading
 * counts only if nothing started to move while it read (a toast closing on its timer, say); otherwise it reads
 * again once the page is still (e2e/fixtures.spec.ts). */
export async function noSeriousViolations(page: Page, name: string) {
  const TRIES = 5
  for (let attempt = 1; ; attempt++) {
    await stillness(page)
    await watchMotion(page)
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
    const moved = await motionSinceWatch(page)
    if (moved > 0 && attempt < TRIES) continue
    expect(moved, `${name}: the page kept moving through ${TRIES} accessibility checks`).toBe(0)
    const serious = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
    expect(serious, `${name}: serious or critical accessibility violations`).toEqual([])
    return
  }
}
