// Translates the shared workload description into ECS container definitions (pure: unit-testable without synth).
import type { ContainerDescription, SecretLogicalName } from "../workload/gateway-workload";

export interface EcsContainerDefinitionOptions {
  /** Secret ARN per logical name (hand-off `secret-arn/<logical>`); only the ones referenced are needed. */
  readonly secretArns: Readonly<Partial<Record<SecretLogicalName, string>>>;
  /** Log group name per container log group key. */
  readonly logGroups: Readonly<Record<ContainerDescription["logGroup"], string>>;
  readonly region: string;
}

/** ECS `valueFrom`: the secret ARN, or `<arn>:<jsonKey>::` to select one key of a JSON secret. */
export function secretValueFrom(secretArn: string, jsonKey?: string): string {
  return jsonKey === undefined ? secretArn : `${secretArn}:${jsonKey}::`;
}

export function ecsContainerDefinition(c: ContainerDescription, opts: EcsContainerDefinitionOptions): Record<string, unknown> {
  const secrets = c.secrets.map((ref) => {
    const arn = opts.secretArns[ref.secret];
    if (arn === undefined) throw new Error(`container ${c.name}: no ARN for secret "${ref.secret}" (env ${ref.name})`);
    return { name: ref.name, valueFrom: secretValueFrom(arn, ref.jsonKey) };
  });
  return {
    name: c.name,
    image: c.image,
    essential: true,
    ...(c.command ? { command: [...c.command] } : {}),
    portMappings: [{ containerPort: c.port, protocol: "tcp", name: `${c.name}-${c.port}` }],
    environment: Object.entries(c.environment)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => ({ name, value })),
    secrets,
    healthCheck: {
      command: [...c.healthCheck.command],
      interval: c.healthCheck.intervalSeconds,
      timeout: c.healthCheck.timeoutSeconds,
      retries: c.healthCheck.retries,
      startPeriod: c.healthCheck.startPeriodSeconds,
    },
    dependsOn: c.dependsOnHealthy.map((containerName) => ({ containerName, condition: "HEALTHY" })),
    logConfiguration: {
      logDriver: "awslogs",
      options: {
        "awslogs-group": opts.logGroups[c.logGroup],
        "awslogs-region": opts.region,
        "awslogs-stream-prefix": c.name,
      },
    },
    readonlyRootFilesystem: false,
    stopTimeout: 60,
  };
}
