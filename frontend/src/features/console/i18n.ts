import { i18n } from '@/i18n'
import zh from './messages.zh-CN'
import en from './messages.en'

type Messages = Record<string, unknown>

/**
 * The console's messages live with the console (they are not in the participant's bundle): the shell's own
 * in messages.*.ts, each area's in `<area>/messages.ts` as `{ 'zh-CN': {...}, en: {...} }`, all under the
 * `console.` key (an area's under `console.<area>.`). Merged once, when the console is first opened.
 */
const areas = import.meta.glob<{ default: { 'zh-CN': Messages; en: Messages } }>('./*/messages.ts', { eager: true })

let installed = false

export function installConsoleMessages(): void {
  if (installed) return
  installed = true
  const zhAll: Messages = { ...zh }
  const enAll: Messages = { ...en }
  for (const [path, mod] of Object.entries(areas)) {
    const area = path.split('/')[1] ?? path
    zhAll[area] = mod.default['zh-CN']
    enAll[area] = mod.default.en
  }
  i18n.global.mergeLocaleMessage('zh-CN', { console: zhAll })
  i18n.global.mergeLocaleMessage('en', { console: enAll })
}
