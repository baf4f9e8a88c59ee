import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { tanimoto } from '../../src-main/chem/tanimoto'
import { nearestNeighbours } from '../../src-main/ml/drift/nearest-neighbours'
import { createRng } from '../../src-main/ml/rng'
import { REPO_ROOT } from '../helpers'
import { ACHE, AROMATASE, readTable } from '../reference-csv'

const PYTHON = process.env.RDKIT_REFERENCE_PYTHON ?? '/usr/bin/python3'
const BYTES = 256

interface Reference {
  query: string[]
  training: string[]
  similarity: (number | null)[]
  index: number[]
  skipped: number
}

/** RDKit's fingerprints and BulkTanimotoSimilarity nearest neighbours for these SMILES. */
function rdkitReference(query: string[], training: string[], leaveOneOut = false): Reference {
  const run = spawnSync(
    PYTHON,
    [join(REPO_ROOT, 'tests/fixtures/nearest-neighbour-reference.py')],
    {
      input: JSON.stringify({ query, training, leaveOneOut }),
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    },
  )
  if (run.status !== 0)
    throw new Error(
      `${PYTHON} could not compute reference neighbours (Debian: apt-get install python3-rdkit): ${run.stderr}`,
    )
  return JSON.parse(run.stdout) as Reference
}

const packed = (hex: string[]) => Uint8Array.from(Buffer.from(hex.join(''), 'hex'))

describe('nearest-neighbour Tanimoto equals RDKit BulkTanimotoSimilarity', () => {
  let aromatase: string[]
  let ache: string[]
  beforeAll(() => {
    const unique = (xs: string[]) => [...new Set(xs.filter((s) => s.length > 0))]
    aromatase = unique(readTable(AROMATASE, ';').rows.map((r) => r.Smiles ?? ''))
    ache = unique(readTable(ACHE, ',').rows.map((r) => r.canonical_smiles ?? ''))
  })

  it('AChE compounds against aromatase training compounds, with repeated structures', () => {
    // training: 900 aromatase structures and 60 of them again further on (exact ties: the
    // earlier row must win); queries: 400 AChE structures and 40 of the training's own
    const training = [...aromatase.slice(0, 900), ...aromatase.slice(100, 160)]
    const query = [...ache.slice(0, 400), ...aromatase.slice(120, 160)]
    const ref = rdkitReference(query, training)
    expect(ref.skipped).toBe(0)
    const q = packed(ref.query)
    const t = packed(ref.training)
    expect(q.length).toBe(query.length * BYTES)
    const nn = nearestNeighbours(q, t, BYTES)
    expect(Array.from(nn.similarity)).toEqual(ref.similarity)
    expect(Array.from(nn.index)).toEqual(ref.index)
    // the repeated structures are found at similarity 1, at their first position
    for (let i = 400; i < 440; i++) {
      expect(nn.similarity[i]).toBe(1)
      expect(nn.index[i]).toBeLessThan(900)
    }
  })

  it('leave-one-out over a training set: no molecule is its own neighbour', () => {
    const set = [...aromatase.slice(1000, 1700), ...aromatase.slice(1000, 1030)]
    const ref = rdkitReference(set, set, true)
    const fps = packed(ref.query)
    const nn = nearestNeighbours(fps, fps, BYTES, { leaveOneOut: true })
    expect(Array.from(nn.similarity)).toEqual(ref.similarity)
    expect(Array.from(nn.index)).toEqual(ref.index)
    nn.index.forEach((j, i) => expect(j).not.toBe(i))
    // a repeated structure's neighbour is its copy, at 1
    expect(nn.similarity[700]).toBe(1)
    expect(nn.index[700]).toBe(0)
    expect(nn.index[0]).toBe(700)
  })

  it('a range of query rows gives those rows of the whole answer, with progress', () => {
    const set = aromatase.slice(0, 300)
    const ref = rdkitReference(set, set, true)
    const fps = packed(ref.query)
    const whole = nearestNeighbours(fps, fps, BYTES, { leaveOneOut: true })
    const seen: number[] = []
    const part = nearestNeighbours(fps, fps, BYTES, {
      leaveOneOut: true,
      start: 120,
      end: 260,
      onProgress: (done) => seen.push(done),
      progressEvery: 50,
    })
    expect(Array.from(part.similarity)).toEqual(Array.from(whole.similarity.subarray(120, 260)))
    expect(Array.from(part.index)).toEqual(Array.from(whole.index.subarray(120, 260)))
    expect(seen).toEqual([50, 100, 140])
  })
})

