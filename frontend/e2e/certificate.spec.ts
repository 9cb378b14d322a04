import { readFileSync } from 'node:fs'
import { test, expect, fixtureIds, guardOrigin, login, passedParticipant, shot } from './fixtures'

test('a participant who passed downloads their certificate, and anyone can verify its code', async ({ page, context, browser, baseURL }) => {
  const guard = guardOrigin(context, baseURL!)
  const { quiz } = fixtureIds()
  const { attempt, code } = passedParticipant('e2e_cert', quiz)

  await page.goto(`/attempts/${attempt}/result`)
  await login(page, 'e2e_cert')
  await expect(page).toHaveURL(new RegExp(`/attempts/${attempt}/result$`))
  const button = page.getByTestId('certificate')
  await expect(button).toHaveText('下载合格证书')
  await shot(page, 'certificate-01-result')
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()])
  expect(download.suggestedFilename()).toBe('民法典宣传月知识竞赛（测试）-合格证书.pdf')
  const pdf = readFileSync((await download.path())!)
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
  expect(pdf.length).toBeGreaterThan(5_000)
  guard.check()

  // the QR code's address, opened by someone who is not signed in
  const stranger = await browser.newContext()
  const strangerGuard = guardOrigin(stranger, baseURL!)
  const visitor = await stranger.newPage()
  await visitor.goto(`/verify/${code}`)
  const verdict = visitor.getByTestId('verdict')
  await expect(verdict).toContainText('证书有效')
  await expect(verdict).toContainText('欧**书') // masked, never the full name
  await expect(verdict).toContainText('民法典宣传月知识竞赛（测试）')
  await expect(verdict).not.toContainText('欧阳证书')
  await expect(verdict).not.toContainText('e2e_cert')
  await shot(visitor, 'certificate-02-verify-valid')

  // a mistyped code: told so, and the form stays to try again
  await visitor.getByLabel('证书编号').fill('0000-0000-0000')
  await visitor.getByRole('button', { name: '验证' }).click()
  await expect(visitor).toHaveURL(/\/verify\/0000-0000-0000$/)
  await expect(visitor.getByTestId('verify-error')).toHaveText('没有找到这个编号的证书，请核对编号。')
  await shot(visitor, 'certificate-03-verify-unknown')
  strangerGuard.check()
  await stranger.close()
})
