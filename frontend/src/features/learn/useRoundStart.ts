import { ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { useRouter, type LocationQueryRaw } from 'vue-router'
import { showToast } from 'vant'
import { messageOf } from '@/i18n'
import type { PracticeRound } from './api'
import { useRoundStore } from './roundStore'

/**
 * Starting a round from any page (a practice set, the book, the daily questions, "again" on a summary):
 * one start at a time, the round opened in the store, then its page; a refusal as a toast. ``starting`` holds
 * the key of the start under way (which button spins), or null.
 */
export function useRoundStart() {
  const { t } = useI18n()
  const router = useRouter()
  const rounds = useRoundStore()
  const starting = ref<string | null>(null)

  async function start(
    key: string,
    begin: () => Promise<PracticeRound>,
    { query, replace = false }: { query?: LocationQueryRaw; replace?: boolean } = {},
  ): Promise<boolean> {
    if (starting.value !== null) return false
    starting.value = key
    try {
      const round = await begin()
      rounds.open(round)
      const to = { name: 'practice-round', params: { id: round.id }, query }
      await (replace ? router.replace(to) : router.push(to))
      return true
    } catch (e) {
      showToast({ message: messageOf(e, { no_practice_questions: t('learn.errors.no_practice_questions') }), duration: 3000 })
      return false
    } finally {
      starting.value = null
    }
  }

  return { starting, start }
}
