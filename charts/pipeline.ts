// The data pipeline: the image processor, the sensor producer, the window aggregator, the anomaly detector and the lake sink.
import { Construct } from 'constructs';
import { RESOURCES } from './defaults';
import { AGGREGATOR_REPLICAS, DETECTOR_REPLICAS, LAKE_SINK_REPLICAS, PRODUCER_REPLICAS } from './workloads';
import { aggregatorEnv, detectorEnv, lakeSinkEnv, processorEnv, producerEnv } from './app-env';
import { AppDeployment } from './app-deployment';
import { EnvironmentChart, type EnvironmentChartProps } from './environment-chart';

/** Deployments of the processor (replicas from the model), the producer, the aggregator, the detector and the lake sink. */
export class PipelineChart extends EnvironmentChart {
  constructor(scope: Construct, id: string, props: EnvironmentChartProps) {
    super(scope, id, props);
    const { env } = this;
    const { images } = env.apps;
    new AppDeployment(this, 'processor', {
      env,
      name: 'processor',
      image: images.processor,
      replicas: env.apps.processor.replicas,
      variables: processorEnv(env),
      resources: RESOURCES.processor,
    });
    new AppDeployment(this, 'producer', {
      env,
      name: 'producer',
      image: images.producer,
      replicas: PRODUCER_REPLICAS,
      variables: producerEnv(env),
      resources: RESOURCES.producer,
    });
    new AppDeployment(this, 'aggregator', {
      env,
      name: 'aggregator',
      image: images.aggregator,
      replicas: AGGREGATOR_REPLICAS,
      variables: aggregatorEnv(env),
      resources: RESOURCES.aggregator,
    });
    new AppDeployment(this, 'detector', {
      env,
      name: 'detector',
      image: images.detector,
      replicas: DETECTOR_REPLICAS,
      variables: detectorEnv(env),
      resources: RESOURCES.detector,
    });
    new AppDeployment(this, 'lake-sink', {
      env,
      name: 'lake-sink',
      image: images['lake-sink'],
      replicas: LAKE_SINK_REPLICAS,
      variables: lakeSinkEnv(env),
      resources: RESOURCES['lake-sink'],
    });
  }
}
