import { expect, noSeriousViolations, test } from './fixtures'

// The accessibility check itself: it must not report a toast caught half-faded (a race seen once in CI), and
// must not pass a page that never holds still.

const TOAST = `<!doctype html><html lang="zh-CN"><head><title>检查</title></head><body>
  <main><h1>检查</h1>
    <div class="toast" style="color:#222;background:#fff;padding:8px">保存成功</div>
  </main></body></html>`

test('a toast that starts to fade while axe reads is read again once it has gone', async ({ page }) => {
  await page.setContent(TOAST)
  await page.evaluate(() => {
    // the first time axe (injected by the check) asks for a style, the toast's timer "runs out": it starts to
    // leave, its text at a third of its colour, and is gone a moment later
    const state = window as unknown as { faded: number }
    state.faded = 0
    const original = window.getComputedStyle.bind(window)
    window.getComputedStyle = (element: Element, pseudo?: string | null) => {
      const toast = document.querySelector<HTMLElement>('.toast')
      if (toast && !state.faded && 'axe' in window) {
        state.faded++
        toast.classList.add('toast-leave-active')
        toast.style.opacity = '0.3'
        setTimeout(() => toast.remove(), 300)
      }
      return original(element, pseudo)
    }
  })
  await noSeriousViolations(page, 'toast')
  expect(await page.evaluate(() => (window as unknown as { faded: number }).faded)).toBe(1)
  await expect(page.locator('.toast')).toHaveCount(0)
})

test('a page that never holds still fails the check instead of being read mid-motion', async ({ page }) => {
  await page.setContent(TOAST)
  await page.evaluate(() => {
    const toast = document.querySelector('.toast')!
    setInterval(() => toast.classList.toggle('toast-enter-active'), 15)
  })
  await expect(noSeriousViolations(page, 'busy')).rejects.toThrow(/kept moving/)
})
