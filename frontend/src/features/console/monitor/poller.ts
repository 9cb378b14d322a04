import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue'

/** What the poller needs of the page: whether it is hidden, and to hear when that changes. */
export interface VisibilitySource {
  readonly hidden: boolean
  addEventListener(type: 'visibilitychange', listener: () => void): void
  removeEventListener(type: 'visibilitychange', listener: () => void): void
}

export interface PollerOptions {
  /** one refresh; the signal aborts it when the poller stops */
  run: (signal: AbortSignal) => Promise<void>
  /** milliseconds between the end of one refresh and the start of the next */
  interval: number
  /** after failures the wait doubles, up to this (a server under load is not hammered) */
  maxInterval?: number
  visibility?: VisibilitySource
}

export interface Poller {
  start(): void
  stop(): void
  /** refresh now (ignored while a refresh is running: requests never overlap) */
  refresh(): Promise<void>
  readonly busy: boolean
  readonly failures: number
}

/**
 * Refresh on a timer, one request at a time: the next wait starts when a refresh has finished, so a slow
 * server never gets a second request on top of the first. Paused while the tab is hidden (nobody is
 * looking, and a city's worth of open dashboards would poll for nothing); refreshed at once when it shows
 * again. After a failure the wait doubles up to `maxInterval`, and returns to `interval` on success.
 */
export function createPoller({ run, interval, maxInterval = interval * 6, visibility }: PollerOptions): Poller {
  let timer: ReturnType<typeof setTimeout> | null = null
  let controller: AbortController | null = null
  let running = false
  let stopped = true
  let failures = 0

  const hidden = () => visibility?.hidden ?? false
  const wait = () => Math.min(interval * 2 ** failures, maxInterval)

  function schedule() {
    if (timer !== null) clearTimeout(timer)
    timer = null
    if (stopped || hidden()) return
    timer = setTimeout(() => {
      timer = null
      void refresh()
    }, wait())
  }

  async function refresh(): Promise<void> {
    if (running || stopped) return
    running = true
    if (timer !== null) clearTimeout(timer)
    timer = null
    controller = new AbortController()
    try {
      await run(controller.signal)
      failures = 0
    } catch {
      failures += 1
    } finally {
      running = false
      controller = null
      schedule()
    }
  }

  function onVisibility() {
    if (hidden()) {
      if (timer !== null) clearTimeout(timer)
      timer = null
    } else if (!running) {
      void refresh()
    }
  }

  return {
    start() {
      if (!stopped) return
      stopped = false
      visibility?.addEventListener('visibilitychange', onVisibility)
      if (!hidden()) void refresh()
    },
    stop() {
      stopped = true
      visibility?.removeEventListener('visibilitychange', onVisibility)
      if (timer !== null) clearTimeout(timer)
      timer = null
      controller?.abort()
    },
    refresh,
    get busy() {
      return running
    },
    get failures() {
      return failures
    },
  }
}

/** A poller bound to a component: starts when mounted, stops when unmounted; `updatedAt` is the last success. */
export function usePolling(run: (signal: AbortSignal) => Promise<void>, interval: number) {
  const updatedAt: Ref<Date | null> = ref(null)
  const poller = createPoller({
    interval,
    visibility: document,
    run: async (signal) => {
      await run(signal)
      updatedAt.value = new Date()
    },
  })
  onMounted(() => poller.start())
  onBeforeUnmount(() => poller.stop())
  return { poller, updatedAt }
}
