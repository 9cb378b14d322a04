import type { Page } from '@playwright/test'
import { test, expect, harness, login, shot, questionId, noSeriousViolations } from './fixtures'

// Learning between exams (issue 13): practice a chapter, the wrong-answer book, the daily questions, on a phone.

function practiceSet(username: string): number {
  return JSON.parse(harness('practice-set', username)).id
}

function keyOf(question: string): string[] {
  return JSON.parse(harness('key', question))
}

/** Choose the right or a wrong answer (by the server's key) and confirm it; returns the question's id. */
async function give(page: Page, right: boolean): Promise<string> {
  const id = await questionId(page)
  const key = keyOf(id)
  const letters = await page.locator('fieldset.question input').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))
  const picks = right ? key : [letters.find((l) => !key.includes(l))!]
  for (const letter of picks) {
    await page.locator('fieldset.question label.option', { has: page.locator(`input[value="${letter}"]`) }).click()
  }
  await page.getByRole('button', { name: '确定' }).click()
  return id
}

/** Answer the question on screen right or wrong and wait for the verdict; returns its id. */
async function answer(page: Page, right: boolean): Promise<string> {
  const id = await give(page, right)
  await expect(page.getByTestId('feedback')).toContainText(right ? '回答正确' : '回答错误')
  return id
}

async function forward(page: Page) {
  const next = page.locator('.bottom-bar').getByRole('button', { name: /下一题|查看小结/ })
  await next.click()
}

test('a participant practises a chapter, gets one wrong, re-practises it from the book until it is retired', async ({ page }) => {
  test.slow() // the longest journey of the specs (three rounds, the book, the article texts): 120 s is short on a busy machine
  const setId = practiceSet('e2e_learner')
  await page.goto('/')
  await login(page, 'e2e_learner')
  await expect(page.getByTestId('practice-set')).toContainText('民法典学习（测试）')
  await expect(page.getByTestId('book-entry-link')).toContainText('暂无错题')
  await expect(page.getByTestId('daily-entry')).toContainText('今日 3 题')
  await shot(page, '40-home-learning')
  await noSeriousViolations(page, 'home with learning')

  await page.getByTestId('practice-set').click()
  await expect(page).toHaveURL(new RegExp(`/practice/${setId}$`))
  const chapter = page.getByTestId('tag-总则编')
  await expect(chapter).toContainText('已练 0 /')
  await page.getByRole('radio', { name: '5 题' }).click()
  await shot(page, '41-practice-set')
  await noSeriousViolations(page, 'practice set')
  await chapter.getByRole('button', { name: /练这一章/ }).click()

  // Five questions of the chapter, one at a time; the first answered wrong, the others right.
  await expect(page).toHaveURL(/\/practice\/rounds\/\d+\?tag=/)
  await expect(page.locator('fieldset.question')).toBeVisible()
  await expect(page.getByRole('button', { name: '确定' })).toBeDisabled()
  await shot(page, '42-round-question')
  const wrongId = await answer(page, false)
  await expect(page.getByTestId('feedback')).toContainText('正确答案')
  await expect(page.getByTestId('feedback')).toContainText('解析')
  await expect(page.getByTestId('feedback')).toContainText('法条依据')
  // 法条原文: the cited article's words from the law-text library, after the answer (never before it)
  const articles = page.getByTestId('feedback').getByTestId('articles')
  await expect(articles).toBeVisible()
  await expect(articles).toContainText('法条原文')
  await expect(articles.locator('.article-head').first()).toContainText(/《中华人民共和国民法典》第.+条/)
  await expect(articles.locator('.article-text').first()).not.toBeEmpty()
  await expect(page.getByTestId('book-state')).toHaveText('已加入错题本')
  await expect(page.locator('fieldset.question input').first()).toBeDisabled()
  await shot(page, '43-round-wrong-feedback')
  await page.getByTestId('feedback').scrollIntoViewIfNeeded()
  await shot(page, '43b-round-wrong-explanation')
  await articles.scrollIntoViewIfNeeded()
  await shot(page, '43d-round-wrong-article-text')
  await noSeriousViolations(page, 'practice feedback')
  // Left half-done, the round is offered again on the practice set's page, where it stopped.
  await page.goto(`/practice/${setId}`)
  await expect(page.getByTestId('resume')).toContainText('练习：总则编 · 已答 1 / 5 题')
  await shot(page, '43c-practice-set-resume')
  await page.getByTestId('resume').getByRole('button', { name: '继续' }).click()
  await expect(page.locator('.status-bar')).toContainText('第 2 / 5 题')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('练习：总则编') // the resumed round keeps its chapter
  for (let i = 1; i < 5; i++) {
    await answer(page, true)
    if (i === 1) await shot(page, '44-round-right-feedback')
    await forward(page)
  }
  const summary = page.getByTestId('summary')
  await expect(summary).toContainText('共 5 题，答对 4 题，答错 1 题')
  await shot(page, '45-round-summary')
  await noSeriousViolations(page, 'round summary')

  // The chapter's progress counts the five.
  await page.goBack()
  await page.goto(`/practice/${setId}`)
  await expect(page.getByTestId('tag-总则编')).toContainText('已练 5 /')
  await expect(page.getByTestId('tag-总则编')).toContainText('答对 4 题')

  // The book holds the mistake, with the answer given; the home page counts it.
  await page.goto('/')
  await expect(page.getByTestId('book-count')).toHaveText('1')
  await shot(page, '45b-home-book-count')
  await page.getByTestId('book-entry-link').click()
  await expect(page).toHaveURL(/\/book$/)
  const entry = page.getByTestId('book-entry')
  await expect(entry).toHaveCount(1)
  await expect(entry).toContainText('您上次的答案')
  await expect(entry).toContainText('答错 1 次')
  await entry.locator('summary').click()
  await expect(entry.getByTestId('articles')).toContainText('法条原文')
  await shot(page, '46-book')
  await noSeriousViolations(page, 'book')

  // Two book rounds, right each time: the question leaves the book.
  await page.getByRole('button', { name: /重新练习/ }).click()
  await expect(page.locator('fieldset.question')).toBeVisible()
  expect(await questionId(page)).toBe(wrongId)
  await answer(page, true)
  await expect(page.getByTestId('book-state')).toHaveText('错题本：连续答对 1 / 2 次')
  await shot(page, '47-book-round-first-right')
  await forward(page)
  await page.getByRole('button', { name: '再练一组' }).click()
  await expect(page.locator('fieldset.question')).toBeVisible()
  expect(await questionId(page)).toBe(wrongId)
  await answer(page, true)
  await expect(page.getByTestId('book-state')).toHaveText('连续答对两次，已移出错题本')
  await shot(page, '48-book-round-retired')

  await page.goto('/book')
  await expect(page.getByText('错题本里没有题')).toBeVisible()
  await expect(page.getByRole('button', { name: /重新练习/ })).toHaveCount(0)
  await page.getByRole('tab', { name: /已移出 1/ }).click()
  await expect(page.getByTestId('book-entry')).toHaveCount(1)
  await shot(page, '49-book-retired')
  await page.goto('/')
  await expect(page.getByTestId('book-entry-link')).toContainText('暂无错题')
  await expect(page.getByTestId('book-count')).toHaveCount(0)
})

