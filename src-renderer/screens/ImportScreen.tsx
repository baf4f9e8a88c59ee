import { EmptyState } from '../components/EmptyState'
import { ScreenHeader } from '../components/ScreenHeader'

export function ImportScreen() {
  return (
    <>
      <ScreenHeader title="Import">
        Bring ChEMBL bioactivity exports into the local database. Every row is kept or rejected with
        a reason.
      </ScreenHeader>
      <EmptyState title="No files imported yet">
        <p>Assay Workbench reads the files ChEMBL users download:</p>
        <ul className="formats">
          <li>
            <strong>ChEMBL web export</strong> — semicolon-separated activity tables from the ChEMBL
            website
          </li>
          <li>
            <strong>ChEMBL web-services dump</strong> — comma-separated tables written by
            chembl_webresource_client
          </li>
          <li>
            <strong>Other delimited tables</strong> — columns are matched by name (MW, LogP, HBA,
            HBD, pIC50, …)
          </li>
        </ul>
        <p className="muted">Potency is stored in nM and as pActivity = 9 − log10(nM).</p>
      </EmptyState>
    </>
  )
}
