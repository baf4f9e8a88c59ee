import { useEffect } from 'react'
import { on } from '../api/client'
import { DropZone } from '../components/DropZone'
import { ScreenHeader } from '../components/ScreenHeader'
import { ImportCard } from '../components/import/ImportCard'
import { ImportHistory } from '../components/import/ImportHistory'
import { useImports } from '../store/import-store'
import { useDataVersion } from '../store/use-job'

export function ImportScreen() {
  const { items, history, addFiles, addRefs, refreshHistory } = useImports()
  // read again whenever the engine says the imports changed (an import committed, the sample
  // removed, a backup restored)
  const imports = useDataVersion('imports')

  useEffect(() => {
    void refreshHistory()
  }, [refreshHistory, imports])

  // Files picked from the desktop app's File menu arrive as an event.
  useEffect(() => on('files.chosen', ({ files }) => void addRefs(files)), [addRefs])

  return (
    <>
      <ScreenHeader title="Import">
        Bring ChEMBL bioactivity exports into the local database. Every row is kept or rejected with
        a reason.
      </ScreenHeader>
      <div className="stack">
        <DropZone
          onFiles={(files) => void addFiles(files)}
          label="Drop ChEMBL exports here"
          hint="Web-interface exports (semicolon-separated), web-services dumps (comma-separated) or any table with a header: CSV, TSV, UTF-8 or UTF-16."
        />
        {items.map((item) => (
          <ImportCard key={item.key} item={item} />
        ))}
        {items.length === 0 && history.length === 0 && (
          <p className="muted">
            Potency is stored in nM and as pActivity = 9 − log10(nM). Missing molecular weight,
            AlogP, H-bond acceptors and donors are computed from the SMILES with RDKit.
          </p>
        )}
        <ImportHistory history={history} />
      </div>
    </>
  )
}
