import { describe, expect, it } from 'vitest'
import {
  fmtConcentrationCensored,
  fmtPActivityCensored,
  fmtParams,
} from '../../src-renderer/components/format'

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

describe('censored measurements keep their qualifier', () => {
  it('shows "> 50,000 nM" as pActivity "< 4.30": the log scale turns the relation round', () => {
    // by hand: log10(50,000) = log10(5) + 4 = 0.69897 + 4, so pActivity = 9 - 4.69897 = 4.30103
    const p = 4.30103
    expect(fmtPActivityCensored(p, '>')).toBe('< 4.30')
    expect(fmtConcentrationCensored(50_000, '>')).toBe('> 50.0 µM')
    // "< 1 nM": more potent than the assay could tell, pActivity above 9 - log10(1) = 9
    expect(fmtPActivityCensored(9, '<')).toBe('> 9.00')
    expect(fmtConcentrationCensored(1, '<')).toBe('< 1.00 nM')
    // ">= 10 µM": 9 - log10(10,000) = 5
    expect(fmtPActivityCensored(5, '>=')).toBe('≤ 5.00')
    expect(fmtPActivityCensored(5, '~')).toBe('~ 5.00')
  })

  it('leaves measured values and missing ones bare', () => {
    expect(fmtPActivityCensored(4.30103, '=')).toBe('4.30')
    expect(fmtPActivityCensored(4.30103, null)).toBe('4.30')
    expect(fmtConcentrationCensored(50_000, '=')).toBe('50.0 µM')
    // no number, no qualifier hanging in front of the dash
    expect(fmtPActivityCensored(null, '>')).toBe('—')
  })
})
