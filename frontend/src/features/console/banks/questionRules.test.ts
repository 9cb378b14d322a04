import { describe, expect, it } from 'vitest'
import { RULE_MESSAGES, normalise, questionErrors, questionProblems } from './questionRules'
// the server's message catalogue, read as text at test time (never part of the app's bundle)
import po from '../../../../../locale/en/LC_MESSAGES/django.po?raw'

/** msgid → msgstr of the server's catalogue (single-line entries, which these all are). */
function catalogue(): Map<string, string> {
  const entries = new Map<string, string>()
  for (const m of po.matchAll(/^msgid "(.*)"\nmsgstr "(.*)"$/gm)) entries.set(m[1]!, m[2]!)
  return entries
}

const toPython = (s: string) =>
  s.replace('{count}', '%(count)d').replace(/\{(\w+)\}/g, (_, name: string) => `%(${name})s`)

describe('question rules mirror the server', () => {
  it('uses exactly the server messages, in Chinese and in English', () => {
    const po = catalogue()
    for (const [code, text] of Object.entries(RULE_MESSAGES)) {
      const msgid = toPython(text['zh-CN'])
      expect(po.has(msgid), `${code}: "${msgid}" is not a server message`).toBe(true)
      expect(po.get(msgid), code).toBe(toPython(text.en))
    }
  })

  it('accepts valid questions of each kind', () => {
    expect(questionProblems({ kind: 'single', stem: '题', options: ['甲', '乙'], answer: ['b'] }, 'zh-CN')).toEqual([])
    expect(questionProblems({ kind: 'multiple', stem: '题', options: ['甲', '乙', '丙'], answer: ['A', 'C'] }, 'en')).toEqual([])
    expect(questionProblems({ kind: 'judge', stem: '题', options: [], answer: ['B'] }, 'zh-CN')).toEqual([])
  })

  it('names every broken rule with its field, in the server order', () => {
    const problems = questionProblems({ kind: 'single', stem: '  ', options: ['甲'], answer: [] }, 'zh-CN')
    expect(problems.map((p) => [p.field, p.code])).toEqual([
      ['stem', 'empty_stem'],
      ['options', 'too_few_options'],
      ['answer', 'no_answer'],
    ])
  })

  it('fills the placeholders as the server does', () => {
    expect(questionErrors({ kind: 'single', stem: '题', options: ['甲', '乙'], answer: ['E'] }, 'zh-CN')).toEqual({
      answer: ['答案 E 不在选项 AB 之中。'],
    })
    expect(questionErrors({ kind: 'multiple', stem: '题', options: ['甲', '乙'], answer: ['C', 'A'] }, 'en')).toEqual({
      answer: ['The answer AC is not among the options AB.'],
    })
    const many = Array.from({ length: 9 }, (_, i) => `选项${i}`)
    expect(questionErrors({ kind: 'multiple', stem: '题', options: many, answer: ['A'] }, 'zh-CN').options).toEqual([
      '选项最多 8 个。',
    ])
    expect(questionErrors({ kind: 'essay', stem: '题', options: ['a', 'b'], answer: ['A'] }, 'en').kind).toEqual([
      'The question type must be one of single, multiple, judge.',
    ])
  })

  it('refuses an empty option, two answers to a single choice, and an answer beyond a judge question', () => {
    expect(questionErrors({ kind: 'single', stem: '题', options: ['甲', ' '], answer: ['A', 'B'] }, 'zh-CN')).toEqual({
      options: ['选项内容不能为空。'],
      answer: ['单选题和判断题只能有一个答案。'],
    })
    expect(questionErrors({ kind: 'judge', stem: '题', options: ['x', 'y', 'z'], answer: ['C'] }, 'zh-CN')).toEqual({
      answer: ['答案 C 不在选项 AB 之中。'],
    })
  })

  it('normalises as the server stores: judge options fixed, letters upper-case, sorted and once', () => {
    expect(normalise({ kind: 'judge', stem: 's', options: ['a'], answer: ['a'] })).toEqual({
      kind: 'judge',
      stem: 's',
      options: ['正确', '错误'],
      answer: ['A'],
    })
    expect(normalise({ kind: 'multiple', stem: 's', options: [' 甲 ', '乙'], answer: ['b', 'A', 'B'] }).answer).toEqual(['A', 'B'])
  })
})
