import { describe, expect, it } from 'vitest'
import { fmtParams } from '../../src-renderer/components/format'

describe('run parameters as the Models screen shows them', () => {
  it('lists the hyperparameters in reading order, hides the seed and says what a 0 stands for', () => {
    const forest = {
      seed: 7,
      maxBins: 0,
      lambda: 0,
      trees: 300,
      featuresPerSplit: 0,
      bootstrap: true,
    }
    expect(fmtParams(forest, 'rf')).toBe('trees 300, lambda 0, featuresPerSplit auto, maxBins auto')
    // boosting with featuresPerSplit 0 tries every feature the tree may use
    expect(fmtParams({ featuresPerSplit: 0, learningRate: 0.05 }, 'gbdt')).toBe(
      'learningRate 0.05, featuresPerSplit all',
    )
    expect(fmtParams({ maxBins: 64, featuresPerSplit: 5 }, 'rf')).toBe(
      'featuresPerSplit 5, maxBins 64',
    )
    expect(fmtParams({ lambda: 10 }, 'ridge')).toBe('lambda 10')
  })
})
