// Valid Fargate task sizes (AWS ECS developer guide, "Task CPU and memory").

const range = (from: number, to: number, step: number): number[] => {
  const out: number[] = [];
  for (let m = from; m <= to; m += step) out.push(m);
  return out;
};

/** CPU units -> allowed memory MiB. */
export const FARGATE_SIZES: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [512, 1024, 2048]],
  [512, range(1024, 4096, 1024)],
  [1024, range(2048, 8192, 1024)],
  [2048, range(4096, 16384, 1024)],
  [4096, range(8192, 30720, 1024)],
  [8192, range(16384, 61440, 4096)],
  [16384, range(32768, 122880, 8192)],
]);

export function isValidFargateSize(cpu: number, memory: number): boolean {
  return FARGATE_SIZES.get(cpu)?.includes(memory) ?? false;
}

/** "2048–8192 MiB in 1024 MiB steps" or "512, 1024 or 2048 MiB". */
export function describeFargateMemory(cpu: number): string {
  const mems = FARGATE_SIZES.get(cpu);
  if (!mems) return "";
  if (mems.length <= 3) return `${mems.slice(0, -1).join(", ")} or ${mems[mems.length - 1]} MiB`;
  return `${mems[0]}–${mems[mems.length - 1]} MiB in ${mems[1]! - mems[0]!} MiB steps`;
}

export const FARGATE_CPUS: readonly number[] = [...FARGATE_SIZES.keys()];
