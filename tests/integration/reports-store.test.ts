import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BatchSummary, Events } from '../../src-main/contract'
import type { ReportRecord, ReportSubject } from '../../src-main/contract/reports'
import type { Engine } from '../../src-main/engine/engine'
import {
  type RecordedEvent,
  fileRef,
  importOnce,
  recordEvents,
  startTestEngine,
  tempDir,
  waitForFinished,
} from '../helpers'
import type { SampleCopula } from '../../src-main/engine/sample/generate'
import { simulateSampleCsv } from '../../src-main/engine/sample/simulate'
import copulaJson from '../../resources/sample/copula.json'
import { AROMATASE, readTable } from '../reference-csv'
import { contractJob } from '../report-subjects'
import { storeReport } from '../../src-main/engine/reports/store'
import { type ReportSubjects, makeReportSubjects } from '../report-subjects'

// Stored reports through the contract, from real data: the aromatase export, a model trained on
// it, a drift check and a batch of the AChE file. SHA-256 is computed here with node:crypto over
// the file on disk; rows are read back with a connection of the test's own.

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

/** The <title> of a document, with the few entities the escaper writes decoded by hand. */
function documentTitle(html: string): string {
  const raw = /<title>([\s\S]*?)<\/title>/.exec(html)?.[1] ?? ''
  return raw
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
}

