import { EmptyState } from '../components/EmptyState'
import { ScreenHeader } from '../components/ScreenHeader'

export function DataScreen() {
  return (
    <>
      <ScreenHeader title="Data">
        Compounds and activity measurements in this workbench.
      </ScreenHeader>
      <EmptyState title="No compounds yet" action={{ label: 'Go to Import', screen: 'import' }}>
        <p>
          Import a ChEMBL export to see its compounds here, with molecular weight, logP, H-bond
          acceptors and donors, and the distribution of measured potency.
        </p>
      </EmptyState>
    </>
  )
}
