import { test, expect, fixtureIds, shot } from './fixtures'

test('someone signs up for the open quiz, with errors shown next to the field, and finds it on the home page', async ({ page }) => {
  const { quiz } = fixtureIds()
  await page.goto(`/exams/${quiz}`)
  await expect(page).toHaveURL(/\/login/)
  await page.getByRole('link', { name: '注册参加竞赛' }).click()

  await page.getByLabel('姓名').fill('吴六')
  await page.getByLabel('手机号').fill('123')
  await page.getByRole('button', { name: '单位' }).click()
  const picker = page.getByRole('dialog', { name: '单位' })
  await picker.getByRole('searchbox').fill('李家庄')
  await picker.getByRole('button', { name: /李家庄村/ }).click()
  await expect(page.getByRole('button', { name: '单位' })).toContainText('李家庄村')
  await page.getByLabel('密码', { exact: true }).fill('Wuliu#2026pass')
  await page.getByRole('button', { name: '注册参加竞赛' }).click()
  // The server's message, in Chinese, under the phone field.
  await expect(page.locator('#su-phone-error')).toContainText('11位手机号码')
  await expect(page.locator('#su-phone')).toHaveAttribute('aria-describedby', 'su-phone-error')
  await shot(page, '24-signup-field-error')

  await page.getByLabel('手机号').fill('13700000099')
  await page.getByRole('button', { name: '注册参加竞赛' }).click()
  await expect(page).toHaveURL(new RegExp(`/exams/${quiz}$`))
  await expect(page.getByRole('button', { name: '开始答题' })).toBeVisible()

  await page.goto('/me')
  await expect(page.getByText('吴六')).toBeVisible()
  await expect(page.getByText('李家庄村')).toBeVisible()
  await shot(page, '25-my-account')
  await page.getByRole('button', { name: '退出登录' }).click()
  await page.getByRole('alertdialog', { name: '退出登录' }).getByRole('button', { name: '退出登录' }).click()
  await expect(page).toHaveURL(/\/login$/)
})
