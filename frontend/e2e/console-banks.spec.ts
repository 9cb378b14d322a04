import { test, expect, login, shot, DESKTOP, noSeriousViolations } from './fixtures'

// The organizer's question banks: a bank made in the browser, questions imported from a text file with one
// broken question (its error shown on its line, fixed in the text, checked again), committed, then found in
// the bank's filterable table and edited with the server's rules checked as one types.

const token = Date.now().toString(36)
const bankName = `导入测试题库-${token}`

const lines = [
  `1. 十八周岁以上的自然人为（　）。${token}`, // 1
  'A. 成年人', // 2
  'B. 未成年人', // 3
  '答案：A', // 4
  '法条依据：《中华人民共和国民法典》第十七条', // 5
  '', // 6
  `2. 下列属于人格权的有（　）。${token}`, // 7
  'A. 生命权', // 8
  'B. 姓名权', // 9
  'C. 所有权', // 10
  '答案：ABE', // 11: E is no option
  '法条依据：《中华人民共和国民法典》第九百九十条', // 12
  '', // 13
  `3. 离婚冷静期为三十日。${token}`, // 14
  '答案：正确', // 15
  '法条依据：《中华人民共和国民法典》第一千零七十七条', // 16
]

test.describe('console banks', () => {
  test.use(DESKTOP)

  test('an organizer imports a text file with one broken question, fixes its line, commits, and finds the questions', async ({ page }) => {
    await page.goto('/login')
    await login(page, 'e2e_org')
    await page.getByRole('navigation').getByRole('menuitem', { name: '题库' }).click()
    await expect(page.getByRole('heading', { name: '题库', level: 1 })).toBeVisible()
    await expect(page.getByRole('row').nth(1)).toBeVisible() // the shipped banks, with their counts
    await expect(page.getByRole('cell', { name: /^\d+ 题$/ }).first()).toBeVisible()
    await noSeriousViolations(page, 'banks list')
    await shot(page, 'c1-banks-list')

    // a new bank
    await page.getByRole('button', { name: '新建题库' }).click()
    const dialog = page.getByRole('dialog', { name: '新建题库' })
    await dialog.getByRole('button', { name: '保存' }).click()
    await expect(dialog.getByText('请填写题库名称。')).toBeVisible()
    await dialog.getByLabel('题库名称').fill(bankName)
    await dialog.getByRole('button', { name: '保存' }).click()
    const bankRow = page.getByRole('row').filter({ hasText: bankName })
    await expect(bankRow).toContainText('0 题')

    // import a text file; the broken question shows its error on its line, and nothing can be committed
    await bankRow.getByRole('link', { name: '导入试题' }).click()
    await expect(page.getByRole('heading', { name: `导入试题：${bankName}` })).toBeVisible()
    await page.locator('input[type=file]').setInputFiles({
      name: '民法典试题.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(lines.join('\n'), 'utf8'),
    })
    await expect(page.getByRole('status').filter({ hasText: '共 3 题，可导入 2 题；错误 1 处' })).toBeVisible()
    const broken = page.getByRole('row').filter({ hasText: '下列属于人格权的有' })
    await expect(broken).toContainText('第 11 行 · 答案：答案 ABE 不在选项 ABC 之中。')
    await expect(page.getByRole('button', { name: /^导入 \d+ 题$/ })).toBeDisabled()
    await noSeriousViolations(page, 'import preview')
    await shot(page, 'c1-import-error')

    // the file's text is in the text box: jump to the line, fix it, check again
    await broken.getByRole('button', { name: '在文本中定位到第 11 行' }).click()
    const text = page.getByLabel('试题文本')
    await expect(text).toBeFocused()
    await expect(text).toHaveValue(/答案：ABE/)
    await text.fill(lines.map((l, i) => (i === 10 ? '答案：AB' : l)).join('\n'))
    await page.getByRole('button', { name: '重新检查' }).click()
    await expect(page.getByRole('status').filter({ hasText: '共 3 题，可导入 3 题；错误 0 处' })).toBeVisible()
    await shot(page, 'c1-import-fixed')
    await page.getByRole('button', { name: '导入 3 题' }).click()

    // the questions are in the bank's table
    await expect(page.getByText('已导入 3 题。')).toBeVisible()
    await expect(page.getByRole('heading', { name: bankName, level: 1 })).toBeVisible()
    const table = page.getByRole('table').last()
    for (const stem of ['十八周岁以上的自然人为', '下列属于人格权的有', '离婚冷静期为三十日']) {
      await expect(page.getByRole('row').filter({ hasText: stem })).toHaveCount(1)
    }
    await expect(page.getByText('共 3 题', { exact: true })).toBeVisible()
    await noSeriousViolations(page, 'questions table')
    await shot(page, 'c1-questions')

    // filters: kind, then a text search
    await page.getByRole('combobox', { name: '题型' }).click({ force: true }) // the select's placeholder lies over its input
    await page.getByRole('option', { name: '判断题' }).click()
    await expect(page.getByRole('row').filter({ hasText: '离婚冷静期' })).toHaveCount(1)
    await expect(page.getByRole('row').filter({ hasText: '人格权' })).toHaveCount(0)
    await expect(page).toHaveURL(/kind=judge/)
    await page.getByRole('button', { name: '清除筛选' }).click()
    await page.getByRole('combobox', { name: '状态' }).click({ force: true })
    await page.getByRole('option', { name: '停用' }).click()
    await expect(page.getByText('没有符合筛选条件的试题。')).toBeVisible()
    await expect(page).toHaveURL(/active=false/)
    await page.getByRole('button', { name: '清除筛选' }).click()
    await expect(page.getByText('共 3 题', { exact: true })).toBeVisible()
    await page.getByRole('textbox', { name: '搜索题干' }).fill('人格权')
    await expect(page.getByRole('row').filter({ hasText: '十八周岁' })).toHaveCount(0)
    await expect(page.getByRole('row').filter({ hasText: '人格权' })).toHaveCount(1)
    await expect(table).toBeVisible()

    // the editor checks as one types, with the server's words, and saves through the server
    await page.getByRole('row').filter({ hasText: '人格权' }).getByRole('button', { name: /^编辑/ }).click()
    const editor = page.getByRole('dialog', { name: /^编辑试题/ })
    await editor.getByRole('textbox', { name: '题干' }).fill('')
    await expect(editor.getByText('题干不能为空。')).toBeVisible()
    await editor.getByRole('textbox', { name: '选项 C' }).fill('')
    await expect(editor.getByText('选项内容不能为空。')).toBeVisible()
    await shot(page, 'c1-editor-errors')
    await editor.getByRole('textbox', { name: '题干' }).fill(`下列属于人格权的有哪些（　）。${token}`)
    await editor.getByRole('textbox', { name: '选项 C' }).fill('隐私权')
    await editor.locator('label.el-checkbox').filter({ hasText: /^C$/ }).click()
    await expect(editor.getByRole('checkbox', { name: 'C' })).toBeChecked()
    await editor.getByRole('textbox', { name: '解析' }).fill('所有权是物权，不是人格权。')
    await editor.getByRole('button', { name: '保存' }).click()
    await expect(page.getByText('试题已保存。')).toBeVisible()
    await page.getByRole('button', { name: '清除筛选' }).click()
    const edited = page.getByRole('row').filter({ hasText: '下列属于人格权的有哪些' })
    await expect(edited).toContainText('C. 隐私权')
    await expect(edited).toContainText('ABC')

    // the same file again: every question is flagged as already in the bank (a warning: the organizer decides)
    await page.getByRole('link', { name: '导入试题' }).click()
    await page.locator('input[type=file]').setInputFiles({
      name: '民法典试题（重复）.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(lines.map((l, i) => (i === 10 ? '答案：AB' : l)).join('\n'), 'utf8'),
    })
    await expect(page.getByRole('status').filter({ hasText: '错误 0 处，警告' })).toBeVisible()
    await expect(page.getByText('没有错误。警告（如疑似重复）不影响导入，请确认后导入。')).toBeVisible()
    await expect(page.getByRole('row').filter({ hasText: '十八周岁以上的自然人为' })).toContainText(/题库中已有相同的试题（编号 \d+）/)
    await expect(page.getByRole('row').filter({ hasText: '离婚冷静期为三十日' })).toContainText(/题库中已有相同的试题（编号 \d+）/)
    // the question edited above (new stem, option C 隐私权) is no longer the same as the file's
    await expect(page.getByRole('row').filter({ hasText: '下列属于人格权的有' })).not.toContainText('题库中已有')
    await noSeriousViolations(page, 'import preview with warnings')
    await shot(page, 'c1-import-duplicates')
  })
})

