import { describe, expect, it } from 'vitest'
import { defaultDataDir } from '../../src-main/hosts/data-dir'

describe('default data folder', () => {
  it('prefers ASSAY_DATA_DIR', () => {
    expect(defaultDataDir({ ASSAY_DATA_DIR: '/data/x' }, 'linux')).toBe('/data/x')
  })
  it('matches Electron userData on Linux (XDG config home + product name)', () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/home/a/.config' }, 'linux')).toBe(
      '/home/a/.config/Assay Workbench',
    )
  })
})
