import m001 from './migrations/001-initial'
import m002 from './migrations/002-training-runs'
import m003 from './migrations/003-activity-contexts'
import m004 from './migrations/004-already-present'
import m005 from './migrations/005-compound-lookups'
import m006 from './migrations/006-model-reference'
import m007 from './migrations/007-model-promotions'
import m008 from './migrations/008-drift-history'
import m009 from './migrations/009-reports'
import m010 from './migrations/010-standardised-compounds'
import m011 from './migrations/011-automation'

/**
 * The numbered migrations, the only source of the schema. Migration N brings the database to
 * schema version N (`PRAGMA user_version`). Append; never edit one that has shipped.
 */
export const migrations: readonly string[] = [
  m001,
  m002,
  m003,
  m004,
  m005,
  m006,
  m007,
  m008,
  m009,
  m010,
  m011,
]

export const LATEST_SCHEMA_VERSION = migrations.length
