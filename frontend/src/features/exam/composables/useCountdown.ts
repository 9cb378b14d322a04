import { onBeforeUnmount, ref } from 'vue'
import { formatCountdown, marksCrossed } from '@/lib/clock'

/**
 * Ticks the time left (from the server clock, via `remaining`), announces the warning marks, and calls
 * `onTimeUp` once when it reaches zero.
 */
export function useCountdown(remaining: () => number, handlers: { onMark: (mark: number) => void; onTimeUp: () => void }) {
  const left = ref(remaining())
  const text = ref(formatCountdown(left.value))
  let previous = left.value
  let fired = false
  let handle: ReturnType<typeof setInterval> | null = null

  function tick() {
    const now = remaining()
    for (const mark of marksCrossed(previous, now)) handlers.onMark(mark)
    previous = now
    left.value = now
    text.value = formatCountdown(now)
    if (now <= 0 && !fired) {
      fired = true
      stop()
      handlers.onTimeUp()
    }
  }

  function start() {
    stop()
    fired = false
    previous = remaining()
    tick()
    handle = setInterval(tick, 250)
  }

  function stop() {
    if (handle !== null) clearInterval(handle)
    handle = null
  }

  onBeforeUnmount(stop)
  return { left, text, start, stop }
}
