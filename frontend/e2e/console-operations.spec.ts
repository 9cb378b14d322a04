import {
  test,
  expect,
  fixtureIds,
  guardOrigin,
  login,
  shot,
  createLeaveLimitExam,
  setPageHidden,
  DESKTOP,
  noSeriousViolations,
} from './fixtures'

// Exam-day operations on a published exam (南关镇's 下半年学法考试, which no other spec sits): an organizer
// gives one participant ten more minutes with a reason, sees it in force, withdraws it, gives the absentees a
// make-up, and reads the page-leave table.
test.describe('console exam-day operations', () => {
  test.use(DESKTOP)

  test('an organizer grants extra time, withdraws it, gives the absentees a make-up and reads the page leaves', async ({ page }) => {
    const { upcoming } = fixtureIds()
    await page.goto('/login')
    await login(page, 'e2e_org')
    await expect(page).toHaveURL(/\/console$/)
    await page.goto(`/console/exams/${upcoming}`)
    await page.getByRole('button', { name: '考试日操作' }).click()
    await expect(page).toHaveURL(new RegExp(`/console/exams/${upcoming}/operations$`))
    await expect(page.getByRole('heading', { name: '下半年学法考试（未开始）' })).toBeVisible()
    const inForce = page.getByTestId('overrides')
    await expect(inForce).toContainText('还没有个人调整或补考')
    await expect(page.getByTestId('page-leaves')).toContainText('还没有人切屏。')
    await noSeriousViolations(page, 'exam-day operations')
    await shot(page, 'c5-operations')

    // nobody chosen and no reason: said next to the fields before anything is sent
    const grant = page.getByTestId('grant')
    await grant.getByRole('button', { name: '确定调整' }).click()
    await expect(grant.locator('.el-form-item.is-error', { hasText: '请搜索并选择人员' })).toBeVisible()
    await expect(grant.locator('.el-form-item.is-error', { hasText: '请填写原因' })).toBeVisible()

    // 赵外 of 北岭镇 is outside the exam's audience: the server's field error stands next to the people
    const who = grant.getByRole('combobox', { name: '输入姓名、账号或手机号搜索' })
    await who.fill('赵外')
    await page.locator('.el-select-dropdown:visible li', { hasText: 'e2e_out' }).click()
    await grant.getByLabel('原因').fill('手机故障，延时十分钟')
    await grant.getByRole('button', { name: '确定调整' }).click()
    const peopleError = grant.locator('.el-form-item.is-error', { hasText: '对象' }).locator('.el-form-item__error')
    await expect(peopleError).toBeVisible()
    await expect(peopleError).toContainText('赵外（e2e_out）') // named, not by id
    await shot(page, 'c5-grant-errors')
    await grant.locator('.el-tag', { hasText: '赵外' }).locator('.el-tag__close').click()

    // ten more minutes for 张伟 (e2e_o3), found by name
    await who.fill('张伟')
    await page.locator('.el-select-dropdown:visible li', { hasText: 'e2e_o3' }).click()
    await expect(grant.getByLabel('延长时间（分钟）')).toHaveValue('10')
    await grant.getByRole('button', { name: '确定调整' }).click()
    await expect(page.getByText('已为 1 人调整')).toBeVisible()
    const row = inForce.locator('.el-table__row', { hasText: 'e2e_o3' })
    await expect(row).toContainText('张伟')
    await expect(row).toContainText('个人调整')
    await expect(row).toContainText('延长 10 分钟')
    await expect(row).toContainText('手机故障，延时十分钟')
    await expect(row).toContainText('e2e_org')
    await expect(inForce).toContainText('生效中的个人调整和补考（1）')
    await shot(page, 'c5-override-granted')

    // withdraw it: a reason is asked for first
    await row.getByRole('button', { name: '撤销 张伟' }).click()
    const box = page.getByRole('dialog', { name: '撤销' })
    await expect(box).toContainText('撤销 张伟 的个人调整')
    await box.getByRole('button', { name: '撤销' }).click()
    await expect(box).toContainText('请填写原因')
    await box.getByRole('textbox').fill('已恢复正常，不再需要')
    await box.getByRole('button', { name: '撤销' }).click()
    await expect(page.getByText('已撤销 张伟 的调整')).toBeVisible()
    await expect(inForce).toContainText('还没有个人调整或补考')

    // a make-up for the absentees (everyone of the audience: nobody has sat this exam yet)
    const makeup = page.getByTestId('makeup')
    await expect(makeup.getByRole('checkbox', { name: '缺考（没有交卷）' })).toBeChecked()
    await makeup.getByLabel('补考原因').fill('年度补考')
    await makeup.getByRole('button', { name: '安排补考' }).click()
    const done = page.getByTestId('makeup-done')
    await expect(done).toHaveText(/已为 \d+ 人安排补考/)
    const given = Number((await done.textContent())!.match(/已为 (\d+) 人/)![1])
    expect(given).toBeGreaterThanOrEqual(11) // 南关镇's participants: e2e_p1…p6, e2e_o1…o5 and more
    await expect(inForce).toContainText(`生效中的个人调整和补考（${given}）`)
    const makeupRow = inForce.locator('.el-table__row', { hasText: 'e2e_p1' })
    await expect(makeupRow).toContainText('补考')
    await expect(makeupRow).toContainText('年度补考')
    await expect(makeupRow).toContainText('补考 1 次')
    await expect(makeupRow).toContainText('补考时间：')
    await shot(page, 'c5-makeup-given')
    await inForce.scrollIntoViewIfNeeded()
    await shot(page, 'c5-makeups-in-force')

    // the page-leave table, refreshed on demand
    const leaves = page.getByTestId('page-leaves')
    await leaves.getByRole('button', { name: '刷新' }).click()
    await expect(leaves).toContainText('切屏记录（0）')
    await expect(leaves).toContainText('本考试不限切屏次数')
    await expect(leaves.getByRole('columnheader', { name: '切屏次数' })).toBeVisible()
    await noSeriousViolations(page, 'exam-day operations after a make-up')
  })

  test('the page-leave table shows a participant who left the exam page, after a refresh', async ({ page, browser, baseURL }) => {
    const examId = createLeaveLimitExam(5)
    await page.goto('/login')
    await login(page, 'e2e_org')
    await expect(page).toHaveURL(/\/console$/)
    await page.goto(`/console/exams/${examId}/operations`)
    const leaves = page.getByTestId('page-leaves')
    await expect(leaves).toContainText('还没有人切屏。')
    await expect(leaves).toContainText('本考试切屏超过 5 次自动交卷。')

    // 刘洋 (e2e_o4) sits it on a phone and switches away twice
    const phone = await browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' })
    const phoneGuard = guardOrigin(phone, baseURL!)
    const sitter = await phone.newPage()
    await sitter.goto(`/exams/${examId}/take`)
    await login(sitter, 'e2e_o4')
    await expect(sitter.locator('fieldset.question')).toBeVisible()
    const notice = sitter.getByTestId('leave-notice')
    for (const n of [1, 2]) {
      await setPageHidden(sitter, true)
      await setPageHidden(sitter, false)
      await expect(notice).toHaveText(`已离开页面 ${n} 次，超过 5 次将自动交卷。`)
    }

    // the phone reports each leave in the background: the organizer refreshes until the second one is in
    const row = leaves.locator('.el-table__row', { hasText: 'e2e_o4' })
    await expect(async () => {
      await leaves.getByRole('button', { name: '刷新' }).click()
      await expect(row.locator('td').nth(4)).toHaveText('2 次', { timeout: 2_000 })
    }).toPass({ timeout: 20_000 })
    await expect(row).toContainText('刘洋')
    await expect(row).toContainText('第 1 次')
    await expect(row).toContainText('作答中')
    await expect(leaves).toContainText('切屏记录（1）')
    await row.scrollIntoViewIfNeeded()
    await shot(page, 'c5-page-leaves')
    phoneGuard.check()
    await phone.close()
  })
})
