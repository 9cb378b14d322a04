/**
 * The law-text page's own logic: reading an article number as an organizer types it (第一百二十条, 120,
 * 第133条之一 …), finding articles by it or by words, grouping them under their 编/章/节, and the citation
 * string in the bank's format (《名称》第X条), the one the import and the question editor check.
 */

export interface Article {
  number: number
  sub: number
  heading: string
  chapter: string
  text: string
}

const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 }
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 }

/** 一千零七十九 → 1079, 十七 → 17, 120 → 120; null when it is not a number below ten thousand. */
export function numberOf(written: string): number | null {
  if (/^\d+$/.test(written)) return Number(written)
  if (!written || !/^[零〇一二两三四五六七八九十百千]+$/.test(written)) return null
  let total = 0
  let digit: number | null = null
  for (const ch of written) {
    if (ch in DIGITS) {
      if (digit !== null && digit !== 0 && DIGITS[ch] !== 0) return null // 二三: not a numeral
      digit = DIGITS[ch]!
    } else {
      total += (digit ?? 1) * UNITS[ch]!
      digit = null
    }
  }
  return total + (digit ?? 0)
}

/** An article number as typed: "第一百二十条", "120", "第120条", "一百三十三条之一", "133之一". */
export function parseArticleQuery(query: string): { number: number; sub: number | null } | null {
  const m = query
    .replace(/\s+/g, '')
    .match(/^第?([0-9]+|[零〇一二两三四五六七八九十百千]+)条?(?:之([0-9]+|[一二三四五六七八九十]+))?$/)
  if (!m) return null
  const number = numberOf(m[1]!)
  const sub = m[2] ? numberOf(m[2]) : null
  if (!number || sub === 0) return null
  return { number, sub }
}

/** The articles an organizer looks for: by number when the query reads as one, else those containing all its words. */
export function findArticles<A extends Article>(articles: A[], query: string): A[] {
  const q = query.trim()
  if (!q) return articles
  const wanted = parseArticleQuery(q)
  if (wanted) {
    const byNumber = articles.filter((a) => a.number === wanted.number && (wanted.sub === null || a.sub === wanted.sub))
    if (byNumber.length || /^\d+$/.test(q) || /条/.test(q)) return byNumber
  }
  const words = q.split(/\s+/)
  return articles.filter((a) => words.every((w) => a.text.includes(w) || a.heading.includes(w)))
}

/** The articles in runs under the same 编/章/节 path, in the order given. */
export function byChapter<A extends Article>(articles: A[]): { chapter: string; articles: A[] }[] {
  const groups: { chapter: string; articles: A[] }[] = []
  for (const article of articles) {
    const last = groups[groups.length - 1]
    if (last && last.chapter === article.chapter) last.articles.push(article)
    else groups.push({ chapter: article.chapter, articles: [article] })
  }
  return groups
}

/** The citation as the bank's 法条依据 writes it: 《中华人民共和国民法典》第一千零七十九条. */
export function citationOf(lawName: string, article: Pick<Article, 'heading'>): string {
  return `《${lawName}》${article.heading}`
}

/**
 * The library's list, searched for the law a citation error names (《名称》 in the import's
 * `citation_not_found` or the question editor's legal-basis error), so that the organizer sees which articles
 * it has; null when the message names no law.
 */
export function libraryLinkFor(message: string): { name: 'console-laws'; query: { q: string } } | null {
  const name = message.match(/《([^》]+)》/)?.[1]?.trim()
  return name ? { name: 'console-laws', query: { q: name } } : null
}