test.describe('console banks: rename', () => {
  test.use(DESKTOP)

  test('a rename to a name the unit already has shows the server refusal on the name; a new name is saved', async ({ page }) => {
    const name = `重命名测试-${token}`
    await page.goto('/login')
    await login(page, 'e2e_org')
    await expect(page).toHaveURL(/\/console$/)
    await page.getByRole('navigation').getByRole('menuitem', { name: '题库' }).click()
    const taken = (await page.getByRole('row').nth(1).getByRole('link').first().textContent())!.trim()
    await page.getByRole('button', { name: '新建题库' }).click()
    await page.getByRole('dialog', { name: '新建题库' }).getByLabel('题库名称').fill(name)
    await page.getByRole('dialog', { name: '新建题库' }).getByRole('button', { name: '保存' }).click()
    await expect(page.getByRole('row').filter({ hasText: name })).toBeVisible()

    await page.getByRole('button', { name: `重命名 ${name}` }).click()
    const dialog = page.getByRole('dialog', { name: '重命名题库' })
    await dialog.getByLabel('题库名称').fill(taken)
    await dialog.getByRole('button', { name: '保存' }).click()
    await expect(dialog.getByText(`本单位已有名为“${taken}”的题库。`)).toBeVisible()
    await shot(page, 'c1-rename-taken')
    await dialog.getByLabel('题库名称').fill(`${name}（2027）`)
    await dialog.getByRole('button', { name: '保存' }).click()
    await expect(page.getByRole('row').filter({ hasText: `${name}（2027）` })).toContainText('0 题')

    // the same page in English
    await page.getByRole('button', { name: 'English' }).click()
    await expect(page.getByRole('heading', { name: 'Question banks', level: 1 })).toBeVisible()
    await expect(page.getByRole('row').filter({ hasText: `${name}（2027）` })).toContainText('0 questions')
    await shot(page, 'c1-banks-list-en')
  })
})
