import { test, expect, fixtureIds, login, shot, chooseOption, checkedLetters, questionId, next, saved, savedAnswers, createShortExam } from './fixtures'

test('a short exam warns at one minute left and submits itself when the time is up', async ({ page }) => {
  const examId = createShortExam(68) // the window closes 68 s from now: deadline = closes_at
  await page.goto(`/exams/${examId}/take`)
  await login(page, 'e2e_p1')
  await expect(page.locator('fieldset.question')).toBeVisible()
  await chooseOption(page, 0)
  await saved(page)
  await expect(page.locator('p.warning')).toHaveText('还剩 1 分钟，时间到将自动交卷。', { timeout: 20_000 })
  await expect(page.getByRole('timer')).toContainText(/00:[0-5]\d/)
  await shot(page, '11-short-exam-one-minute-warning')
  // Nobody presses submit: the countdown reaches zero and the app submits.
  await expect(page).toHaveURL(/\/attempts\/\d+\/result$/, { timeout: 75_000 })
  await expect(page.getByTestId('score')).toContainText('/ 30')
  await shot(page, '12-short-exam-result')
  const db = savedAnswers('e2e_p1', examId)
  expect(db.status).not.toBe('in_progress')
  expect(Object.keys(db.answers)).toHaveLength(1)
})

test('answers given offline are kept and reach the server when the network returns', async ({ page, context }) => {
  const { roster } = fixtureIds()
  await page.goto(`/exams/${roster}/take`)
  await login(page, 'e2e_p2')
  await expect(page.locator('fieldset.question')).toBeVisible()
  const expected: Record<string, string[]> = {}
  expected[await questionId(page)] = [await chooseOption(page, 0)]
  await saved(page)

  await context.setOffline(true)
  for (let i = 0; i < 3; i++) {
    await next(page)
    const id = await questionId(page)
    const letter = await chooseOption(page, (i % 2) + 1)
    expected[id] = (await checkedLetters(page)).length ? await checkedLetters(page) : [letter]
  }
  await expect(page.getByTestId('save-status')).toHaveText('网络断开，答案已存在本机')
  await shot(page, '13-offline')
  expect(Object.keys(savedAnswers('e2e_p2', roster).answers)).toHaveLength(1)

  await context.setOffline(false)
  await saved(page)
  await shot(page, '14-back-online')
  const db = savedAnswers('e2e_p2', roster)
  expect(db.status).toBe('in_progress')
  for (const [id, choices] of Object.entries(expected)) expect(db.answers[id]?.choices, `question ${id}`).toEqual(choices)
})

test('a reload in the middle of an exam comes back with every answer', async ({ page }) => {
  const { roster } = fixtureIds()
  await page.goto(`/exams/${roster}/take`)
  await login(page, 'e2e_p3')
  await expect(page.locator('fieldset.question')).toBeVisible()
  const given: string[][] = []
  for (let i = 0; i < 3; i++) {
    await chooseOption(page, i % 2)
    given.push(await checkedLetters(page))
    await next(page)
  }
  await saved(page)
  await page.reload()
  await expect(page.locator('fieldset.question')).toBeVisible()
  await expect(page.getByRole('button', { name: /答题卡 3\/8/ })).toBeVisible()
  for (let i = 0; i < 3; i++) {
    expect(await checkedLetters(page)).toEqual(given[i])
    await next(page)
  }
  await page.getByRole('button', { name: '标记', exact: false }).first().click()
  await page.getByRole('button', { name: /答题卡/ }).click()
  await expect(page.getByRole('dialog', { name: /答题卡/ })).toBeVisible()
  await page.waitForFunction(() => !document.querySelector('[class*="-enter-active"]'))
  await shot(page, '15-reloaded-answer-sheet')

  // Submitting lists what is unanswered and marked; this exam shows its key only after it closes.
  await page.getByRole('dialog', { name: /答题卡/ }).getByRole('button', { name: '交卷' }).click()
  const confirm = page.getByRole('alertdialog', { name: '确认交卷' })
  await expect(confirm).toContainText('还有 5 题未答：第 4–8 题。')
  await expect(confirm).toContainText('标记待查 1 题：第 4 题。')
  await shot(page, '15b-confirm-unanswered-marked')
  await confirm.getByRole('button', { name: '交卷' }).click()
  await expect(page).toHaveURL(/\/result$/)
  await expect(page.getByText(/考试结束（.+）后公布答案与解析/)).toBeVisible()
  await shot(page, '15c-result-review-after-close')
})

test('another device resumes the same attempt and its later changes win', async ({ page, browser, baseURL }) => {
  const { roster } = fixtureIds()
  await page.goto(`/exams/${roster}/take`)
  await login(page, 'e2e_p4')
  await expect(page.locator('fieldset.question')).toBeVisible()
  const q1 = await questionId(page)
  const first = await chooseOption(page, 0)
  await next(page)
  await chooseOption(page, 0)
  await saved(page)

  const phone2 = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' })
  const page2 = await phone2.newPage()
  await page2.goto(`/exams/${roster}/take`)
  await login(page2, 'e2e_p4')
  await expect(page2.locator('fieldset.question')).toBeVisible()
  expect(await questionId(page2)).toBe(q1)
  expect(await checkedLetters(page2)).toEqual([first])
  const changed = await chooseOption(page2, 2)
  await saved(page2)
  await shot(page2, '16-second-device')

  const db = savedAnswers('e2e_p4', roster)
  expect(db.answers[q1]?.choices).toEqual([changed])
  // The first phone keeps working on other questions; its saves do not undo the change.
  await next(page)
  await chooseOption(page, 1)
  await saved(page)
  expect(savedAnswers('e2e_p4', roster).answers[q1]?.choices).toEqual([changed])
  await phone2.close()
})

test('a person outside the audience sees a clear refusal', async ({ page }) => {
  const { roster } = fixtureIds()
  await page.goto(`/exams/${roster}`)
  await login(page, 'e2e_out')
  await expect(page.getByRole('heading', { name: '您不能参加这场考试' })).toBeVisible()
  await expect(page.getByText('不面向您所在的单位')).toBeVisible()
  await shot(page, '17-refusal')
  await page.goto(`/exams/${roster}/take`)
  await expect(page.getByRole('heading', { name: '您不能参加这场考试' })).toBeVisible()
})