describe('stored reports', () => {
  let engine: Engine
  let dataDir: string
  importOnce(AROMATASE, {}, (e, _summary, dir) => {
    engine = e
    dataDir = dir
  })
  let subjects: ReportSubjects
  let events: RecordedEvent[]
  let restarted: Engine | null = null
  /** the target's name as the aromatase file itself gives it */
  let targetName: string
  const made: ReportRecord[] = []

  beforeAll(async () => {
    subjects = await makeReportSubjects(engine)
    events = recordEvents(engine)
    const names = new Set(
      readTable(AROMATASE, ';')
        .rows.filter((r) => r['Target ChEMBL ID'] === 'CHEMBL1978')
        .map((r) => r['Target Name']),
    )
    expect(names.size).toBe(1)
    targetName = [...names][0] as string
  }, 900_000)
  afterAll(async () => {
    await restarted?.close()
  })

  const reportsFolder = () => join(dataDir, 'reports')
  const filesInFolder = () => (existsSync(reportsFolder()) ? readdirSync(reportsFolder()) : [])
  const readOnly = () => new Database(join(dataDir, 'workbench.sqlite'), { readonly: true })

  async function create(subject: ReportSubject): Promise<{ jobId: string; record: ReportRecord }> {
    const started = await engine.call('reports.create', { subject })
    if (!started.ok) throw new Error(started.error.message)
    const jobId = (started.value as { jobId: string }).jobId
    const finished = await waitForFinished(engine, jobId)
    if (finished.state !== 'succeeded') throw new Error(finished.error?.message)
    return { jobId, record: finished.result as ReportRecord }
  }

  async function htmlError(reportId: number) {
    const answer = await engine.call('reports.html', { reportId })
    expect(answer.ok).toBe(false)
    if (answer.ok) throw new Error('reports.html answered')
    return answer.error
  }

  it('stores each kind as a file in reports/ with the SHA-256 of its bytes, listed and read back', async () => {
    const cases: { subject: ReportSubject; title: string; modelVersion: string }[] = [
      {
        subject: { kind: 'model-card', version: subjects.version },
        title: `Model card — ${subjects.version} · CHEMBL1978 ${targetName}`,
        modelVersion: subjects.version,
      },
      {
        subject: { kind: 'drift', driftRunId: subjects.check.driftRunId },
        title: `Drift report — Check #${subjects.check.driftRunId} of ${subjects.version} · CHEMBL1978 ${targetName}`,
        modelVersion: subjects.version,
      },
      {
        subject: { kind: 'batch', batchId: subjects.batch.batchId },
        title: `Prediction report — Batch #${subjects.batch.batchId} · chembl_ache_CHEMBL220_api_dump.csv · CHEMBL1978`,
        modelVersion: subjects.version,
      },
    ]
    for (const c of cases) {
      const before = Date.now()
      const { jobId, record } = await create(c.subject)
      made.push(record)
      expect(record.kind).toBe(c.subject.kind)
      expect(record.subject).toEqual(c.subject)
      expect(record.title).toBe(c.title)
      expect(record.modelVersion).toBe(c.modelVersion)
      expect(Date.parse(record.createdAt)).toBeGreaterThanOrEqual(before - 1000)

      // the file: safe name, in reports/, owner-only, its bytes hashed here
      const label =
        c.subject.kind === 'model-card'
          ? c.subject.version
          : String(c.subject.kind === 'drift' ? c.subject.driftRunId : c.subject.batchId)
      expect(record.fileName).toBe(`report-${record.reportId}-${c.subject.kind}-${label}.html`)
      const path = join(reportsFolder(), record.fileName)
      const bytes = readFileSync(path)
      expect(sha256(bytes)).toBe(record.sha256)
      expect(bytes.length).toBe(record.bytes)
      expect(statSync(path).mode & 0o777).toBe(0o600)
      expect(statSync(reportsFolder()).mode & 0o777).toBe(0o700)
      expect(documentTitle(bytes.toString('utf8'))).toBe(c.title)
      // the generation time in the document is the one stored
      expect(bytes.toString('utf8')).toContain(`datetime="${record.createdAt}"`)

      // the row, read with the test's own connection
      const db = readOnly()
      try {
        const row = db
          .prepare('SELECT kind, file_name, sha256, bytes, subject_json FROM reports WHERE id = ?')
          .get(record.reportId) as Record<string, unknown>
        expect(row).toEqual({
          kind: c.subject.kind,
          file_name: record.fileName,
          sha256: sha256(bytes),
          bytes: bytes.length,
          subject_json: JSON.stringify(c.subject),
        })
      } finally {
        db.close()
      }

      // listed, and its HTML read back as stored
      const list = await engine.invoke('reports.list', {})
      if (!list.ok) throw new Error(list.error.message)
      expect(list.value).toContainEqual(record)
      const html = await engine.invoke('reports.html', { reportId: record.reportId })
      if (!html.ok) throw new Error(html.error.message)
      expect(html.value.title).toBe(c.title)
      expect(Buffer.from(html.value.html, 'utf8').equals(bytes)).toBe(true)

      // progress: the first event is sent at once (later ones are throttled to one per 100 ms)
      const progress = events
        .filter(
          (e): e is RecordedEvent<'job.progress'> =>
            e.event === 'job.progress' && (e.payload as Events['job.progress']).jobId === jobId,
        )
        .map((e) => e.payload)
      expect(progress.length).toBeGreaterThan(0)
      expect(progress[0]?.phase).toBe('gathering')
      for (const p of progress) expect(['gathering', 'rendering', 'writing']).toContain(p.phase)
      const fractions = progress.map((p) => p.fraction)
      expect(fractions).toEqual([...fractions].sort((a, b) => a - b))
      // screens hear of the new row
      expect(
        events.some(
          (e) =>
            e.event === 'data.changed' &&
            (e.payload as Events['data.changed']).tables.includes('reports') &&
            e.at >= before,
        ),
      ).toBe(true)
    }
    expect(filesInFolder().sort()).toEqual(made.map((r) => r.fileName).sort())
    // newest first
    const list = await engine.invoke('reports.list', {})
    if (!list.ok) throw new Error(list.error.message)
    expect(list.value.map((r) => r.reportId)).toEqual(made.map((r) => r.reportId).reverse())
  }, 600_000)

  it('refuses a file changed by one byte, and names a missing file', async () => {
    const record = made[0] as ReportRecord
    const path = join(reportsFolder(), record.fileName)
    const original = readFileSync(path)
    const changed = Buffer.from(original)
    const at = changed.indexOf('Model card')
    changed[at] = 'm'.charCodeAt(0)
    writeFileSync(path, changed)
    const mismatch = await htmlError(record.reportId)
    expect(mismatch.code).toBe('checksum-mismatch')
    expect(mismatch.message).toContain(record.fileName)

    writeFileSync(path, original)
    expect((await engine.invoke('reports.html', { reportId: record.reportId })).ok).toBe(true)

    renameSync(path, `${path}.moved`)
    try {
      const missing = await htmlError(record.reportId)
      expect(missing.code).toBe('file-not-readable')
      expect(missing.message).toContain(record.fileName)
      expect(missing.message).toMatch(/missing/)
    } finally {
      renameSync(`${path}.moved`, path)
    }
  })

  it('refuses unknown subjects before any job, storing nothing', async () => {
    const files = filesInFolder()
    const countRows = () => {
      const db = readOnly()
      try {
        return db.prepare('SELECT count(*) FROM reports').pluck().get() as number
      } finally {
        db.close()
      }
    }
    const rows = countRows()
    const jobsBefore = events.filter((e) => e.event === 'job.progress').length
    for (const subject of [
      { kind: 'model-card', version: 'v999' },
      { kind: 'drift', driftRunId: subjects.check.driftRunId + 1000 },
      { kind: 'batch', batchId: subjects.batch.batchId + 1000 },
    ] as ReportSubject[]) {
      const answer = await engine.call('reports.create', { subject })
      expect(answer.ok).toBe(false)
      if (answer.ok) continue
      expect(answer.error.code).toBe('not-found')
      expect(answer.error.message).toMatch(/v999|#\d+/)
    }
    expect(countRows()).toBe(rows)
    expect(filesInFolder()).toEqual(files)
    expect(events.filter((e) => e.event === 'job.progress').length).toBe(jobsBefore)
  })

  it('rolls the row back when its file cannot be put in place, leaving no file either', async () => {
    // The next id, from SQLite's own sequence; a folder squatting on the file's name makes the
    // rename inside the transaction fail after the row was inserted.
    const db = readOnly()
    const seq = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'reports'").pluck().get()
    const rowsBefore = db.prepare('SELECT count(*) FROM reports').pluck().get()
    db.close()
    const squatter = join(
      reportsFolder(),
      `report-${Number(seq ?? 0) + 1}-model-card-${subjects.version}.html`,
    )
    mkdirSync(squatter, { recursive: true })
    writeFileSync(join(squatter, 'keep'), 'x')
    const files = filesInFolder()
    try {
      const started = await engine.call('reports.create', {
        subject: { kind: 'model-card', version: subjects.version },
      })
      if (!started.ok) throw new Error(started.error.message)
      const finished = await waitForFinished(engine, (started.value as { jobId: string }).jobId)
      expect(finished.state).toBe('failed')
      expect(finished.error?.code).toBe('file-not-readable')
      expect(finished.error?.message).toMatch(/Nothing was stored/)
      const after = readOnly()
      try {
        expect(after.prepare('SELECT count(*) FROM reports').pluck().get()).toBe(rowsBefore)
      } finally {
        after.close()
      }
      // no temporary file left behind, nothing new
      expect(filesInFolder()).toEqual(files)
    } finally {
      rmSync(squatter, { recursive: true, force: true })
    }
  })

  it('deletes the row and the file together, audited once with the reason; twice is not-found', async () => {
    const record = made[1] as ReportRecord
    const path = join(reportsFolder(), record.fileName)
    expect(existsSync(path)).toBe(true)
    const answer = await engine.invoke('reports.delete', {
      reportId: record.reportId,
      reason: 'sent the wrong check <b>&</b>',
    })
    if (!answer.ok) throw new Error(answer.error.message)
    expect(answer.value).toEqual({ deleted: true })
    expect(existsSync(path)).toBe(false)
    const list = await engine.invoke('reports.list', {})
    if (!list.ok) throw new Error(list.error.message)
    expect(list.value.map((r) => r.reportId)).not.toContain(record.reportId)
    const db = readOnly()
    try {
      const audit = db
        .prepare(
          "SELECT action, entity_id, reason, details_json FROM audit_log WHERE entity_type = 'report'",
        )
        .all() as { action: string; entity_id: string; reason: string; details_json: string }[]
      expect(audit).toHaveLength(1)
      expect(audit[0]?.action).toBe('delete')
      expect(audit[0]?.entity_id).toBe(String(record.reportId))
      expect(audit[0]?.reason).toBe('sent the wrong check <b>&</b>')
      const details = JSON.parse(audit[0]?.details_json ?? '{}') as Record<string, unknown>
      expect(details.fileName).toBe(record.fileName)
      expect(details.sha256).toBe(record.sha256)
      expect(
        db.prepare('SELECT count(*) FROM reports WHERE id = ?').pluck().get(record.reportId),
      ).toBe(0)
    } finally {
      db.close()
    }
    const again = await engine.call('reports.delete', { reportId: record.reportId })
    expect(again.ok).toBe(false)
    if (!again.ok) expect(again.error.code).toBe('not-found')
    expect((await htmlError(record.reportId)).code).toBe('not-found')
  })

  it('keeps the list across a restart, and sweeps what a crash left behind', async () => {
    const before = await engine.invoke('reports.list', {})
    if (!before.ok) throw new Error(before.error.message)
    // the model card and the batch report; the drift report was deleted above
    expect(before.value.map((r) => r.kind)).toEqual(['batch', 'model-card'])
    const folder = reportsFolder()
    const hourAgo = new Date(Date.now() - 3600_000)
    // a crash while writing (temporary file) and between rename and commit (a named file no row
    // names), an hour old; and one of each written just now, as by a process still committing
    const oldTemp = join(folder, '.report-0000-crashed.html.partial')
    const oldOrphan = join(folder, 'report-9999-batch-1.html')
    const newTemp = join(folder, '.report-1111-writing.html.partial')
    const newOrphan = join(folder, 'report-9998-batch-1.html')
    const other = join(folder, 'notes.txt')
    for (const p of [oldTemp, oldOrphan, newTemp, newOrphan, other]) writeFileSync(p, 'x')
    for (const p of [oldTemp, oldOrphan, other]) utimesSync(p, hourAgo, hourAgo)
    const kept = before.value.map((r) => r.fileName)
    for (const name of kept) utimesSync(join(folder, name), hourAgo, hourAgo)

    await engine.close()
    restarted = startTestEngine(dataDir)
    const after = await restarted.invoke('reports.list', {})
    if (!after.ok) throw new Error(after.error.message)
    expect(after.value).toEqual(before.value)
    expect(filesInFolder().sort()).toEqual(
      [
        ...kept,
        '.report-1111-writing.html.partial',
        'report-9998-batch-1.html',
        'notes.txt',
      ].sort(),
    )
    for (const r of after.value) {
      const html = await restarted.invoke('reports.html', { reportId: r.reportId })
      if (!html.ok) throw new Error(html.error.message)
      expect(sha256(Buffer.from(html.value.html, 'utf8'))).toBe(r.sha256)
    }
  })

  it('stores a 100,000-row batch report, rendered off the engine thread', async () => {
    const e = restarted ?? engine
    const scratch = tempDir('assay-report-100k-')
    try {
      const rows = 100_000
      const path = join(scratch.path, 'simulated-100k.csv')
      writeFileSync(path, simulateSampleCsv(copulaJson as SampleCopula, [], rows, 1))
      const batch = await contractJob<BatchSummary>(e, 'predictions.batch', {
        model: subjects.version,
        file: await fileRef(e, path),
      })
      expect(batch.rowsScored + batch.rowsFailed).toBe(rows)
      // the drift checks a batch starts on its own run on the engine too: let them end first, so
      // what is measured below is the report's job alone
      for (;;) {
        const jobs = await e.invoke('jobs.list', {})
        if (!jobs.ok) throw new Error(jobs.error.message)
        if (!jobs.value.some((j) => j.state === 'running')) break
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
      // the engine thread's longest stall while the report is made, and how fast it answers
      const delay = monitorEventLoopDelay({ resolution: 10 })
      delay.enable()
      const started = await e.call('reports.create', {
        subject: { kind: 'batch', batchId: batch.batchId },
      })
      if (!started.ok) throw new Error(started.error.message)
      const jobId = (started.value as { jobId: string }).jobId
      const done = waitForFinished(e, jobId)
      let finished: Events['job.finished'] | null = null
      void done.then((f) => {
        finished = f
      })
      const answers: number[] = []
      while (finished === null) {
        const t = performance.now()
        expect((await e.call('app.status', {})).ok).toBe(true)
        answers.push(performance.now() - t)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      delay.disable()
      const end = (await done) as Events['job.finished']
      if (end.state !== 'succeeded') throw new Error(end.error?.message)
      const record = end.result as ReportRecord
      const bytes = readFileSync(join(reportsFolder(), record.fileName))
      expect(sha256(bytes)).toBe(record.sha256)
      // every row in the HTML table (one table row per batch row)
      expect(bytes.toString('utf8').match(/\n<tr><td>/g)).toHaveLength(rows)
      // the same measure over as long with nothing running, for comparison on a shared machine
      const idle = monitorEventLoopDelay({ resolution: 10 })
      idle.enable()
      await new Promise((resolve) => setTimeout(resolve, end.seconds * 1000))
      idle.disable()
      console.log(
        `100,000-row batch report: ${(record.bytes / 1e6).toFixed(2)} MB, job ${end.seconds.toFixed(2)} s; ` +
          `engine thread: ${answers.length} app.status answers, slowest ${Math.max(...answers).toFixed(0)} ms, ` +
          `longest event-loop stall ${(delay.max / 1e6).toFixed(0)} ms (idle for as long: ${(idle.max / 1e6).toFixed(0)} ms)`,
      )
    } finally {
      scratch.remove()
    }
  }, 600_000)

  it('stores bytes already at hand (storeReport) with the same checks', async () => {
    const e = restarted ?? engine
    const html = '<!doctype html><title>Model card — by hand & "quoted"</title><p>µM ✓</p>'
    const record = await storeReport(e.context, {
      subject: { kind: 'model-card', version: subjects.version },
      title: 'Model card — by hand',
      modelVersion: subjects.version,
      createdAt: new Date().toISOString(),
      options: {},
      bytes: Buffer.from(html, 'utf8'),
    })
    const onDisk = readFileSync(join(reportsFolder(), record.fileName))
    expect(onDisk.toString('utf8')).toBe(html)
    expect(record.bytes).toBe(Buffer.byteLength(html))
    expect(record.sha256).toBe(sha256(onDisk))
    const back = await e.invoke('reports.html', { reportId: record.reportId })
    if (!back.ok) throw new Error(back.error.message)
    expect(back.value.html).toBe(html)
    // no temporary file left
    expect(
      filesInFolder().filter(
        (n) => n.startsWith('.report-') && n !== '.report-1111-writing.html.partial',
      ),
    ).toEqual([])
  })

  it('leaves neither row nor file when the job is cancelled', async () => {
    const e = restarted ?? engine
    const files = filesInFolder()
    const list = await e.invoke('reports.list', {})
    if (!list.ok) throw new Error(list.error.message)
    const started = await e.call('reports.create', {
      subject: { kind: 'batch', batchId: subjects.batch.batchId },
    })
    if (!started.ok) throw new Error(started.error.message)
    const jobId = (started.value as { jobId: string }).jobId
    const done = waitForFinished(e, jobId)
    const cancel = await e.invoke('jobs.cancel', { jobId })
    if (!cancel.ok) throw new Error(cancel.error.message)
    expect(cancel.value.cancelled).toBe(true)
    expect((await done).state).toBe('cancelled')
    const after = await e.invoke('reports.list', {})
    if (!after.ok) throw new Error(after.error.message)
    expect(after.value).toEqual(list.value)
    expect(filesInFolder()).toEqual(files)
  })
})
