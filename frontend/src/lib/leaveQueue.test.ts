import { describe, expect, it } from 'vitest'
import { LeaveQueue, type LeaveOutcome, type LeaveReport } from './leaveQueue'
import type { KeyValueStorage, Timers } from './saveQueue'

class MemoryStorage implements KeyValueStorage {
  data = new Map<string, string>()
  getItem(key: string) {
    return this.data.get(key) ?? null
  }
  setItem(key: string, value: string) {
    this.data.set(key, value)
  }
  removeItem(key: string) {
    this.data.delete(key)
  }
}

class FakeTimers implements Timers {
  queue: Array<{ fn: () => void; ms: number }> = []
  setTimeout(fn: () => void, ms: number) {
    const entry = { fn, ms }
    this.queue.push(entry)
    return entry
  }
  clearTimeout(handle: unknown) {
    this.queue = this.queue.filter((e) => e !== handle)
  }
  fire() {
    const entry = this.queue.shift()
    entry?.fn()
    return entry?.ms
  }
}

const flush = () => new Promise((r) => setTimeout(r, 0))

/** The server's rule: ignore a seq not above the last recorded; count leaves; submit beyond the limit. */
function fakeServer(limit: number | null = null) {
  let lastSeq = 0
  let count = 0
  let status = 'in_progress'
  let online = true
  const received: LeaveReport[] = []
  const send = async (report: LeaveReport): Promise<LeaveOutcome> => {
    if (!online) return { kind: 'retry' }
    if (status !== 'in_progress') return { kind: 'rejected', code: 'attempt_finalised' }
    received.push(report)
    if (report.seq > lastSeq) {
      lastSeq = report.seq
      if (report.kind === 'leave') count += 1
      if (limit !== null && count > limit) status = 'left_page'
    }
    return { kind: 'recorded', leaveCount: count, leaveLimit: limit, status }
  }
  return {
    send,
    received,
    setOnline: (v: boolean) => {
      online = v
    },
  }
}

describe('page-leave reports', () => {
  it('sends leaves and returns in order with increasing numbers, continuing after the server and the device', async () => {
    const server = fakeServer()
    const storage = new MemoryStorage()
    storage.setItem('xuefa:leave-seq:7', '4')
    const counts: number[] = []
    const q = new LeaveQueue({ attemptId: 7, serverSeq: 2, send: server.send, storage, onRecorded: (n) => counts.push(n) })
    q.report('leave')
    q.report('return')
    await flush()
    expect(server.received).toEqual([
      { kind: 'leave', seq: 5 },
      { kind: 'return', seq: 6 },
    ])
    expect(counts).toEqual([1, 1])
    expect(storage.getItem('xuefa:leave-seq:7')).toBe('6')
  })

  it('keeps reports while offline and retries them with backoff, or at once when the network returns', async () => {
    const server = fakeServer()
    const timers = new FakeTimers()
    const q = new LeaveQueue({ attemptId: 1, serverSeq: 0, send: server.send, storage: new MemoryStorage(), timers, baseDelayMs: 100 })
    server.setOnline(false)
    q.report('leave')
    await flush()
    expect(q.waiting).toBe(1)
    timers.fire()
    await flush()
    expect(timers.queue[0]?.ms).toBe(200) // doubled
    q.report('return')
    server.setOnline(true)
    q.retryNow()
    await flush()
    expect(q.waiting).toBe(0)
    expect(server.received.map((r) => r.seq)).toEqual([1, 2])
  })

  it('stops when the server submits the attempt beyond its limit, and after a refusal', async () => {
    const server = fakeServer(1)
    const stopped: string[] = []
    const q = new LeaveQueue({ attemptId: 1, serverSeq: 0, send: server.send, storage: new MemoryStorage(), onStopped: (r) => stopped.push(r) })
    q.report('leave')
    q.report('return')
    q.report('leave')
    q.report('return')
    await flush()
    expect(stopped).toEqual(['left_page'])
    expect(server.received.map((r) => r.seq)).toEqual([1, 2, 3])
    q.report('leave') // after the end nothing is sent
    await flush()
    expect(server.received).toHaveLength(3)

    const refused = new LeaveQueue({
      attemptId: 2,
      serverSeq: 0,
      send: async () => ({ kind: 'rejected', code: 'attempt_finalised' }),
      storage: new MemoryStorage(),
      onStopped: (r) => stopped.push(r),
    })
    refused.report('leave')
    await flush()
    expect(stopped).toEqual(['left_page', 'attempt_finalised'])
  })
})
