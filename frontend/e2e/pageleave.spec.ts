import { test, expect, login, shot, chooseOption, saved, savedAnswers, createLeaveLimitExam, setPageHidden } from './fixtures'

test('leaving the exam page is counted, shown, and beyond the limit the server submits the attempt', async ({ page }) => {
  const examId = createLeaveLimitExam(2)
  await page.goto(`/exams/${examId}/take`)
  await login(page, 'e2e_p1')
  await expect(page.locator('fieldset.question')).toBeVisible()
  const notice = page.getByTestId('leave-notice')
  await expect(notice).toHaveText('已离开页面 0 次，超过 2 次将自动交卷。')
  await chooseOption(page, 0)
  await saved(page)

  await setPageHidden(page, true)
  await setPageHidden(page, false)
  await expect(notice).toHaveText('已离开页面 1 次，超过 2 次将自动交卷。')
  await shot(page, '40-page-leave-notice')
  await setPageHidden(page, true)
  await setPageHidden(page, false)
  await expect(notice).toHaveText('已离开页面 2 次，超过 2 次将自动交卷。')
  expect(savedAnswers('e2e_p1', examId).status).toBe('in_progress')

  // the third leave is beyond the limit: the server submits and scores, the app shows the result
  await setPageHidden(page, true)
  await setPageHidden(page, false)
  await expect(page).toHaveURL(/\/attempts\/\d+\/result$/, { timeout: 15_000 })
  await expect(page.getByTestId('score')).toContainText('/ 30')
  await expect(page.getByTestId('left-page')).toHaveText('答题中离开页面 3 次，超过考试允许的次数，已由系统自动交卷。')
  await shot(page, '41-page-leave-submitted')
  const db = savedAnswers('e2e_p1', examId)
  expect(db.status).toBe('left_page')
  expect(Object.keys(db.answers)).toHaveLength(1)
})
