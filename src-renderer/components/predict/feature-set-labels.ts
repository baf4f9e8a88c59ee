import type { FeatureSet } from '../../../src-main/contract'

/** What each feature set is, in words; also what the input form asks for. */
export const FEATURE_SET_LABELS: Record<FeatureSet, string> = {
  core4: 'four features (MW, AlogP, HBA, HBD)',
  physchem: "RDKit's descriptors of a structure",
  'physchem+morgan': "RDKit's descriptors and a Morgan fingerprint of a structure",
}

/** Short names, as the train form's feature set choice calls them. */
export const FEATURE_SET_NAMES: Record<FeatureSet, string> = {
  core4: 'Core 4',
  physchem: 'Physchem',
  'physchem+morgan': 'Physchem + Morgan',
}
