import { describe, expect, it } from 'vitest'
import { byChapter, citationOf, findArticles, libraryLinkFor, numberOf, parseArticleQuery, type Article } from './articles'

const article = (number: number, text: string, chapter = '', sub = 0, heading = `第${number}条`): Article => ({
  number,
  sub,
  heading,
  chapter,
  text,
})

describe('numberOf', () => {
  it('reads Chinese numerals as articles are numbered', () => {
    expect(numberOf('一')).toBe(1)
    expect(numberOf('十')).toBe(10)
    expect(numberOf('十七')).toBe(17)
    expect(numberOf('二十')).toBe(20)
    expect(numberOf('一百二十')).toBe(120)
    expect(numberOf('一百零五')).toBe(105)
    expect(numberOf('一千零七十九')).toBe(1079)
    expect(numberOf('一千二百六十')).toBe(1260)
    expect(numberOf('两百')).toBe(200)
    expect(numberOf('〇')).toBe(0)
    expect(numberOf('120')).toBe(120)
  })
  it('refuses what is no numeral', () => {
    expect(numberOf('')).toBeNull()
    expect(numberOf('二三')).toBeNull()
    expect(numberOf('婚姻')).toBeNull()
  })
})

describe('parseArticleQuery', () => {
  it('reads a typed article number in its usual forms', () => {
    expect(parseArticleQuery('第一百二十条')).toEqual({ number: 120, sub: null })
    expect(parseArticleQuery('120')).toEqual({ number: 120, sub: null })
    expect(parseArticleQuery(' 第 120 条 ')).toEqual({ number: 120, sub: null })
    expect(parseArticleQuery('一千零七十九')).toEqual({ number: 1079, sub: null })
    expect(parseArticleQuery('第一百三十三条之一')).toEqual({ number: 133, sub: 1 })
    expect(parseArticleQuery('133之2')).toEqual({ number: 133, sub: 2 })
  })
  it('is null for words and for article zero', () => {
    expect(parseArticleQuery('离婚')).toBeNull()
    expect(parseArticleQuery('第零条')).toBeNull()
    expect(parseArticleQuery('第五条之零')).toBeNull()
    expect(parseArticleQuery('')).toBeNull()
  })
})

describe('findArticles', () => {
  const articles = [
    article(1, '为了保护民事主体的合法权益。'),
    article(10, '处理民事纠纷，应当依照法律。'),
    article(133, '刑法条文。'),
    article(133, '之一的条文。', '', 1, '第133条之一'),
    article(1079, '夫妻一方要求离婚的，可以由有关组织进行调解。'),
  ]
  it('finds by number, with or without 之X', () => {
    expect(findArticles(articles, '第一千零七十九条').map((a) => a.number)).toEqual([1079])
    expect(findArticles(articles, '133').map((a) => a.sub)).toEqual([0, 1])
    expect(findArticles(articles, '第一百三十三条之一').map((a) => a.sub)).toEqual([1])
    expect(findArticles(articles, '第二十条')).toEqual([])
  })
  it('finds by words, every word in the text', () => {
    expect(findArticles(articles, '离婚 调解').map((a) => a.number)).toEqual([1079])
    expect(findArticles(articles, '民事').map((a) => a.number)).toEqual([1, 10])
    expect(findArticles(articles, '  ')).toHaveLength(5)
  })
  it('reads a lone numeral word as words when no article has that number', () => {
    const texts = [article(1, '十日内答复。')]
    expect(findArticles(texts, '十')).toHaveLength(1)
  })
})

describe('byChapter', () => {
  it('keeps runs of one chapter together, in order', () => {
    const groups = byChapter([article(1, 'a', '第一章'), article(2, 'b', '第一章'), article(3, 'c', '第二章')])
    expect(groups.map((g) => [g.chapter, g.articles.length])).toEqual([
      ['第一章', 2],
      ['第二章', 1],
    ])
    expect(byChapter([])).toEqual([])
  })
})

describe('citationOf', () => {
  it('writes the bank format', () => {
    expect(citationOf('中华人民共和国民法典', { heading: '第一千零七十九条' })).toBe('《中华人民共和国民法典》第一千零七十九条')
  })
})

describe('libraryLinkFor', () => {
  it('searches the library for the law a citation error names', () => {
    expect(libraryLinkFor('法规库中的《中华人民共和国民法典》（2020年）没有第二千条，请核对条号。')).toEqual({
      name: 'console-laws',
      query: { q: '中华人民共和国民法典' },
    })
    expect(libraryLinkFor('请填写法条依据。')).toBeNull()
  })
})
