import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPoller, type VisibilitySource } from './poller'

class FakeDocument implements VisibilitySource {
  hidden = false
  private listeners = new Set<() => void>()
  addEventListener(_type: 'visibilitychange', listener: () => void) {
    this.listeners.add(listener)
  }
  removeEventListener(_type: 'visibilitychange', listener: () => void) {
    this.listeners.delete(listener)
  }
  set(hidden: boolean) {
    this.hidden = hidden
    this.listeners.forEach((l) => l())
  }
  get listening() {
    return this.listeners.size
  }
}

/** A request that stays open until the test settles it. */
function deferredRun() {
  const calls: { resolve: () => void; reject: () => void; signal: AbortSignal }[] = []
  const run = vi.fn(
    (signal: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        calls.push({ resolve, reject: () => reject(new Error('down')), signal })
      }),
  )
  return { run, calls }
}

describe('createPoller', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('refreshes at once, then one interval after each refresh has finished, never two at a time', async () => {
    const { run, calls } = deferredRun()
    const poller = createPoller({ run, interval: 10_000, visibility: new FakeDocument() })
    poller.start()
    expect(run).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(60_000) // a slow server: still the first request
    await poller.refresh() // a click on "refresh" while it runs is ignored
    expect(run).toHaveBeenCalledTimes(1)
    calls[0]!.resolve()
    await vi.advanceTimersByTimeAsync(9_999)
    expect(run).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(run).toHaveBeenCalledTimes(2)
    poller.stop()
  })

  it('pauses while the tab is hidden and refreshes as soon as it shows again', async () => {
    const doc = new FakeDocument()
    const { run, calls } = deferredRun()
    const poller = createPoller({ run, interval: 10_000, visibility: doc })
    poller.start()
    calls[0]!.resolve()
    await vi.advanceTimersByTimeAsync(0)
    doc.set(true)
    await vi.advanceTimersByTimeAsync(120_000)
    expect(run).toHaveBeenCalledTimes(1)
    doc.set(false)
    expect(run).toHaveBeenCalledTimes(2)
    poller.stop()
  })

  it('does not start while hidden; a refresh finishing while hidden schedules nothing', async () => {
    const doc = new FakeDocument()
    doc.hidden = true
    const { run, calls } = deferredRun()
    const poller = createPoller({ run, interval: 1_000, visibility: doc })
    poller.start()
    expect(run).not.toHaveBeenCalled()
    doc.set(false)
    doc.set(true)
    calls[0]!.resolve()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(run).toHaveBeenCalledTimes(1)
    poller.stop()
  })

  it('waits longer after failures, up to the maximum, and the usual interval again after a success', async () => {
    const { run, calls } = deferredRun()
    const poller = createPoller({ run, interval: 1_000, maxInterval: 4_000, visibility: new FakeDocument() })
    poller.start()
    const times: number[] = []
    for (let i = 0; i < 4; i++) {
      calls[i]!.reject()
      const before = Date.now()
      await vi.advanceTimersByTimeAsync(0)
      while (run.mock.calls.length === i + 1) await vi.advanceTimersByTimeAsync(500)
      times.push(Date.now() - before)
    }
    expect(times).toEqual([2_000, 4_000, 4_000, 4_000])
    expect(poller.failures).toBe(4)
    calls[4]!.resolve()
    await vi.advanceTimersByTimeAsync(1_000)
    expect(run).toHaveBeenCalledTimes(6)
    expect(poller.failures).toBe(0)
    poller.stop()
  })

  it('stops: aborts the running request, stops listening and schedules nothing', async () => {
    const doc = new FakeDocument()
    const { run, calls } = deferredRun()
    const poller = createPoller({ run, interval: 1_000, visibility: doc })
    poller.start()
    expect(doc.listening).toBe(1)
    poller.stop()
    expect(calls[0]!.signal.aborted).toBe(true)
    expect(doc.listening).toBe(0)
    calls[0]!.reject()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(run).toHaveBeenCalledTimes(1)
  })
})
