import { createHash } from 'node:crypto'
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WorkbenchError } from '../../src-main/contract'
import {
  databasePath,
  migrate,
  openDatabase,
  schemaVersion,
} from '../../src-main/engine/db/connection'
import { LATEST_SCHEMA_VERSION, migrations } from '../../src-main/engine/db/migrations'
import { listModels, rollback } from '../../src-main/engine/models/registry'
import { tempDir } from '../helpers'

const EXPECTED_TABLES = [
  'activity_contexts',
  'activity_records',
  'audit_log',
  'automation_events',
  'compounds',
  'drift_features',
  'drift_runs',
  'drift_settings',
  'import_present_rows',
  'import_rejections',
  'imports',
  'model_promotions',
  'model_reference',
  'model_versions',
  'prediction_batches',
  'predictions',
  'reports',
  'retrain_policies',
  'settings',
  'training_runs',
  'watch_files',
]

const now = '2026-01-01T00:00:00.000Z'

/** A model version with placeholder contents: (version, target, onnx_sha256, stage, created_at). */
const INSERT_MODEL = `INSERT INTO model_versions (version, target_chembl_id, learner, params_json, feature_set,
    feature_names_json, training_set_json, training_set_hash, training_rows, cv_metrics_json, calibration_json,
    domain_json, reference_json, onnx, onnx_sha256, stage, created_at)
  VALUES (?, ?, 'gbdt', '{}', 'core4', '[]', '{}', 'h', 10, '{"cv":{}}', '{"q":0.5}', '{}', '{}', x'00', ?, ?, ?)`

/** "AsWb" read as a big-endian 32-bit integer, worked out by hand: 0x41 0x73 0x57 0x62. */
const AS_WB = 0x41735762

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')

/** Opening must fail; returns the error. */
function openingFails(dataDir: string): WorkbenchError {
  try {
    openDatabase(dataDir).close()
  } catch (error) {
    expect(error).toBeInstanceOf(WorkbenchError)
    return error as WorkbenchError
  }
  throw new Error('the database opened')
}