test('a participant completes the daily questions (one answered offline) and sees the streak and the calendar', async ({ page, context }) => {
  practiceSet('e2e_daily')
  await page.goto('/')
  await login(page, 'e2e_daily')
  await page.getByTestId('daily-entry').click()
  await expect(page).toHaveURL(/\/daily$/)
  await expect(page.getByTestId('streak')).toContainText('0')
  await expect(page.getByText('今天还没有练习')).toBeVisible()
  await shot(page, '50-daily-before')
  await noSeriousViolations(page, 'daily')
  await page.getByRole('button', { name: '开始今日练习' }).click()

  await expect(page.locator('fieldset.question')).toBeVisible()
  await page.getByRole('button', { name: '大字模式' }).click()
  await answer(page, true)
  await shot(page, '50a-daily-large-text-feedback')
  await page.getByRole('button', { name: '大字模式' }).click()
  await forward(page)
  // Offline: the answer is kept on the phone and says so; it is sent, and checked, when the network returns.
  await context.setOffline(true)
  await give(page, false)
  await expect(page.getByTestId('answer-status')).toContainText('离线，恢复后提交')
  await expect(page.locator('fieldset.question input').first()).toBeDisabled()
  await shot(page, '50b-daily-offline-answer')
  await context.setOffline(false)
  await expect(page.getByTestId('feedback')).toContainText('回答错误', { timeout: 40_000 })
  await forward(page)
  await answer(page, true)
  await forward(page)
  await expect(page.getByTestId('summary')).toContainText('共 3 题，答对 2 题，答错 1 题')
  await expect(page.getByTestId('daily-streak')).toHaveText('今日已完成，已连续打卡 1 天')
  await shot(page, '51-daily-summary')
  await page.getByRole('button', { name: '查看打卡日历' }).click()
  await expect(page).toHaveURL(/\/daily$/)
  await expect(page.getByTestId('streak')).toContainText('1')
  await expect(page.getByText('今日已完成')).toBeVisible()
  await expect(page.locator('[data-testid="calendar"] .day.today.done')).toHaveCount(1)
  await shot(page, '52-daily-calendar')
  await noSeriousViolations(page, 'daily calendar')

  // Asked again, today's round is the same one, answered.
  await page.getByRole('button', { name: '查看今日答题' }).click()
  await expect(page.getByTestId('summary')).toContainText('共 3 题')
  await page.goto('/')
  await expect(page.getByTestId('daily-entry')).toContainText('今日已完成')
  await expect(page.getByTestId('daily-entry')).toContainText('连续 1 天')

  // In English too (the messages load with the pages)
  await page.getByTestId('daily-entry').click()
  await page.getByRole('button', { name: 'English' }).click()
  await expect(page.getByRole('heading', { name: 'Daily quiz', level: 1 })).toBeVisible()
  await expect(page.getByTestId('streak')).toHaveText('1 day')
  await expect(page.getByText('Done today')).toBeVisible()
  await shot(page, '53-daily-english')
  await page.getByRole('button', { name: '中文' }).click()
})
