/** Rules of the answer sheet that do not depend on Vue: option labels, choosing, progress. */

export type QuestionKind = 'single' | 'multiple' | 'judge'

export interface PaperOption {
  /** the option's own letter on the question; this is what the server stores */
  letter: string
  text: string
}

interface DisplayOption extends PaperOption {
  /** the letter shown, in display order (A, B, C … whatever the shuffle) */
  label: string
}

const LABELS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'

/** Options may be shuffled per attempt: show them with fresh labels, but keep each option's own letter. */
export function labelOptions(options: readonly PaperOption[]): DisplayOption[] {
  return options.map((option, index) => ({ ...option, label: LABELS[index] ?? String(index + 1) }))
}

/** The shown labels of some chosen letters, in display order ("B、D"). */
export function labelsOf(options: readonly PaperOption[], letters: readonly string[]): string[] {
  return labelOptions(options)
    .filter((o) => letters.includes(o.letter))
    .map((o) => o.label)
}

/** The choices after tapping one option: single and judge questions replace, multiple toggles. */
export function toggleChoice(kind: QuestionKind | string, current: readonly string[], letter: string): string[] {
  if (kind !== 'multiple') return current.length === 1 && current[0] === letter ? [...current] : [letter]
  const next = current.includes(letter) ? current.filter((l) => l !== letter) : [...current, letter]
  return next.sort()
}

type SheetState = 'answered' | 'unanswered' | 'marked'

export function sheetState(choices: readonly string[], marked: boolean): SheetState {
  if (marked) return 'marked'
  return choices.length ? 'answered' : 'unanswered'
}

interface SheetSummary {
  answered: number
  unanswered: number[]
  marked: number[]
}

/** Positions (1-based) of unanswered and marked questions, for the confirmation before submitting. */
export function summarise(items: ReadonlyArray<{ position: number; choices: readonly string[]; marked: boolean }>): SheetSummary {
  const unanswered = items.filter((i) => !i.choices.length).map((i) => i.position)
  const marked = items.filter((i) => i.marked).map((i) => i.position)
  return { answered: items.length - unanswered.length, unanswered, marked }
}

/** Compact list of positions for a message: 1–3、7、9–10. */
export function ranges(positions: readonly number[]): string {
  const sorted = [...positions].sort((a, b) => a - b)
  const parts: string[] = []
  let start: number | undefined
  let prev: number | undefined
  for (const p of [...sorted, Number.NaN]) {
    if (start !== undefined && prev !== undefined && p === prev + 1) {
      prev = p
      continue
    }
    if (start !== undefined && prev !== undefined) parts.push(start === prev ? `${start}` : `${start}–${prev}`)
    start = p
    prev = p
  }
  return parts.join('、')
}

/** An article's text longer than this (characters) is shown folded, with a button to read it all. */
export const ARTICLE_FOLD = 120

export function articleIsLong(text: string): boolean {
  return text.length > ARTICLE_FOLD
}
