import { describe, expect, it } from 'vitest'
import { fmtParams } from '../../src-renderer/components/format'

describe('run parameters as the Models screen shows them', () => {
  it('lists the hyperparameters in reading order, hides the seed and says auto for chosen-by-the-learner values', () => {
    expect(
      fmtParams({
        seed: 7,
        maxBins: 0,
        lambda: 1,
        trees: 500,
        featuresPerSplit: 0,
        bootstrap: true,
      }),
    ).toBe('trees 500, lambda 1, featuresPerSplit auto, maxBins auto')
    expect(fmtParams({ maxBins: 64, featuresPerSplit: 5 })).toBe('featuresPerSplit 5, maxBins 64')
    expect(fmtParams({ lambda: 10 })).toBe('lambda 10')
  })
})
