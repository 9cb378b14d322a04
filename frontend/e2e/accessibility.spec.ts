import { test, expect, fixtureIds, login, shot, chooseOption, next, saved, noSeriousViolations } from './fixtures'

test('login, home, exam and result pages have no serious accessibility violations', async ({ page }) => {
  const { quiz } = fixtureIds()
  await page.goto('/')
  await expect(page.getByRole('button', { name: '登录', exact: true })).toBeVisible()
  await noSeriousViolations(page, 'login')

  await login(page, 'e2e_p5')
  await expect(page.getByRole('tab', { name: /进行中/ })).toBeVisible()
  await expect(page.locator('.exam-card').first()).toBeVisible()
  await noSeriousViolations(page, 'home')
  await shot(page, '18-home')

  await page.goto(`/exams/${quiz}/take`)
  await expect(page.locator('fieldset.question')).toBeVisible()
  await chooseOption(page, 0)
  await saved(page)
  await noSeriousViolations(page, 'exam')
  await page.getByRole('button', { name: /答题卡/ }).click()
  await noSeriousViolations(page, 'answer sheet')
  await page.getByRole('dialog', { name: /答题卡/ }).getByRole('button', { name: '交卷' }).click()
  await expect(page.getByRole('alertdialog', { name: '确认交卷' })).toBeVisible()
  await noSeriousViolations(page, 'submit confirmation')
  await page.getByRole('alertdialog').getByRole('button', { name: '交卷' }).click()
  await expect(page).toHaveURL(/\/result$/)
  await expect(page.getByTestId('score')).toBeVisible()
  await noSeriousViolations(page, 'result')
})

test('every control of the exam is reachable by keyboard', async ({ page }) => {
  const { quiz } = fixtureIds()
  await page.goto(`/exams/${quiz}/take`)
  await login(page, 'e2e_p6')
  await expect(page.locator('fieldset.question')).toBeVisible()
  const reached = new Set<string>()
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab')
    const label = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null
      return el ? `${el.tagName}:${el.getAttribute('type') ?? ''}:${(el.textContent ?? '').trim() || el.getAttribute('aria-label') || ''}` : ''
    })
    reached.add(label)
  }
  const all = [...reached].join('\n')
  expect(all).toContain('INPUT:radio')
  expect(all).toContain('标记')
  expect(all).toContain('下一题')
  expect(all).toContain('答题卡')
  // Choose with the keyboard: focus the first option and press space.
  await page.locator('fieldset.question input').first().focus()
  await page.keyboard.press('Space')
  await saved(page)
  await expect(page.locator('fieldset.question input').first()).toBeChecked()
})

test('large text mode is kept per device and the pages stay usable at 360×640', async ({ page }) => {
  const { quiz, roster } = fixtureIds()
  await page.setViewportSize({ width: 360, height: 640 })
  await page.goto('/')
  await login(page, 'e2e_p6')
  await expect(page.locator('.exam-card').first()).toBeVisible()
  await page.getByRole('button', { name: '大字模式' }).click()
  await expect(page.locator('html')).toHaveClass(/large-text/)
  await shot(page, '19-home-large-text-360')
  await page.goto(`/exams/${roster}`)
  await expect(page.getByRole('button', { name: /开始答题|继续答题/ })).toBeVisible()
  await expect(page.locator('html')).toHaveClass(/large-text/) // kept across page loads
  await shot(page, '20-intro-large-text-360')
  await page.goto(`/exams/${quiz}/take`)
  await expect(page.locator('fieldset.question')).toBeVisible()
  await shot(page, '21-question-large-text-360')
  // Nothing may stick out sideways at this width.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  expect(overflow).toBeLessThanOrEqual(0)
  await next(page)
  await page.getByRole('button', { name: /答题卡/ }).click()
  await expect(page.getByRole('dialog', { name: /答题卡/ })).toBeVisible()
  await page.waitForFunction(() => !document.querySelector('[class*="-enter-active"]'))
  await shot(page, '22-answer-sheet-large-text-360')
  await page.keyboard.press('Escape')
  await expect(page.getByRole('dialog', { name: /答题卡/ })).toBeHidden()
  await page.getByRole('button', { name: 'English' }).click()
  await expect(page.getByRole('button', { name: 'Next' })).toBeVisible()
  await shot(page, '23-question-english-large-text')
  await page.getByRole('button', { name: '中文' }).click()
  await page.getByRole('button', { name: '大字模式' }).click()
})
