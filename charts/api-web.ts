// The api+web chart, the user-facing tier: api (scaled by an HPA) and web behind Traefik, and the optional load generator.
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-29';
import type { Environment } from '../config/schema';
import { RESOURCES, envVars } from './defaults';
import { apiEnv, webEnv } from './app-env';
import { AppDeployment } from './app-deployment';
import { AppJob } from './app-job';
import { SERVICE_NAMES, serviceHost } from './endpoints';
import { EnvironmentChart, type EnvironmentChartProps } from './environment-chart';

/** Name of the Traefik Middleware that removes `/api` before requests reach the api. */
const STRIP_API_MIDDLEWARE = 'strip-api';

/** Traefik's reference to a Middleware CRD object: `<namespace>-<name>@kubernetescrd`. */
function middlewareRef(namespace: string, name: string): string {
  return `${namespace}-${name}@kubernetescrd`;
}

/** Annotations of an Ingress: the entrypoint (websecure when TLS is configured) and middlewares. */
function ingressAnnotations(env: Environment, middlewares: readonly string[]): Record<string, string> {
  const tls = env.apps.ingress.tlsSecret !== undefined;
  return {
    'traefik.ingress.kubernetes.io/router.entrypoints': tls ? 'websecure' : 'web',
    ...(tls ? { 'traefik.ingress.kubernetes.io/router.tls': 'true' } : {}),
    ...(middlewares.length > 0
      ? { 'traefik.ingress.kubernetes.io/router.middlewares': middlewares.map((m) => middlewareRef(env.apps.namespace, m)).join(',') }
      : {}),
  };
}

/** HPA behaviour: scale up at once when busy, scale down slowly so a short lull does not drop capacity. */
const API_SCALING_BEHAVIOR: k8s.HorizontalPodAutoscalerBehaviorV2 = {
  scaleUp: {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 2, periodSeconds: 30 },
      { type: 'Percent', value: 100, periodSeconds: 30 },
    ],
  },
  scaleDown: {
    stabilizationWindowSeconds: 120,
    selectPolicy: 'Min',
    policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }],
  },
};

/**
 * api + web Deployments and Services, the api's HPA, the Traefik ingress and the load generator, from the model's
 * images, api scaling, web replicas, ingress host and TLS, and load generator settings.
 */
export class ApiWebChart extends EnvironmentChart {
  constructor(scope: Construct, id: string, props: EnvironmentChartProps) {
    super(scope, id, props);
    const { env } = this;
    const { images, ingress } = env.apps;

    const api = new AppDeployment(this, 'api', {
      env,
      name: SERVICE_NAMES.api,
      image: images.api,
      // No replicas: the HPA owns the count, and a fixed one would reset it on every apply.
      minReplicas: env.apps.api.minReplicas,
      variables: apiEnv(env),
      resources: RESOURCES.api,
      service: true,
    });
    const web = new AppDeployment(this, 'web', {
      env,
      name: SERVICE_NAMES.web,
      image: images.web,
      replicas: env.apps.web.replicas,
      variables: webEnv(),
      resources: RESOURCES.web,
      service: true,
    });

    new k8s.KubeHorizontalPodAutoscalerV2(this, 'api-hpa', {
      metadata: { name: api.name },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: api.name },
        minReplicas: env.apps.api.minReplicas,
        maxReplicas: env.apps.api.maxReplicas,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: env.apps.api.cpuTarget } } },
        ],
        behavior: API_SCALING_BEHAVIOR,
      },
    });

    // cdk8s-plus has no Traefik CRDs; the Middleware is a plain ApiObject checked against Traefik's CRD schema.
    new ApiObject(this, 'strip-api', {
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'Middleware',
      metadata: { name: STRIP_API_MIDDLEWARE },
      spec: { stripPrefix: { prefixes: ['/api'] } },
    });

    // Two Ingresses because Traefik applies an Ingress's middlewares to all of its paths; only /api is stripped.
    const routes = [
      { name: web.serviceName ?? web.name, path: '/', middlewares: [] as string[] },
      { name: api.serviceName ?? api.name, path: '/api', middlewares: [STRIP_API_MIDDLEWARE] },
    ];
    for (const route of routes) {
      new k8s.KubeIngress(this, `ingress-${route.name}`, {
        metadata: { name: route.name, annotations: ingressAnnotations(env, route.middlewares) },
        spec: {
          ingressClassName: 'traefik',
          tls: ingress.tlsSecret === undefined ? undefined : [{ hosts: ingress.host === undefined ? undefined : [ingress.host], secretName: ingress.tlsSecret }],
          rules: [
            {
              host: ingress.host,
              http: {
                paths: [
                  {
                    path: route.path,
                    pathType: 'Prefix',
                    backend: { service: { name: route.name, port: { name: 'http' } } },
                  },
                ],
              },
            },
          ],
        },
      });
    }

    if (env.apps.loadgen.enabled) this.addLoadgen(env);
  }

  /** A bounded Job hammering the api through its Service, to watch the HPA add pods. */
  private addLoadgen(env: Environment): void {
    const { durationSeconds, requestsPerSecond, path } = env.apps.loadgen;
    new AppJob(this, 'loadgen', {
      env,
      name: 'loadgen',
      image: env.apps.images.loadgen,
      variables: envVars({
        TARGET_URL: `http://${serviceHost(env, SERVICE_NAMES.api)}${path}`,
        RPS: String(requestsPerSecond),
        DURATION: String(durationSeconds),
      }),
      resources: RESOURCES.loadgen,
      // The Job stops on its own; the deadline is the backstop.
      activeDeadlineSeconds: durationSeconds + 120,
      ttlSecondsAfterFinished: 3600,
    });
  }
}
