import { onBeforeUnmount, onMounted, type Ref } from 'vue'

/** Horizontal swipes on an element: left → next, right → previous. Vertical scrolling is left alone. */
export function useSwipe(target: Ref<HTMLElement | null>, on: { left: () => void; right: () => void }, threshold = 60) {
  let x0 = 0
  let y0 = 0
  let tracking = false

  function start(e: TouchEvent) {
    const t = e.touches[0]
    if (!t || e.touches.length > 1) return
    x0 = t.clientX
    y0 = t.clientY
    tracking = true
  }

  function end(e: TouchEvent) {
    if (!tracking) return
    tracking = false
    const t = e.changedTouches[0]
    if (!t) return
    const dx = t.clientX - x0
    const dy = t.clientY - y0
    if (Math.abs(dx) < threshold || Math.abs(dx) < Math.abs(dy) * 1.5) return
    if (dx < 0) on.left()
    else on.right()
  }

  onMounted(() => {
    target.value?.addEventListener('touchstart', start, { passive: true })
    target.value?.addEventListener('touchend', end, { passive: true })
  })
  onBeforeUnmount(() => {
    target.value?.removeEventListener('touchstart', start)
    target.value?.removeEventListener('touchend', end)
  })
}
