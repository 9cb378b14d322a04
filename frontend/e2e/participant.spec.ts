import { test, expect, fixtureIds, login, shot, chooseOption, PASSWORD } from './fixtures'

test('a participant logs in, changes the initial password, takes the Civil Code quiz, sees the review and leaderboards', async ({ page }) => {
  const { quiz } = fixtureIds()
  // Opened from a shared link or QR code: the quiz's own page, after login.
  await page.goto(`/exams/${quiz}`)
  await expect(page).toHaveURL(/\/login\?next=/)
  await shot(page, '01-login')
  await login(page, 'e2e_new')

  await expect(page.getByRole('heading', { name: '请先修改初始密码' })).toBeVisible()
  await shot(page, '02-change-password')
  await page.getByLabel('当前密码').fill(PASSWORD)
  await page.getByLabel('新密码', { exact: true }).fill('Qinghe#2026new')
  await page.getByLabel('再次输入新密码').fill('Qinghe#2026new')
  await page.getByRole('button', { name: '保存' }).click()

  await expect(page).toHaveURL(new RegExp(`/exams/${quiz}$`))
  await expect(page.getByRole('heading', { name: /民法典宣传月知识竞赛/ }).first()).toBeVisible()
  await shot(page, '03-exam-intro')
  await page.getByRole('button', { name: '开始答题' }).click()

  await expect(page.locator('fieldset.question')).toBeVisible()
  const total = await page.locator('.bottom-bar').getByRole('button', { name: /答题卡/ }).textContent()
  expect(total).toContain('0/5')
  for (let i = 0; i < 5; i++) {
    await chooseOption(page, 0)
    if (i === 3) await chooseOption(page, 1) // the multiple-choice question: a second option
    await expect(page.getByTestId('save-status')).toHaveText('已保存')
    if (i === 0) await shot(page, '04-question')
    if (i < 4) await page.getByRole('button', { name: '下一题' }).click()
  }
  await page.getByRole('button', { name: /答题卡/ }).click()
  await shot(page, '05-answer-sheet')
  await page.getByRole('dialog', { name: /答题卡/ }).getByRole('button', { name: '交卷' }).click()
  await expect(page.getByText('您已答完全部 5 题')).toBeVisible()
  await shot(page, '06-confirm-submit')
  await page.getByRole('alertdialog', { name: '确认交卷' }).getByRole('button', { name: '交卷' }).click()

  await expect(page).toHaveURL(/\/attempts\/\d+\/result$/)
  await expect(page.getByTestId('score')).toContainText('/ 100')
  await expect(page.getByText(/第 \d+ 名 \/ 共 \d+ 人/)).toBeVisible()
  await shot(page, '07-result')
  await expect(page.getByRole('heading', { name: '答题解析' })).toBeVisible()
  await expect(page.getByText('正确答案').first()).toBeVisible()
  await expect(page.getByText('法条依据').first()).toBeVisible()
  // the words of the cited article, from the law-text library, under each question
  const article = page.getByRole('region', { name: '法条原文' }).first()
  await expect(article).toContainText('《中华人民共和国民法典》第')
  await page.locator('.review-item').first().scrollIntoViewIfNeeded()
  await shot(page, '08-review')

  await page.getByRole('button', { name: '看排行榜' }).click()
  await expect(page.getByTestId('my-rank')).toContainText(/第 \d+ 名/)
  // the rank is out of everyone ranked, never out of the rows listed
  const [, myRank, rankedCount] = (await page.getByTestId('my-rank').textContent())?.match(/第 (\d+) 名 \/ 共 (\d+) 人/) ?? []
  expect(Number(rankedCount)).toBeGreaterThanOrEqual(Math.max(Number(myRank), await page.locator('table.board tbody tr').count()))
  await expect(page.getByRole('cell', { name: /张新/ })).toBeVisible()
  await shot(page, '09-leaderboard-people')
  await page.getByRole('tab', { name: '单位排名' }).click()
  // an open quiz has no roster: units show how many people took part (人数 and 人次), not a rate
  const firstUnit = page.locator('.unit-row').first()
  await expect(firstUnit).toBeVisible()
  await expect(firstUnit).toContainText('参考人数')
  await expect(firstUnit).toContainText(/\d+ 人 · \d+ 人次/)
  await shot(page, '10-leaderboard-units')
})
