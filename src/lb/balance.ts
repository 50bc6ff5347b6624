/**
 * Weighted choice among a forward action's target groups. Smooth weighted round robin
 * (each pick adds every weight to its running score and takes the highest, which then
 * pays the total back): deterministic, spreads picks evenly rather than in bursts, and
 * needs no randomness. A group of weight 0 gets nothing; all zero means no group.
 */
export function weightedChooser(groups: ReadonlyArray<{ readonly arn: string; readonly weight: number }>): () => string | undefined {
  const live = groups.filter((g) => g.weight > 0);
  if (live.length === 0) return () => undefined;
  if (live.length === 1) {
    const only = live[0]!.arn;
    return () => only;
  }
  const total = live.reduce((s, g) => s + g.weight, 0);
  const scores = live.map(() => 0);
  return () => {
    let best = 0;
    for (let i = 0; i < live.length; i++) {
      scores[i]! += live[i]!.weight;
      if (scores[i]! > scores[best]!) best = i;
    }
    scores[best]! -= total;
    return live[best]!.arn;
  };
}
