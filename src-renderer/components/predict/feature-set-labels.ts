import type { FeatureSet } from '../../../src-main/contract'

/** What each feature set is, in words; also what the input form asks for. */
export const FEATURE_SET_LABELS: Record<FeatureSet, string> = {
  core4: 'four features (MW, AlogP, HBA, HBD)',
  physchem: "RDKit's 2D descriptor set of a structure",
  'physchem+morgan': "RDKit's 2D descriptor set and a Morgan fingerprint of a structure",
  'physchem-43': "RDKit MinimalLib's 43 descriptors of a structure",
  'physchem-43+morgan': "RDKit MinimalLib's 43 descriptors and a Morgan fingerprint of a structure",
}

/** Short names, as the train form's feature set choice calls them. */
export const FEATURE_SET_NAMES: Record<FeatureSet, string> = {
  core4: 'Core 4',
  physchem: 'Physchem',
  'physchem+morgan': 'Physchem + Morgan',
  'physchem-43': 'Physchem-43',
  'physchem-43+morgan': 'Physchem-43 + Morgan',
}
