import { test, expect, harness, login, shot, DESKTOP, noSeriousViolations, openSelect } from './fixtures'

// Learning in the console (issue 13): the city's organizer opens the Civil Code bank for practice to 北岭镇,
// changes, stops and reopens it; a participant of 北岭镇 practises (through the harness); 北岭镇's HR sees the
// figures of that town and day, and the city's organizer drills down from the city to the town.

const SET = '北岭镇民法典练习（测试）'
const LEARNER = 'e2e_bl_learner'

function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date())
}

test.describe.serial('console learning', () => {
  test.use(DESKTOP)

  test('an organizer opens a bank for practice to a town, edits it, stops and reopens it', async ({ page }) => {
    await page.goto('/login')
    await login(page, 'e2e_org')
    await expect(page).toHaveURL(/\/console$/)
    await page.getByRole('navigation').getByRole('menuitem', { name: '练习管理' }).click()
    await expect(page.getByRole('heading', { name: '练习管理' })).toBeVisible()
    await noSeriousViolations(page, 'practice sets')

    await page.getByRole('button', { name: '新建练习' }).click()
    const dialog = page.getByRole('dialog', { name: '新建练习' })
    // nothing filled in: each missing field says so at the field
    await dialog.getByRole('button', { name: '保存' }).click()
    await expect(dialog.getByText('请填写练习名称')).toBeVisible()
    await expect(dialog.getByText('请选择题库')).toBeVisible()
    await shot(page, 'c-learn-set-errors')

    await dialog.getByLabel('练习名称').fill(SET)
    await expect(dialog.getByText('请填写练习名称')).toBeHidden() // said once, gone once mended
    await openSelect(dialog, '题库')
    await page.locator('.el-select-dropdown:visible li', { hasText: '民法典' }).first().click()
    // the bank's chapters with their question counts
    await openSelect(dialog, '练习范围（章节）')
    await expect(page.locator('.el-select-dropdown:visible li', { hasText: /\d+ 题/ }).first()).toBeVisible()
    await shot(page, 'c-learn-set-tags')
    await page.keyboard.press('Escape')
    // the audience: 北岭镇 instead of the organizer's own city
    await openSelect(dialog, '练习单位')
    await page.locator('.el-select-dropdown:visible li', { hasText: /^\s*清河市$/ }).click()
    await page.locator('.el-select-dropdown:visible li', { hasText: /^\s*北岭镇$/ }).click()
    await page.keyboard.press('Escape')
    await dialog.getByLabel('每日一练题数').fill('3')
    await dialog.getByLabel('每日一练题数').press('Tab')
    await noSeriousViolations(page, 'practice set form')
    await shot(page, 'c-learn-set-form')
    await dialog.getByRole('button', { name: '保存' }).click()
    await expect(dialog).toBeHidden()

    const row = page.getByTestId('practice-sets').locator('tr', { hasText: SET })
    await expect(row).toContainText('北岭镇')
    await expect(row).toContainText('每天 3 题')
    await expect(row).toContainText('开放中')
    await expect(row).toContainText('整个题库')

    await row.getByRole('button', { name: `编辑练习：${SET}` }).click()
    const edit = page.getByRole('dialog', { name: '编辑练习' })
    await expect(edit.getByLabel('练习名称')).toHaveValue(SET)
    await edit.getByLabel('每日一练题数').fill('2')
    await edit.getByLabel('每日一练题数').press('Tab')
    await edit.getByRole('button', { name: '保存' }).click()
    await expect(edit).toBeHidden()
    await expect(row).toContainText('每天 2 题')

    await row.getByRole('button', { name: `停止：${SET}` }).click()
    await page.getByRole('dialog').getByRole('button', { name: '停止练习' }).click()
    await expect(row).toContainText('已停止')
    await shot(page, 'c-learn-sets-closed')
    await row.getByRole('button', { name: `重新开放：${SET}` }).click()
    await expect(row).toContainText('开放中')
    await shot(page, 'c-learn-sets')
  })

  test('the town’s HR sees who practised in the town today: people, 人次, answers, accuracy', async ({ page }) => {
    harness('practise', LEARNER, SET, '4', '3')
    await page.goto('/login')
    await login(page, 'e2e_hr_bl')
    await expect(page).toHaveURL(/\/console$/)
    const home = page.getByTestId('reach-figures')
    await expect(home.getByTestId('reach-people')).toHaveText('1')
    await expect(home.getByTestId('reach-answered')).toHaveText('4')
    await noSeriousViolations(page, 'console home with reach')
    await shot(page, 'c-learn-home')

    await page.getByRole('link', { name: /查看学习情况/ }).click()
    await expect(page.getByRole('heading', { name: '学习情况' })).toBeVisible()
    await expect(page.getByTestId('reach-people')).toHaveText('1')
    await expect(page.getByTestId('reach-rounds')).toHaveText('1')
    await expect(page.getByTestId('reach-answered')).toHaveText('4')
    await expect(page.getByTestId('reach-accuracy')).toHaveText('75.0%')
    await expect(page.getByTestId('reach-units').locator('tr', { hasText: '北岭镇司法所' })).toContainText('75.0%')
    await expect(page.getByTestId('reach-chart').locator('canvas')).toBeVisible()
    await noSeriousViolations(page, 'reach')
    await shot(page, 'c-learn-reach-hr')

    await page.getByRole('tab', { name: '明细' }).click()
    const day = page.getByTestId('reach-days').locator('tr', { hasText: today() })
    await expect(day).toContainText('75.0%')
    await shot(page, 'c-learn-reach-days')
  })

  test('the city’s organizer drills down from the city to the town', async ({ page }) => {
    await page.goto('/login')
    await login(page, 'e2e_org')
    await expect(page).toHaveURL(/\/console$/)
    await page.getByRole('navigation').getByRole('menuitem', { name: '学习情况' }).click()
    const town = page.getByTestId('reach-units').locator('tr', { hasText: '北岭镇' })
    await expect(town).toContainText('75.0%')
    await town.getByRole('button', { name: '查看“北岭镇”的下级单位' }).click()
    await expect(page.getByText('北岭镇，')).toBeVisible()
    await expect(page.getByTestId('reach-units').locator('tr', { hasText: '北岭镇司法所' })).toContainText('75.0%')
    await expect(page.getByRole('button', { name: '清河市' })).toBeVisible() // the way back up
    await noSeriousViolations(page, 'reach drilled down')
    await shot(page, 'c-learn-reach-drill')
  })
})
