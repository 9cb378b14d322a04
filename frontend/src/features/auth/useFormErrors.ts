import { reactive, ref } from 'vue'
import { ApiError } from '@/api'
import { errorText } from '@/i18n'

/**
 * Errors of one form: a message per field and one for the form, from the API's or allauth's format.
 * `aliases` maps a server field name to the form's (e.g. allauth's "username" is the phone on sign-up).
 */
export function useFormErrors(aliases: Record<string, string> = {}) {
  const fields = reactive<Record<string, string>>({})
  const form = ref('')

  function clear() {
    for (const key of Object.keys(fields)) delete fields[key]
    form.value = ''
  }

  function show(e: unknown, known: string[]) {
    clear()
    if (!(e instanceof ApiError)) {
      form.value = errorText('unknown')
      return
    }
    let placed = false
    for (const [name, messages] of Object.entries(e.fields)) {
      const field = aliases[name] ?? name
      if (known.includes(field)) {
        fields[field] = messages.map((m) => (m === e.message ? errorText(e.code, m) : m)).join(' ')
        placed = true
      }
    }
    if (!placed) form.value = errorText(e.code, e.message)
  }

  return { fields, form, clear, show }
}
