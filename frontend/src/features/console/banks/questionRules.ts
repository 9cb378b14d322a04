/**
 * The rules of a valid question, mirrored from the server's `quizzes/questions.py` (`question_problems`) so
 * that the editor shows a problem while it is typed, with the server's own words. The server stays the
 * judge: its field errors are shown on save. `questionRules.test.ts` checks every message below against the
 * server's message catalogue (locale/en/LC_MESSAGES/django.po), so the two cannot drift apart unnoticed.
 */

export type QuestionKind = 'single' | 'multiple' | 'judge'
export type QuestionField = 'kind' | 'stem' | 'options' | 'answer'
export type Lang = 'zh-CN' | 'en'

export const OPTION_LETTERS = 'ABCDEFGH'
export const JUDGE_OPTIONS = ['正确', '错误']
const KINDS: QuestionKind[] = ['single', 'multiple', 'judge']

/** The server's messages: the Chinese source (msgid) and its English translation (msgstr), `{name}` placeholders. */
export const RULE_MESSAGES = {
  kind_invalid: { 'zh-CN': '题型必须是 {kinds} 之一。', en: 'The question type must be one of {kinds}.' },
  empty_stem: { 'zh-CN': '题干不能为空。', en: 'The question text cannot be empty.' },
  too_few_options: { 'zh-CN': '选择题至少需要两个选项。', en: 'A choice question needs at least two options.' },
  too_many_options: { 'zh-CN': '选项最多 {count} 个。', en: 'At most {count} options are allowed.' },
  empty_option: { 'zh-CN': '选项内容不能为空。', en: 'An option cannot be empty.' },
  no_answer: { 'zh-CN': '缺少答案。', en: 'The answer is missing.' },
  answer_not_in_options: {
    'zh-CN': '答案 {answer} 不在选项 {letters} 之中。',
    en: 'The answer {answer} is not among the options {letters}.',
  },
  too_many_answers: {
    'zh-CN': '单选题和判断题只能有一个答案。',
    en: 'Single-choice and true/false questions can have only one answer.',
  },
} as const

export type RuleCode = keyof typeof RULE_MESSAGES

export interface QuestionDraft {
  kind: string
  stem: string
  options: string[]
  answer: string[]
}

export interface Problem {
  field: QuestionField
  code: RuleCode
  message: string
}

function render(code: RuleCode, lang: Lang, params: Record<string, string | number> = {}): string {
  return RULE_MESSAGES[code][lang].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''))
}

/** Options and answer in the stored form (judge questions always 正确/错误; letters upper-case, sorted, once). */
export function normalise(draft: QuestionDraft): QuestionDraft {
  const options = (draft.kind === 'judge' ? JUDGE_OPTIONS : draft.options).map((o) => String(o).trim())
  const answer = [...new Set(draft.answer.map((a) => String(a).trim().toUpperCase()))].sort()
  return { kind: draft.kind, stem: draft.stem, options, answer }
}

/** Every rule the question breaks, in the server's order (empty when valid). */
export function questionProblems(draft: QuestionDraft, lang: Lang): Problem[] {
  const { kind, stem, options, answer } = normalise(draft)
  const problems: Problem[] = []
  const add = (field: QuestionField, code: RuleCode, params?: Record<string, string | number>) =>
    problems.push({ field, code, message: render(code, lang, params) })

  if (!KINDS.includes(kind as QuestionKind)) add('kind', 'kind_invalid', { kinds: KINDS.join(', ') })
  if (!stem.trim()) add('stem', 'empty_stem')
  if (kind !== 'judge') {
    if (options.length < 2) add('options', 'too_few_options')
    if (options.length > OPTION_LETTERS.length) add('options', 'too_many_options', { count: OPTION_LETTERS.length })
    if (options.some((o) => !o.trim())) add('options', 'empty_option')
  }
  const validLetters = OPTION_LETTERS.slice(0, kind === 'judge' ? JUDGE_OPTIONS.length : options.length)
  if (!answer.length) add('answer', 'no_answer')
  else if (answer.some((a) => a.length !== 1 || !validLetters.includes(a)))
    add('answer', 'answer_not_in_options', { answer: answer.join(''), letters: validLetters })
  else if ((kind === 'single' || kind === 'judge') && answer.length !== 1) add('answer', 'too_many_answers')
  return problems
}

/** The problems as field errors, `{field: [messages]}`: the shape of the API's `error.fields`. */
export function questionErrors(draft: QuestionDraft, lang: Lang): Partial<Record<QuestionField, string[]>> {
  const errors: Partial<Record<QuestionField, string[]>> = {}
  for (const p of questionProblems(draft, lang)) (errors[p.field] ??= []).push(p.message)
  return errors
}
