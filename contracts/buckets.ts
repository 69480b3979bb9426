// Default names of the buckets the apps share: where uploads land, where renditions go, where the lake is.

export const defaultBuckets = {
  uploads: 'uploads',
  processed: 'processed',
  lake: 'lake',
} as const;
