/** A size as learners read it: "0.3 KB", "9.9 KB", "30 KB" (one decimal only where it matters). */
export function kb(bytes: number): string {
  return `${(bytes / 1000).toFixed(bytes < 10_000 ? 1 : 0)} KB`;
}