describe('nearest-neighbour edge cases, by hand', () => {
  const rows = (...bits: number[][]) => {
    const out = new Uint8Array(bits.length * 8)
    bits.forEach((set, r) => {
      for (const b of set) out[r * 8 + (b >> 3)]! |= 1 << (b & 7)
    })
    return out
  }

  it('ties go to the lowest row; empty fingerprints are identical to each other only', () => {
    // query {0,1,2,3}; training: {0,1} (2/4), {2,3} (2/4), {0,1,2,3,4} (4/5), {0,1,2,3,5} (4/5)
    const q = rows([0, 1, 2, 3], [], [60])
    const t = rows([0, 1], [2, 3], [0, 1, 2, 3, 4], [0, 1, 2, 3, 5], [])
    const nn = nearestNeighbours(q, t, 8)
    expect(Array.from(nn.similarity)).toEqual([0.8, 1, 0])
    expect(Array.from(nn.index)).toEqual([2, 4, 0])
  })

  it('works on fingerprints that are not a whole number of words, or not aligned', () => {
    // 3-byte rows, query starting at an odd byte offset
    const buffer = new Uint8Array(1 + 3 * 2)
    const q = buffer.subarray(1)
    q.set([0b1111, 0, 0x80, 0b0011, 0, 0])
    const t = Uint8Array.from([0b0011, 0, 0x80, 0b1111, 0, 0x80, 0, 0, 0])
    const nn = nearestNeighbours(q, t, 3)
    // row 0 {0,1,2,3,23} vs {0,1,23}: 3/5, vs {0,1,2,3,23}: 1; row 1 {0,1} vs {0,1,23}: 2/3
    expect(Array.from(nn.similarity)).toEqual([1, 2 / 3])
    expect(Array.from(nn.index)).toEqual([1, 0])
  })

  it('equals a pair-by-pair search on sparse fingerprints full of ties and empty rows', () => {
    // 12-byte rows with 0 to 3 bits set: many rows share a similarity, some are empty
    const rng = createRng(11)
    const make = (n: number) => {
      const out = new Uint8Array(n * 12)
      for (let r = 0; r < n; r++)
        for (let k = rng.int(4); k > 0; k--) {
          const b = rng.int(96)
          out[r * 12 + (b >> 3)]! |= 1 << (b & 7)
        }
      return out
    }
    const q = make(300)
    const t = make(400)
    for (const [query, training, leaveOneOut] of [
      [q, t, false],
      [t, t, true],
    ] as const) {
      const nn = nearestNeighbours(query, training, 12, { leaveOneOut })
      for (let i = 0; i < query.length / 12; i++) {
        let best = -1
        let at = -1
        for (let j = 0; j < training.length / 12; j++) {
          if (leaveOneOut && i === j) continue
          const s = tanimoto(
            query.subarray(i * 12, i * 12 + 12),
            training.subarray(j * 12, j * 12 + 12),
          )
          if (s > best) {
            best = s
            at = j
          }
        }
        expect(nn.similarity[i], `row ${i}`).toBe(best)
        expect(nn.index[i], `row ${i}`).toBe(at)
      }
    }
  })

  it('answers NaN and -1 without training rows, and refuses ragged input', () => {
    const nn = nearestNeighbours(new Uint8Array(16), new Uint8Array(0), 8)
    expect(Array.from(nn.similarity)).toEqual([NaN, NaN])
    expect(Array.from(nn.index)).toEqual([-1, -1])
    const one = nearestNeighbours(new Uint8Array(8), new Uint8Array(8), 8, { leaveOneOut: true })
    expect(Array.from(one.index)).toEqual([-1])
    expect(() => nearestNeighbours(new Uint8Array(10), new Uint8Array(8), 8)).toThrow(/whole rows/)
    expect(() =>
      nearestNeighbours(new Uint8Array(16), new Uint8Array(8), 8, { leaveOneOut: true }),
    ).toThrow(/same set/)
    expect(() => nearestNeighbours(new Uint8Array(16), new Uint8Array(8), 8, { end: 3 })).toThrow(
      /not within/,
    )
  })
})
