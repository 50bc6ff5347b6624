/**
 * Task-level cpu and memory: the forms ECS accepts ("1024", "1 vCPU", "0.25 vCPU";
 * "2048", "2 GB", "0.5GB") and the Fargate size table.
 */

const INTEGER = /^\s*(\d+)\s*$/;
const VCPU = /^\s*(\d*\.?\d+)\s*vcpu\s*$/i;
const GB = /^\s*(\d*\.?\d+)\s*gi?b\s*$/i;

/** A whole number of units from `amount × 1024`, or undefined when it is not whole. */
function scaled(amount: string): number | undefined {
  const v = Number(amount) * 1024;
  const rounded = Math.round(v);
  return Number.isFinite(v) && Math.abs(v - rounded) < 1e-9 ? rounded : undefined;
}

function positive(n: number | undefined): number | undefined {
  return n !== undefined && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** CPU units for "256" or "0.25 vCPU" / "1 vCPU"; undefined when the text is neither. */
export function parseTaskCpu(value: string): number | undefined {
  const units = INTEGER.exec(value);
  if (units?.[1] !== undefined) return positive(Number(units[1]));
  const vcpu = VCPU.exec(value);
  if (vcpu?.[1] !== undefined) return positive(scaled(vcpu[1]));
  return undefined;
}

/** MiB for "512" or "0.5 GB" / "2GB"; undefined when the text is neither. */
export function parseTaskMemory(value: string): number | undefined {
  const mib = INTEGER.exec(value);
  if (mib?.[1] !== undefined) return positive(Number(mib[1]));
  const gb = GB.exec(value);
  if (gb?.[1] !== undefined) return positive(scaled(gb[1]));
  return undefined;
}

interface FargateSize {
  readonly cpu: number;
  readonly memory: readonly number[];
  /** Windows containers on Fargate take 1, 2 and 4 vCPU only. */
  readonly windows: boolean;
}

function steps(min: number, max: number, step: number): number[] {
  const out: number[] = [];
  for (let m = min; m <= max; m += step) out.push(m);
  return out;
}

/** The Fargate task size table (cpu units → memory MiB), as the ECS developer guide lists it. */
export const FARGATE_SIZES: readonly FargateSize[] = [
  { cpu: 256, memory: [512, 1024, 2048], windows: false },
  { cpu: 512, memory: steps(1024, 4096, 1024), windows: false },
  { cpu: 1024, memory: steps(2048, 8192, 1024), windows: true },
  { cpu: 2048, memory: steps(4096, 16384, 1024), windows: true },
  { cpu: 4096, memory: steps(8192, 30720, 1024), windows: true },
  { cpu: 8192, memory: steps(16384, 61440, 4096), windows: false },
  { cpu: 16384, memory: steps(32768, 122880, 8192), windows: false },
];

/** Whether (cpu, memory) is a Fargate task size for the given OS family. */
export function isFargateSize(cpu: number, memory: number, windows = false): boolean {
  const size = FARGATE_SIZES.find((s) => s.cpu === cpu);
  if (!size || (windows && !size.windows)) return false;
  return size.memory.includes(memory);
}

/** A hint naming the memory values Fargate pairs with `cpu`, or the valid cpu values. */
export function fargateSizeHint(cpu: number, windows = false): string {
  const size = FARGATE_SIZES.find((s) => s.cpu === cpu && (!windows || s.windows));
  if (size) return `Valid memory values for ${cpu} CPU: ${describeMemory(size.memory)}.`;
  const cpus = FARGATE_SIZES.filter((s) => !windows || s.windows).map((s) => s.cpu);
  return `Valid task cpu values on Fargate: ${cpus.join(', ')}.`;
}

function describeMemory(memory: readonly number[]): string {
  const first = memory[0];
  const last = memory[memory.length - 1];
  const second = memory[1];
  if (memory.length <= 4 || first === undefined || last === undefined || second === undefined) return memory.join(', ');
  return `${first} to ${last} MiB in steps of ${second - first}`;
}
