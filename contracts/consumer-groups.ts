// Consumer group of each app that reads Kafka as a group (the API's instances each add a suffix to theirs).

export const consumerGroups = {
  processor: 'processor',
  aggregator: 'aggregator',
  detector: 'detector',
  'lake-sink': 'lake-sink',
  api: 'api',
} as const;
