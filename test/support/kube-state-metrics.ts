// The HorizontalPodAutoscaler series kube-state-metrics v2 exports (its docs, metrics/workload/horizontalpodautoscaler-
// metrics.md): the dashboards' cluster-only panels may read only these, since no local test can scrape them.
export const KUBE_STATE_METRICS_HPA = [
  'kube_horizontalpodautoscaler_info',
  'kube_horizontalpodautoscaler_annotations',
  'kube_horizontalpodautoscaler_labels',
  'kube_horizontalpodautoscaler_metadata_generation',
  'kube_horizontalpodautoscaler_spec_max_replicas',
  'kube_horizontalpodautoscaler_spec_min_replicas',
  'kube_horizontalpodautoscaler_spec_target_metric',
  'kube_horizontalpodautoscaler_status_target_metric',
  'kube_horizontalpodautoscaler_status_condition',
  'kube_horizontalpodautoscaler_status_current_replicas',
  'kube_horizontalpodautoscaler_status_desired_replicas',
  'kube_horizontalpodautoscaler_created',
] as const;
