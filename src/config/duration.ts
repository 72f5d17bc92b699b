const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

/** `900`, `900s`, `15m`, `1h`, `7d` → seconds; anything else → undefined. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)\s*([smhd])?$/.exec(text.trim());
  if (!match) return undefined;
  const unit = (match[2] ?? 's') as keyof typeof UNIT_SECONDS;
  return Number(match[1]) * UNIT_SECONDS[unit];
}