describe('migrations', () => {
  let dir: ReturnType<typeof tempDir>
  beforeEach(() => {
    dir = tempDir()
  })
  afterEach(() => dir.remove())

  it('bring an empty database to the latest schema with every table STRICT', () => {
    const db = openDatabase(dir.path)
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION)
    const tables = db
      .prepare(
        "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as { name: string; strict: number }[]
    expect(tables.map((t) => t.name)).toEqual(EXPECTED_TABLES)
    for (const t of tables) expect(t.strict, t.name).toBe(1)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    db.close()
  })

  it('give the columns later features need', () => {
    const db = openDatabase(dir.path)
    const columns = (table: string) =>
      (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map(
        (c) => c.name,
      )
    expect(columns('activities')).toEqual(
      expect.arrayContaining([
        'import_id',
        'compound_id',
        'line_number',
        'relation',
        'standard_value',
        'standard_units',
        'value_nm',
        'p_activity',
        'pchembl_value',
        'usable',
        'unusable_reason',
        'target_chembl_id',
        'document_year',
        'activity_id',
      ]),
    )
    expect(columns('compounds')).toEqual(
      expect.arrayContaining([
        'chembl_id',
        'smiles',
        'mw_freebase',
        'alogp',
        'hba',
        'hbd',
        'feature_sources_json',
        'rdkit_version',
        'morgan_fp',
      ]),
    )
    expect(columns('import_rejections')).toEqual(
      expect.arrayContaining(['line_number', 'reason', 'raw_line']),
    )
    expect(columns('model_versions')).toEqual(
      expect.arrayContaining([
        'onnx',
        'onnx_sha256',
        'learner',
        'params_json',
        'feature_set',
        'training_set_hash',
        'cv_metrics_json',
        'calibration_json',
        'domain_json',
        'reference_json',
        'stage',
        'parent_version_id',
      ]),
    )
    expect(columns('predictions')).toEqual(
      expect.arrayContaining([
        'batch_id',
        'p_activity',
        'value_nm',
        'interval_low',
        'interval_high',
        'in_domain',
        'observed_p_activity',
      ]),
    )
    db.close()
  })

  it('move schema-2 activities into records and contexts without changing a value', () => {
    const raw = new Database(databasePath(dir.path))
    migrate(raw, migrations.slice(0, 2))
    raw
      .prepare(
        `INSERT INTO imports (file_name, file_size, file_sha256, format, delimiter, header_json, mapping_json, rows_total, rows_accepted, rows_rejected, started_at, finished_at)
         VALUES ('a.csv', 10, ?, 'chembl-web', ';', '[]', '{}', 4, 4, 0, ?, ?)`,
      )
      .run('c'.repeat(64), now, now)
    raw
      .prepare(
        "INSERT INTO compounds (molecule_key, chembl_id, created_at, updated_at) VALUES ('CHEMBL25', 'CHEMBL25', ?, ?)",
      )
      .run(now, now)
    // four measurements: two share a context, one differs only by a NULL year, one has no context at all
    const written = [
      [
        2,
        'IC50',
        '=',
        50,
        'nM',
        50,
        7.30103,
        7.3,
        1,
        null,
        'CHEMBL1',
        'CHEMBL1978',
        'Aromatase',
        'CHEMBL9',
        2001,
      ],
      [
        3,
        'IC50',
        '>',
        10000,
        'nM',
        10000,
        5,
        null,
        0,
        'censored',
        'CHEMBL1',
        'CHEMBL1978',
        'Aromatase',
        'CHEMBL9',
        2001,
      ],
      [
        4,
        'IC50',
        '=',
        7,
        'nM',
        7,
        8.1549,
        null,
        1,
        null,
        'CHEMBL1',
        'CHEMBL1978',
        'Aromatase',
        'CHEMBL9',
        null,
      ],
      [5, null, null, null, null, null, null, null, 0, 'no-relation', null, null, null, null, null],
    ]
    const insert = raw.prepare(
      `INSERT INTO activities (import_id, compound_id, line_number, standard_type, relation, standard_value, standard_units,
         value_nm, p_activity, pchembl_value, usable, unusable_reason, assay_chembl_id, target_chembl_id, target_name,
         document_chembl_id, document_year) VALUES (1, 1, ${'?, '.repeat(14)}?)`,
    )
    for (const row of written) insert.run(row)
    raw.close()

    const db = openDatabase(dir.path)
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION)
    const read = db
      .prepare(
        `SELECT line_number, standard_type, relation, standard_value, standard_units, value_nm, p_activity, pchembl_value,
           usable, unusable_reason, assay_chembl_id, target_chembl_id, target_name, document_chembl_id, document_year
         FROM activities ORDER BY line_number`,
      )
      .raw()
      .all()
    expect(read).toEqual(written)
    expect(db.prepare('SELECT count(*) AS n FROM activity_contexts').get()).toEqual({ n: 3 })
    expect(db.pragma('foreign_key_check')).toEqual([])
    db.close()
  })

  it('are applied once: reopening does not run them again', () => {
    openDatabase(dir.path).close()
    const db = openDatabase(dir.path)
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION)
    db.close()
  })

  it('refuse a database written by a newer app', () => {
    const raw = new Database(databasePath(dir.path))
    // a newer app's database carries the application id like ours
    raw.pragma(`application_id = ${AS_WB}`)
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`)
    raw.close()
    let error: unknown
    try {
      openDatabase(dir.path)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(WorkbenchError)
    expect((error as WorkbenchError).code).toBe('database-too-new')
    expect((error as WorkbenchError).message).toMatch(/newer Assay Workbench/)
  })

  it('roll a failing migration back completely', () => {
    const db = new Database(databasePath(dir.path))
    const broken = [
      'CREATE TABLE a (x INTEGER) STRICT;',
      'CREATE TABLE b (y INTEGER) STRICT; INSERT INTO nowhere VALUES (1);',
    ]
    expect(() => migrate(db, broken)).toThrow(/nowhere/)
    expect(schemaVersion(db)).toBe(1)
    const names = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((r) => r.name)
    expect(names).toEqual(['a'])
    db.close()
  })

  it('enforce one production model per target', () => {
    const db = openDatabase(dir.path)
    const insert = db.prepare(INSERT_MODEL)
    const sha = 'a'.repeat(64)
    insert.run('v1', 'CHEMBL1978', sha, 'production', now)
    insert.run('v2', 'CHEMBL220', sha, 'production', now)
    insert.run('v3', 'CHEMBL1978', sha, 'candidate', now)
    expect(() => insert.run('v4', 'CHEMBL1978', sha, 'production', now)).toThrow(/UNIQUE/)
    expect(() => insert.run('v5', 'CHEMBL1978', sha, 'deployed', now)).toThrow(/CHECK/)
    db.close()
  })

  it('move schema-6 promote and rollback history out of the audit log into model_promotions', () => {
    const raw = new Database(databasePath(dir.path))
    migrate(raw, migrations.slice(0, 6))
    const model = raw.prepare(INSERT_MODEL)
    const sha = 'a'.repeat(64)
    model.run('v1', 'CHEMBL1978', sha, 'archived', now)
    model.run('v2', 'CHEMBL1978', sha, 'production', now)
    model.run('v3', 'CHEMBL1978', sha, 'archived', now)
    model.run('w1', 'CHEMBL220', sha, 'production', now)
    // What the registry of schema 6 wrote, in this order: v1, v2 and v3 promoted one after the
    // other, then a rollback from v3 to v2; w1 promoted with details that are not JSON; and
    // entries that are no promotion (an archive, a training, an import of data).
    const audit = raw.prepare(
      'INSERT INTO audit_log (at, action, entity_type, entity_id, reason, details_json) VALUES (?, ?, ?, ?, ?, ?)',
    )
    const t = (minute: number) => `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`
    audit.run(t(1), 'train', 'model', 'v1', null, '{"learner":"gbdt"}')
    audit.run(t(2), 'promote', 'model', 'v1', 'first', '{"target":"CHEMBL1978","previous":null}')
    audit.run(t(3), 'archive', 'model', 'v1', 'replaced by v2', '{"replacedBy":"v2"}')
    audit.run(t(4), 'promote', 'model', 'v2', 'better', '{"target":"CHEMBL1978","previous":"v1"}')
    audit.run(t(5), 'promote', 'model', 'v3', 'newer', '{"target":"CHEMBL1978","previous":"v2"}')
    audit.run(t(6), 'import', 'import', '7', null, '{"rows":3}')
    audit.run(
      t(7),
      'rollback',
      'model',
      'v2',
      'v3 drifted',
      '{"target":"CHEMBL1978","previous":"v3"}',
    )
    audit.run(t(8), 'promote', 'model', 'w1', null, 'not json')
    raw.close()

    const db = openDatabase(dir.path)
    try {
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION)
      expect(
        db
          .prepare('SELECT at, version, action, previous_version FROM model_promotions ORDER BY id')
          .raw()
          .all(),
      ).toEqual([
        [t(2), 'v1', 'promote', null],
        [t(4), 'v2', 'promote', 'v1'],
        [t(5), 'v3', 'promote', 'v2'],
        [t(7), 'v2', 'rollback', 'v3'],
        [t(8), 'w1', 'promote', null],
      ])
      // The audit log is the record for people only: an entry appended to it now is no state.
      db.prepare(
        "INSERT INTO audit_log (at, action, entity_type, entity_id, details_json) VALUES (?, 'promote', 'model', 'v2', ?)",
      ).run(t(9), '{"previous":"v1"}')
      const rollbackTo = Object.fromEntries(listModels(db).map((m) => [m.version, m.rollbackTo]))
      expect(rollbackTo).toEqual({ v1: null, v2: 'v3', v3: null, w1: null })
      // rolling back restores the version the migrated history names, and records it there
      const result = rollback(db, 'CHEMBL1978', 'v3 was fine after all')
      expect([result.restored.version, result.replaced]).toEqual(['v3', 'v2'])
      expect(
        db
          .prepare(
            'SELECT version, action, previous_version FROM model_promotions ORDER BY id DESC LIMIT 1',
          )
          .raw()
          .get(),
      ).toEqual(['v3', 'rollback', 'v2'])
      expect(() => db.prepare('DELETE FROM model_promotions').run()).toThrow(/append-only/)
    } finally {
      db.close()
    }
  })

  it('keep a drift check as written, and keep it when its model is deleted (schema 8)', () => {
    const raw = new Database(databasePath(dir.path))
    migrate(raw, migrations.slice(0, 7))
    const sha = 'a'.repeat(64)
    raw.prepare(INSERT_MODEL).run('v1', 'CHEMBL1978', sha, 'production', now)
    // a check as schema 7 could hold it (nothing wrote one then, but one would be carried over)
    raw
      .prepare(
        `INSERT INTO drift_runs (model_version_id, reference_desc, current_desc, reference_rows,
           current_rows, features_drifted, features_total, dataset_drifted, created_at)
         VALUES (1, 'training rows', 'new.csv', 100, 40, 1, 4, 0, ?)`,
      )
      .run(now)
    raw
      .prepare(
        `INSERT INTO drift_features (drift_run_id, feature, test, statistic, p_value, threshold, drifted, psi)
         VALUES (1, 'alogp', 'ks', 0.3, 0.01, 0.05, 1, 0.2)`,
      )
      .run()
    raw.close()

    const db = openDatabase(dir.path)
    try {
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION)
      expect(
        db
          .prepare(
            'SELECT model_version, target, source_kind, features_tested, features_drifted, drifted_share FROM drift_runs',
          )
          .raw()
          .all(),
      ).toEqual([['v1', 'CHEMBL1978', 'file', 4, 1, 0.25]])
      expect(
        db.prepare('SELECT feature, method, statistic, p_value FROM drift_features').raw().all(),
      ).toEqual([['alogp', 'ks', 0.3, 0.01]])
      // all six tests may be stored now, and a feature that was not tested has no statistic
      db.prepare(
        `INSERT INTO drift_features (drift_run_id, position, feature, method, overridden, statistic,
           threshold, missing_reference, missing_current, distinct_values, drifted, not_tested, histogram_json)
         VALUES (1, 1, 'hba', 'z', 0, NULL, 0.05, 0, 40, 0, 0, 'no values', '{}')`,
      ).run()
      expect(() =>
        db
          .prepare(
            `INSERT INTO drift_features (drift_run_id, position, feature, method, overridden, threshold,
               missing_reference, missing_current, distinct_values, drifted, histogram_json)
             VALUES (1, 2, 'hbd', 'mean', 0, 0.05, 0, 0, 0, 0, '{}')`,
          )
          .run(),
      ).toThrow(/CHECK/)
      // never changed, never deleted
      expect(() => db.prepare('UPDATE drift_runs SET dataset_drifted = 1').run()).toThrow(
        /never changed/,
      )
      expect(() => db.prepare('UPDATE drift_runs SET model_version_id = NULL').run()).toThrow(
        /never changed/,
      )
      expect(() => db.prepare('UPDATE drift_features SET drifted = 0').run()).toThrow(
        /never changed/,
      )
      expect(() => db.prepare('DELETE FROM drift_runs').run()).toThrow(/never deleted/)
      expect(() => db.prepare('DELETE FROM drift_features').run()).toThrow(/never deleted/)
      // deleting the model is allowed: the foreign key forgets the link, the check stays
      db.prepare('DELETE FROM model_versions WHERE version = ?').run('v1')
      expect(
        db.prepare('SELECT model_version_id, model_version FROM drift_runs').raw().all(),
      ).toEqual([[null, 'v1']])
      expect(db.prepare('SELECT count(*) FROM drift_features').pluck().get()).toBe(2)
      expect(db.pragma('foreign_key_check')).toEqual([])
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    } finally {
      db.close()
    }
  })

  it('keep a stored report as written: bad kinds and file names refused, ids never reused (schema 9)', () => {
    const db = openDatabase(dir.path)
    try {
      const insert = db.prepare(
        `INSERT INTO reports (kind, subject_json, title, model_version, created_at, file_name, bytes, sha256)
         VALUES (?, ?, 'Model card — v1 · CHEMBL1978', 'v1', ?, ?, 10, ?)`,
      )
      const sha = 'b'.repeat(64)
      const subject = '{"kind":"model-card","version":"v1"}'
      const first = insert.run('model-card', subject, now, 'report-1-model-card-v1.html', sha)
      const second = insert.run('model-card', subject, now, 'report-2-model-card-v1.html', sha)
      expect([first.lastInsertRowid, second.lastInsertRowid]).toEqual([1, 2])
      // never changed
      expect(() => db.prepare("UPDATE reports SET title = 'x'").run()).toThrow(/never changed/)
      expect(() => db.prepare('UPDATE reports SET sha256 = ?').run('c'.repeat(64))).toThrow(
        /never changed/,
      )
      // the CHECKs: kind, a file name that would leave reports/, the subject's JSON, the hash
      const refused = (kind: string, json: string, name: string, hash: string) =>
        expect(() => insert.run(kind, json, now, name, hash)).toThrow(/CHECK/)
      refused('pdf', subject, 'report-3-pdf-v1.html', sha)
      refused('Model-Card', subject, 'report-3-model-card-v1.html', sha)
      refused('model-card', subject, '../report-3.html', sha)
      refused('model-card', subject, 'sub/report-3.html', sha)
      refused('model-card', subject, 'sub\\report-3.html', sha)
      refused('model-card', '{not json', 'report-3-model-card-v1.html', sha)
      refused('model-card', subject, 'report-3-model-card-v1.html', 'abc')
      // one row per file name
      expect(() =>
        insert.run('model-card', subject, now, 'report-1-model-card-v1.html', sha),
      ).toThrow(/UNIQUE/)
      // a report may be deleted; the newest id is not handed out again
      db.prepare('DELETE FROM reports WHERE id = 2').run()
      const third = insert.run(
        'drift',
        '{"kind":"drift","driftRunId":4}',
        now,
        'report-3-drift-4.html',
        sha,
      )
      expect(third.lastInsertRowid).toBe(3)
      expect(db.prepare('SELECT id FROM reports ORDER BY id').pluck().all()).toEqual([1, 3])
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    } finally {
      db.close()
    }
  })

  it('keep the audit log append-only', () => {
    const db = openDatabase(dir.path)
    db.prepare(
      "INSERT INTO audit_log (at, action, entity_type, entity_id, reason) VALUES (?, 'promote', 'model', 'v1', 'best RMSE')",
    ).run(now)
    expect(() => db.prepare("UPDATE audit_log SET reason = 'x'").run()).toThrow(/append-only/)
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/)
    db.close()
  })

  it('make import counts add up and tie activities to their import', () => {
    const db = openDatabase(dir.path)
    const insertImport = db.prepare(
      `INSERT INTO imports (file_name, file_size, file_sha256, format, delimiter, header_json, mapping_json, rows_total, rows_accepted, rows_rejected, started_at, finished_at)
       VALUES ('a.csv', 10, ?, 'chembl-web', ';', '[]', '{}', ?, ?, ?, ?, ?)`,
    )
    expect(() => insertImport.run('b'.repeat(64), 10, 7, 2, now, now)).toThrow(/CHECK/)
    const { lastInsertRowid: importId } = insertImport.run('b'.repeat(64), 10, 8, 2, now, now)
    const { lastInsertRowid: compoundId } = db
      .prepare(
        "INSERT INTO compounds (molecule_key, chembl_id, created_at, updated_at) VALUES ('CHEMBL25', 'CHEMBL25', ?, ?)",
      )
      .run(now, now)
    const { lastInsertRowid: contextId } = db
      .prepare(
        "INSERT INTO activity_contexts (standard_type, target_chembl_id) VALUES ('IC50', 'CHEMBL1978')",
      )
      .run()
    const insertActivity = db.prepare(
      `INSERT INTO activity_records (import_id, compound_id, context_id, line_number, relation, value_nm, usable)
       VALUES (?, ?, ${contextId}, 2, ?, ?, 1)`,
    )
    insertActivity.run(importId, compoundId, '=', 12.5)
    expect(() =>
      db
        .prepare(
          'INSERT INTO activity_records (import_id, compound_id, context_id, line_number, usable) VALUES (?, ?, 999, 2, 1)',
        )
        .run(importId, compoundId),
    ).toThrow(/FOREIGN KEY/)
    expect(
      db.prepare('SELECT standard_type, target_chembl_id, value_nm FROM activities').get(),
    ).toEqual({ standard_type: 'IC50', target_chembl_id: 'CHEMBL1978', value_nm: 12.5 })
    expect(() => insertActivity.run(999, compoundId, '=', 12.5)).toThrow(/FOREIGN KEY/)
    expect(() => insertActivity.run(importId, compoundId, "'='", 12.5)).toThrow(/CHECK/)
    expect(() => insertActivity.run(importId, compoundId, '=', -1)).toThrow(/CHECK/)
    db.prepare('DELETE FROM imports WHERE id = ?').run(importId)
    expect(db.prepare('SELECT count(*) AS n FROM activities').get()).toEqual({ n: 0 })
    db.close()
  })

  it('stamp a new database with the application id "AsWb"', () => {
    openDatabase(dir.path).close()
    // byte 68 of the file header, read without SQLite
    expect(readFileSync(databasePath(dir.path)).readUInt32BE(68)).toBe(AS_WB)
  })

  it('leave another program’s SQLite file byte for byte as it was, and refuse it', () => {
    const path = databasePath(dir.path)
    const cases: [string, string[]][] = [
      // an ordinary SQLite database of someone else's (rollback journal, no application id)
      [
        'plain',
        [
          'CREATE TABLE samples (id INTEGER PRIMARY KEY, well TEXT)',
          "INSERT INTO samples VALUES (1, 'A1')",
        ],
      ],
      // one in WAL mode, as many apps keep theirs
      [
        'wal',
        [
          'PRAGMA journal_mode = WAL',
          'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)',
          "INSERT INTO notes VALUES (1, 'x')",
        ],
      ],
      // one that names its program, even with a table called like ours
      [
        'other id',
        [
          'PRAGMA application_id = 1196444487',
          'CREATE TABLE settings (key TEXT)',
          "INSERT INTO settings VALUES ('x')",
        ],
      ],
    ]
    for (const [label, statements] of cases) {
      const raw = new Database(path)
      for (const sql of statements) raw.exec(sql)
      raw.close()
      const before = sha256(path)
      const files = readdirSync(dir.path).sort()
      const error = openingFails(dir.path)
      expect(error.code, label).toBe('not-our-database')
      expect(error.message, label).toMatch(/is not an Assay Workbench database/)
      expect(error.message, label).toMatch(/left untouched/)
      expect(sha256(path), label).toBe(before)
      // no -wal, -shm or journal left beside it either
      expect(readdirSync(dir.path).sort(), label).toEqual(files)
      for (const f of files) rmSync(join(dir.path, f))
    }
    // not SQLite at all
    writeFileSync(path, 'molecule_chembl_id;pchembl_value\nCHEMBL25;7.1\n'.repeat(20))
    const before = sha256(path)
    expect(openingFails(dir.path).message).toMatch(/not an SQLite database at all/)
    expect(sha256(path)).toBe(before)
  })

  it('refuse a negative schema version with a message that says so', () => {
    const raw = new Database(databasePath(dir.path))
    for (const sql of migrations) raw.exec(sql)
    raw.pragma('user_version = -5')
    raw.close()
    const error = openingFails(dir.path)
    expect(error.code).toBe('not-our-database')
    expect(error.message).toMatch(/schema version is -5/)
    expect(error.message).toMatch(/another program/)
  })

  it('adopt a database of ours made before the application id, keeping its data', () => {
    // made as the app did before the stamp: the migrations and user_version, application id 0
    const raw = new Database(databasePath(dir.path))
    raw.pragma('journal_mode = WAL')
    migrations.forEach((sql, i) => {
      raw.exec(sql)
      raw.pragma(`user_version = ${i + 1}`)
    })
    raw
      .prepare("INSERT INTO settings (key, value_json, updated_at) VALUES ('theme', '\"dark\"', ?)")
      .run(now)
    expect(raw.pragma('application_id', { simple: true })).toBe(0)
    raw.close()
    const db = openDatabase(dir.path)
    try {
      expect(db.pragma('application_id', { simple: true })).toBe(AS_WB)
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION)
      expect(db.prepare('SELECT key, value_json FROM settings').all()).toEqual([
        { key: 'theme', value_json: '"dark"' },
      ])
    } finally {
      db.close()
    }
  })

  it('open a 0-byte file as a new database', () => {
    writeFileSync(databasePath(dir.path), '')
    const db = openDatabase(dir.path)
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION)
    db.close()
  })
})
