import { compilePattern, type PatternNode } from './compile.js';

/** Compiled patterns by rule ARN, recompiled when a rule's pattern text changes. */
export class PatternCache {
  private readonly byArn = new Map<string, { text: string; node: PatternNode }>();

  get(ruleArn: string, text: string): PatternNode {
    const hit = this.byArn.get(ruleArn);
    if (hit && hit.text === text) return hit.node;
    const node = compilePattern(text);
    this.byArn.set(ruleArn, { text, node });
    return node;
  }

  forget(ruleArn: string): void {
    this.byArn.delete(ruleArn);
  }
}
