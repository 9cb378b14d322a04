import { call, client } from '@/api/client'
import type { components } from '@/api/schema'

type S = components['schemas']

export type LawText = S['LawText']
export type LawTextDetail = S['LawTextDetail']
export type LawPreview = S['LawPreview']
export type LawIssue = LawPreview['errors'][number]

/** What the organizer gives for a new text: pasted `text` or a .txt/.docx `file`. */
export interface LawInput {
  name: string
  edition: string
  source?: string
  text?: string
  file?: File
}

/** A paste goes as JSON, an upload as multipart, both to the same endpoints (preview, then save). */
function bodyOf(input: LawInput): { body: { name: string; edition: string }; bodySerializer?: () => FormData } {
  const { file, ...fields } = input
  if (!file) return { body: fields }
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) if (k !== 'text' && v !== undefined) form.append(k, v)
  form.append('file', file)
  return { body: fields, bodySerializer: () => form }
}

export const lawsApi = {
  async list(search = '', page = 1, pageSize = 100) {
    const query = { page, page_size: pageSize, ...(search ? { search } : {}) }
    return (await call(() => client.GET('/api/v1/laws/', { params: { query } }))).data
  },
  async get(id: number): Promise<LawTextDetail> {
    return (await call(() => client.GET('/api/v1/laws/{law_id}/', { params: { path: { law_id: id } } }))).data
  },
  async preview(input: LawInput): Promise<LawPreview> {
    return (await call(() => client.POST('/api/v1/laws/preview', bodyOf(input) as never))).data
  },
  async create(input: LawInput): Promise<LawText> {
    return (await call(() => client.POST('/api/v1/laws/', bodyOf(input) as never))).data
  },
  async remove(id: number): Promise<void> {
    await call(() => client.DELETE('/api/v1/laws/{law_id}/', { params: { path: { law_id: id } } }))
  },
}
