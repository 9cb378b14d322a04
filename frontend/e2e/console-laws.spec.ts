import { test, expect, login, shot, DESKTOP, guardOrigin, noSeriousViolations } from './fixtures'

// The law-text library (法规库) in the console: a town's organizer finds an article of the shipped Civil Code
// by its number and copies its citation, adds a small regulation of their own by pasting it (a gap in its
// numbering shown first, then fixed: five articles under two chapters), finds its article, and deletes it;
// the other town's organizer never sees it.

const LAW = '某县机关作风建设规定'
const EDITION = '2026年1月1日起施行'
const article = (n: string, text: string) => `第${n}条 ${text}`
const withGap = [
  '第一章 总则',
  article('一', '为了加强机关作风建设，制定本规定。'),
  article('二', '本规定适用于本县各级机关及其工作人员。'),
  '第二章 作风要求',
  article('三', '机关工作人员应当依法办事，热情服务群众。'),
  article('五', '违反本规定的，依照有关规定追究责任。'),
]
const fixed = [...withGap.slice(0, 5), article('四', '机关应当公开办事程序和时限，接受群众监督。'), withGap[5]!]

test.describe('console law library', () => {
  test.use(DESKTOP)

  test('an organizer finds a Civil Code article, adds a regulation by pasting, finds its article and deletes it; another town never sees it', async ({
    page,
    browser,
    baseURL,
  }) => {
    await page.goto('/login')
    await login(page, 'e2e_org_ng')
    await page.getByRole('navigation').getByRole('menuitem', { name: '法规库' }).click()
    await expect(page.getByRole('heading', { name: '法规库', level: 1 })).toBeVisible()
    const civil = page.getByRole('row').filter({ hasText: '中华人民共和国民法典' })
    await expect(civil).toContainText('1260 条')
    await expect(civil).toContainText('系统提供')
    await expect(civil.getByRole('button', { name: /删除/ })).toHaveCount(0) // shipped: not theirs to delete
    await noSeriousViolations(page, 'law list')
    await shot(page, 'laws-1-list')

    // search by name, open the Civil Code, find article 1079 by its number
    await page.getByLabel('按名称搜索').fill('民法典')
    await expect(page.getByRole('status').filter({ hasText: '共 1 部' })).toBeVisible()
    await civil.getByRole('link', { name: '中华人民共和国民法典' }).click()
    await expect(page.getByRole('heading', { name: '《中华人民共和国民法典》', level: 1 })).toBeVisible()
    await expect(page.getByRole('status').filter({ hasText: '共 1260 条' })).toBeVisible()
    await shot(page, 'laws-2-civil-code')
    await page.getByLabel('查找条文').fill('第一千零七十九条')
    await expect(page.getByRole('status').filter({ hasText: '找到 1 条' })).toBeVisible()
    const found = page.getByRole('article')
    await expect(found).toHaveCount(1)
    await expect(found).toContainText('夫妻一方要求离婚的')
    await expect(page.getByRole('heading', { name: /第五编\s*婚姻家庭/ })).toBeVisible() // under its book and chapter
    await page.getByLabel('查找条文').fill('1079')
    await expect(found).toHaveCount(1)
    await found.getByRole('button', { name: '复制引用：《中华人民共和国民法典》第一千零七十九条' }).click()
    await expect(page.getByText(/《中华人民共和国民法典》第一千零七十九条/).last()).toBeVisible()
    await noSeriousViolations(page, 'law text')
    await shot(page, 'laws-3-civil-code-found')
    await page.getByLabel('查找条文').fill('离婚 调解')
    await expect(page.getByRole('status').filter({ hasText: /找到 \d+ 条/ })).toBeVisible()
    await expect(page.getByRole('article').filter({ hasText: '夫妻一方要求离婚的' })).toBeVisible()

    // add a regulation by pasting: first without an edition and with article 4 missing
    await page.getByRole('link', { name: '‹ 法规库' }).click()
    await page.getByRole('link', { name: '添加法规' }).click()
    await expect(page.getByRole('heading', { name: '添加法规', level: 1 })).toBeVisible()
    await page.getByLabel('法规名称').fill(LAW)
    await page.getByLabel('法规全文').fill(withGap.join('\n'))
    await page.getByRole('button', { name: '检查分条' }).click()
    await expect(page.locator('.el-form-item.is-error').filter({ hasText: '版本' })).toBeVisible()
    await expect(page.getByRole('button', { name: '保存到法规库' })).toBeDisabled()
    await page.getByLabel('版本').fill(EDITION)
    await page.getByRole('button', { name: /检查分条|重新检查/ }).click()
    const preview = page.getByRole('region', { name: '分条结果' })
    await expect(preview).toContainText('4 条')
    await expect(preview).toContainText('第五条 之前缺少条文（上一条是第三条）')
    await noSeriousViolations(page, 'law preview with a gap')
    await shot(page, 'laws-4-preview-gap')

    // the missing article put in: five articles, two chapters, no problems
    await page.getByLabel('法规全文').fill(fixed.join('\n'))
    await expect(preview).toContainText('内容已修改，请重新检查。')
    await expect(page.getByRole('button', { name: '保存到法规库' })).toBeDisabled()
    await page.getByRole('button', { name: '重新检查' }).click()
    await expect(preview).toContainText('5 条')
    await expect(preview).toContainText('第一条')
    await expect(preview).toContainText('第五条')
    await expect(preview).toContainText('第二章 作风要求')
    await expect(preview).toContainText('没有发现问题，可以保存。')
    await shot(page, 'laws-5-preview-clean')
    await page.getByRole('button', { name: '保存到法规库' }).click()

    // lands on the new text; its article is found by number and by words
    await expect(page.getByRole('heading', { name: `《${LAW}》`, level: 1 })).toBeVisible()
    await expect(page.getByText(`已添加《${LAW}》，共 5 条。`)).toBeVisible()
    await expect(page.getByRole('article')).toHaveCount(5)
    await page.getByLabel('查找条文').fill('第四条')
    await expect(page.getByRole('article')).toHaveCount(1)
    await expect(page.getByRole('article')).toContainText('公开办事程序')
    await page.getByLabel('查找条文').fill('群众')
    await expect(page.getByRole('article')).toHaveCount(2)
    await page.getByLabel('查找条文').fill('')
    await noSeriousViolations(page, 'own law text')
    await shot(page, 'laws-6-own-text')
    const ownUrl = page.url()

    // the other town's organizer does not see it, in the list or at its address
    const other = await browser.newContext({ ...DESKTOP, baseURL, locale: 'zh-CN' })
    const otherGuard = guardOrigin(other, baseURL!)
    const desk = await other.newPage()
    await desk.goto('/login')
    await login(desk, 'e2e_org_bl')
    await desk.getByRole('navigation').getByRole('menuitem', { name: '法规库' }).click()
    await expect(desk.getByRole('row').filter({ hasText: '中华人民共和国民法典' })).toBeVisible()
    await expect(desk.getByRole('row').filter({ hasText: LAW })).toHaveCount(0)
    await desk.getByLabel('按名称搜索').fill('作风')
    await expect(desk.getByText('没有名称含“作风”的法规。')).toBeVisible()
    await desk.goto(ownUrl)
    await expect(desk.getByRole('alert')).toContainText('加载失败')
    otherGuard.check()
    await other.close()

    // the first town's organizer deletes it, after confirming
    await page.goto('/console/laws')
    const own = page.getByRole('row').filter({ hasText: LAW })
    await expect(own).toContainText('南关镇')
    await expect(own).toContainText('5 条')
    await own.getByRole('link', { name: LAW }).click()
    await page.getByRole('button', { name: '删除' }).click()
    const confirm = page.getByRole('dialog', { name: '删除法规' })
    await expect(confirm).toContainText(`删除《${LAW}》（${EDITION}）？`)
    await noSeriousViolations(page, 'delete confirmation')
    await shot(page, 'laws-7-delete-confirm')
    await confirm.getByRole('button', { name: '删除' }).click()
    await expect(page.getByText(`已删除《${LAW}》。`)).toBeVisible()
    await expect(page.getByRole('heading', { name: '法规库', level: 1 })).toBeVisible()
    await expect(page.getByRole('row').filter({ hasText: LAW })).toHaveCount(0)
  })
})
