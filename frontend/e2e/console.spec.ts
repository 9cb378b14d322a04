import { test, expect, login, shot, DESKTOP, noSeriousViolations } from './fixtures'

// The console's shell: who lands where, which areas each role sees, and what a participant's phone never loads.
test.describe('console shell', () => {
  test.use(DESKTOP)

  test('an organizer lands in the console and sees every area; the participant pages stay one click away', async ({ page }) => {
    await page.goto('/login')
    await login(page, 'e2e_org_ng')
    await expect(page).toHaveURL(/\/console$/)
    const nav = page.getByRole('navigation')
    for (const area of ['题库', '考试', '人员与单位', '成绩与导出']) {
      await expect(nav.getByRole('menuitem', { name: area })).toBeVisible()
    }
    await expect(page.getByText('南关组织者')).toBeVisible()
    await noSeriousViolations(page, 'console home')
    await shot(page, 'c0-console-home')

    await page.getByRole('link', { name: '参考人员页面' }).click()
    await expect(page).toHaveURL(/view=participant/)
    await expect(page.getByRole('tab', { name: /进行中/ })).toBeVisible()
  })

  test('HR sees results only, and an organizer-only page sends them back to the console', async ({ page }) => {
    await page.goto('/login')
    await login(page, 'e2e_hr_ng')
    await expect(page).toHaveURL(/\/console$/)
    const nav = page.getByRole('navigation')
    await expect(nav.getByRole('menuitem', { name: '成绩与导出' })).toBeVisible()
    await expect(nav.getByRole('menuitem', { name: '题库' })).toHaveCount(0)
    await page.goto('/console/banks')
    await expect(page).toHaveURL(/\/console$/)
  })

  test('a participant cannot open the console, and their pages never load Element Plus or ECharts', async ({ page }) => {
    const scripts: string[] = []
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script' || r.request().resourceType() === 'stylesheet') scripts.push(r.url())
    })
    await page.goto('/login')
    await login(page, 'e2e_p6')
    await expect(page.getByRole('tab', { name: /进行中/ })).toBeVisible()
    await page.goto('/console/banks')
    await expect(page).toHaveURL(/\/$/)
    await expect(page.getByRole('tab', { name: /进行中/ })).toBeVisible()
    expect(scripts.filter((u) => /Console|element|echarts/i.test(u)), 'console chunks on a participant page').toEqual([])
  })
})
