import { readFileSync } from 'node:fs'
import { test, expect, login, shot, DESKTOP, noSeriousViolations, openSelect } from './fixtures'

// The organizer's exams: the list, the builder of a random paper whose rule counts follow the rules as they
// change, publishing, the participant link's QR code; and one town's organizer cannot open another's exam.
test.describe.serial('console exams', () => {
  test.use(DESKTOP)
  let examId = 0

  test('an organizer builds a random exam, sees each rule’s count follow its edits, publishes it and downloads its QR code', async ({ page }) => {
    await page.goto('/login')
    await login(page, 'e2e_org')
    await expect(page).toHaveURL(/\/console$/)
    await page.getByRole('navigation').getByRole('menuitem', { name: '考试' }).click()
    await expect(page.getByRole('heading', { name: '考试' })).toBeVisible()
    await expect(page.getByRole('link', { name: '学纪学法网上考试（测试）' })).toBeVisible()
    await noSeriousViolations(page, 'exam list')
    await shot(page, 'c2-exam-list')

    await page.getByRole('button', { name: '新建考试' }).click()
    await expect(page.getByRole('heading', { name: '新建考试' })).toBeVisible()
    await page.getByLabel('考试名称').fill('南关镇宪法知识测试')
    // owned by 南关镇, so that its organizers manage it and 北岭镇's do not
    await openSelect(page, '主办单位')
    await page.locator('.el-select-dropdown:visible li', { hasText: /^\s*南关镇$/ }).click()

    // rule 1: single choice of 干部学法 tagged 宪法
    const rule = page.getByTestId('rule-1')
    await openSelect(rule, '规则 1 题库')
    await page.locator('.el-select-dropdown:visible li', { hasText: '学纪学法' }).click()
    await rule.getByLabel('规则 1 标签').fill('宪法')
    await rule.getByLabel('规则 1 标签').press('Tab')
    const available = page.getByTestId('rule-1-available')
    await expect(available).toHaveText(/符合 33 道，可抽 32 道/) // two of them share an exclusion group
    await expect(page.getByTestId('paper-summary')).toHaveText('10 道题，满分 20 分')

    // difficulty 3: only 2 such questions, fewer than the 10 asked for: the rule says so at once
    await openSelect(rule, '规则 1 难度')
    await page.locator('.el-select-dropdown:visible li', { hasText: /^3$/ }).click()
    await expect(available).toContainText('符合 2 道，可抽 2 道')
    await expect(available).toContainText('需要 10 道题，题库中只有 2 道')
    await shot(page, 'c2-exam-builder-short')

    // difficulty 1 (13 questions); a second rule of multiple choice, 5 of them at 4 points
    await openSelect(rule, '规则 1 难度')
    await page.locator('.el-select-dropdown:visible li', { hasText: /^1$/ }).click()
    await expect(available).toHaveText(/符合 13 道，可抽 13 道/)
    await page.getByRole('button', { name: '添加规则' }).click()
    const rule2 = page.getByTestId('rule-2')
    await openSelect(rule2, '规则 2 题型')
    await page.locator('.el-select-dropdown:visible li', { hasText: '多选' }).click()
    await rule2.getByLabel('规则 2 抽题数').fill('5')
    await rule2.getByLabel('规则 2 抽题数').press('Tab')
    await rule2.getByLabel('规则 2 每题分值').fill('4')
    await rule2.getByLabel('规则 2 每题分值').press('Tab')
    await expect(page.getByTestId('rule-2-available')).toHaveText(/符合 \d+ 道，可抽 \d+ 道/)
    await expect(page.getByTestId('paper-summary')).toHaveText('15 道题，满分 40 分')
    await noSeriousViolations(page, 'exam builder')
    await shot(page, 'c2-exam-builder')

    await page.getByRole('button', { name: '保存草稿' }).click()
    await expect(page).toHaveURL(/\/console\/exams\/\d+$/)
    examId = Number(page.url().split('/').pop())
    await expect(page.getByRole('heading', { name: '南关镇宪法知识测试' })).toBeVisible()
    await expect(page.getByTestId('rule-1-available')).toHaveText(/符合 13 道，可抽 13 道/)

    await page.getByRole('button', { name: '试卷预览' }).click()
    const preview = page.getByRole('dialog', { name: /试卷预览/ })
    await expect(preview.getByText('15 道题，满分 40 分')).toBeVisible()
    await expect(preview.getByText(/^答案：/).first()).toBeVisible()
    await shot(page, 'c2-exam-preview')
    await preview.getByRole('button', { name: /关闭|Close/ }).click()

    await page.getByRole('button', { name: '发布' }).click()
    await page.getByRole('dialog').getByRole('button', { name: '确定' }).click()
    await expect(page.getByText('考试已发布', { exact: true })).toBeVisible()
    await expect(page.getByText(/考试已发布：试卷、限时和计分规则已锁定/)).toBeVisible()
    await expect(page.getByTestId('exam-link')).toHaveText(new RegExp(`/exams/${examId}$`))

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载二维码' }).click()])
    expect(download.suggestedFilename()).toBe(`exam-${examId}-qr.png`)
    const png = readFileSync((await download.path())!)
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    expect(png.length).toBeGreaterThan(300)
    await shot(page, 'c2-exam-published')

    await page.getByRole('link', { name: '考试列表' }).click()
    // it opens tomorrow: published, not running yet
    await page.locator('.filters .el-radio-button', { hasText: '进行中' }).click()
    await expect(page.getByRole('link', { name: '学纪学法网上考试（测试）' })).toBeVisible()
    await expect(page.getByRole('link', { name: '南关镇宪法知识测试' })).toBeHidden()
    await page.locator('.filters .el-radio-button', { hasText: '已发布（未开始）' }).click()
    await expect(page.getByRole('link', { name: '南关镇宪法知识测试' })).toBeVisible()
  })

  test('a publish the server refuses shows its reasons', async ({ page }) => {
    await page.goto('/login')
    await login(page, 'e2e_org')
    await expect(page).toHaveURL(/\/console$/)
    await page.goto('/console/exams/new')
    await page.getByLabel('考试名称').fill('抽不够的考试')
    const rule = page.getByTestId('rule-1')
    await openSelect(rule, '规则 1 题库')
    await page.locator('.el-select-dropdown:visible li', { hasText: '学纪学法' }).click()
    // 200, the most a rule may draw; the bank holds 189 single-choice questions
    await rule.getByLabel('规则 1 抽题数').fill('200')
    await rule.getByLabel('规则 1 抽题数').press('Tab')
    await expect(page.getByTestId('rule-1-available')).toContainText('需要 200 道题')
    await page.getByRole('button', { name: '保存草稿' }).click()
    await expect(page).toHaveURL(/\/console\/exams\/\d+$/)
    await page.getByRole('button', { name: '发布' }).click()
    await page.getByRole('dialog').getByRole('button', { name: '确定' }).click()
    const alert = page.getByRole('alert').filter({ hasText: '无法发布' })
    await expect(alert).toContainText('第 1 条抽题规则需要 200 道题')
    await shot(page, 'c2-exam-publish-refused')
  })

  test('an organizer of another town cannot open the exam by its address', async ({ page }) => {
    expect(examId).toBeGreaterThan(0)
    await page.goto('/login')
    await login(page, 'e2e_org_bl')
    await expect(page).toHaveURL(/\/console$/)
    const answers: number[] = []
    page.on('response', (r) => {
      if (r.url().includes(`/api/v1/exams/${examId}/`)) answers.push(r.status())
    })
    await page.goto(`/console/exams/${examId}`)
    await expect(page.getByText('考试不存在，或您无权查看')).toBeVisible()
    await expect(page.getByText('南关镇宪法知识测试')).toHaveCount(0)
    await expect(page.getByRole('button', { name: '发布' })).toHaveCount(0)
    await expect(page.getByRole('button', { name: '下载二维码' })).toHaveCount(0)
    expect(answers).toEqual([404])
    await shot(page, 'c2-exam-not-yours')
    // nor is it in their list
    await page.goto('/console/exams')
    await expect(page.getByRole('heading', { name: '考试' })).toBeVisible()
    await expect(page.getByText('南关镇宪法知识测试')).toHaveCount(0)
  })
})
